"""State changes for units and people: one transaction each, all-or-nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from cchc.core.history import mark_change
from cchc.core.people import Person
from cchc.core.tabular import RowError, TableErrors, iter_rows, require_columns
from cchc.units import naming
from cchc.units import roles as R
from cchc.units.models import AppraisalAssignment, CodeScheme, Profile, RoleGrant, Unit, UnitKind

UNKNOWN_PROVINCE = (
    "Không có tỉnh/thành phố mã '{code}' trong danh mục vietnam-provinces {version} "
    "(34 tỉnh, thành phố từ 01/7/2025). Mã hợp lệ: {valid}."
)

# vietnam-provinces division types -> our kinds
_KIND_BY_DIVISION = {
    "xã": UnitKind.COMMUNE,
    "phường": UnitKind.WARD,
    "đặc khu": UnitKind.SPECIAL_ZONE,
}


# vietnam-provinces division types -> administrative types (cchc.units.naming)
_TYPE_BY_DIVISION = {
    "tỉnh": naming.PROVINCE,
    "thành phố trung ương": naming.CENTRAL_CITY,
    "xã": naming.COMMUNE,
    "phường": naming.WARD,
    "đặc khu": naming.SPECIAL_ZONE,
}


@dataclass(frozen=True)
class LoadResult:
    province: Unit
    created: int
    updated: int


class ProvinceNotFound(ValueError):
    pass


def province_catalogue() -> list[tuple[str, str]]:
    from vietnam_provinces import Province

    return sorted((f"{int(p.code):02d}", p.name) for p in Province.iter_all())


@transaction.atomic
def units_load_province(*, code: str) -> LoadResult:
    """Load a province and its communes, wards and special zones (2025 structure).

    Running it again updates names and adds what is missing; it never duplicates.
    """
    import vietnam_provinces as vp
    from vietnam_provinces import Province, Ward

    wanted = code.strip().lstrip("0") or "0"
    province = next((p for p in Province.iter_all() if str(int(p.code)) == wanted), None)
    if province is None:
        valid = ", ".join(c for c, _ in province_catalogue())
        raise ProvinceNotFound(
            UNKNOWN_PROVINCE.format(code=code, version=vp.__version__, valid=valid)
        )
    created = updated = 0
    root, was_created = _upsert(
        CodeScheme.GSO_2025,
        f"{int(province.code):02d}",
        province.name,
        UnitKind.PROVINCE,
        None,
        valid_from=dt.date(2025, 7, 1),
        admin_type=_TYPE_BY_DIVISION.get(province.division_type.value, naming.PROVINCE),
    )
    created += was_created
    updated += not was_created
    for ward in Ward.iter_by_province(province.code):
        kind = _KIND_BY_DIVISION.get(ward.division_type.value, UnitKind.COMMUNE)
        _, was_created = _upsert(
            CodeScheme.GSO_2025,
            f"{int(ward.code):05d}",
            ward.name,
            kind,
            root,
            valid_from=dt.date(2025, 7, 1),
            admin_type=_TYPE_BY_DIVISION.get(ward.division_type.value, naming.COMMUNE),
        )
        created += was_created
        updated += not was_created
    return LoadResult(root, created, updated)


def _upsert(
    scheme, code, name, kind, parent, *, admin_type: str = "", **extra
) -> tuple[Unit, bool]:
    # The administrative type comes from the data; where the data has none, from the name.
    admin_type = admin_type or naming.type_from_name(name, kind)
    unit = Unit.objects.filter(scheme=scheme, code=code).first()
    if unit is None:
        unit = Unit(
            scheme=scheme,
            code=code,
            name=name,
            kind=kind,
            parent=parent,
            admin_type=admin_type,
            **extra,
        )
        unit.full_clean()
        unit.save()
        return unit, True
    changed = (unit.name, unit.kind, unit.parent_id, unit.admin_type) != (
        name,
        kind,
        parent.pk if parent else None,
        admin_type,
    )
    if changed:
        unit.name, unit.kind, unit.parent, unit.admin_type = name, kind, parent, admin_type
        unit.save()
    return unit, False


UNIT_COLUMNS = [
    "scheme",
    "code",
    "name",
    "kind",
    "parent_scheme",
    "parent_code",
    "valid_from",
    "valid_to",
    "successor_scheme",
    "successor_code",
    "admin_type",
]
REQUIRED_UNIT_COLUMNS = ["code", "name", "kind"]


@dataclass
class _UnitRow:
    number: int
    scheme: str
    code: str
    name: str
    kind: str
    parent: tuple[str, str] | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    successor: tuple[str, str] | None
    admin_type: str = ""


def _parse_date(value: str) -> dt.date | None:
    if not value:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value[:10], fmt).date()
        except ValueError:
            continue
    raise ValueError


@transaction.atomic
def units_import(
    *, source: str | Path | IO[bytes], filename: str | None = None, by: Person | None = None
) -> int:
    """Import departments, historical districts and communes from CSV/XLSX. All or nothing.

    Columns: scheme (2025, 2008 or local; default local), code, name, kind, parent_scheme,
    parent_code, valid_from, valid_to (YYYY-MM-DD or DD/MM/YYYY), successor_scheme,
    successor_code (the unit it was merged into). A parent may be in the file or already loaded.

    `by` is the person importing (pages); every row must then be theirs to place: they must
    administer the existing unit a row changes and the parent it lands under
    (permissions.unit_placement_errors). `by=None` is the platform operator (commands, demo).
    """
    name = filename or str(source)
    header, rows = iter_rows(source, name)
    require_columns(name, header, REQUIRED_UNIT_COLUMNS)
    errors: list[RowError] = []
    parsed: list[_UnitRow] = []
    kinds = {k.value for k in UnitKind}
    schemes = {s.value for s in CodeScheme}
    seen: dict[tuple[str, str], int] = {}
    for number, row in rows:
        scheme = row.get("scheme") or CodeScheme.LOCAL
        if scheme not in schemes:
            errors.append(
                RowError(number, "scheme", f"Hệ mã phải là một trong {sorted(schemes)}.", scheme)
            )
        if not row.get("code"):
            errors.append(RowError(number, "code", "Thiếu mã đơn vị."))
        if not row.get("name"):
            errors.append(RowError(number, "name", "Thiếu tên đơn vị."))
        kind = row.get("kind", "")
        if kind not in kinds:
            errors.append(
                RowError(number, "kind", f"Loại đơn vị phải là một trong {sorted(kinds)}.", kind)
            )
        dates = {}
        for column in ("valid_from", "valid_to"):
            try:
                dates[column] = _parse_date(row.get(column, ""))
            except ValueError:
                errors.append(
                    RowError(
                        number,
                        column,
                        "Ngày không hợp lệ (dùng YYYY-MM-DD hoặc DD/MM/YYYY).",
                        row[column],
                    )
                )
                dates[column] = None
        if dates["valid_from"] and dates["valid_to"] and dates["valid_from"] > dates["valid_to"]:
            errors.append(
                RowError(
                    number,
                    "valid_to",
                    "Ngày hết hiệu lực trước ngày bắt đầu hiệu lực.",
                    row["valid_to"],
                )
            )
        admin_type = (row.get("admin_type") or "").strip().lower()
        if admin_type and admin_type not in naming.ADMIN_TYPES:
            errors.append(
                RowError(
                    number,
                    "admin_type",
                    "Loại đơn vị hành chính phải là một trong: "
                    + ", ".join(naming.ADMIN_TYPES)
                    + ".",
                    row.get("admin_type", ""),
                )
            )
            admin_type = ""
        key = (scheme, row.get("code", ""))
        if key in seen:
            errors.append(RowError(number, "code", f"Mã trùng với dòng {seen[key]}.", key[1]))
        seen[key] = number
        parent = (
            (row.get("parent_scheme") or CodeScheme.LOCAL, row["parent_code"])
            if row.get("parent_code")
            else None
        )
        successor = (
            (row.get("successor_scheme") or CodeScheme.LOCAL, row["successor_code"])
            if row.get("successor_code")
            else None
        )
        parsed.append(
            _UnitRow(
                number,
                scheme,
                row.get("code", ""),
                row.get("name", ""),
                kind,
                parent,
                dates["valid_from"],
                dates["valid_to"],
                successor,
                admin_type,
            )
        )
        if len(errors) > 1000:
            break

    in_file = {(r.scheme, r.code) for r in parsed}
    for r in parsed:
        for column, ref in (("parent_code", r.parent), ("successor_code", r.successor)):
            if (
                ref
                and ref not in in_file
                and not Unit.objects.filter(scheme=ref[0], code=ref[1]).exists()
            ):
                errors.append(
                    RowError(
                        r.number,
                        column,
                        "Không tìm thấy đơn vị này (trong tệp hay trong hệ thống).",
                        f"{ref[0]}-{ref[1]}",
                    )
                )
    if not errors and by is not None:
        errors += _placement_errors(by, parsed)
    if errors:
        raise TableErrors(name, errors)

    # Parents before children: insert in rounds until every row is placed.
    pending = list(parsed)
    count = 0
    while pending:
        placed = []
        for r in pending:
            parent = None
            if r.parent:
                parent = Unit.objects.filter(scheme=r.parent[0], code=r.parent[1]).first()
                if parent is None:
                    continue
            unit, _ = _upsert(r.scheme, r.code, r.name, r.kind, parent, admin_type=r.admin_type)
            unit.valid_from, unit.valid_to = r.valid_from, r.valid_to
            unit.save()
            placed.append(r)
            count += 1
        if not placed:  # a cycle among parents in the file
            raise TableErrors(
                name,
                [
                    RowError(r.number, "parent_code", "Quan hệ cấp trên tạo thành vòng lặp.")
                    for r in pending
                ],
            )
        pending = [r for r in pending if r not in placed]
    for r in parsed:
        if r.successor:
            unit = Unit.objects.get(scheme=r.scheme, code=r.code)
            unit.successor = Unit.objects.get(scheme=r.successor[0], code=r.successor[1])
            unit.save()
    return count


def _placement_errors(by: Person, parsed: list[_UnitRow]) -> list[RowError]:
    """Rows that would create, change or move a unit outside what `by` administers."""
    from cchc.units.permissions import unit_placement_error

    in_file = {(r.scheme, r.code): r for r in parsed}
    errors: list[RowError] = []

    def existing(ref):
        return Unit.objects.filter(scheme=ref[0], code=ref[1]).first()

    for r in parsed:
        unit = existing((r.scheme, r.code))
        # A parent that is itself a row of the file is checked on its own row; what matters
        # here is the unit already in the system that the row lands under (if any).
        parent = existing(r.parent) if r.parent else None
        if r.parent and parent is None and r.parent not in in_file:
            continue  # reported above as an unknown parent
        parent_in_file = r.parent is not None and r.parent in in_file and parent is None
        message = unit_placement_error(by, unit, parent, parent_in_file=parent_in_file)
        if message:
            errors.append(RowError(r.number, "code", message, f"{r.scheme}-{r.code}"))
            continue
        if r.successor:
            successor = existing(r.successor)
            if successor is not None and not _can_view(by, successor):
                errors.append(
                    RowError(
                        r.number,
                        "successor_code",
                        "Bạn không có quyền xem đơn vị sáp nhập vào.",
                        f"{r.successor[0]}-{r.successor[1]}",
                    )
                )
    return errors


def _can_view(by: Person, unit: Unit) -> bool:
    from cchc.units.permissions import can

    return can(by, "view", unit)


@transaction.atomic
def person_create(
    *,
    username: str,
    password: str,
    full_name: str,
    unit: Unit,
    roles: list[str],
    position: str = "",
    email: str = "",
    staff: bool = False,
):
    """Create (or update) an account with its unit and roles. Used by the admin CLI and the demo."""
    User = get_user_model()
    unknown = set(roles) - R.ALL_ROLES
    if unknown:
        raise ValueError(f"Vai trò không hợp lệ: {', '.join(sorted(unknown))}")
    user, _ = User.objects.get_or_create(username=username, defaults={"email": email})
    user.set_password(password)
    # Django's admin is for superusers only (issue 12): being a unit administrator no longer
    # makes an account staff; administrators work from the application's own pages.
    user.is_staff = staff
    user.email = email or user.email
    user.save()
    profile, _ = Profile.objects.update_or_create(
        user=user, defaults={"unit": unit, "full_name": full_name, "position": position}
    )
    for role in roles:
        RoleGrant.objects.get_or_create(profile=profile, role=role)
    profile.roles.exclude(role__in=roles).delete()
    return user


# ------------------------------------------------ people managed from the application's pages

USERNAME_TAKEN = "Tên đăng nhập '{username}' đã có người dùng."
USERNAME_REQUIRED = "Cần tên đăng nhập."
PASSWORD_REQUIRED = "Cần mật khẩu ban đầu (ít nhất 8 ký tự)."


@transaction.atomic
def person_save(
    *,
    by: Person,
    profile: Profile | None = None,
    username: str = "",
    password: str = "",
    full_name: str,
    unit: Unit,
    roles: list[str],
    position: str = "",
    phone: str = "",
    email: str = "",
    reason: str = "",
) -> Profile:
    """Create a person or change one, as `by` (an administrator of both the person's unit as
    it is and as it will be). Nobody grants a role above their own, nor changes themselves."""
    from cchc.units.permissions import person_error

    unknown = set(roles) - R.ALL_ROLES
    if unknown:
        raise ValidationError(f"Vai trò không hợp lệ: {', '.join(sorted(unknown))}")
    if profile is not None:
        profile = (
            Profile.objects.select_for_update().select_related("user", "unit").get(pk=profile.pk)
        )
    message = person_error(by, profile, unit, roles)
    if message:
        raise PermissionDenied(message)
    User = get_user_model()
    if profile is None:
        username = username.strip()
        if not username:
            raise ValidationError({"username": USERNAME_REQUIRED})
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError({"username": USERNAME_TAKEN.format(username=username)})
        if len(password) < 8:
            raise ValidationError({"password": PASSWORD_REQUIRED})
        user = User(username=username, email=email)
        user.set_password(password)
        user.full_clean()
        user.save()
        profile = Profile(user=user)
    elif email:
        profile.user.email = email
        profile.user.save(update_fields=["email"])
    profile.unit, profile.full_name = unit, full_name
    profile.position, profile.phone = position, phone
    mark_change(profile, reason or "Cập nhật thông tin người dùng")
    profile.full_clean()
    profile.save()
    for role in roles:
        RoleGrant.objects.get_or_create(profile=profile, role=role)
    for grant in profile.roles.exclude(role__in=roles):
        mark_change(grant, reason or "Thu hồi vai trò")
        grant.delete()  # kept in the grant's history (who, when)
    if R.APPRAISER not in roles:
        for assignment in AppraisalAssignment.objects.filter(appraiser=profile.user):
            mark_change(assignment, "Không còn vai trò thẩm định")
            assignment.delete()
    return profile


@transaction.atomic
def person_set_active(*, by: Person, profile: Profile, active: bool, reason: str = "") -> Profile:
    """Lock or unlock an account; recorded in the person's history with who and why."""
    from cchc.units.permissions import person_error

    message = person_error(by, profile, profile.unit, [])
    if message:
        raise PermissionDenied(message)
    profile.user.is_active = active
    profile.user.save(update_fields=["is_active"])
    mark_change(
        profile, (reason or "").strip() or ("Mở khóa tài khoản" if active else "Khóa tài khoản")
    )
    profile.save()  # a history row for the lock, with its reason
    return profile


@transaction.atomic
def assignment_add(*, by: Person, appraiser: Profile, unit: Unit) -> AppraisalAssignment:
    from cchc.units.permissions import assignment_error

    message = assignment_error(by, appraiser, unit)
    if message:
        raise PermissionDenied(message)
    assignment, _ = AppraisalAssignment.objects.get_or_create(appraiser=appraiser.user, unit=unit)
    return assignment


@transaction.atomic
def assignment_remove(*, by: Person, assignment: AppraisalAssignment) -> None:
    from cchc.units.permissions import can

    if not can(by, "administer", assignment.unit):
        from cchc.units.permissions import UNIT_OUTSIDE

        raise PermissionDenied(UNIT_OUTSIDE.format(unit=assignment.unit))
    assignment.delete()
