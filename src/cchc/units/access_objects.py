"""The permission-scoped fetches of each app's objects: `x_for(user, id, action)`, one per kind
of object, and the lists a person may see. They live in the units layer (issue 12: every
rule in one place), re-exported by cchc.units.permissions; the apps' selectors/access
modules re-export them in turn. The units layer sits below the apps: the models are the
ones each app gives in its AppConfig.ready() (access_models.py), read when a fetch runs.
"""

from __future__ import annotations

from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from cchc.core.people import Person
from cchc.units import access_models as M
from cchc.units.access import (
    NOT_FOUND,
    _get,
    _pk,
    _signed_in,
    can,
    get_unit_for,
    home_unit,
    is_administrator,
    require,
    require_action,
    visible_units,
)
from cchc.units.models import Unit

# ---------------------------------------------------------------- evaluations


def cycles_for(user: Person | None) -> QuerySet:
    """Cycles this person may see: those they administer (drafts included), and those
    (not drafts) in which a unit they may see is evaluated."""
    if not user or not user.is_authenticated:
        return M.Cycle.objects.none()
    if user.is_superuser:
        return M.Cycle.objects.select_related("framework", "organiser").order_by("-year", "-pk")
    units = visible_units(user)
    query = Q(pk__in=M.Cycle.objects.filter(cycle_units__unit__in=units).values("pk")) & ~Q(
        state=M.CycleState.DRAFT
    )
    if is_administrator(user):
        query |= Q(organiser__in=units)
    return (
        M.Cycle.objects.filter(query)
        .select_related("framework", "organiser", "appraising_body")
        .order_by("-year", "-pk")
    )


def can_administer(user: Person, cycle) -> bool:
    """Administering a cycle = administering its organiser unit."""
    return can(user, "administer", cycle.organiser)


def cycle_for(user: Person, pk: int | str, action: str = "view"):
    """The permission-scoped fetch of a cycle: 404 if it does not exist (or is a draft the
    person may not see, or another's cycle), 403 if the person sees it but may not do
    ``action`` ("view" or "administer")."""
    try:
        cycle = M.Cycle.objects.select_related("framework", "organiser", "appraising_body").get(
            pk=int(pk)
        )
    except (M.Cycle.DoesNotExist, ValueError, TypeError):
        raise Http404(NOT_FOUND) from None
    if not cycles_for(user).filter(pk=cycle.pk).exists():
        _signed_in(user)
        # A draft does not exist yet for the units; another's cycle is not theirs to see.
        raise Http404(NOT_FOUND)
    if action != "view":
        # The cycle is seen (above); acting on it is its organiser's: refused with the reason.
        require_action(user, "administer", cycle.organiser)
    return cycle


def cycle_units_for(user: Person, cycle) -> QuerySet:
    """The units of the cycle this person may see (an appraiser: the ones assigned)."""
    units = cycle.cycle_units.select_related("unit", "cycle").order_by("block", "unit__path")
    if user.is_superuser or can_administer(user, cycle):
        return units
    return units.filter(unit__in=visible_units(user))


def cycle_unit_for(user: Person, pk: int | str, action: str = "view"):
    """The permission-scoped fetch of a unit's evaluation: 404 if it does not exist (or its
    cycle is a draft the person may not see), 403 if the person may not see the unit or do
    ``action`` (view, edit, submit, appraise, administer)."""
    try:
        cycle_unit = M.CycleUnit.objects.select_related(
            "cycle", "cycle__framework", "cycle__organiser", "unit", "unit__parent"
        ).get(pk=int(pk))
    except (M.CycleUnit.DoesNotExist, ValueError, TypeError):
        raise Http404(NOT_FOUND) from None
    if cycle_unit.cycle.state == M.CycleState.DRAFT and not can_administer(user, cycle_unit.cycle):
        raise Http404(NOT_FOUND)  # a draft does not exist yet for the units
    require(user, "view", cycle_unit.unit)
    if action != "view":
        require(user, action, cycle_unit.unit)  # type: ignore[arg-type]
    return cycle_unit


def score_for(user: Person, pk: int | str, action: str = "view"):
    try:
        score = M.Score.objects.select_related(
            "criterion", "cycle_unit", "cycle_unit__cycle", "cycle_unit__unit"
        ).get(pk=int(pk))
    except (M.Score.DoesNotExist, ValueError, TypeError):
        raise Http404("Không tìm thấy điểm.") from None
    cycle_unit_for(user, score.cycle_unit_id, action)
    return score


def evidence_for(user: Person, pk: int | str, action: str = "view"):
    """A document of a unit's evaluation, through its evaluation's rule."""
    cycle_unit_id = (
        M.Evidence.objects.filter(pk=_pk(pk)).values_list("cycle_unit_id", flat=True).first()
    )
    if cycle_unit_id is None:
        raise Http404("Không tìm thấy tài liệu.")
    cycle_unit = cycle_unit_for(user, cycle_unit_id, action)
    evidence = M.Evidence.objects.select_related("criterion").get(pk=int(pk))
    evidence.cycle_unit = cycle_unit
    return evidence


NOT_ORGANISER_DUTY = "Chỉ quản trị viên của đơn vị tổ chức đánh giá được duyệt kế hoạch khắc phục."


def duty_for(user: Person, pk: int | str, action: str = "view"):
    """A unit's remediation duty: seen and sent through its unit (404 unseen, 403 seen but
    not ``action``); accepted ("administer") by the administrators of the cycle's organiser."""
    duty = _get(
        M.RemediationDuty.objects.select_related(
            "cycle_unit", "cycle_unit__unit", "cycle_unit__cycle", "cycle_unit__cycle__organiser"
        ),
        pk,
        "Không tìm thấy nghĩa vụ khắc phục.",
    )
    if action == "administer":
        get_unit_for(user, duty.cycle_unit.unit_id, "view")
        if not can(user, "administer", duty.cycle_unit.cycle.organiser):
            raise PermissionDenied(NOT_ORGANISER_DUTY)
    else:
        get_unit_for(user, duty.cycle_unit.unit_id, action)  # type: ignore[arg-type]
    return duty


# ---------------------------------------------------------------- plans, inspections, staffing
#
# - a plan, its items, staffing figures: viewed by whoever may view the unit, changed by
#   whoever may edit it (its officers and head; administrators above it);
# - an inspection: opened and filled in by an administrator of the organising unit (for the
#   units under it); a self-inspection by the unit's own officers; viewed by those who may
#   view the organiser or one of the units inspected (who then see their own unit's part);
# - a remediation report: written by whoever may edit the recommendation's unit;
# - a breakthrough registration: opened by an administrator of the calling unit, filled in
#   by the units under it.

NOT_ORGANISER = "Chỉ đơn vị tổ chức đợt kiểm tra “{inspection}” được cập nhật nội dung này."
NOT_CALLER = "Chỉ quản trị viên của {unit} được quản lý đợt đăng ký này."
NOT_IN_INSPECTION = "Bạn không có quyền xem đợt kiểm tra này."


def plan_for(user: Person, pk, action: Literal["view", "edit"] = "view"):
    plan = _get(M.Plan.objects.select_related("unit", "unit__parent"), pk)
    require(user, action, plan.unit)
    return plan


def item_for(user: Person, pk, action: Literal["view", "edit"] = "view"):
    item = _get(M.PlanItem.objects.select_related("plan", "plan__unit", "parent", "component"), pk)
    require(user, action, item.plan.unit)
    return item


def can_open_inspection(user: Person, organiser: Unit, kind: str) -> bool:
    if kind == M.Inspection.Kind.SELF:
        return can(user, "edit", organiser)
    return can(user, "administer", organiser)


def can_manage_inspection(user: Person, inspection) -> bool:
    return can_open_inspection(user, inspection.organiser, inspection.kind)


def inspection_units_visible(user: Person, inspection) -> set[int]:
    """The units of this inspection whose findings the person may read."""
    if can_manage_inspection(user, inspection) or can(user, "view", inspection.organiser):
        return set(inspection.targets.values_list("unit_id", flat=True))
    return set(
        inspection.targets.filter(unit__in=visible_units(user)).values_list("unit_id", flat=True)
    )


def inspection_for(user: Person, pk, action: Literal["view", "manage"] = "view"):
    _signed_in(user)
    inspection = _get(M.Inspection.objects.select_related("organiser"), pk)
    manages = can_manage_inspection(user, inspection)
    if not (
        manages
        or inspection_units_visible(user, inspection)
        or can(user, "view", inspection.organiser)
    ):
        raise Http404(NOT_FOUND)
    if action == "manage" and not manages:
        raise PermissionDenied(NOT_ORGANISER.format(inspection=inspection))
    return inspection


def inspections_visible(user: Person) -> QuerySet:
    """Inspections organised by, or covering, a unit the person may see."""
    units = visible_units(user)
    return (
        M.Inspection.objects.filter(Q(organiser__in=units) | Q(targets__unit__in=units))
        .distinct()
        .select_related("organiser")
    )


def recommendation_for(user: Person, pk, action: Literal["view", "report", "close"] = "view"):
    _signed_in(user)
    recommendation = _get(
        M.Recommendation.objects.select_related(
            "inspection", "inspection__organiser", "unit", "component", "finding"
        ),
        pk,
    )
    inspection = recommendation.inspection
    # Who cannot see it gets 404 whatever the action.
    if not (can(user, "view", recommendation.unit) or can_manage_inspection(user, inspection)):
        require(user, "view", recommendation.unit)
    if action == "report":
        require(user, "edit", recommendation.unit)
    elif action == "close" and not can_manage_inspection(user, inspection):
        raise PermissionDenied(NOT_ORGANISER.format(inspection=inspection))
    return recommendation


def calls_visible(user: Person) -> QuerySet:
    """Calls made by a unit the person may see, or by a unit above their own (so that a
    commune sees the province's call it must answer)."""
    _signed_in(user)
    home = home_unit(user)
    query = Q(unit__in=visible_units(user))
    if home is not None:
        ancestors = [k for k in home.path.strip("/").split("/")]
        paths = ["/" + "/".join(ancestors[: i + 1]) + "/" for i in range(len(ancestors))]
        query |= Q(unit__path__in=paths)
    return M.BreakthroughCall.objects.filter(query).select_related("unit")


def call_for(user: Person, pk, action: Literal["view", "manage"] = "view"):
    call = _get(calls_visible(user), pk)
    if action == "manage" and not can(user, "administer", call.unit):
        raise PermissionDenied(NOT_CALLER.format(unit=call.unit))
    return call


def registration_for(user: Person, pk, action: Literal["view", "edit"] = "view"):
    _signed_in(user)
    registration = _get(
        M.Breakthrough.objects.select_related("call", "call__unit", "unit", "component"), pk
    )
    if action == "view" and can(user, "administer", registration.call.unit):
        return registration
    require(user, action, registration.unit)
    return registration


def member_for(user: Person, pk, action: Literal["view", "edit"] = "view"):
    member = _get(M.StaffMember.objects.select_related("staffing", "staffing__unit"), pk)
    require(user, action, member.staffing.unit)
    return member


# ---------------------------------------------------------------- reports

NOT_FOUND_REPORT = "Không tìm thấy báo cáo."
NOT_FOUND_REPORT_FILE = "Không tìm thấy tệp báo cáo."


def report_for(user: Person, pk, action: str = "view"):
    """The permission-scoped fetch of a report: 404 when it does not exist or the person
    may not see its unit, 403 when they may not do ``action`` on its unit."""
    try:
        report = M.Report.objects.select_related(
            "unit", "unit__parent", "cycle", "inspection", "submitted_by", "submitted_to"
        ).get(pk=int(pk))
    except (M.Report.DoesNotExist, ValueError, TypeError):
        raise Http404(NOT_FOUND_REPORT) from None
    require(user, action, report.unit)  # type: ignore[arg-type]
    return report


def report_file_for(user: Person, pk, action: str = "view"):
    try:
        item = M.ReportFile.objects.select_related("report", "report__unit").get(pk=int(pk))
    except (M.ReportFile.DoesNotExist, ValueError, TypeError):
        raise Http404(NOT_FOUND_REPORT_FILE) from None
    require(user, action, item.report.unit)  # type: ignore[arg-type]
    return item


# ---------------------------------------------------------------- service index, feedback

NOT_FOUND_FEEDBACK = "Không tìm thấy phản ánh, kiến nghị."


def feedback_for(user: Person, pk: int | str, action: str = "view"):
    """The permission-scoped fetch of one feedback: its unit is checked first."""
    try:
        unit_id = M.Feedback.objects.values_list("unit_id", flat=True).get(pk=int(pk))
    except (M.Feedback.DoesNotExist, ValueError, TypeError):
        raise Http404(NOT_FOUND_FEEDBACK) from None
    unit = get_unit_for(user, unit_id, action)  # type: ignore[arg-type]
    feedback = M.Feedback.objects.select_related(
        "procedure", "assigned_to__profile", "created_by__profile"
    ).get(pk=int(pk))
    feedback.unit = unit
    return feedback


# ---------------------------------------------------------------- dossiers

NOT_FOUND_DOSSIER = "Không tìm thấy hồ sơ."


def dossier_for(user: Person, pk: int | str, action: str = "view"):
    """A dossier, through its unit's rule (404 unseen, 403 seen but not ``action``)."""
    unit_id = M.Dossier.objects.filter(pk=_pk(pk)).values_list("unit_id", flat=True).first()
    if unit_id is None:
        raise Http404(NOT_FOUND_DOSSIER)
    get_unit_for(user, unit_id, action)  # type: ignore[arg-type]
    return M.Dossier.objects.select_related("unit", "procedure").get(pk=int(pk))


# ---------------------------------------------------------------- report outlines (đề cương)
# Viewed by whoever may view the unit; edited (entries, narrative, compiling) by whoever may
# edit it; submitted by its head; returned by whoever may edit the unit above; opened for a
# period by whoever may edit the unit.

OUTLINE_FORBIDDEN = "Bạn không có quyền {action} báo cáo của {unit}."
NOT_FOUND_OUTLINE_REPORT = "Không tìm thấy báo cáo."
NOT_FOUND_OUTLINE_UNIT = "Không tìm thấy đơn vị."
OUTLINE_ACTIONS = {
    "edit": "sửa",
    "submit": "gửi",
    "return": "trả lại",
    "view": "xem",
    "open": "lập",
}


def outline_allowed(user: Person | None, action: str, unit: Unit) -> bool:
    if action == "return":
        return unit.parent is not None and can(user, "edit", unit.parent)
    if action == "open":
        return can(user, "edit", unit)
    return can(user, action, unit)  # type: ignore[arg-type]


def outline_report_for(user: Person | None, pk: int, action: str = "view") -> Any:
    """The permission-scoped fetch of an outline report."""
    report = (
        M.OutlineReport.objects.select_related("outline", "unit", "unit__parent")
        .filter(pk=pk)
        .first()
    )
    if report is None or not can(user, "view", report.unit):
        raise Http404(NOT_FOUND_OUTLINE_REPORT)
    if action != "view" and not outline_allowed(user, action, report.unit):
        raise PermissionDenied(
            OUTLINE_FORBIDDEN.format(action=OUTLINE_ACTIONS[action], unit=report.unit)
        )
    return report


def outline_unit_for(user: Person | None, pk, action: str = "view") -> Unit:
    """A unit the person may see (else 404), and act on for ``action`` (else 403)."""
    unit = Unit.objects.select_related("parent").filter(pk=pk).first() if pk else None
    if unit is None or not can(user, "view", unit):
        raise Http404(NOT_FOUND_OUTLINE_UNIT)
    if action != "view" and not outline_allowed(user, action, unit):
        raise PermissionDenied(OUTLINE_FORBIDDEN.format(action=OUTLINE_ACTIONS[action], unit=unit))
    return unit
