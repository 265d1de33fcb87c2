"""State changes of inspections: targets, findings, recommendations and remediation reports.

Keyword-only arguments, one transaction each (see cchc.plans.services). An inspected unit
lies under the inspecting one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from cchc.core.history import save_with_history as _save
from cchc.core.people import Person
from cchc.plans.models import (
    Component,
    Finding,
    Inspection,
    InspectionTarget,
    Recommendation,
    RemediationReport,
)
from cchc.plans.service_common import (
    ALREADY_CLOSED,
    END_BEFORE_START,
    NO_TARGETS,
    REPORT_IN_FUTURE,
    SELF_INSPECTION_TARGET,
    TARGET_OUTSIDE,
    UNIT_NOT_INSPECTED,
    _today,
)
from cchc.units.models import Unit

# --- inspections --------------------------------------------------------------------------


@transaction.atomic
def inspection_create(
    *,
    organiser: Unit,
    kind: str,
    year: int,
    title: str,
    inspecting_body: str,
    start_on: dt.date,
    end_on: dt.date,
    targets: Iterable[Unit],
    decision_no: str = "",
    decision_date: dt.date | None = None,
    members: str = "",
    report_due_on: dt.date | None = None,
    conclusion: str = "",
    by: Person | None = None,
) -> Inspection:
    targets = list(dict.fromkeys(targets))
    if not targets:
        raise ValidationError({"targets": NO_TARGETS})
    if kind == Inspection.Kind.SELF:
        if [t.pk for t in targets] != [organiser.pk]:
            raise ValidationError({"targets": SELF_INSPECTION_TARGET})
    else:
        for target in targets:
            if target.pk == organiser.pk or not target.path.startswith(organiser.path):
                raise ValidationError(
                    {"targets": TARGET_OUTSIDE.format(unit=target, organiser=organiser)}
                )
    if end_on < start_on:
        raise ValidationError({"end_on": END_BEFORE_START})
    inspection = Inspection(
        organiser=organiser,
        kind=kind,
        year=year,
        title=title.strip(),
        inspecting_body=inspecting_body.strip(),
        decision_no=decision_no.strip(),
        decision_date=decision_date,
        start_on=start_on,
        end_on=end_on,
        members=members.strip(),
        report_due_on=report_due_on,
        conclusion=conclusion,
        created_by=by,
    )
    _save(inspection, reason="Tạo đợt kiểm tra", by=by)
    for target in targets:
        InspectionTarget.objects.create(inspection=inspection, unit=target)
    return inspection


def _require_target(inspection: Inspection, unit: Unit) -> None:
    if not inspection.targets.filter(unit=unit).exists():
        raise ValidationError({"unit": UNIT_NOT_INSPECTED.format(unit=unit)})


@transaction.atomic
def finding_add(
    *,
    inspection: Inspection,
    unit: Unit,
    component: Component,
    text: str,
    kind: str = Finding.Kind.SHORTCOMING,
    by: Person | None = None,
) -> Finding:
    _require_target(inspection, unit)
    finding = Finding(
        inspection=inspection, unit=unit, component=component, kind=kind, text=text.strip()
    )
    _save(finding, reason="Ghi kết quả kiểm tra", by=by)
    return finding


@transaction.atomic
def recommendation_add(
    *,
    inspection: Inspection,
    unit: Unit,
    text: str,
    due_on: dt.date | None = None,
    component: Component | None = None,
    finding: Finding | None = None,
    by: Person | None = None,
) -> Recommendation:
    _require_target(inspection, unit)
    recommendation = Recommendation(
        inspection=inspection,
        unit=unit,
        component=component or (finding.component if finding else None),
        finding=finding,
        text=text.strip(),
        due_on=due_on or inspection.report_due_on,
    )
    _save(recommendation, reason="Kiến nghị", by=by)
    return recommendation


@transaction.atomic
def remediation_report_add(
    *,
    recommendation: Recommendation,
    text: str,
    reported_on: dt.date | None = None,
    file=None,
    by: Person | None = None,
    today: dt.date | None = None,
) -> RemediationReport:
    today = today or _today()
    reported_on = reported_on or today
    if reported_on > today:
        raise ValidationError({"reported_on": REPORT_IN_FUTURE})
    report = RemediationReport(
        recommendation=recommendation, text=text.strip(), reported_on=reported_on, submitted_by=by
    )
    if file is not None:
        report.file = file
    _save(report, reason="Báo cáo khắc phục", by=by)
    return report


@transaction.atomic
def recommendation_close(
    *, recommendation: Recommendation, closed_on: dt.date | None = None, by: Person | None = None
) -> Recommendation:
    if recommendation.closed_on is not None:
        raise ValidationError(ALREADY_CLOSED)
    recommendation.closed_on = closed_on or _today()
    recommendation.closed_by = by
    _save(recommendation, reason="Xác nhận đã khắc phục xong", by=by)
    return recommendation
