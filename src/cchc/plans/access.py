"""Who may do what in plans, inspections and staffing: compositions of
cchc.units.permissions (the one place for permissions), never new rules of their own.

- a plan, its items, staffing figures: viewed by whoever may view the unit, changed by
  whoever may edit it (its officers and head; administrators above it);
- an inspection: opened and filled in by an administrator of the organising unit (for the
  units under it); a self-inspection by the unit's own officers; viewed by those who may
  view the organiser or one of the units inspected (who then see their own unit's part);
- a remediation report: written by whoever may edit the recommendation's unit;
- a breakthrough registration: opened by an administrator of the calling unit, filled in by
  the units under it.
"""

from __future__ import annotations

from typing import Literal

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from cchc.core.people import Person
from cchc.plans.models import (
    Breakthrough,
    BreakthroughCall,
    Inspection,
    Plan,
    PlanItem,
    Recommendation,
    StaffMember,
)
from cchc.units.models import Unit
from cchc.units.permissions import (
    NOT_FOUND,
    NOT_SIGNED_IN,
    can,
    home_unit,
    require,
    visible_units,
)

NOT_ORGANISER = "Chỉ đơn vị tổ chức đợt kiểm tra “{inspection}” được cập nhật nội dung này."
NOT_CALLER = "Chỉ quản trị viên của {unit} được quản lý đợt đăng ký này."
NOT_IN_INSPECTION = "Bạn không có quyền xem đợt kiểm tra này."


def _signed_in(user: Person | None) -> None:
    if not user or not user.is_authenticated:
        raise PermissionDenied(NOT_SIGNED_IN)


def plan_for(user: Person, pk, action: Literal["view", "edit"] = "view") -> Plan:
    plan = get_object_or_404(Plan.objects.select_related("unit", "unit__parent"), pk=pk)
    require(user, action, plan.unit)
    return plan


def item_for(user: Person, pk, action: Literal["view", "edit"] = "view") -> PlanItem:
    item = get_object_or_404(
        PlanItem.objects.select_related("plan", "plan__unit", "parent", "component"), pk=pk
    )
    require(user, action, item.plan.unit)
    return item


# --- inspections --------------------------------------------------------------------------


def can_open_inspection(user: Person, organiser: Unit, kind: str) -> bool:
    if kind == Inspection.Kind.SELF:
        return can(user, "edit", organiser)
    return can(user, "administer", organiser)


def can_manage_inspection(user: Person, inspection: Inspection) -> bool:
    return can_open_inspection(user, inspection.organiser, inspection.kind)


def inspection_units_visible(user: Person, inspection: Inspection) -> set[int]:
    """The units of this inspection whose findings the person may read."""
    if can_manage_inspection(user, inspection) or can(user, "view", inspection.organiser):
        return set(inspection.targets.values_list("unit_id", flat=True))
    return set(
        inspection.targets.filter(unit__in=visible_units(user)).values_list("unit_id", flat=True)
    )


def inspection_for(user: Person, pk, action: Literal["view", "manage"] = "view") -> Inspection:
    _signed_in(user)
    inspection = get_object_or_404(Inspection.objects.select_related("organiser"), pk=pk)
    manages = can_manage_inspection(user, inspection)
    # The one answer for "not yours" (units.permissions): unseen -> 404, seen -> 403.
    if not (
        manages
        or inspection_units_visible(user, inspection)
        or can(user, "view", inspection.organiser)
    ):
        raise Http404(NOT_FOUND)
    if action == "manage" and not manages:
        raise PermissionDenied(NOT_ORGANISER.format(inspection=inspection))
    return inspection


def inspections_visible(user: Person):
    """Inspections organised by, or covering, a unit the person may see."""
    units = visible_units(user)
    return (
        Inspection.objects.filter(Q(organiser__in=units) | Q(targets__unit__in=units))
        .distinct()
        .select_related("organiser")
    )


def recommendation_for(
    user: Person, pk, action: Literal["view", "report", "close"] = "view"
) -> Recommendation:
    _signed_in(user)
    recommendation = get_object_or_404(
        Recommendation.objects.select_related(
            "inspection", "inspection__organiser", "unit", "component", "finding"
        ),
        pk=pk,
    )
    inspection = recommendation.inspection
    # Who cannot see it gets 404 whatever the action (units.permissions' one rule).
    if not (can(user, "view", recommendation.unit) or can_manage_inspection(user, inspection)):
        require(user, "view", recommendation.unit)
    if action == "report":
        require(user, "edit", recommendation.unit)
    elif action == "close" and not can_manage_inspection(user, inspection):
        raise PermissionDenied(NOT_ORGANISER.format(inspection=inspection))
    return recommendation


# --- breakthrough work --------------------------------------------------------------------


def calls_visible(user: Person):
    """Calls made by a unit the person may see, or by a unit above their own (so that a
    commune sees the province's call it must answer)."""
    _signed_in(user)
    home = home_unit(user)
    query = Q(unit__in=visible_units(user))
    if home is not None:
        ancestors = [k for k in home.path.strip("/").split("/")]
        paths = ["/" + "/".join(ancestors[: i + 1]) + "/" for i in range(len(ancestors))]
        query |= Q(unit__path__in=paths)
    return BreakthroughCall.objects.filter(query).select_related("unit")


def call_for(user: Person, pk, action: Literal["view", "manage"] = "view") -> BreakthroughCall:
    call = get_object_or_404(calls_visible(user), pk=pk)
    if action == "manage" and not can(user, "administer", call.unit):
        raise PermissionDenied(NOT_CALLER.format(unit=call.unit))
    return call


def registration_for(user: Person, pk, action: Literal["view", "edit"] = "view") -> Breakthrough:
    _signed_in(user)
    registration = get_object_or_404(
        Breakthrough.objects.select_related("call", "call__unit", "unit", "component"), pk=pk
    )
    if action == "view" and can(user, "administer", registration.call.unit):
        return registration
    require(user, action, registration.unit)
    return registration


def member_for(user: Person, pk, action: Literal["view", "edit"] = "view") -> StaffMember:
    member = get_object_or_404(
        StaffMember.objects.select_related("staffing", "staffing__unit"), pk=pk
    )
    require(user, action, member.staffing.unit)
    return member
