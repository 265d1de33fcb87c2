"""From a stored outline report to its document and files, through the existing writers
(``reports.document``, ``docx_writer``, ``pdf_writer``) and frame (``reports.sources``)."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from cchc.core.formatting import vn_date
from cchc.core.people import Person
from cchc.documents.document import AdministrativeDocument
from cchc.reports import generate, kinds, sources
from cchc.reports.builders.common import snapshot
from cchc.reports.outlines import measures, services
from cchc.reports.outlines.builder import OutlineDocumentData, build_outline_document
from cchc.reports.outlines.models import OutlineReport, OutlineReportFile
from cchc.reports.outlines.rules import complete_values
from cchc.reports.wording import in_sentence, period_phrase, period_range

# What "the units" are called in "2/3 xã", by the upper unit's kind.
UNIT_WORDS = {
    "province": "đơn vị cấp xã",
    "city": "đơn vị cấp xã",
    "district": "xã, thị trấn",
}


def plan_cite(unit, year: int) -> str:
    """The unit's issued plan of the year, cited with its number and date."""
    from cchc.plans.models import Plan, PlanState

    plan = Plan.objects.filter(unit=unit, year=year, state=PlanState.ISSUED).order_by("-pk").first()
    if plan is None or not plan.number:
        return ""
    when = f" ngày {vn_date(plan.issued_on)}" if plan.issued_on else ""
    number = plan.number.strip()
    ref = number if number.lower().startswith("kế hoạch") else f"Kế hoạch số {number}"
    return (
        f"{ref}{when} của UBND {in_sentence(unit.name)} về {plan.title[:1].lower()}{plan.title[1:]}"
    )


def document_for(report: OutlineReport, *, today: dt.date | None = None) -> AdministrativeDocument:
    today = today or timezone.localdate()
    unit = report.unit
    spec = report.outline.spec()
    period = services.period_of(report)
    measured = services.measured_for(report, today=today)
    values = services.report_values(report, today=today)
    defaults = sources.frame_defaults(unit, kinds.BY_CODE["unit_annual"])
    fields = sources.FrameFields(
        **{**defaults, "number": report.number, "issued_on": report.issued_on}
    )
    frame = sources.make_frame(unit, fields, year=today.year)
    year = period.end.year
    context = {
        "year": year,
        "next_year": year + 1,
        "previous_year": year - 1,
        "period": period_phrase(period),
        "unit": in_sentence(unit.name),
    }
    compiled = None
    filed: list[str] = []
    missing: list[str] = []
    per_unit: list[tuple[str, dict]] = []
    if report.compiled:
        compiled = services.compiled_aggregates(report)
        filed = list(report.compiled.get("filed", []))
        missing = list(report.compiled.get("missing", []))
        per_unit = [(n, complete_values(spec, v)) for n, v in report.compiled.get("per_unit", [])]
    data = OutlineDocumentData(
        outline=spec,
        context=context,
        period_range=period_range(period),
        values=values,
        narratives=report.narratives,
        index_year=measured.index_year,
        plan_cite=plan_cite(unit, year),
        compiled=compiled,
        filed=filed,
        missing=missing,
        per_unit=per_unit,
        unit_word=UNIT_WORDS.get(unit.kind, "đơn vị"),
        notes=measures.figure_notes(spec, measured),
    )
    return build_outline_document(frame, data)


def file_name(report: OutlineReport, fmt: str) -> str:
    safe_period = report.period_code.replace("..", "_")
    return f"{generate.ascii_slug(report.outline.code)}_{generate.ascii_slug(report.unit.name)}_{safe_period}.{fmt}"


def report_generate(
    *, report: OutlineReport, fmt: str, by: Person | None = None
) -> OutlineReportFile:
    """Render and keep the file (files are never deleted), with the figures it printed."""
    doc = document_for(report)
    data = generate.render(doc, fmt)
    with transaction.atomic():
        row = OutlineReportFile(
            report=report,
            format=fmt,
            generated_by=by,
            checksum=generate.checksum(data),
            size=len(data),
            figures=snapshot(doc),
        )
        row.file.save(file_name(report, fmt), ContentFile(data), save=False)
        row.save()
    return row
