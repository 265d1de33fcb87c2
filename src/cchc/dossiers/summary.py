"""The per-unit, per-reporting-month summary that province-wide statistics read.

DESIGN.md, "Scale": scanning millions of raw rows takes seconds, so the figures of form
06/VPCP/KSTT for whole reporting months come from DossierMonthStat, kept current by the
services (one dossier at a time, `apply_change`) and by the import (set-based, SQL).

Every standard period (year, half, quarter, month: 15th to 14th) is a run of whole
reporting months [a, b] (month indexes, see `month_index`). With the dates of a dossier
compared as calendar dates and finished ≥ received, due ≥ received (database checks):

- carried_over = #(received month < a) − #(finished month < a)  (a dossier finished
  before `from` was received before it);
- received, intake_full, paid_online: sums by the month received, over [a, b];
- resolved early / on_time / late, result_digitized: sums by the month finished, over
  [a, b]; the outcome is fixed when the dossier finishes;
- pending = #(received month ≤ b) − #(finished month ≤ b);
- overdue = #(due < to) − #(due < to and finished ≤ to), since a dossier past due was
  received before `to`. "due < to" is "month of (due + 1 day) ≤ b", and "due < to and
  finished ≤ to" is "max(month of (due + 1), month finished) ≤ b": two more flows,
  `due_passed` and `due_passed_finished`;
- in_time = pending − overdue.

So carried_over + received = resolved + pending holds by construction, as on the form.

Two kinds of dossier do not follow their dates:
- late_by_rule (second supplement request, QĐ 766 indicator 2.1): late when finished,
  overdue while pending, whatever the dates. Its "due" for the summary is the day before
  receipt, so it is past due from the month received on. Without a due date it is never
  late (clock.py), like every other dossier;
- an open supplement request (clock_stopped_on): its due date moves up to the day of the
  report, so it is left out of the due flows and read as a row (an indexed, small set).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.db import connection

from cchc.dossiers.clock import form06_slot, standing
from cchc.dossiers.periods import Period, period_for, reporting_month_of

COUNT_COLUMNS: tuple[str, ...] = (
    "received_truc_tiep",
    "received_truc_tuyen",
    "received_buu_chinh",
    "intake_full",
    "paid_online",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "result_digitized",
    "due_passed",
    "due_passed_finished",
    "fee_required",
)

TABLE = "dossiers_dossiermonthstat"
ONE_DAY = dt.timedelta(days=1)


def month_index(day: dt.date) -> int:
    """Index of the reporting month holding the day: Tháng 1/2023 (15/12/2022–14/1/2023)
    is 2023 * 12 + 0."""
    year, month = reporting_month_of(day)
    return year * 12 + month - 1


def month_period(index: int) -> Period:
    return period_for("month", index // 12, index % 12 + 1)


def aligned_months(start: dt.date, end: dt.date) -> tuple[int, int] | None:
    """(a, b) when [start, end] is a run of whole reporting months, else None."""
    a, b = month_index(start), month_index(end)
    if month_period(a).start == start and month_period(b).end == end:
        return a, b
    return None


@dataclass(frozen=True, slots=True)
class Facts:
    """What the summary needs of one dossier."""

    unit_id: int
    channel: str
    received_on: dt.date
    due_on: dt.date | None
    finished_on: dt.date | None
    intake_digitized: str
    paid_online: bool
    result_digitized: bool
    late_by_rule: bool
    clock_stopped: bool
    fee_required: bool = False  # carries a fee: the online-payment rate's denominator


def outcome(facts: Facts) -> str | None:
    """early / on_time / late of a finished dossier (None if unfinished): the one rule
    (clock.standing) judged the day it finished; no due date reads on time (form06_slot)."""
    if facts.finished_on is None:
        return None
    state = standing(
        due=facts.due_on,
        finished=facts.finished_on,
        as_of=facts.finished_on,
        late_by_rule=facts.late_by_rule,
    )
    return form06_slot(state, finished=True)


def contribution(facts: Facts) -> dict[tuple[int, int], dict[str, int]]:
    """{(unit_id, month): {column: count}} that one dossier adds to the summary."""
    out: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    unit = facts.unit_id
    received = out[(unit, month_index(facts.received_on))]
    received[f"received_{facts.channel}"] += 1
    if facts.intake_digitized == "full":
        received["intake_full"] += 1
    if facts.fee_required:
        received["fee_required"] += 1
        if facts.paid_online:
            received["paid_online"] += 1
    finished_month = None
    if facts.finished_on is not None:
        finished_month = month_index(facts.finished_on)
        finished = out[(unit, finished_month)]
        finished[f"resolved_{outcome(facts)}"] += 1
        if facts.result_digitized:
            finished["result_digitized"] += 1
    if facts.due_on is not None and (facts.late_by_rule or not facts.clock_stopped):
        due = facts.received_on - ONE_DAY if facts.late_by_rule else facts.due_on
        passed_month = month_index(due + ONE_DAY)
        out[(unit, passed_month)]["due_passed"] += 1
        if finished_month is not None:
            out[(unit, max(passed_month, finished_month))]["due_passed_finished"] += 1
    return out


def difference(
    after: Mapping[tuple[int, int], Mapping[str, int]],
    before: Mapping[tuple[int, int], Mapping[str, int]],
) -> dict[tuple[int, int], dict[str, int]]:
    delta: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for key, counts in after.items():
        for column, n in counts.items():
            delta[key][column] += n
    for key, counts in before.items():
        for column, n in counts.items():
            delta[key][column] -= n
    return {
        key: {c: n for c, n in counts.items() if n}
        for key, counts in delta.items()
        if any(counts.values())
    }


def apply(delta: Mapping[tuple[int, int], Mapping[str, int]]) -> None:
    """Add the delta to the summary rows (created as needed)."""
    keys = sorted(delta)
    apply_columns(
        [unit for unit, _ in keys],
        [month for _, month in keys],
        {c: [delta[key].get(c, 0) for key in keys] for c in COUNT_COLUMNS},
    )


def apply_columns(
    units: Sequence[int], months: Sequence[int], counts: Mapping[str, Sequence[int]]
) -> None:
    """`apply`, the delta given column by column: row i adds counts[c][i] to the summary
    row (units[i], months[i]) for each column c of COUNT_COLUMNS (absent: 0). The rows in
    (unit, month) order, so that concurrent writers lock summary rows in the same order."""
    if not len(units):
        return
    zeros = [0] * len(units)
    values = [counts.get(c, zeros) for c in COUNT_COLUMNS]
    columns = ", ".join(COUNT_COLUMNS)
    updates = ", ".join(f"{c} = {TABLE}.{c} + excluded.{c}" for c in COUNT_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One statement of 13 arrays: an import touches tens of thousands of unit-months.
            # Each array is sent as the text of its literal: adapting 13 lists of 20,000
            # integers one by one took the driver 0.2 s of a monthly export's 0.3 s here.
            arrays = ", ".join(
                ["%s::bigint[]", "%s::integer[]"] + ["%s::integer[]"] * len(COUNT_COLUMNS)
            )
            cursor.execute(
                f"INSERT INTO {TABLE} (unit_id, month, {columns}) "
                f"SELECT * FROM unnest({arrays}) "
                f"ON CONFLICT (unit_id, month) DO UPDATE SET {updates}",
                ["{" + ",".join(map(str, column)) + "}" for column in (units, months, *values)],
            )
            return
        # SQLite: many rows per statement; 500 rows of 13 values stay under its limit of
        # 32,766 parameters.
        rows = list(zip(units, months, *values, strict=True))
        row = "(" + ", ".join(["%s"] * (len(COUNT_COLUMNS) + 2)) + ")"
        for start in range(0, len(rows), 500):
            batch = rows[start : start + 500]
            cursor.execute(
                f"INSERT INTO {TABLE} (unit_id, month, {columns}) "
                f"VALUES {', '.join([row] * len(batch))} "
                f"ON CONFLICT (unit_id, month) DO UPDATE SET {updates}",
                [value for r in batch for value in r],
            )


def apply_change(before: Facts | None, after: Facts | None) -> None:
    """Keep the summary current when one dossier is created or changed."""
    apply(
        difference(
            contribution(after) if after is not None else {},
            contribution(before) if before is not None else {},
        )
    )


# -- set-based maintenance ----------------------------------------------------------------


def month_sql(expr: str) -> str:
    """SQL for month_index(expr) of a date expression: the reporting month of d is the
    calendar month of (d − 14 days) plus one."""
    if connection.vendor == "postgresql":
        shifted = f"(({expr}) - 14)"
        return (
            f"(CAST(EXTRACT(YEAR FROM {shifted}) AS integer) * 12 "
            f"+ CAST(EXTRACT(MONTH FROM {shifted}) AS integer))"
        )
    shifted = f"date({expr}, '-14 days')"
    return (
        f"(CAST(strftime('%Y', {shifted}) AS integer) * 12 "
        f"+ CAST(strftime('%m', {shifted}) AS integer))"
    )


def plus_one_day_sql(expr: str) -> str:
    if connection.vendor == "postgresql":
        return f"(({expr}) + 1)"
    return f"date({expr}, '+1 day')"


def minus_one_day_sql(expr: str) -> str:
    if connection.vendor == "postgresql":
        return f"(({expr}) - 1)"
    return f"date({expr}, '-1 day')"


def true_sql() -> str:
    return "TRUE" if connection.vendor == "postgresql" else "1"


def contribution_select(
    source: str, *, sign: int = 1, where: str = "", precomputed: bool = False
) -> str:
    """A SELECT of (unit_id, month, the counts) that the rows of `source` (a table with the
    Dossier columns) contribute, grouped by (unit_id, month).

    The same rules as `contribution`, in SQL, for the import and for rebuilding.
    precomputed: the source has the month indexes already (m_received, m_finished,
    m_due_passed: the import's staging table), no date arithmetic per row.
    """
    t = true_sql()
    if precomputed:
        received_month, finished_month = "m_received", "m_finished"
        passed_due = f"CASE WHEN late_by_rule = {t} THEN m_received ELSE m_due_passed END"
    else:
        received_month, finished_month = month_sql("received_on"), month_sql("finished_on")
        passed_due = (
            f"CASE WHEN late_by_rule = {t} THEN {received_month} "
            f"ELSE {month_sql(plus_one_day_sql('due_on'))} END"
        )
    has_due = f"due_on IS NOT NULL AND (late_by_rule = {t} OR clock_stopped_on IS NULL)"
    outcome_early = f"due_on IS NOT NULL AND late_by_rule <> {t} AND finished_on < due_on"
    outcome_on_time = f"(due_on IS NULL OR (late_by_rule <> {t} AND finished_on = due_on))"
    outcome_late = f"due_on IS NOT NULL AND (late_by_rule = {t} OR finished_on > due_on)"
    s = int(sign)
    zeros9 = ", ".join(["0"] * 9)
    filt = f"WHERE {where}" if where else ""
    # Three kinds of facts, each keyed by its own month, unioned then summed.
    return f"""
SELECT unit_id, month,
  SUM(received_truc_tiep) AS received_truc_tiep, SUM(received_truc_tuyen) AS received_truc_tuyen,
  SUM(received_buu_chinh) AS received_buu_chinh, SUM(intake_full) AS intake_full,
  SUM(paid_online) AS paid_online, SUM(resolved_early) AS resolved_early,
  SUM(resolved_on_time) AS resolved_on_time, SUM(resolved_late) AS resolved_late,
  SUM(result_digitized) AS result_digitized, SUM(due_passed) AS due_passed,
  SUM(due_passed_finished) AS due_passed_finished, SUM(fee_required) AS fee_required
FROM (
  SELECT unit_id, {received_month} AS month,
    {s} * SUM(CASE WHEN channel = 'truc_tiep' THEN 1 ELSE 0 END) AS received_truc_tiep,
    {s} * SUM(CASE WHEN channel = 'truc_tuyen' THEN 1 ELSE 0 END) AS received_truc_tuyen,
    {s} * SUM(CASE WHEN channel = 'buu_chinh' THEN 1 ELSE 0 END) AS received_buu_chinh,
    {s} * SUM(CASE WHEN intake_digitized = 'full' THEN 1 ELSE 0 END) AS intake_full,
    {s} * SUM(CASE WHEN paid_online = {t} AND fee > 0 THEN 1 ELSE 0 END) AS paid_online,
    0 AS resolved_early, 0 AS resolved_on_time, 0 AS resolved_late, 0 AS result_digitized,
    0 AS due_passed, 0 AS due_passed_finished,
    {s} * SUM(CASE WHEN fee > 0 THEN 1 ELSE 0 END) AS fee_required
  FROM {source} {filt}
  GROUP BY 1, 2
  UNION ALL
  SELECT unit_id, {finished_month} AS month, 0, 0, 0, 0, 0,
    {s} * SUM(CASE WHEN {outcome_early} THEN 1 ELSE 0 END),
    {s} * SUM(CASE WHEN {outcome_on_time} THEN 1 ELSE 0 END),
    {s} * SUM(CASE WHEN {outcome_late} THEN 1 ELSE 0 END),
    {s} * SUM(CASE WHEN result_digitized = {t} THEN 1 ELSE 0 END),
    0, 0, 0
  FROM {source} WHERE finished_on IS NOT NULL {"AND " + where if where else ""}
  GROUP BY 1, 2
  UNION ALL
  SELECT unit_id, passed AS month, {zeros9},
    {s} * COUNT(*), 0, 0
  FROM (SELECT unit_id, {passed_due} AS passed FROM {source}
        WHERE {has_due} {"AND " + where if where else ""}) AS due_rows
  GROUP BY 1, 2
  UNION ALL
  SELECT unit_id, CASE WHEN passed > fin THEN passed ELSE fin END AS month, {zeros9},
    0, {s} * COUNT(*), 0
  FROM (SELECT unit_id, {passed_due} AS passed, {finished_month} AS fin FROM {source}
        WHERE {has_due} AND finished_on IS NOT NULL {"AND " + where if where else ""})
    AS due_finished
  GROUP BY 1, 2
) AS parts
GROUP BY unit_id, month
"""


def merge_select(select_sql: str, params: Iterable[object] = ()) -> None:
    """Add the rows of a contribution SELECT into the summary (upsert-add)."""
    columns = ", ".join(COUNT_COLUMNS)
    updates = ", ".join(f"{c} = {TABLE}.{c} + excluded.{c}" for c in COUNT_COLUMNS)
    # SQLite needs a WHERE on an INSERT … SELECT … ON CONFLICT to parse the upsert.
    sql = (
        f"INSERT INTO {TABLE} (unit_id, month, {columns}) "
        f"SELECT unit_id, month, {columns} FROM ({select_sql}) AS delta WHERE {true_sql()} "
        f"ON CONFLICT (unit_id, month) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))


def rebuild(unit_ids: Iterable[int] | None = None) -> None:
    """Recompute the summary from the dossiers (all units, or the units given)."""
    from cchc.dossiers.models import Dossier, DossierMonthStat

    table = Dossier._meta.db_table
    if unit_ids is None:
        DossierMonthStat.objects.all().delete()
        merge_select(contribution_select(table))
        return
    ids = sorted(set(unit_ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        DossierMonthStat.objects.filter(unit_id__in=chunk).delete()
        marks = ", ".join(["%s"] * len(chunk))
        merge_select(contribution_select(table, where=f"unit_id IN ({marks})"), chunk * 4)
