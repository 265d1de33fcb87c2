"""The dossier desk's items on a person's home page ("Việc đang chờ bạn")."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from cchc.core.navigation import InboxItem
from cchc.core.people import Person
from cchc.units.permissions import can, home_unit

SOON_DAYS = 3


def desk_inbox(user: Person) -> list[InboxItem]:
    """Overdue and soon-due open dossiers of the person's own desk (officers, heads)."""
    from cchc.dossiers.models import OPEN_STATUSES, Dossier
    from cchc.dossiers.periods import vn_today
    from cchc.dossiers.selectors import overdue_open

    unit = home_unit(user)
    if unit is None or not can(user, "edit", unit) or unit.children.exists():
        # Administrators of a province see the statistics, not a desk's work list.
        return []
    today = vn_today()
    open_ = Dossier.objects.filter(unit=unit, status__in=OPEN_STATUSES, due_on__isnull=False)
    overdue = overdue_open(open_, today).count()
    soon = open_.filter(
        late_by_rule=False,
        clock_stopped_on__isnull=True,
        due_on__gte=today,
        due_on__lte=today + dt.timedelta(days=SOON_DAYS),
    ).count()
    desk = reverse("dossiers:desk", args=[unit.pk])
    items = []
    if overdue:
        items.append(
            InboxItem(
                title=f"{overdue} hồ sơ TTHC đang quá hạn",
                url=f"{desk}?due=overdue",
                detail="Giải quyết ngay; lập văn bản xin lỗi và hẹn lại ngày trả kết quả.",
                overdue=True,
            )
        )
    if soon:
        items.append(
            InboxItem(
                title=f"{soon} hồ sơ TTHC sắp đến hạn trả kết quả",
                url=f"{desk}?due=soon",
                detail=f"Hạn trong {SOON_DAYS} ngày tới.",
            )
        )
    return items
