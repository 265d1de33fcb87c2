"""State changes of an evaluation cycle, each a named operation in one transaction.

Who may do what (cchc.units.permissions decides; nothing here re-implements it):
- administrator of the cycle's organiser unit: opens the cycle, moves it through
  draft → self_assessment → appraisal → finalised → published, and is the only one who may
  move it back (with a reason); enters survey results;
- officer or head of a unit ("edit"): self scores, notes and evidence while the cycle is in
  self-assessment and the unit has not submitted, or while the unit is returned for
  explanation (giải trình);
- head ("submit"): submits the self-assessment;
- appraiser assigned to the unit ("appraise"): appraised scores (a reason whenever the score
  differs from the self score), return for explanation, finalising the unit's appraisal.

Every change is kept in history (django-simple-history) with who and why; transitions of a
cycle are also listed in CycleTransition. After publication nothing changes.
"""

from __future__ import annotations

from cchc.evaluations.services.common import (
    ERR_CRITERION_OTHER_FRAMEWORK,
    ERR_DECIMALS,
    ERR_DECISION_DATE,
    ERR_DECISION_NO,
    ERR_EVIDENCE_OTHER_UNIT,
    ERR_EVIDENCE_TITLE,
    ERR_FROZEN_MEASURE,
    ERR_INCOMPLETE,
    ERR_MEASURE_PERIOD,
    ERR_MEASURED_LEAF,
    ERR_NAME,
    ERR_NO_UNITS,
    ERR_NOT_APPRAISABLE,
    ERR_NOT_APPRAISED,
    ERR_NOT_EDITABLE,
    ERR_NOT_SUBMITTABLE,
    ERR_ONLY_DRAFT,
    ERR_PUBLISH_NEEDS_DECISION,
    ERR_PUBLISHED_FROZEN,
    ERR_REASON_REQUIRED,
    ERR_REASON_TO_REOPEN,
    ERR_REASON_UNIT_REOPEN,
    ERR_REMEDIATION_PLAN,
    ERR_REMEDIATION_STATE,
    ERR_RETURN_DEADLINE,
    ERR_RETURN_DEADLINE_PAST,
    ERR_RETURN_MESSAGE,
    ERR_TRANSITION,
    ERR_UNIT_OUTSIDE,
    ERR_UNIT_TWICE,
    ERR_UNSCORED,
    REASON_MEASURED,
    REASON_SELF,
    EvaluationError,
    appraisable,
    criterion_spec,
    require_cycle_admin,
    self_editable,
)
from cchc.evaluations.services.cycles import (
    cycle_add_unit,
    cycle_correct,
    cycle_finalise,
    cycle_open,
    cycle_publish,
    cycle_remove_unit,
    cycle_reopen,
    cycle_transition,
    cycle_update,
)
from cchc.evaluations.services.measured import (
    MeasuredLeaf,
    cycle_metrics_refresh,
    metrics_refresh,
    refresh_measured,
)
from cchc.evaluations.services.remediation import (
    remediation_accept,
    remediation_submit,
)
from cchc.evaluations.services.units import (
    appraisal_finalise_unit,
    appraisal_reopen_unit,
    appraisal_return,
    appraisal_set_score,
    evidence_add,
    evidence_remove,
    self_assessment_set_score,
    self_assessment_submit,
    unscored_codes,
)

__all__ = [
    "ERR_NOT_EDITABLE",
    "ERR_NOT_SUBMITTABLE",
    "ERR_INCOMPLETE",
    "ERR_MEASURED_LEAF",
    "ERR_CRITERION_OTHER_FRAMEWORK",
    "ERR_REASON_REQUIRED",
    "ERR_NOT_APPRAISABLE",
    "ERR_RETURN_MESSAGE",
    "ERR_RETURN_DEADLINE",
    "ERR_RETURN_DEADLINE_PAST",
    "ERR_UNSCORED",
    "ERR_NOT_APPRAISED",
    "ERR_REASON_TO_REOPEN",
    "ERR_REASON_UNIT_REOPEN",
    "ERR_TRANSITION",
    "ERR_PUBLISHED_FROZEN",
    "ERR_PUBLISH_NEEDS_DECISION",
    "ERR_DECISION_NO",
    "ERR_DECISION_DATE",
    "ERR_NO_UNITS",
    "ERR_UNIT_OUTSIDE",
    "ERR_UNIT_TWICE",
    "ERR_MEASURE_PERIOD",
    "ERR_ONLY_DRAFT",
    "ERR_NAME",
    "ERR_EVIDENCE_TITLE",
    "ERR_EVIDENCE_OTHER_UNIT",
    "ERR_REMEDIATION_STATE",
    "ERR_REMEDIATION_PLAN",
    "ERR_FROZEN_MEASURE",
    "ERR_DECIMALS",
    "REASON_SELF",
    "REASON_MEASURED",
    "EvaluationError",
    "require_cycle_admin",
    "criterion_spec",
    "self_editable",
    "appraisable",
    "cycle_open",
    "cycle_add_unit",
    "cycle_remove_unit",
    "cycle_update",
    "cycle_transition",
    "cycle_reopen",
    "cycle_finalise",
    "cycle_correct",
    "cycle_publish",
    "self_assessment_set_score",
    "evidence_add",
    "evidence_remove",
    "unscored_codes",
    "self_assessment_submit",
    "appraisal_set_score",
    "appraisal_return",
    "appraisal_finalise_unit",
    "appraisal_reopen_unit",
    "MeasuredLeaf",
    "refresh_measured",
    "metrics_refresh",
    "cycle_metrics_refresh",
    "remediation_submit",
    "remediation_accept",
]
