"""The QĐ 766 index from the database, for one unit or for every commune of a province at once.

The plain rules (counts.py) define every named count over records; here the same counts
come from SQL aggregates grouped by unit, so a province's ~114 communes take a handful of
queries instead of loading every dossier:

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

records.unit_data() loads the same unit as plain records, for the plain `compute_counts`;
tests check that both paths give the same counts.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q

from cchc.core import stamps
from cchc.core.replica import reading_connection
from cchc.dossiers.calendar import work_calendar
from cchc.dossiers.models import Channel, Dossier, Procedure, Rating
from cchc.dossiers.periods import Period, custom_period, months_in
from cchc.dossiers.workdays import WorkCalendar
from cchc.service_index.compute import IndexResult, score_counts
from cchc.service_index.counts import FeedbackRecord, ProcedureRecord, UnitData, compute_counts
from cchc.service_index.definition import IndexDefinition, load_definition
from cchc.service_index.records import (
    catalogue_levels,
    dossier_record,
    feedback_in_index,
    feedback_record,
    procedure_records,
)
from cchc.units.models import Unit

_definition: IndexDefinition | None = None
_KEPT = stamps.Kept()


def definition() -> IndexDefinition:
    """frameworks/qd766-2022.yaml, loaded once per process."""
    global _definition
    if _definition is None:
        _definition = load_definition()
    return _definition


_PLAIN_TEXT = re.compile(r"[a-z_]+")


def _literal(value: object) -> str:
    """A value this module wrote itself (a date, a flag, an id, a code constant) as an SQL
    literal. Inlined, not bound: the dossier counts of a page carry hundreds of values, and
    psycopg parses a query with parameters anew each time when its text is long (it caches
    short ones only), which cost the QĐ 766 page about 10 ms per request (issue 13)."""
    postgres = connection.vendor == "postgresql"
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE") if postgres else str(int(value))
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return f"DATE '{value.isoformat()}'" if postgres else f"'{value.isoformat()}'"
    text = str(value)
    if isinstance(value, str) and _PLAIN_TEXT.fullmatch(text):
        return f"'{text}'"
    raise TypeError(f"not an SQL literal this module writes: {value!r}")


class _Sql:
    """A condition, its values inlined as literals (_literal), composed with & and |."""

    def __init__(self, sql: str, *params: object) -> None:
        self.sql = sql % tuple(_literal(p) for p in params) if params else sql

    def __and__(self, other: _Sql) -> _Sql:
        return _Sql(f"({self.sql} AND {other.sql})")

    def __or__(self, other: _Sql) -> _Sql:
        return _Sql(f"({self.sql} OR {other.sql})")


def _dossier_conditions(period: Period, catalogue_ids: Sequence[int]) -> dict[str, _Sql]:
    """Each dossier count of counts.py as a SQL condition on one dossier row (d) and its
    procedure (p). Hand-written SQL: the same query built through the ORM spends ~50 times
    longer composing 20 conditional aggregates than the database spends running it."""
    start, end = period.start, period.end
    received = _Sql("d.received_on >= %s AND d.received_on <= %s", start, end)
    finished = _Sql("d.finished_on >= %s AND d.finished_on <= %s", start, end)
    processed = _Sql("d.received_on <= %s", end) & _Sql(
        "(d.finished_on IS NULL OR d.finished_on >= %s)", start
    )
    has_result = _Sql("(d.result_electronic = %s OR d.result_digitized = %s)", True, True)
    # the dossier carries a fee (its own, or its procedure's when the file had none)
    fee = _Sql("d.fee > 0")
    digitized = _Sql("d.intake_digitized <> %s", "none")
    online = _Sql("d.channel = %s", Channel.TRUC_TUYEN)
    placeholders = ", ".join(["%s"] * len(catalogue_ids))
    in_catalogue = (
        _Sql(f"d.procedure_id IN ({placeholders})", *catalogue_ids)
        if catalogue_ids
        else _Sql("1 = 0")
    )
    full = in_catalogue & _Sql("p.online_class = %s", "full")
    certification = in_catalogue & _Sql("p.certification = %s", True)
    paper = _Sql("p.paper_result_required = %s", True)
    # QĐ 766 indicator 2.1 for dossiers whose clock runs (no open supplement request): no
    # due date is never late; a second supplement request is late; finished by the period
    # end: against the effective due date (moved by each closed supplement); not finished:
    # in time while due ≥ period end. The waiting ones are judged row by row.
    on_time = _Sql("d.due_on IS NULL") | (
        _Sql("d.late_by_rule = %s", False)
        & (
            _Sql(
                "(d.finished_on IS NOT NULL AND d.finished_on <= %s AND d.finished_on <= d.due_on)",
                end,
            )
            | _Sql("((d.finished_on IS NULL OR d.finished_on > %s) AND d.due_on >= %s)", end, end)
        )
    )
    clock_runs = _Sql(
        "(d.clock_stopped_on IS NULL OR d.due_on IS NULL OR d.late_by_rule = %s)", True
    )
    disliked = _Sql("(d.rating = %s OR d.complaint = %s)", Rating.NOT_SATISFIED, True)
    return {
        "dossiers.received": received,
        "dossiers.received_synced": received & _Sql("d.synced = %s", True),
        "dossiers.received_online": received & online,
        "dossiers.reused_data": received & _Sql("d.reused_data = %s", True),
        "dossiers.data_store_linked": received & _Sql("d.data_store_linked = %s", True),
        "dossiers.intake_digitized": received & digitized,
        "dossiers.digitized_766": received
        & digitized
        & (has_result | _Sql("p.paper_result_required = %s", False)),
        "dossiers.fee_required": received & fee,
        "dossiers.paid_online": received & fee & _Sql("d.paid_online = %s", True),
        "dossiers.full_process_eligible": received & full,
        "dossiers.full_process_online": received & full & online,
        "dossiers.certification": received & certification,
        "dossiers.e_certified_copy": received
        & certification
        & _Sql("d.e_certified_copy = %s", True),
        "dossiers.finished": finished,
        "dossiers.finished_paper_result": finished & paper,
        "dossiers.finished_result_electronic": finished & paper & has_result,
        "dossiers.received_or_processed": processed,
        "dossiers.on_time_766": processed & clock_runs & on_time,
        "dossiers.disliked_or_complained": processed & disliked,
    }


def _dossier_counts_sql(
    unit_ids: Sequence[int], period: Period, catalogue_ids: Sequence[int], tag: int = 0
) -> str:
    """One grouped SELECT: (tag, unit id, every dossier count) per unit. The tag tells the
    periods apart when several such SELECTs go as one query (UNION ALL)."""
    conditions = _dossier_conditions(period, catalogue_ids)
    columns = [
        f"SUM(CASE WHEN {condition.sql} THEN 1 ELSE 0 END)" for condition in conditions.values()
    ]
    # QĐ 766 indicator 3.5b: fee procedures of the catalogue with a dossier paid online.
    placeholders = ", ".join(["%s"] * len(catalogue_ids))
    paid_in_catalogue = (
        conditions["dossiers.paid_online"]
        & _Sql(f"d.procedure_id IN ({placeholders})", *catalogue_ids)
        if catalogue_ids
        else _Sql("1 = 0")
    )
    columns.append(f"COUNT(DISTINCT CASE WHEN {paid_in_catalogue.sql} THEN d.procedure_id END)")
    units = _Sql(f"d.unit_id IN ({', '.join(['%s'] * len(unit_ids))})", *unit_ids)
    dossier_table = Dossier._meta.db_table
    procedure_table = Procedure._meta.db_table
    processed = _Sql(
        "d.received_on <= %s AND (d.finished_on IS NULL OR d.finished_on >= %s)",
        period.end,
        period.start,
    )
    return (
        f"SELECT {int(tag)}, d.unit_id, {', '.join(columns)} "
        f"FROM {dossier_table} d JOIN {procedure_table} p ON p.id = d.procedure_id "
        f"WHERE {units.sql if unit_ids else '1 = 0'} AND {processed.sql} "
        "GROUP BY d.unit_id"
    )


DOSSIER_COUNT_NAMES: tuple[str, ...] = (
    *_dossier_conditions(Period(dt.date(2000, 1, 1), dt.date(2000, 1, 1), "custom", ""), []).keys(),
    "procedures.with_fee_paid_online",
)


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
        # Figures counted with a calendar of the caller's are not the database's: not kept.
        self._keep = calendar is None
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
        """The index of each job's units (in order) for its period, in the order of jobs.

        Kept per process under the stamps of the job's units (cchc.core.stamps), read on
        the connection the dossiers are read from: every officer of a province ranks the
        same 114 communes, and the figures are computed again only once a write to their
        data (a dossier, feedback, the catalogue, the calendar, the units) has committed
        (issue 13)."""
        if not jobs or not self._keep:
            return self._results_for(jobs)
        wanted = [
            ((tuple(u.pk for u in units), period, id(self.definition)), [u.pk for u in units])
            for units, period in jobs
        ]
        return _KEPT.many(
            wanted,
            lambda missing: self._results_for([jobs[i] for i in missing]),
            using=reading_connection(Dossier).alias,
        )

    def _results_for(
        self, jobs: Sequence[tuple[Sequence[Unit], Period]]
    ) -> list[list[IndexResult]]:
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
