"""The dossier figures that `method: metric` criteria of a framework refer to.

Registered with cchc.core.metrics in DossiersConfig.ready(). A unit's figures are those of
the unit and everything under it (a district's on-time rate counts its communes' desks),
over the evaluation's period, from selectors.unit_stats (the summary for whole reporting
months, the rows otherwise). Rates are unrounded percentages (docs/dossier-stats.md,
"Rates": rounding happens once, for display, never before scoring); a rate without a
denominator is None, "no data", never 0 or 100.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from cchc.core.formatting import to_decimal
from cchc.dossiers.periods import PeriodError, counted, custom_period, vn_today

RATE_METRICS: dict[str, str] = {
    "on_time_rate": "Tỷ lệ hồ sơ giải quyết đúng hạn (%)",
    "online_rate": "Tỷ lệ hồ sơ tiếp nhận trực tuyến (%)",
    "intake_digitized_rate": "Tỷ lệ hồ sơ số hóa đầy đủ khi tiếp nhận (%)",
    "result_digitized_rate": "Tỷ lệ kết quả giải quyết được số hóa (%)",
    "paid_online_rate": "Tỷ lệ hồ sơ thanh toán trực tuyến (%)",
}
COUNT_METRICS: dict[str, str] = {
    "carried_over_count": "Số hồ sơ từ kỳ trước chuyển qua",
    "received_count": "Số hồ sơ tiếp nhận trong kỳ",
    "received_online_count": "Số hồ sơ tiếp nhận trực tuyến",
    "resolved_count": "Số hồ sơ đã giải quyết",
    "early_count": "Số hồ sơ giải quyết trước hạn",
    "on_time_count": "Số hồ sơ giải quyết đúng hạn",
    "late_count": "Số hồ sơ giải quyết quá hạn",
    "pending_count": "Số hồ sơ đang giải quyết",
    "pending_in_time_count": "Số hồ sơ đang giải quyết trong hạn",
    "pending_overdue_count": "Số hồ sơ đang giải quyết quá hạn",
}
METRICS: dict[str, str] = {**RATE_METRICS, **COUNT_METRICS}


def _rate(numerator: int, denominator: int) -> Decimal | None:
    return to_decimal(numerator) * 100 / to_decimal(denominator) if denominator else None


def measure(unit, start: dt.date, end: dt.date, names: set[str]) -> dict[str, Decimal | None]:
    """The named dossier figures of the unit (and everything under it) over [start, end]."""
    from cchc.dossiers.selectors import unit_stats

    try:
        # counted to today at the latest, like every other figure (periods.counted)
        period = counted(custom_period(start, end), vn_today())
    except PeriodError:
        return dict.fromkeys(names)  # a period not begun: no data, never zero
    s = unit_stats(unit, period, include_descendants=True)
    received, resolved = s.received_total, s.resolved_total
    values: dict[str, Decimal | int | None] = {
        "on_time_rate": _rate(s.resolved_early + s.resolved_on_time, resolved),
        "online_rate": _rate(s.received_truc_tuyen, received),
        "intake_digitized_rate": _rate(s.intake_digitized_full, received),
        "result_digitized_rate": _rate(s.result_digitized, resolved),
        "paid_online_rate": _rate(s.paid_online, s.fee_required),
        "carried_over_count": s.carried_over,
        "received_count": received,
        "received_online_count": s.received_truc_tuyen,
        "resolved_count": resolved,
        "early_count": s.resolved_early,
        "on_time_count": s.resolved_on_time,
        "late_count": s.resolved_late,
        "pending_count": s.pending_total,
        "pending_in_time_count": s.pending_in_time,
        "pending_overdue_count": s.pending_overdue,
    }
    return {
        name: None if values[name] is None else to_decimal(values[name])  # type: ignore[arg-type]
        for name in names
        if name in values
    }


def register() -> None:
    from cchc.core.metrics import register_metric_provider

    register_metric_provider(names=METRICS, measure=measure, label="Hồ sơ TTHC")
