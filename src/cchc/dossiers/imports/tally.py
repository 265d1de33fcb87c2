"""The share of the monthly summary (summary.COUNT_COLUMNS) that checked rows add,
column-wise."""

from __future__ import annotations

import polars as pl

from cchc.dossiers import summary


def _months(day: pl.Expr) -> pl.Expr:
    """summary.month_index of a date column: the calendar month of (day − 14) plus one."""
    shifted = day - pl.duration(days=14)
    return shifted.dt.year().cast(pl.Int64) * 12 + shifted.dt.month().cast(pl.Int64)


def with_months(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(
        m_received=_months(pl.col("received_on")),
        m_finished=_months(pl.col("finished_on")),
        m_due_passed=_months(pl.col("due_on") + pl.duration(days=1)),
    )


def tally(frame: pl.DataFrame) -> pl.DataFrame:
    """(unit_id, month, summary.COUNT_COLUMNS…) that the staged rows add to the monthly
    summary: summary.contribution_select(precomputed=True), column-wise. An imported row
    has no open supplement request; a frame with a boolean `clock_stopped` column (an
    update's rows: summary's clock_stopped_on IS NOT NULL) leaves those out of the due
    flows unless late by rule, as the SQL does."""
    col = pl.col
    done = col("finished_on").is_not_null()
    has_due = col("due_on").is_not_null()
    if "clock_stopped" in frame.columns:
        has_due = has_due & (col("late_by_rule") | ~col("clock_stopped"))
    fee = col("fee").fill_null(0) > 0
    early = has_due & ~col("late_by_rule") & (col("finished_on") < col("due_on"))
    late = has_due & (col("late_by_rule") | (col("finished_on") > col("due_on")))
    passed = pl.when(col("late_by_rule")).then(col("m_received")).otherwise(col("m_due_passed"))
    count = pl.len().cast(pl.Int64)

    def total(condition: pl.Expr) -> pl.Expr:
        return condition.cast(pl.Int64).sum()

    parts = [
        frame.group_by("unit_id", col("m_received").alias("month")).agg(
            received_truc_tiep=total(col("channel") == "truc_tiep"),
            received_truc_tuyen=total(col("channel") == "truc_tuyen"),
            received_buu_chinh=total(col("channel") == "buu_chinh"),
            intake_full=total(col("intake_digitized") == "full"),
            paid_online=total(col("paid_online") & fee),
            fee_required=total(fee),
        ),
        frame.filter(done)
        .group_by("unit_id", col("m_finished").alias("month"))
        .agg(
            resolved_early=total(early),
            resolved_on_time=total(~early & ~late),
            resolved_late=total(late),
            result_digitized=total(col("result_digitized")),
        ),
        frame.filter(has_due).group_by("unit_id", passed.alias("month")).agg(due_passed=count),
        frame.filter(has_due & done)
        .group_by("unit_id", pl.max_horizontal(passed, col("m_finished")).alias("month"))
        .agg(due_passed_finished=count),
    ]
    return sum_tallies(parts)


def sum_tallies(parts: list[pl.DataFrame]) -> pl.DataFrame:
    columns = list(summary.COUNT_COLUMNS)
    return (
        pl.concat(parts, how="diagonal_relaxed")
        .group_by("unit_id", "month")
        .agg(pl.col(c).fill_null(0).sum() for c in columns)
        .select("unit_id", "month", *columns)
    )


def delta(tallies: list[pl.DataFrame]) -> dict[tuple[int, int], dict[str, int]]:
    """The tallies summed, as summary.apply takes them."""
    if not tallies:
        return {}
    total = sum_tallies(tallies)
    return {
        (unit, month): dict(zip(summary.COUNT_COLUMNS, counts, strict=True))
        for unit, month, *counts in total.iter_rows()
    }
