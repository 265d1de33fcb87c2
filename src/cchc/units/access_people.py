"""Who may administer whom: the units a person administers, the roles they may grant, and
the checks behind every change of a person, their roles and appraisal assignments. Part of
the access layer; cchc.units.permissions is its one entry point."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from cchc.core.people import Person
from cchc.units import roles as R
from cchc.units.access import (
    NOT_SIGNED_IN,
    Action,
    can,
    home_unit,
    require,
    roles_of,
)
from cchc.units.models import AppraisalAssignment, Profile, Unit

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
    if user is None or not can(user, "administer", unit):
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
