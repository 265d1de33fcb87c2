"""State changes of breakthrough work: calls for registration and the registered tasks.

Keyword-only arguments, one transaction each (see cchc.plans.services)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from cchc.core.history import save_with_history as _save
from cchc.core.people import Person
from cchc.plans.models import (
    Breakthrough,
    BreakthroughCall,
    Component,
    Status,
)
from cchc.plans.service_common import DONE_IN_FUTURE, REGISTER_OUTSIDE, _today
from cchc.units.models import Unit

# --- breakthrough work --------------------------------------------------------------------


@transaction.atomic
def call_create(
    *,
    unit: Unit,
    year: int,
    title: str,
    deadline: dt.date,
    document: str = "",
    note: str = "",
    by: Person | None = None,
) -> BreakthroughCall:
    call = BreakthroughCall(
        unit=unit,
        year=year,
        title=title.strip(),
        deadline=deadline,
        document=document.strip(),
        note=note,
        created_by=by,
    )
    _save(call, reason="Phát động đăng ký", by=by)
    return call


@transaction.atomic
def breakthrough_register(
    *,
    call: BreakthroughCall,
    unit: Unit,
    title: str,
    solution: str = "",
    component: Component | None = None,
    lead_officer_name: str = "",
    product: str = "",
    due_on: dt.date | None = None,
    by: Person | None = None,
    today: dt.date | None = None,
) -> Breakthrough:
    if unit.pk == call.unit_id or not unit.path.startswith(call.unit.path):
        raise ValidationError(REGISTER_OUTSIDE.format(unit=unit, caller=call.unit))
    registration = Breakthrough(
        call=call,
        unit=unit,
        title=title.strip(),
        solution=solution,
        component=component,
        lead_officer_name=lead_officer_name.strip(),
        product=product.strip(),
        due_on=due_on,
        registered_on=today or _today(),
        registered_by=by,
    )
    late = " (sau hạn đăng ký)" if registration.registered_late else ""
    _save(registration, reason=f"Đăng ký{late}", by=by)
    return registration


@transaction.atomic
def breakthrough_set_status(
    *,
    registration: Breakthrough,
    status: str,
    done_on: dt.date | None = None,
    by: Person | None = None,
    today: dt.date | None = None,
) -> Breakthrough:
    today = today or _today()
    if status == Status.DONE:
        done_on = done_on or today
        if done_on > today:
            raise ValidationError({"done_on": DONE_IN_FUTURE})
    else:
        done_on = None
    old = registration.get_status_display()
    registration.status = status
    registration.done_on = done_on
    _save(
        registration,
        reason=f"Trạng thái: {old} → {registration.get_status_display()}",
        by=by,
    )
    return registration
