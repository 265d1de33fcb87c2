"""The plans API, mounted at /api/plans/: plans and their items (status updates),
inspections, recommendations (remediation reports), staffing figures, inspection coverage.

Same rules as the pages: every handler starts with the permission-scoped fetch; rates and
shares are exact decimal strings ("63.89"), None when there is nothing to divide by.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from cchc.core.bounds import Date, Id, Year
from cchc.plans import access, rules, selectors, services
from cchc.plans.models import StaffingYear
from cchc.units.permissions import get_unit_for

router = Router(tags=["Kế hoạch, kiểm tra, công vụ"])


def _num(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _refuse(error: ValidationError) -> HttpError:
    return HttpError(422, " ".join(error.messages))


# --- schemas ------------------------------------------------------------------------------


class CompletionOut(Schema):
    total: int
    done: int
    in_progress: int
    not_started: int
    late: int
    due_soon: int
    rate: str | None


class PlanOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    year: int
    title: str
    number: str
    issued_on: dt.date | None
    state: str
    completion: CompletionOut


class ItemOut(Schema):
    id: int
    parent_id: int | None
    level: str
    code: str
    title: str
    component: str | None
    lead_unit_name: str
    lead_officer_name: str
    coordinating_units: str
    product: str
    start_on: dt.date | None
    due_on: dt.date | None
    status: str  # what is stored (leaves) or rolled up (parents)
    effective_status: str  # with "late" derived from the deadline
    done_on: dt.date | None


class ComponentCompletionOut(Schema):
    component: str | None
    name: str | None
    completion: CompletionOut


class PlanDetailOut(PlanOut):
    items: list[ItemOut]
    by_component: list[ComponentCompletionOut]


class StatusIn(Schema):
    status: Literal["not_started", "in_progress", "done"]
    done_on: Date | None = None
    reason: str = ""


class TargetOut(Schema):
    unit_id: int
    unit_name: str


class FindingOut(Schema):
    id: int
    unit_id: int
    component: str
    kind: str
    text: str


class RecommendationOut(Schema):
    id: int
    inspection_id: int
    unit_id: int
    unit_name: str
    component: str | None
    text: str
    due_on: dt.date | None
    status: str
    first_report_on: dt.date | None
    closed_on: dt.date | None


class InspectionOut(Schema):
    id: int
    kind: str
    year: int
    title: str
    organiser_id: int
    inspecting_body: str
    decision_no: str
    start_on: dt.date
    end_on: dt.date
    report_due_on: dt.date | None
    targets: list[TargetOut]


class InspectionDetailOut(InspectionOut):
    members: list[str]
    findings: list[FindingOut]
    recommendations: list[RecommendationOut]


class RemediationReportIn(Schema):
    text: str
    reported_on: Date | None = None


class RemediationReportOut(Schema):
    id: int
    recommendation_id: int
    text: str
    reported_on: dt.date


class CountOut(Schema):
    code: str
    label: str
    count: int
    share: str | None


class BreakdownOut(Schema):
    whole: int
    uncounted: int
    rows: list[CountOut]


class TrainingOut(Schema):
    course: str
    people: int


class StaffingOut(Schema):
    unit_id: int
    year: int
    positions_allotted: int | None
    positions_filled: int | None
    listed: int
    ratings: BreakdownOut
    qualifications: BreakdownOut
    political_theory: BreakdownOut
    state_management: BreakdownOut
    trainings: list[TrainingOut]


class CoverageRowOut(Schema):
    level: str
    label: str
    inspected: int
    total: int
    share: str | None


class CoverageOut(Schema):
    unit_id: int
    year: int
    rows: list[CoverageRowOut]
    inspected: int
    total: int
    share: str | None
    phrase: str


# --- serialisers --------------------------------------------------------------------------


def _completion(c: rules.Completion) -> dict:
    return {
        "total": c.total,
        "done": c.done,
        "in_progress": c.in_progress,
        "not_started": c.not_started,
        "late": c.late,
        "due_soon": c.due_soon,
        "rate": _num(c.rate),
    }


def _plan(plan, completion: rules.Completion) -> dict:
    return {
        "id": plan.pk,
        "unit_id": plan.unit_id,
        "unit_name": plan.unit.name,
        "year": plan.year,
        "title": plan.title,
        "number": plan.number,
        "issued_on": plan.issued_on,
        "state": plan.state,
        "completion": _completion(completion),
    }


def _item(row: selectors.ItemRow, stored: str) -> dict:
    item = row.item
    return {
        "id": item.pk,
        "parent_id": item.parent_id,
        "level": item.level,
        "code": item.code,
        "title": item.title,
        "component": item.component.code if item.component_id else None,
        "lead_unit_name": item.lead_unit_name,
        "lead_officer_name": item.lead_officer_name,
        "coordinating_units": item.coordinating_units,
        "product": item.product,
        "start_on": item.start_on,
        "due_on": item.due_on,
        "status": stored,
        "effective_status": row.status,
        "done_on": item.done_on,
    }


def _plan_detail(plan) -> dict:
    summary = selectors.plan_summary(plan)
    out = _plan(plan, summary.completion)
    rule_items = [selectors.rule_item(r.item) for r in summary.rows]
    stored = rules.effective_stored(rule_items)
    out["items"] = [_item(r, stored[r.item.pk]) for r in summary.rows]
    out["by_component"] = [
        {
            "component": r.component.code if r.component else None,
            "name": r.component.name if r.component else None,
            "completion": _completion(r.completion),
        }
        for r in summary.by_component
    ]
    return out


def _recommendation(row: selectors.RecommendationRow) -> dict:
    r = row.recommendation
    return {
        "id": r.pk,
        "inspection_id": r.inspection_id,
        "unit_id": r.unit_id,
        "unit_name": r.unit.name,
        "component": r.component.code if r.component_id else None,
        "text": r.text,
        "due_on": r.due_on,
        "status": row.status,
        "first_report_on": row.first_report_on,
        "closed_on": r.closed_on,
    }


def _inspection(inspection) -> dict:
    return {
        "id": inspection.pk,
        "kind": inspection.kind,
        "year": inspection.year,
        "title": inspection.title,
        "organiser_id": inspection.organiser_id,
        "inspecting_body": inspection.inspecting_body,
        "decision_no": inspection.decision_no,
        "start_on": inspection.start_on,
        "end_on": inspection.end_on,
        "report_due_on": inspection.report_due_on,
        "targets": [
            {"unit_id": t.unit_id, "unit_name": t.unit.name} for t in inspection.targets.all()
        ],
    }


def _breakdown(b: rules.Breakdown) -> dict:
    return {
        "whole": b.whole,
        "uncounted": b.uncounted,
        "rows": [
            {"code": r.code, "label": r.label, "count": r.count, "share": _num(r.share)}
            for r in b.rows
        ],
    }


# --- plans --------------------------------------------------------------------------------


@router.get("/", response=list[PlanOut], summary="Các kế hoạch CCHC người dùng được xem")
def plan_list(request: HttpRequest, unit: Id | None = None, year: Year | None = None):
    plans = selectors.plans_visible(request.user).order_by("unit__path", "-year")
    if unit is not None:
        get_unit_for(request.user, unit, "view")
        plans = plans.filter(unit_id=unit)
    if year is not None:
        plans = plans.filter(year=year)
    plans = list(plans[:500])
    completions = selectors.plan_completions(plans)
    return [_plan(p, completions[p.pk]) for p in plans]


@router.get(
    "/{plan_id}",
    response=PlanDetailOut,
    summary="Một kế hoạch: các mục, trạng thái, tỷ lệ hoàn thành theo lĩnh vực",
)
def plan_detail(request: HttpRequest, plan_id: Id):
    return _plan_detail(access.plan_for(request.user, plan_id, "view"))


@router.patch(
    "/items/{item_id}/status",
    response=ItemOut,
    summary="Cập nhật trạng thái một nhiệm vụ, hoạt động",
)
def item_status(request: HttpRequest, item_id: Id, payload: StatusIn):
    item = access.item_for(request.user, item_id, "edit")
    try:
        item = services.item_set_status(
            item=item,
            status=payload.status,
            done_on=payload.done_on,
            reason=payload.reason,
            by=request.user,
        )
    except ValidationError as error:
        raise _refuse(error) from None
    summary = selectors.plan_summary(item.plan)
    row = next(r for r in summary.rows if r.item.pk == item.pk)
    return _item(row, item.status)


# --- inspections --------------------------------------------------------------------------


@router.get("/inspections/", response=list[InspectionOut], summary="Các đợt kiểm tra")
def inspection_list(request: HttpRequest, year: Year | None = None):
    inspections = access.inspections_visible(request.user).order_by("-start_on", "-pk")
    if year is not None:
        inspections = inspections.filter(year=year)
    return [_inspection(i) for i in inspections.prefetch_related("targets__unit")[:500]]


@router.get(
    "/inspections/{inspection_id}",
    response=InspectionDetailOut,
    summary="Một đợt kiểm tra: kết quả theo lĩnh vực, kiến nghị",
)
def inspection_detail(request: HttpRequest, inspection_id: Id):
    inspection = access.inspection_for(request.user, inspection_id, "view")
    units = access.inspection_units_visible(request.user, inspection)
    out = _inspection(inspection)
    out["targets"] = [t for t in out["targets"] if t["unit_id"] in units]
    out["members"] = inspection.member_list
    out["findings"] = [
        {
            "id": f.pk,
            "unit_id": f.unit_id,
            "component": f.component.code,
            "kind": f.kind,
            "text": f.text,
        }
        for f in inspection.findings.filter(unit_id__in=units).select_related("component")
    ]
    out["recommendations"] = [
        _recommendation(r)
        for r in selectors.recommendation_rows(inspection.recommendations.filter(unit_id__in=units))
    ]
    return out


@router.get(
    "/recommendations/",
    response=list[RecommendationOut],
    summary="Kiến nghị sau kiểm tra (overdue=true: quá hạn chưa báo cáo khắc phục)",
)
def recommendation_list(request: HttpRequest, overdue: bool = False, unit: Id | None = None):
    queryset = (
        selectors.overdue_recommendations(request.user)
        if overdue
        else selectors.recommendations_visible(request.user).order_by("due_on", "pk")
    )
    if unit is not None:
        get_unit_for(request.user, unit, "view")
        queryset = queryset.filter(unit_id=unit)
    return [_recommendation(r) for r in selectors.recommendation_rows(queryset[:1000])]


@router.post(
    "/recommendations/{recommendation_id}/reports",
    response={201: RemediationReportOut},
    summary="Gửi báo cáo khắc phục (nội dung; tệp gửi qua trang web)",
)
def report_create(request: HttpRequest, recommendation_id: Id, payload: RemediationReportIn):
    recommendation = access.recommendation_for(request.user, recommendation_id, "report")
    if not payload.text.strip():
        raise HttpError(422, "Cần ghi kết quả khắc phục.")
    try:
        report = services.remediation_report_add(
            recommendation=recommendation,
            text=payload.text,
            reported_on=payload.reported_on,
            by=request.user,
        )
    except ValidationError as error:
        raise _refuse(error) from None
    return Status(
        201,
        {
            "id": report.pk,
            "recommendation_id": recommendation.pk,
            "text": report.text,
            "reported_on": report.reported_on,
        },
    )


@router.get(
    "/coverage/{unit_id}/{year}",
    response=CoverageOut,
    summary="Tỷ lệ đơn vị cấp dưới được kiểm tra trong năm, theo cấp",
)
def coverage(request: HttpRequest, unit_id: Id, year: Year):
    unit = get_unit_for(request.user, unit_id, "view")
    result = selectors.coverage(unit, year)
    return {
        "unit_id": unit.pk,
        "year": year,
        "rows": [
            {
                "level": r.level,
                "label": r.label,
                "inspected": r.inspected,
                "total": r.total,
                "share": _num(r.share),
            }
            for r in result.rows
        ],
        "inspected": result.inspected,
        "total": result.total,
        "share": _num(result.share),
        "phrase": result.phrase,
    }


# --- staffing -----------------------------------------------------------------------------


@router.get(
    "/staffing/{unit_id}/{year}",
    response=StaffingOut,
    summary="Biên chế, trình độ, đào tạo và xếp loại cán bộ, công chức của một năm",
)
def staffing(request: HttpRequest, unit_id: Id, year: Year):
    unit = get_unit_for(request.user, unit_id, "view")
    record = StaffingYear.objects.filter(unit=unit, year=year).first()
    if record is None:
        raise HttpError(404, f"{unit.name} chưa có số liệu cán bộ, công chức năm {year}.")
    summary = selectors.staffing_summary(record)
    return {
        "unit_id": unit.pk,
        "year": year,
        "positions_allotted": record.positions_allotted,
        "positions_filled": record.positions_filled,
        "listed": summary.present,
        "ratings": _breakdown(summary.ratings),
        "qualifications": _breakdown(summary.qualifications),
        "political_theory": _breakdown(summary.political),
        "state_management": _breakdown(summary.state_management),
        "trainings": [{"course": c, "people": n} for c, n in summary.trainings],
    }
