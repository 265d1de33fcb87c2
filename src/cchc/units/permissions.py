"""Who may see and do what, in one place. Pages and the API call these and nothing else.

- officer, head: their own unit (read its subtree, change only the unit itself); a head
  also submits the unit's work;
- appraiser: the units assigned to them, plus their own unit's subtree for reading;
- administrator: everything under their own unit (a provincial Sở Nội vụ sees the province);
- a superuser is an administrator of everything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from cchc.core.collation import vn_order
from cchc.core.people import Person
from cchc.units import roles as R
from cchc.units.models import AppraisalAssignment, Profile, Unit

if TYPE_CHECKING:
    from cchc.reports.outlines.models import OutlineReport

Action = Literal["view", "edit", "submit", "appraise", "administer"]

NOT_SIGNED_IN = "Bạn cần đăng nhập."
FORBIDDEN_UNIT = "Bạn không có quyền {action} đối với đơn vị {unit}."
ACTION_LABELS = {
    "view": "xem",
    "edit": "cập nhật",
    "submit": "gửi",
    "appraise": "thẩm định",
    "administer": "quản trị",
}


def _profile(user: Person | None):
    if not user or not user.is_authenticated:
        return None
    try:
        return user.profile
    except Exception:  # no profile: an account without a unit
        return None


def roles_of(user: Person | None) -> frozenset[str]:
    if not user or not user.is_authenticated:
        return frozenset()
    if user.is_superuser:
        return R.ALL_ROLES
    cached = getattr(user, "_cchc_roles", None)
    if cached is None:
        profile = _profile(user)
        cached = frozenset(profile.roles.values_list("role", flat=True)) if profile else frozenset()
        user._cchc_roles = cached
    return cached


def home_unit(user: Person | None) -> Unit | None:
    profile = _profile(user)
    return profile.unit if profile else None


def assigned_unit_ids(user: Person | None) -> set[int]:
    if not user or not user.is_authenticated:
        return set()
    cached = getattr(user, "_cchc_assigned", None)
    if cached is None:
        cached = set(user.appraisal_assignments.values_list("unit_id", flat=True))
        user._cchc_assigned = cached
    return cached


def visible_units(user: Person | None) -> QuerySet[Unit]:
    """Every unit this person may look at."""
    if not user or not user.is_authenticated:
        return Unit.objects.none()
    if user.is_superuser:
        return Unit.objects.all()
    unit = home_unit(user)
    query = Q(pk__in=[])
    if unit is not None:
        query |= Q(path__startswith=unit.path)
    if R.APPRAISER in roles_of(user):
        query |= Q(pk__in=assigned_unit_ids(user))
    return Unit.objects.filter(query)


def can(user: Person | None, action: Action, unit: Unit) -> bool:
    if not user or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    roles = roles_of(user)
    home = home_unit(user)
    in_subtree = home is not None and unit.path.startswith(home.path)
    if R.ADMINISTRATOR in roles and in_subtree:
        return True
    if action == "view":
        return in_subtree or (R.APPRAISER in roles and unit.pk in assigned_unit_ids(user))
    if action == "edit":
        return home is not None and unit.pk == home.pk and bool(roles & {R.OFFICER, R.HEAD})
    if action == "submit":
        return home is not None and unit.pk == home.pk and R.HEAD in roles
    if action == "appraise":
        return R.APPRAISER in roles and unit.pk in assigned_unit_ids(user)
    return False  # administer: administrators only, handled above


# "Not yours", one answer everywhere (issue 12): what one may not even see does not exist
# for them (404, so ids do not reveal other units' objects); what one sees but may not
# change is refused with the reason (403). Anonymous visitors are sent to sign in before
# this runs (login_required on pages, 401 from the API's authentication).
NOT_FOUND = "Không tìm thấy nội dung này, hoặc bạn không có quyền xem."


def require(user: Person | None, action: Action, unit: Unit) -> None:
    """The check behind every fetch of an object that belongs to `unit`."""
    if not user or not user.is_authenticated:
        raise PermissionDenied(NOT_SIGNED_IN)
    if not can(user, "view", unit):
        raise Http404(NOT_FOUND)
    if not can(user, action, unit):
        raise PermissionDenied(FORBIDDEN_UNIT.format(action=ACTION_LABELS[action], unit=unit))


def require_action(user: Person | None, action: Action, unit: Unit) -> None:
    """The services' check (they run after the fetch, or from a command): always a refusal
    with its reason (403), never a 404, since the caller already holds the object."""
    if not user or not user.is_authenticated:
        raise PermissionDenied(NOT_SIGNED_IN)
    if not can(user, action, unit):
        raise PermissionDenied(FORBIDDEN_UNIT.format(action=ACTION_LABELS[action], unit=unit))


def get_unit_for(user: Person, pk: int | str, action: Action = "view") -> Unit:
    """The permission-scoped fetch every view and API handler starts with."""
    try:
        unit = Unit.objects.select_related("parent").get(pk=int(pk))
    except (Unit.DoesNotExist, ValueError, TypeError):
        raise Http404(NOT_FOUND) from None
    require(user, action, unit)
    return unit


def acting_unit(user: Person | None) -> Unit | None:
    """The unit a person works for: their own; for the platform's operator (a superuser,
    who belongs to no unit) the top-level unit, or the first of them by name."""
    home = home_unit(user)
    if home is not None or not user or not getattr(user, "is_superuser", False):
        return home
    tops = vn_order(Unit.objects.filter(parent__isnull=True))
    return tops[0] if tops else None


def is_administrator(user: Person | None) -> bool:
    return R.ADMINISTRATOR in roles_of(user)


# Rules that used to live beside the views (dossiers' may_import and require_administrator,
# evaluations' services._require): kept here so every rule is in this module.
ONLY_ADMINISTRATORS = "Chỉ quản trị viên (Sở Nội vụ) được thay đổi {what}."


def may_change_shared(user: Person | None) -> bool:
    """What every unit shares (the procedure catalogue, the working-day calendar, the
    frameworks, the report deadlines) is changed by the platform's operators and by the
    administrators of a top-level unit (a province's Sở Nội vụ), never by a district's: a
    swapped working day moves every commune's due dates."""
    if not user or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    home = home_unit(user)
    return is_administrator(user) and home is not None and home.parent_id is None


def require_administrator(user: Person, what: str) -> None:
    """Shared catalogues: see may_change_shared."""
    if not may_change_shared(user):
        raise PermissionDenied(ONLY_ADMINISTRATORS.format(what=what))


NOT_YOUR_JOB = "Không tìm thấy công việc này, hoặc đây không phải công việc của bạn."


def job_for(user: Person | None, pk: int | str, kind: str | None = None):
    """A background job (an import, a batch of reports) is seen by whoever started it and by
    the platform's operators; for anybody else it does not exist (404, like any object
    they may not see)."""
    from cchc.core.models import Job  # core's models import units: fetched lazily

    try:
        jobs = Job.objects.filter(pk=int(pk))
    except (ValueError, TypeError):
        raise Http404(NOT_YOUR_JOB) from None
    if kind is not None:
        jobs = jobs.filter(kind=kind)
    job = jobs.first()
    if job is None or not user or not user.is_authenticated:
        raise Http404(NOT_YOUR_JOB)
    if job.created_by_id != user.pk and not user.is_superuser:
        raise Http404(NOT_YOUR_JOB)
    return job


def may_import_dossiers(user: Person | None) -> bool:
    """A dossier file is imported by someone who may edit their own unit (each row's unit is
    then checked by the import against `can(user, "edit", unit)`)."""
    if not user or not user.is_authenticated:
        return False
    home = home_unit(user)
    return bool(user.is_superuser or (home is not None and can(user, "edit", home)))


NOT_ADMINISTRATOR = "Chỉ quản trị viên được thay đổi danh mục đơn vị."
UNIT_NOT_YOURS = "Đơn vị {unit} nằm ngoài phạm vi bạn quản trị: không được sửa hay di chuyển."
PARENT_NOT_YOURS = (
    "Không được đặt đơn vị dưới {parent}: đơn vị cấp trên phải nằm trong phạm vi bạn quản trị."
)
NO_ROOT = "Chỉ quản trị hệ thống được tạo đơn vị cấp cao nhất (không có đơn vị cấp trên)."
PARENT_CYCLE = "Không thể đặt đơn vị {unit} dưới chính nó hoặc một đơn vị trực thuộc nó."


def unit_placement_error(
    user: Person | None, unit: Unit | None, parent: Unit | None, *, parent_in_file: bool = False
) -> str | None:
    """Why `user` may not create/change `unit` (None: a new one) under `parent`, or None.

    The rule behind every path that creates, renames or moves a unit (import, pages): one
    must administer both the unit as it is and the place it goes, so nobody can pull a unit
    of another district into their own subtree or push one out of it.
    """
    if unit is not None and parent is not None and parent.path.startswith(unit.path):
        return PARENT_CYCLE.format(unit=unit)
    if user is not None and user.is_authenticated and user.is_superuser:
        return None
    if not is_administrator(user):
        return NOT_ADMINISTRATOR
    if unit is not None and not can(user, "administer", unit):
        return UNIT_NOT_YOURS.format(unit=unit)
    if parent is None and not parent_in_file:
        return NO_ROOT
    if parent is not None and not can(user, "administer", parent):
        return PARENT_NOT_YOURS.format(parent=parent)
    return None


# ---------------------------------------------------------------- people, roles, assignments

PERSON_NOT_FOUND = "Không tìm thấy người dùng."
PERSON_NOT_YOURS = "Bạn không có quyền quản trị tài khoản {person}."
NOT_YOURSELF = "Không được tự thay đổi vai trò, đơn vị hay trạng thái của chính mình."
ROLE_ABOVE_OWN = "Không được cấp vai trò {role}: cao hơn vai trò của bạn."
UNIT_OUTSIDE = "Đơn vị {unit} nằm ngoài phạm vi bạn quản trị."
ASSIGN_NOT_APPRAISER = "{person} không có vai trò thẩm định."

# Who may grant what: a person may grant roles up to the highest rank they hold. Only a
# superuser (the platform's operator, Django admin) may make superusers; no page can.
ROLE_RANK = {R.OFFICER: 1, R.HEAD: 1, R.APPRAISER: 1, R.ADMINISTRATOR: 2}


def administered_units(user: Person | None) -> QuerySet[Unit]:
    """The units this person administers: their own unit's subtree, for an administrator."""
    if not user or not user.is_authenticated:
        return Unit.objects.none()
    if user.is_superuser:
        return Unit.objects.all()
    home = home_unit(user)
    if home is None or R.ADMINISTRATOR not in roles_of(user):
        return Unit.objects.none()
    return Unit.objects.filter(path__startswith=home.path)


def grantable_roles(user: Person | None) -> list[str]:
    if user and user.is_authenticated and user.is_superuser:
        return list(ROLE_RANK)
    own = max((ROLE_RANK[r] for r in roles_of(user) if r in ROLE_RANK), default=0)
    if R.ADMINISTRATOR not in roles_of(user):
        return []  # only administrators manage people
    return [r for r, rank in ROLE_RANK.items() if rank <= own]


def person_error(user: Person | None, profile: Profile | None, unit: Unit, roles) -> str | None:
    """Why `user` may not give `profile` (None: a new person) this unit and these roles."""
    if not can(user, "administer", unit):
        return UNIT_OUTSIDE.format(unit=unit)
    if profile is not None:
        if profile.user_id == user.pk:
            return NOT_YOURSELF
        if profile.user.is_superuser and not user.is_superuser:
            return PERSON_NOT_YOURS.format(person=profile.full_name)
        if not can(user, "administer", profile.unit):
            return PERSON_NOT_YOURS.format(person=profile.full_name)
    allowed = set(grantable_roles(user))
    for role in roles:
        if role not in allowed:
            return ROLE_ABOVE_OWN.format(role=R.ROLE_LABELS.get(role, role))
    return None


def person_for(user: Person | None, pk: int | str, action: Action = "view") -> Profile:
    """A person by profile id: 404 if this user may not see them, 403 if they may see but
    not administer them (anonymous: 403 with the sign-in message, as `require`)."""
    if not user or not user.is_authenticated:
        raise PermissionDenied(NOT_SIGNED_IN)
    try:
        profile = Profile.objects.select_related("user", "unit").get(pk=int(pk))
    except (Profile.DoesNotExist, ValueError, TypeError):
        raise Http404(PERSON_NOT_FOUND) from None
    if not can(user, "view", profile.unit) or not administered_units(user).exists():
        raise Http404(PERSON_NOT_FOUND)
    if action != "view":
        if profile.user_id == user.pk:
            raise PermissionDenied(NOT_YOURSELF)
        if (profile.user.is_superuser and not user.is_superuser) or not can(
            user, "administer", profile.unit
        ):
            raise PermissionDenied(PERSON_NOT_YOURS.format(person=profile.full_name))
    return profile


def assignment_error(user: Person | None, appraiser: Profile, unit: Unit) -> str | None:
    """An administrator assigns appraisers of their subtree to units of their subtree."""
    if not can(user, "administer", unit):
        return UNIT_OUTSIDE.format(unit=unit)
    if not can(user, "administer", appraiser.unit) or (
        appraiser.user.is_superuser and not (user is not None and user.is_superuser)
    ):
        return PERSON_NOT_YOURS.format(person=appraiser.full_name)
    if not appraiser.roles.filter(role=R.APPRAISER).exists():
        return ASSIGN_NOT_APPRAISER.format(person=appraiser.full_name)
    return None


def assignment_for(user: Person, pk: int | str) -> AppraisalAssignment:
    try:
        assignment = AppraisalAssignment.objects.select_related("unit", "appraiser").get(pk=int(pk))
    except (AppraisalAssignment.DoesNotExist, ValueError, TypeError):
        raise Http404("Không tìm thấy phân công thẩm định.") from None
    if not can(user, "view", assignment.unit):
        raise Http404("Không tìm thấy phân công thẩm định.")
    require(user, "administer", assignment.unit)
    return assignment


# ============================================================================================
# The permission-scoped fetches of each app's objects: `x_for(user, id, action)`, one per kind
# of object. They live here (issue 12: every rule in one place); the apps' selectors/access
# modules re-export them. Models are imported inside the functions: the apps import this
# module, never the other way round at import time.
# ============================================================================================


def _signed_in(user) -> None:
    if not user or not user.is_authenticated:
        raise PermissionDenied(NOT_SIGNED_IN)


def _pk(pk) -> int:
    try:
        return int(pk)
    except (ValueError, TypeError):
        raise Http404(NOT_FOUND) from None


def _get(queryset, pk, message: str = NOT_FOUND):
    """get_object_or_404 with the one "not found" answer for a malformed id too."""
    obj = queryset.filter(pk=_pk(pk)).first()
    if obj is None:
        raise Http404(message)
    return obj


# ---------------------------------------------------------------- evaluations


def cycles_for(user) -> QuerySet:
    """Cycles this person may see: those they administer (drafts included), and those
    (not drafts) in which a unit they may see is evaluated."""
    from cchc.evaluations.models import Cycle, CycleState

    if not user or not user.is_authenticated:
        return Cycle.objects.none()
    if user.is_superuser:
        return Cycle.objects.select_related("framework", "organiser").order_by("-year", "-pk")
    units = visible_units(user)
    query = Q(pk__in=Cycle.objects.filter(cycle_units__unit__in=units).values("pk")) & ~Q(
        state=CycleState.DRAFT
    )
    if is_administrator(user):
        query |= Q(organiser__in=units)
    return (
        Cycle.objects.filter(query)
        .select_related("framework", "organiser", "appraising_body")
        .order_by("-year", "-pk")
    )


def can_administer(user, cycle) -> bool:
    """Administering a cycle = administering its organiser unit."""
    return can(user, "administer", cycle.organiser)


def cycle_for(user, pk: int | str, action: str = "view"):
    """The permission-scoped fetch of a cycle: 404 if it does not exist (or is a draft the
    person may not see, or another's cycle), 403 if the person sees it but may not do
    ``action`` ("view" or "administer")."""
    from cchc.evaluations.models import Cycle

    try:
        cycle = Cycle.objects.select_related("framework", "organiser", "appraising_body").get(
            pk=int(pk)
        )
    except (Cycle.DoesNotExist, ValueError, TypeError):
        raise Http404(NOT_FOUND) from None
    if not cycles_for(user).filter(pk=cycle.pk).exists():
        _signed_in(user)
        # A draft does not exist yet for the units; another's cycle is not theirs to see.
        raise Http404(NOT_FOUND)
    if action != "view":
        # The cycle is seen (above); acting on it is its organiser's: refused with the reason.
        require_action(user, "administer", cycle.organiser)
    return cycle


def cycle_units_for(user, cycle) -> QuerySet:
    """The units of the cycle this person may see (an appraiser: the ones assigned)."""
    units = cycle.cycle_units.select_related("unit", "cycle").order_by("block", "unit__path")
    if user.is_superuser or can_administer(user, cycle):
        return units
    return units.filter(unit__in=visible_units(user))


def cycle_unit_for(user, pk: int | str, action: str = "view"):
    """The permission-scoped fetch of a unit's evaluation: 404 if it does not exist (or its
    cycle is a draft the person may not see), 403 if the person may not see the unit or do
    ``action`` (view, edit, submit, appraise, administer)."""
    from cchc.evaluations.models import CycleState, CycleUnit

    try:
        cycle_unit = CycleUnit.objects.select_related(
            "cycle", "cycle__framework", "cycle__organiser", "unit", "unit__parent"
        ).get(pk=int(pk))
    except (CycleUnit.DoesNotExist, ValueError, TypeError):
        raise Http404(NOT_FOUND) from None
    if cycle_unit.cycle.state == CycleState.DRAFT and not can_administer(user, cycle_unit.cycle):
        raise Http404(NOT_FOUND)  # a draft does not exist yet for the units
    require(user, "view", cycle_unit.unit)
    if action != "view":
        require(user, action, cycle_unit.unit)  # type: ignore[arg-type]
    return cycle_unit


def score_for(user, pk: int | str, action: str = "view"):
    from cchc.evaluations.models import Score

    try:
        score = Score.objects.select_related(
            "criterion", "cycle_unit", "cycle_unit__cycle", "cycle_unit__unit"
        ).get(pk=int(pk))
    except (Score.DoesNotExist, ValueError, TypeError):
        raise Http404("Không tìm thấy điểm.") from None
    cycle_unit_for(user, score.cycle_unit_id, action)
    return score


def evidence_for(user, pk: int | str, action: str = "view"):
    """A document of a unit's evaluation, through its evaluation's rule."""
    from cchc.evaluations.models import Evidence

    cycle_unit_id = (
        Evidence.objects.filter(pk=_pk(pk)).values_list("cycle_unit_id", flat=True).first()
    )
    if cycle_unit_id is None:
        raise Http404("Không tìm thấy tài liệu.")
    cycle_unit = cycle_unit_for(user, cycle_unit_id, action)
    evidence = Evidence.objects.select_related("criterion").get(pk=int(pk))
    evidence.cycle_unit = cycle_unit
    return evidence


NOT_ORGANISER_DUTY = "Chỉ quản trị viên của đơn vị tổ chức đánh giá được duyệt kế hoạch khắc phục."


def duty_for(user, pk: int | str, action: str = "view"):
    """A unit's remediation duty: seen and sent through its unit (404 unseen, 403 seen but
    not ``action``); accepted ("administer") by the administrators of the cycle's organiser."""
    from cchc.evaluations.models import RemediationDuty

    duty = _get(
        RemediationDuty.objects.select_related(
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


def plan_for(user, pk, action: Literal["view", "edit"] = "view"):
    from cchc.plans.models import Plan

    plan = _get(Plan.objects.select_related("unit", "unit__parent"), pk)
    require(user, action, plan.unit)
    return plan


def item_for(user, pk, action: Literal["view", "edit"] = "view"):
    from cchc.plans.models import PlanItem

    item = _get(PlanItem.objects.select_related("plan", "plan__unit", "parent", "component"), pk)
    require(user, action, item.plan.unit)
    return item


def can_open_inspection(user, organiser: Unit, kind: str) -> bool:
    from cchc.plans.models import Inspection

    if kind == Inspection.Kind.SELF:
        return can(user, "edit", organiser)
    return can(user, "administer", organiser)


def can_manage_inspection(user, inspection) -> bool:
    return can_open_inspection(user, inspection.organiser, inspection.kind)


def inspection_units_visible(user, inspection) -> set[int]:
    """The units of this inspection whose findings the person may read."""
    if can_manage_inspection(user, inspection) or can(user, "view", inspection.organiser):
        return set(inspection.targets.values_list("unit_id", flat=True))
    return set(
        inspection.targets.filter(unit__in=visible_units(user)).values_list("unit_id", flat=True)
    )


def inspection_for(user, pk, action: Literal["view", "manage"] = "view"):
    from cchc.plans.models import Inspection

    _signed_in(user)
    inspection = _get(Inspection.objects.select_related("organiser"), pk)
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


def inspections_visible(user) -> QuerySet:
    """Inspections organised by, or covering, a unit the person may see."""
    from cchc.plans.models import Inspection

    units = visible_units(user)
    return (
        Inspection.objects.filter(Q(organiser__in=units) | Q(targets__unit__in=units))
        .distinct()
        .select_related("organiser")
    )


def recommendation_for(user, pk, action: Literal["view", "report", "close"] = "view"):
    from cchc.plans.models import Recommendation

    _signed_in(user)
    recommendation = _get(
        Recommendation.objects.select_related(
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


def calls_visible(user) -> QuerySet:
    """Calls made by a unit the person may see, or by a unit above their own (so that a
    commune sees the province's call it must answer)."""
    from cchc.plans.models import BreakthroughCall

    _signed_in(user)
    home = home_unit(user)
    query = Q(unit__in=visible_units(user))
    if home is not None:
        ancestors = [k for k in home.path.strip("/").split("/")]
        paths = ["/" + "/".join(ancestors[: i + 1]) + "/" for i in range(len(ancestors))]
        query |= Q(unit__path__in=paths)
    return BreakthroughCall.objects.filter(query).select_related("unit")


def call_for(user, pk, action: Literal["view", "manage"] = "view"):
    call = _get(calls_visible(user), pk)
    if action == "manage" and not can(user, "administer", call.unit):
        raise PermissionDenied(NOT_CALLER.format(unit=call.unit))
    return call


def registration_for(user, pk, action: Literal["view", "edit"] = "view"):
    from cchc.plans.models import Breakthrough

    _signed_in(user)
    registration = _get(
        Breakthrough.objects.select_related("call", "call__unit", "unit", "component"), pk
    )
    if action == "view" and can(user, "administer", registration.call.unit):
        return registration
    require(user, action, registration.unit)
    return registration


def member_for(user, pk, action: Literal["view", "edit"] = "view"):
    from cchc.plans.models import StaffMember

    member = _get(StaffMember.objects.select_related("staffing", "staffing__unit"), pk)
    require(user, action, member.staffing.unit)
    return member


# ---------------------------------------------------------------- reports

NOT_FOUND_REPORT = "Không tìm thấy báo cáo."
NOT_FOUND_REPORT_FILE = "Không tìm thấy tệp báo cáo."
NOT_LEVEL_ABOVE = "Chỉ cán bộ của đơn vị cấp trên được xem việc nộp báo cáo."


def report_for(user, pk, action: str = "view"):
    """The permission-scoped fetch of a report: 404 when it does not exist or the person
    may not see its unit, 403 when they may not do ``action`` on its unit."""
    from cchc.reports.models import Report

    try:
        report = Report.objects.select_related(
            "unit", "unit__parent", "cycle", "inspection", "submitted_by", "submitted_to"
        ).get(pk=int(pk))
    except (Report.DoesNotExist, ValueError, TypeError):
        raise Http404(NOT_FOUND_REPORT) from None
    require(user, action, report.unit)  # type: ignore[arg-type]
    return report


def report_file_for(user, pk, action: str = "view"):
    from cchc.reports.models import ReportFile

    try:
        item = ReportFile.objects.select_related("report", "report__unit").get(pk=int(pk))
    except (ReportFile.DoesNotExist, ValueError, TypeError):
        raise Http404(NOT_FOUND_REPORT_FILE) from None
    require(user, action, item.report.unit)  # type: ignore[arg-type]
    return item


def can_manage_children(user, unit: Unit) -> bool:
    """The level above (for the units under it: filing, reminders): staff of the unit
    itself (officer, head) or an administrator."""
    return can(user, "edit", unit) or can(user, "administer", unit)


def require_level_above(user, unit: Unit) -> None:
    require(user, "view", unit)
    if not can_manage_children(user, unit):
        raise PermissionDenied(NOT_LEVEL_ABOVE)


# ---------------------------------------------------------------- service index, feedback

NOT_FOUND_FEEDBACK = "Không tìm thấy phản ánh, kiến nghị."


def feedback_for(user, pk: int | str, action: str = "view"):
    """The permission-scoped fetch of one feedback: its unit is checked first."""
    from cchc.service_index.models import Feedback

    try:
        unit_id = Feedback.objects.values_list("unit_id", flat=True).get(pk=int(pk))
    except (Feedback.DoesNotExist, ValueError, TypeError):
        raise Http404(NOT_FOUND_FEEDBACK) from None
    unit = get_unit_for(user, unit_id, action)  # type: ignore[arg-type]
    feedback = Feedback.objects.select_related(
        "procedure", "assigned_to__profile", "created_by__profile"
    ).get(pk=int(pk))
    feedback.unit = unit
    return feedback


def group_scope(user, pk: int | str, members_of) -> tuple[Unit, set[int]]:
    """A parent unit and which of its members (``members_of(parent)``, a queryset of
    units) this person may see: they need to see the parent or at least one member
    (a ranking is computed among all the members, each person sees the rows they may)."""
    try:
        parent = get_unit_for(user, pk, "view")
        may_see_parent = True
    except Http404:
        found = Unit.objects.filter(pk=int(pk)).first()
        if found is None:
            raise
        parent = found
        may_see_parent = False
    members = members_of(parent)
    visible = set(
        visible_units(user).filter(pk__in=members.values("pk")).values_list("pk", flat=True)
    )
    if not may_see_parent and not visible:
        raise Http404(NOT_FOUND)
    return parent, visible


def level_above_for(user, pk: int | str, action: str = "view") -> Unit:
    """A unit as the level above the units under it (their filing, reminders): 404 if the
    person may not see it, 403 if they are not its staff or administrator."""
    unit = get_unit_for(user, pk, "view")
    require_level_above(user, unit)
    return unit


# ---------------------------------------------------------------- dossiers

NOT_FOUND_DOSSIER = "Không tìm thấy hồ sơ."


def dossier_for(user, pk: int | str, action: str = "view"):
    """A dossier, through its unit's rule (404 unseen, 403 seen but not ``action``)."""
    from cchc.dossiers.models import Dossier

    unit_id = Dossier.objects.filter(pk=_pk(pk)).values_list("unit_id", flat=True).first()
    if unit_id is None:
        raise Http404(NOT_FOUND_DOSSIER)
    get_unit_for(user, unit_id, action)  # type: ignore[arg-type]
    return Dossier.objects.select_related("unit", "procedure").get(pk=int(pk))


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


def outline_report_for(user: Person | None, pk: int, action: str = "view") -> OutlineReport:
    """The permission-scoped fetch of an outline report."""
    from cchc.reports.outlines.models import OutlineReport

    report = (
        OutlineReport.objects.select_related("outline", "unit", "unit__parent")
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
