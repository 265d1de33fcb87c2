from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Schema
from pydantic import Field

from cchc.core.bounds import Date, Id, Year


class ReportError(Schema):
    detail: str
    errors: list[dict] = []


class FileOut(Schema):
    id: int
    format: str
    generated_at: dt.datetime
    checksum: str
    size: int
    filed: bool
    download_url: str


class ReportOut(Schema):
    id: int
    kind: str
    kind_label: str
    unit_id: int
    unit_name: str
    period_code: str
    period_start: dt.date
    period_end: dt.date
    status: str
    submitted_at: dt.datetime | None
    submitted_to_id: int | None
    files: list[FileOut] = []


class ReportIn(Schema):
    unit: Id
    kind: str
    period: str
    cycle: Id | None = None
    inspection: Id | None = None


class NarrativeIn(Schema):
    basis: str | None = None
    activities: str | None = None
    strengths: str | None = None
    weaknesses: str | None = None
    causes: str | None = None
    directions: str | None = None
    number: str | None = None
    issued_on: Date | None = None
    signer_name: str | None = None


class GenerateIn(Schema):
    format: str = "pdf"


class FilingCellOut(Schema):
    column: str
    period: str
    due_on: dt.date
    status: str
    submitted_on: dt.date | None
    report_id: int | None
    reminded_on: dt.date | None


class FilingRowOut(Schema):
    unit_id: int
    unit_name: str
    cells: list[FilingCellOut]


class FilingOut(Schema):
    unit_id: int
    year: int
    today: dt.date
    columns: list[str]
    rows: list[FilingRowOut]


class RemindIn(Schema):
    year: Year
    units: list[Id] | None = None
    columns: list[Annotated[int, Field(ge=0, le=100)]] | None = None  # column indexes


class RemindOut(Schema):
    sent: int
