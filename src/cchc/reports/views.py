"""Pages of reports: list per unit, editor with preview, generation and download, filing
matrix with reminders, batch generation. Thin: fetch with permission, validate, call a
service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from cchc.core.collation import tree_order, vn_order
from cchc.core.models import Job
from cchc.dossiers.periods import PeriodError
from cchc.reports import deadlines, generate, kinds, selectors, services
from cchc.reports.builders.common import snapshot
from cchc.reports.filing import filing_matrix
from cchc.reports.forms import BatchForm, DeadlineForm, NewReportForm, ReportForm
from cchc.reports.models import NARRATIVE_FIELDS, DeadlineSetting, PeriodKind
from cchc.reports.sources import SourceError
from cchc.units import lifetime, permissions
from cchc.units.models import Unit
from cchc.units.permissions import (
    can,
    get_unit_for,
    is_administrator,
    visible_units,
)

PREVIEW_CSS = """
html { background: #e9edf3; }
body { background: #fff; max-width: 210mm; margin: 8px auto; padding: 16mm 14mm 20mm 22mm;
  box-shadow: 0 1px 4px rgba(0,0,0,.25); }
body.landscape { max-width: 297mm; }
span.figure { background: #e6efff; box-shadow: 0 0 0 1px #9bb5e0 inset; border-radius: 2px;
  padding: 0 1px; }
/* The iframe is narrower than A4: shrink the page rather than reflow it. */
@media (max-width: 820px) { html { zoom: .72; } }
@media (max-width: 600px) { html { zoom: .55; } body { padding: 8mm 6mm; margin: 0; } }
"""


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


# ------------------------------------------------------------------ list and new


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    unit_pk = request.GET.get("unit") or getattr(permissions.acting_unit(request.user), "pk", None)
    if unit_pk is None:
        raise PermissionDenied("Tài khoản chưa gắn với đơn vị nào.")
    unit = get_unit_for(request.user, unit_pk, "view")
    reports = list(selectors.reports_of(unit))
    can_edit = can(request.user, "edit", unit)
    has_children = unit.children.exists()
    manage = has_children and selectors.can_manage_children(request.user, unit)
    # Every unit one may look at, former ones too: a former district's office files and
    # reads the reports of the units it had (issue 15: the list was empty for it).
    choosable = [(u.pk, lifetime.label(u)) for u in tree_order(visible_units(request.user))[:400]]
    return render(
        request,
        "reports/list.html",
        {
            "unit": unit,
            "reports": reports,
            "can_edit": can_edit,
            "manage": manage,
            "units": choosable,
            "form": NewReportForm(initial={"kind": "unit_quarterly", "period": _current_quarter()}),
        },
    )


def _current_quarter() -> str:
    today = timezone.localdate()
    from cchc.dossiers.periods import reporting_month_of

    year, month = reporting_month_of(today)
    return f"{year}-Q{(month - 1) // 3 + 1}"


def _cycles_and_inspections(unit: Unit):
    from cchc.evaluations.models import Cycle, CycleState
    from cchc.plans.models import Inspection

    cycles = Cycle.objects.filter(state=CycleState.PUBLISHED, organiser__path__startswith=unit.path)
    inspections = Inspection.objects.filter(organiser=unit, kind=Inspection.Kind.SELF)
    return list(cycles.order_by("-year")[:50]), list(inspections.order_by("-start_on")[:50])


@login_required
def report_new(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = get_unit_for(request.user, unit_pk, "edit")
    cycles, inspections = _cycles_and_inspections(unit)
    data = request.POST if request.method == "POST" else None
    initial = {"kind": request.GET.get("kind", ""), "period": request.GET.get("period", "")}
    form = NewReportForm(data, initial=initial, cycles=cycles, inspections=inspections)
    if request.method == "POST" and form.is_valid():
        cycle = next((c for c in cycles if c.pk == form.cleaned_data["cycle"]), None)
        inspection = next((i for i in inspections if i.pk == form.cleaned_data["inspection"]), None)
        try:
            report = services.report_open(
                unit=unit,
                kind=form.cleaned_data["kind"],
                period_code=form.cleaned_data["period"].strip(),
                by=request.user,
                cycle=cycle,
                inspection=inspection,
            )
        except (PeriodError, kinds.KindError) as error:
            form.add_error("period", str(error))
        except ValidationError as error:
            form.add_error(None, _errors(error))
        else:
            return redirect("reports:edit", report.pk)
    return render(request, "reports/new.html", {"unit": unit, "form": form})


# ------------------------------------------------------------------ editor


@login_required
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_for(request.user, pk, "view")
    can_edit = can(request.user, "edit", report.unit) and not report.is_submitted
    if request.method == "POST":
        if not can(request.user, "edit", report.unit):
            raise PermissionDenied("Bạn không được sửa báo cáo của đơn vị này.")
        form = ReportForm(request.POST, instance=report)
        if form.is_valid():
            try:
                services.report_update(report=report, data=form.cleaned_data, by=request.user)
            except ValidationError as error:
                messages.error(request, _errors(error))
            else:
                messages.success(request, "Đã lưu báo cáo.")
                return redirect("reports:edit", report.pk)
    else:
        form = ReportForm(instance=report)
    if not can_edit:
        for field in form.fields.values():
            field.disabled = True
    figures, error = {}, ""
    try:
        doc = generate.document_for(report)
        figures = snapshot(doc)["figures"]
    except SourceError as exc:
        error = str(exc)
    files = list(selectors.files_of(report))
    history = list(report.history.select_related("history_user").order_by("-history_date")[:20])
    return render(
        request,
        "reports/edit.html",
        {
            "report": report,
            "form": form,
            "narrative_fields": [form[name] for name in NARRATIVE_FIELDS],
            "frame_fields": [f for f in form if f.name not in NARRATIVE_FIELDS],
            "can_edit": can_edit,
            "can_submit": (
                report.kind_spec.filed
                and not report.is_submitted
                and report.unit.parent_id is not None
                and can(request.user, "submit", report.unit)
            ),
            "can_reopen": report.is_submitted
            and (
                can(request.user, "submit", report.unit)
                or can(request.user, "administer", report.unit)
            ),
            "figures": sorted(figures.items()),
            "error": error,
            "files": files,
            "history": history,
        },
    )


@login_required
@xframe_options_sameorigin
def report_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The document as it will print, figures shaded; POST previews unsaved text."""
    report = selectors.report_for(request.user, pk, "view")
    text = None
    if request.method == "POST":
        text = {name: request.POST.get(name, "") for name in NARRATIVE_FIELDS}
    try:
        doc = generate.document_for(report, text=text)
    except SourceError as error:
        return HttpResponse(
            f'<!DOCTYPE html><html lang="vi"><meta charset="utf-8"><p>{error}</p></html>',
            status=200,
        )
    from cchc.documents.pdf_writer import render_html

    html = render_html(doc)
    landscape = doc.layout.width_mm > doc.layout.height_mm
    html = html.replace("</head>", f"<style>{PREVIEW_CSS}</style></head>", 1)
    if landscape:
        html = html.replace("<body>", '<body class="landscape">', 1)
    return HttpResponse(html)


@login_required
@require_POST
def report_generate(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_for(request.user, pk, "edit")
    fmt = request.POST.get("format", "pdf")
    # The editor's generate buttons post the form: save the text first, then print it.
    if not report.is_submitted and any(name in request.POST for name in NARRATIVE_FIELDS):
        form = ReportForm(request.POST, instance=report)
        if not form.is_valid():
            messages.error(request, "Chưa lưu được: " + form.errors.as_text())
            return redirect("reports:edit", report.pk)
        report = services.report_update(report=report, data=form.cleaned_data, by=request.user)
    try:
        item = services.report_generate(report=report, fmt=fmt, by=request.user)
    except (ValidationError, SourceError) as error:
        messages.error(
            request, _errors(error) if isinstance(error, ValidationError) else str(error)
        )
    else:
        messages.success(request, f"Đã tạo tệp {item.format.upper()}: {item.filename}.")
    return redirect("reports:edit", report.pk)


@login_required
def file_download(request: HttpRequest, pk: int) -> FileResponse:
    item = selectors.file_for(request.user, pk)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404(selectors.NOT_FOUND_FILE) from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=item.filename,
        content_type=generate.CONTENT_TYPES.get(item.format, "application/octet-stream"),
    )


@login_required
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_for(request.user, pk, "submit")
    try:
        report = services.report_submit(report=report, by=request.user)
    except (ValidationError, SourceError) as error:
        messages.error(
            request, _errors(error) if isinstance(error, ValidationError) else str(error)
        )
    else:
        messages.success(request, f"Đã gửi báo cáo đến {report.submitted_to}.")
    return redirect("reports:edit", report.pk)


@login_required
@require_POST
def report_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_for(request.user, pk, "view")
    try:
        services.report_reopen(
            report=report, by=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, "Đã mở lại báo cáo để sửa.")
    return redirect("reports:edit", report.pk)


# ------------------------------------------------------------------ filing


@login_required
def filing(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = get_unit_for(request.user, unit_pk, "view")
    selectors.require_level_above(request.user, unit)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or today.year)
    except ValueError:
        year = today.year
    if request.method == "POST":
        column = request.POST.get("column")
        units = request.POST.getlist("unit")
        try:
            sent = services.reminders_send(
                parent=unit,
                year=year,
                by=request.user,
                columns=[int(column)] if column not in (None, "", "all") else None,
                unit_ids=[int(u) for u in units] if units else None,
            )
        except ValueError:
            messages.error(request, "Yêu cầu nhắc không hợp lệ.")
        else:
            if sent:
                messages.success(request, f"Đã gửi {sent} lời nhắc nộp báo cáo.")
            else:
                messages.info(
                    request, "Không có lời nhắc mới (đã nhắc hôm nay hoặc không có đơn vị chậm)."
                )
        return redirect(f"{request.path}?year={year}")
    matrix = filing_matrix(unit, year, today=today)
    return render(
        request,
        "reports/filing.html",
        {
            "unit": unit,
            "matrix": matrix,
            "year": year,
            "years": list(range(today.year - 3, today.year + 1)),
            "totals": list(zip(matrix.columns, matrix.totals, strict=True)),
            "labels": deadlines.STATUS_LABELS,
            "rules": DeadlineSetting.rules(),
            "is_admin": is_administrator(request.user),
        },
    )


# ------------------------------------------------------------------ batches


@login_required
def batch(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = get_unit_for(request.user, unit_pk, "view")
    selectors.require_level_above(request.user, unit)
    children = vn_order(unit.children.all(), "kind", "name")
    form = BatchForm(
        request.POST or None, initial={"period": _current_quarter()}, children=children
    )
    if request.method == "POST" and form.is_valid():
        try:
            job = services.batch_start(
                parent=unit,
                kind=form.cleaned_data["kind"],
                period_code=form.cleaned_data["period"].strip(),
                formats=form.cleaned_data["formats"],
                unit_ids=form.cleaned_data["units"] or None,
                by=request.user,
            )
        except (ValidationError, kinds.KindError) as error:
            form.add_error(
                None, _errors(error) if isinstance(error, ValidationError) else str(error)
            )
        else:
            return redirect("job-detail", job.pk)
    jobs = Job.objects.filter(kind="reports.batch", created_by=request.user)[:10]
    return render(
        request,
        "reports/batch.html",
        {"unit": unit, "form": form, "jobs": jobs, "count": len(children)},
    )


@login_required
def batch_download(request: HttpRequest, job_pk: int) -> FileResponse:
    job = permissions.job_for(request.user, job_pk, kind="reports.batch")
    name = (job.result or {}).get("zip")
    if not name or not default_storage.exists(name):
        raise Http404("Tệp ZIP chưa sẵn sàng.")
    return FileResponse(
        default_storage.open(name, "rb"),
        as_attachment=True,
        filename=name.rsplit("/", 1)[-1],
        content_type="application/zip",
    )


# ------------------------------------------------------------------ deadlines


@login_required
def deadlines_edit(request: HttpRequest) -> HttpResponse:
    if not permissions.may_change_shared(request.user):
        raise PermissionDenied("Chỉ quản trị viên cấp tỉnh được đổi hạn nộp báo cáo.")
    form = DeadlineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.deadline_set(
            period_kind=data["period_kind"],
            day=data["day"],
            month_offset=data["month_offset"],
            note=data["note"],
            by=request.user,
        )
        messages.success(request, "Đã lưu hạn nộp báo cáo.")
        return redirect("reports:deadlines")
    rules = DeadlineSetting.rules()
    year = timezone.localdate().year
    from cchc.reports.filing import due_dates

    examples = [(column.label, period, due) for column, period, due in due_dates(year, rules)]
    rows = [(PeriodKind(kind).label, rule) for kind, rule in rules.items()]
    return render(
        request,
        "reports/deadlines.html",
        {"form": form, "rows": rows, "examples": examples, "year": year},
    )
