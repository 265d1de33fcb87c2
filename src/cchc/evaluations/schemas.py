"""Input and output shapes of the evaluations API (src/cchc/evaluations/api.py)."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import ConfigDict

from cchc.core.bounds import Date

# Points go out as JSON numbers (at most 4 decimals, exact as floats print them); the
# results endpoints print Decimals exactly, as `cchc score` does.


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class UnitRef(Schema):
    id: int
    code: str
    name: str
    kind: str


class TransitionOut(Schema):
    from_state: str
    to_state: str
    at: dt.datetime
    by: str | None
    reason: str
    reopening: bool


class CycleOut(Schema):
    id: int
    year: int
    name: str
    state: str
    state_label: str
    framework: str
    organiser: UnitRef
    appraising_body: UnitRef | None
    measure_start: dt.date
    measure_end: dt.date
    self_assessment_deadline: dt.date | None
    appraisal_deadline: dt.date | None
    remediation_deadline: dt.date | None
    decision_no: str
    decision_date: dt.date | None
    published_at: dt.datetime | None


class CycleDetailOut(CycleOut):
    transitions: list[TransitionOut]
    units: int


class CycleUnitOut(Schema):
    id: int
    cycle_id: int
    unit: UnitRef
    block: str
    status: str
    status_label: str
    submitted_at: dt.datetime | None
    returned_deadline: dt.date | None
    return_message: str


class EvidenceOut(Schema):
    id: int
    criterion: str
    title: str
    number_symbol: str
    issued_on: dt.date | None
    issuer: str
    file_url: str | None
    uploaded_at: dt.datetime


class ScoreOut(Schema):
    id: int
    criterion: str
    max: float
    self_score: float | None
    self_note: str
    appraised_score: float | None
    appraisal_reason: str
    measured_value: float | None
    measured_points: float | None
    final: float | None


class SheetRowOut(Schema):
    code: str
    title: str
    depth: int
    max: float
    method: str
    is_leaf: bool
    self_total: float | None
    final: float | None  # None while the appraisal is not the reader's to see
    score: ScoreOut | None
    evidence: list[EvidenceOut]


class CompletenessOut(Schema):
    leaves: int
    scored: int
    evidence_leaves: int
    with_evidence: int
    missing: list[str]
    without_evidence: list[str]


class SheetOut(Schema):
    cycle_unit: CycleUnitOut
    framework: str
    self_total: float
    final_total: float | None  # None while the appraisal is not the reader's to see
    max: float
    index: float | None
    can_edit: bool
    can_appraise: bool
    completeness: CompletenessOut
    rows: list[SheetRowOut]


class SelfScoreIn(Strict):
    value: float | str | None
    note: str = ""


class AppraisedScoreIn(Strict):
    value: float | str | None
    reason: str = ""


class ReturnIn(Strict):
    message: str
    deadline: Date | None


class TransitionIn(Strict):
    to_state: str
    reason: str = ""


class PublishIn(Strict):
    decision_no: str
    decision_date: Date


class HistoryOut(Schema):
    criterion: str
    title: str
    field: str
    label: str
    old: str | None
    new: str | None
    who: str
    when: dt.datetime
    why: str


class RemediationOut(Schema):
    id: int
    cycle_id: int
    unit: UnitRef
    components: list[str]
    by_grade: bool
    deadline: dt.date
    status: str
    status_label: str
    submitted_at: dt.datetime | None


class ErrorOut(Schema):
    detail: str
    errors: list[dict] = []
