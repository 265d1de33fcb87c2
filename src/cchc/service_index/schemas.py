"""Schemas of the service index API. Points and rates are decimals rounded half-up to 2
places (as JSON strings, so nothing is lost to binary floats); None means "no data"."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from cchc.core.bounds import Date, Id


class PeriodOut(Schema):
    start: dt.date
    end: dt.date
    label: str
    code: str


class IndexUnitRef(Schema):
    id: int
    name: str
    kind: str


class IndicatorOut(Schema):
    code: str
    title: str
    group: str
    max_points: Decimal
    numerator_name: str | None
    numerator_label: str
    numerator: int | None
    denominator_name: str | None
    denominator_label: str
    denominator: int | None
    rate: Decimal | None
    points: Decimal | None
    points_lost: Decimal | None
    status: str
    status_label: str
    rule: str
    data: str
    confidence: str
    source: str
    formula: str


class GroupOut(Schema):
    code: str
    title: str
    max_points: Decimal
    max_available: Decimal
    points: Decimal
    points_lost: Decimal


class IndexOut(Schema):
    unit: IndexUnitRef
    period: PeriodOut
    definition: str
    total: Decimal
    max_points: Decimal
    max_available: Decimal
    score_100: Decimal | None
    summary: str
    reachable: str
    rank: int | None
    rank_of: int | None
    loses_most: list[str] = Field(description="codes, most points lost first")
    groups: list[GroupOut]
    indicators: list[IndicatorOut]
    counts: dict[str, int]


class TrendOut(Schema):
    period: PeriodOut
    total: Decimal
    max_available: Decimal
    score_100: Decimal | None


class RankingRowOut(Schema):
    rank: int | None
    of: int
    unit: IndexUnitRef
    total: Decimal
    max_available: Decimal
    score_100: Decimal | None


class RankingOut(Schema):
    parent: IndexUnitRef
    period: PeriodOut
    units_ranked: int
    rows: list[RankingRowOut]


class PublicationOut(Schema):
    code: str
    name: str
    announced_on: dt.date | None
    announcement_no: str
    legal_basis_effective_on: dt.date | None
    announce_deadline: dt.date | None
    announced_on_time: bool | None
    published_on: dt.date | None
    publish_deadline: dt.date | None
    published_on_time: bool | None
    all_parts_published: bool | None
    problems: list[str]


class FeedbackHistoryOut(Schema):
    at: dt.datetime
    by: str | None
    reason: str


class FeedbackOut(Schema):
    id: int
    unit_id: int
    code: str
    received_on: dt.date
    channel: str
    sender_name: str
    sender_contact: str
    procedure_code: str | None
    rule_concerned: str
    dossier_code: str
    content: str
    classification: str
    status: str
    status_label: str
    assigned_to: str | None
    answer_due_on: dt.date
    refuse_due_on: dt.date
    supplement_due_on: dt.date
    publish_due_on: dt.date | None
    supplement_requested_on: dt.date | None
    refused_on: dt.date | None
    refusal_reason: str
    answered_on: dt.date | None
    answer: str
    published_on: dt.date | None
    published_where: str
    satisfaction: str | None
    repeat_complaint: bool
    next_step: str | None
    next_due: dt.date | None
    next_state: str | None
    history: list[FeedbackHistoryOut] | None = None


Channel = Literal["hom_thu", "cong_dvc", "truc_tiep", "dien_thoai"]
Classification = Literal[
    "hanh_vi", "khong_phu_hop", "khong_thong_nhat", "khong_hop_phap", "de_xuat", "khac"
]


class FeedbackIn(Schema):
    received_on: Date
    channel: Channel
    content: str = Field(min_length=1)
    classification: Classification = "khac"
    code: str = ""
    sender_name: str = ""
    sender_contact: str = ""
    procedure_code: str | None = None
    rule_concerned: str = ""
    dossier_code: str = ""
    assigned_to_id: Id | None = None


class AssignIn(Schema):
    assignee_id: Id
    note: str = ""


class AnswerIn(Schema):
    on: Date
    answer: str = Field(min_length=1)


class FeedbackPublishIn(Schema):
    on: Date
    where: str = ""


class RefuseIn(Schema):
    on: Date
    reason: str = Field(min_length=1)


class SupplementIn(Schema):
    on: Date
    note: str = ""


class SatisfactionIn(Schema):
    satisfaction: Literal["satisfied", "not_satisfied"] | None = None
    repeat_complaint: bool = False
    note: str = ""


class ErrorItem(Schema):
    field: str | None = None
    row: int | None = None
    column: str | None = None
    message: str
    value: str | None = None


class IndexErrorOut(Schema):
    detail: str
    errors: list[ErrorItem] = []
