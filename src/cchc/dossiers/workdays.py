"""The working-day calendar of the one-stop desks.

A processing time is counted in working days (ngày làm việc): Saturdays, Sundays and the
public holidays of the Labour Code (Bộ luật Lao động 2019, art. 112: Tết Dương lịch, Tết
Âm lịch, Giỗ Tổ Hùng Vương, 30/4, 1/5, Quốc khánh) are not working days, and neither are
the days the Government swaps each year (a working Saturday traded for a bridge day off).

The holidays come from the `holidays` package (country "VN"), which also knows the
substitute days off and, up to 2026, the declared working Saturdays
(`weekend_workdays`, e.g. Saturday 26/4/2025 traded for Friday 2/5/2025). Later years need
the administrator's swap table, passed in as `extra_days_off` / `extra_working_days`.

Plain module: no Django import.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import holidays
import numpy as np

from cchc.core.formatting import vn_date

COUNTRY = "VN"
SATURDAY, SUNDAY = 5, 6

ERR_NO_YEARS = "Lịch làm việc cần ít nhất một năm"
ERR_BOTH = "Ngày {day} vừa là ngày nghỉ vừa là ngày làm việc bù"
ERR_NEGATIVE = "Số ngày làm việc phải ≥ 0, nhận được {n}"


class CalendarRangeError(ValueError):
    """A date outside the years the calendar was built for."""

    code = "calendar_range"

    def __init__(self, day: dt.date | str, first: dt.date, last: dt.date) -> None:
        self.day = day
        self.first = first
        self.last = last
        super().__init__(
            f"Ngày {day if isinstance(day, str) else vn_date(day)} nằm ngoài lịch làm việc đã nạp "
            f"({vn_date(first)} – {vn_date(last)}); thêm năm vào lịch"
        )


class WorkCalendar:
    """Working days of the years given, plus the year after (due dates spill over 31/12)."""

    def __init__(
        self,
        years: Iterable[int],
        *,
        extra_days_off: Iterable[dt.date] = (),
        extra_working_days: Iterable[dt.date] = (),
    ) -> None:
        year_list = sorted(set(years))
        if not year_list:
            raise ValueError(ERR_NO_YEARS)
        first_year, last_year = year_list[0], year_list[-1] + 1
        self.first = dt.date(first_year, 1, 1)
        self.last = dt.date(last_year, 12, 31)
        span = range(first_year, last_year + 1)

        vn = holidays.country_holidays(COUNTRY, years=span)
        days_off = {d for d in vn if self.first <= d <= self.last}
        # Declared working Saturdays (the other half of the Government's day swaps).
        working_weekend = {
            d for d in getattr(vn, "weekend_workdays", ()) if self.first <= d <= self.last
        }
        extra_off = set(extra_days_off)
        extra_on = set(extra_working_days)
        both = extra_off & extra_on
        if both:
            raise ValueError(ERR_BOTH.format(day=vn_date(min(both))))
        # An administrator's swap wins over the package: it is the unit's own decision.
        working_weekend = (working_weekend - extra_off) | extra_on
        days_off = (days_off - extra_on) | extra_off

        self.days_off: frozenset[dt.date] = frozenset(days_off)
        self.working_weekend: frozenset[dt.date] = frozenset(working_weekend)

        all_days = np.arange(
            np.datetime64(self.first, "D"), np.datetime64(self.last, "D") + 1, dtype="datetime64[D]"
        )
        # 1970-01-01 was a Thursday: (days + 3) % 7 gives Monday=0 … Sunday=6.
        weekday = (all_days.astype(np.int64) + 3) % 7
        working = weekday < SATURDAY
        if self.working_weekend:
            working[np.isin(all_days, np.array(sorted(self.working_weekend), "datetime64[D]"))] = (
                True
            )
        if self.days_off:
            working[np.isin(all_days, np.array(sorted(self.days_off), "datetime64[D]"))] = False
        # Sorted table of every working day; all arithmetic is a binary search in it.
        self.table: np.ndarray = all_days[working]
        self._working_set = frozenset(self.table.tolist())

    # -- scalar API -----------------------------------------------------------------------

    def _check(self, day: dt.date) -> None:
        if not (self.first <= day <= self.last):
            raise CalendarRangeError(day, self.first, self.last)

    def is_working_day(self, day: dt.date) -> bool:
        day = _as_date(day)
        self._check(day)
        return day in self._working_set

    def add_working_days(self, received: dt.date, n: int) -> dt.date:
        """The n-th working day after the day of receipt.

        n = 0 gives the receipt day itself if it is a working day, else the next one.
        """
        received = _as_date(received)
        if n < 0:
            raise ValueError(ERR_NEGATIVE.format(n=n))
        self._check(received)
        key = np.datetime64(received, "D")
        if n == 0:
            index = int(np.searchsorted(self.table, key, side="left"))
        else:
            index = int(np.searchsorted(self.table, key, side="right")) + n - 1
        if index >= len(self.table):
            raise CalendarRangeError(f"{vn_date(received)} + {n}", self.first, self.last)
        day: dt.date = self.table[index].item()
        return day

    def working_days_before(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day before day (day itself not counted; n = 0 gives day):
        8/1/2024 (Mon), 5 -> 29/12/2023."""
        day = _as_date(day)
        if n < 0:
            raise ValueError(ERR_NEGATIVE.format(n=n))
        self._check(day)
        if n == 0:
            return day
        index = int(np.searchsorted(self.table, np.datetime64(day, "D"), side="left")) - n
        if index < 0:
            raise CalendarRangeError(f"{vn_date(day)} - {n}", self.first, self.last)
        before: dt.date = self.table[index].item()
        return before

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days d with start < d <= end (0 when end <= start)."""
        start, end = _as_date(start), _as_date(end)
        if end <= start:
            return 0
        self._check(start)
        self._check(end)
        right = np.searchsorted(self.table, np.datetime64(end, "D"), side="right")
        left = np.searchsorted(self.table, np.datetime64(start, "D"), side="right")
        return int(right - left)

    def working_days_in(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """The working days of [start, end], both ends included."""
        lo = np.searchsorted(self.table, np.datetime64(start, "D"), side="left")
        hi = np.searchsorted(self.table, np.datetime64(end, "D"), side="right")
        return [d.item() for d in self.table[lo:hi]]

    # -- bulk API ---------------------------------------------------------------------------

    def due_dates(self, received: np.ndarray, n: np.ndarray) -> np.ndarray:
        """Bulk `add_working_days`: datetime64[D] receipt days, integer day counts.

        NaT receipt days give NaT. Uses searchsorted on the working-day table, because
        numpy.busday_offset cannot model the declared working Saturdays.
        """
        received = np.asarray(received, dtype="datetime64[D]")
        n = np.asarray(n, dtype=np.int64)
        received, n = np.broadcast_arrays(received, n)
        if n.size and (n < 0).any():
            raise ValueError(ERR_NEGATIVE.format(n=int(n.min())))
        missing = np.isnat(received)
        present = received[~missing]
        if present.size:
            lo, hi = present.min(), present.max()
            if lo < np.datetime64(self.first, "D") or hi > np.datetime64(self.last, "D"):
                bad = lo if lo < np.datetime64(self.first, "D") else hi
                raise CalendarRangeError(str(bad), self.first, self.last)
        left = np.searchsorted(self.table, received, side="left")
        right = np.searchsorted(self.table, received, side="right")
        index = np.where(n == 0, left, right + n - 1)
        index = np.where(missing, 0, index)
        if index.size and index.max() >= len(self.table):
            raise CalendarRangeError("a due date", self.first, self.last)
        out = self.table[index] if len(self.table) else np.empty(index.shape, "datetime64[D]")
        return np.where(missing, np.datetime64("NaT", "D"), out)


def _as_date(value: dt.date) -> dt.date:
    # datetime is a subclass of date; the calendar compares calendar days only.
    if isinstance(value, dt.datetime):
        return value.date()
    return value
