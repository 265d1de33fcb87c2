"""Who may see and do what on a unit: roles, the units a person sees, `can` and `require`,
the fetch of a unit, shared catalogues, jobs, unit placement, and the level above a unit.

Part of the access layer; cchc.units.permissions is its one entry point (pages and the API
import from there):

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

from cchc.core.collation import vn_order
from cchc.core.people import Person
from cchc.units import roles as R
from cchc.units.models import Unit

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


def _signed_in(user: Person) -> None:
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


# ---------------------------------------------------------------- the level above a unit, groups of units

NOT_LEVEL_ABOVE = "Chỉ cán bộ của đơn vị cấp trên được xem việc nộp báo cáo."


def can_manage_children(user: Person, unit: Unit) -> bool:
    """The level above (for the units under it: filing, reminders): staff of the unit
    itself (officer, head) or an administrator."""
    return can(user, "edit", unit) or can(user, "administer", unit)


def require_level_above(user: Person, unit: Unit) -> None:
    require(user, "view", unit)
    if not can_manage_children(user, unit):
        raise PermissionDenied(NOT_LEVEL_ABOVE)


def group_scope(user: Person, pk: int | str, members_of) -> tuple[Unit, set[int]]:
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


def level_above_for(user: Person, pk: int | str, action: str = "view") -> Unit:
    """A unit as the level above the units under it (their filing, reminders): 404 if the
    person may not see it, 403 if they are not its staff or administrator."""
    unit = get_unit_for(user, pk, "view")
    require_level_above(user, unit)
    return unit
