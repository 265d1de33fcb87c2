"""The deadline clock: supplements, the second-supplement rule, no due date, apologies."""

from __future__ import annotations

import datetime as dt

import pytest

from cchc.dossiers.clock import (
    EARLY,
    IN_TIME,
    LATE,
    NO_DUE_DATE,
    ON_TIME,
    OVERDUE,
    Supplement,
    effective_due_date,
    stopped_working_days,
    timeliness,
)
from cchc.dossiers.workdays import WorkCalendar

D = dt.date
CAL = WorkCalendar([2025])


def test_no_supplement_keeps_the_due_date() -> None:
    assert effective_due_date(D(2025, 3, 10), [], CAL) == D(2025, 3, 10)


def test_one_supplement_moves_the_due_date_by_the_working_days_stopped() -> None:
    # requested Monday 3/3, supplied Thursday 6/3: stopped Tue, Wed, Thu = 3 working days
    supplement = Supplement(D(2025, 3, 3), D(2025, 3, 6))
    assert stopped_working_days([supplement], CAL) == 3
    # due Monday 10/3 + 3 working days = Thursday 13/3
    assert effective_due_date(D(2025, 3, 10), [supplement], CAL) == D(2025, 3, 13)
    # finishing on 12/3 would be late without the stop; with it, early
    kwargs = {"due": D(2025, 3, 10), "supplements": [supplement], "calendar": CAL}
    assert timeliness(finished=D(2025, 3, 12), as_of=D(2025, 3, 31), **kwargs) == EARLY
    assert timeliness(finished=D(2025, 3, 13), as_of=D(2025, 3, 31), **kwargs) == ON_TIME
    assert timeliness(finished=D(2025, 3, 14), as_of=D(2025, 3, 31), **kwargs) == LATE


def test_a_stop_over_a_holiday_counts_working_days_only() -> None:
    # requested Friday 25/4/2025, supplied Monday 5/5: working days stopped are Saturday 26/4
    # (a declared make-up day), 28/4, 29/4 and 5/5 (30/4, 1/5, 2/5 are off)
    supplement = Supplement(D(2025, 4, 25), D(2025, 5, 5))
    assert stopped_working_days([supplement], CAL) == 4
    assert effective_due_date(D(2025, 5, 6), [supplement], CAL) == D(2025, 5, 12)


def test_supplied_the_same_day_stops_nothing() -> None:
    supplement = Supplement(D(2025, 3, 3), D(2025, 3, 3))
    assert effective_due_date(D(2025, 3, 10), [supplement], CAL) == D(2025, 3, 10)


def test_open_supplement_counts_up_to_as_of() -> None:
    open_one = Supplement(D(2025, 3, 3), None)
    # as of Friday 7/3: 4 working days stopped so far
    assert effective_due_date(D(2025, 3, 10), [open_one], CAL, as_of=D(2025, 3, 7)) == D(
        2025, 3, 14
    )
    # still waiting for the applicant long after the original due date: not overdue
    kwargs = {"due": D(2025, 3, 10), "finished": None, "supplements": [open_one], "calendar": CAL}
    assert timeliness(as_of=D(2025, 4, 30), **kwargs) == IN_TIME
    with pytest.raises(ValueError):
        effective_due_date(D(2025, 3, 10), [open_one], CAL)


def test_unfinished_without_supplement() -> None:
    kwargs = {"due": D(2025, 3, 10), "finished": None, "supplements": [], "calendar": CAL}
    assert timeliness(as_of=D(2025, 3, 10), **kwargs) == IN_TIME
    assert timeliness(as_of=D(2025, 3, 11), **kwargs) == OVERDUE


def test_finished_after_as_of_is_still_open_at_as_of() -> None:
    kwargs = {"due": D(2025, 3, 10), "finished": D(2025, 3, 20), "supplements": [], "calendar": CAL}
    assert timeliness(as_of=D(2025, 3, 5), **kwargs) == IN_TIME
    assert timeliness(as_of=D(2025, 3, 14), **kwargs) == OVERDUE
    assert timeliness(as_of=D(2025, 3, 31), **kwargs) == LATE


def test_second_supplement_makes_the_dossier_late() -> None:
    first = Supplement(D(2025, 3, 3), D(2025, 3, 4))
    second = Supplement(D(2025, 3, 5), D(2025, 3, 6))
    kwargs = {"due": D(2025, 3, 20), "supplements": [first, second], "calendar": CAL}
    # finished long before the due date, still late
    assert timeliness(finished=D(2025, 3, 7), as_of=D(2025, 3, 31), **kwargs) == LATE
    # unfinished: overdue at once
    assert timeliness(finished=None, as_of=D(2025, 3, 6), **kwargs) == OVERDUE
    # before the second request it was in time
    assert timeliness(finished=None, as_of=D(2025, 3, 4), **kwargs) == IN_TIME
    # a second request made after the dossier was finished does not count
    late_request = Supplement(D(2025, 3, 25), None)
    assert (
        timeliness(
            due=D(2025, 3, 20),
            finished=D(2025, 3, 7),
            supplements=[first, late_request],
            calendar=CAL,
            as_of=D(2025, 3, 31),
        )
        == EARLY
    )


def test_no_due_date_is_never_late() -> None:
    two = [Supplement(D(2025, 3, 3), D(2025, 3, 4)), Supplement(D(2025, 3, 5), None)]
    for finished in (None, D(2025, 12, 31)):
        assert (
            timeliness(
                due=None, finished=finished, supplements=two, calendar=CAL, as_of=D(2025, 12, 31)
            )
            == NO_DUE_DATE
        )
    assert effective_due_date(None, two, CAL, as_of=D(2025, 12, 31)) is None


def test_apology_does_not_help() -> None:
    # Due 10/3; the desk sent an apology letter promising 14/3 and returned the result on
    # 14/3, as promised. The API has no place for the promised date: the dossier is late.
    promised = D(2025, 3, 14)
    assert (
        timeliness(
            due=D(2025, 3, 10), finished=promised, supplements=[], calendar=CAL, as_of=promised
        )
        == LATE
    )


def test_overlapping_supplements_count_once() -> None:
    a = Supplement(D(2025, 3, 3), D(2025, 3, 6))
    b = Supplement(D(2025, 3, 5), D(2025, 3, 7))
    assert stopped_working_days([a, b], CAL) == 4  # 4, 5, 6, 7 March


def test_supplied_before_requested_is_refused() -> None:
    with pytest.raises(ValueError):
        Supplement(D(2025, 3, 5), D(2025, 3, 4))
