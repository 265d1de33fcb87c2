"""Working-day calendar on real Vietnamese dates (holidays 0.109, country VN)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc.dossiers.workdays import CalendarRangeError, WorkCalendar

D = dt.date
CAL = WorkCalendar([2024, 2025, 2026])


@pytest.mark.parametrize(
    "day",
    [
        # Tết Ất Tỵ 2025: 27/1 (29 tháng Chạp) to 31/1, Wed 1/1
        D(2025, 1, 1),
        D(2025, 1, 27),
        D(2025, 1, 28),
        D(2025, 1, 29),
        D(2025, 1, 30),
        D(2025, 1, 31),
        D(2025, 4, 7),  # Giỗ Tổ Hùng Vương 10/3 âm lịch
        D(2025, 4, 30),
        D(2025, 5, 1),
        D(2025, 5, 2),  # bridge day, swapped with Saturday 26/4/2025
        D(2025, 9, 1),
        D(2025, 9, 2),
        # Tết Bính Ngọ 2026: 16/2 to 20/2
        D(2026, 2, 16),
        D(2026, 2, 17),
        D(2026, 2, 18),
        D(2026, 2, 19),
        D(2026, 2, 20),
        D(2026, 4, 27),  # Giỗ Tổ falls on Sunday 26/4/2026, observed Monday
        D(2026, 4, 30),
        D(2026, 5, 1),
        D(2026, 8, 31),  # bridge day, swapped with Saturday 22/8/2026
        D(2026, 9, 1),
        D(2026, 9, 2),
        D(2026, 11, 24),  # Ngày Văn hóa Việt Nam, a holiday from 2026
        D(2025, 1, 4),  # an ordinary Saturday
        D(2025, 1, 5),  # an ordinary Sunday
    ],
)
def test_days_off(day: dt.date) -> None:
    assert not CAL.is_working_day(day)


@pytest.mark.parametrize(
    "day",
    [
        D(2025, 4, 26),  # working Saturday (make-up day for 2/5/2025)
        D(2026, 8, 22),  # working Saturday (make-up day for 31/8/2026)
        D(2025, 1, 24),  # last working day before Tết 2025
        D(2025, 2, 3),  # first working day after Tết 2025
        D(2026, 2, 13),
        D(2026, 2, 23),
        D(2025, 4, 29),
        D(2025, 9, 3),
        D(2026, 4, 28),
    ],
)
def test_working_days(day: dt.date) -> None:
    assert CAL.is_working_day(day)


@pytest.mark.parametrize(
    ("received", "n", "due"),
    [
        # Tết 2025: received Friday before Tết, 1 working day -> Monday 3/2 after Tết
        (D(2025, 1, 24), 1, D(2025, 2, 3)),
        (D(2025, 1, 23), 3, D(2025, 2, 4)),
        (D(2025, 1, 20), 5, D(2025, 2, 3)),
        # received during Tết (online): the receipt day is not a working day
        (D(2025, 1, 29), 0, D(2025, 2, 3)),
        (D(2025, 1, 29), 1, D(2025, 2, 3)),
        (D(2025, 1, 29), 2, D(2025, 2, 4)),
        (D(2025, 1, 24), 0, D(2025, 1, 24)),
        # 30/4–1/5/2025: Saturday 26/4 is worked, 30/4, 1/5, 2/5 are off
        (D(2025, 4, 25), 1, D(2025, 4, 26)),
        (D(2025, 4, 25), 2, D(2025, 4, 28)),
        (D(2025, 4, 25), 3, D(2025, 4, 29)),
        (D(2025, 4, 25), 4, D(2025, 5, 5)),
        (D(2025, 4, 29), 1, D(2025, 5, 5)),
        # 2/9/2025: Monday 1/9 and Tuesday 2/9 off
        (D(2025, 8, 29), 1, D(2025, 9, 3)),
        (D(2025, 8, 28), 5, D(2025, 9, 8)),
        # Tết 2026
        (D(2026, 2, 13), 1, D(2026, 2, 23)),
        (D(2026, 2, 12), 3, D(2026, 2, 24)),
        (D(2026, 2, 17), 0, D(2026, 2, 23)),
        # 30/4–1/5/2026 with Giỗ Tổ observed on Monday 27/4
        (D(2026, 4, 24), 1, D(2026, 4, 28)),
        (D(2026, 4, 29), 1, D(2026, 5, 4)),
        (D(2026, 4, 24), 3, D(2026, 5, 4)),
        # 2/9/2026: Saturday 22/8 worked, 31/8, 1/9, 2/9 off
        (D(2026, 8, 21), 1, D(2026, 8, 22)),
        (D(2026, 8, 28), 1, D(2026, 9, 3)),
        # a due date running into the next year (the calendar loads one year more)
        (D(2026, 12, 30), 3, D(2027, 1, 5)),
    ],
)
def test_add_working_days(received: dt.date, n: int, due: dt.date) -> None:
    assert CAL.add_working_days(received, n) == due
    bulk = CAL.due_dates(np.array([received], "datetime64[D]"), np.array([n]))
    assert bulk[0] == np.datetime64(due, "D")


def test_working_days_between() -> None:
    # start < d <= end
    assert CAL.working_days_between(D(2025, 1, 24), D(2025, 2, 3)) == 1
    assert CAL.working_days_between(D(2025, 4, 25), D(2025, 5, 5)) == 4
    assert CAL.working_days_between(D(2025, 5, 5), D(2025, 5, 5)) == 0
    assert CAL.working_days_between(D(2025, 5, 6), D(2025, 5, 5)) == 0
    # 2025: 365 days, 104 weekend days, 12 weekday days off (1/1; 27–31/1; 7/4; 30/4, 1/5,
    # 2/5; 1/9, 2/9) and one working Saturday (26/4)
    assert CAL.working_days_between(D(2024, 12, 31), D(2025, 12, 31)) == 365 - 104 - 12 + 1


def test_datetime_is_taken_by_its_date() -> None:
    assert CAL.add_working_days(dt.datetime(2025, 1, 24, 16, 30), 1) == D(2025, 2, 3)


def test_administrator_swaps() -> None:
    # 2027: swaps not in the package yet; the administrator declares them
    plain = WorkCalendar([2027])
    assert plain.is_working_day(D(2027, 2, 11))
    cal = WorkCalendar(
        [2027], extra_days_off=[D(2027, 2, 11), D(2027, 2, 12)], extra_working_days=[D(2027, 1, 30)]
    )
    assert not cal.is_working_day(D(2027, 2, 11))
    assert cal.is_working_day(D(2027, 1, 30))  # a Saturday
    # received Friday 29/1/2027: next working day is the declared Saturday
    assert cal.add_working_days(D(2027, 1, 29), 1) == D(2027, 1, 30)
    # Tết 2027 is 4/2–10/2; with the swap the desk reopens Monday 15/2
    assert cal.add_working_days(D(2027, 2, 3), 1) == D(2027, 2, 15)
    assert plain.add_working_days(D(2027, 2, 3), 1) == D(2027, 2, 11)
    # an administrator may also cancel a package swap
    undo = WorkCalendar([2025], extra_days_off=[D(2025, 4, 26)], extra_working_days=[D(2025, 5, 2)])
    assert not undo.is_working_day(D(2025, 4, 26))
    assert undo.is_working_day(D(2025, 5, 2))


def test_errors() -> None:
    with pytest.raises(ValueError):
        WorkCalendar([])
    with pytest.raises(ValueError):
        WorkCalendar([2025], extra_days_off=[D(2025, 3, 3)], extra_working_days=[D(2025, 3, 3)])
    with pytest.raises(CalendarRangeError):
        CAL.is_working_day(D(2023, 12, 29))
    with pytest.raises(CalendarRangeError):
        CAL.add_working_days(D(2027, 12, 30), 5)
    with pytest.raises(CalendarRangeError):
        CAL.due_dates(np.array(["2023-06-01"], "datetime64[D]"), np.array([1]))
    with pytest.raises(ValueError):
        CAL.add_working_days(D(2025, 3, 3), -1)


def test_bulk_nat_and_shape() -> None:
    received = np.array(["2025-01-24", "NaT", "2026-02-13"], "datetime64[D]")
    out = CAL.due_dates(received, np.array([1, 5, 1]))
    assert out.dtype == np.dtype("datetime64[D]")
    assert out[0] == np.datetime64("2025-02-03")
    assert np.isnat(out[1])
    assert out[2] == np.datetime64("2026-02-23")
    assert CAL.due_dates(np.array([], "datetime64[D]"), np.array([], int)).size == 0


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.dates(D(2024, 1, 1), D(2026, 12, 31)), st.integers(0, 60)),
        min_size=1,
        max_size=40,
    )
)
def test_bulk_equals_scalar(pairs: list[tuple[dt.date, int]]) -> None:
    received = np.array([p[0] for p in pairs], "datetime64[D]")
    n = np.array([p[1] for p in pairs])
    bulk = CAL.due_dates(received, n)
    for (day, k), due in zip(pairs, bulk, strict=True):
        scalar = CAL.add_working_days(day, k)
        assert due.item() == scalar
        # the due date is a working day, exactly k working days after the receipt day
        assert CAL.is_working_day(scalar)
        if k:
            assert CAL.working_days_between(day, scalar) == k
        elif CAL.is_working_day(day):
            assert scalar == day
        else:
            assert scalar > day and CAL.working_days_between(day, scalar) == 1


def test_bulk_speed() -> None:
    rng = np.random.default_rng(1)
    received = np.datetime64("2025-01-01") + rng.integers(0, 700, 1_000_000).astype(
        "timedelta64[D]"
    )
    n = rng.integers(0, 30, 1_000_000)
    out = CAL.due_dates(received, n)
    assert out.shape == (1_000_000,)
    assert (out >= received).all()


@given(st.dates(D(2024, 3, 1), D(2026, 12, 31)), st.integers(0, 30))
def test_working_days_before(day: dt.date, n: int) -> None:
    # one search on the calendar, the same answer as stepping back a day at a time
    expected, left = day, n
    while left > 0:
        expected -= dt.timedelta(days=1)
        left -= CAL.is_working_day(expected)
    assert CAL.working_days_before(day, n) == expected
    if n:
        assert CAL.is_working_day(expected)
        assert CAL.working_days_between(expected, day) == n - 1 + CAL.is_working_day(day)


def test_working_days_before_the_calendar_is_an_error() -> None:
    with pytest.raises(CalendarRangeError):
        CAL.working_days_before(D(2024, 1, 2), 30)
    with pytest.raises(ValueError):
        CAL.working_days_before(D(2024, 6, 3), -1)
