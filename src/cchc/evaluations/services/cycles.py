"""Opening a cycle, its units, its states (forward, and back with a reason), finalisation
with the remediation duties, publication."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.db import transaction
from django.utils import timezone

from cchc.core.collation import vn_order
from cchc.core.formatting import vn_date
from cchc.core.history import mark_change
from cchc.core.people import Person
from cchc.evaluations.models import (
    Cycle,
    CycleState,
    CycleTransition,
    CycleUnit,
    CycleUnitStatus,
    PublishedResult,
    RemediationDuty,
    RemediationStatus,
    ResultCorrection,
    Score,
)
from cchc.evaluations.services.common import (
    ERR_DECISION_DATE,
    ERR_DECISION_NO,
    ERR_MEASURE_PERIOD,
    ERR_NAME,
    ERR_NO_UNITS,
    ERR_NOT_APPRAISED,
    ERR_ONLY_DRAFT,
    ERR_PUBLISH_NEEDS_DECISION,
    ERR_REASON_TO_REOPEN,
    ERR_TRANSITION,
    ERR_UNIT_OUTSIDE,
    ERR_UNIT_TWICE,
    EvaluationError,
    _frozen,
    _locked_cycle,
    _save,
    _state_label,
    require_cycle_admin,
)
from cchc.evaluations.services.measured import refresh_measured
from cchc.frameworks.models import Framework
from cchc.units.models import Unit
from cchc.units.permissions import require_action


@transaction.atomic
def cycle_open(
    *,
    framework: Framework,
    year: int,
    name: str,
    organiser: Unit,
    units: Mapping[Unit, str] | Iterable[tuple[Unit, str]],
    measure_start: dt.date,
    measure_end: dt.date,
    by: Person,
    appraising_body: Unit | None = None,
    self_assessment_deadline: dt.date | None = None,
    appraisal_deadline: dt.date | None = None,
    remediation_deadline: dt.date | None = None,
    remediation_days: int = 30,
) -> Cycle:
    """A new cycle in draft: the units evaluated with the block each is ranked in, and an
    empty score row for every leaf criterion of every unit."""
    require_action(by, "administer", organiser)
    if not name or not name.strip():
        raise EvaluationError(ERR_NAME, field="name")
    if measure_start > measure_end:
        raise EvaluationError(ERR_MEASURE_PERIOD, field="measure_end")
    cycle = Cycle(
        framework=framework,
        year=year,
        name=name.strip(),
        organiser=organiser,
        appraising_body=appraising_body,
        measure_start=measure_start,
        measure_end=measure_end,
        self_assessment_deadline=self_assessment_deadline,
        appraisal_deadline=appraisal_deadline,
        remediation_deadline=remediation_deadline,
        remediation_days=remediation_days,
        created_by=by,
    )
    _save(cycle, "Mở kỳ đánh giá", by)
    pairs = list(units.items()) if isinstance(units, Mapping) else list(units)
    for unit, block in pairs:
        _add_unit(cycle, unit, block, by)
    return cycle


def _add_unit(cycle: Cycle, unit: Unit, block: str, by: Person) -> CycleUnit:
    if not unit.path.startswith(cycle.organiser.path):
        raise EvaluationError(
            ERR_UNIT_OUTSIDE.format(unit=unit, organiser=cycle.organiser), field="units"
        )
    if CycleUnit.objects.filter(cycle=cycle, unit=unit).exists():
        raise EvaluationError(ERR_UNIT_TWICE.format(unit=unit), field="units")
    cycle_unit = CycleUnit(cycle=cycle, unit=unit, block=(block or "").strip())
    _save(cycle_unit, "Đưa vào kỳ đánh giá", by)
    leaves = cycle.framework.criteria.filter(is_leaf=True).order_by("position")
    Score.objects.bulk_create(
        [Score(cycle_unit=cycle_unit, criterion=c, max_points=c.max_points) for c in leaves]
    )
    return cycle_unit


@transaction.atomic
def cycle_add_unit(*, cycle: Cycle, unit: Unit, block: str, by: Person) -> CycleUnit:
    cycle = _locked_cycle(cycle)
    require_cycle_admin(by, cycle)
    if cycle.state != CycleState.DRAFT:
        raise EvaluationError(ERR_ONLY_DRAFT)
    return _add_unit(cycle, unit, block, by)


@transaction.atomic
def cycle_remove_unit(*, cycle_unit: CycleUnit, by: Person) -> None:
    cycle = _locked_cycle(cycle_unit.cycle)
    require_cycle_admin(by, cycle)
    if cycle.state != CycleState.DRAFT:
        raise EvaluationError(ERR_ONLY_DRAFT)
    cycle_unit.delete()


@transaction.atomic
def cycle_update(
    *,
    cycle: Cycle,
    by: Person,
    name: str | None = None,
    appraising_body: Unit | None = None,
    self_assessment_deadline: dt.date | None = None,
    appraisal_deadline: dt.date | None = None,
    remediation_deadline: dt.date | None = None,
    remediation_days: int | None = None,
    measure_start: dt.date | None = None,
    measure_end: dt.date | None = None,
    reason: str = "",
) -> Cycle:
    """Change a cycle's name, deadlines or measurement period (not after publication)."""
    cycle = _locked_cycle(cycle)
    require_cycle_admin(by, cycle)
    _frozen(cycle)
    changes = {
        "name": name.strip() if name is not None else None,
        "appraising_body": appraising_body,
        "self_assessment_deadline": self_assessment_deadline,
        "appraisal_deadline": appraisal_deadline,
        "remediation_deadline": remediation_deadline,
        "remediation_days": remediation_days,
        "measure_start": measure_start,
        "measure_end": measure_end,
    }
    for key, value in changes.items():
        if value is not None:
            setattr(cycle, key, value)
    if not cycle.name:
        raise EvaluationError(ERR_NAME, field="name")
    if cycle.measure_start > cycle.measure_end:
        raise EvaluationError(ERR_MEASURE_PERIOD, field="measure_end")
    _save(cycle, reason or "Cập nhật kỳ đánh giá", by)
    return cycle


_FORWARD = {
    CycleState.DRAFT: CycleState.SELF_ASSESSMENT,
    CycleState.SELF_ASSESSMENT: CycleState.APPRAISAL,
    CycleState.APPRAISAL: CycleState.FINALISED,
    CycleState.FINALISED: CycleState.PUBLISHED,
}
_ORDER = list(CycleState)


def _record_transition(
    cycle: Cycle, to_state: str, by: Person, reason: str, *, reopening: bool
) -> None:
    from_state = cycle.state
    cycle.state = to_state
    label = f"{_state_label(from_state)} → {_state_label(to_state)}"
    _save(cycle, f"{label}: {reason}" if reason else label, by)
    CycleTransition.objects.create(
        cycle=cycle,
        from_state=from_state,
        to_state=to_state,
        by=by,
        reason=reason,
        reopening=reopening,
    )


@transaction.atomic
def cycle_transition(*, cycle: Cycle, to_state: str, by: Person, reason: str = "") -> Cycle:
    """Move a cycle one step forward, or back (an administrator, with a reason).

    Forward to finalised runs cycle_finalise; publication needs a decision (cycle_publish).
    """
    locked = _locked_cycle(cycle)
    require_cycle_admin(by, locked)
    to_state = CycleState(to_state)
    if _ORDER.index(to_state) < _ORDER.index(CycleState(locked.state)):
        return cycle_reopen(cycle=locked, to_state=to_state, by=by, reason=reason)
    if _FORWARD.get(CycleState(locked.state)) != to_state:
        raise EvaluationError(
            ERR_TRANSITION.format(from_=_state_label(locked.state), to=_state_label(to_state))
        )
    if to_state == CycleState.FINALISED:
        return cycle_finalise(cycle=locked, by=by, reason=reason)
    if to_state == CycleState.PUBLISHED:
        raise EvaluationError(ERR_PUBLISH_NEEDS_DECISION)
    if to_state == CycleState.SELF_ASSESSMENT and not locked.cycle_units.exists():
        raise EvaluationError(ERR_NO_UNITS)
    _record_transition(locked, to_state, by, reason.strip(), reopening=False)
    if to_state == CycleState.SELF_ASSESSMENT:
        # Metric and survey leaves show their measured value from the start.
        for cycle_unit in locked.cycle_units.select_related("unit", "cycle"):
            refresh_measured(cycle_unit)
    return locked


@transaction.atomic
def cycle_reopen(*, cycle: Cycle, to_state: str, by: Person, reason: str) -> Cycle:
    """Move a cycle back to an earlier state: administrators only, always with a reason.
    Published results are final (the decision is public); they are never reopened."""
    locked = _locked_cycle(cycle)
    require_cycle_admin(by, locked)
    _frozen(locked)
    to_state = CycleState(to_state)
    if _ORDER.index(to_state) >= _ORDER.index(CycleState(locked.state)):
        raise EvaluationError(
            ERR_TRANSITION.format(from_=_state_label(locked.state), to=_state_label(to_state))
        )
    if not reason or not reason.strip():
        raise EvaluationError(ERR_REASON_TO_REOPEN, field="reason")
    if locked.state == CycleState.FINALISED:
        # Units go back to "appraised": their appraisal stays, the cycle's results reopen.
        for cycle_unit in locked.cycle_units.filter(status=CycleUnitStatus.FINALISED):
            cycle_unit.status = CycleUnitStatus.APPRAISED
            _save(cycle_unit, f"Mở lại kỳ đánh giá: {reason.strip()}", by)
        locked.finalised_at = None
    _record_transition(locked, to_state, by, reason.strip(), reopening=True)
    return locked


@transaction.atomic
def cycle_finalise(*, cycle: Cycle, by: Person, reason: str = "") -> Cycle:
    """Close the appraisal: every unit appraised; results fixed; remediation duties owed."""
    locked = _locked_cycle(cycle)
    require_cycle_admin(by, locked)
    if locked.state != CycleState.APPRAISAL:
        raise EvaluationError(
            ERR_TRANSITION.format(
                from_=_state_label(locked.state), to=_state_label(CycleState.FINALISED)
            )
        )
    pending = [
        cu.unit.name
        for cu in vn_order(locked.cycle_units.select_related("unit"), "unit__name")
        if cu.status != CycleUnitStatus.APPRAISED
    ]
    if pending:
        raise EvaluationError(ERR_NOT_APPRAISED.format(units=", ".join(pending)))
    for cycle_unit in locked.cycle_units.all():
        cycle_unit.status = CycleUnitStatus.FINALISED
        _save(cycle_unit, "Chốt kết quả", by)
    locked.finalised_at = timezone.now()
    _record_transition(locked, CycleState.FINALISED, by, reason.strip(), reopening=False)
    _sync_remediation(locked, by)
    return locked


def _sync_remediation(cycle: Cycle, by: Person) -> None:
    """Seed 001: units owing a remediation plan get a duty with a deadline; units no longer
    owing lose a duty they have not acted on (a submitted plan is kept)."""
    from cchc.evaluations.selectors import cycle_results_by_unit

    deadline = cycle.remediation_deadline or (
        timezone.localdate() + dt.timedelta(days=cycle.remediation_days)
    )
    for cycle_unit, result in cycle_results_by_unit(cycle):
        duty = RemediationDuty.objects.filter(cycle_unit=cycle_unit).first()
        if result.owes_remediation:
            by_grade = bool(
                cycle.framework.spec().remediation
                and result.grade is not None
                and result.grade.code in cycle.framework.spec().remediation.grades
            )
            if duty is None:
                duty = RemediationDuty(cycle_unit=cycle_unit, deadline=deadline)
            duty.components = list(result.remediation)
            duty.by_grade = by_grade
            if duty.status == RemediationStatus.OWED:
                duty.deadline = deadline
            _save(duty, "Phải nộp kế hoạch khắc phục", by)
        elif duty is not None and duty.status == RemediationStatus.OWED:
            mark_change(duty, "Không còn thuộc diện khắc phục")
            duty.delete()


@transaction.atomic
def cycle_publish(*, cycle: Cycle, decision_no: str, decision_date: dt.date, by: Person) -> Cycle:
    """Publish by a decision: every unit's result is frozen (PublishedResult) and shown on
    the public page; nothing about the cycle's scores changes afterwards."""

    locked = _locked_cycle(cycle)
    require_cycle_admin(by, locked)
    _frozen(locked)
    if locked.state != CycleState.FINALISED:
        raise EvaluationError(
            ERR_TRANSITION.format(
                from_=_state_label(locked.state), to=_state_label(CycleState.PUBLISHED)
            )
        )
    if not decision_no or not decision_no.strip():
        raise EvaluationError(ERR_DECISION_NO, field="decision_no")
    if decision_date is None:
        raise EvaluationError(ERR_DECISION_DATE, field="decision_date")
    now = timezone.now()
    _freeze_results(locked, now)
    locked.decision_no = decision_no.strip()
    locked.decision_date = decision_date
    locked.published_at = now
    _record_transition(
        locked,
        CycleState.PUBLISHED,
        by,
        f"Quyết định {locked.decision_no} ngày {vn_date(decision_date)}",
        reopening=False,
    )
    return locked


def _freeze_results(cycle: Cycle, now) -> None:
    """Every unit's result as published: the figures of the decision."""
    from cchc.evaluations.selectors import cycle_results_by_unit, published_data

    fw = cycle.framework.spec()
    PublishedResult.objects.bulk_create(
        [
            PublishedResult(
                cycle=cycle,
                cycle_unit=cycle_unit,
                unit=cycle_unit.unit,
                block=cycle_unit.block,
                rank=result.rank.rank,
                rank_of=result.rank.of,
                data=published_data(fw, cycle_unit, result),
                published_at=now,
            )
            for cycle_unit, result in cycle_results_by_unit(cycle)
        ]
    )


ERR_CORRECT_NOT_PUBLISHED = "Chỉ đính chính được kết quả của kỳ đánh giá đã công bố."
ERR_CORRECT_REASON = "Phải nêu lý do đính chính."
ERR_CORRECT_NOTHING = "Chưa có điểm nào được đính chính."
ERR_CORRECT_OTHER_CYCLE = "Điểm {score} không thuộc kỳ đánh giá này."


@transaction.atomic
def cycle_correct(
    *,
    cycle: Cycle,
    corrections: Mapping[Score, object],
    decision_no: str,
    decision_date: dt.date | None,
    reason: str,
    by: Person,
) -> Cycle:
    """Correct published scores by a decision (quyết định đính chính), with a reason.

    The only way to change a published cycle: the new appraised scores are saved with the
    decision and the reason in their history, every result is recomputed and published
    again, and the act is listed among the cycle's transitions (published → published).
    """
    from cchc.evaluations.models import correcting
    from cchc.evaluations.services.common import _points

    locked = _locked_cycle(cycle)
    require_cycle_admin(by, locked)
    if locked.state != CycleState.PUBLISHED:
        raise EvaluationError(ERR_CORRECT_NOT_PUBLISHED)
    if not decision_no or not decision_no.strip():
        raise EvaluationError(ERR_DECISION_NO, field="decision_no")
    if decision_date is None:
        raise EvaluationError(ERR_DECISION_DATE, field="decision_date")
    if not reason or not reason.strip():
        raise EvaluationError(ERR_CORRECT_REASON, field="reason")
    if not corrections:
        raise EvaluationError(ERR_CORRECT_NOTHING, field="value")
    decision = f"Đính chính theo Quyết định số {decision_no.strip()} ngày {vn_date(decision_date)}"
    why = f"{decision}: {reason.strip()}"
    now = timezone.now()
    corrected_units: set[int] = set()
    with correcting():
        for score, value in corrections.items():
            score = Score.objects.select_related("criterion", "cycle_unit").get(pk=score.pk)
            if score.cycle_unit.cycle_id != locked.pk:
                raise EvaluationError(ERR_CORRECT_OTHER_CYCLE.format(score=score))
            score.appraised_score = _points(value, score.criterion)
            score.appraisal_reason = why
            score.appraised_by = by
            score.appraised_at = now
            _save(score, why, by)
            corrected_units.add(score.cycle_unit.unit_id)
        # What was published before stays on record with the correction (the public pages
        # show both); every result is then recomputed and published again.
        previous = {
            str(result.unit_id): {
                "score": result.data.get("score"),
                "rank": result.rank,
                "rank_of": result.rank_of,
            }
            for result in PublishedResult.objects.filter(cycle=locked)
        }
        PublishedResult.objects.filter(cycle=locked).delete()
        _freeze_results(locked, now)
    correction = ResultCorrection.objects.create(
        cycle=locked,
        decision_no=decision_no.strip(),
        decision_date=decision_date,
        reason=reason.strip(),
        previous=previous,
        by=by,  # type: ignore[misc]  # a signed-in user (require_cycle_admin above)
        at=now,
    )
    correction.units.set(corrected_units)
    CycleTransition.objects.create(
        cycle=locked,
        from_state=CycleState.PUBLISHED,
        to_state=CycleState.PUBLISHED,
        by=by,
        reason=why,
        reopening=False,
    )
    return locked
