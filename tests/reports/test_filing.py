"""Filing periodic reports with the level above: due dates as data, on time or late,
the matrix, reminders (from the page and from `cchc reports remind`, run twice)."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command

from cchc.dossiers.periods import parse_period
from cchc.reports import deadlines
from cchc.reports.deadlines import DeadlineRule, due_date, filing_status
from cchc.reports.filing import filing_matrix, unit_due
from cchc.reports.models import DeadlineSetting, FilingReminder, ReminderStatus
from cchc.reports.selectors import inbox
from cchc.reports.services import (
    reminders_dispatch,
    reminders_prepare,
    report_open,
    report_submit,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def test_default_due_dates_are_the_18th_of_the_last_month():
    assert due_date(parse_period("2023-Q1")) == dt.date(2023, 3, 18)
    assert due_date(parse_period("2023-H1")) == dt.date(2023, 6, 18)
    assert due_date(parse_period("2023")) == dt.date(2023, 12, 18)


def test_a_rule_may_move_the_deadline_into_the_next_month():
    rule = DeadlineRule("year", day=31, month_offset=2)
    assert due_date(parse_period("2023"), rule) == dt.date(2024, 2, 29)  # leap year, clamped


def test_status_of_a_filing():
    due = dt.date(2023, 3, 18)
    assert filing_status(dt.date(2023, 3, 18), due, dt.date(2023, 4, 1)) == deadlines.ON_TIME
    assert filing_status(dt.date(2023, 3, 19), due, dt.date(2023, 4, 1)) == deadlines.LATE
    assert filing_status(None, due, dt.date(2023, 3, 18)) == deadlines.NOT_DUE
    assert filing_status(None, due, dt.date(2023, 3, 19)) == deadlines.MISSING


def _submit_on(day: str, report, head):
    when = dt.datetime.fromisoformat(day).replace(hour=10, tzinfo=VN)
    with time_machine.travel(when, tick=False):
        return report_submit(report=report, by=head)


@pytest.mark.django_db
def test_matrix_on_time_late_missing(cast, dossiers_q1):
    on_time = report_open(
        unit=cast.dong_tam, kind="unit_quarterly", period_code="2023-Q1", by=cast.officer
    )
    _submit_on("2023-03-17", on_time, cast.head)
    late = report_open(
        unit=cast.dong_tam, kind="unit_quarterly", period_code="2023-Q2", by=cast.officer
    )
    _submit_on("2023-06-21", late, cast.head)
    matrix = filing_matrix(cast.district, 2023, today=dt.date(2023, 7, 1))
    rows = {row.unit.name: row for row in matrix.rows}
    dong_tam = [c.status for c in rows["Xã Đồng Tâm"].cells]
    thanh_xa = [c.status for c in rows["Xã Thanh Xá"].cells]
    assert dong_tam == ["on_time", "late", "missing", "not_due", "not_due", "not_due"]
    assert thanh_xa == ["missing", "missing", "missing", "not_due", "not_due", "not_due"]
    assert rows["Xã Đồng Tâm"].cells[1].days_late == 3
    assert matrix.counts(0) == {"on_time": 1, "late": 0, "missing": 1, "not_due": 0}


@pytest.mark.django_db
def test_deadline_changed_by_the_administrator_changes_the_status(cast, dossiers_q1):
    report = report_open(
        unit=cast.dong_tam, kind="unit_quarterly", period_code="2023-Q1", by=cast.officer
    )
    _submit_on("2023-03-20", report, cast.head)
    before = filing_matrix(cast.district, 2023, today=dt.date(2023, 4, 1))
    assert before.rows[1].cells[0].status == "late" or before.rows[0].cells[0].status == "late"
    DeadlineSetting.objects.create(period_kind="quarter", day=20)
    after = filing_matrix(cast.district, 2023, today=dt.date(2023, 4, 1))
    cell = next(r for r in after.rows if r.unit == cast.dong_tam).cells[0]
    assert cell.due_on == dt.date(2023, 3, 20) and cell.status == "on_time"


@pytest.mark.django_db
def test_remind_command_can_run_twice(cast):
    with time_machine.travel(dt.datetime(2023, 3, 25, 8, tzinfo=VN), tick=False):
        out = StringIO()
        call_command("reports", "remind", stdout=out)
        first = FilingReminder.objects.count()
        # Overdue within the last 120 days: Q4/2022 and the year 2022 (due 18/12/2022) and
        # Q1/2023 (due 18/3/2023), for each unit that files: the two communes with the
        # district, the district and the department with the province.
        mine = FilingReminder.objects.filter(unit=cast.dong_tam)
        assert sorted(mine.values_list("period_code", flat=True)) == ["2022", "2022-Q4", "2023-Q1"]
        assert first == 4 * 3
        assert FilingReminder.objects.filter(status=ReminderStatus.SENT).count() == first
        call_command("reports", "remind", stdout=out)
        assert FilingReminder.objects.count() == first
        assert "0 lời nhắc mới, 0 đã gửi" in out.getvalue()


@pytest.mark.django_db
def test_remind_command_takes_the_day_from_date(cast):
    call_command("reports", "remind", "--date", "2023-03-25", stdout=StringIO())
    mine = FilingReminder.objects.filter(unit=cast.dong_tam)
    assert sorted(mine.values_list("period_code", flat=True)) == ["2022", "2022-Q4", "2023-Q1"]
    with pytest.raises(CommandError, match="Ngày '2023-02-30' không hợp lệ"):
        call_command("reports", "remind", "--date", "2023-02-30", stdout=StringIO())


@pytest.mark.django_db
def test_a_claimed_reminder_is_not_sent_by_a_second_worker(cast):
    today = dt.date(2023, 3, 25)
    reminders_prepare(today=today)
    reminder = FilingReminder.objects.first()
    # Worker A claims the row (conditional update) before worker B looks.
    FilingReminder.objects.filter(pk=reminder.pk, status=ReminderStatus.PENDING).update(
        status=ReminderStatus.SENDING, claimed_by="A"
    )
    from django.utils import timezone

    FilingReminder.objects.filter(pk=reminder.pk).update(claimed_at=timezone.now())
    sent = reminders_dispatch(worker="B")
    assert sent == FilingReminder.objects.count() - 1
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.SENDING and reminder.claimed_by == "A"


@pytest.mark.django_db
def test_reminder_reaches_the_units_inbox_until_it_files(cast, dossiers_q1):
    with time_machine.travel(dt.datetime(2023, 3, 25, 8, tzinfo=VN), tick=False):
        call_command("reports", "remind", stdout=StringIO())
        items = inbox(cast.officer)
        titles = [i.title for i in items]
        assert "Cấp trên nhắc nộp báo cáo CCHC Quý I/2023" in titles
        reminder = next(i for i in items if i.title.endswith("Quý I/2023"))
        assert reminder.overdue and reminder.due == dt.date(2023, 3, 18)
        report = report_open(
            unit=cast.dong_tam, kind="unit_quarterly", period_code="2023-Q1", by=cast.officer
        )
        report_submit(report=report, by=cast.head)
        assert not any("Quý I/2023" in i.title for i in inbox(cast.officer))
        # the appraiser (not of the unit) gets nothing
        assert inbox(cast.appraiser) == []


@pytest.mark.django_db
def test_unit_due_lists_what_is_due_soon(cast):
    cells = unit_due(cast.dong_tam, today=dt.date(2023, 6, 10))
    codes = {c.period.code for c in cells}
    assert "2023-Q2" in codes and "2023-H1" in codes  # due 18/6, within 14 days
    assert "2023-Q3" not in codes
