"""State changes of staffing figures: the yearly figures, staff members and their import.

Keyword-only arguments, one transaction each (see cchc.plans.services)."""

from __future__ import annotations

from typing import IO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from cchc.core.history import mark_change
from cchc.core.history import save_with_history as _save
from cchc.core.people import Person
from cchc.core.tabular import RowError, TableErrors
from cchc.plans import rules
from cchc.plans.models import (
    StaffingYear,
    StaffMember,
)
from cchc.plans.service_common import FILLED_OVER_ALLOTTED, _read_table
from cchc.units.models import Unit

STAFF_COLUMNS = {
    "full_name": "họ và tên",
    "position": "chức vụ",
    "qualification": "trình độ chuyên môn",
    "political": "lý luận chính trị",
    "state_management": "quản lý nhà nước",
    "trainings": "đào tạo, bồi dưỡng",
    "rating": "xếp loại",
}
STAFF_REQUIRED = ["full_name"]

# --- staffing -----------------------------------------------------------------------------


@transaction.atomic
def staffing_save(
    *,
    unit: Unit,
    year: int,
    positions_allotted: int | None,
    positions_filled: int | None,
    note: str = "",
    by: Person | None = None,
) -> StaffingYear:
    if (
        positions_allotted is not None
        and positions_filled is not None
        and positions_filled > positions_allotted
    ):
        raise ValidationError(
            {
                "positions_filled": FILLED_OVER_ALLOTTED.format(
                    filled=positions_filled, allotted=positions_allotted
                )
            }
        )
    staffing, _ = StaffingYear.objects.get_or_create(unit=unit, year=year)
    staffing.positions_allotted = positions_allotted
    staffing.positions_filled = positions_filled
    staffing.note = note
    _save(staffing, reason="Cập nhật biên chế", by=by)
    return staffing


STAFF_FIELDS = [
    "full_name",
    "position",
    "qualification",
    "political_theory",
    "state_management",
    "trainings",
    "rating",
]


@transaction.atomic
def staff_member_save(
    *, staffing: StaffingYear, member: StaffMember | None = None, by: Person | None = None, **values
) -> StaffMember:
    unknown = set(values) - set(STAFF_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    if member is None:
        last = staffing.members.aggregate(m=Max("order"))["m"] or 0
        member = StaffMember(staffing=staffing, order=last + 1)
        reason = "Thêm cán bộ, công chức"
    else:
        reason = "Sửa thông tin cán bộ, công chức"
        if "rating" in values and values["rating"] != member.rating:
            reason = f"Xếp loại năm {staffing.year}: {values['rating'] or 'chưa'}"
    for name, value in values.items():
        setattr(member, name, value.strip() if isinstance(value, str) else value)
    _save(member, reason=reason, by=by)
    return member


@transaction.atomic
def staff_member_delete(*, member: StaffMember, by: Person | None = None) -> None:
    mark_change(member, "Xóa khỏi danh sách", by)
    member.delete()


def parse_staff_rows(*, source, filename: str) -> list[dict]:
    rows, errors = _read_table(source, filename, STAFF_COLUMNS, STAFF_REQUIRED)
    C = STAFF_COLUMNS
    out = []
    choices = [
        ("qualification", "qualification", rules.QUALIFICATION_LABELS, rules.QUALIFICATION_ALIASES),
        ("political", "political_theory", rules.POLITICAL_LABELS, rules.POLITICAL_ALIASES),
        (
            "state_management",
            "state_management",
            rules.STATE_MANAGEMENT_LABELS,
            rules.STATE_MANAGEMENT_ALIASES,
        ),
        ("rating", "rating", rules.RATING_LABELS, rules.RATING_ALIASES),
    ]
    for number, cells in rows:
        name = cells.get("full_name", "").strip()
        if not name:
            errors.append(RowError(number, C["full_name"], "Thiếu họ và tên."))
        values = {
            "full_name": name[:200],
            "position": cells.get("position", "").strip()[:200],
            "trainings": cells.get("trainings", "").strip(),
        }
        for key, attr, labels, aliases in choices:
            try:
                values[attr] = rules.parse_choice(cells.get(key, ""), labels, aliases)
            except ValueError as exc:
                errors.append(RowError(number, C[key], str(exc), cells.get(key)))
        out.append(values)
    if not out and not errors:
        errors.append(RowError(None, None, "Tệp không có dòng nào."))
    if errors:
        raise TableErrors(filename, errors)
    return out


@transaction.atomic
def staffing_import(
    *, unit: Unit, year: int, source: str | IO[bytes], filename: str, by: Person | None = None
) -> StaffingYear:
    """Replace the year's list of officers by the file's (all or nothing)."""
    rows = parse_staff_rows(source=source, filename=filename)
    staffing, _ = StaffingYear.objects.get_or_create(unit=unit, year=year)
    for member in staffing.members.all():
        mark_change(member, f"Thay bằng tệp {filename}", by)
        member.delete()
    for order, values in enumerate(rows, start=1):
        member = StaffMember(staffing=staffing, order=order, **values)
        _save(member, reason=f"Nhập từ tệp {filename}", by=by)
    if staffing.positions_filled is None:
        staffing.positions_filled = len(rows)
        _save(staffing, reason=f"Nhập từ tệp {filename}", by=by)
    return staffing
