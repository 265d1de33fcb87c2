"""Messages, the error type and the helpers every evaluation service shares."""

from __future__ import annotations

from decimal import Decimal

from cchc.core.history import save_with_history as _save
from cchc.core.people import Person
from cchc.evaluations.models import (
    Cycle,
    CycleState,
    CycleUnit,
    CycleUnitStatus,
    Score,
)
from cchc.evaluations.scoring import (
    ScoreError,
    check_points,
    parse_points,
)
from cchc.frameworks.models import Criterion
from cchc.units.permissions import require_action

# --------------------------------------------------------------------------- messages

ERR_NOT_EDITABLE = (
    "Không thể sửa bản tự đánh giá của {unit}: kỳ đánh giá đang ở trạng thái “{state}” "
    "và đơn vị ở trạng thái “{status}”."
)
ERR_NOT_SUBMITTABLE = (
    "Không thể gửi bản tự đánh giá của {unit}: kỳ đánh giá đang ở trạng thái “{state}” "
    "và đơn vị ở trạng thái “{status}”."
)
ERR_INCOMPLETE = "Chưa chấm điểm các tiêu chí: {codes}. Chấm đủ rồi mới gửi."
ERR_MEASURED_LEAF = (
    "tiêu chí {code}: điểm được tính từ {what}, không tự chấm. Tổ thẩm định có thể điều chỉnh "
    "khi cần."
)
ERR_CRITERION_OTHER_FRAMEWORK = "Tiêu chí {code} không thuộc bộ chỉ số của kỳ đánh giá này."
ERR_REASON_REQUIRED = (
    "tiêu chí {code}: điểm thẩm định {value} khác điểm tự chấm {self_score}, phải nêu lý do."
)
ERR_NOT_APPRAISABLE = (
    "Không thể thẩm định {unit}: kỳ đánh giá đang ở trạng thái “{state}” và đơn vị ở "
    "trạng thái “{status}”."
)
ERR_RETURN_MESSAGE = "Phải nêu nội dung cần giải trình."
ERR_RETURN_DEADLINE = "Phải đặt hạn giải trình."
ERR_RETURN_DEADLINE_PAST = "Hạn giải trình {deadline} đã qua."
ERR_UNSCORED = "{unit}: chưa có điểm ở các tiêu chí {codes}."
ERR_NOT_APPRAISED = "Các đơn vị chưa thẩm định xong: {units}."
ERR_REASON_TO_REOPEN = "Phải nêu lý do khi đưa kỳ đánh giá về trạng thái trước."
ERR_REASON_UNIT_REOPEN = "Phải nêu lý do khi mở lại kết quả thẩm định của đơn vị."
ERR_TRANSITION = "Không thể chuyển kỳ đánh giá từ “{from_}” sang “{to}”."
ERR_PUBLISHED_FROZEN = (
    "Kết quả đã công bố theo Quyết định {decision}: không thể thay đổi. "
    "Muốn điều chỉnh phải ban hành quyết định mới (kỳ đánh giá mới)."
)
ERR_PUBLISH_NEEDS_DECISION = "Công bố kết quả cần số và ngày quyết định: dùng chức năng công bố."
ERR_DECISION_NO = "Phải nhập số quyết định công bố."
ERR_DECISION_DATE = "Phải nhập ngày quyết định công bố."
ERR_NO_UNITS = "Kỳ đánh giá chưa có đơn vị nào."
ERR_UNIT_OUTSIDE = "Đơn vị {unit} không thuộc phạm vi quản lý của đơn vị tổ chức {organiser}."
ERR_UNIT_TWICE = "Đơn vị {unit} đã có trong kỳ đánh giá."
ERR_MEASURE_PERIOD = "Ngày bắt đầu lấy số liệu phải trước hoặc bằng ngày kết thúc."
ERR_ONLY_DRAFT = "Chỉ thêm hoặc bớt đơn vị khi kỳ đánh giá còn là dự thảo."
ERR_NAME = "Phải đặt tên kỳ đánh giá."
ERR_EVIDENCE_TITLE = "Phải nhập trích yếu của tài liệu."
ERR_EVIDENCE_OTHER_UNIT = "Tài liệu này không thuộc đơn vị {unit}."
ERR_REMEDIATION_STATE = "Nghĩa vụ khắc phục đang ở trạng thái “{status}”."
ERR_REMEDIATION_PLAN = "Phải gửi kèm tệp kế hoạch khắc phục hoặc ghi chú."
ERR_FROZEN_MEASURE = "Kỳ đánh giá đã chốt: số liệu không cập nhật nữa."

ERR_DECIMALS = "tiêu chí {code}: điểm ghi tối đa 4 chữ số thập phân."

REASON_SELF = "Tự chấm điểm"
REASON_MEASURED = "Cập nhật số liệu đo được"


_POINTS_QUANTUM = Decimal("0.0001")  # the Score columns keep 4 decimals


class EvaluationError(ValueError):
    """A rule of the evaluation refused the change (nothing was changed).

    ``field``: the input it is about (value, reason, message, deadline…) when there is one;
    ``criterion``: the criterion code when it is about one.
    """

    def __init__(self, message: str, *, field: str | None = None, criterion: str | None = None):
        self.message = message
        self.field = field
        self.criterion = criterion
        super().__init__(message)


# --------------------------------------------------------------------------- helpers


def require_cycle_admin(by: Person, cycle: Cycle) -> None:
    """Administering a cycle = administering its organiser unit."""
    require_action(by, "administer", cycle.organiser)


def _state_label(state: str) -> str:
    return CycleState(state).label


def _status_label(status: str) -> str:
    return CycleUnitStatus(status).label


def _locked_cycle(cycle: Cycle) -> Cycle:
    return (
        Cycle.objects.select_for_update().select_related("organiser", "framework").get(pk=cycle.pk)
    )


def _locked_cycle_unit(cycle_unit: CycleUnit) -> CycleUnit:
    return (
        CycleUnit.objects.select_for_update()
        .select_related("cycle", "unit", "cycle__organiser", "cycle__framework")
        .get(pk=cycle_unit.pk)
    )


def _locked_score(score: Score) -> Score:
    return (
        Score.objects.select_for_update()
        .select_related(
            "criterion",
            "cycle_unit",
            "cycle_unit__cycle",
            "cycle_unit__unit",
            "cycle_unit__cycle__framework",
        )
        .get(pk=score.pk)
    )


def _frozen(cycle: Cycle) -> None:
    if cycle.state == CycleState.PUBLISHED:
        raise EvaluationError(ERR_PUBLISHED_FROZEN.format(decision=cycle.decision_no))


def _points(value, criterion: Criterion) -> Decimal | None:
    """Parse and check a score: never negative, never above the criterion's max."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = parse_points(value, criterion.code)
        check_points(criterion_spec(criterion), number)
    except ScoreError as error:
        raise EvaluationError(str(error), field="value", criterion=criterion.code) from None
    if number != number.quantize(_POINTS_QUANTUM):
        raise EvaluationError(
            ERR_DECIMALS.format(code=criterion.code), field="value", criterion=criterion.code
        )
    return number.quantize(_POINTS_QUANTUM)


def criterion_spec(criterion: Criterion):
    return criterion.framework.spec().node(criterion.code)


def self_editable(cycle_unit: CycleUnit) -> bool:
    """The unit may change its self-assessment now (scores, notes, evidence)."""
    state, status = cycle_unit.cycle.state, cycle_unit.status
    if status == CycleUnitStatus.RETURNED:
        return state in (CycleState.SELF_ASSESSMENT, CycleState.APPRAISAL)
    return state == CycleState.SELF_ASSESSMENT and status in (
        CycleUnitStatus.NOT_STARTED,
        CycleUnitStatus.IN_PROGRESS,
    )


def appraisable(cycle_unit: CycleUnit) -> bool:
    """Appraisers may change appraised scores now (the cycle is in appraisal and the unit's
    appraisal is not closed)."""
    return cycle_unit.cycle.state == CycleState.APPRAISAL and cycle_unit.status not in (
        CycleUnitStatus.APPRAISED,
        CycleUnitStatus.FINALISED,
    )


def _require_self_editable(cycle_unit: CycleUnit, refusal: str = ERR_NOT_EDITABLE) -> None:
    """The cycle is not frozen and the unit may still work on its self-assessment; else the
    refusal (editing by default, or submitting) naming the unit, cycle state and status."""
    _frozen(cycle_unit.cycle)
    if not self_editable(cycle_unit):
        raise EvaluationError(
            refusal.format(
                unit=cycle_unit.unit,
                state=_state_label(cycle_unit.cycle.state),
                status=_status_label(cycle_unit.status),
            )
        )


def _mark_in_progress(cycle_unit: CycleUnit, by: Person) -> None:
    if cycle_unit.status == CycleUnitStatus.NOT_STARTED:
        cycle_unit.status = CycleUnitStatus.IN_PROGRESS
        _save(cycle_unit, "Bắt đầu tự đánh giá", by)
