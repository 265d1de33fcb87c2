"""Services of the desk: due dates, the state machine, the deadline clock, apologies."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from cchc.dossiers import services as S
from cchc.dossiers.models import CalendarSwap, DossierEvent, EventKind, Status, SwapKind
from cchc.dossiers.periods import period_for
from cchc.dossiers.selectors import dossier_rows, unit_stats
from cchc.dossiers.stats import compute
from cchc.dossiers.summary import rebuild
from tests.dossiers.conftest import at

D = dt.date
pytestmark = pytest.mark.django_db


def make(cast, procedures, code="HS-1", received="2025-03-03", kind="land", **kw):
    return S.dossier_create(
        unit=cast.dong_tam, procedure=procedures[kind], code=code, applicant="Nguyễn Văn A",
        channel=kw.pop("channel", "truc_tiep"), received_at=at(received), by=cast.officer, **kw,
    )  # fmt: skip


@time_machine.travel(dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC), tick=False)
def test_due_date_from_processing_days_skips_weekend_and_holidays(cast, procedures):
    # received Tuesday 29/4/2025; 30/4, 1/5, 2/5 (swapped for Sat 26/4) off, then a weekend
    dossier = make(cast, procedures, received="2025-04-29", kind="birth")
    assert dossier.due_on == D(2025, 5, 5)
    assert dossier.received_on == D(2025, 4, 29)
    assert dossier.status == Status.RECEIVED
    event = dossier.events.get()
    assert event.kind == EventKind.STATUS and event.to_status == Status.RECEIVED


@time_machine.travel(dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC), tick=False)
def test_given_due_date_and_no_processing_time(cast, procedures):
    given = make(cast, procedures, code="A", due_on=D(2025, 3, 20))
    assert given.due_on == D(2025, 3, 20)
    none = make(cast, procedures, code="B", kind="open")
    assert none.due_on is None
    with pytest.raises(ValidationError, match="trước ngày tiếp nhận"):
        make(cast, procedures, code="C", due_on=D(2025, 3, 1))


@time_machine.travel(dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC), tick=False)
def test_code_unique_per_unit(cast, procedures):
    make(cast, procedures, code="X")
    with pytest.raises(ValidationError) as error:
        make(cast, procedures, code="X")
    assert S.ERR_CODE_TAKEN.format(code="X") in str(error.value)
    # another unit may use the same code
    S.dossier_create(
        unit=cast.thanh_xa, procedure=procedures["land"], code="X", applicant="B",
        channel="truc_tuyen", received_at=at("2025-03-03"), by=cast.officer_thanh_xa,
    )  # fmt: skip


@time_machine.travel(dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC), tick=False)
def test_state_machine(cast, procedures):
    dossier = make(cast, procedures)
    S.dossier_transition(dossier=dossier, to_status=Status.PROCESSING, at=at("2025-03-04"),
                         by=cast.officer)  # fmt: skip
    assert dossier.status == Status.PROCESSING
    with pytest.raises(ValidationError, match="Không thể chuyển"):
        S.dossier_transition(dossier=dossier, to_status=Status.RECEIVED, at=at("2025-03-04"),
                             by=cast.officer)  # fmt: skip
    S.dossier_transition(dossier=dossier, to_status=Status.RESOLVED, at=at("2025-03-10", 15),
                         by=cast.officer)  # fmt: skip
    dossier.refresh_from_db()
    assert dossier.status == Status.RESOLVED
    assert dossier.finished_on == D(2025, 3, 10)
    with pytest.raises(ValidationError) as error:
        S.dossier_transition(dossier=dossier, to_status=Status.PROCESSING, at=at("2025-03-11"),
                             by=cast.officer)  # fmt: skip
    assert S.ERR_FINISHED in str(error.value)
    kinds = list(dossier.events.values_list("to_status", flat=True))
    assert kinds == [Status.RECEIVED, Status.PROCESSING, Status.RESOLVED]
    # history: one row per change, with who
    assert dossier.history.count() == 3
    assert dossier.history.first().history_user == cast.officer


@time_machine.travel(dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC), tick=False)
def test_times_checked(cast, procedures):
    dossier = make(cast, procedures)
    with pytest.raises(ValidationError, match="trước khi tiếp nhận"):
        S.dossier_finish(dossier=dossier, at=at("2025-03-01"), by=cast.officer)
    with pytest.raises(ValidationError, match="tương lai"):
        S.dossier_finish(dossier=dossier, at=at("2025-07-01"), by=cast.officer)
    with pytest.raises(ValidationError, match="lý do"):
        S.dossier_finish(dossier=dossier, at=at("2025-03-05"), by=cast.officer,
                         status=Status.RETURNED)  # fmt: skip


@time_machine.travel(dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC), tick=False)
def test_supplement_moves_due_date_by_stopped_working_days(cast, procedures):
    # received Mon 3/3/2025, 10 working days: due Mon 17/3
    dossier = make(cast, procedures)
    assert dossier.due_on == D(2025, 3, 17)
    S.dossier_request_supplement(dossier=dossier, at=at("2025-03-05"), by=cast.officer,
                                 reason="Thiếu giấy tờ")  # fmt: skip
    assert dossier.status == Status.SUPPLEMENT_REQUESTED
    assert dossier.clock_stopped_on == D(2025, 3, 5)
    # supplied Tue 11/3: working days 6, 7, 10, 11 March stopped -> due moves 4 days
    S.dossier_receive_supplement(dossier=dossier, at=at("2025-03-11"), by=cast.officer)
    assert dossier.status == Status.PROCESSING
    assert dossier.due_on == D(2025, 3, 21)
    assert dossier.clock_stopped_on is None
    event = dossier.events.get(kind=EventKind.SUPPLEMENT_RECEIVED)
    assert event.new_due_on == D(2025, 3, 21)
    assert not dossier.late_by_rule
    S.dossier_finish(dossier=dossier, at=at("2025-03-21"), by=cast.officer)
    period = period_for("month", 2025, 4)  # 15/3 – 14/4
    stats = unit_stats(cast.dong_tam, period)
    assert (stats.resolved_on_time, stats.resolved_late) == (1, 0)


@time_machine.travel(dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC), tick=False)
def test_second_supplement_request_makes_it_late(cast, procedures):
    dossier = make(cast, procedures)
    S.dossier_request_supplement(dossier=dossier, at=at("2025-03-04"), by=cast.officer)
    S.dossier_receive_supplement(dossier=dossier, at=at("2025-03-05"), by=cast.officer)
    S.dossier_request_supplement(dossier=dossier, at=at("2025-03-06"), by=cast.officer)
    assert dossier.supplement_count == 2
    assert dossier.late_by_rule
    # pending: overdue whatever its dates (due is far ahead)
    march = period_for("month", 2025, 3)
    stats = unit_stats(cast.dong_tam, march)
    assert (stats.pending_in_time, stats.pending_overdue) == (0, 1)
    S.dossier_receive_supplement(dossier=dossier, at=at("2025-03-07"), by=cast.officer)
    S.dossier_finish(dossier=dossier, at=at("2025-03-10"), by=cast.officer)
    stats = unit_stats(cast.dong_tam, march)
    assert (stats.resolved_early, stats.resolved_late) == (0, 1)


@time_machine.travel(dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC), tick=False)
def test_open_supplement_counts_up_to_the_report_day(cast, procedures):
    # copy: 0 working days -> due the day received (Mon 3/3); asked to supplement that day
    dossier = make(cast, procedures, kind="copy")
    assert dossier.due_on == D(2025, 3, 3)
    S.dossier_request_supplement(dossier=dossier, at=at("2025-03-03", 10), by=cast.officer)
    # still waiting at 14/3: the due date moved to 14/3 -> in time, not overdue
    march = period_for("month", 2025, 3)
    for method in ("summary", "rows"):
        stats = unit_stats(cast.dong_tam, march, method=method)
        assert (stats.pending_in_time, stats.pending_overdue) == (1, 0), method
    rows = list(dossier_rows([cast.dong_tam.pk], as_of=march.end))
    assert rows[0].due == march.end


@time_machine.travel(dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC), tick=False)
def test_finish_while_waiting_closes_the_supplement(cast, procedures):
    dossier = make(cast, procedures)
    S.dossier_request_supplement(dossier=dossier, at=at("2025-03-05"), by=cast.officer)
    with pytest.raises(ValidationError, match="Không thể chuyển"):
        S.dossier_finish(dossier=dossier, at=at("2025-03-20"), by=cast.officer)
    S.dossier_finish(dossier=dossier, at=at("2025-03-20"), by=cast.officer,
                     status=Status.RETURNED, reason="Không bổ sung")  # fmt: skip
    # 6,7,10..14,17..20 March: 11 working days stopped
    assert dossier.due_on == D(2025, 4, 1)
    assert dossier.clock_stopped_on is None


@time_machine.travel(dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC), tick=False)
def test_apology_keeps_it_late(cast, procedures):
    dossier = make(cast, procedures)  # due 17/3
    with pytest.raises(ValidationError, match="lý do"):
        S.dossier_apologise(dossier=dossier, new_due_on=D(2025, 3, 24), reason=" ",
                            by=cast.officer, at=at("2025-03-17"))  # fmt: skip
    with pytest.raises(ValidationError, match="phải sau hạn"):
        S.dossier_apologise(dossier=dossier, new_due_on=D(2025, 3, 17), reason="Chậm",
                            by=cast.officer, at=at("2025-03-17"))  # fmt: skip
    event = S.dossier_apologise(dossier=dossier, new_due_on=D(2025, 3, 24),
                                reason="Chờ ý kiến phòng chuyên môn", by=cast.officer,
                                at=at("2025-03-17"))  # fmt: skip
    assert event.kind == EventKind.APOLOGY and event.new_due_on == D(2025, 3, 24)
    dossier.refresh_from_db()
    assert dossier.due_on == D(2025, 3, 17)
    S.dossier_finish(dossier=dossier, at=at("2025-03-24"), by=cast.officer)
    stats = unit_stats(cast.dong_tam, period_for("month", 2025, 4))
    assert stats.resolved_late == 1 and stats.resolved_total == 1


@time_machine.travel(dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC), tick=False)
def test_no_due_date_is_never_late(cast, procedures):
    dossier = make(cast, procedures, kind="open")
    S.dossier_request_supplement(dossier=dossier, at=at("2025-03-04"), by=cast.officer)
    S.dossier_receive_supplement(dossier=dossier, at=at("2025-03-05"), by=cast.officer)
    S.dossier_request_supplement(dossier=dossier, at=at("2025-03-06"), by=cast.officer)
    stats = unit_stats(cast.dong_tam, period_for("year", 2025))
    assert (stats.pending_in_time, stats.pending_overdue) == (1, 0)
    with pytest.raises(ValidationError):
        S.dossier_apologise(dossier=dossier, new_due_on=D(2025, 4, 1), reason="x",
                            by=cast.officer, at=at("2025-03-17"))  # fmt: skip


@time_machine.travel(dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC), tick=False)
def test_update_flags_keeps_summary(cast, procedures):
    dossier = make(cast, procedures, channel="truc_tuyen")
    S.dossier_update(dossier=dossier, by=cast.officer, paid_online=True,
                     intake_digitized="full")  # fmt: skip
    with pytest.raises(ValidationError):
        S.dossier_update(dossier=dossier, by=cast.officer, due_on=D(2025, 5, 1))
    stats = unit_stats(cast.dong_tam, period_for("month", 2025, 3))
    assert (stats.paid_online, stats.intake_digitized_full) == (1, 1)


@time_machine.travel(dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC), tick=False)
def test_summary_kept_by_services_equals_rebuild_and_oracle(cast, procedures):
    import random

    rng = random.Random(7)
    for i in range(40):
        received = D(2025, 1, 2) + dt.timedelta(days=rng.randrange(100))
        d = make(cast, procedures, code=f"R{i}", received=received.isoformat(),
                 kind=rng.choice(["birth", "copy", "land", "open"]),
                 channel=rng.choice(["truc_tiep", "truc_tuyen", "buu_chinh"]))  # fmt: skip
        day = received
        for _ in range(rng.randrange(4)):
            day = day + dt.timedelta(days=rng.randrange(1, 8))
            if day > D(2025, 5, 30):
                break
            choice = rng.random()
            if d.status == Status.SUPPLEMENT_REQUESTED:
                S.dossier_receive_supplement(dossier=d, at=at(day), by=cast.officer)
            elif choice < 0.4:
                S.dossier_request_supplement(dossier=d, at=at(day), by=cast.officer)
            elif choice < 0.8:
                S.dossier_finish(dossier=d, at=at(day), by=cast.officer)
                break
    from cchc.dossiers.models import DossierMonthStat

    kept = sorted(DossierMonthStat.objects.values_list(
        "unit_id", "month", "received_truc_tiep", "resolved_early", "resolved_late",
        "due_passed", "due_passed_finished"))  # fmt: skip
    rebuild()
    rebuilt = sorted(DossierMonthStat.objects.values_list(
        "unit_id", "month", "received_truc_tiep", "resolved_early", "resolved_late",
        "due_passed", "due_passed_finished"))  # fmt: skip
    assert [k for k in kept if any(k[2:])] == [r for r in rebuilt if any(r[2:])]
    for number in range(1, 7):
        period = period_for("month", 2025, number)
        oracle = compute(dossier_rows(None, as_of=period.end), period.start, period.end)
        expected = oracle.get(cast.dong_tam.code)
        for method in ("summary", "rows"):
            got = unit_stats(cast.dong_tam, period, method=method)
            if expected is None:
                assert got.received_total == 0 and got.carried_over == 0
            else:
                assert got._counts() == expected._counts(), (number, method)


def test_calendar_swap_changes_due_dates(cast, procedures):
    with time_machine.travel(dt.datetime(2027, 6, 1, 12, tzinfo=dt.UTC), tick=False):
        S.calendar_swap_set(date=D(2027, 3, 4), kind=SwapKind.DAY_OFF, note="TB 1/2027",
                            by=cast.administrator)  # fmt: skip
        assert CalendarSwap.objects.count() == 1
        dossier = make(cast, procedures, received="2027-03-03", kind="birth")
        assert dossier.due_on == D(2027, 3, 5)
        DossierEvent.objects.all().delete()
