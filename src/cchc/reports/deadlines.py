"""When a periodic report is due, and whether it was filed on time.

The default deadlines are configuration, not law ("[U] cấu hình"): provinces set their own
reporting calendar (Hải Dương asked for the quarterly CCHC report around the 18th of the
quarter's last month, after the 15th–14th statistics cut-off). The administrator changes
them in the database (reports.DeadlineSetting); this table is what applies until then.

Plain module: no Django import.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from cchc.dossiers.periods import Period, period_for

SOURCE_CONFIG = "mặc định của hệ thống, địa phương có thể đổi"

ERR_DAY = "Ngày hạn nộp phải từ 1 đến 31."
ERR_OFFSET = "Số tháng sau tháng cuối kỳ phải từ 0 đến 3."


@dataclass(frozen=True)
class DeadlineRule:
    """Due on ``day`` of the month ``month_offset`` months after the period's last month
    (the month holding the period's end, the 14th). A day past the month's end is the
    month's last day."""

    period_kind: str  # quarter | half | year
    day: int = 18
    month_offset: int = 0
    source: str = SOURCE_CONFIG

    def __post_init__(self) -> None:
        if not 1 <= self.day <= 31:
            raise ValueError(ERR_DAY)
        if not 0 <= self.month_offset <= 3:
            raise ValueError(ERR_OFFSET)


# [U] cấu hình: the 18th of the last month of the quarter / half-year / year.
DEFAULT_RULES: dict[str, DeadlineRule] = {
    "quarter": DeadlineRule("quarter", 18, 0),
    "half": DeadlineRule("half", 18, 0),
    "year": DeadlineRule("year", 18, 0),
}


def due_date(period: Period, rule: DeadlineRule | None = None) -> dt.date:
    """Quý I/2023 (15/12/2022–14/3/2023) with the default rule -> 18/3/2023."""
    rule = rule or DEFAULT_RULES[period.kind]
    year, month = period.end.year, period.end.month + rule.month_offset
    while month > 12:
        year, month = year + 1, month - 12
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(rule.day, last))


# ------------------------------------------------------------------ the filing matrix

ON_TIME = "on_time"
LATE = "late"
MISSING = "missing"  # past due, not filed
NOT_DUE = "not_due"  # not filed, still before the deadline

STATUS_LABELS = {
    ON_TIME: "Đúng hạn",
    LATE: "Muộn",
    MISSING: "Chưa nộp (quá hạn)",
    NOT_DUE: "Chưa đến hạn",
}
# In the matrix's cells, where the legend explains them.
STATUS_SHORT = {
    ON_TIME: "Đúng hạn",
    LATE: "Muộn",
    MISSING: "Chưa nộp",
    NOT_DUE: "Chưa đến hạn",
}
STATUS_BADGES = {ON_TIME: "badge--ok", LATE: "badge--warn", MISSING: "badge--bad", NOT_DUE: ""}


def filing_status(submitted_on: dt.date | None, due_on: dt.date, today: dt.date) -> str:
    """Filed on or before the due day is on time (the due day itself counts)."""
    if submitted_on is not None:
        return ON_TIME if submitted_on <= due_on else LATE
    return MISSING if today > due_on else NOT_DUE


@dataclass(frozen=True)
class FilingColumn:
    kind: str  # period kind
    number: int | None
    label: str

    def period(self, year: int) -> Period:
        return period_for(self.kind, year, self.number)

    def code(self, year: int) -> str:
        return self.period(year).code


# The columns of the filing matrix: the quarters, the first half-year, the year (seed 004:
# "báo cáo CCHC Quý I, Quý II, Quý III và báo cáo 06 tháng"; the second half is the year).
FILING_COLUMNS: tuple[FilingColumn, ...] = (
    FilingColumn("quarter", 1, "Quý I"),
    FilingColumn("quarter", 2, "Quý II"),
    FilingColumn("half", 1, "6 tháng"),
    FilingColumn("quarter", 3, "Quý III"),
    FilingColumn("quarter", 4, "Quý IV"),
    FilingColumn("year", None, "Năm"),
)
