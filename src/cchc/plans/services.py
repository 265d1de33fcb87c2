"""State changes of plans and their items (breakthrough work, inspections and staffing
figures have modules of their own: *_services.py beside this one).

Keyword-only arguments, one transaction each, full_clean() before save, history with a
reason. Permission checks happen in the views and API (cchc.plans.access) before these run;
the rules a domain imposes whoever asks (an inspected unit lies under the inspecting one, a
parent's status comes from its children) are checked here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import IO

from django.core.exceptions import ValidationError
from django.db import transaction

from cchc.core.history import mark_change
from cchc.core.history import save_with_history as _save
from cchc.core.people import Person
from cchc.core.tabular import RowError, TableErrors
from cchc.core.uploads import UploadRefused, check_upload
from cchc.plans import rules
from cchc.plans.breakthrough_services import (  # noqa: F401 (moved there, still importable from here)
    breakthrough_register,
    breakthrough_set_status,
    call_create,
)
from cchc.plans.inspection_services import (  # noqa: F401 (moved there, still importable from here)
    finding_add,
    inspection_create,
    recommendation_add,
    recommendation_close,
    remediation_report_add,
)
from cchc.plans.models import (
    Component,
    Plan,
    PlanEvidence,
    PlanItem,
    PlanState,
    Status,
)
from cchc.plans.service_common import (
    BAD_STATUS,
    DONE_DATE_WITHOUT_DONE,
    DONE_IN_FUTURE,
    PARENT_STATUS_DERIVED,
    PLAN_EXISTS,
    PLAN_ISSUE_NEEDS_NUMBER,
    PLAN_NOT_DRAFT,
    START_AFTER_DUE,
    TOO_DEEP,
    _read_table,
    _today,
)
from cchc.plans.staffing_services import (  # noqa: F401 (moved there, still importable from here)
    STAFF_COLUMNS,
    staff_member_delete,
    staff_member_save,
    staffing_import,
    staffing_save,
)
from cchc.units.models import Profile, Unit

# The columns of a plan workbook (docs/plans.md). Headers compare without case or accents.
PLAN_COLUMNS = {
    "code": "mã",
    "title": "nội dung",
    "component": "lĩnh vực",
    "lead_unit": "đơn vị chủ trì",
    "lead_officer": "người phụ trách",
    "coordinating": "đơn vị phối hợp",
    "product": "sản phẩm",
    "start": "bắt đầu",
    "due": "thời hạn",
    "status": "trạng thái",
    "done_on": "ngày hoàn thành",
    "note": "ghi chú",
}
PLAN_REQUIRED = ["code", "title"]


def _components() -> dict[str, Component]:
    return {c.code: c for c in Component.objects.all()}


def _component_from_text(text: str, components: dict[str, Component]) -> Component | None:
    value = (text or "").strip().rstrip(".")
    if not value:
        return None
    if value in components:
        return components[value]
    plain = rules._plain(value)
    for component in components.values():
        if plain in {rules._plain(component.name), rules._plain(component.short_name)}:
            return component
    raise ValueError(
        "Lĩnh vực CCHC là mã 1–7 hoặc tên lĩnh vực ("
        + "; ".join(f"{c.code}: {c.short_name}" for c in components.values())
        + ")."
    )


# --- plans ---------------------------------------------------------------------------------


def default_title(unit: Unit, year: int) -> str:
    return f"Kế hoạch cải cách hành chính năm {year} của {unit.name}"


@transaction.atomic
def plan_create(
    *,
    unit: Unit,
    year: int,
    title: str = "",
    number: str = "",
    issued_on: dt.date | None = None,
    by: Person | None = None,
) -> Plan:
    if Plan.objects.filter(unit=unit, year=year).exists():
        raise ValidationError(PLAN_EXISTS.format(unit=unit, year=year))
    plan = Plan(
        unit=unit,
        year=year,
        title=title.strip() or default_title(unit, year),
        number=number.strip(),
        issued_on=issued_on,
        state=PlanState.ISSUED if number.strip() and issued_on else PlanState.DRAFT,
        created_by=by,
    )
    _save(plan, reason="Tạo kế hoạch", by=by)
    return plan


@transaction.atomic
def plan_update(
    *,
    plan: Plan,
    title: str,
    number: str = "",
    issued_on: dt.date | None = None,
    by: Person | None = None,
) -> Plan:
    plan.title = title.strip() or plan.title
    plan.number = number.strip()
    plan.issued_on = issued_on
    if plan.state == PlanState.ISSUED and not (plan.number and plan.issued_on):
        raise ValidationError(PLAN_ISSUE_NEEDS_NUMBER)
    _save(plan, reason="Sửa thông tin kế hoạch", by=by)
    return plan


@transaction.atomic
def plan_issue(
    *, plan: Plan, number: str, issued_on: dt.date | None, by: Person | None = None
) -> Plan:
    if not number.strip() or issued_on is None:
        raise ValidationError(PLAN_ISSUE_NEEDS_NUMBER)
    plan.number = number.strip()
    plan.issued_on = issued_on
    plan.state = PlanState.ISSUED
    _save(plan, reason=f"Ban hành kế hoạch ({plan.number})", by=by)
    return plan


@transaction.atomic
def plan_delete(*, plan: Plan, by: Person | None = None) -> None:
    if not plan.is_draft:
        raise ValidationError(PLAN_NOT_DRAFT)
    for item in plan.items.order_by("-sort_key"):
        mark_change(item, "Xóa kế hoạch dự thảo", by)
        item.delete()
    mark_change(plan, "Xóa kế hoạch dự thảo", by)
    plan.delete()


def _next_code(plan: Plan, parent: PlanItem | None) -> str:
    siblings = PlanItem.objects.filter(plan=plan, parent=parent).values_list("code", flat=True)
    last = max((int(c.split(".")[-1]) for c in siblings), default=0)
    return f"{parent.code}.{last + 1}" if parent else str(last + 1)


@transaction.atomic
def item_create(
    *,
    plan: Plan,
    parent: PlanItem | None = None,
    title: str,
    component: Component | None = None,
    lead_unit_name: str = "",
    lead_officer: Profile | None = None,
    lead_officer_name: str = "",
    coordinating_units: str = "",
    product: str = "",
    start_on: dt.date | None = None,
    due_on: dt.date | None = None,
    note: str = "",
    by: Person | None = None,
) -> PlanItem:
    if parent is not None and parent.level == PlanItem.Level.ACTIVITY:
        raise ValidationError(TOO_DEEP)
    level = (
        PlanItem.Level.OBJECTIVE
        if parent is None
        else PlanItem.Level.TASK
        if parent.level == PlanItem.Level.OBJECTIVE
        else PlanItem.Level.ACTIVITY
    )
    item = PlanItem(
        plan=plan,
        parent=parent,
        level=level,
        code=_next_code(plan, parent),
        title=title.strip(),
        component=component or (parent.component if parent else None),
        lead_unit_name=lead_unit_name.strip(),
        lead_unit=_match_unit(plan.unit, lead_unit_name),
        lead_officer=lead_officer,
        lead_officer_name=(lead_officer.full_name if lead_officer else lead_officer_name.strip()),
        coordinating_units=coordinating_units.strip(),
        product=product.strip(),
        start_on=start_on,
        due_on=due_on,
        note=note,
    )
    if start_on and due_on and start_on > due_on:
        raise ValidationError({"start_on": START_AFTER_DUE})
    _save(item, reason="Thêm mục", by=by, exclude=["sort_key"])
    return item


EDITABLE_ITEM_FIELDS = [
    "title",
    "component",
    "lead_unit_name",
    "lead_officer",
    "lead_officer_name",
    "coordinating_units",
    "product",
    "start_on",
    "due_on",
    "note",
]


@transaction.atomic
def item_update(
    *, item: PlanItem, reason: str = "", by: Person | None = None, **changes
) -> PlanItem:
    unknown = set(changes) - set(EDITABLE_ITEM_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    for name, value in changes.items():
        setattr(item, name, value.strip() if isinstance(value, str) and name != "note" else value)
    if "lead_officer" in changes and item.lead_officer is not None:
        item.lead_officer_name = item.lead_officer.full_name
    if "lead_unit_name" in changes:
        item.lead_unit = _match_unit(item.plan.unit, item.lead_unit_name)
    if item.start_on and item.due_on and item.start_on > item.due_on:
        raise ValidationError({"start_on": START_AFTER_DUE})
    _save(item, reason=reason or "Sửa nội dung", by=by, exclude=["sort_key"])
    return item


@transaction.atomic
def item_set_status(
    *,
    item: PlanItem,
    status: str,
    done_on: dt.date | None = None,
    reason: str = "",
    by: Person | None = None,
    today: dt.date | None = None,
) -> PlanItem:
    today = today or _today()
    if item.children.exists():
        raise ValidationError(PARENT_STATUS_DERIVED.format(level=item.get_level_display().lower()))
    if status not in rules.STORED_STATUSES:
        raise ValidationError({"status": BAD_STATUS})
    if status == Status.DONE:
        done_on = done_on or today
        if done_on > today:
            raise ValidationError({"done_on": DONE_IN_FUTURE})
    elif done_on is not None:
        raise ValidationError({"done_on": DONE_DATE_WITHOUT_DONE})
    old = item.get_status_display()
    item.status = status
    item.done_on = done_on if status == Status.DONE else None
    label = item.get_status_display()
    _save(item, reason=reason or f"Trạng thái: {old} → {label}", by=by, exclude=["sort_key"])
    return item


@transaction.atomic
def item_delete(*, item: PlanItem, by: Person | None = None) -> None:
    if not item.plan.is_draft:
        raise ValidationError(PLAN_NOT_DRAFT)
    for child in item.children.all():
        item_delete(item=child, by=by)
    mark_change(item, "Xóa mục", by)
    item.delete()


@transaction.atomic
def evidence_add(
    *,
    item: PlanItem,
    title: str,
    number: str = "",
    issued_on: dt.date | None = None,
    issuer: str = "",
    file=None,
    by: Person | None = None,
) -> PlanEvidence:
    evidence = PlanEvidence(
        item=item,
        title=title.strip(),
        number=number.strip(),
        issued_on=issued_on,
        issuer=issuer.strip(),
        uploaded_by=by,
    )
    if file is not None:
        try:  # the one upload check (core/uploads.py): size, type by content, name
            check_upload(file)
        except UploadRefused as error:
            raise ValidationError({"file": str(error)}) from None
        evidence.file = file
    _save(evidence, reason="Thêm tài liệu kiểm chứng", by=by)
    return evidence


def _match_unit(plan_unit: Unit, name: str) -> Unit | None:
    """The lead unit when it is a unit of the system under the plan's unit (a district's
    communes, a province's departments); internal sections stay as text only."""
    name = (name or "").strip()
    if not name:
        return None
    return plan_unit.descendants().filter(name__iexact=name).first()


def _match_officer(unit: Unit, name: str) -> Profile | None:
    name = (name or "").strip()
    if not name:
        return None
    people = Profile.objects.filter(unit=unit)
    return (
        people.filter(full_name__iexact=name).first()
        or people.filter(user__username__iexact=name).first()
    )


@dataclass
class _Row:
    number: int
    code: tuple[int, ...]
    title: str
    component: Component | None
    lead_unit: str
    lead_officer: str
    coordinating: str
    product: str
    start: dt.date | None
    due: dt.date | None
    status: str
    done_on: dt.date | None
    note: str
    children: list[_Row] = field(default_factory=list)


def parse_plan_rows(
    *, source, filename: str, year: int, today: dt.date | None = None
) -> list[_Row]:
    """Read and check a plan workbook; TableErrors lists every problem (row, column, why)."""
    today = today or _today()
    rows, errors = _read_table(source, filename, PLAN_COLUMNS, PLAN_REQUIRED)
    components = _components()
    parsed: dict[tuple[int, ...], _Row] = {}
    C = PLAN_COLUMNS

    def error(row, key, message, value=None):
        errors.append(RowError(row, C[key], message, value))

    for number, cells in rows:
        raw_code = cells.get("code", "")
        try:
            code = rules.parse_code(raw_code)
        except ValueError as exc:
            error(number, "code", str(exc), raw_code)
            continue
        if code in parsed:
            error(
                number,
                "code",
                f"Mã trùng với dòng {parsed[code].number}.",
                raw_code,
            )
            continue
        title = cells.get("title", "").strip()
        if not title:
            error(number, "title", "Thiếu nội dung.")
        elif len(title) > 1000:
            error(number, "title", "Nội dung dài quá 1000 ký tự.")
        try:
            component = _component_from_text(cells.get("component", ""), components)
        except ValueError as exc:
            error(number, "component", str(exc), cells.get("component"))
            component = None
        dates = {}
        for key in ("start", "due", "done_on"):
            try:
                dates[key] = rules.parse_deadline(cells.get(key, ""), year)
            except ValueError as exc:
                error(number, key, str(exc), cells.get(key))
                dates[key] = None
        try:
            status = rules.parse_status(cells.get("status", ""))
        except ValueError as exc:
            error(number, "status", str(exc), cells.get("status"))
            status = rules.NOT_STARTED
        if dates["start"] and dates["due"] and dates["start"] > dates["due"]:
            error(number, "start", START_AFTER_DUE, cells.get("start"))
        if dates["due"] and dates["due"].year < year - 1:
            error(number, "due", f"Thời hạn trước năm {year} của kế hoạch.", cells.get("due"))
        if dates["done_on"]:
            if status != rules.DONE:
                error(number, "done_on", DONE_DATE_WITHOUT_DONE, cells.get("done_on"))
            elif dates["done_on"] > today:
                error(number, "done_on", DONE_IN_FUTURE, cells.get("done_on"))
        row = _Row(
            number=number,
            code=code,
            title=title,
            component=component,
            lead_unit=cells.get("lead_unit", "").strip()[:300],
            lead_officer=cells.get("lead_officer", "").strip()[:200],
            coordinating=cells.get("coordinating", "").strip()[:500],
            product=cells.get("product", "").strip()[:500],
            start=dates["start"],
            due=dates["due"],
            status=status,
            done_on=dates["done_on"],
            note=cells.get("note", ""),
        )
        parsed[code] = row

    # Structure: each task/activity under an existing parent; inherit component, lead unit,
    # lead officer and deadline downwards; every item ends with a component and every leaf with a deadline.
    for code, row in sorted(parsed.items()):
        if len(code) > 1:
            parent = parsed.get(code[:-1])
            if parent is None:
                error(
                    row.number,
                    "code",
                    f"Không có mục cấp trên '{rules.code_text(code[:-1])}' trong tệp.",
                    rules.code_text(code),
                )
                continue
            parent.children.append(row)
            row.component = row.component or parent.component
            row.lead_unit = row.lead_unit or parent.lead_unit
            row.lead_officer = row.lead_officer or parent.lead_officer
            if row.due is None:
                row.due = parent.due
        if row.component is None and len(code) == 1:
            error(row.number, "component", "Mục tiêu cần ghi lĩnh vực CCHC (mã 1–7).")
    for row in parsed.values():
        if not row.children and row.due is None:
            error(row.number, "due", "Thiếu thời hạn (5 rõ: rõ thời gian).")
    if not parsed and not errors:
        errors.append(RowError(None, None, "Tệp không có dòng nào."))
    if errors:
        errors.sort(key=lambda e: (e.row or 0, e.column or ""))
        raise TableErrors(filename, errors)
    return [parsed[c] for c in sorted(parsed)]


@transaction.atomic
def plan_import(
    *,
    unit: Unit,
    year: int,
    source: str | IO[bytes],
    filename: str,
    title: str = "",
    number: str = "",
    issued_on: dt.date | None = None,
    replace: bool = False,
    by: Person | None = None,
    today: dt.date | None = None,
) -> Plan:
    """Import a whole plan from a workbook: everything or nothing (TableErrors)."""
    today = today or _today()
    rows = parse_plan_rows(source=source, filename=filename, year=year, today=today)
    existing = Plan.objects.filter(unit=unit, year=year).first()
    if existing is not None:
        if not replace:
            raise TableErrors(
                filename, [RowError(None, None, PLAN_EXISTS.format(unit=unit, year=year))]
            )
        if not existing.is_draft:
            raise TableErrors(filename, [RowError(None, None, PLAN_NOT_DRAFT)])
        for item in existing.items.order_by("-sort_key"):
            mark_change(item, f"Thay bằng tệp {filename}", by)
            item.delete()
        plan = existing
        plan.title = title.strip() or plan.title
    else:
        plan = Plan(unit=unit, year=year, title=title.strip() or default_title(unit, year))
        plan.created_by = by
    plan.number = number.strip() or plan.number
    plan.issued_on = issued_on or plan.issued_on
    plan.state = PlanState.ISSUED if plan.number and plan.issued_on else PlanState.DRAFT
    _save(plan, reason=f"Nhập từ tệp {filename}", by=by)
    created: dict[tuple[int, ...], PlanItem] = {}
    for row in rows:  # sorted by code: parents come before their children
        status = row.status if not row.children else rules.NOT_STARTED
        done_on = None
        if status == rules.DONE:
            # No completion date in the file: the deadline if it has passed, else today.
            done_on = row.done_on or (row.due if row.due and row.due <= today else today)
        item = PlanItem(
            plan=plan,
            parent=created.get(row.code[:-1]),
            level=rules.level_of(row.code),
            code=rules.code_text(row.code),
            title=row.title,
            component=row.component,
            lead_unit_name=row.lead_unit,
            lead_unit=_match_unit(unit, row.lead_unit),
            lead_officer_name=row.lead_officer,
            lead_officer=_match_officer(unit, row.lead_officer),
            coordinating_units=row.coordinating,
            product=row.product,
            start_on=row.start,
            due_on=row.due,
            status=status,
            done_on=done_on,
            note=row.note,
        )
        if item.lead_officer is not None:
            item.lead_officer_name = item.lead_officer.full_name
        _save(item, reason=f"Nhập từ tệp {filename}", by=by, exclude=["sort_key"])
        created[row.code] = item
    return plan


def _next_year_title(title: str, year: int) -> str:
    return (
        title.replace(str(year), str(year + 1)) if str(year) in title else f"{title} ({year + 1})"
    )


@transaction.atomic
def plan_copy(*, plan: Plan, by: Person | None = None) -> Plan:
    """Last year's plan as next year's draft: dates one year later, statuses reset,
    evidence and completion dates left behind."""
    year = plan.year + 1
    if Plan.objects.filter(unit=plan.unit, year=year).exists():
        raise ValidationError(PLAN_EXISTS.format(unit=plan.unit, year=year))
    copy = Plan(
        unit=plan.unit,
        year=year,
        title=_next_year_title(plan.title, plan.year),
        state=PlanState.DRAFT,
        copied_from=plan,
        created_by=by,
    )
    _save(copy, reason=f"Sao chép từ kế hoạch năm {plan.year}", by=by)
    mapping: dict[int, PlanItem] = {}
    for item in plan.items.order_by("sort_key"):
        new = PlanItem(
            plan=copy,
            parent=mapping.get(item.parent_id),
            level=item.level,
            code=item.code,
            title=item.title,
            component_id=item.component_id,
            lead_unit_name=item.lead_unit_name,
            lead_unit_id=item.lead_unit_id,
            lead_officer_name=item.lead_officer_name,
            lead_officer_id=item.lead_officer_id,
            coordinating_units=item.coordinating_units,
            product=item.product,
            start_on=rules.shift_year(item.start_on),
            due_on=rules.shift_year(item.due_on),
            status=Status.NOT_STARTED,
            done_on=None,
        )
        _save(new, reason=f"Sao chép từ kế hoạch năm {plan.year}", by=by, exclude=["sort_key"])
        mapping[item.pk] = new
    return copy
