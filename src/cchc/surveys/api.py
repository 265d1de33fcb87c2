"""Survey results API (/api/surveys/): list a cycle's results, set one, import a file."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import File, Router, Schema
from ninja.files import UploadedFile
from pydantic import ConfigDict

from cchc.core.bounds import Count, Id
from cchc.core.collation import vn_order
from cchc.core.job_api import JobAcceptedOut, job_accepted
from cchc.core.jobs import start_upload
from cchc.evaluations.api import refusals, unit_ref
from cchc.evaluations.schemas import ErrorOut, UnitRef
from cchc.evaluations.selectors import cycle_for
from cchc.surveys import selectors, services, tasks
from cchc.units.permissions import get_unit_for

router = Router(tags=["Điều tra XHH, SIPAS"])


class SurveyResultOut(Schema):
    id: int
    unit: UnitRef
    survey: str
    value: float
    respondents: int | None
    source_note: str
    entered_at: dt.datetime


class SurveyResultIn(Schema):
    model_config = ConfigDict(extra="forbid")

    unit_id: Id
    survey: str
    value: float | str
    respondents: Count | None = None
    source_note: str = ""


def _out(result) -> dict:
    return {
        "id": result.pk,
        "unit": unit_ref(result.unit),
        "survey": result.survey,
        "value": result.value,
        "respondents": result.respondents,
        "source_note": result.source_note,
        "entered_at": result.entered_at,
    }


@router.get(
    "/cycles/{cycle_id}/results",
    response=list[SurveyResultOut],
    summary="Kết quả điều tra của một kỳ đánh giá",
)
def result_list(request: HttpRequest, cycle_id: Id, survey: str | None = None):
    cycle = cycle_for(request.user, cycle_id)
    results = selectors.survey_results_for(request.user, cycle)
    if survey:
        results = results.filter(survey=survey)
    return [_out(r) for r in vn_order(results, "survey", "unit__name")]


@router.post(
    "/cycles/{cycle_id}/results",
    response={200: SurveyResultOut, 400: ErrorOut},
    summary="Nhập kết quả điều tra của một đơn vị (quản trị viên)",
)
@refusals
def result_set(request: HttpRequest, cycle_id: Id, payload: SurveyResultIn):
    cycle = cycle_for(request.user, cycle_id, "administer")
    unit = get_unit_for(request.user, payload.unit_id, "view")
    result = services.survey_result_set(
        cycle=cycle,
        unit=unit,
        survey=payload.survey,
        value=payload.value,
        respondents=payload.respondents,
        source_note=payload.source_note,
        by=request.user,
    )
    return _out(result)


@router.post(
    "/cycles/{cycle_id}/import",
    response={202: JobAcceptedOut, 400: ErrorOut},
    summary="Nhập kết quả điều tra từ CSV/XLSX (unit, survey, value), tất cả hoặc không: "
    "trả về công việc nền",
)
@refusals
def result_import(request: HttpRequest, cycle_id: Id, file: File[UploadedFile]):
    """The cycle is checked now (404, 403; 400 once finalised); the file is read by a
    background job, which ends with the counts or with every bad row (nothing stored)."""
    cycle = cycle_for(request.user, cycle_id, "administer")
    services.check_open(cycle)
    name = file.name or "ket-qua-dieu-tra.csv"
    job = start_upload(
        kind=tasks.JOB_KIND,
        title=f"Nhập kết quả điều tra từ tệp {name}",
        by=request.user,
        task=tasks.import_survey_results_task,
        upload=file,
        filename=name,
        params={"cycle_id": cycle.pk},
    )
    return job_accepted(job)
