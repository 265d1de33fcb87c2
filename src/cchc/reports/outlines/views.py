"""Pages of outline reports: list and open, the filing page (figures and narrative per
section), XLSX out and in, submit, return, compile, generate and download.

Access (units.permissions): a report of a unit the person cannot view is "not found"
(404); one they can view but not act on is refused (403).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cchc.core.collation import vn_order
from cchc.core.people import Person
from cchc.dossiers.periods import PeriodError, parse_period
from cchc.reports.outlines import access, documents, measures, services
from cchc.reports.outlines.builder import figure_note
from cchc.reports.outlines.models import Outline, OutlineReport, OutlineReportFile
from cchc.reports.outlines.registry import MEASURES
from cchc.reports.outlines.rules import compiled_sentence, format_value, sentence
from cchc.reports.outlines.spec import UNIT_LABELS
from cchc.units.models import Unit
from cchc.units.permissions import acting_unit, can

ERR_FORBIDDEN = access.ERR_FORBIDDEN
_allowed = access.allowed
report_for = access.report_for


def _unit_for(user: Person, pk) -> Unit:
    return access.unit_for(user, pk)


@login_required
def outline_index(request: HttpRequest) -> HttpResponse:
    unit_pk = request.GET.get("unit") or getattr(acting_unit(request.user), "pk", None)
    unit = _unit_for(request.user, unit_pk)
    reports = list(
        OutlineReport.objects.filter(unit=unit).select_related("outline").order_by("-period_end")
    )
    children = vn_order(unit.children.all())
    child_reports = vn_order(
        OutlineReport.objects.filter(unit__in=children).select_related("outline", "unit"),
        "-period_end",
        "unit__name",
    )
    return render(
        request,
        "outlines/index.html",
        {
            "unit": unit,
            "reports": reports,
            "child_reports": child_reports,
            "outlines": Outline.objects.order_by("code"),
            "can_edit": can(request.user, "edit", unit),
        },
    )


@login_required
@require_POST
def outline_open(request: HttpRequest) -> HttpResponse:
    unit = _unit_for(request.user, request.POST.get("unit"))
    if not can(request.user, "edit", unit):
        raise PermissionDenied(ERR_FORBIDDEN.format(action="lập", unit=unit))
    outline = Outline.objects.filter(pk=request.POST.get("outline") or 0).first()
    if outline is None:
        messages.error(request, "Hãy chọn một đề cương.")
        return redirect(f"{reverse('outlines:index')}?unit={unit.pk}")
    try:
        period = parse_period(request.POST.get("period", ""))
        report = services.report_open(outline=outline, unit=unit, period=period, by=request.user)
    except (PeriodError, services.ReportError) as error:
        messages.error(request, str(error))
        return redirect(f"{reverse('outlines:index')}?unit={unit.pk}")
    return redirect("outlines:edit", report.pk)


def _sections(report: OutlineReport, values, entered_raw=None, notes=None):
    """What the page shows per section: figures (locked or typed) and narrative blocks with
    the section's figures offered as ready sentences; for an upper unit, the compilation."""
    spec = report.outline.spec()
    compiled = services.compiled_aggregates(report) if report.compiled else None
    quotes = (report.compiled or {}).get("narratives", {})
    out = []
    for depth, section in spec.walk():
        figures = []
        for fig in section.figures:
            raw = (entered_raw or {}).get(fig.key)
            figures.append(
                {
                    "fig": fig,
                    "unit_label": UNIT_LABELS[fig.unit],
                    "value": values.get(fig.key),
                    "text": format_value(fig, values.get(fig.key)),
                    "note": (
                        figure_note(notes or {}, fig) if values.get(fig.key) is not None else ""
                    ),
                    "input": raw if raw is not None else _input_value(fig, values.get(fig.key)),
                    "source": (
                        MEASURES[fig.measure].source
                        if fig.is_measured
                        else (
                            f"Tính từ: {spec.figure(fig.numerator).label.lower()} / "
                            f"{spec.figure(fig.denominator).label.lower()}"
                            if fig.is_computed
                            else "Đơn vị nhập"
                        )
                    ),
                    "compiled": (
                        compiled_sentence(spec, fig, compiled[fig.key])
                        if compiled and fig.key in compiled
                        else ""
                    ),
                }
            )
        ready = [sentence(spec, f, values) for f in section.figures]
        blocks = [
            {
                "block": block,
                "text": report.narratives.get(block.key, ""),
                "quotes": quotes.get(block.key, []),
            }
            for block in section.narratives
        ]
        out.append(
            {
                "depth": depth,
                "heading": section.heading(
                    year=report.period_end.year,
                    next_year=report.period_end.year + 1,
                    previous_year=report.period_end.year - 1,
                    period=report.period_label,
                    unit=report.unit.name,
                ),
                "figures": figures,
                "ready": ready,
                "blocks": blocks,
            }
        )
    return out


def _input_value(fig, value) -> str:
    if value is None:
        return ""
    if fig.unit == "yesno":
        return "có" if value else "không"
    if fig.unit == "date":
        return format_value(fig, value)
    return str(value)


@login_required
def outline_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = report_for(request.user, pk, "view")
    can_edit = can(request.user, "edit", report.unit) and not report.is_submitted
    errors = []
    raw = None
    if request.method == "POST":
        report = report_for(request.user, pk, "edit")
        spec = report.outline.spec()
        raw = {
            f.key: request.POST.get(f"value__{f.key}", "")
            for f in spec.figures()
            if f.is_entered and f"value__{f.key}" in request.POST
        }
        texts = {
            n.key: request.POST.get(f"text__{n.key}", "")
            for n in spec.narratives()
            if f"text__{n.key}" in request.POST
        }
        try:
            services.report_save(report=report, values=raw, narratives=texts, by=request.user)
        except services.EntriesInvalid as error:
            errors = error.errors
        except services.ReportError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Đã lưu báo cáo.")
            return redirect("outlines:edit", report.pk)
    measured = services.measured_for(report)
    values = services.report_values(report)
    history = list(report.history.select_related("history_user").order_by("-history_date")[:30])
    return render(
        request,
        "outlines/edit.html",
        {
            "report": report,
            "sections": _sections(
                report, values, raw, measures.figure_notes(report.outline.spec(), measured)
            ),
            "errors": errors,
            "can_edit": can_edit,
            "can_submit": can(request.user, "submit", report.unit)
            and not report.is_submitted
            and report.unit.parent_id is not None,
            "can_return": report.is_submitted and _allowed(request.user, "return", report.unit),
            "can_compile": can_edit and report.unit.children.exists(),
            "index_year": measured.index_year,
            "files": list(report.files.select_related("generated_by")),
            "history": history,
        },
        status=400 if errors else 200,
    )


@login_required
def outline_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    from cchc.reports.outlines.xlsx import export_blank

    report = report_for(request.user, pk, "view")
    data = export_blank(report.outline.spec(), title=report.outline.name)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = documents.file_name(report, "xlsx").replace(".xlsx", "-mau-trong.xlsx")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def outline_import(request: HttpRequest, pk: int) -> HttpResponse:
    report = report_for(request.user, pk, "edit")
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "Hãy chọn tệp XLSX đã điền.")
        return redirect("outlines:edit", report.pk)
    from cchc.reports.outlines.xlsx import ERR_TOO_BIG, MAX_BYTES

    if upload.size > MAX_BYTES:  # refused before reading it into memory
        messages.error(request, ERR_TOO_BIG.format(limit=MAX_BYTES // (1024 * 1024)))
        return redirect("outlines:edit", report.pk)
    return _act(
        request,
        report,
        lambda: services.report_import_xlsx(report=report, data=upload.read(), by=request.user),
        f"Đã nhập số liệu và phần lời từ tệp {upload.name}.",
        invalid=f"Tệp {upload.name} không được nhận (không thay đổi gì): ",
    )


def _act(
    request: HttpRequest,
    report: OutlineReport,
    action: Callable[[], object],
    done: str,
    *,
    invalid: str | None = None,
) -> HttpResponse:
    """Run action; its refusal (or done) as the message, back to the report's page.

    With `invalid` (the message's opening), every entry problem is listed after it; without,
    EntriesInvalid is not expected and propagates.
    """
    caught: tuple[type[Exception], ...] = (services.ReportError,)
    if invalid is not None:
        caught += (services.EntriesInvalid,)
    try:
        action()
    except caught as error:
        if isinstance(error, services.EntriesInvalid):
            messages.error(request, f"{invalid}{'; '.join(str(e) for e in error.errors)}")
        else:
            messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect("outlines:edit", report.pk)


@login_required
@require_POST
def outline_submit(request: HttpRequest, pk: int) -> HttpResponse:
    report = report_for(request.user, pk, "submit")
    return _act(
        request,
        report,
        lambda: services.report_submit(report=report, by=request.user),
        f"Đã gửi báo cáo đến {report.unit.parent}.",
        invalid="Chưa gửi được: ",
    )


@login_required
@require_POST
def outline_return(request: HttpRequest, pk: int) -> HttpResponse:
    report = report_for(request.user, pk, "return")
    return _act(
        request,
        report,
        lambda: services.report_return(
            report=report, reason=request.POST.get("reason", ""), by=request.user
        ),
        "Đã trả lại báo cáo cho đơn vị.",
    )


@login_required
@require_POST
def outline_compile(request: HttpRequest, pk: int) -> HttpResponse:
    report = report_for(request.user, pk, "edit")
    try:
        report = services.report_compile(report=report, by=request.user)
    except services.ReportError as error:
        messages.error(request, str(error))
    else:
        missing = report.compiled.get("missing", [])
        messages.success(
            request,
            f"Đã tổng hợp báo cáo của {len(report.compiled.get('filed', []))} đơn vị"
            + (f"; chưa gửi: {', '.join(missing)}." if missing else "."),
        )
    return redirect("outlines:edit", report.pk)


@login_required
@require_POST
def outline_generate(request: HttpRequest, pk: int) -> HttpResponse:
    report = report_for(request.user, pk, "edit")
    fmt = request.POST.get("format", "")
    if fmt not in ("docx", "pdf"):
        messages.error(request, "Định dạng phải là DOCX hoặc PDF.")
        return redirect("outlines:edit", report.pk)
    if "number" in request.POST:
        report.number = request.POST.get("number", "").strip()[:20]
        report.save(update_fields=["number", "updated_at"])
    row = documents.report_generate(report=report, fmt=fmt, by=request.user)
    messages.success(request, f"Đã tạo tệp {row.filename}.")
    return redirect("outlines:edit", report.pk)


@login_required
def outline_download(request: HttpRequest, pk: int) -> FileResponse:
    row = OutlineReportFile.objects.select_related("report").filter(pk=pk).first()
    if row is None:
        raise Http404("Không tìm thấy tệp.")
    report_for(request.user, row.report_id, "view")
    return FileResponse(row.file.open("rb"), as_attachment=True, filename=row.filename)
