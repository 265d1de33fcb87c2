"""Issue 14: the on-time rule has one definition, clock.standing; every other form (form 06
statistics, the summary's outcome and its polars tally, the desk's state and "overdue"
filter, the QĐ 766 counts) is derived from it or held to it here, over generated dossiers
with supplement requests (open ones, second ones), missing due dates and unfinished ones."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc.core import stamps
from cchc.dossiers import clock, stats, summary
from cchc.dossiers.clock import (
    EARLY,
    IN_TIME,
    LATE,
    NO_DUE_DATE,
    ON_TIME,
    OVERDUE,
    Supplement,
    form06_slot,
    standing,
    timeliness,
)

D = dt.date
BASE = D(2026, 9, 1)

days = st.integers(0, 60)


@st.composite
def plain_dossier(draw):
    received = BASE + dt.timedelta(days=draw(st.integers(0, 60)))
    due = draw(st.one_of(st.none(), st.integers(0, 30)))
    finished = draw(st.one_of(st.none(), st.integers(0, 45)))
    return {
        "received": received,
        "due": None if due is None else received + dt.timedelta(days=due),
        "finished": None if finished is None else received + dt.timedelta(days=finished),
        "late_by_rule": draw(st.booleans()),
    }


# -- the definition ------------------------------------------------------------------------


def test_the_definition_on_examples():
    due = D(2026, 12, 7)
    as_of = D(2026, 12, 6)
    # the report of 6/12: due 7/12, unfinished: in time, not overdue
    assert standing(due=due, finished=None, as_of=as_of) == IN_TIME
    assert standing(due=due, finished=None, as_of=due) == IN_TIME  # can finish on its day
    assert standing(due=due, finished=None, as_of=D(2026, 12, 8)) == OVERDUE
    # finished after as_of: still pending at as_of
    assert standing(due=due, finished=D(2026, 12, 9), as_of=as_of) == IN_TIME
    assert standing(due=due, finished=D(2026, 12, 6), as_of=as_of) == EARLY
    assert standing(due=due, finished=due, as_of=due) == ON_TIME
    assert standing(due=due, finished=D(2026, 12, 8), as_of=D(2026, 12, 8)) == LATE
    # a second supplement request is late whatever the dates; no due date never is
    assert standing(due=due, finished=as_of, as_of=as_of, late_by_rule=True) == LATE
    assert standing(due=due, finished=None, as_of=as_of, late_by_rule=True) == OVERDUE
    assert standing(due=None, finished=None, as_of=as_of, late_by_rule=True) == NO_DUE_DATE
    # the one documented switch (TT01's bare dates against the portal's QĐ 766 rule)
    assert clock.SECOND_REQUEST_LATE is True
    assert (
        standing(due=due, finished=as_of, as_of=as_of, late_by_rule=True, second_request_late=False)
        == EARLY
    )


@settings(max_examples=300, deadline=None)
@given(d=plain_dossier(), as_of_days=st.integers(0, 120))
def test_form06_statistics_follow_the_definition(d, as_of_days):
    """stats.compute of one dossier lands in the column the definition names."""
    as_of = BASE + dt.timedelta(days=as_of_days)
    if d["received"] > as_of:
        return
    if d["finished"] is not None and d["finished"] < BASE:
        return
    row = stats.DossierRow(
        "C", "U", "P", "truc_tiep", d["received"], d["due"], d["finished"], "none", False,
        False, late_by_rule=d["late_by_rule"],
    )  # fmt: skip
    got = stats.compute([row], BASE, as_of)["U"]
    done = d["finished"] is not None and d["finished"] <= as_of
    expected = form06_slot(
        standing(due=d["due"], finished=d["finished"], as_of=as_of, late_by_rule=d["late_by_rule"]),
        finished=done,
    )
    slots = {
        EARLY: got.resolved_early,
        ON_TIME: got.resolved_on_time,
        LATE: got.resolved_late,
        IN_TIME: got.pending_in_time,
        OVERDUE: got.pending_overdue,
    }
    assert slots[expected] == 1 and sum(slots.values()) == 1


@settings(max_examples=300, deadline=None)
@given(d=plain_dossier())
def test_summary_outcome_follows_the_definition(d):
    facts = summary.Facts(
        1, "truc_tiep", d["received"], d["due"], d["finished"], "none", False, False,
        d["late_by_rule"], False,
    )  # fmt: skip
    if d["finished"] is None:
        assert summary.outcome(facts) is None
        return
    state = standing(
        due=d["due"], finished=d["finished"], as_of=d["finished"], late_by_rule=d["late_by_rule"]
    )
    assert summary.outcome(facts) == form06_slot(state, finished=True)


def _calendar():
    from cchc.dossiers.calendar import work_calendar

    return work_calendar([2026, 2027])


@pytest.mark.django_db
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(d=plain_dossier(), requests=st.lists(st.integers(0, 20), max_size=3), as_of_days=days)
def test_the_clock_is_the_definition_on_the_moved_date(d, requests, as_of_days):
    """clock.timeliness (the QĐ 766 counts' form) = standing on the effective due date, a
    second request making it late."""
    calendar = _calendar()
    as_of = d["received"] + dt.timedelta(days=as_of_days)
    supplements = [
        Supplement(d["received"] + dt.timedelta(days=r), d["received"] + dt.timedelta(days=r + 2))
        for r in requests
    ]
    got = timeliness(
        due=d["due"], finished=d["finished"], supplements=supplements, calendar=calendar,
        as_of=as_of,
    )  # fmt: skip
    finished = d["finished"] if d["finished"] is not None and d["finished"] <= as_of else None
    cutoff = finished or as_of
    asked = sum(1 for s in supplements if s.requested <= cutoff)
    effective = clock.effective_due_date(d["due"], supplements, calendar, as_of=cutoff)
    assert got == standing(
        due=effective, finished=d["finished"], as_of=as_of, late_by_rule=asked >= 2
    )


@settings(max_examples=150, deadline=None)
@given(ds=st.lists(plain_dossier(), min_size=1, max_size=30))
def test_the_import_tally_is_the_summary_contribution(ds):
    """The polars tally of an import (imports.tally) = the sum of summary.contribution,
    whose outcome is the definition's."""
    from cchc.dossiers.imports import tally, with_months

    frame = pl.DataFrame(
        {
            "unit_id": [1 + i % 2 for i in range(len(ds))],
            "channel": ["truc_tuyen" if i % 3 else "truc_tiep" for i in range(len(ds))],
            "received_on": [d["received"] for d in ds],
            "due_on": [d["due"] for d in ds],
            "finished_on": [d["finished"] for d in ds],
            "intake_digitized": ["full" if i % 2 else "none" for i in range(len(ds))],
            "paid_online": [bool(i % 2) for i in range(len(ds))],
            "result_digitized": [bool(i % 3) for i in range(len(ds))],
            "late_by_rule": [d["late_by_rule"] for d in ds],
            "fee": [1000 if i % 4 else None for i in range(len(ds))],
        },
        schema_overrides={"due_on": pl.Date, "finished_on": pl.Date, "fee": pl.Int64},
    )
    got = {
        (row["unit_id"], row["month"]): {c: row[c] for c in summary.COUNT_COLUMNS if row[c]}
        for row in tally(with_months(frame)).iter_rows(named=True)
    }
    expected: dict = {}
    for i, d in enumerate(ds):
        facts = summary.Facts(
            1 + i % 2, "truc_tuyen" if i % 3 else "truc_tiep", d["received"], d["due"],
            d["finished"], "full" if i % 2 else "none", bool(i % 2), bool(i % 3),
            d["late_by_rule"], False, fee_required=bool(i % 4),
        )  # fmt: skip
        for key, counts in summary.contribution(facts).items():
            for column, n in counts.items():
                expected.setdefault(key, {}).setdefault(column, 0)
                expected[key][column] += n
    expected = {k: {c: n for c, n in v.items() if n} for k, v in expected.items()}
    assert {k: v for k, v in got.items() if v} == {k: v for k, v in expected.items() if v}


# -- the desk and the statistics, from the database ------------------------------------------

open_dossier = st.fixed_dictionaries(
    {
        "received": st.integers(0, 60),
        "due": st.one_of(st.none(), st.integers(0, 25)),
        "finished": st.one_of(st.none(), st.integers(0, 30)),
        "late": st.integers(0, 6),  # 0: a second supplement request
        "stopped": st.one_of(st.none(), st.integers(0, 20)),  # an open supplement request
    }
)


@pytest.mark.django_db
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(specs=st.lists(open_dossier, min_size=1, max_size=25), today_days=st.integers(20, 70))
def test_the_desk_overdue_is_the_statistics_overdue(cast, procedures, specs, today_days):
    """The desk's "overdue" filter, its counter, the inbox and deadline_state count the
    dossiers the statistics count pending overdue at the same day, open supplement requests
    (the clock stands still, but a dossier already late stays late) included."""
    from cchc.dossiers.models import Dossier, DossierMonthStat, Status
    from cchc.dossiers.periods import counted, custom_period
    from cchc.dossiers.selectors import overdue_open, unit_stats
    from cchc.dossiers.views.common import deadline_state
    from tests.dossiers.conftest import at

    Dossier.objects.all().delete()
    DossierMonthStat.objects.all().delete()
    today = BASE + dt.timedelta(days=today_days)
    objs = []
    for i, s in enumerate(specs):
        received = BASE + dt.timedelta(days=s["received"])
        if received > today:
            continue
        finished = None if s["finished"] is None else received + dt.timedelta(days=s["finished"])
        if finished is not None and finished > today:
            finished = None
        stopped = None
        if finished is None and s["stopped"] is not None:
            stopped = min(received + dt.timedelta(days=s["stopped"]), today)
        objs.append(
            Dossier(
                unit=cast.dong_tam,
                code=f"C{i}",
                procedure=procedures["land"],
                channel="truc_tiep",
                received_at=at(received, 10),
                due_on=None if s["due"] is None else received + dt.timedelta(days=s["due"]),
                finished_at=None if finished is None else at(finished, 15),
                status=Status.RESOLVED
                if finished
                else (Status.SUPPLEMENT_REQUESTED if stopped else Status.PROCESSING),
                clock_stopped_on=stopped,
                late_by_rule=s["late"] == 0,
            )  # fmt: skip
        )
    for obj in objs:
        obj.sync_dates()
    Dossier.objects.bulk_create(objs)
    stamps.touch(None)  # a bulk write moves the stamps by hand (core.stamps)
    summary.rebuild()
    desk = set(overdue_open(Dossier.objects.filter(unit=cast.dong_tam), today))
    stats = unit_stats(cast.dong_tam, counted(custom_period(BASE, today), today))
    assert len(desk) == stats.pending_overdue
    for d in Dossier.objects.filter(unit=cast.dong_tam):
        assert (deadline_state(d, today).code == "overdue") == (d in desk), d.code
