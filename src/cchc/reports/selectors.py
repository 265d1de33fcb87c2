"""Reads of reports, scoped to what the person may see."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from cchc.core.people import Person
from cchc.reports.models import FilingReminder, ReminderStatus, Report, ReportFile
from cchc.units.permissions import can, home_unit, require

NOT_FOUND = "Không tìm thấy báo cáo."
NOT_FOUND_FILE = "Không tìm thấy tệp báo cáo."


def report_for(user: Person, pk, action: str = "view") -> Report:
    """The permission-scoped fetch of a report: 404 when it does not exist, 403 when the
    person may not do ``action`` on its unit."""
    try:
        report = Report.objects.select_related(
            "unit", "unit__parent", "cycle", "inspection", "submitted_by", "submitted_to"
        ).get(pk=int(pk))
    except (Report.DoesNotExist, ValueError, TypeError):
        raise Http404(NOT_FOUND) from None
    require(user, action, report.unit)  # type: ignore[arg-type]
    return report


def file_for(user: Person, pk) -> ReportFile:
    try:
        item = ReportFile.objects.select_related("report", "report__unit").get(pk=int(pk))
    except (ReportFile.DoesNotExist, ValueError, TypeError):
        raise Http404(NOT_FOUND_FILE) from None
    require(user, "view", item.report.unit)
    return item


def reports_of(unit) -> QuerySet[Report]:
    return Report.objects.filter(unit=unit).select_related("unit").order_by("-period_end", "kind")


def files_of(report: Report) -> QuerySet[ReportFile]:
    return report.files.select_related("generated_by__profile").order_by("-generated_at", "-pk")


def can_manage_children(user: Person, unit) -> bool:
    """The level above: staff of the unit itself (officer, head) or an administrator."""
    return can(user, "edit", unit) or can(user, "administer", unit)


def require_level_above(user: Person, unit) -> None:
    require(user, "view", unit)
    if not can_manage_children(user, unit):
        raise PermissionDenied("Chỉ cán bộ của đơn vị cấp trên được xem việc nộp báo cáo.")


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
