"""Reads of the service index app: the feedback register, and the QĐ 766 index from the
database, for one unit or for every commune of a province at once.

The index path. The plain rules (counts.py) define every named count over records; here
the same counts come from SQL aggregates grouped by unit, so a province's ~114 communes
take a handful of queries instead of loading every dossier:

- dossier counts: one conditional-aggregate query over the dossiers of all the units;
- indicator 2.1 (on time, QĐ 766 portal rule, notes.md §4.3) uses what the dossier engine
  keeps: `due_on` is the effective due date (already moved by each closed supplement),
  `late_by_rule` marks the second supplement request, and `clock_stopped_on` the day an
  open supplement request stopped the clock. Dossiers with an open request are few (an
  indexed subset) and are judged one by one with the clock rule; the rest in SQL;
- feedback counts: the unit's feedback rows through the plain rule (a register holds tens
  of rows a year);
- procedure counts: the catalogue of the unit's level, once per level, through the plain
  rule, with each announcement taken from the procedure's history.

`unit_data()` loads the same unit as plain records, for the plain `compute_counts`; tests
check that both paths give the same counts.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from cchc.core.collation import vn_order
from cchc.core.people import Person
from cchc.core.replica import reading_connection
from cchc.dossiers.calendar import work_calendar
from cchc.dossiers.clock import Supplement
from cchc.dossiers.models import Channel, Dossier, Procedure, ProcedureLevel
from cchc.dossiers.periods import (
    Period,
    counted,
    custom_period,
    months_in,
    period_for,
    reporting_month_of,
)
from cchc.dossiers.workdays import WorkCalendar
from cchc.service_index.compute import (
    IndexResult,
    RankedResult,
    rank_results,
    score_counts,
)
from cchc.service_index.counts import (
    DossierRecord,
    FeedbackRecord,
    ProcedureRecord,
    UnitData,
    compute_counts,
)
from cchc.service_index.counts_sql import DOSSIER_COUNT_NAMES, _dossier_counts_sql
from cchc.service_index.definition import IndexDefinition, load_definition
from cchc.service_index.feedback_register import (  # noqa: F401 (moved there, still importable from here)
    feedback_by_class,
    feedback_due,
    feedback_for,
    feedback_row,
    feedback_rows,
    shares_adding_to_100,
    unit_feedback,
)
from cchc.service_index.models import (
    Feedback,
    FeedbackStatus,
    Satisfaction,
)
from cchc.units.lifetime import existing_in
from cchc.units.models import Unit, UnitKind
from cchc.units.permissions import group_scope, visible_units

COMMUNE_KINDS = (UnitKind.COMMUNE, UnitKind.WARD, UnitKind.SPECIAL_ZONE, UnitKind.TOWN)

# Which catalogue level a unit's procedures come from (Procedure.level); "multi" and a
# blank level apply at every level.
_LEVELS_BY_KIND: dict[str, tuple[str, ...]] = {
    UnitKind.COMMUNE: (ProcedureLevel.COMMUNE,),
    UnitKind.WARD: (ProcedureLevel.COMMUNE,),
    UnitKind.SPECIAL_ZONE: (ProcedureLevel.COMMUNE,),
    UnitKind.TOWN: (ProcedureLevel.COMMUNE,),
    UnitKind.DISTRICT: (ProcedureLevel.DISTRICT,),
    UnitKind.PROVINCE: (ProcedureLevel.PROVINCE,),
    UnitKind.DEPARTMENT: (ProcedureLevel.PROVINCE,),
}

_definition: IndexDefinition | None = None


def definition() -> IndexDefinition:
    """frameworks/qd766-2022.yaml, loaded once per process."""
    global _definition
    if _definition is None:
        _definition = load_definition()
    return _definition


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


# -- the catalogue ----------------------------------------------------------------------------


def catalogue_levels(unit: Unit) -> tuple[str, ...]:
    return (*_LEVELS_BY_KIND.get(unit.kind, ()), ProcedureLevel.MULTI, "")


def catalogue(unit: Unit) -> QuerySet[Procedure]:
    """The active procedures under the unit's authority (its level of the catalogue)."""
    return Procedure.objects.filter(active=True, level__in=catalogue_levels(unit))


def procedure_records(procedures: Iterable[Procedure]) -> list[ProcedureRecord]:
    """One record per announcement: the current row, plus each earlier announcement found
    in the procedure's history (a procedure announced twice in a period is judged on both,
    QĐ 766 indicators 1.1 and 1.2)."""
    procs = list(procedures)
    by_id = {p.pk: p for p in procs}
    records: list[ProcedureRecord] = [_procedure_record(p) for p in procs]
    history = (
        Procedure.history.filter(id__in=by_id, announced_on__isnull=False)
        .order_by("id", "announced_on", "history_date")
        .values(
            "id",
            "announced_on",
            "legal_basis_effective_on",
            "published_on",
            "all_parts_published",
            "announcement_no",
        )
    )
    last_of: dict[tuple[int, dt.date], dict] = {}
    for row in history:
        last_of[(row["id"], row["announced_on"])] = row  # the latest state of each announcement
    for (pk, announced), row in last_of.items():
        current = by_id[pk]
        if announced == current.announced_on:
            continue
        records.append(
            ProcedureRecord(
                code=current.code,
                announced=announced,
                legal_basis_effective=row["legal_basis_effective_on"],
                published=row["published_on"],
                all_parts_published=row["all_parts_published"],
                online_class=current.online_class,
                fee=current.fee > 0,
                payment_integrated=current.payment_integrated,
                certification=current.certification,
                announcement_no=row["announcement_no"],
            )
        )
    return records


def _procedure_record(p: Procedure) -> ProcedureRecord:
    return ProcedureRecord(
        code=p.code,
        announced=p.announced_on,
        legal_basis_effective=p.legal_basis_effective_on,
        published=p.published_on,
        all_parts_published=p.all_parts_published,
        online_class=p.online_class,
        fee=p.fee > 0,
        payment_integrated=p.payment_integrated,
        certification=p.certification,
        announcement_no=p.announcement_no,
    )


# -- feedback as records ----------------------------------------------------------------------


def feedback_record(f: Feedback) -> FeedbackRecord:
    return FeedbackRecord(
        code=f.code,
        unit=str(f.unit_id),
        received=f.received_on,
        due=f.answer_due_on,
        answered=f.answered_on,
        published=f.published_on,
        satisfied=None if f.satisfaction is None else f.satisfaction == Satisfaction.SATISFIED,
        repeat_complaint=f.repeat_complaint,
    )


def feedback_in_index(unit_ids: Iterable[int], period: Period) -> QuerySet[Feedback]:
    """Feedback received or processed in the period, under the units' remit.

    A refused feedback is not "thuộc thẩm quyền tiếp nhận, xử lý" and leaves 5.2 and 5.3
    [U: docs/service-index.md].
    """
    return (
        Feedback.objects.filter(unit_id__in=list(unit_ids), received_on__lte=period.end)
        .filter(Q(answered_on__isnull=True) | Q(answered_on__gte=period.start))
        .exclude(status=FeedbackStatus.REFUSED)
        .only(
            "id",
            "unit_id",
            "code",
            "received_on",
            "answer_due_on",
            "answered_on",
            "published_on",
            "satisfaction",
            "repeat_complaint",
        )
    )


# -- dossiers as records (the plain path) -----------------------------------------------------

_CHANNELS = {Channel.TRUC_TIEP: "direct", Channel.TRUC_TUYEN: "online", Channel.BUU_CHINH: "postal"}


def dossier_record(d: Dossier) -> DossierRecord:
    """A dossier as the plain rules read it, from what the engine keeps.

    `due_on` is already the effective due date (closed supplements applied), so the only
    supplement left to apply is an open one (clock_stopped_on). A second request
    (`late_by_rule`) is late whatever the dates: two requests are passed on so the clock
    rule reads it the same way (the first one is already inside due_on, so it stops
    nothing more).
    """
    supplements: list[Supplement] = []
    if d.late_by_rule:
        supplements.append(Supplement(d.received_on, d.received_on))
    if d.clock_stopped_on is not None:
        supplements.append(Supplement(d.clock_stopped_on, None))
    elif d.late_by_rule:
        supplements.append(Supplement(d.received_on, d.received_on))
    procedure = d.procedure
    return DossierRecord(
        code=d.code,
        unit=str(d.unit_id),
        procedure_code=procedure.code,
        channel=_CHANNELS[d.channel],  # type: ignore[arg-type]
        received=d.received_on,
        due=d.due_on,
        finished=d.finished_on,
        supplements=tuple(supplements),
        intake_digitized=d.intake_digitized,  # type: ignore[arg-type]
        result_digitized=d.result_digitized,
        result_electronic=d.result_electronic,
        paper_result_required=procedure.paper_result_required,
        fee_required=(d.fee or 0) > 0,
        paid_online=d.paid_online,
        reused_data=d.reused_data,
        data_store_linked=d.data_store_linked,
        e_certified_copy=d.e_certified_copy,
        rating=d.rating,  # type: ignore[arg-type]
        complaint=d.complaint,
        synced=d.synced,
    )


def unit_data(unit: Unit, period: Period) -> UnitData:
    """Everything the plain compute needs for one unit and period, as records."""
    dossiers = (
        Dossier.objects.filter(unit=unit, received_on__lte=period.end)
        .filter(Q(finished_on__isnull=True) | Q(finished_on__gte=period.start))
        .select_related("procedure")
    )
    feedback = feedback_in_index([unit.pk], period)
    return UnitData(
        unit=str(unit.pk),
        dossiers=tuple(dossier_record(d) for d in dossiers),
        feedback=tuple(feedback_record(f) for f in feedback),
        procedures=tuple(procedure_records(catalogue(unit))),
    )


# -- the index from SQL aggregates ------------------------------------------------------------


def _processed(period: Period) -> Q:
    """Dossiers received or processed in the period: every count above is a subset."""
    return Q(received_on__lte=period.end) & (
        Q(finished_on__isnull=True) | Q(finished_on__gte=period.start)
    )


@dataclass
class _Catalogue:
    records: list[ProcedureRecord]
    ids_by_code: dict[str, int]
    names_by_code: dict[str, str]


def _span_of(periods: Sequence[Period]) -> Period:
    """The smallest period holding all of them: what is read once for them all."""
    return custom_period(min(p.start for p in periods), max(p.end for p in periods))


def _in_processed(received: dt.date, finished: dt.date | None, period: Period) -> bool:
    """A row received or processed in the period (_processed, in Python)."""
    return received <= period.end and (finished is None or finished >= period.start)


class IndexComputer:
    """Computes the index of many units and periods, reading each catalogue once.

    The queries do not grow with the units or the periods (issue 13): for a set of units
    and periods, one UNION ALL query of the dossier counts grouped by unit, one read of the
    feedback and one of the dossiers waiting for a supplement (over the span of the
    periods, sorted into each in Python), and the data coverage read once per unit."""

    def __init__(self, calendar: WorkCalendar | None = None) -> None:
        self.definition = definition()
        self._calendar = calendar
        self._catalogues: dict[tuple[str, ...], _Catalogue] = {}
        self._spans: dict[tuple[int, str], list] = {}
        self._spans_read: set[int] = set()

    def calendar(self, period: Period) -> WorkCalendar:
        covered = self._calendar is not None and (
            self._calendar.first <= period.start and period.end <= self._calendar.last
        )
        if not covered:
            self._calendar = work_calendar([period.start.year, period.end.year])
        assert self._calendar is not None
        return self._calendar

    def catalogue(self, unit: Unit) -> _Catalogue:
        levels = catalogue_levels(unit)
        if levels not in self._catalogues:
            procedures = list(Procedure.objects.filter(active=True, level__in=levels))
            self._catalogues[levels] = _Catalogue(
                procedure_records(procedures),
                {p.code: p.pk for p in procedures},
                {p.code: p.name for p in procedures},
            )
        return self._catalogues[levels]

    def counts(self, units: Sequence[Unit], period: Period) -> dict[int, dict[str, int]]:
        """Every named count (COUNT_NAMES) of each unit for the period."""
        return self.counts_many(units, [period])[0]

    def counts_many(
        self, units: Sequence[Unit], periods: Sequence[Period]
    ) -> list[dict[int, dict[str, int]]]:
        """Every named count of each unit for each period (in the order of `periods`)."""
        return self.counts_for([(units, period) for period in periods])

    def counts_for(
        self, jobs: Sequence[tuple[Sequence[Unit], Period]]
    ) -> list[dict[int, dict[str, int]]]:
        """Every named count of each job's units for its period (in the order of `jobs`):
        the unit's page asks for its peers in the period and for itself in each month, in
        one set of queries (one per catalogue level, not one per job)."""
        from cchc.service_index.counts import latest_procedures

        out: list[dict[int, dict[str, int]]] = [{} for _ in jobs]
        if not jobs:
            return out
        calendar = self.calendar(_span_of([period for _, period in jobs]))
        # catalogue level -> [(job index, its units of that level)]
        groups: dict[tuple[str, ...], list[tuple[int, list[Unit]]]] = defaultdict(list)
        for i, (units, _) in enumerate(jobs):
            by_level: dict[tuple[str, ...], list[Unit]] = defaultdict(list)
            for unit in units:
                by_level[catalogue_levels(unit)].append(unit)
            for levels, level_units in by_level.items():
                groups[levels].append((i, level_units))
        for parts in groups.values():
            cat = self.catalogue(parts[0][1][0])
            periods = [jobs[i][1] for i, _ in parts]
            part_units = [level_units for _, level_units in parts]
            bases = [
                compute_counts(UnitData("", procedures=cat.records), p, calendar) for p in periods
            ]
            ids = [
                sorted(
                    cat.ids_by_code[code]
                    for code in latest_procedures(cat.records, p.end)
                    if code in cat.ids_by_code
                )
                for p in periods
            ]
            dossier_counts = self._dossier_counts(part_units, periods, ids)
            feedback_counts = self._feedback_counts(part_units, periods, calendar)
            waiting_on_time = self._clock_stopped(part_units, periods, calendar)
            for k, (i, level_units) in enumerate(parts):
                for unit in level_units:
                    counts = dict(bases[k])
                    counts.update(dossier_counts[k].get(unit.pk, {}))
                    counts.update(feedback_counts[k].get(unit.pk, {}))
                    counts["dossiers.on_time_766"] += waiting_on_time[k].get(unit.pk, 0)
                    rp = counts["dossiers.received_or_processed"]
                    counts["dossiers.late_766"] = rp - counts["dossiers.on_time_766"]
                    # QĐ 766 indicator 5.4, literally: 100% − (% late + % disliked or
                    # complained).
                    counts["dossiers.satisfaction_766"] = max(
                        0,
                        rp
                        - counts["dossiers.late_766"]
                        - counts["dossiers.disliked_or_complained"],
                    )
                    out[i][unit.pk] = counts
        return out

    def _dossier_counts(
        self,
        units: Sequence[Sequence[Unit]],
        periods: Sequence[Period],
        catalogue_ids: Sequence[Sequence[int]],
    ) -> list[dict[int, dict[str, int]]]:
        """The dossier counts of every part (its units, its period) in one query (a
        grouped SELECT per part, tagged with its index, joined by UNION ALL)."""
        parts = [
            _dossier_counts_sql([u.pk for u in units[i]], period, catalogue_ids[i], tag=i)
            for i, period in enumerate(periods)
        ]
        with reading_connection(Dossier).cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts))
            rows = cursor.fetchall()
        out: list[dict[int, dict[str, int]]] = [{} for _ in periods]
        for row in rows:
            out[int(row[0])][row[1]] = {
                name: int(value or 0)
                for name, value in zip(DOSSIER_COUNT_NAMES, row[2:], strict=True)
            }
        return out

    def _clock_stopped(
        self,
        units: Sequence[Sequence[Unit]],
        periods: Sequence[Period],
        calendar: WorkCalendar,
    ) -> list[dict[int, int]]:
        """Indicator 2.1 for dossiers waiting for a supplement: the clock rule, row by row
        (an indexed, small set: the clock of these dossiers stands still up to the period
        end, so their due date moves with it). Read once for all the parts (each: its
        units, its period)."""
        from cchc.service_index.counts import dossier_on_time_766

        every_id = sorted({u.pk for part in units for u in part})
        waiting = list(
            Dossier.objects.filter(_processed(_span_of(periods)), unit_id__in=every_id)
            .filter(clock_stopped_on__isnull=False, due_on__isnull=False, late_by_rule=False)
            .select_related("procedure")
        )
        out: list[dict[int, int]] = []
        for part, period in zip(units, periods, strict=True):
            ids = {u.pk for u in part}
            on_time: dict[int, int] = defaultdict(int)
            for d in waiting:
                if d.unit_id in ids and _in_processed(d.received_on, d.finished_on, period):
                    on_time[d.unit_id] += dossier_on_time_766(dossier_record(d), period, calendar)
            out.append(on_time)
        return out

    def _feedback_counts(
        self,
        units: Sequence[Sequence[Unit]],
        periods: Sequence[Period],
        calendar: WorkCalendar,
    ) -> list[dict[int, dict[str, int]]]:
        """The feedback counts of every part (its units, its period); the register is read
        once, over the span of the periods, and each part takes its rows
        (feedback_in_index's rule: received by its end, not answered before its start)."""
        every_id = sorted({u.pk for part in units for u in part})
        rows = [
            (f.unit_id, f.received_on, f.answered_on, feedback_record(f))
            for f in feedback_in_index(every_id, _span_of(periods))
        ]
        out: list[dict[int, dict[str, int]]] = []
        for part, period in zip(units, periods, strict=True):
            ids = {u.pk for u in part}
            by_unit: dict[int, list[FeedbackRecord]] = defaultdict(list)
            for unit_id, received, answered, record in rows:
                if unit_id not in ids:
                    continue
                if received <= period.end and (answered is None or answered >= period.start):
                    by_unit[unit_id].append(record)
            counts_of: dict[int, dict[str, int]] = {}
            for unit_id, records in by_unit.items():
                counts = compute_counts(UnitData("", feedback=records), period, calendar)
                counts_of[unit_id] = {k: v for k, v in counts.items() if k.startswith("feedback.")}
            out.append(counts_of)
        return out

    def _coverage_spans(self, units: Sequence[Unit]) -> dict[tuple[int, str], list]:
        """The data coverage of the units (dossiers and the flag columns), read once per
        unit for every period this computer judges."""
        from cchc.core.coverage import DOSSIERS, FLAG_SOURCES
        from cchc.core.selectors import spans_by_unit

        missing = [u.pk for u in units if u.pk not in self._spans_read]
        if missing:
            self._spans.update(spans_by_unit(missing, [DOSSIERS, *FLAG_SOURCES]))
            self._spans_read.update(missing)
        return self._spans

    def unknown_flags(self, units: Sequence[Unit], period: Period) -> dict[int, set[str]]:
        """The flag counts each unit's data does not carry over the period: a flag is known
        only where an import file had its column (or the desk asked it) for every day the
        unit's dossier data covers (cchc.core.coverage)."""
        from cchc.core.coverage import DOSSIERS, FLAG_SOURCES
        from cchc.core.selectors import coverage_from
        from cchc.service_index.compute import FLAG_COLUMNS

        counts_of = {
            source: next(name for name, col in FLAG_COLUMNS.items() if col.startswith(column))
            for source, column in FLAG_SOURCES.items()
        }
        spans = self._coverage_spans(units)
        out: dict[int, set[str]] = {u.pk: set() for u in units}
        for u in units:
            held = coverage_from(spans.get((u.pk, DOSSIERS), []), period.start, period.end)
            for source, count_name in counts_of.items():
                known = coverage_from(spans.get((u.pk, source), []), period.start, period.end)
                if known.covered_days < held.covered_days:
                    out[u.pk].add(count_name)
        return out

    def results_many(
        self, units: Sequence[Unit], periods: Sequence[Period]
    ) -> list[list[IndexResult]]:
        """The index of each unit (in order) for each period (in order)."""
        return self.results_for([(units, period) for period in periods])

    def results_for(self, jobs: Sequence[tuple[Sequence[Unit], Period]]) -> list[list[IndexResult]]:
        """The index of each job's units (in order) for its period, in the order of jobs."""
        counts = self.counts_for(jobs)
        self._coverage_spans([u for units, _ in jobs for u in units])  # one read for all
        out = []
        for i, (units, period) in enumerate(jobs):
            unknown = self.unknown_flags(units, period)
            out.append(
                [
                    score_counts(
                        self.definition,
                        counts[i][u.pk],
                        unit=str(u.pk),
                        period=period,
                        unknown=unknown[u.pk],
                    )
                    for u in units
                ]
            )
        return out

    def results(self, units: Sequence[Unit], period: Period) -> list[IndexResult]:
        return self.results_many(units, [period])[0]

    def result(self, unit: Unit, period: Period) -> IndexResult:
        return self.results([unit], period)[0]

    def trend(self, unit: Unit, period: Period) -> list[IndexResult]:
        """The index of each reporting month of the period (15th to 14th)."""
        return [r[0] for r in self.results_many([unit], months_in(period))]

    def result_and_trend(self, unit: Unit, period: Period) -> tuple[IndexResult, list[IndexResult]]:
        """The period's index and its months', read together (the unit's page)."""
        both = self.results_many([unit], [period, *months_in(period)])
        return both[0][0], [r[0] for r in both[1:]]


def unit_index(unit: Unit, period: Period) -> IndexResult:
    return IndexComputer().result(unit, period)


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
    (issue 13: the page read the period and months, then the peers, separately)."""
    computer = computer or IndexComputer()
    months = months_in(period)
    jobs: list[tuple[Sequence[Unit], Period]] = [([unit], period), *[([unit], m) for m in months]]
    if unit.parent_id:
        jobs.append((vn_order(peers(unit, period)) or [unit], period))
    results = computer.results_for(jobs)
    result = results[0][0]
    trend = [r[0] for r in results[1 : 1 + len(months)]]
    if not unit.parent_id:
        return result, trend, None
    for ranked in rank_results(results[-1]):
        if ranked.result.unit == str(unit.pk):
            return result, trend, ranked
    return result, trend, rank_results([result])[0]


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
