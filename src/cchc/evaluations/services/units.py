"""A unit's self-assessment (scores, notes, evidence, submission) and its appraisal
(appraised scores with reasons, return for explanation, closing)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from cchc.core.formatting import vn_date, vn_number
from cchc.core.history import mark_change
from cchc.core.people import Person
from cchc.core.uploads import UploadRefused, check_upload
from cchc.evaluations.models import (
    CycleState,
    CycleUnit,
    CycleUnitStatus,
    Evidence,
    Score,
)
from cchc.evaluations.scoring import (
    metric_points,
    survey_points,
)
from cchc.evaluations.services.common import (
    ERR_CRITERION_OTHER_FRAMEWORK,
    ERR_EVIDENCE_OTHER_UNIT,
    ERR_EVIDENCE_TITLE,
    ERR_INCOMPLETE,
    ERR_MEASURED_LEAF,
    ERR_NOT_APPRAISABLE,
    ERR_NOT_SUBMITTABLE,
    ERR_REASON_REQUIRED,
    ERR_REASON_UNIT_REOPEN,
    ERR_RETURN_DEADLINE,
    ERR_RETURN_DEADLINE_PAST,
    ERR_RETURN_MESSAGE,
    ERR_UNSCORED,
    REASON_SELF,
    EvaluationError,
    _frozen,
    _locked_cycle_unit,
    _locked_score,
    _mark_in_progress,
    _points,
    _require_self_editable,
    _save,
    _state_label,
    _status_label,
    appraisable,
    criterion_spec,
)
from cchc.frameworks.models import Criterion
from cchc.frameworks.spec import METHOD_EVIDENCE, METHOD_METRIC, METHOD_SURVEY
from cchc.units.permissions import require_action


@transaction.atomic
def self_assessment_set_score(*, score: Score, value, note: str = "", by: Person) -> Score:
    """The unit's own score for an evidence criterion (never negative, never above its max)."""
    score = _locked_score(score)
    cycle_unit = score.cycle_unit
    require_action(by, "edit", cycle_unit.unit)
    _require_self_editable(cycle_unit)
    criterion = score.criterion
    if criterion.method != METHOD_EVIDENCE:
        what = "số liệu đo được" if criterion.method == METHOD_METRIC else "kết quả điều tra"
        raise EvaluationError(
            ERR_MEASURED_LEAF.format(code=criterion.code, what=what),
            field="value",
            criterion=criterion.code,
        )
    points = _points(value, criterion)
    note = (note or "").strip()
    if points == score.self_score and note == score.self_note:
        return score
    score.self_score = points
    score.self_note = note
    score.self_scored_at = timezone.now()
    score.self_scored_by = by
    _save(score, note or REASON_SELF, by)
    _mark_in_progress(cycle_unit, by)
    return score


@transaction.atomic
def evidence_add(
    *,
    cycle_unit: CycleUnit,
    criterion: Criterion,
    title: str,
    by: Person,
    number_symbol: str = "",
    issued_on: dt.date | None = None,
    issuer: str = "",
    file=None,
) -> Evidence:
    """A supporting document (số, ký hiệu, ngày ban hành, cơ quan ban hành, tệp)."""
    cycle_unit = _locked_cycle_unit(cycle_unit)
    require_action(by, "edit", cycle_unit.unit)
    _require_self_editable(cycle_unit)
    if criterion.framework_id != cycle_unit.cycle.framework_id:
        raise EvaluationError(
            ERR_CRITERION_OTHER_FRAMEWORK.format(code=criterion.code), field="criterion"
        )
    if not title or not title.strip():
        raise EvaluationError(ERR_EVIDENCE_TITLE, field="title")
    evidence = Evidence(
        cycle_unit=cycle_unit,
        criterion=criterion,
        title=title.strip(),
        number_symbol=(number_symbol or "").strip(),
        issued_on=issued_on,
        issuer=(issuer or "").strip(),
        uploaded_by=by,
    )
    if file is not None:
        try:  # the one upload check (core/uploads.py), for the page and the API alike
            check_upload(file)
        except UploadRefused as error:
            raise EvaluationError(str(error), field="file") from None
        evidence.file = file
    _save(evidence, "Thêm tài liệu kiểm chứng", by)
    _mark_in_progress(cycle_unit, by)
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, by: Person, reason: str = "") -> None:
    """Remove a document from the self-assessment; history keeps the record (and the file
    stays in storage), so what an appraiser saw can still be shown."""
    cycle_unit = _locked_cycle_unit(evidence.cycle_unit)
    require_action(by, "edit", cycle_unit.unit)
    _require_self_editable(cycle_unit)
    if evidence.cycle_unit_id != cycle_unit.pk:
        raise EvaluationError(ERR_EVIDENCE_OTHER_UNIT.format(unit=cycle_unit.unit))
    mark_change(evidence, (reason or "Xóa tài liệu kiểm chứng"), by)
    evidence.delete()


def unscored_codes(cycle_unit: CycleUnit, *, final: bool) -> list[str]:
    """Leaves without a score: evidence leaves without a self score (final=False), or any
    leaf without a final score (appraised, self or measured; final=True)."""
    missing = []
    for score in cycle_unit.scores.select_related("criterion").order_by("criterion__position"):
        if final:
            if score.final_score is None:
                missing.append(score.criterion.code)
        elif score.criterion.method == METHOD_EVIDENCE and score.self_score is None:
            missing.append(score.criterion.code)
    return missing


@transaction.atomic
def self_assessment_submit(*, cycle_unit: CycleUnit, by: Person) -> CycleUnit:
    """The head sends the self-assessment to the appraisers (again, after a return)."""
    cycle_unit = _locked_cycle_unit(cycle_unit)
    require_action(by, "submit", cycle_unit.unit)
    _require_self_editable(cycle_unit, ERR_NOT_SUBMITTABLE)
    missing = unscored_codes(cycle_unit, final=False)
    if missing:
        raise EvaluationError(ERR_INCOMPLETE.format(codes=", ".join(missing)))
    resubmission = cycle_unit.status == CycleUnitStatus.RETURNED
    cycle_unit.status = CycleUnitStatus.SUBMITTED
    cycle_unit.submitted_at = timezone.now()
    cycle_unit.submitted_by = by
    _save(cycle_unit, "Gửi lại sau giải trình" if resubmission else "Gửi thẩm định", by)
    return cycle_unit


# --------------------------------------------------------------------------- appraisal


def _require_appraisable(cycle_unit: CycleUnit) -> None:
    _frozen(cycle_unit.cycle)
    if not appraisable(cycle_unit):
        raise _not_appraisable(cycle_unit)


def _reference_points(score: Score) -> Decimal | None:
    """What the unit claims for this leaf: its self score, or the measured points."""
    if score.self_score is not None:
        return score.self_score
    if score.measured_value is None:
        return None
    node = criterion_spec(score.criterion)
    if node.method == METHOD_METRIC:
        return metric_points(node, score.measured_value)
    if node.method == METHOD_SURVEY:
        return survey_points(node, score.measured_value)
    return None


@transaction.atomic
def appraisal_set_score(*, score: Score, value, reason: str = "", by: Person) -> Score:
    """The appraised score; a reason is required whenever it differs from the unit's own
    score (DESIGN: review is a conversation). ``value`` None clears the appraised score."""
    score = _locked_score(score)
    cycle_unit = score.cycle_unit
    require_action(by, "appraise", cycle_unit.unit)
    _require_appraisable(cycle_unit)
    points = _points(value, score.criterion)
    reason = (reason or "").strip()
    reference = _reference_points(score)
    if points is not None and points != reference and not reason:
        raise EvaluationError(
            ERR_REASON_REQUIRED.format(
                code=score.criterion.code,
                value=vn_number(points),
                self_score="(chưa chấm)" if reference is None else vn_number(reference),
            ),
            field="reason",
            criterion=score.criterion.code,
        )
    if points == score.appraised_score and reason == score.appraisal_reason:
        return score
    score.appraised_score = points
    score.appraisal_reason = reason
    score.appraised_at = timezone.now()
    score.appraised_by = by
    _save(score, reason or "Thẩm định: giữ điểm tự chấm", by)
    return score


def _not_appraisable(cycle_unit: CycleUnit) -> EvaluationError:
    """The refusal naming the unit, the cycle's state and the unit's status."""
    return EvaluationError(
        ERR_NOT_APPRAISABLE.format(
            unit=cycle_unit.unit,
            state=_state_label(cycle_unit.cycle.state),
            status=_status_label(cycle_unit.status),
        )
    )


@transaction.atomic
def appraisal_return(
    *, cycle_unit: CycleUnit, message: str, deadline: dt.date | None, by: Person
) -> CycleUnit:
    """Return the self-assessment to the unit for explanation (giải trình) by a deadline."""
    cycle_unit = _locked_cycle_unit(cycle_unit)
    require_action(by, "appraise", cycle_unit.unit)
    _require_appraisable(cycle_unit)
    if cycle_unit.status == CycleUnitStatus.RETURNED:
        raise _not_appraisable(cycle_unit)
    if not message or not message.strip():
        raise EvaluationError(ERR_RETURN_MESSAGE, field="message")
    if deadline is None:
        raise EvaluationError(ERR_RETURN_DEADLINE, field="deadline")
    if deadline < timezone.localdate():
        raise EvaluationError(
            ERR_RETURN_DEADLINE_PAST.format(deadline=vn_date(deadline)), field="deadline"
        )
    cycle_unit.status = CycleUnitStatus.RETURNED
    cycle_unit.return_message = message.strip()
    cycle_unit.returned_deadline = deadline
    cycle_unit.returned_at = timezone.now()
    cycle_unit.returned_by = by
    _save(cycle_unit, f"Trả lại để giải trình: {message.strip()}", by)
    return cycle_unit


@transaction.atomic
def appraisal_finalise_unit(*, cycle_unit: CycleUnit, by: Person) -> CycleUnit:
    """The appraisal of one unit is done: every leaf has a final score."""
    cycle_unit = _locked_cycle_unit(cycle_unit)
    require_action(by, "appraise", cycle_unit.unit)
    _require_appraisable(cycle_unit)
    missing = unscored_codes(cycle_unit, final=True)
    if missing:
        raise EvaluationError(ERR_UNSCORED.format(unit=cycle_unit.unit, codes=", ".join(missing)))
    cycle_unit.status = CycleUnitStatus.APPRAISED
    cycle_unit.appraised_at = timezone.now()
    cycle_unit.appraised_by = by
    _save(cycle_unit, "Thẩm định xong", by)
    return cycle_unit


@transaction.atomic
def appraisal_reopen_unit(*, cycle_unit: CycleUnit, by: Person, reason: str) -> CycleUnit:
    """Reopen a unit's finished appraisal while the cycle is still in appraisal."""
    cycle_unit = _locked_cycle_unit(cycle_unit)
    require_action(by, "appraise", cycle_unit.unit)
    _frozen(cycle_unit.cycle)
    if (
        cycle_unit.cycle.state != CycleState.APPRAISAL
        or cycle_unit.status != CycleUnitStatus.APPRAISED
    ):
        raise _not_appraisable(cycle_unit)
    if not reason or not reason.strip():
        raise EvaluationError(ERR_REASON_UNIT_REOPEN, field="reason")
    cycle_unit.status = CycleUnitStatus.SUBMITTED
    _save(cycle_unit, f"Mở lại thẩm định: {reason.strip()}", by)
    return cycle_unit
