"""The working-day calendar of the database: the `holidays` package plus the swaps an
administrator entered (CalendarSwap), cached until a swap changes."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from cchc.dossiers.models import CalendarSwap, SwapKind

if TYPE_CHECKING:
    # Imported when a calendar is built, not at start-up: workdays needs numpy (0.1 s), and
    # this module is loaded by the app's ready() for its signals (issue 18: `cchc score`).
    from cchc.dossiers.workdays import WorkCalendar

# Years every calendar covers: due dates of dossiers received since 2015 and up to two
# years ahead; a date outside widens the calendar on demand.
FIRST_YEAR = 2015
YEARS_AHEAD = 2

_lock = threading.Lock()
_cache: dict[tuple[int, int], WorkCalendar] = {}


def _default_span(years: Iterable[int] = ()) -> tuple[int, int]:
    wanted = list(years)
    this_year = dt.date.today().year
    first = min([FIRST_YEAR, *wanted])
    last = max([this_year + YEARS_AHEAD, *wanted])
    return first, last


def work_calendar(years: Iterable[int] = ()) -> WorkCalendar:
    """A WorkCalendar covering FIRST_YEAR … this year + 2 (and any years given), with the
    administrator's swaps. Cached; invalidated when a CalendarSwap is saved or deleted."""
    first, last = _default_span(years)
    with _lock:
        for (lo, hi), calendar in _cache.items():
            if lo <= first and last <= hi:
                return calendar
    from cchc.dossiers.workdays import WorkCalendar

    swaps = list(CalendarSwap.objects.values_list("date", "kind"))
    calendar = WorkCalendar(
        range(first, last + 1),
        extra_days_off=[d for d, kind in swaps if kind == SwapKind.DAY_OFF],
        extra_working_days=[d for d, kind in swaps if kind == SwapKind.WORKING_DAY],
    )
    with _lock:
        _cache[(first, last)] = calendar
    return calendar


def calendar_for(*days: dt.date | None) -> WorkCalendar:
    """A calendar that covers the given days (and the year after each)."""
    return work_calendar(d.year for d in days if d is not None)


def clear_cache() -> None:
    with _lock:
        _cache.clear()


@receiver(post_save, sender=CalendarSwap, dispatch_uid="dossiers_calendar_swap_saved")
@receiver(post_delete, sender=CalendarSwap, dispatch_uid="dossiers_calendar_swap_deleted")
def _swap_changed(**kwargs) -> None:
    clear_cache()


def non_working_days(year: int) -> list[tuple[dt.date, str]]:
    """The year's days off that are not weekends, and its working weekend days, labelled:
    what `cchc dossiers calendar` prints."""
    import holidays

    calendar = work_calendar([year])
    names = holidays.country_holidays("VN", years=year, language="vi")
    notes = dict(CalendarSwap.objects.filter(date__year=year).values_list("date", "note"))
    out: list[tuple[dt.date, str]] = []
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    for day in sorted(d for d in calendar.days_off if start <= d <= end):
        if day.weekday() >= 5 and day not in names and day not in notes:
            continue
        out.append((day, notes.get(day) or names.get(day) or "Ngày nghỉ"))
    for day in sorted(d for d in calendar.working_weekend if start <= d <= end):
        out.append((day, notes.get(day) or "Ngày làm việc bù"))
    out.sort()
    return out
