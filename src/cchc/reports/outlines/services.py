"""State changes of outlines and outline reports: load, open, save, import, submit, return,
compile. Keyword-only arguments, one transaction each; bad input raises and changes nothing.
Permission is checked by the caller (views, API, commands) with ``cchc.units.permissions``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from cchc.core.collation import vn_order
from cchc.core.history import mark_change
from cchc.core.people import Person
from cchc.dossiers.periods import Period, parse_period
from cchc.reports import sources
from cchc.reports.outlines import measures
from cchc.reports.outlines.models import Outline, OutlineReport, OutlineReportStatus
from cchc.reports.outlines.rules import EntryError, aggregate, check_entries, complete_values
from cchc.reports.outlines.spec import dump_outline, load_outline

ERR_IN_USE = (
    "Đề cương {code} đã có báo cáo của đơn vị, không thể thay thế. "
    "Hãy nạp phiên bản mới với mã khác (VD {code}-v2)."
)
ERR_NOT_FOUND = "Không có đề cương mã {code}."
ERR_LOCKED = "Báo cáo đã gửi cấp trên, không sửa được; cấp trên trả lại thì mới sửa tiếp."
ERR_NOT_SUBMITTED = "Báo cáo chưa gửi, không có gì để trả lại."
ERR_REASON = "Phải nêu lý do trả lại báo cáo."
ERR_PERIOD_KIND = "Đề cương {code} không dùng cho kỳ loại «{kind}» (chỉ: {allowed})."
ERR_NO_PARENT = "Đơn vị {unit} không có đơn vị cấp trên để gửi báo cáo."
ERR_NARRATIVE_UNKNOWN = "Mục lời văn «{key}» không có trong đề cương."
ERR_NARRATIVE_LONG = "Phần lời «{label}» dài quá {limit} ký tự."
NARRATIVE_MAX = 20000


class OutlineInUse(ValueError):
    pass


class OutlineNotFound(LookupError):
    pass


class ReportError(ValueError):
    pass


class EntriesInvalid(ValueError):
    """Every problem of an input, so the page or the import shows them all at once."""

    def __init__(self, errors: list[EntryError], *, prefix: str = "") -> None:
        self.errors = errors
        super().__init__("; ".join(f"{prefix}{e}" for e in errors))


# ------------------------------------------------------------------ outlines


def _read(source: str | Path | bytes) -> str:
    if isinstance(source, bytes):
        return source.decode("utf-8-sig")
    if isinstance(source, Path):
        return source.read_text(encoding="utf-8-sig")
    return source


@transaction.atomic
def outline_load(*, source: str | Path | bytes, by: Person | None = None) -> Outline:
    """Validate (spec.load_outline raises OutlineError naming the bad node) and store. An
    outline that reports were filed against is never replaced: load a new code instead."""
    text = _read(source)
    spec = load_outline(text)
    row = Outline.objects.select_for_update().filter(code=spec.code).first()
    if row is not None and row.reports.exists():
        raise OutlineInUse(ERR_IN_USE.format(code=spec.code))
    if row is None:
        row = Outline(code=spec.code)
    row.name = spec.name
    row.structure = spec.structure
    row.source_yaml = text
    row.loaded_at = timezone.now()
    row.loaded_by = by
    row.full_clean()
    row.save()
    return row


def outline_export(code: str) -> str:
    row = Outline.objects.filter(code=code).first()
    if row is None:
        raise OutlineNotFound(ERR_NOT_FOUND.format(code=code))
    return dump_outline(row.spec())


# ------------------------------------------------------------------ one unit's report


def period_of(report: OutlineReport) -> Period:
    return parse_period(report.period_code)


@transaction.atomic
def report_open(
    *, outline: Outline, unit, period: Period | str, by: Person | None = None
) -> OutlineReport:
    """The unit's report on this outline and period, created empty the first time."""
    if isinstance(period, str):
        period = parse_period(period)
    spec = outline.spec()
    if period.kind not in spec.periods:
        raise ReportError(
            ERR_PERIOD_KIND.format(
                code=outline.code, kind=period.kind, allowed=", ".join(spec.periods)
            )
        )
    report, _created = OutlineReport.objects.get_or_create(
        outline=outline,
        unit=unit,
        period_code=period.code,
        defaults={
            "period_start": period.start,
            "period_end": period.end,
            "period_label": period.label,
            "updated_by": by,
        },
    )
    return report


def measured_for(report: OutlineReport, *, today: dt.date | None = None) -> measures.Measured:
    """What a filed report froze, else what CCHC measures now."""
    if report.is_submitted and report.measured:
        frozen = dict(report.measured)
        return measures.Measured(
            values=frozen.get("values", {}),
            index_year=frozen.get("index_year"),
            notes=frozen.get("notes", {}),
        )
    return measures.measure(report.unit, period_of(report), today=today)


def report_values(report: OutlineReport, *, today: dt.date | None = None) -> dict[str, object]:
    """Every figure of the report: measured, entered, and the percentages computed."""
    spec = report.outline.spec()
    measured = measures.figure_values(spec, measured_for(report, today=today))
    return complete_values(spec, {**report.values, **measured})


def report_notes(report: OutlineReport, *, today: dt.date | None = None) -> dict[str, str]:
    """Figure key -> "số liệu từ …" for the measured figures the data covers in part."""
    return measures.figure_notes(report.outline.spec(), measured_for(report, today=today))


def _editable(report: OutlineReport) -> None:
    if report.status == OutlineReportStatus.SUBMITTED:
        raise ReportError(ERR_LOCKED)


def check_narratives(report: OutlineReport, narratives: dict[str, str]) -> dict[str, str]:
    spec = report.outline.spec()
    labels = {n.key: n.label for n in spec.narratives()}
    clean: dict[str, str] = {}
    for key, text in narratives.items():
        if key not in labels:
            raise ReportError(ERR_NARRATIVE_UNKNOWN.format(key=key))
        text = (text or "").replace("\r\n", "\n").strip()
        if len(text) > NARRATIVE_MAX:
            raise ReportError(ERR_NARRATIVE_LONG.format(label=labels[key], limit=NARRATIVE_MAX))
        clean[key] = text
    return clean


@transaction.atomic
def report_save(
    *,
    report: OutlineReport,
    values: dict[str, object] | None = None,
    narratives: dict[str, str] | None = None,
    by: Person | None = None,
    reason: str = "Cập nhật trên trang",
) -> OutlineReport:
    """Save entered figures and narrative; every error at once, nothing saved on error."""
    report = OutlineReport.objects.select_for_update().get(pk=report.pk)
    _editable(report)
    spec = report.outline.spec()
    period = period_of(report)
    if values is not None:
        measured = measures.figure_values(spec, measured_for(report))
        clean, errors = check_entries(
            spec, values, start=period.start, end=period.end, measured=measured
        )
        if errors:
            raise EntriesInvalid(errors)
        report.values = {**report.values, **clean}
    if narratives is not None:
        report.narratives = {**report.narratives, **check_narratives(report, narratives)}
    report.updated_by = by
    report.change_reason = reason[:300]
    mark_change(report, reason)
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def report_submit(
    *, report: OutlineReport, by: Person, today: dt.date | None = None
) -> OutlineReport:
    """The head files the report with the level above: every entered figure must be there
    and pass the checks; the measured figures are frozen as filed."""
    report = OutlineReport.objects.select_for_update().get(pk=report.pk)
    _editable(report)
    if report.unit.parent_id is None:
        raise ReportError(ERR_NO_PARENT.format(unit=report.unit.name))
    spec = report.outline.spec()
    period = period_of(report)
    measured = measures.measure(report.unit, period, today=today)
    clean, errors = check_entries(
        spec,
        report.values,
        start=period.start,
        end=period.end,
        measured=measures.figure_values(spec, measured),
        require_all=True,
    )
    if errors:
        raise EntriesInvalid(errors)
    report.measured = {
        "values": measured.values,
        "index_year": measured.index_year,
        "notes": measured.notes,
    }
    report.status = OutlineReportStatus.SUBMITTED
    report.submitted_at = timezone.now()
    report.submitted_by = by
    report.returned_reason = ""
    report.updated_by = by
    report.change_reason = "Gửi cấp trên"
    mark_change(report, "Gửi cấp trên")
    report.save()
    return report


@transaction.atomic
def report_return(*, report: OutlineReport, reason: str, by: Person) -> OutlineReport:
    """The upper unit sends a filed report back, with its reason (kept in the history)."""
    reason = (reason or "").strip()
    if not reason:
        raise ReportError(ERR_REASON)
    report = OutlineReport.objects.select_for_update().get(pk=report.pk)
    if report.status != OutlineReportStatus.SUBMITTED:
        raise ReportError(ERR_NOT_SUBMITTED)
    report.status = OutlineReportStatus.RETURNED
    report.returned_reason = reason
    report.updated_by = by
    report.change_reason = f"Trả lại: {reason}"[:300]
    mark_change(report, f"Trả lại: {reason}")
    report.save()
    return report


# ------------------------------------------------------------------ compiling


def children_in_period(unit, period: Period) -> list:
    """The units under ``unit`` that existed in the period, in Vietnamese order (the one
    collation of core.collation: "Đ" after "D", "Ân" after "Anh")."""
    return vn_order(sources.children_in(unit, period), "kind", "name")


def children_of(report: OutlineReport) -> list:
    return children_in_period(report.unit, period_of(report))


@transaction.atomic
def report_compile(*, report: OutlineReport, by: Person | None = None) -> OutlineReport:
    """Compile the submitted reports of the units under the report's unit, for the same
    outline and period. What the upper unit entered and wrote itself is not touched;
    compiling again after more units file replaces only the compilation."""
    report = OutlineReport.objects.select_for_update().get(pk=report.pk)
    _editable(report)
    spec = report.outline.spec()
    children = children_of(report)
    filed_rows = {
        r.unit_id: r
        for r in OutlineReport.objects.filter(
            outline=report.outline,
            period_code=report.period_code,
            unit__in=children,
            status=OutlineReportStatus.SUBMITTED,
        ).select_related("unit")
    }
    filed: list[tuple[str, dict[str, object]]] = []
    missing: list[str] = []
    narratives: dict[str, list[tuple[str, str]]] = {}
    for child in children:
        row = filed_rows.get(child.pk)
        if row is None:
            missing.append(child.name)
            continue
        values = report_values(row)
        filed.append((child.name, {f.key: values.get(f.key) for f in spec.figures()}))
        for key, text in row.narratives.items():
            if text:
                narratives.setdefault(key, []).append((child.name, text))
    compiled = aggregate(spec, filed, missing)
    report.compiled = {
        "filed": list(compiled.filed),
        "missing": list(compiled.missing),
        "figures": {
            key: {
                "value": agg.value,
                "of": agg.of,
                "items": [list(i) for i in agg.items],
                "no_data": list(agg.no_data),
            }
            for key, agg in compiled.figures.items()
        },
        "per_unit": [[name, values] for name, values in compiled.per_unit],
        "narratives": {k: [list(i) for i in v] for k, v in narratives.items()},
    }
    report.compiled_at = timezone.now()
    report.updated_by = by
    report.change_reason = f"Tổng hợp: {len(filed)} đơn vị đã gửi, {len(missing)} chưa gửi"
    mark_change(report, report.change_reason)
    report.save()
    return report


ERR_IMPORT_ROW = "Trang «Số liệu», dòng {row} — "


def report_import_xlsx(
    *, report: OutlineReport, data: bytes, by: Person | None = None
) -> OutlineReport:
    """A filled workbook, with the same checks as the page; refused whole on any error."""
    from cchc.reports.outlines.xlsx import WorkbookError, read_workbook

    spec = report.outline.spec()
    try:
        filled = read_workbook(data, spec)
    except WorkbookError as error:
        raise EntriesInvalid([EntryError("", "Tệp XLSX", e) for e in error.errors]) from None
    try:
        return report_save(
            report=report,
            values=filled.values,
            narratives=filled.narratives,
            by=by,
            reason="Nhập từ tệp XLSX",
        )
    except EntriesInvalid as error:
        located = [
            EntryError(
                e.key,
                (ERR_IMPORT_ROW.format(row=filled.rows[e.key]) if e.key in filled.rows else "")
                + e.label,
                e.message,
            )
            for e in error.errors
        ]
        raise EntriesInvalid(located) from None


def compiled_aggregates(report: OutlineReport):
    """The stored compilation as rules.Aggregate objects, keyed by figure."""
    from cchc.reports.outlines.rules import Aggregate

    data = report.compiled or {}
    missing = tuple(data.get("missing", ()))
    return {
        key: Aggregate(
            key=key,
            value=agg.get("value"),
            of=agg.get("of", 0),
            items=tuple(tuple(i) for i in agg.get("items", ())),
            no_data=tuple(agg.get("no_data", ())),
            missing=missing,
        )
        for key, agg in data.get("figures", {}).items()
    }
