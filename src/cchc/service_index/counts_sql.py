"""The QĐ 766 dossier counts as one SQL statement (selectors.IndexComputer runs it).

Each dossier count of counts.py is a condition on one dossier row (d) and its procedure
(p); a grouped SELECT sums them per unit for one period, and the parts of a page (the
unit's period and months, its peers) go as one query joined by UNION ALL. Hand-written
SQL: the same query built through the ORM spends ~50 times longer composing 20
conditional aggregates than the database spends running it. The tests of selectors check
these counts against the plain rules of counts.py.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from django.db import connection

from cchc.dossiers.models import Channel, Dossier, Procedure, Rating
from cchc.dossiers.periods import Period

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
