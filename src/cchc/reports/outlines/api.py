"""The outline reports API, mounted at /api/outlines/: the outlines; a unit's reports, opened
for any period; one report with every figure (measured, entered, computed) and its
narrative; save entered figures and narrative, submit, return, compile.

The same services and the same checks as the pages (``services``), the same access
(``access``, compositions of ``cchc.units.permissions``): every handler starts with the
permission-scoped fetch, so a report the person cannot see is 404 and one they may see but
not act on is 403, whatever the body.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from cchc.core.bounds import Id
from cchc.dossiers.periods import PeriodError, parse_period
from cchc.reports.outlines import access, services
from cchc.reports.outlines.models import Outline, OutlineReport
from cchc.reports.outlines.registry import MEASURES
from cchc.reports.outlines.rules import format_value
from cchc.reports.outlines.spec import UNIT_LABELS

router = Router(tags=["Báo cáo theo đề cương"])

TEXT_MAX = services.NARRATIVE_MAX
ERR_OUTLINE = "Không có đề cương mã «{code}»."


class OutlineErrorItem(Schema):
    field: str | None = None
    message: str


class OutlineErrorOut(Schema):
    detail: str
    errors: list[OutlineErrorItem] = []


class OutlineOut(Schema):
    code: str
    name: str
    structure: str
    periods: list[str]
    headings: list[str]


class OpenIn(Schema):
    outline: str = Field("", max_length=80, description="mã đề cương")
    period: str = Field(
        "", max_length=32, description="kỳ: 2023-Q1, 2023-H1, 2023 hoặc 2022-12-15..2023-03-30"
    )


class SaveIn(Schema):
    values: dict[str, str | int | bool | None] = Field(
        default_factory=dict, description="số liệu đơn vị nhập, theo khóa của đề cương"
    )
    narratives: dict[str, str] = Field(
        default_factory=dict, description="phần lời theo khóa của đề cương"
    )


class OutlineReturnIn(Schema):
    reason: str = Field("", max_length=2000)


class FigureOut(Schema):
    key: str
    label: str
    unit: str
    unit_label: str
    source: str
    source_text: str
    value: str | int | bool | None
    text: str


class NarrativeOut(Schema):
    key: str
    label: str
    section: str
    text: str


class CompiledOut(Schema):
    compiled_at: dt.datetime | None
    filed: list[str]
    missing: list[str]


class OutlineReportSummaryOut(Schema):
    id: int
    outline: str
    unit_id: int
    unit_name: str
    period_code: str
    period_label: str
    period_start: dt.date
    period_end: dt.date
    status: str
    status_label: str
    submitted_at: dt.datetime | None
    returned_reason: str


class OutlineReportOut(OutlineReportSummaryOut):
    index_year: int | None
    figures: list[FigureOut]
    narratives: list[NarrativeOut]
    compiled: CompiledOut | None


def _invalid(message: str, field: str | None = None, errors=None):
    items = errors if errors is not None else [{"field": field, "message": message}]
    return Status(422, {"detail": message, "errors": items})


def _entries_invalid(error: services.EntriesInvalid):
    return _invalid(
        "Số liệu chưa hợp lệ, không lưu gì.",
        errors=[{"field": e.key or None, "message": str(e)} for e in error.errors],
    )


def _change(
    request: HttpRequest,
    outline_report_id: int,
    action: str,
    change: Callable[[OutlineReport], OutlineReport],
    *,
    field: str | None = None,
):
    """Fetch the report the user may `action`, then `change` it; a refusal answers 422
    (invalid entries each with its figure, another refusal on `field`)."""
    report = access.report_for(request.user, outline_report_id, action)
    try:
        report = change(report)
    except services.EntriesInvalid as error:
        return _entries_invalid(error)
    except services.ReportError as error:
        return _invalid(str(error), field)
    return _detail(report)


def _summary(report: OutlineReport) -> dict:
    return {
        "id": report.pk,
        "outline": report.outline.code,
        "unit_id": report.unit_id,
        "unit_name": report.unit.name,
        "period_code": report.period_code,
        "period_label": report.period_label,
        "period_start": report.period_start,
        "period_end": report.period_end,
        "status": report.status,
        "status_label": report.get_status_display(),
        "submitted_at": report.submitted_at,
        "returned_reason": report.returned_reason,
    }


def _source_text(spec, fig) -> str:
    if fig.is_measured:
        return MEASURES[fig.measure].source
    if fig.is_computed:
        return f"Tính từ: {fig.numerator} / {fig.denominator}"
    return "Đơn vị nhập"


def _json_value(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


def _detail(report: OutlineReport) -> dict:
    spec = report.outline.spec()
    measured = services.measured_for(report)
    values = services.report_values(report)
    narratives = []
    for _depth, section in spec.walk():
        for block in section.narratives:
            narratives.append(
                {
                    "key": block.key,
                    "label": block.label,
                    "section": section.code,
                    "text": report.narratives.get(block.key, ""),
                }
            )
    compiled = None
    if report.compiled:
        compiled = {
            "compiled_at": report.compiled_at,
            "filed": report.compiled.get("filed", []),
            "missing": report.compiled.get("missing", []),
        }
    return {
        **_summary(report),
        "index_year": measured.index_year,
        "figures": [
            {
                "key": fig.key,
                "label": fig.label,
                "unit": fig.unit,
                "unit_label": UNIT_LABELS[fig.unit],
                "source": fig.source,
                "source_text": _source_text(spec, fig),
                "value": _json_value(values.get(fig.key)),
                "text": format_value(fig, values.get(fig.key)),
            }
            for fig in spec.figures()
        ],
        "narratives": narratives,
        "compiled": compiled,
    }


@router.get("/", response=list[OutlineOut], summary="Các đề cương báo cáo đã nạp")
def outline_list(request: HttpRequest):
    out = []
    for row in Outline.objects.order_by("code"):
        spec = row.spec()
        out.append(
            {
                "code": row.code,
                "name": row.name,
                "structure": row.structure,
                "periods": list(spec.periods),
                "headings": [section.title for _depth, section in spec.walk()],
            }
        )
    return out


@router.get(
    "/units/{unit_id}/reports",
    response=list[OutlineReportSummaryOut],
    summary="Báo cáo theo đề cương của một đơn vị (lọc theo kỳ, đề cương)",
)
def report_list(request: HttpRequest, unit_id: Id, period: str = "", outline: str = ""):
    unit = access.unit_for(request.user, unit_id, "view")
    rows = OutlineReport.objects.filter(unit=unit).select_related("outline", "unit")
    if period:
        try:
            rows = rows.filter(period_code=parse_period(period).code)
        except PeriodError:
            rows = rows.none()
    if outline:
        rows = rows.filter(outline__code=outline)
    return [_summary(r) for r in rows.order_by("-period_end", "outline__code")]


@router.post(
    "/units/{unit_id}/reports",
    response={200: OutlineReportOut, 422: OutlineErrorOut},
    summary="Lập (hoặc mở) báo cáo của đơn vị cho một kỳ bất kỳ",
)
def report_open(request: HttpRequest, unit_id: Id, payload: OpenIn):
    unit = access.unit_for(request.user, unit_id, "open")
    row = Outline.objects.filter(code=payload.outline).first()
    if row is None:
        return _invalid(ERR_OUTLINE.format(code=payload.outline), "outline")
    try:
        period = parse_period(payload.period)
        report = services.report_open(outline=row, unit=unit, period=period, by=request.user)
    except PeriodError as error:
        return _invalid(str(error), "period")
    except services.ReportError as error:
        return _invalid(str(error), "period")
    return _detail(report)


@router.get(
    "/reports/{outline_report_id}",
    response=OutlineReportOut,
    summary="Một báo cáo: mọi số liệu (đo, nhập, tính) và phần lời",
)
def report_detail(request: HttpRequest, outline_report_id: Id):
    return _detail(access.report_for(request.user, outline_report_id, "view"))


@router.patch(
    "/reports/{outline_report_id}",
    response={200: OutlineReportOut, 422: OutlineErrorOut},
    summary="Lưu số liệu đơn vị nhập và phần lời (kiểm tra như trên trang)",
)
def report_save(request: HttpRequest, outline_report_id: Id, payload: SaveIn):
    values = {k: ("" if v is None else v) for k, v in payload.values.items()}
    return _change(
        request,
        outline_report_id,
        "edit",
        lambda report: services.report_save(
            report=report,
            values=values if payload.values else None,
            narratives=payload.narratives if payload.narratives else None,
            by=request.user,
            reason="Cập nhật qua API",
        ),
    )


@router.post(
    "/reports/{outline_report_id}/submit",
    response={200: OutlineReportOut, 422: OutlineErrorOut},
    summary="Gửi báo cáo cấp trên (người đứng đầu)",
)
def report_submit(request: HttpRequest, outline_report_id: Id):
    return _change(
        request,
        outline_report_id,
        "submit",
        lambda report: services.report_submit(report=report, by=request.user),
    )


@router.post(
    "/reports/{outline_report_id}/return",
    response={200: OutlineReportOut, 422: OutlineErrorOut},
    summary="Trả lại báo cáo đã gửi, nêu lý do (đơn vị cấp trên)",
)
def report_return(request: HttpRequest, outline_report_id: Id, payload: OutlineReturnIn):
    return _change(
        request,
        outline_report_id,
        "return",
        lambda report: services.report_return(
            report=report, reason=payload.reason, by=request.user
        ),
        field="reason" if not payload.reason.strip() else None,
    )


@router.post(
    "/reports/{outline_report_id}/compile",
    response={200: OutlineReportOut, 422: OutlineErrorOut},
    summary="Tổng hợp báo cáo đã gửi của các đơn vị trực thuộc",
)
def report_compile(request: HttpRequest, outline_report_id: Id):
    return _change(
        request,
        outline_report_id,
        "edit",
        lambda report: services.report_compile(report=report, by=request.user),
    )
