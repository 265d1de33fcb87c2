"""The home page's "Việc đang chờ bạn" items of the PAR index evaluation.

- officer / head: the unit's self-assessment while open (with its deadline), a return for
  explanation, a remediation plan owed;
- appraiser: units submitted and waiting for appraisal, per cycle;
- administrator: cycles of their unit waiting for the next step, plans waiting acceptance.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from cchc.core.formatting import vn_date
from cchc.core.navigation import InboxItem
from cchc.core.people import Person
from cchc.units import roles as R


def evaluation_inbox(user: Person | None) -> list[InboxItem]:
    from cchc.evaluations.models import (
        Cycle,
        CycleState,
        CycleUnit,
        CycleUnitStatus,
        RemediationDuty,
        RemediationStatus,
    )
    from cchc.units.permissions import assigned_unit_ids, home_unit, roles_of

    if not user or not user.is_authenticated:
        return []
    roles = roles_of(user)
    home = home_unit(user)
    today = timezone.localdate()
    items: list[InboxItem] = []

    if home is not None and roles & {R.OFFICER, R.HEAD}:
        own = CycleUnit.objects.filter(unit=home).select_related("cycle")
        for cu in own.filter(
            cycle__state=CycleState.SELF_ASSESSMENT,
            status__in=[CycleUnitStatus.NOT_STARTED, CycleUnitStatus.IN_PROGRESS],
        ):
            due = cu.cycle.self_assessment_deadline
            items.append(
                InboxItem(
                    title=f"Tự đánh giá Chỉ số CCHC {cu.cycle.year}"
                    + (f" — hạn {vn_date(due)}" if due else ""),
                    url=reverse("self-assessment", args=[cu.pk]),
                    detail=f"{cu.unit.name}: {cu.get_status_display().lower()}"
                    + (" — Thủ trưởng gửi khi chấm xong" if R.HEAD in roles else ""),
                    due=due,
                    overdue=bool(due and due < today),
                )
            )
        for cu in own.filter(status=CycleUnitStatus.RETURNED):
            due = cu.returned_deadline
            items.append(
                InboxItem(
                    title=f"Giải trình Chỉ số CCHC {cu.cycle.year} theo yêu cầu của Tổ thẩm định",
                    url=reverse("self-assessment", args=[cu.pk]),
                    detail=(cu.return_message or "")[:160],
                    due=due,
                    overdue=bool(due and due < today),
                )
            )
        for duty in RemediationDuty.objects.filter(
            cycle_unit__unit=home, status=RemediationStatus.OWED
        ).select_related("cycle_unit__cycle"):
            items.append(
                InboxItem(
                    title=f"Nộp kế hoạch khắc phục Chỉ số CCHC {duty.cycle_unit.cycle.year}",
                    url=reverse("remediation-submit", args=[duty.pk]),
                    detail="Lĩnh vực: " + ", ".join(duty.components)
                    if duty.components
                    else "Theo mức xếp loại",
                    due=duty.deadline,
                    overdue=duty.deadline < today,
                )
            )

    if R.APPRAISER in roles:
        waiting = (
            CycleUnit.objects.filter(
                unit_id__in=assigned_unit_ids(user),
                status=CycleUnitStatus.SUBMITTED,
                cycle__state__in=[CycleState.SELF_ASSESSMENT, CycleState.APPRAISAL],
            )
            .values("cycle_id", "cycle__year", "cycle__name", "cycle__appraisal_deadline")
            .annotate(n=Count("id"))
            .order_by("cycle__appraisal_deadline")
        )
        for row in waiting:
            due = row["cycle__appraisal_deadline"]
            items.append(
                InboxItem(
                    title=f"{row['n']} đơn vị chờ thẩm định Chỉ số CCHC {row['cycle__year']}",
                    url=reverse("appraisal-list")
                    + f"?cycle={row['cycle_id']}&status={CycleUnitStatus.SUBMITTED}",
                    detail=row["cycle__name"],
                    due=due,
                    overdue=bool(due and due < today),
                )
            )

    if R.ADMINISTRATOR in roles and home is not None:
        cycles = (
            Cycle.objects.filter(organiser__path__startswith=home.path)
            .exclude(state=CycleState.PUBLISHED)
            .annotate(
                n=Count("cycle_units"),
                pending_self=Count(
                    "cycle_units",
                    filter=Q(
                        cycle_units__status__in=[
                            CycleUnitStatus.NOT_STARTED,
                            CycleUnitStatus.IN_PROGRESS,
                            CycleUnitStatus.RETURNED,
                        ]
                    ),
                ),
                appraised=Count(
                    "cycle_units", filter=Q(cycle_units__status=CycleUnitStatus.APPRAISED)
                ),
            )
        )
        for cycle in cycles:
            url = reverse("cycle-detail", args=[cycle.pk])
            if cycle.state == CycleState.DRAFT:
                items.append(
                    InboxItem(
                        f"Kỳ đánh giá “{cycle.name}” còn là dự thảo: bắt đầu tự đánh giá",
                        url,
                        f"{cycle.n} đơn vị",
                    )
                )
            elif cycle.state == CycleState.SELF_ASSESSMENT:
                due = cycle.self_assessment_deadline
                sent = cycle.n - cycle.pending_self
                ready = cycle.pending_self == 0 or bool(due and due < today)
                items.append(
                    InboxItem(
                        f"“{cycle.name}”: chuyển sang thẩm định"
                        if ready
                        else f"“{cycle.name}”: {sent}/{cycle.n} đơn vị đã gửi tự đánh giá",
                        url,
                        f"{sent}/{cycle.n} đơn vị đã gửi" if ready else "Theo dõi tiến độ",
                        due=due,
                        overdue=bool(due and due < today),
                    )
                )
            elif cycle.state == CycleState.APPRAISAL:
                due = cycle.appraisal_deadline
                done = cycle.appraised == cycle.n
                items.append(
                    InboxItem(
                        f"“{cycle.name}”: mọi đơn vị đã thẩm định xong — chốt kết quả"
                        if done
                        else f"“{cycle.name}”: {cycle.appraised}/{cycle.n} đơn vị đã thẩm định",
                        url,
                        due=due,
                        overdue=bool(due and due < today and not done),
                    )
                )
            elif cycle.state == CycleState.FINALISED:
                items.append(
                    InboxItem(
                        f"“{cycle.name}”: đã chốt — công bố kết quả",
                        reverse("cycle-publish", args=[cycle.pk]),
                    )
                )
        plans = RemediationDuty.objects.filter(
            status=RemediationStatus.SUBMITTED,
            cycle_unit__cycle__organiser__path__startswith=home.path,
        ).count()
        if plans:
            items.append(
                InboxItem(f"{plans} kế hoạch khắc phục chờ chấp nhận", reverse("remediation-list"))
            )
    return items
