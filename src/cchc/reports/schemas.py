from __future__ import annotations

import datetime as dt

from ninja import Schema


class Error(Schema):
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
    unit: int
    kind: str
    period: str
    cycle: int | None = None
    inspection: int | None = None


class NarrativeIn(Schema):
    basis: str | None = None
    activities: str | None = None
    strengths: str | None = None
    weaknesses: str | None = None
    causes: str | None = None
    directions: str | None = None
    number: str | None = None
    issued_on: dt.date | None = None
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
    year: int
    units: list[int] | None = None
    columns: list[int] | None = None


class RemindOut(Schema):
    sent: int
