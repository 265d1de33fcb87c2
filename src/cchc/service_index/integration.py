"""What this app gives the rest of the system: the qd766.* metrics that a PAR framework's
`method: metric` criteria read, and the "waiting for you" items of the feedback register."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from cchc.core.navigation import InboxItem
from cchc.core.people import Person
from cchc.units import roles as R

MAX_INBOX_ITEMS = 10


def measure_qd766(unit, start: dt.date, end: dt.date, names: set[str]) -> dict[str, Decimal | None]:
    """qd766.<code> (rate %), qd766.<code>.points, qd766.group.<n>.points, qd766.total,
    qd766.max_available, qd766.score_100 for the unit over [start, end]; None = no data."""
    from cchc.dossiers.periods import PeriodError, custom_period, vn_today
    from cchc.service_index.compute import metrics_for_framework
    from cchc.service_index.selectors import IndexComputer, cut_at

    try:
        period = cut_at(custom_period(start, end), vn_today())
    except PeriodError:
        return dict.fromkeys(names)  # a period not begun: no data, never zero
    metrics = metrics_for_framework(IndexComputer().result(unit, period))
    return {name: metrics.get(name) for name in names}


def feedback_inbox(user: Person) -> list[InboxItem]:
    """Feedback of the person's own unit that is late or due soon: assigned to them, or not
    assigned yet (a head sees all of the unit's)."""
    from cchc.core.formatting import vn_date
    from cchc.service_index.selectors import feedback_due
    from cchc.units.permissions import can, home_unit, roles_of

    unit = home_unit(user)
    if unit is None or not can(user, "edit", unit):
        return []
    today = timezone.localdate()
    rows = feedback_due([unit.pk], today)
    if R.HEAD not in roles_of(user):
        rows = [r for r in rows if r.feedback.assigned_to_id in (None, user.pk)]
    items = [
        InboxItem(
            title=f"Phản ánh, kiến nghị {r.feedback.code}: {r.step_label.lower()}",
            url=reverse("service_index:feedback", args=[r.feedback.pk]),
            detail=(
                f"{r.feedback.content[:90]} · nhận {vn_date(r.feedback.received_on)}"
                + ("" if r.feedback.assigned_to_id else " · chưa giao người xử lý")
            ),
            due=r.due,
            overdue=r.late,
        )
        for r in rows[:MAX_INBOX_ITEMS]
    ]
    if len(rows) > MAX_INBOX_ITEMS:
        items.append(
            InboxItem(
                title=f"… và {len(rows) - MAX_INBOX_ITEMS} phản ánh, kiến nghị khác đến hạn",
                url=reverse("service_index:feedback-list", args=[unit.pk]) + "?show=due",
            )
        )
    return items
