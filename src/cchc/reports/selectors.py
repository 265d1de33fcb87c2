"""Reads of reports, scoped to what the person may see."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from cchc.core.people import Person
from cchc.reports.models import FilingReminder, ReminderStatus, Report, ReportFile

# The fetches and the level-above rule live with every other access rule in
# cchc.units.permissions (issue 12); re-exported here for the reports' views and API.
from cchc.units.permissions import (  # noqa: F401
    NOT_FOUND_REPORT,
    NOT_FOUND_REPORT_FILE,
    can,
    can_manage_children,
    home_unit,
    report_for,
    require_level_above,
)
from cchc.units.permissions import report_file_for as file_for  # noqa: F401

NOT_FOUND = NOT_FOUND_REPORT
NOT_FOUND_FILE = NOT_FOUND_REPORT_FILE


def reports_of(unit) -> QuerySet[Report]:
    return Report.objects.filter(unit=unit).select_related("unit").order_by("-period_end", "kind")


def files_of(report: Report) -> QuerySet[ReportFile]:
    return report.files.select_related("generated_by__profile").order_by("-generated_at", "-pk")


def inbox(user: Person) -> list:
    """The home page's list: reminders to file and periodic reports due within 14 days
    for the person's own unit; for the level above, units late with their reports."""
    from cchc.core.formatting import vn_date
    from cchc.core.navigation import InboxItem
    from cchc.reports.filing import unit_due

    unit = home_unit(user)
    if unit is None or not can(user, "edit", unit):
        return []
    today = timezone.localdate()
    items: list[InboxItem] = []
    seen: set[tuple[str, str]] = set()
    reminders = FilingReminder.objects.filter(
        unit=unit, status=ReminderStatus.SENT, reminded_on__gte=today - dt.timedelta(days=60)
    ).order_by("-reminded_on")
    pending = {(c.kind.code, c.period.code): c for c in unit_due(unit, today=today)}
    for reminder in reminders:
        key = (reminder.report_kind, reminder.period_code)
        if key in seen or key not in pending:
            continue  # filed since, or already listed
        seen.add(key)
        cell = pending[key]
        items.append(
            InboxItem(
                title=f"Cấp trên nhắc nộp báo cáo CCHC {cell.period.label}",
                url=_open_url(unit, cell),
                detail=f"Nhắc ngày {vn_date(reminder.reminded_on)}",
                due=cell.due_on,
                overdue=cell.due_on < today,
            )
        )
    for key, cell in pending.items():
        if key in seen:
            continue
        items.append(
            InboxItem(
                title=f"Nộp báo cáo CCHC {cell.period.label}",
                url=_open_url(unit, cell),
                detail="Báo cáo định kỳ gửi cấp trên",
                due=cell.due_on,
                overdue=cell.due_on < today,
            )
        )
    return items


def _open_url(unit, cell) -> str:
    return (
        reverse("reports:new", args=[unit.pk]) + f"?kind={cell.kind.code}&period={cell.period.code}"
    )
