"""Dossier statistics of form 06/VPCP/KSTT (Thông tư 01/2020/TT-VPCP), over plain rows.

For a group of dossiers (a unit, a procedure field, a province) and a period [start, end],
both ends included, dates compared as calendar dates:

- carried_over (từ kỳ trước): received before start, not finished before start;
- received (số hồ sơ nhận giải quyết trong kỳ): received within the period, by channel;
- resolved (đã giải quyết): of carried_over + received, finished within the period:
  early (trước hạn: finish date before the due date), on_time (đúng hạn: on it),
  late (quá hạn: after it);
- pending (đang giải quyết): of carried_over + received, not finished by end:
  in_time (trong hạn: due date on or after end), overdue (quá hạn: before end).

Every dossier of carried_over + received is either resolved or pending, so
carried_over + received.total == resolved.total + pending.total by construction (the form's
identity, col. 3 = 7 + 11). The rates are percentages rounded half-up to 2 places, None
(no data) when the denominator is 0.

`due` is the effective due date (after the clock's supplement stops, see clock.py): these
functions do not know the dossier's history.

Plain module: no Django import. The database layer computes the same figures with SQL
aggregates; these functions are the reference they are tested against.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any, Literal

from cchc.core.formatting import percent, to_decimal, vn_date
from cchc.dossiers.clock import EARLY, IN_TIME, LATE, ON_TIME, OVERDUE, form06_slot, standing
from cchc.dossiers.periods import Period, months_in

Channel = Literal["truc_tiep", "truc_tuyen", "buu_chinh"]
IntakeLevel = Literal["none", "partial", "full"]

CHANNELS: tuple[str, ...] = ("truc_tiep", "truc_tuyen", "buu_chinh")
INTAKE_LEVELS: tuple[str, ...] = ("none", "partial", "full")

CHANNEL_LABELS = {
    "truc_tiep": "Trực tiếp",
    "truc_tuyen": "Trực tuyến",
    "buu_chinh": "Bưu chính công ích",
}
INTAKE_LABELS = {"none": "Không số hóa", "partial": "Số hóa một phần", "full": "Số hóa đầy đủ"}

# Key and label of the row that sums every group.
TOTAL_KEY = "Tổng cộng"
# Group of dossiers whose procedure has no field (lĩnh vực) recorded.
NO_FIELD = "Chưa xác định lĩnh vực"

ERR_CHANNEL = "Kênh tiếp nhận '{value}' không hợp lệ; dùng một trong: {expected}"
ERR_INTAKE = "Mức số hóa '{value}' không hợp lệ; dùng một trong: {expected}"
ERR_FINISHED_BEFORE_RECEIVED = "Ngày giải quyết {finished} trước ngày tiếp nhận {received}"
ERR_DUE_BEFORE_RECEIVED = "Hạn giải quyết {due} trước ngày tiếp nhận {received}"
ERR_PERIOD = "Ngày bắt đầu {start} sau ngày kết thúc {end}"


class DossierRowError(ValueError):
    def __init__(self, code: str, field: str, message: str) -> None:
        self.code = code
        self.field = field
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class DossierRow:
    code: str
    unit: str
    procedure: str
    channel: str
    received: dt.date
    due: dt.date | None
    finished: dt.date | None
    intake_digitized: str
    result_digitized: bool
    paid_online: bool
    field: str | None = None
    # A second supplement request (QĐ 766 indicator 2.1): late if finished, overdue if
    # pending, whatever the dates; a dossier without a due date is still never late.
    late_by_rule: bool = False
    # Fee in đồng (issue 14): None = none known. A dossier carrying a fee (> 0) is in the
    # online-payment rate's denominator.
    fee: int | None = None

    @property
    def fee_required(self) -> bool:
        return (self.fee or 0) > 0

    def __post_init__(self) -> None:
        if self.channel not in CHANNELS:
            raise DossierRowError(
                "channel",
                "channel",
                ERR_CHANNEL.format(value=self.channel, expected=", ".join(CHANNELS)),
            )
        if self.intake_digitized not in INTAKE_LEVELS:
            raise DossierRowError(
                "intake_digitized",
                "intake_digitized",
                ERR_INTAKE.format(value=self.intake_digitized, expected=", ".join(INTAKE_LEVELS)),
            )
        # A dossier finished before it was received is impossible, and it would fall out of
        # both "resolved" and "pending", breaking the form's identity.
        if self.finished is not None and self.finished < self.received:
            raise DossierRowError(
                "finished_before_received",
                "finished",
                ERR_FINISHED_BEFORE_RECEIVED.format(
                    finished=vn_date(self.finished), received=vn_date(self.received)
                ),
            )
        if self.due is not None and self.due < self.received:
            raise DossierRowError(
                "due_before_received",
                "due",
                ERR_DUE_BEFORE_RECEIVED.format(
                    due=vn_date(self.due), received=vn_date(self.received)
                ),
            )


@dataclass(frozen=True)
class Rates:
    """Percentages rounded half-up to 2 places; None = no denominator (không có số liệu)."""

    online: Decimal | None
    on_time: Decimal | None
    intake_digitized: Decimal | None
    result_digitized: Decimal | None
    paid_online: Decimal | None


@dataclass(frozen=True)
class UnitStats:
    """One row of form 06/VPCP/KSTT for one group (unit, field or total) and one period."""

    unit: str
    carried_over: int = 0
    received_truc_tiep: int = 0
    received_truc_tuyen: int = 0
    received_buu_chinh: int = 0
    resolved_early: int = 0
    resolved_on_time: int = 0
    resolved_late: int = 0
    pending_in_time: int = 0
    pending_overdue: int = 0
    # numerators of the rates
    intake_digitized_full: int = 0  # received in the period with every component digitised
    result_digitized: int = 0  # resolved in the period with a digitised result
    paid_online: int = 0  # received in the period, carrying a fee, and paid online
    fee_required: int = 0  # received in the period and carrying a fee

    @property
    def received_total(self) -> int:
        return self.received_truc_tiep + self.received_truc_tuyen + self.received_buu_chinh

    @property
    def resolved_total(self) -> int:
        return self.resolved_early + self.resolved_on_time + self.resolved_late

    @property
    def pending_total(self) -> int:
        return self.pending_in_time + self.pending_overdue

    def identity_holds(self) -> bool:
        """carried_over + received.total == resolved.total + pending.total (form col. 3 = 7 + 11)."""
        return self.carried_over + self.received_total == self.resolved_total + self.pending_total

    @property
    def rates(self) -> Rates:
        received, resolved = self.received_total, self.resolved_total
        return Rates(
            online=percent(self.received_truc_tuyen, received),
            on_time=percent(self.resolved_early + self.resolved_on_time, resolved),
            intake_digitized=percent(self.intake_digitized_full, received),
            result_digitized=percent(self.result_digitized, resolved),
            # QĐ 766 indicator 3.6 and the TT01 pages alike: paid online over the dossiers
            # that carry a fee; none carries one: no rate (không có số liệu), never 0,00.
            paid_online=percent(self.paid_online, self.fee_required),
        )

    def metrics(self) -> dict[str, Decimal | int | None]:
        """Named figures for `method: metric` criteria. Rates are unrounded percentages
        (rounding happens once, for display, never before scoring)."""

        def rate(num: int, den: int) -> Decimal | None:
            return to_decimal(num) * 100 / to_decimal(den) if den else None

        received, resolved = self.received_total, self.resolved_total
        return {
            "on_time_rate": rate(self.resolved_early + self.resolved_on_time, resolved),
            "online_rate": rate(self.received_truc_tuyen, received),
            "intake_digitized_rate": rate(self.intake_digitized_full, received),
            "result_digitized_rate": rate(self.result_digitized, resolved),
            "paid_online_rate": rate(self.paid_online, self.fee_required),
            "carried_over": self.carried_over,
            "received": received,
            "received_online": self.received_truc_tuyen,
            "resolved": resolved,
            "resolved_early": self.resolved_early,
            "resolved_on_time": self.resolved_on_time,
            "resolved_late": self.resolved_late,
            "pending": self.pending_total,
            "pending_overdue": self.pending_overdue,
        }

    def _counts(self) -> tuple[int, ...]:
        return tuple(getattr(self, name) for name in _COUNT_FIELDS)

    def __add__(self, other: UnitStats) -> UnitStats:
        """Sum of two disjoint groups over the SAME period (units into a province total).

        For consecutive periods of one group use followed_by: carried_over and pending
        are stocks, not flows, and must not be added.
        """
        if not isinstance(other, UnitStats):
            return NotImplemented
        unit = self.unit if self.unit == other.unit else TOTAL_KEY
        summed = (a + b for a, b in zip(self._counts(), other._counts(), strict=True))
        return UnitStats(unit, *summed)

    def __radd__(self, other: object) -> UnitStats:
        # sum(stats) starts from 0
        if other == 0:
            return self
        return NotImplemented

    def followed_by(self, later: UnitStats) -> UnitStats:
        """The same group over this period and the one right after it, joined.

        Stocks come from the ends (carried_over from the first part, pending from the
        second), flows are added: how per-month summaries roll up into any period.
        """
        return UnitStats(
            self.unit,
            carried_over=self.carried_over,
            received_truc_tiep=self.received_truc_tiep + later.received_truc_tiep,
            received_truc_tuyen=self.received_truc_tuyen + later.received_truc_tuyen,
            received_buu_chinh=self.received_buu_chinh + later.received_buu_chinh,
            resolved_early=self.resolved_early + later.resolved_early,
            resolved_on_time=self.resolved_on_time + later.resolved_on_time,
            resolved_late=self.resolved_late + later.resolved_late,
            pending_in_time=later.pending_in_time,
            pending_overdue=later.pending_overdue,
            intake_digitized_full=self.intake_digitized_full + later.intake_digitized_full,
            result_digitized=self.result_digitized + later.result_digitized,
            paid_online=self.paid_online + later.paid_online,
            fee_required=self.fee_required + later.fee_required,
        )

    def to_json(self) -> dict[str, Any]:
        """The JSON shape of issue 3. Rates are JSON numbers with 2 decimals or null: a
        2-place Decimal converts to the float whose shortest repr is the same digits."""
        rates = self.rates
        return {
            "unit": self.unit,
            "carried_over": self.carried_over,
            "received": {
                "truc_tiep": self.received_truc_tiep,
                "truc_tuyen": self.received_truc_tuyen,
                "buu_chinh": self.received_buu_chinh,
                "total": self.received_total,
            },
            "resolved": {
                "early": self.resolved_early,
                "on_time": self.resolved_on_time,
                "late": self.resolved_late,
                "total": self.resolved_total,
            },
            "pending": {
                "in_time": self.pending_in_time,
                "overdue": self.pending_overdue,
                "total": self.pending_total,
            },
            "rates": {
                name: (None if value is None else float(value))
                for name, value in (
                    ("online", rates.online),
                    ("on_time", rates.on_time),
                    ("intake_digitized", rates.intake_digitized),
                    ("result_digitized", rates.result_digitized),
                    ("paid_online", rates.paid_online),
                )
            },
        }

    def to_row(self) -> dict[str, str | int]:
        """One flat CSV/XLSX row (CSV_COLUMNS); rates as '88.25', empty when no data."""
        rates = self.rates
        return {
            "unit": self.unit,
            "carried_over": self.carried_over,
            "received_truc_tiep": self.received_truc_tiep,
            "received_truc_tuyen": self.received_truc_tuyen,
            "received_buu_chinh": self.received_buu_chinh,
            "received_total": self.received_total,
            "resolved_early": self.resolved_early,
            "resolved_on_time": self.resolved_on_time,
            "resolved_late": self.resolved_late,
            "resolved_total": self.resolved_total,
            "pending_in_time": self.pending_in_time,
            "pending_overdue": self.pending_overdue,
            "pending_total": self.pending_total,
            "rate_online": _text(rates.online),
            "rate_on_time": _text(rates.on_time),
            "rate_intake_digitized": _text(rates.intake_digitized),
            "rate_result_digitized": _text(rates.result_digitized),
            "rate_paid_online": _text(rates.paid_online),
        }


_COUNT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(UnitStats) if f.name != "unit")

CSV_COLUMNS: tuple[str, ...] = (
    "unit",
    "carried_over",
    "received_truc_tiep",
    "received_truc_tuyen",
    "received_buu_chinh",
    "received_total",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "resolved_total",
    "pending_in_time",
    "pending_overdue",
    "pending_total",
    "rate_online",
    "rate_on_time",
    "rate_intake_digitized",
    "rate_result_digitized",
    "rate_paid_online",
)


def _text(value: Decimal | None) -> str:
    return "" if value is None else str(value)


# Slots of the per-group counter list, in the order of _COUNT_FIELDS.
(
    _CARRIED,
    _RECV_TRUC_TIEP,
    _RECV_TRUC_TUYEN,
    _RECV_BUU_CHINH,
    _EARLY,
    _ON_TIME,
    _LATE,
    _IN_TIME,
    _OVERDUE,
    _INTAKE_FULL,
    _RESULT_DIGITIZED,
    _PAID_ONLINE,
    _FEE_REQUIRED,
) = range(13)
_RECEIVED_SLOT = {
    "truc_tiep": _RECV_TRUC_TIEP,
    "truc_tuyen": _RECV_TRUC_TUYEN,
    "buu_chinh": _RECV_BUU_CHINH,
}


_STATE_SLOT = {
    EARLY: _EARLY,
    ON_TIME: _ON_TIME,
    LATE: _LATE,
    IN_TIME: _IN_TIME,
    OVERDUE: _OVERDUE,
}


def _unit_of(row: DossierRow) -> str:
    return row.unit


def _field_of(row: DossierRow) -> str:
    return row.field or NO_FIELD


def compute(
    rows: Iterable[DossierRow],
    start: dt.date,
    end: dt.date,
    *,
    group_by: Callable[[DossierRow], str] = _unit_of,
) -> dict[str, UnitStats]:
    """Statistics per group (default: per unit) in key order, then TOTAL_KEY (the sum).

    Every group that appears in the rows gets an entry, zeros included, so a unit with no
    dossier in the period reads 0, not missing. `group_by` may map a unit to its parent to
    count "a unit and everything under it".
    """
    if start > end:
        raise ValueError(ERR_PERIOD.format(start=vn_date(start), end=vn_date(end)))
    counters: dict[str, list[int]] = {}
    for row in rows:
        key = group_by(row)
        c = counters.get(key)
        if c is None:
            c = counters[key] = [0] * len(_COUNT_FIELDS)
        if row.received > end:
            continue
        finished = row.finished
        # TT 01/2020: a dossier finished before the period belongs to an earlier report.
        if finished is not None and finished < start:
            continue
        if row.received < start:
            c[_CARRIED] += 1
        else:
            c[_RECEIVED_SLOT[row.channel]] += 1
            if row.intake_digitized == "full":
                c[_INTAKE_FULL] += 1
            if row.fee_required:
                c[_FEE_REQUIRED] += 1
                if row.paid_online:
                    c[_PAID_ONLINE] += 1
        # The one on-time rule (clock.standing), judged at the period end; a dossier
        # without a due date is never late: đúng hạn when finished, trong hạn while pending.
        done = finished is not None and finished <= end
        state = form06_slot(
            standing(due=row.due, finished=finished, as_of=end, late_by_rule=row.late_by_rule),
            finished=done,
        )
        c[_STATE_SLOT[state]] += 1
        if done and row.result_digitized:
            c[_RESULT_DIGITIZED] += 1

    out = {key: UnitStats(key, *counters[key]) for key in sorted(counters)}
    total = sum(out.values(), UnitStats(TOTAL_KEY))
    out[TOTAL_KEY] = UnitStats(TOTAL_KEY, *total._counts())
    return out


def by_field(rows: Iterable[DossierRow], start: dt.date, end: dt.date) -> dict[str, UnitStats]:
    """Statistics per procedure field (lĩnh vực), as the form groups its rows, then the
    dossiers without a field (NO_FIELD), then the total."""
    stats = compute(rows, start, end, group_by=_field_of)
    if NO_FIELD in stats:
        stats[NO_FIELD] = stats.pop(NO_FIELD)
        stats[TOTAL_KEY] = stats.pop(TOTAL_KEY)
    return stats


def monthly_trend(
    rows: Iterable[DossierRow],
    period: Period,
    *,
    group_by: Callable[[DossierRow], str] = _unit_of,
) -> list[tuple[Period, dict[str, UnitStats]]]:
    """Statistics for each reporting month (15th–14th) of the period, in order.

    Joining the months with UnitStats.followed_by gives the period's own statistics.
    """
    materialized = rows if isinstance(rows, list | tuple) else list(rows)
    return [
        (month, compute(materialized, month.start, month.end, group_by=group_by))
        for month in months_in(period)
    ]
