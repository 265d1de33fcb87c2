"""The roles a person can hold in a unit. Plain module: used by models, permissions and the CLI."""

from __future__ import annotations

OFFICER = "officer"
HEAD = "head"
APPRAISER = "appraiser"
ADMINISTRATOR = "administrator"

ROLE_CHOICES = [
    (OFFICER, "Công chức phụ trách CCHC"),
    (HEAD, "Thủ trưởng đơn vị"),
    (APPRAISER, "Thành viên tổ thẩm định"),
    (ADMINISTRATOR, "Quản trị (Sở Nội vụ)"),
]
ROLE_LABELS = dict(ROLE_CHOICES)
ALL_ROLES = frozenset(ROLE_LABELS)


def home_affairs_office(unit_name: str, unit_kind: str) -> str:
    """The Home Affairs office that administers a unit's evaluations: Sở Nội vụ of a
    province, Phòng Nội vụ of a (pre-2025) district; a department is named as it is."""
    # "Huyện Ninh Giang" -> "Phòng Nội vụ huyện Ninh Giang": the kind in lower case mid-name.
    lowered = unit_name[:1].lower() + unit_name[1:]
    if unit_kind == "province":
        return f"Sở Nội vụ {lowered}"
    if unit_kind == "district":
        return f"Phòng Nội vụ {lowered}"
    return unit_name


def role_label(role: str, unit_name: str = "", unit_kind: str = "") -> str:
    """The role as a person reads it about themselves: an administrator is named by the
    office of their own unit, not always "Sở Nội vụ" (issue 15: a district's Phòng Nội vụ
    read "Quản trị (Sở Nội vụ)")."""
    if role == ADMINISTRATOR and unit_name:
        return f"Quản trị ({home_affairs_office(unit_name, unit_kind)})"
    return ROLE_LABELS[role]
