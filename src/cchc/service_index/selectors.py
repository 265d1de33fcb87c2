"""Reads of the service index app: periods, rankings and the procedure publication table
of the QĐ 766 index, and the feedback register.

The index itself is computed in engine.py (SQL aggregates for many units at once) from the
records of records.py; both are imported here too, the names pages and tests use.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import QuerySet

from cchc.core.collation import vn_order
from cchc.core.people import Person
from cchc.dossiers.calendar import work_calendar  # noqa: F401 (pages take it from here)
from cchc.dossiers.periods import (
    Period,
    counted,
    months_in,
    period_for,
    reporting_month_of,
)
from cchc.service_index.compute import IndexResult, RankedResult, rank_results
from cchc.service_index.counts import ProcedureRecord
from cchc.service_index.engine import (  # noqa: F401 (moved there, still importable from here)
    DOSSIER_COUNT_NAMES,
    IndexComputer,
    definition,
    unit_index,
)
from cchc.service_index.feedback_register import (  # noqa: F401 (moved there, still importable from here)
    feedback_by_class,
    feedback_due,
    feedback_for,
    feedback_row,
    feedback_rows,
    shares_adding_to_100,
    unit_feedback,
)
from cchc.service_index.records import (  # noqa: F401 (moved there, still importable from here)
    catalogue,
    catalogue_levels,
    dossier_record,
    feedback_in_index,
    feedback_record,
    procedure_records,
    unit_data,
)
from cchc.units.lifetime import existing_in
from cchc.units.models import Unit, UnitKind
from cchc.units.permissions import group_scope, visible_units

COMMUNE_KINDS = (UnitKind.COMMUNE, UnitKind.WARD, UnitKind.SPECIAL_ZONE, UnitKind.TOWN)


# -- periods ----------------------------------------------------------------------------------


def cut_at(period: Period, today: dt.date) -> Period:
    """The period counted up to today (periods.counted: the one function every page,
    export, report and command takes its period from)."""
    return counted(period, today)


def current_period_code(kind: str, today: dt.date) -> str:
    """'2026-Q4' (kind quarter) or '2026' (kind year): the reporting period holding today."""
    year, month = reporting_month_of(today)
    if kind == "year":
        return period_for("year", year).code
    return period_for("quarter", year, (month - 1) // 3 + 1).code


def default_period(today: dt.date) -> Period:
    """The reporting quarter holding today, up to today."""
    from cchc.dossiers.periods import parse_period

    return cut_at(parse_period(current_period_code("quarter", today)), today)


def period_choices(today: dt.date, years: int = 3) -> list[tuple[str, str]]:
    """(code, label) of the reporting periods a page offers: quarters, halves, years."""
    year, _ = reporting_month_of(today)
    out: list[tuple[str, str]] = []
    for y in range(year, year - years, -1):
        candidates = [period_for("year", y)]
        candidates += [period_for("half", y, n) for n in (2, 1)]
        candidates += [period_for("quarter", y, n) for n in (4, 3, 2, 1)]
        candidates += [period_for("month", y, n) for n in range(12, 0, -1)]
        for p in candidates:
            if p.start <= today:
                out.append((p.code, p.label))
    return out


def peers(unit: Unit, period: Period) -> QuerySet[Unit]:
    """The units a unit is ranked among: the same parent and the same level (communes,
    wards and special zones of a province together; departments together), among those
    that existed in the period."""
    kinds = COMMUNE_KINDS if unit.kind in COMMUNE_KINDS else (unit.kind,)
    return existing_in(
        Unit.objects.filter(parent_id=unit.parent_id, kind__in=kinds), period.start, period.end
    )


def rankable_children(parent: Unit, period: Period | None) -> QuerySet[Unit]:
    """The commune-level units directly under a province or a district that existed in the
    period (with no period: all that ever did)."""
    children = Unit.objects.filter(parent=parent, kind__in=COMMUNE_KINDS)
    return children if period is None else existing_in(children, period.start, period.end)


ERR_RANKING_FORBIDDEN = "Bạn không có quyền xem xếp hạng của các đơn vị này."


def ranking_scope(user: Person, pk: int | str) -> tuple[Unit, set[int]]:
    """The parent whose communes are ranked, and which of them this person may see (the
    rule: cchc.units.permissions.group_scope)."""
    return group_scope(user, pk, lambda parent: rankable_children(parent, None))


@dataclass(frozen=True)
class RankRow:
    unit: Unit
    ranked: RankedResult

    @property
    def result(self) -> IndexResult:
        return self.ranked.result


def ranking(
    units: Sequence[Unit], period: Period, computer: IndexComputer | None = None
) -> list[RankRow]:
    """The units ranked by score_100 (standard competition rank; no data: last, unranked)."""
    computer = computer or IndexComputer()
    by_pk = {u.pk: u for u in units}
    ranked = rank_results(computer.results(list(units), period))
    return [RankRow(by_pk[int(r.result.unit)], r) for r in ranked]


def rank_of(unit: Unit, period: Period, computer: IndexComputer | None = None) -> RankedResult:
    """Where the unit stands among its peers ("xếp thứ 14/20")."""
    rows = ranking(vn_order(peers(unit, period)) or [unit], period, computer)
    for row in rows:
        if row.unit.pk == unit.pk:
            return row.ranked
    return ranking([unit], period, computer)[0].ranked


def unit_page(
    unit: Unit, period: Period, computer: IndexComputer | None = None
) -> tuple[IndexResult, list[IndexResult], RankedResult | None]:
    """The unit's page: its index for the period, for each reporting month of it, and its
    rank among its peers (rank_of; None without a parent), read in one set of queries
    (issue 13: the page read the period and months, then the peers, separately). The
    unit's own index for the period is the one computed among its peers, not a second
    count of the same rows."""
    computer = computer or IndexComputer()
    months = months_in(period)
    group = vn_order(peers(unit, period)) if unit.parent_id else []
    among = any(u.pk == unit.pk for u in group)
    jobs: list[tuple[Sequence[Unit], Period]] = [([unit], m) for m in months]
    if group:
        jobs.append((group, period))
    if not among:
        jobs.append(([unit], period))
    results = computer.results_for(jobs)
    trend = [r[0] for r in results[: len(months)]]
    if among:
        ranked = rank_results(results[len(months)])
        mine = next(r for r in ranked if r.result.unit == str(unit.pk))
        return mine.result, trend, mine
    result = results[-1][0]
    return result, trend, (rank_results([result])[0] if unit.parent_id else None)


# -- procedure publication (indicators 1.1–1.3), per procedure --------------------------------


@dataclass(frozen=True)
class PublicationRow:
    record: ProcedureRecord
    name: str
    announce_deadline: dt.date | None
    announced_on_time: bool | None  # None: no effective date, not judged
    publish_deadline: dt.date | None
    published_on_time: bool | None  # None: not announced in the period
    complete: bool | None  # None: not published

    @property
    def problems(self) -> list[str]:
        out = []
        if self.announced_on_time is False:
            out.append("công bố muộn")
        if self.published_on_time is False:
            out.append("công khai muộn" if self.record.published else "chưa công khai, quá hạn")
        if self.complete is False:
            out.append("chưa đủ bộ phận tạo thành")
        if self.record.published is None and self.published_on_time is None:
            out.append("chưa công khai trên CSDL quốc gia")
        return out

    @property
    def announced_in_period(self) -> bool:
        return self.publish_deadline is not None


def publication_rows(
    unit: Unit, period: Period, computer: IndexComputer | None = None
) -> list[PublicationRow]:
    """The catalogue's procedures as indicators 1.1–1.3 judge them, problems first."""
    # The same judgement as counts.py (indicators 1.1 and 1.2), with the deadlines shown.
    from cchc.service_index.counts import (
        ANNOUNCE_BEFORE_EFFECT_WORKING_DAYS,
        PUBLISH_AFTER_ANNOUNCE_WORKING_DAYS,
        _announced_on_time,
        _published_on_time,
        latest_procedures,
    )

    computer = computer or IndexComputer()
    calendar = computer.calendar(period)
    cat = computer.catalogue(unit)
    names = cat.names_by_code
    rows: list[PublicationRow] = []
    for code, p in latest_procedures(cat.records, period.end).items():
        announce_deadline = publish_deadline = None
        announced_ok = published_ok = None
        if p.announced and period.start <= p.announced <= period.end:
            publish_deadline = calendar.add_working_days(
                p.announced, PUBLISH_AFTER_ANNOUNCE_WORKING_DAYS
            )
            published_ok = _published_on_time(p, period, calendar)
            if p.legal_basis_effective:
                announce_deadline = calendar.working_days_before(
                    p.legal_basis_effective, ANNOUNCE_BEFORE_EFFECT_WORKING_DAYS
                )
                announced_ok = _announced_on_time(p, calendar)
        is_published = p.published is not None and p.published <= period.end
        rows.append(
            PublicationRow(
                record=p,
                name=names.get(code, ""),
                announce_deadline=announce_deadline,
                announced_on_time=announced_ok,
                publish_deadline=publish_deadline,
                published_on_time=published_ok,
                complete=p.all_parts_published if is_published else None,
            )
        )
    rows.sort(key=lambda r: (not r.problems, r.record.code))
    return rows


def units_with_index(user: Person) -> list[Unit]:
    """The commune-level and department units the person may see the index of: those in
    force first, then those that have ended (a former district's office sees its former
    communes), each in Vietnamese order."""
    units = visible_units(user).filter(kind__in=[*COMMUNE_KINDS, UnitKind.DEPARTMENT])
    return vn_order(units, "valid_to", "name")


def resolve_period(
    *,
    code: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    today: dt.date,
) -> Period:
    """The period a page, the API or the command asks for, judged no later than today.

    A range (start, end) wins over a period code ('2023-Q1', '2023', '2023-M03'); with
    neither, the reporting quarter holding today. Raises PeriodError on a bad code.
    """
    from cchc.dossiers.periods import custom_period, parse_period

    if start is not None and end is not None:
        return cut_at(custom_period(start, end), today)
    if code:
        return cut_at(parse_period(code), today)
    return default_period(today)
