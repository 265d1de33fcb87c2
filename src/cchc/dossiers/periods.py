"""Reporting periods: from the 15th to the 14th.

The periodic-report cut-off (believed to be Nghị định 09/2019/NĐ-CP art. 12, which Thông tư
01/2020/TT-VPCP relies on; not verified against the decree's text): the year runs from 15/12 of the previous year to 14/12; the half-years to 14/6
and 14/12; a quarter from the 15th of the month before the quarter to the 14th of its last
month; a month from the 15th of the previous month to the 14th. Reporting month M of year
Y is therefore the window 15/(M-1) – 14/M, and every standard period is a run of whole
reporting months, which is why per-month summaries can be summed into any of them.

Plain module: no Django import.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Literal

from cchc.core.formatting import VIETNAM, vn_date

PeriodKind = Literal["year", "half", "quarter", "month", "custom"]

CUTOFF_DAY = 15  # a reporting window starts on the 15th and ends on the 14th

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}

ERR_PERIOD_FORMAT = (
    "Kỳ báo cáo '{text}' không hợp lệ: dùng 2023, 2023-Q1, 2023-H1, 2023-M03 "
    "hoặc 2023-01-01..2023-03-31"
)
ERR_PERIOD_NUMBER = "Kỳ {kind} số {number} không tồn tại"
ERR_PERIOD_ORDER = "Ngày bắt đầu {start} sau ngày kết thúc {end}"
ERR_PERIOD_KIND = "Loại kỳ '{kind}' không hợp lệ: year, half, quarter, month"

ERR_NOT_STARTED = (
    "Kỳ {label} bắt đầu ngày {start}, sau ngày tính số liệu {as_of}: chưa có số liệu "
    "(period starts after as-of)"
)
ERR_AS_OF = "Ngày tính số liệu '{text}' không hợp lệ: dùng YYYY-MM-DD (bad as-of date)"

MAX_NUMBER = {"half": 2, "quarter": 4, "month": 12}

# Every date boundary and every printed date is Vietnam time (DESIGN.md, "Trust"), whatever
# the server's own time zone (formatting.VIETNAM): 06:28 on 6/12 in Hà Nội is a 6/12 moment.


def vn_today(now: dt.datetime | None = None) -> dt.date:
    """Today's date in Vietnam (now: an aware moment; naive moments are Vietnam time)."""
    moment = now or dt.datetime.now(tz=VIETNAM)
    if moment.tzinfo is None:
        return moment.date()
    return moment.astimezone(VIETNAM).date()


def parse_as_of(text: str | None) -> dt.date | None:
    """'2026-12-06' (or '06/12/2026') -> the date; empty -> None (now)."""
    value = (text or "").strip()
    if not value:
        return None
    try:
        if "/" in value:
            day, month, year = (int(part) for part in value.split("/"))
            return dt.date(year, month, day)
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise PeriodError(ERR_AS_OF.format(text=text)) from exc


class PeriodError(ValueError):
    code = "period"


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive
    kind: PeriodKind
    label: str
    # Set by counted(): the day the figures are counted to (whole day, Vietnam time), and
    # the period's own end when as_of cut it short. None: a bare calendar period.
    as_of: dt.date | None = None
    full_end: dt.date | None = None

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise PeriodError(
                ERR_PERIOD_ORDER.format(start=vn_date(self.start), end=vn_date(self.end))
            )

    def __contains__(self, day: object) -> bool:
        if isinstance(day, dt.datetime):
            day = day.date()
        return isinstance(day, dt.date) and self.start <= day <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def code(self) -> str:
        """The text parse_period reads back: '2023', '2023-Q1', '2023-H2', '2023-M03', 'a..b'."""
        end = self.full_end or self.end
        year, month = end.year, end.month
        number = {"half": month // 6, "quarter": month // 3, "month": month}.get(self.kind)
        standard = {
            "year": str(year),
            "half": f"{year}-H{number}",
            "quarter": f"{year}-Q{number}",
            "month": f"{year}-M{month:02d}",
        }.get(self.kind)
        if standard is not None:
            try:
                canonical = period_for(self.kind, year, number)
            except PeriodError:
                canonical = None
            if canonical is not None and (canonical.start, canonical.end) == (self.start, end):
                return standard
        return f"{self.start.isoformat()}..{end.isoformat()}"

    @property
    def range_text(self) -> str:
        """'từ ngày 15/9/2026 đến ngày 14/12/2026 (số liệu tính đến ngày 06/12/2026)'; a
        bare calendar period without the as-of part."""
        text = f"từ ngày {vn_date(self.start)} đến ngày {vn_date(self.full_end or self.end)}"
        return f"{text} ({self.as_of_text})" if self.as_of is not None else text

    @property
    def as_of_text(self) -> str:
        """'số liệu tính đến ngày 06/12/2026': what every page, export and document states."""
        day = self.as_of or self.end
        return f"số liệu tính đến ngày {vn_date(day)}"


def counted(period: Period, as_of: dt.date | None = None) -> Period:
    """The period as every figure counts it: up to the earlier of its end and as_of.

    The one function the statistics page, the QĐ 766 page, the reports, the exports, the
    API and the commands take their period from, so one selection gives one set of counts.
    as_of is a date in Vietnam time (default today) and counts that whole day; pending and
    overdue are judged at the returned period's end (its as_of). A report made on 6/12 for
    the quarter ending 14/12 counts to 6/12, so a dossier due on 7/12 is still in time.
    """
    day = as_of or vn_today()
    if period.as_of is not None:  # already counted: recount from the period's own end
        period = replace(period, end=period.full_end or period.end, as_of=None, full_end=None)
    if day < period.start:
        raise PeriodError(
            ERR_NOT_STARTED.format(
                label=period.label, start=vn_date(period.start), as_of=vn_date(day)
            )
        )
    end = min(period.end, day)
    return replace(period, end=end, as_of=end, full_end=period.end)


def _month_start(year: int, month: int) -> dt.date:
    """First day of reporting month (year, month): the 15th of the calendar month before."""
    if month == 1:
        return dt.date(year - 1, 12, CUTOFF_DAY)
    return dt.date(year, month - 1, CUTOFF_DAY)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, CUTOFF_DAY - 1)


def period_for(kind: str, year: int, number: int | None = None) -> Period:
    """period_for("quarter", 2023, 1) -> 15/12/2022 – 14/3/2023, "Quý I/2023"."""
    if kind == "year":
        return Period(_month_start(year, 1), _month_end(year, 12), "year", f"Năm {year}")
    if kind not in MAX_NUMBER:
        raise PeriodError(ERR_PERIOD_KIND.format(kind=kind))
    if number is None or not 1 <= number <= MAX_NUMBER[kind]:
        raise PeriodError(ERR_PERIOD_NUMBER.format(kind=kind, number=number))
    if kind == "half":
        first, last = (1, 6) if number == 1 else (7, 12)
        label = f"6 tháng {'đầu' if number == 1 else 'cuối'} năm {year}"
        return Period(_month_start(year, first), _month_end(year, last), "half", label)
    if kind == "quarter":
        first, last = 3 * number - 2, 3 * number
        label = f"Quý {ROMAN[number]}/{year}"
        return Period(_month_start(year, first), _month_end(year, last), "quarter", label)
    return Period(
        _month_start(year, number), _month_end(year, number), "month", f"Tháng {number}/{year}"
    )


def custom_period(start: dt.date, end: dt.date) -> Period:
    return Period(start, end, "custom", f"Từ ngày {vn_date(start)} đến ngày {vn_date(end)}")


_YEAR = re.compile(r"^(\d{4})$")
_NUMBERED = re.compile(r"^(\d{4})-([QqHhMm])(\d{1,2})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*\.\.\s*(\d{4}-\d{2}-\d{2})$")
_KINDS = {"q": "quarter", "h": "half", "m": "month"}


def parse_period(text: str) -> Period:
    """'2023', '2023-Q1', '2023-H1', '2023-M03' or '2023-01-01..2023-03-31'."""
    value = text.strip()
    if m := _YEAR.match(value):
        return period_for("year", int(m.group(1)))
    if m := _NUMBERED.match(value):
        return period_for(_KINDS[m.group(2).lower()], int(m.group(1)), int(m.group(3)))
    if m := _RANGE.match(value):
        try:
            start = dt.date.fromisoformat(m.group(1))
            end = dt.date.fromisoformat(m.group(2))
        except ValueError as exc:
            raise PeriodError(ERR_PERIOD_FORMAT.format(text=text)) from exc
        return custom_period(start, end)
    raise PeriodError(ERR_PERIOD_FORMAT.format(text=text))


def reporting_month_of(day: dt.date) -> tuple[int, int]:
    """The reporting month whose 15th–14th window holds the day: 15/12/2022 -> (2023, 1)."""
    if day.day < CUTOFF_DAY:
        return day.year, day.month
    if day.month == 12:
        return day.year + 1, 1
    return day.year, day.month + 1


def months_in(period: Period) -> list[Period]:
    """The reporting months the period spans, in order, each cut to the period's bounds.

    For a standard period (year, half, quarter, month) nothing is cut, so the months tile
    it exactly; for a custom range the first and last month may be partial.
    """
    year, month = reporting_month_of(period.start)
    out: list[Period] = []
    while True:
        whole = period_for("month", year, month)
        if whole.start > period.end:
            break
        start = max(whole.start, period.start)
        end = min(whole.end, period.end)
        out.append(Period(start, end, "month", whole.label))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out
