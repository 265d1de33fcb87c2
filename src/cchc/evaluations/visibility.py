"""What a person may see of an evaluation, decided here once for pages, API and exports.

- Appraisal (appraised scores, the appraisers' reasons, totals that include them): the
  appraisers and administrators of the unit always; the unit itself only when its sheet
  is returned for explanation or once the cycle is finalised or published (the council's
  work is not the unit's to read while it is under way).
- Results and rankings of a cycle: everyone who may see the cycle once published; before
  that the organiser's administrators only (DESIGN: results stay unpublished until
  published).

Access to the objects themselves is units/permissions.py (`can`, `require`); these rules
refine what of a visible object is shown, so they call `can` and nothing else.
"""

from __future__ import annotations

from cchc.core.people import Person
from cchc.evaluations.models import Cycle, CycleState, CycleUnit, CycleUnitStatus
from cchc.units.permissions import can

APPRAISAL_FIELDS = frozenset({"appraised_score", "appraisal_reason"})
ERR_RESULTS_UNPUBLISHED = (
    "Kết quả của kỳ đánh giá chưa được công bố: chỉ quản trị viên (Sở Nội vụ) xem được bảng "
    "xếp hạng trước khi công bố."
)

ERR_APPRAISAL_HIDDEN = (
    "Kết quả của đơn vị đang được thẩm định: đơn vị xem được khi hồ sơ được trả lại để giải "
    "trình hoặc khi kỳ đánh giá đã chốt kết quả."
)


def appraisal_visible(user: Person, cycle_unit: CycleUnit) -> bool:
    if can(user, "appraise", cycle_unit.unit) or can(user, "administer", cycle_unit.unit):
        return True
    return cycle_unit.status == CycleUnitStatus.RETURNED or cycle_unit.cycle.state in (
        CycleState.FINALISED,
        CycleState.PUBLISHED,
    )


def unit_result_visible(user: Person, cycle_unit: CycleUnit) -> bool:
    """The unit's result card: its totals include appraised scores once there are any, so
    while the appraisal is hidden from the unit the card is too (before appraisal the card
    is the unit's own provisional figure)."""
    if appraisal_visible(user, cycle_unit):
        return True
    return not cycle_unit.scores.filter(appraised_score__isnull=False).exists()


def results_visible(user: Person, cycle: Cycle) -> bool:
    return cycle.state == CycleState.PUBLISHED or can(user, "administer", cycle.organiser)


def visible_history(user: Person, cycle_unit: CycleUnit, rows: list) -> list:
    """The score history without the appraisers' entries while they are not the unit's."""
    if appraisal_visible(user, cycle_unit):
        return rows
    return [r for r in rows if r.field not in APPRAISAL_FIELDS]
