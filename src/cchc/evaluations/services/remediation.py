"""Remediation plans (seed 001): the unit submits, the organiser accepts."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from cchc.core.people import Person
from cchc.evaluations.models import (
    RemediationDuty,
    RemediationStatus,
)
from cchc.evaluations.services.common import (
    ERR_REMEDIATION_PLAN,
    ERR_REMEDIATION_STATE,
    EvaluationError,
    _save,
    require_cycle_admin,
)
from cchc.units.permissions import require_action


@transaction.atomic
def remediation_submit(
    *, duty: RemediationDuty, by: Person, plan_file=None, note: str = ""
) -> RemediationDuty:
    """The unit sends its remediation plan."""
    duty = (
        RemediationDuty.objects.select_for_update()
        .select_related("cycle_unit__unit")
        .get(pk=duty.pk)
    )
    require_action(by, "edit", duty.cycle_unit.unit)
    if duty.status != RemediationStatus.OWED:
        raise EvaluationError(
            ERR_REMEDIATION_STATE.format(status=RemediationStatus(duty.status).label)
        )
    if plan_file is None and not (note or "").strip():
        raise EvaluationError(ERR_REMEDIATION_PLAN, field="plan_file")
    if plan_file is not None:
        duty.plan_file = plan_file
    duty.plan_note = (note or "").strip()
    duty.status = RemediationStatus.SUBMITTED
    duty.submitted_at = timezone.now()
    duty.submitted_by = by
    _save(duty, "Nộp kế hoạch khắc phục", by)
    return duty


@transaction.atomic
def remediation_accept(*, duty: RemediationDuty, by: Person) -> RemediationDuty:
    """The organiser's administrator accepts the plan."""
    duty = (
        RemediationDuty.objects.select_for_update()
        .select_related("cycle_unit__cycle__organiser")
        .get(pk=duty.pk)
    )
    require_cycle_admin(by, duty.cycle_unit.cycle)
    if duty.status != RemediationStatus.SUBMITTED:
        raise EvaluationError(
            ERR_REMEDIATION_STATE.format(status=RemediationStatus(duty.status).label)
        )
    duty.status = RemediationStatus.ACCEPTED
    duty.accepted_at = timezone.now()
    duty.accepted_by = by
    _save(duty, "Chấp nhận kế hoạch khắc phục", by)
    return duty
