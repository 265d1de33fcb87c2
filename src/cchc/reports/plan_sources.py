"""The plan, inspection and staffing figures of a report, read from the plans app: the year's
plan, the inspections of a unit or an area, and the staffing figures (the self-inspection
report: sources.py)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from cchc.core.coverage import NO_DATA
from cchc.dossiers.periods import Period
from cchc.reports.builders.plan_section import (
    ComponentProgress,
    CoverageLine,
    InspectionFigures,
    InspectionLine,
    PlanFigures,
    ShareLine,
    StaffFigures,
)
from cchc.units.models import Unit

# ------------------------------------------------------------------ plans


def plan_figures(unit: Unit, year: int, *, as_of: dt.date) -> PlanFigures | None:
    """The unit's issued plan of that year, counted over its leaves as of a date (work done
    after it counts as not done: a report of a past quarter does not change)."""
    from cchc.plans import rules
    from cchc.plans.models import Component, Plan, PlanItem, PlanState

    plan = Plan.objects.filter(unit=unit, year=year, state=PlanState.ISSUED).order_by("-pk").first()
    if plan is None:
        return None
    # The same count as the plan page and the evaluation metric (plans.selectors).
    from cchc.plans import selectors as plan_selectors

    items = list(PlanItem.objects.filter(plan=plan).select_related("component"))
    rule_items = [plan_selectors.rule_item(i) for i in items]
    today = as_of + dt.timedelta(days=1)
    done_by = plan_selectors.plan_completion(plan, as_of)
    by_component = rules.completion_by_component(
        [
            rules.Item(
                key=i.key,
                parent=i.parent,
                status=(
                    rules.IN_PROGRESS
                    if i.status == rules.DONE and i.done_on and i.done_on > as_of
                    else i.status
                ),
                due_on=i.due_on,
                done_on=i.done_on,
                component=i.component,
            )
            for i in rule_items
        ],
        today,
    )
    names = {c.code: c.name for c in Component.objects.all()}
    counts = {level: sum(1 for i in items if i.level == level) for level in rules.LEVELS}
    return PlanFigures(
        title=plan.title,
        number=plan.number,
        year=plan.year,
        objectives=counts["objective"],
        tasks=counts["task"],
        activities=counts["activity"],
        total=done_by.total,
        done=done_by.done,
        in_progress=done_by.in_progress,
        not_started=done_by.not_started,
        late=done_by.late,
        as_of=as_of,
        by_component=[
            ComponentProgress(names.get(code, "Chưa xác định lĩnh vực"), c.total, c.done, c.late)
            for code, c in by_component.items()
        ],
    )


def _inspection_line(inspection, unit: Unit | None, today: dt.date) -> InspectionLine:
    from cchc.plans.models import Finding

    findings = inspection.findings.all()
    recs = inspection.recommendations.all()
    if unit is not None and not inspection.is_self:
        findings = findings.filter(unit=unit)
        recs = recs.filter(unit=unit)
    open_recs = recs.filter(closed_on__isnull=True)
    return InspectionLine(
        title=inspection.title,
        body=inspection.inspecting_body,
        start=inspection.start_on,
        end=inspection.end_on,
        is_self=inspection.is_self,
        findings=findings.count(),
        shortcomings=findings.filter(kind=Finding.Kind.SHORTCOMING).count(),
        recommendations=recs.count(),
        open_recommendations=open_recs.count(),
        overdue_recommendations=open_recs.filter(due_on__lt=today).count(),
    )


def unit_inspections(unit: Unit, period: Period) -> InspectionFigures | None:
    """Inspections of the unit (its own self-inspections and those of the level above)
    that started within the period."""
    from cchc.plans.models import Inspection

    qs = (
        Inspection.objects.filter(
            Q(organiser=unit, kind=Inspection.Kind.SELF) | Q(targets__unit=unit),
            start_on__gte=period.start,
            start_on__lte=period.end,
        )
        .distinct()
        .order_by("start_on", "pk")
    )
    inspections = list(qs)
    if not inspections:
        return None
    return InspectionFigures(
        inspections=[_inspection_line(i, unit, period.end) for i in inspections]
    )


def area_inspections(unit: Unit, year: int, period: Period) -> InspectionFigures:
    from django.db.models import Count

    from cchc.plans import selectors as plan_selectors
    from cchc.plans.models import Finding, Inspection

    cov = plan_selectors.coverage(unit, year)
    inspections = list(
        Inspection.objects.filter(
            organiser=unit, kind=Inspection.Kind.INSPECTION, year=year
        ).order_by("start_on", "pk")
    )
    shortcomings = (
        Finding.objects.filter(
            kind=Finding.Kind.SHORTCOMING,
            inspection__year=year,
            unit__path__startswith=unit.path,
        )
        .values("component__name", "component__order")
        .annotate(n=Count("pk"))
        .order_by("component__order")
    )
    if not inspections:
        return InspectionFigures(
            no_data=f"Kiểm tra công tác CCHC năm {year}: {NO_DATA} (chưa có đợt kiểm tra "
            "nào được ghi nhận trên hệ thống)."
        )
    return InspectionFigures(
        inspections=[_inspection_line(i, None, period.end) for i in inspections],
        coverage=[CoverageLine(r.label, r.inspected, r.total) for r in cov.rows],
        by_component=[(row["component__name"], row["n"]) for row in shortcomings],
    )


def staff_figures(unit: Unit, year: int) -> StaffFigures | None:
    from cchc.plans import selectors as plan_selectors
    from cchc.plans.models import StaffingYear

    staffing = StaffingYear.objects.filter(unit=unit, year=year).first()
    if staffing is None:
        return None
    s = plan_selectors.staffing_summary(staffing)
    return StaffFigures(
        year=year,
        allotted=staffing.positions_allotted,
        present=staffing.positions_filled if staffing.positions_filled is not None else s.present,
        ratings=[ShareLine(r.label, r.count, r.whole) for r in s.ratings.rows],
        rated=s.ratings.whole,
        qualifications=[ShareLine(r.label, r.count, r.whole) for r in s.qualifications.rows],
        trainings=tuple(s.trainings[:6]),
    )
