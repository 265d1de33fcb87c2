"""The reports API, mounted at /api/reports/: list, open, edit the text, generate, download,
submit; the filing status of the units under a unit and reminders.

Same rules as the pages: every handler starts with the permission-scoped fetch.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Router, Status

from cchc.core.bounds import Id, Year
from cchc.dossiers.periods import PeriodError
from cchc.reports import generate, kinds, selectors, services
from cchc.reports.filing import filing_matrix
from cchc.reports.models import Report
from cchc.reports.schemas import (
    FileOut,
    FilingOut,
    GenerateIn,
    NarrativeIn,
    RemindIn,
    RemindOut,
    ReportError,
    ReportIn,
    ReportOut,
)
from cchc.reports.sources import SourceError
from cchc.units.permissions import get_unit_for

router = Router(tags=["Báo cáo"])


def _file(item) -> dict:
    return {
        "id": item.pk,
        "format": item.format,
        "generated_at": item.generated_at,
        "checksum": item.checksum,
        "size": item.size,
        "filed": item.filed,
        "download_url": reverse("api:reports_download", args=[item.pk]),
    }


def _report(report: Report, *, files: bool = True) -> dict:
    return {
        "id": report.pk,
        "kind": report.kind,
        "kind_label": report.kind_spec.label,
        "unit_id": report.unit_id,
        "unit_name": report.unit.name,
        "period_code": report.period_code,
        "period_start": report.period_start,
        "period_end": report.period_end,
        "status": report.status,
        "submitted_at": report.submitted_at,
        "submitted_to_id": report.submitted_to_id,
        "files": [_file(f) for f in selectors.files_of(report)] if files else [],
    }


def _invalid(message: str, field: str | None = None):
    return Status(422, {"detail": message, "errors": [{"field": field, "message": message}]})


@router.get("/", response=list[ReportOut], summary="Các báo cáo của một đơn vị")
def report_list(request: HttpRequest, unit: Id):
    target = get_unit_for(request.user, unit, "view")
    return [_report(r, files=False) for r in selectors.reports_of(target)]


@router.post(
    "/", response={200: ReportOut, 422: ReportError}, summary="Lập (hoặc mở) báo cáo của một kỳ"
)
def report_open(request: HttpRequest, payload: ReportIn):
    unit = get_unit_for(request.user, payload.unit, "edit")
    cycle = inspection = None
    if payload.cycle:
        from cchc.evaluations.models import Cycle

        cycle = Cycle.objects.filter(pk=payload.cycle).first()
        if cycle is None:
            return _invalid("Không có kỳ đánh giá này.", "cycle")
    if payload.inspection:
        from cchc.plans.models import Inspection

        inspection = Inspection.objects.filter(pk=payload.inspection, organiser=unit).first()
        if inspection is None:
            return _invalid("Không có đợt tự kiểm tra này của đơn vị.", "inspection")
    try:
        report = services.report_open(
            unit=unit,
            kind=payload.kind,
            period_code=payload.period,
            by=request.user,
            cycle=cycle,
            inspection=inspection,
        )
    except kinds.KindError as error:
        return _invalid(str(error), "kind" if "Loại" in str(error) else "period")
    except PeriodError as error:
        return _invalid(str(error), "period")
    except ValidationError as error:
        return _invalid(" ".join(error.messages))
    return _report(report)


@router.get("/{report_id}", response=ReportOut, summary="Một báo cáo và các tệp đã tạo")
def report_detail(request: HttpRequest, report_id: Id):
    return _report(selectors.report_for(request.user, report_id, "view"))


@router.patch(
    "/{report_id}", response={200: ReportOut, 422: ReportError}, summary="Sửa phần lời của báo cáo"
)
def report_update(request: HttpRequest, report_id: Id, payload: NarrativeIn):
    report = selectors.report_for(request.user, report_id, "edit")
    data = {k: v for k, v in payload.dict(exclude_unset=True).items()}
    try:
        report = services.report_update(report=report, data=data, by=request.user)
    except ValidationError as error:
        return _invalid(" ".join(error.messages))
    return _report(report)


@router.post(
    "/{report_id}/generate",
    response={200: FileOut, 422: ReportError},
    summary="Tạo tệp DOCX hoặc PDF từ số liệu hiện tại",
)
def report_generate(request: HttpRequest, report_id: Id, payload: GenerateIn):
    report = selectors.report_for(request.user, report_id, "edit")
    if payload.format not in generate.FORMATS:
        return _invalid(generate.ERR_FORMAT.format(fmt=payload.format), "format")
    try:
        item = services.report_generate(report=report, fmt=payload.format, by=request.user)
    except SourceError as error:
        return _invalid(str(error))
    except ValidationError as error:
        return _invalid(" ".join(error.messages))
    return _file(item)


@router.post(
    "/{report_id}/submit", response={200: ReportOut, 422: ReportError}, summary="Gửi cấp trên"
)
def report_submit(request: HttpRequest, report_id: Id):
    report = selectors.report_for(request.user, report_id, "submit")
    try:
        report = services.report_submit(report=report, by=request.user)
    except SourceError as error:
        return _invalid(str(error))
    except ValidationError as error:
        return _invalid(" ".join(error.messages))
    return _report(report)


@router.get("/files/{file_id}/download", url_name="reports_download", summary="Tải tệp")
def file_download(request: HttpRequest, file_id: Id):
    item = selectors.file_for(request.user, file_id)
    return FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=item.filename,
        content_type=generate.CONTENT_TYPES.get(item.format, "application/octet-stream"),
    )


@router.get(
    "/filing/{unit_id}",
    response=FilingOut,
    summary="Tình hình nộp báo cáo định kỳ của các đơn vị trực thuộc",
)
def filing_status(request: HttpRequest, unit_id: Id, year: Year | None = None):
    unit = get_unit_for(request.user, unit_id, "view")
    selectors.require_level_above(request.user, unit)
    today = timezone.localdate()
    matrix = filing_matrix(unit, year or today.year, today=today)
    return {
        "unit_id": unit.pk,
        "year": matrix.year,
        "today": today,
        "columns": [c.label for c in matrix.columns],
        "rows": [
            {
                "unit_id": row.unit.pk,
                "unit_name": row.unit.name,
                "cells": [
                    {
                        "column": cell.column.label,
                        "period": cell.period.code,
                        "due_on": cell.due_on,
                        "status": cell.status,
                        "submitted_on": cell.submitted_on,
                        "report_id": cell.report.pk if cell.report else None,
                        "reminded_on": cell.reminded_on,
                    }
                    for cell in row.cells
                ],
            }
            for row in matrix.rows
        ],
    }


@router.post(
    "/filing/{unit_id}/remind",
    response=RemindOut,
    summary="Nhắc các đơn vị chưa nộp báo cáo (tối đa một lần mỗi ngày)",
)
def filing_remind(request: HttpRequest, unit_id: Id, payload: RemindIn):
    unit = get_unit_for(request.user, unit_id, "view")
    selectors.require_level_above(request.user, unit)
    sent = services.reminders_send(
        parent=unit,
        year=payload.year,
        by=request.user,
        unit_ids=payload.units,
        columns=payload.columns,
    )
    return {"sent": sent}
