"""The statistics from the database equal stats.compute, the plain reference: the summary
path (whole reporting months), the row path (any range), on random data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc.core import stamps
from cchc.dossiers.models import Dossier, DossierMonthStat, Procedure, Status
from cchc.dossiers.periods import custom_period, months_in, period_for
from cchc.dossiers.selectors import (
    dossier_rows,
    monthly_trend,
    stats_by_field,
    stats_by_unit,
    unit_counts,
    unit_stats,
)
from cchc.dossiers.stats import NO_FIELD, TOTAL_KEY, UnitStats, by_field, compute
from cchc.dossiers.summary import month_index, rebuild
from tests.dossiers.conftest import at

D = dt.date
pytestmark = pytest.mark.django_db
BASE = D(2022, 11, 1)

dossier_strategy = st.fixed_dictionaries(
    {
        "unit": st.integers(0, 2),
        "procedure": st.integers(0, 1),
        "received": st.integers(0, 420),
        "due": st.one_of(st.none(), st.integers(0, 40)),
        "finished": st.one_of(st.none(), st.integers(0, 80)),
        "channel": st.sampled_from(["truc_tiep", "truc_tuyen", "buu_chinh"]),
        "intake": st.sampled_from(["none", "partial", "full"]),
        "paid": st.booleans(),
        "result": st.booleans(),
        "late": st.integers(0, 9),  # 0: late by rule
        "stopped": st.one_of(st.none(), st.integers(0, 30)),
    }
)


def _make(cast, specs) -> None:
    Dossier.objects.all().delete()
    DossierMonthStat.objects.all().delete()
    units = [cast.dong_tam, cast.thanh_xa, cast.department]
    procedures = [
        Procedure.objects.get_or_create(code="P1", defaults={"name": "A", "field": "Hộ tịch"})[0],
        Procedure.objects.get_or_create(code="P2", defaults={"name": "B", "field": ""})[0],
    ]
    objs = []
    for i, s in enumerate(specs):
        received = BASE + dt.timedelta(days=s["received"])
        finished = None if s["finished"] is None else received + dt.timedelta(days=s["finished"])
        stopped = None
        if finished is None and s["stopped"] is not None:
            stopped = received + dt.timedelta(days=s["stopped"])
        objs.append(
            Dossier(
                unit=units[s["unit"]],
                code=f"C{i}",
                procedure=procedures[s["procedure"]],
                channel=s["channel"],
                received_at=at(received, 10),
                due_on=None if s["due"] is None else received + dt.timedelta(days=s["due"]),
                finished_at=None if finished is None else at(finished, 15),
                status=Status.RESOLVED
                if finished
                else (Status.SUPPLEMENT_REQUESTED if stopped else Status.PROCESSING),
                clock_stopped_on=stopped,
                intake_digitized=s["intake"],
                paid_online=s["paid"],
                result_digitized=s["result"],
                late_by_rule=s["late"] == 0,
            )  # fmt: skip
        )
    for obj in objs:
        obj.sync_dates()
    Dossier.objects.bulk_create(objs)
    stamps.touch(None)  # a bulk write moves the stamps by hand (core.stamps)
    rebuild()


PERIODS = [
    period_for("year", 2023),
    period_for("quarter", 2023, 2),
    period_for("month", 2023, 1),
    period_for("half", 2023, 2),
    custom_period(D(2023, 1, 1), D(2023, 3, 31)),
    custom_period(D(2023, 5, 3), D(2023, 5, 3)),
    custom_period(D(2022, 12, 10), D(2023, 11, 20)),
]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    specs=st.lists(dossier_strategy, max_size=60), period_number=st.integers(0, len(PERIODS) - 1)
)
def test_summary_rows_and_oracle_agree(cast, specs, period_number):
    _make(cast, specs)
    period = PERIODS[period_number]
    oracle = compute(dossier_rows(None, as_of=period.end), period.start, period.end)
    units = [cast.dong_tam, cast.thanh_xa, cast.department]
    methods = ["rows"] + (["summary"] if period.kind != "custom" else [])
    for method in methods:
        got = stats_by_unit(units, period, method=method)
        for unit in units:
            expected = oracle.get(unit.code, UnitStats(unit.code))
            assert got[unit.code]._counts() == expected._counts(), (method, unit.code)
            assert got[unit.code].identity_holds()
        assert got[TOTAL_KEY]._counts() == oracle[TOTAL_KEY]._counts()
    # the province: everything under it
    province = unit_stats(cast.province, period, include_descendants=True)
    assert province._counts() == oracle[TOTAL_KEY]._counts()
    # by field, from the rows
    fields = stats_by_field(cast.province, period, include_descendants=True)
    expected_fields = by_field(dossier_rows(None, as_of=period.end), period.start, period.end)
    # (the reference lists every field that has a dossier at all, zeros included)
    assert {k: v._counts() for k, v in fields.items()} == {
        k: v._counts() for k, v in expected_fields.items() if any(v._counts()) or k == TOTAL_KEY
    }


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(specs=st.lists(dossier_strategy, min_size=1, max_size=40))
def test_monthly_trend_joins_into_the_year(cast, specs):
    _make(cast, specs)
    year = period_for("year", 2023)
    trend = monthly_trend(cast.district, year, include_descendants=True)
    assert [p for p, _ in trend] == months_in(year)
    joined = trend[0][1]
    for _, stats in trend[1:]:
        joined = joined.followed_by(stats)
    assert joined._counts() == unit_stats(cast.district, year, include_descendants=True)._counts()


def test_units_without_dossiers_read_zero(cast):
    got = stats_by_unit([cast.dong_tam], period_for("year", 2023))
    assert got[cast.dong_tam.code] == UnitStats(cast.dong_tam.code)
    assert got[TOTAL_KEY].received_total == 0
    assert stats_by_field(cast.dong_tam, period_for("year", 2023)) == {
        TOTAL_KEY: UnitStats(TOTAL_KEY)
    }
    assert unit_counts([], D(2023, 1, 1), D(2023, 2, 1)) == {}
    assert NO_FIELD


def test_month_index_matches_sql(cast):
    from django.db import connection

    from cchc.dossiers.summary import month_sql

    days = [D(2022, 12, 14), D(2022, 12, 15), D(2023, 1, 14), D(2023, 2, 28), D(2024, 2, 29),
            D(2023, 12, 31), D(2023, 12, 15), D(2023, 3, 1)]  # fmt: skip
    with connection.cursor() as cursor:
        for day in days:
            literal = f"DATE '{day}'" if connection.vendor == "postgresql" else f"'{day}'"
            cursor.execute(f"SELECT {month_sql(literal)}")
            assert cursor.fetchone()[0] == month_index(day), day
    assert timezone.now()


def test_service_index_records(cast, procedures):
    """A dossier's desk moves, as the QĐ 766 index reads them (service_index.selectors)."""
    import time_machine

    from cchc.dossiers import services as S
    from cchc.dossiers.clock import ON_TIME, OVERDUE, timeliness
    from cchc.dossiers.workdays import WorkCalendar
    from cchc.service_index.selectors import unit_data

    calendar = WorkCalendar([2025])
    with time_machine.travel(dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC), tick=False):
        once = S.dossier_create(unit=cast.dong_tam, procedure=procedures["land"], code="A",
                                applicant="", channel="truc_tuyen",
                                received_at=at("2025-03-03"), by=None)  # fmt: skip
        S.dossier_request_supplement(dossier=once, at=at("2025-03-05"), by=None)
        S.dossier_receive_supplement(dossier=once, at=at("2025-03-11"), by=None)
        S.dossier_finish(dossier=once, at=at("2025-03-21"), by=None)
        twice = S.dossier_create(unit=cast.dong_tam, procedure=procedures["land"], code="B",
                                 applicant="", channel="buu_chinh",
                                 received_at=at("2025-03-03"), by=None)  # fmt: skip
        S.dossier_request_supplement(dossier=twice, at=at("2025-03-04"), by=None)
        S.dossier_receive_supplement(dossier=twice, at=at("2025-03-05"), by=None)
        S.dossier_request_supplement(dossier=twice, at=at("2025-03-06"), by=None)
    period = period_for("month", 2025, 4)
    data = unit_data(cast.dong_tam, period)
    records = {r.code: r for r in data.dossiers}
    a, b = records["A"], records["B"]
    assert (a.unit, a.channel, a.due, a.finished) == (str(cast.dong_tam.pk), "online",
                                                      D(2025, 3, 21), D(2025, 3, 21))  # fmt: skip
    # the closed request already moved the due date: the record passes no stop to move it twice
    assert a.fee_required and a.supplements == ()
    assert timeliness(due=a.due, finished=a.finished, supplements=a.supplements,
                      calendar=calendar, as_of=period.end) == ON_TIME  # fmt: skip
    # a second request is late by rule, and the open one stops the clock
    assert b.channel == "postal" and len(b.supplements) == 2 and b.supplements[-1].supplied is None
    assert timeliness(due=b.due, finished=b.finished, supplements=b.supplements,
                      calendar=calendar, as_of=period.end) == OVERDUE  # fmt: skip
    assert procedures["land"].code in {p.code for p in data.procedures}
