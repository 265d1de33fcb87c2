"""Reads of dossiers: the statistics of form 06/VPCP/KSTT per unit and period, the
records the QĐ 766 service index counts, the desk's lists.

Two ways to the same figures (tested equal to stats.compute, the plain reference):
- whole reporting months (every standard period): the per-unit monthly summary
  (summary.py), a few rows per unit and month whatever the number of dossiers;
- any other range: SQL aggregates over the dossier rows (one unit: an index range scan).
Dossiers whose clock stands still (an open supplement request) are read as rows either
way: their due date moves up to the day of the report (clock.effective_due_date).
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Literal, TypeVar

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet

from cchc.core import stamps
from cchc.core.formatting import vn_date
from cchc.core.replica import reading_connection
from cchc.dossiers import summary
from cchc.dossiers.calendar import work_calendar
from cchc.dossiers.clock import OVERDUE, Supplement, effective_due_date, standing
from cchc.dossiers.models import (
    ArchivedYear,
    Dossier,
    DossierEvent,
    EventKind,
    Procedure,
    Status,
)
from cchc.dossiers.periods import Period, PeriodError, custom_period, months_in
from cchc.dossiers.stats import NO_FIELD, TOTAL_KEY, DossierRow, UnitStats
from cchc.units.models import Unit

Method = Literal["auto", "summary", "rows"]
K = TypeVar("K")

# Above this many units, filter in Python rather than with a long IN list.
_IN_LIMIT = 500

# UnitStats count slots read from SQL, in order.
_SLOTS = (
    "carried_over",
    "received_truc_tiep",
    "received_truc_tuyen",
    "received_buu_chinh",
    "intake_digitized_full",
    "paid_online",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "result_digitized",
    "fee_required",
)


def _period(period: Period | tuple[dt.date, dt.date]) -> Period:
    if isinstance(period, Period):
        return period
    start, end = period
    return custom_period(start, end)


def _date_sql(day: dt.date) -> str:
    # Dates we built ourselves: inlined as literals so one SQL text serves both databases.
    text = day.isoformat()
    return f"DATE '{text}'" if connection.vendor == "postgresql" else f"'{text}'"


def _in_clause(column: str, ids: Sequence[int] | None) -> str:
    if ids is None or len(ids) > _IN_LIMIT:
        return ""
    if not ids:
        return " AND 1 = 0"
    return f" AND {column} IN ({', '.join(str(int(i)) for i in ids)})"


class _Counts:
    """Per-group raw counts: the UnitStats slots, pending and the dated overdue."""

    __slots__ = ("values", "pending", "overdue")

    def __init__(self) -> None:
        self.values = [0] * len(_SLOTS)
        self.pending = 0
        self.overdue = 0

    def add(self, row: Sequence[int | None]) -> None:
        for i in range(len(_SLOTS)):
            self.values[i] += int(row[i] or 0)
        self.pending += int(row[len(_SLOTS)] or 0)
        self.overdue += int(row[len(_SLOTS) + 1] or 0)

    def stats(self, label: str) -> UnitStats:
        fields = dict(zip(_SLOTS, self.values, strict=True))
        return UnitStats(
            label,
            pending_in_time=self.pending - self.overdue,
            pending_overdue=self.overdue,
            **fields,
        )


def _summary_counts(ids: Sequence[int] | None, a: int, b: int) -> dict[int, list[int]]:
    received = "received_truc_tiep + received_truc_tuyen + received_buu_chinh"
    resolved = "resolved_early + resolved_on_time + resolved_late"
    # the summary's counts of the period, in its column order; the due_passed pair is read
    # as a standing figure below
    flows = [c for c in summary.COUNT_COLUMNS if not c.startswith("due_passed")]
    cols = ",\n".join(f"SUM(CASE WHEN month >= {a} THEN {c} ELSE 0 END)" for c in flows)
    sql = f"""
SELECT unit_id,
  SUM(CASE WHEN month < {a} THEN {received} - ({resolved}) ELSE 0 END),
  {cols},
  SUM({received} - ({resolved})),
  SUM(due_passed - due_passed_finished)
FROM {summary.TABLE}
WHERE month <= {b}{_in_clause("unit_id", ids)}
GROUP BY unit_id"""
    with reading_connection(Dossier).cursor() as cursor:
        cursor.execute(sql)
        return {row[0]: list(row[1:]) for row in cursor.fetchall()}


class ArchivedPeriod(PeriodError):
    """A figure that needs the dossier rows of a period that an archived year's dossiers
    reach (partitions.archive_year): not counted without them, never shown as 0."""

    code = "archived"

    def __init__(self, years: Sequence[int], start: dt.date, end: dt.date) -> None:
        named = ", ".join(str(y) for y in sorted(years))
        super().__init__(ERR_ARCHIVED.format(years=named, start=vn_date(start), end=vn_date(end)))
        self.years = sorted(years)


ERR_ARCHIVED = (
    "Chưa có số liệu (đã lưu trữ): kỳ {start}–{end} cần từng hồ sơ năm {years}, đã tách "
    "khỏi bảng hồ sơ. Số liệu theo tháng báo cáo (ngày 15 tháng trước đến ngày 14) vẫn lấy "
    "từ bảng tổng hợp; muốn tính theo ngày hay theo lĩnh vực thì gắn lại năm đó "
    "(cchc dossiers unarchive-year)."
)


def _row_counts(
    ids: Sequence[int] | None, start: dt.date, end: dt.date
) -> dict[tuple[int, int], list[int]]:
    """The counts of the dossier rows of the period per (unit, procedure): one grouped read
    that serves the tables by unit and by field alike (RowRead)."""
    t = summary.true_sql()
    s, e = _date_sql(start), _date_sql(end)
    finished_in = f"d.finished_on IS NOT NULL AND d.finished_on <= {e}"
    pending = f"(d.finished_on IS NULL OR d.finished_on > {e})"
    early = f"d.due_on IS NOT NULL AND d.late_by_rule <> {t} AND d.finished_on < d.due_on"
    on_time = f"(d.due_on IS NULL OR (d.late_by_rule <> {t} AND d.finished_on = d.due_on))"
    late = f"d.due_on IS NOT NULL AND (d.late_by_rule = {t} OR d.finished_on > d.due_on)"
    # Open supplements are left to _open_supplement_overdue (the clock moves the date).
    overdue = (
        f"{pending} AND d.due_on IS NOT NULL AND (d.late_by_rule = {t} "
        f"OR (d.clock_stopped_on IS NULL AND d.due_on < {e}))"
    )

    def count(condition: str) -> str:
        return f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)"

    sql = f"""
SELECT d.unit_id, d.procedure_id,
  {count(f"d.received_on < {s}")},
  {count(f"d.received_on >= {s} AND d.channel = 'truc_tiep'")},
  {count(f"d.received_on >= {s} AND d.channel = 'truc_tuyen'")},
  {count(f"d.received_on >= {s} AND d.channel = 'buu_chinh'")},
  {count(f"d.received_on >= {s} AND d.intake_digitized = 'full'")},
  {count(f"d.received_on >= {s} AND d.paid_online = {t} AND d.fee > 0")},
  {count(f"{finished_in} AND {early}")},
  {count(f"{finished_in} AND {on_time}")},
  {count(f"{finished_in} AND {late}")},
  {count(f"{finished_in} AND d.result_digitized = {t}")},
  {count(f"d.received_on >= {s} AND d.fee > 0")},
  {count(pending)},
  {count(overdue)}
FROM dossiers_dossier d
WHERE d.received_on <= {e} AND (d.finished_on IS NULL OR d.finished_on >= {s})
  {_in_clause("d.unit_id", ids)}
GROUP BY d.unit_id, d.procedure_id
UNION ALL SELECT NULL, NULL, year, {", ".join(["0"] * 12)} FROM {ArchivedYear._meta.db_table}
WHERE year <= {end.year} AND last_finished_on >= {s}"""
    # The second part: a row (no group) per archived year whose dossiers these rows would
    # be, in the same query (no round trip more for the usual case, no year archived).
    with reading_connection(Dossier).cursor() as cursor:
        cursor.execute(sql)
        out = {}
        archived = []
        for row in cursor.fetchall():
            if row[0] is None:
                archived.append(row[2])
            else:
                out[(row[0], row[1])] = list(row[2:])
    if archived:
        raise ArchivedPeriod(archived, start, end)
    return out


def _open_supplement_overdue(ids: Sequence[int] | None, end: dt.date) -> dict[tuple[int, int], int]:
    """Dossiers waiting for a supplement at `end` that are overdue even with the clock
    stopped (their due date moves by the working days since the request, up to `end`),
    per (unit, procedure)."""
    qs = Dossier.objects.filter(
        # a range on the partial index's first column: the few rows, never a table scan
        clock_stopped_on__gte=dt.date(1900, 1, 1),
        late_by_rule=False,
        due_on__isnull=False,
        received_on__lte=end,
    )
    if ids is not None and len(ids) <= _IN_LIMIT:
        qs = qs.filter(unit_id__in=ids)
    out: dict[tuple[int, int], int] = defaultdict(int)
    calendar = None
    rows = qs.values_list("unit_id", "procedure_id", "due_on", "clock_stopped_on")
    for unit_id, procedure_id, due_on, stopped in rows:
        if calendar is None:
            calendar = work_calendar([end.year, due_on.year, stopped.year])
        effective = effective_due_date(due_on, [Supplement(stopped, None)], calendar, as_of=end)
        if effective is not None and effective < end:
            out[(unit_id, procedure_id)] += 1
    return out


_KEPT_ROWS = stamps.Kept(64)


class RowRead:
    """The dossier rows of a period for a set of units (None: every unit), read once and
    grouped by (unit, procedure): the tables by unit and by field are sums of the same
    cells, so a page that shows both reads the rows once (issue 13: the statistics page
    read them three times, by child, for the unit's own desk and by field)."""

    def __init__(self, ids: Sequence[int] | None, start: dt.date, end: dt.date) -> None:
        self.ids = None if ids is None else frozenset(ids)
        self.start, self.end = start, end
        ordered = None if ids is None else sorted(self.ids or ())

        def read(_missing=None) -> list[tuple[dict, dict]]:
            return [(_row_counts(ordered, start, end), _open_supplement_overdue(ordered, end))]

        if ordered is None:
            [(self.cells, self.open_overdue)] = read()
        else:
            # Kept under the units' stamps (cchc.core.stamps): a province's statistics are
            # read again only once a write to its dossiers, the calendar or the archive has
            # committed. The kept cells are shared: read, never changed.
            [(self.cells, self.open_overdue)] = _KEPT_ROWS.many(
                [(("rows", tuple(ordered), start, end), ordered)],
                read,
                using=reading_connection(Dossier).alias,
            )
        self._fields: dict[int, str] | None = None

    def covers(self, ids: Iterable[int] | None, start: dt.date, end: dt.date) -> bool:
        if (start, end) != (self.start, self.end):
            return False
        return self.ids is None or (ids is not None and self.ids.issuperset(ids))

    def _grouped(
        self, key: Callable[[tuple[int, int]], K], wanted: set[int] | None
    ) -> dict[K, _Counts]:
        rows: dict[K, list[list[int]]] = defaultdict(list)
        for cell, row in self.cells.items():
            if wanted is None or cell[0] in wanted:
                rows[key(cell)].append(row)
        out: dict[K, _Counts] = {}
        for group, members in rows.items():
            out[group] = counts = _Counts()
            # column sums in C: a province page has thousands of (unit, procedure) cells
            counts.add(
                members[0] if len(members) == 1 else [sum(c) for c in zip(*members, strict=True)]
            )
        for cell, n in self.open_overdue.items():
            found = out.get(key(cell)) if wanted is None or cell[0] in wanted else None
            if found is not None:  # a waiting dossier is one of the rows: its group is there
                found.overdue += n
        return out

    def by_unit(self, wanted: set[int] | None) -> dict[int, _Counts]:
        return self._grouped(lambda cell: cell[0], wanted)

    def by_field(self, wanted: set[int] | None) -> dict[str, _Counts]:
        if self._fields is None:
            procedure_ids = {cell[1] for cell in [*self.cells, *self.open_overdue]}
            self._fields = dict(
                Procedure.objects.filter(pk__in=procedure_ids).values_list("pk", "field")
            )
        fields = self._fields
        return self._grouped(lambda cell: fields.get(cell[1]) or "", wanted)


class RowReads:
    """The row reads of one page or report: a read for a set of units serves every later
    question about a subset of them over the same period (no second read of the rows).
    `scope`: the units every question will fall in (a unit and everything under it), read
    at the first question instead of the question's own units."""

    def __init__(
        self, scope: Iterable[int] | None = None, *, tree: tuple[str, list[_Path]] | None = None
    ) -> None:
        self.scope = None if scope is None else frozenset(scope)
        # (the root's path, the (id, path) of every unit under it): the subtree the scope
        # was read from, which answers "which units are under these?" for units inside it
        self.tree = tree
        self._reads: list[RowRead] = []

    def read(self, ids: Sequence[int] | None, start: dt.date, end: dt.date) -> RowRead:
        for done in self._reads:
            if done.covers(ids, start, end):
                return done
        if self.scope is not None and ids is not None and self.scope.issuperset(ids):
            ids = sorted(self.scope)
        read = RowRead(ids, start, end)
        self._reads.append(read)
        return read

    @classmethod
    def under(cls, unit: Unit) -> RowReads:
        """The reads of a page about the unit and everything under it."""
        tree = _subtree([unit.path])
        return cls([pk for pk, _ in tree], tree=(unit.path, tree))

    def descendants(self, units: Sequence[Unit]) -> dict[int, list[int]]:
        """_with_descendants, from the subtree already read when every unit is in it (the
        statistics page asked for the same paths three times: issue 13)."""
        if self.tree is not None and all(u.path.startswith(self.tree[0]) for u in units):
            return _with_descendants(units, within=self.tree[1])
        return _with_descendants(units)


def unit_counts(
    unit_ids: Sequence[int] | None,
    start: dt.date,
    end: dt.date,
    *,
    method: Method = "auto",
    reads: RowReads | None = None,
) -> dict[int, UnitStats]:
    """Statistics of each unit's own dossiers (not its children's), keyed by unit id.

    unit_ids None: every unit that has dossiers. Units without any figure are absent.
    `reads`: the page's row reads, to share one read of the rows with its other tables.
    """
    ids = None if unit_ids is None else sorted(set(unit_ids))
    wanted = None if ids is None else set(ids)
    months = summary.aligned_months(start, end)
    if method == "summary" and months is None:
        raise ValueError("the summary serves whole reporting months only")
    if months is not None and method in ("auto", "summary"):
        groups: dict[int, _Counts] = {}
        for unit_id, row in _summary_counts(ids, *months).items():
            if wanted is None or unit_id in wanted:
                groups.setdefault(unit_id, _Counts()).add(row)
        for (unit_id, _), n in _open_supplement_overdue(ids, end).items():
            if unit_id in groups:
                groups[unit_id].overdue += n
    else:
        groups = (reads or RowReads()).read(ids, start, end).by_unit(wanted)
    return {unit_id: counts.stats(str(unit_id)) for unit_id, counts in groups.items()}


_Path = tuple[int, str]


def _subtree(paths: Sequence[str]) -> list[_Path]:
    """(id, path) of every unit under any of the paths, in one query: the units under their
    common prefix (the children of one unit: its subtree), or, for units of different
    provinces, one condition per path. A province's 114 communes were 114 ORed conditions,
    whose building cost the ORM more than the query (issue 13)."""
    prefix = os.path.commonprefix(list(paths))
    if len(paths) > 1 and prefix.count("/") < 2:  # nothing in common but the root
        query = Q()
        for path in paths:
            query |= Q(path__startswith=path)
    else:
        query = Q(path__startswith=prefix)
    return list(Unit.objects.filter(query).values_list("id", "path"))


def _with_descendants(
    units: Iterable[Unit], within: Sequence[_Path] | None = None
) -> dict[int, list[int]]:
    """For each unit id: the ids of the unit and everything under it (one path query;
    `within`: a subtree already read that holds all of them)."""
    units = list(units)
    if not units:
        return {}
    rows = _subtree([u.path for u in units]) if within is None else within
    return {unit.pk: [pk for pk, path in rows if path.startswith(unit.path)] for unit in units}


def _relabel(stats: UnitStats, label: str) -> UnitStats:
    return UnitStats(label, *stats._counts())


def stats_by_unit(
    units: Iterable[Unit],
    period: Period | tuple[dt.date, dt.date],
    *,
    include_descendants: bool = False,
    method: Method = "auto",
    reads: RowReads | None = None,
) -> dict[str, UnitStats]:
    """One row per unit (labelled by its code), in the order given, then TOTAL_KEY over the
    distinct dossiers of all of them (a unit listed with its parent is not counted twice).
    Units without dossiers read zeros."""
    period = _period(period)
    units = list(units)
    if not include_descendants:
        groups = {u.pk: [u.pk] for u in units}
    else:
        groups = reads.descendants(units) if reads else _with_descendants(units)
    every_id = sorted({pk for ids in groups.values() for pk in ids})
    per_unit = unit_counts(every_id, period.start, period.end, method=method, reads=reads)
    out: dict[str, UnitStats] = {}
    for unit in units:
        parts = [per_unit[pk] for pk in groups[unit.pk] if pk in per_unit]
        out[unit.code] = _relabel(sum(parts, UnitStats(unit.code)), unit.code)
    total = sum(per_unit.values(), UnitStats(TOTAL_KEY))
    out[TOTAL_KEY] = _relabel(total, TOTAL_KEY)
    return out


def unit_stats(
    unit: Unit,
    period: Period | tuple[dt.date, dt.date],
    *,
    include_descendants: bool = False,
    method: Method = "auto",
    reads: RowReads | None = None,
) -> UnitStats:
    """Form 06/VPCP/KSTT for one unit (or the unit and everything under it)."""
    return stats_by_unit(
        [unit], period, include_descendants=include_descendants, method=method, reads=reads
    )[unit.code]


def all_units_stats(
    period: Period | tuple[dt.date, dt.date], *, method: Method = "auto"
) -> dict[str, UnitStats]:
    """Every unit that has dossiers, by unit code (scheme-qualified when codes collide),
    then TOTAL_KEY: the province-wide table."""
    period = _period(period)
    per_unit = unit_counts(None, period.start, period.end, method=method)
    units = Unit.objects.filter(pk__in=per_unit.keys()).values_list("pk", "scheme", "code")
    labels = {pk: (scheme, code) for pk, scheme, code in units}
    seen = Counter(code for _, code in labels.values())
    clash = {code for code, n in seen.items() if n > 1}

    def label(pk: int) -> str:
        scheme, code = labels[pk]
        return f"{scheme}-{code}" if code in clash else code

    out = {label(pk): _relabel(s, label(pk)) for pk, s in per_unit.items()}
    out = dict(sorted(out.items()))
    out[TOTAL_KEY] = _relabel(sum(per_unit.values(), UnitStats(TOTAL_KEY)), TOTAL_KEY)
    return out


def monthly_trend(
    unit: Unit,
    period: Period | tuple[dt.date, dt.date],
    *,
    include_descendants: bool = False,
) -> list[tuple[Period, UnitStats]]:
    """The unit's figures for each reporting month of the period (first and last cut to
    the period): joined with UnitStats.followed_by they give the period's figures."""
    period = _period(period)
    return [
        (month, unit_stats(unit, month, include_descendants=include_descendants))
        for month in months_in(period)
    ]


def stats_by_field(
    unit: Unit,
    period: Period | tuple[dt.date, dt.date],
    *,
    include_descendants: bool = False,
    reads: RowReads | None = None,
) -> dict[str, UnitStats]:
    """The unit's figures per procedure field (lĩnh vực), as the form groups its rows, then
    the dossiers of procedures without a field (NO_FIELD), then TOTAL_KEY. From the rows."""
    period = _period(period)
    if include_descendants:
        ids = (reads.descendants([unit]) if reads else _with_descendants([unit]))[unit.pk]
    else:
        ids = [unit.pk]
    groups = (reads or RowReads()).read(ids, period.start, period.end).by_field(set(ids))
    out: dict[str, UnitStats] = {}
    for field in sorted(groups, key=lambda f: (f == "", f)):
        label = field or NO_FIELD
        out[label] = groups[field].stats(label)
    out[TOTAL_KEY] = _relabel(sum(out.values(), UnitStats(TOTAL_KEY)), TOTAL_KEY)
    return out


# -- plain rows (the oracle's input, exports) ---------------------------------------------


def dossier_rows(
    unit_ids: Sequence[int] | None, *, as_of: dt.date, label: str = "code"
) -> Iterator[DossierRow]:
    """The dossiers as stats.DossierRow, with the due date the statistics use at `as_of`
    (an open supplement moves it) and late_by_rule; unit labelled by its code."""
    qs = Dossier.objects.all()
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=list(unit_ids))
    calendar = work_calendar([as_of.year])
    fields = (
        "code", "unit__code", "procedure__code", "channel", "received_on", "due_on",
        "finished_on", "intake_digitized", "result_digitized", "paid_online",
        "procedure__field", "late_by_rule", "clock_stopped_on", "fee",
    )  # fmt: skip
    for (code, unit, procedure, channel, received, due, finished, intake, result, paid,
         field, late, stopped, fee) in qs.values_list(*fields).iterator(chunk_size=5000):  # fmt: skip
        if stopped is not None and due is not None and not late:
            due = effective_due_date(due, [Supplement(stopped, None)], calendar, as_of=as_of)
        yield DossierRow(
            code, unit, procedure, channel, received, due, finished, intake,
            bool(result), bool(paid), field or None, bool(late),
            None if fee is None else int(fee),
        )  # fmt: skip


# -- the desk -----------------------------------------------------------------------------


def dossiers_of(unit: Unit) -> QuerySet[Dossier]:
    """A unit's dossiers with what a list shows (the caller checked the permission)."""
    return Dossier.objects.filter(unit=unit).select_related("procedure", "unit")


def dossier_detail(unit: Unit, pk: int) -> Dossier:
    """One dossier of the unit with its events and who made them (404 outside the unit)."""
    from django.shortcuts import get_object_or_404

    events = DossierEvent.objects.select_related("by").order_by("at", "pk")
    return get_object_or_404(
        Dossier.objects.select_related(
            "procedure", "unit", "first_import__by", "last_import__by"
        ).prefetch_related(Prefetch("events", queryset=events)),
        unit=unit,
        pk=pk,
    )


def judge_open(dossier: Dossier, today: dt.date) -> str:
    """clock.standing of an unfinished dossier at today, its open supplement request (if
    any) moving the due date by the working days the clock has stood still."""
    due = dossier.due_on
    if due is not None and dossier.clock_stopped_on is not None and not dossier.late_by_rule:
        calendar = work_calendar([today.year, due.year, dossier.clock_stopped_on.year])
        due = effective_due_date(
            due, [Supplement(dossier.clock_stopped_on, None)], calendar, as_of=today
        )
    return standing(due=due, finished=None, as_of=today, late_by_rule=dossier.late_by_rule)


def overdue_q(today: dt.date) -> Q:
    """Overdue at today, for dossiers whose clock runs: clock.standing as a filter (a second
    request is late whatever the dates; no due date never is). The few dossiers waiting for
    a supplement are judged by judge_open (overdue_open)."""
    return Q(due_on__isnull=False) & (
        Q(late_by_rule=True) | Q(clock_stopped_on__isnull=True, due_on__lt=today)
    )


def overdue_open(qs: QuerySet[Dossier], today: dt.date) -> QuerySet[Dossier]:
    """The open dossiers of qs overdue at today: the one "overdue" filter of the desk's
    list, its counter, the inbox and the statistics (which count the same dossiers)."""
    open_qs = qs.filter(
        status__in=[Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT_REQUESTED]
    )
    waiting = open_qs.filter(
        clock_stopped_on__gte=dt.date(1900, 1, 1), late_by_rule=False, due_on__isnull=False
    )
    late_waiting = [d.pk for d in waiting.select_related(None).only("pk", "due_on", "clock_stopped_on", "late_by_rule")
                    if judge_open(d, today) == OVERDUE]  # fmt: skip
    return open_qs.filter(overdue_q(today) | Q(pk__in=late_waiting))


def overdue_open_dossiers(unit: Unit, *, today: dt.date) -> QuerySet[Dossier]:
    """Open dossiers past their due date (or late by rule): the desk's inbox."""
    return overdue_open(dossiers_of(unit), today).order_by("due_on")


def latest_apology(dossier: Dossier) -> DossierEvent | None:
    return dossier.events.filter(kind=EventKind.APOLOGY).order_by("-at", "-pk").first()


def procedures() -> QuerySet[Procedure]:
    return Procedure.objects.all()
