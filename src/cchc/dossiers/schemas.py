"""Schemas of the dossier API (strict input: unknown fields are refused)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field

from cchc.core.bounds import Date, DateTime

Action = Literal["processing", "supplement", "supplied", "resolve", "return", "withdraw"]


class DossierStrict(Schema):
    model_config = ConfigDict(extra="forbid")


class ProcedureOut(Schema):
    id: int
    code: str
    name: str
    field: str
    level: str
    processing_days: int | None
    fee: Decimal
    online_class: str
    announcement_no: str
    announced_on: dt.date | None
    legal_basis_effective_on: dt.date | None
    published_on: dt.date | None
    all_parts_published: bool
    payment_integrated: bool
    paper_result_required: bool
    certification: bool
    active: bool


class DossierOut(Schema):
    id: int
    unit_id: int
    code: str
    procedure: str = Field(..., alias="procedure.code")
    applicant: str
    channel: str
    received_at: dt.datetime
    received_on: dt.date
    due_on: dt.date | None
    status: str
    finished_at: dt.datetime | None
    finished_on: dt.date | None
    clock_stopped_on: dt.date | None
    supplement_count: int
    late_by_rule: bool
    intake_digitized: str
    result_digitized: bool
    paid_online: bool
    deadline: str  # early, on_time, late, overdue, soon, in_time, stopped, no_due

    @staticmethod
    def resolve_deadline(obj) -> str:
        from cchc.dossiers.views.common import deadline_state

        return deadline_state(obj).code


class EventOut(Schema):
    id: int
    kind: str
    at: dt.datetime
    by: str | None
    from_status: str
    to_status: str
    new_due_on: dt.date | None
    reason: str

    @staticmethod
    def resolve_by(obj) -> str | None:
        if obj.by is None:
            return None
        profile = getattr(obj.by, "profile", None)
        return profile.full_name if profile else obj.by.get_username()


class DossierDetailOut(DossierOut):
    events: list[EventOut]


class DossierIn(DossierStrict):
    procedure: str = Field(..., description="mã thủ tục, ví dụ 1.001193")
    applicant: str = Field(..., min_length=1, max_length=300)
    channel: Literal["truc_tiep", "truc_tuyen", "buu_chinh"] = "truc_tiep"
    received_at: DateTime | None = Field(None, description="mặc định: bây giờ")
    code: str | None = Field(None, max_length=64, description="để trống: hệ thống cấp mã")
    intake_digitized: Literal["none", "partial", "full"] = "none"
    paid_online: bool = False
    reused_data: bool = False
    e_certified_copy: bool = False


class MoveIn(DossierStrict):
    action: Action
    at: DateTime | None = Field(None, description="mặc định: bây giờ")
    reason: str = Field("", max_length=2000)
    result_digitized: bool | None = None


class ApologyIn(DossierStrict):
    new_due_on: Date
    reason: str = Field(..., min_length=1, max_length=2000)


class DossierError(Schema):
    detail: str
    errors: list[dict] = []
