"""Deadlines of a feedback as data, and where each step stands (plain rules)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from cchc.dossiers.workdays import WorkCalendar
from cchc.service_index.feedback_rules import (
    DEADLINES,
    deadlines_from_receipt,
    publish_deadline,
    step_state,
)

D = dt.date
CALENDAR = WorkCalendar([2023, 2024, 2025])


def test_every_limit_carries_its_source_and_confidence():
    assert {k: d.working_days for k, d in DEADLINES.items()} == {
        "answer": 15,
        "refuse": 2,
        "supplement": 5,
        "publish": 2,
    }
    assert all(d.source and d.confidence in ("V", "S", "U") for d in DEADLINES.values())
    assert {k for k, d in DEADLINES.items() if d.scored} == {"answer", "publish"}


def test_the_docstring_example():
    due = deadlines_from_receipt(D(2024, 1, 2), CALENDAR)
    assert (due.answer, due.refuse, due.supplement) == (
        D(2024, 1, 23),
        D(2024, 1, 4),
        D(2024, 1, 9),
    )
    # answered Fri 26/4/2024: 29/4 was swapped off (Sat 4/5 worked), 30/4 and 1/5 are
    # holidays, so the 2 working days are Thu 2/5 and Fri 3/5
    assert publish_deadline(D(2024, 4, 26), CALENDAR) == D(2024, 5, 3)


def test_step_states():
    due = D(2024, 1, 23)
    assert step_state(due, D(2024, 1, 23), D(2024, 2, 1), CALENDAR) == "done_on_time"
    assert step_state(due, D(2024, 1, 24), D(2024, 2, 1), CALENDAR) == "done_late"
    assert step_state(due, None, D(2024, 1, 24), CALENDAR) == "overdue"
    assert step_state(due, None, D(2024, 1, 18), CALENDAR) == "due_soon"  # 3 working days
    assert step_state(due, None, D(2024, 1, 17), CALENDAR) == "open"
    # done after the day looked at: still open then
    assert step_state(due, D(2024, 1, 22), D(2024, 1, 10), CALENDAR) == "open"
    assert step_state(None, None, D(2024, 1, 10), CALENDAR) is None


@given(st.dates(min_value=D(2023, 1, 1), max_value=D(2024, 12, 31)))
def test_limits_are_ordered_and_land_on_working_days(received):
    due = deadlines_from_receipt(received, CALENDAR)
    assert received < due.refuse < due.supplement < due.answer
    for day in (due.refuse, due.supplement, due.answer):
        assert CALENDAR.is_working_day(day)
    assert CALENDAR.working_days_between(received, due.answer) == 15


@given(st.lists(st.integers(min_value=0, max_value=500), min_size=1, max_size=8))
def test_shares_add_up_to_100_and_stay_within_a_hundredth(parts):
    from decimal import Decimal

    from cchc.service_index.selectors import shares_adding_to_100

    shares = shares_adding_to_100(parts)
    total = sum(parts)
    if total == 0:
        assert shares == [None] * len(parts)
        return
    assert sum(shares) == 100
    for part, share in zip(parts, shares, strict=True):
        assert abs(share - Decimal(part) * 100 / total) < Decimal("0.01")
