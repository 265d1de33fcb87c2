"""Where a report's figures come from: the adapters from the other apps' selectors to the
plain data the builders take. Nothing here formats or rounds; nothing is typed by a person.

- dossiers: ``cchc.dossiers.selectors`` (unit_stats, stats_by_unit, stats_by_field,
  monthly_trend), form 06 of TT 01/2020;
- PAR index: ``cchc.evaluations.selectors`` (cycle_results_by_unit, unit_result,
  unit_comparison) for published cycles only;
- plans, inspections, civil service: ``cchc.plans`` (rules, selectors).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from django.db.models import Q

from cchc.core.collation import vn_order
from cchc.core.coverage import DOSSIERS
from cchc.core.formatting import vn_day_month
from cchc.core.people import Person, author
from cchc.core.selectors import coverage_by_unit, data_coverage
from cchc.documents.document import Signature
from cchc.dossiers import selectors as dossier_selectors
from cchc.dossiers.periods import (
    Period,
    PeriodError,
    counted,
    months_in,
    period_for,
    reporting_month_of,
    vn_today,
)
from cchc.dossiers.stats import TOTAL_KEY, UnitStats
from cchc.reports import kinds
from cchc.reports.builders.area_annual import AreaAnnualData, FilingLine, OwnIndex
from cchc.reports.builders.area_index import AreaIndex
from cchc.reports.builders.common import Frame
from cchc.reports.builders.dossier_section import Archived, DossierFigures
from cchc.reports.builders.index_results import IndexResultsData
from cchc.reports.builders.index_section import IndexFigures
from cchc.reports.builders.self_inspection import ComponentFindings, SelfInspectionData
from cchc.reports.builders.tt01_form import FormData
from cchc.reports.builders.unit_periodic import UnitPeriodData
from cchc.reports.models import Report
from cchc.reports.plan_sources import (
    area_inspections,
    plan_figures,
    staff_figures,
    unit_inspections,
)
from cchc.reports.wording import (
    SIGN_AUTHORITY,
    SIGN_TITLE,
    UBND_KINDS,
    document_ref,
    issuer_lines,
    official_title,
    period_phrase,
    period_range,
    place_name,
    symbol_for,
)
from cchc.units import naming
from cchc.units import roles as R
from cchc.units.models import Unit, UnitKind

if TYPE_CHECKING:
    from cchc.evaluations.models import Cycle
    from cchc.plans.models import Inspection

ERR_NO_PUBLISHED_CYCLE = "Chưa có kỳ đánh giá Chỉ số CCHC năm {year} đã công bố cho đơn vị {unit}."
ERR_NO_INSPECTION = (
    "Đơn vị {unit} chưa có đợt tự kiểm tra CCHC năm {year} trên hệ thống (no self-inspection)."
)
ERR_FORM_ARCHIVED = (
    "Chưa có số liệu (đã lưu trữ): biểu số liệu kỳ {range} cần từng hồ sơ năm {years}, đã "
    "tách khỏi bảng hồ sơ. Gắn lại năm đó (cchc dossiers unarchive-year) rồi lập biểu."
)
ERR_INSPECTION_NOT_SELF = "Đợt kiểm tra «{title}» không phải đợt tự kiểm tra của đơn vị {unit}."

# What the rank of a unit counts, by the unit's kind ("xếp thứ 9/20 xã, thị trấn").
BLOCK_WORDS = {
    "commune": "xã, thị trấn",
    "town": "xã, thị trấn",
    "ward": "xã, phường",
    "special_zone": "xã, phường, đặc khu",
    "district": "huyện, thị xã, thành phố",
    "department": "sở, ban, ngành",
}
AREA_WORDS = {
    "province": "đơn vị cấp xã và sở, ngành",
    "district": "xã, thị trấn",
}


class SourceError(ValueError):
    """A report that cannot be built: the data it needs is not there."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


# ------------------------------------------------------------------ frame


def level_word(unit: Unit) -> str:
    """'thành phố' for Thành phố Hải Phòng or Thành phố Chí Linh, 'xã', 'phường': from the
    unit's administrative type (cchc.units.naming), not from its kind."""
    return naming.type_word(unit)


def head_name(unit: Unit) -> str:
    """The unit's head (Chủ tịch) as recorded in the system, for the signature block."""
    from cchc.units.models import Profile

    profile = (
        Profile.objects.filter(unit=unit, roles__role=R.HEAD)
        .order_by("pk")
        .only("full_name")
        .first()
    )
    return profile.full_name if profile else ""


def default_recipients(unit: Unit) -> list[str]:
    """Nơi nhận of a unit's report to the level above (ND 30/2020 Phụ lục I mục 9)."""
    parent = unit.parent
    out: list[str] = []
    if unit.kind in UBND_KINDS and unit.kind not in ("province",):
        if parent is not None:
            out.append(f"{naming.authority_name(parent)} (để báo cáo)")
            if parent.kind == UnitKind.PROVINCE:
                out.append("Sở Nội vụ")
            else:
                out.append(f"Phòng Nội vụ {naming.in_sentence(parent)}")
        out.append(f"Lãnh đạo UBND {level_word(unit)}")
        if unit.kind == UnitKind.DISTRICT:
            out.append("UBND các xã, thị trấn")
    elif unit.kind == UnitKind.PROVINCE:
        # A centrally-run city reports to its Thành ủy and HĐND thành phố, a province to
        # its Tỉnh ủy and HĐND tỉnh.
        out += [
            "Bộ Nội vụ (để báo cáo)",
            f"Thường trực {naming.party_committee(unit)}, {naming.council(unit)}",
            "Các sở, ban, ngành",
            "UBND cấp xã",
        ]
    else:
        if parent is not None:
            out.append(f"{naming.authority_name(parent)} (để báo cáo)")
            out.append("Sở Nội vụ")
        out.append("Lãnh đạo đơn vị")
    return out


def frame_defaults(unit: Unit, kind: kinds.ReportKind) -> dict[str, str]:
    """What a new Report of this unit starts with; the officer may change each."""
    ubnd = unit.kind in UBND_KINDS
    return {
        "symbol": symbol_for(kind.symbol_prefix, unit.name, unit.kind),
        "place": place_name(
            unit.name if ubnd else (unit.parent.name if unit.parent else unit.name)
        ),
        "recipients": "\n".join(default_recipients(unit)),
        "archive": "VT",
        "signer_authority": SIGN_AUTHORITY if ubnd else "",
        "signer_title": SIGN_TITLE if ubnd else "GIÁM ĐỐC",
        "signer_name": head_name(unit),
    }


def draft_report(
    unit: Unit,
    kind: kinds.ReportKind,
    period: Period,
    *,
    by: Person | None,
    subject: str = "",
    cycle: Cycle | None = None,
    inspection: Inspection | None = None,
    defaults: dict[str, str] | None = None,
) -> Report:
    """A new draft Report (unsaved) of the unit, kind and period, with the frame defaults
    (`defaults`: frame_defaults(unit, kind) already read, for many reports of one unit)."""
    return Report(
        kind=kind.code,
        unit=unit,
        period_code=period.code,
        period_start=period.start,
        period_end=period.end,
        year=period.end.year,
        subject=subject,
        cycle=cycle,
        inspection=inspection,
        created_by=author(by),
        **(frame_defaults(unit, kind) if defaults is None else defaults),
    )


@dataclass(frozen=True)
class FrameFields:
    """The editable parts of the frame (from a Report row or the defaults)."""

    number: str = ""
    symbol: str = ""
    issued_on: dt.date | None = None
    place: str = ""
    recipients: str = ""
    archive: str = "VT"
    signer_authority: str = ""
    signer_title: str = ""
    signer_name: str = ""


def make_frame(unit: Unit, fields: FrameFields, *, year: int) -> Frame:
    parent = unit.parent
    issuer_parent, issuer = issuer_lines(unit.name, unit.kind, parent.name if parent else None)
    authority = tuple(
        line.strip() for line in (fields.signer_authority or "").split("\n") if line.strip()
    )
    ubnd = unit.kind in UBND_KINDS
    return Frame(
        unit_name=unit.name,
        unit_kind=unit.kind,
        issuer=issuer,
        issuer_parent=issuer_parent,
        level_word=level_word(unit),
        place=fields.place or place_name(unit.name),
        date=fields.issued_on,
        year=fields.issued_on.year if fields.issued_on else year,
        number=fields.number or None,
        symbol=fields.symbol,
        recipients=tuple(
            line.strip() for line in (fields.recipients or "").split("\n") if line.strip()
        ),
        archive=fields.archive or "VT",
        signature=Signature(
            authority=authority, title=fields.signer_title, name=fields.signer_name
        ),
        author=naming.authority_name(unit) if ubnd else unit.name,
    )


# ------------------------------------------------------------------ units


def units_existing_in(queryset, period: Period):
    """Units that existed at some point of the period (historical units stop at valid_to)."""
    return queryset.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=period.end),
        Q(valid_to__isnull=True) | Q(valid_to__gte=period.start),
    )


def children_in(unit: Unit, period: Period) -> list[Unit]:
    return vn_order(units_existing_in(unit.children.all(), period), "kind", "name")


# ------------------------------------------------------------------ dossiers


def same_period_last_year(period: Period) -> Period | None:
    end = period.full_end or period.end  # a counted period is named by its own end
    year = end.year - 1
    if period.kind == "year":
        return period_for("year", year)
    if period.kind == "half":
        return period_for("half", year, 1 if end.month <= 6 else 2)
    if period.kind == "quarter":
        return period_for("quarter", year, end.month // 3)
    if period.kind == "month":
        return period_for("month", year, end.month)
    return None


def _counted_a_year_back(last: Period, period: Period) -> Period:
    """Last year's same period, cut at the same day a year earlier when this one is cut, so
    the comparison counts like with like."""
    if period.as_of is None or period.full_end is None or period.end >= period.full_end:
        return counted(last, last.end)
    day = period.end
    try:
        back = day.replace(year=day.year - 1)
    except ValueError:  # 29/2
        back = day.replace(year=day.year - 1, day=28)
    return counted(last, max(back, last.start))


def month_label(month: Period) -> str:
    """'T1/2023': short enough for twelve labels under a chart. The reporting month is the
    one the month's first day falls in (a month counted to 20/11 is T12, 15/11–14/12), and a
    month counted short says to which day ('T12/2026 (đến 6/12)'): its bar is not a whole
    month's."""
    year, number = reporting_month_of(month.start)
    label = f"T{number}/{year}"
    if month.end < period_for("month", year, number).end:
        label += f" (đến {vn_day_month(month.end)})"
    return label


def _relabel(stats: UnitStats, label: str) -> UnitStats:
    return UnitStats(label, *stats._counts())


def _covered_month(coverage, month: Period) -> bool:
    """A month outside the data's dates is left out of a trend chart: its 0 would stand
    for missing data."""
    return any(span.start <= month.end and span.end >= month.start for span in coverage.spans)


T = TypeVar("T")


class ArchivedReads:
    """The one place a report meets archived dossiers: every dossier figure of a report is
    read through ``read``. A figure that needs the rows of a year taken out of the dossier
    table (dossiers.partitions.archive_year: selectors.ArchivedPeriod; PostgreSQL only, so
    SQLite never gets here) comes back as None, printed "chưa có số liệu (đã lưu trữ)" and
    never as 0, and its years are kept for the section to name. Figures from the monthly
    summary (whole reporting months) are still read as before."""

    def __init__(self) -> None:
        self.years: set[int] = set()

    def read(self, figure: Callable[..., T], *args, **kwargs) -> T | None:
        try:
            return figure(*args, **kwargs)
        except dossier_selectors.ArchivedPeriod as archived:
            self.years.update(archived.years)
            return None

    def trend(
        self, unit: Unit, period: Period, *, include_descendants: bool = False
    ) -> tuple[list[tuple[Period, UnitStats]], list[Period]]:
        """selectors.monthly_trend month by month: (the months read, the months archived)."""
        read, archived = [], []
        for month in months_in(period):
            stats = self.read(
                dossier_selectors.unit_stats, unit, month, include_descendants=include_descendants
            )
            if stats is None:
                archived.append(month)
            else:
                read.append((month, stats))
        return read, archived


def _months(coverage, trend: list[tuple[Period, UnitStats]]) -> list[tuple[str, UnitStats]]:
    return [(month_label(m), stats) for m, stats in trend if _covered_month(coverage, m)]


def unit_dossiers(
    unit: Unit, period: Period, *, compare: bool = True, trend: bool = True
) -> DossierFigures:
    """A unit's own dossiers: the table per field, the trend per month, last year's figure.

    The printed total is the total of the per-field rows (the same dossiers as unit_stats,
    which the tests check), so the table and the sentences always agree. Per field needs
    the dossier rows: when they are archived, the total is the unit's statistics (from the
    monthly summary when the period is whole reporting months) and the table says so.
    """
    archive = ArchivedReads()
    by_field = archive.read(dossier_selectors.stats_by_field, unit, period)
    if by_field is not None:
        total: UnitStats | None = by_field.pop(TOTAL_KEY)
    else:
        total = archive.read(dossier_selectors.unit_stats, unit, period)
    coverage = data_coverage(unit, DOSSIERS, period.start, period.end, descendants=True)
    trend_rows, archived_months = archive.trend(unit, period) if trend else ([], [])
    previous = None
    previous_label = ""
    previous_coverage = None
    last = same_period_last_year(period) if compare else None
    if last is not None:
        last = _counted_a_year_back(last, period)
        previous = archive.read(dossier_selectors.unit_stats, unit, last)
        previous_label = f"cùng kỳ {period_phrase(last)}"
        previous_coverage = data_coverage(unit, DOSSIERS, last.start, last.end, descendants=True)
    return DossierFigures(
        coverage=coverage,
        previous_coverage=previous_coverage,
        stats=_relabel(total, unit.name) if total is not None else None,
        period_range=period_range(period),
        rows=[(label, stats) for label, stats in (by_field or {}).items()],
        row_heading="Lĩnh vực",
        months=_months(coverage, trend_rows),
        previous=previous,
        previous_label=previous_label,
        archived=Archived.of(
            archive.years,
            rows=by_field is None,
            previous=last is not None and previous is None,
            months=[month_label(m) for m in archived_months],
        ),
    )


def area_dossiers(
    unit: Unit, period: Period, children: list[Unit], *, trend: bool = True
) -> DossierFigures:
    """An area: the unit's own desk, then each unit under it with everything below it."""
    archive = ArchivedReads()
    own = archive.read(dossier_selectors.unit_stats, unit, period)
    per_child = archive.read(
        dossier_selectors.stats_by_unit, children, period, include_descendants=True
    )
    rows: list[tuple[str, UnitStats]] = []
    total = None
    if own is not None and per_child is not None:
        child_total = per_child.pop(TOTAL_KEY)
        if own.carried_over + own.received_total:
            rows.append((f"{unit.name} (Bộ phận Một cửa)", own))
        rows += [(child.name, per_child[child.code]) for child in children]
        total = own + child_total  # disjoint: the unit's own desk is under no child
    trend_rows, archived_months = (
        archive.trend(unit, period, include_descendants=True) if trend else ([], [])
    )
    coverage = data_coverage(unit, DOSSIERS, period.start, period.end, descendants=True)
    # Which units hold data for the period (cchc.core.coverage): a unit without data is
    # "chưa có số liệu" in the annex, never a row of zeros.
    by_child = coverage_by_unit(children, DOSSIERS, period.start, period.end)
    with_data = sum(1 for c in by_child.values() if c.has_data)
    return DossierFigures(
        coverage=coverage,
        row_coverage={child.name: by_child[child.pk] for child in children},
        units_note=(
            f"số liệu của {with_data}/{len(children)} đơn vị"
            if children and with_data < len(children)
            else ""
        ),
        stats=_relabel(total, unit.name) if total is not None else None,
        period_range=period_range(period),
        rows=rows,
        row_heading="Đơn vị",
        months=_months(coverage, trend_rows),
        archived=Archived.of(
            archive.years, rows=total is None, months=[month_label(m) for m in archived_months]
        ),
    )


# ------------------------------------------------------------------ PAR index


def _decision(cycle) -> str:
    if not cycle.decision_no:
        return ""
    from cchc.core.formatting import vn_date

    when = f" ngày {vn_date(cycle.decision_date)}" if cycle.decision_date else ""
    # A căn cứ names its issuing body (ND 30/2020): the organiser's People's Committee.
    body = f" của {naming.authority_name(cycle.organiser)}" if cycle.organiser_id else ""
    return f"{document_ref(cycle.decision_no)}{when}{body}"


def published_cycle_unit(unit: Unit, year: int):
    from cchc.evaluations.models import CycleState, CycleUnit

    return (
        CycleUnit.objects.filter(unit=unit, cycle__year=year, cycle__state=CycleState.PUBLISHED)
        .select_related("cycle", "cycle__framework", "unit")
        .order_by("-cycle__published_at", "-cycle__pk")
        .first()
    )


def unit_index(unit: Unit, year: int) -> IndexFigures | None:
    """The unit's published result of that year, with the comparison to its previous one."""
    from cchc.evaluations import selectors as ev

    cycle_unit = published_cycle_unit(unit, year)
    if cycle_unit is None:
        return None
    cycle = cycle_unit.cycle
    pairs = ev.cycle_results_by_unit(cycle)
    result = next(r for cu, r in pairs if cu.pk == cycle_unit.pk)
    block = [(r.unit, r.index) for cu, r in pairs if cu.block == cycle_unit.block]
    comparison = ev.unit_comparison(cycle_unit)
    previous = ev.previous_cycle_unit(cycle_unit)
    return IndexFigures(
        framework=cycle.framework.spec(),
        result=result,
        year=cycle.year,
        cycle_name=official_title(cycle.name),
        decision=_decision(cycle),
        block_label=cycle_unit.block.lower()
        if cycle_unit.block
        else BLOCK_WORDS.get(unit.kind, ""),
        comparison=comparison,
        previous_year=previous.cycle.year if previous else None,
        block_results=block,
        unit_label=result.unit,
    )


def published_cycle_for_area(unit: Unit, year: int, *, cycle=None):
    """The published cycle of that year that evaluates the units under ``unit``: the one it
    organises, else the one with most of its units."""
    from django.db.models import Count

    from cchc.evaluations.models import Cycle, CycleState

    if cycle is not None:
        return cycle
    published = Cycle.objects.filter(year=year, state=CycleState.PUBLISHED).select_related(
        "framework", "organiser"
    )
    own = published.filter(organiser=unit).order_by("-published_at", "-pk").first()
    if own is not None:
        return own
    return (
        published.filter(cycle_units__unit__path__startswith=unit.path)
        .exclude(cycle_units__unit=unit, organiser__path__startswith=unit.path)
        .annotate(n=Count("cycle_units"))
        .order_by("-n", "-pk")
        .first()
    )


def _area_results(cycle, unit: Unit) -> list:
    from cchc.evaluations import selectors as ev

    return [
        result
        for cycle_unit, result in ev.cycle_results_by_unit(cycle)
        if cycle_unit.unit.path.startswith(unit.path) and cycle_unit.unit_id != unit.pk
    ]


def area_index(unit: Unit, year: int, *, cycle=None) -> AreaIndex | None:
    from cchc.evaluations.models import Cycle, CycleState

    cycle = published_cycle_for_area(unit, year, cycle=cycle)
    if cycle is None:
        return None
    results = _area_results(cycle, unit)
    if not results:
        return None
    previous_cycle = (
        Cycle.objects.filter(
            organiser=cycle.organiser, year__lt=cycle.year, state=CycleState.PUBLISHED
        )
        .select_related("framework")
        .order_by("-year", "-pk")
        .first()
    )
    previous = _area_results(previous_cycle, unit) if previous_cycle else []
    return AreaIndex(
        framework=cycle.framework.spec(),
        year=cycle.year,
        cycle_name=official_title(cycle.name),
        results=results,
        decision=_decision(cycle),
        unit_word=AREA_WORDS.get(unit.kind, "đơn vị"),
        previous=previous,
        previous_framework=previous_cycle.framework.spec() if previous_cycle else None,
        previous_year=previous_cycle.year if previous_cycle else None,
    )


def own_index(unit: Unit, year: int) -> OwnIndex | None:
    fig = unit_index(unit, year)
    if fig is None:
        return None
    cmp = fig.comparison
    prev_index = (
        fig.result.index - cmp.delta_index
        if cmp is not None and cmp.delta_index is not None
        else None
    )
    r = fig.result
    return OwnIndex(
        index=r.index,
        previous_index=prev_index,
        previous_year=fig.previous_year,
        rank=f"{r.rank.rank}/{r.rank.of} {fig.block_label}".strip(),
        grade=r.grade.label if r.grade else None,
    )


def self_inspection(unit: Unit, year: int, *, inspection=None):
    from cchc.plans.models import Inspection

    if inspection is None:
        inspection = (
            Inspection.objects.filter(organiser=unit, kind=Inspection.Kind.SELF, year=year)
            .order_by("-start_on", "-pk")
            .first()
        )
        if inspection is None:
            raise SourceError(
                ERR_NO_INSPECTION.format(unit=unit.name, year=year), code="no_inspection"
            )
    elif inspection.organiser_id != unit.pk or not inspection.is_self:
        raise SourceError(
            ERR_INSPECTION_NOT_SELF.format(title=inspection.title, unit=unit.name),
            code="not_self",
        )
    return inspection


# TTHC component of the CCHC areas: where the dossier figures are printed (seed 002 §2.3).
TTHC_COMPONENT_CODES = {"3", "tthc"}


def self_inspection_data(unit: Unit, inspection) -> SelfInspectionData:
    from cchc.dossiers.periods import custom_period
    from cchc.plans.models import Component, Finding

    components = list(Component.objects.all().order_by("order", "code"))
    findings = list(inspection.findings.select_related("component"))
    recs = list(inspection.recommendations.select_related("component", "finding__component"))
    out = []
    for comp in components:
        mine = [f for f in findings if f.component_id == comp.pk]
        comp_recs = [
            r
            for r in recs
            if (r.component_id or (r.finding.component_id if r.finding_id else None)) == comp.pk
        ]
        is_tthc = comp.code.lower() in TTHC_COMPONENT_CODES or "thủ tục" in comp.name.lower()
        out.append(
            ComponentFindings(
                label=comp.name,
                results=[f.text for f in mine if f.kind == Finding.Kind.RESULT],
                shortcomings=[f.text for f in mine if f.kind == Finding.Kind.SHORTCOMING],
                recommendations=[(r.text, r.due_on) for r in comp_recs],
                is_tthc=is_tthc,
            )
        )
    loose = [r for r in recs if not r.component_id and not r.finding_id]
    if loose:
        out.append(
            ComponentFindings(
                "Kiến nghị chung", recommendations=[(r.text, r.due_on) for r in loose]
            )
        )
    # Seed 002: the dossier figures "trong kỳ báo cáo" — the reporting year up to the end
    # of the inspection.
    year_period = period_for("year", inspection.year)
    end = min(inspection.end_on, year_period.end)
    dossiers = None
    if end >= year_period.start:
        span = custom_period(year_period.start, end)
        dossiers = unit_dossiers(unit, span, compare=False)
    decision = document_ref(inspection.decision_no)
    if decision and inspection.decision_date:
        from cchc.core.formatting import vn_date

        decision = f"{decision} ngày {vn_date(inspection.decision_date)}"
    return SelfInspectionData(
        year=inspection.year,
        title=inspection.title,
        inspecting_body=inspection.inspecting_body,
        decision=decision,
        start=inspection.start_on,
        end=inspection.end_on,
        members=inspection.member_list,
        conclusion=inspection.conclusion,
        components=out,
        report_due_on=inspection.report_due_on,
        dossiers=dossiers,
    )


# ------------------------------------------------------------------ filing


def filing_lines(unit: Unit, year: int, today: dt.date) -> list[FilingLine]:
    from cchc.reports.filing import filing_matrix

    matrix = filing_matrix(unit, year, today=today)
    out = []
    for index, column in enumerate(matrix.columns):
        cells = [row.cells[index] for row in matrix.rows]
        out.append(
            FilingLine(
                label=column.label,
                on_time=sum(1 for c in cells if c.status == "on_time"),
                late=sum(1 for c in cells if c.status == "late"),
                missing=sum(1 for c in cells if c.status == "missing"),
                not_due=sum(1 for c in cells if c.status == "not_due"),
                expected=len(cells),
            )
        )
    return out


# ------------------------------------------------------------------ per kind


@dataclass
class Inputs:
    """What a report of a kind is built from; filled by gather()."""

    kind: kinds.ReportKind
    unit: Unit
    period: Period
    cycle: object | None = None
    inspection: object | None = None
    # The as-of day (Vietnam time): nothing after it is counted (periods.counted).
    today: dt.date = field(default_factory=vn_today)


def gather(inputs: Inputs):
    """The plain data of the report, per kind. Raises SourceError when it cannot be built."""
    kind, unit = inputs.kind, inputs.unit
    try:
        # One period, one clock: the report counts what the statistics page and the QĐ 766
        # page count for the same selection and day (a report made on 6/12 for a quarter
        # ending 14/12 counts to 6/12 and judges overdue on 6/12).
        figures = counted(inputs.period, inputs.today)
    except PeriodError as error:
        raise SourceError(str(error), code="period") from None
    period = inputs.period  # names the report (headings, "next period")
    year = period.end.year
    as_of = figures.end
    if kind.code in ("unit_quarterly", "unit_half_year", "unit_annual"):
        annual = period.kind == "year"
        return UnitPeriodData(
            period=period,
            dossiers=unit_dossiers(unit, figures),
            plan=plan_figures(unit, year, as_of=as_of),
            inspections=unit_inspections(unit, figures),
            index=unit_index(unit, year) if annual else None,
            staff=staff_figures(unit, year) if annual else None,
        )
    if kind.code == "province_annual":
        children = children_in(unit, period)
        return AreaAnnualData(
            period=period,
            dossiers=area_dossiers(unit, figures, children),
            units_total=len(children),
            unit_word=AREA_WORDS.get(unit.kind, "đơn vị"),
            area_index=area_index(unit, year, cycle=inputs.cycle),
            own_index=own_index(unit, year),
            inspections=area_inspections(unit, year, figures),
            filing=filing_lines(unit, year, inputs.today),
            plan=plan_figures(unit, year, as_of=as_of),
            next_plan=plan_figures(unit, year + 1, as_of=as_of),
        )
    if kind.code == "index_results":
        area = area_index(unit, year, cycle=inputs.cycle)
        if area is None:
            raise SourceError(
                ERR_NO_PUBLISHED_CYCLE.format(year=year, unit=unit.name), code="no_cycle"
            )
        return IndexResultsData(area=area)
    if kind.code == "self_inspection":
        inspection = self_inspection(unit, year, inspection=inputs.inspection)
        return self_inspection_data(unit, inspection)
    if kind.code == "tt01_form":
        children = children_in(unit, period)
        if children:
            fig = area_dossiers(unit, figures, children, trend=False)
        else:
            fig = unit_dossiers(unit, figures, compare=False, trend=False)
        if fig.archived is not None:
            # The form is its rows: without the archived dossiers there is no form to print.
            raise SourceError(
                ERR_FORM_ARCHIVED.format(
                    range=period_range(figures), years=fig.archived.years_text()
                ),
                code="archived",
            )
        assert fig.stats is not None
        parent = unit.parent
        return FormData(
            period=figures,
            rows=list(fig.rows),
            total=fig.stats,
            row_heading=fig.row_heading,
            receiver=naming.authority_name(parent) if parent else "",
            coverage=fig.coverage,
            row_coverage=fig.row_coverage,
        )
    raise SourceError(f"Chưa hỗ trợ loại báo cáo {kind.code}.", code="kind")
