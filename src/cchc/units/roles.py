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
