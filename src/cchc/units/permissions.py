"""Who may see and do what, in one place. Pages and the API call these and nothing else.

- officer, head: their own unit (read its subtree, change only the unit itself); a head
  also submits the unit's work;
- appraiser: the units assigned to them, plus their own unit's subtree for reading;
- administrator: everything under their own unit (a provincial Sở Nội vụ sees the province);
- a superuser is an administrator of everything.
"""

from __future__ import annotations

from typing import Literal

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from cchc.core.people import Person
from cchc.units import roles as R
from cchc.units.models import AppraisalAssignment, Profile, Unit

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
    return Unit.objects.filter(parent__isnull=True).order_by("name").first()


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
        appraiser.user.is_superuser and not user.is_superuser
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
