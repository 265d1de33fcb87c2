"""The procedure catalogue (danh mục TTHC): list, detail, edit, import and export."""

from __future__ import annotations

import io
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from cchc.core.jobs import start_upload
from cchc.core.people import Person
from cchc.core.tabular import safe_row, workbook_bytes
from cchc.dossiers import imports, services, tasks
from cchc.dossiers.forms import ProcedureFilterForm, ProcedureForm, UploadForm
from cchc.dossiers.models import Procedure
from cchc.dossiers.views.common import list_filters
from cchc.units.permissions import is_administrator, require_administrator

PAGE_SIZE = 50
WHAT = "danh mục thủ tục hành chính"


def _is_admin(user: Person) -> bool:
    return is_administrator(user) or user.is_superuser


def _filtered(form: ProcedureFilterForm):
    procedures, data = list_filters(
        Procedure.objects.all().order_by("field", "code"),
        form,
        text=("code", "name"),
        exact=("field", "online_class", "level"),
    )
    if data.get("active"):
        procedures = procedures.filter(active=data["active"] == "1")
    return procedures


def _fields() -> list[str]:
    return list(
        Procedure.objects.exclude(field="")
        .order_by("field")
        .values_list("field", flat=True)
        .distinct()
    )


@login_required
def procedure_list(request: HttpRequest) -> HttpResponse:
    form = ProcedureFilterForm(request.GET or None, fields=_fields())
    procedures = _filtered(form)
    page = Paginator(procedures, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "total": procedures.count(),
        "query": query.urlencode(),
        "is_admin": _is_admin(request.user),
    }
    template = (
        "dossiers/procedure_list.html#results" if request.htmx else "dossiers/procedure_list.html"
    )
    response = render(request, template, context)
    response["Vary"] = "HX-Request"
    return response


@login_required
def procedure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    procedure = get_object_or_404(Procedure, pk=pk)
    history = procedure.history.select_related("history_user").order_by("-history_date")[:30]
    dossier_count = Procedure.objects.filter(pk=pk).aggregate(n=Count("dossiers"))["n"]
    return render(
        request,
        "dossiers/procedure_detail.html",
        {
            "procedure": procedure,
            "history": history,
            "dossier_count": dossier_count,
            "is_admin": _is_admin(request.user),
        },
    )


def _save(request: HttpRequest, form: ProcedureForm) -> Procedure | None:
    if not form.is_valid():
        return None
    values = {k: v for k, v in form.cleaned_data.items() if k not in {"code", "reason"}}
    code = form.instance.code if form.instance.pk else form.cleaned_data["code"]
    try:
        return services.procedure_save(
            by=request.user, code=code, reason=form.cleaned_data.get("reason", ""), **values
        )
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                for e in errors:
                    form.add_error(field if field in form.fields else None, e)
        else:
            form.add_error(None, error)
        return None


@login_required
def procedure_create(request: HttpRequest) -> HttpResponse:
    require_administrator(request.user, WHAT)
    form = ProcedureForm(request.POST or None)
    if request.method == "POST":
        procedure = _save(request, form)
        if procedure is not None:
            messages.success(request, f"Đã thêm thủ tục {procedure.code}.")
            return redirect("dossiers:procedure", procedure.pk)
    return render(request, "dossiers/procedure_form.html", {"form": form, "procedure": None})


@login_required
def procedure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_administrator(request.user, WHAT)
    procedure = get_object_or_404(Procedure, pk=pk)
    form = ProcedureForm(request.POST or None, instance=procedure)
    if request.method == "POST":
        saved = _save(request, form)
        if saved is not None:
            messages.success(request, f"Đã lưu thủ tục {saved.code}.")
            return redirect("dossiers:procedure", saved.pk)
    return render(request, "dossiers/procedure_form.html", {"form": form, "procedure": procedure})


@login_required
def procedure_import(request: HttpRequest) -> HttpResponse:
    require_administrator(request.user, WHAT)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = start_upload(
            kind=tasks.PROCEDURES_JOB_KIND,
            title=f"Nhập danh mục thủ tục từ tệp {upload.name}",
            by=request.user,
            task=tasks.import_procedures_task,
            upload=upload,
            filename=upload.name,
        )
        return redirect("job-detail", job.pk)
    return render(
        request,
        "dossiers/procedure_import.html",
        {"form": form, "columns": imports.PROCEDURE_COLUMNS},
    )


@login_required
def procedure_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in {"csv", "xlsx"}:
        raise Http404("Chỉ xuất CSV hoặc XLSX.")
    form = ProcedureFilterForm(request.GET or None, fields=_fields())
    procedures = _filtered(form)
    if fmt == "xlsx":
        from openpyxl import Workbook

        columns = list(imports.PROCEDURE_COLUMNS)
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("Danh mục TTHC")
        ws.append(columns)
        for p in procedures:
            ws.append(safe_row(_cell(getattr(p, c)) for c in columns))
        response = HttpResponse(
            workbook_bytes(wb),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        text = io.StringIO()
        # BOM: Excel opens a UTF-8 CSV with Vietnamese letters intact only with it.
        text.write("\ufeff")
        imports.procedures_export(text, procedures)
        response = HttpResponse(text.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="danh-muc-tthc.{fmt}"'
    return response


def _cell(value):
    # The same values procedures_import reads back: 0/1 flags, ISO dates, whole numbers.
    if isinstance(value, bool):
        return 1 if value else 0
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return str(value)
