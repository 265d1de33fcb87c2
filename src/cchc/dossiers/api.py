"""The dossier API, mounted at /api/dossiers/: the catalogue, a unit's dossiers and their
moves, the statistics of form 06/VPCP/KSTT (issue 3's JSON), bulk import jobs.

Same rules as the pages: every handler starts with the permission-scoped fetch
(get_unit_for); errors are JSON naming the field.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import File, Query, Router, Schema
from ninja import Status as Reply
from ninja.files import UploadedFile

from cchc.core.bounds import MAX_INT64, Date, Id
from cchc.core.job_api import JobAcceptedOut, JobOut, job_accepted, job_out
from cchc.core.jobs import start_upload
from cchc.core.reaper import reap_job
from cchc.dossiers import services
from cchc.dossiers.forms import current_reporting_year
from cchc.dossiers.models import Dossier, DossierEvent, Procedure
from cchc.dossiers.periods import PeriodError, custom_period, parse_period, period_for
from cchc.dossiers.schemas import (
    ApologyIn,
    DossierDetailOut,
    DossierError,
    DossierIn,
    DossierOut,
    EventOut,
    MoveIn,
    ProcedureOut,
)
from cchc.dossiers.tasks import import_dossiers_task
from cchc.dossiers.views.common import MOVES_BY_ACTION, apply_move, move_refusal
from cchc.dossiers.views.imports import JOB_KIND, NO_DESK
from cchc.dossiers.views.statistics import build_report, report_json, up_to_today
from cchc.units import permissions
from cchc.units.permissions import get_unit_for

router = Router(tags=["Hồ sơ TTHC"])

MAX_LIMIT = 500
ERR_UNKNOWN_PROCEDURE = "Không có thủ tục mã '{code}' trong danh mục."
ERR_FILE_TYPE = "Chỉ nhận tệp .csv hoặc .xlsx."
ERR_PERIOD_AND_DATES = "Dùng period hoặc from/to, không dùng cả hai."
ERR_DATES = "Cần cả from và to."


def _errors(error: ValidationError, default_field: str | None = None) -> dict:
    if hasattr(error, "error_dict"):
        items = [
            {"field": None if f == "__all__" else f, "message": m}
            for f, errs in error.error_dict.items()
            for e in errs
            for m in e.messages
        ]
    else:
        items = [{"field": default_field, "message": m} for m in error.messages]
    return {"detail": "; ".join(i["message"] for i in items), "errors": items}


def _unit_dossier(unit, dossier_id: int) -> Dossier:
    return get_object_or_404(Dossier.objects.select_related("procedure"), unit=unit, pk=dossier_id)


# -- the catalogue --------------------------------------------------------------------------


@router.get("/procedures", response=list[ProcedureOut], summary="Danh mục thủ tục hành chính")
def procedure_list(
    request: HttpRequest,
    q: str | None = None,
    field: str | None = None,
    online_class: str | None = None,
    active: bool | None = None,
    limit: int = Query(100, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_INT64),
):
    procedures = Procedure.objects.order_by("field", "code")
    if q:
        procedures = procedures.filter(Q(code__icontains=q) | Q(name__icontains=q))
    if field:
        procedures = procedures.filter(field=field)
    if online_class:
        procedures = procedures.filter(online_class=online_class)
    if active is not None:
        procedures = procedures.filter(active=active)
    return procedures[offset : offset + limit]


@router.get("/procedures/{code}", response=ProcedureOut, summary="Một thủ tục, theo mã")
def procedure_detail(request: HttpRequest, code: str):
    return get_object_or_404(Procedure, code=code)


# -- dossiers -------------------------------------------------------------------------------


@router.get("/units/{unit_id}/dossiers", response=list[DossierOut], summary="Hồ sơ của một đơn vị")
def dossier_list(
    request: HttpRequest,
    unit_id: Id,
    status: str | None = None,
    channel: str | None = None,
    received_from: Date | None = None,
    received_to: Date | None = None,
    limit: int = Query(100, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_INT64),
):
    unit = get_unit_for(request.user, unit_id, "view")
    dossiers = Dossier.objects.filter(unit=unit).select_related("procedure")
    if status:
        dossiers = dossiers.filter(status=status)
    if channel:
        dossiers = dossiers.filter(channel=channel)
    if received_from:
        dossiers = dossiers.filter(received_on__gte=received_from)
    if received_to:
        dossiers = dossiers.filter(received_on__lte=received_to)
    return dossiers.order_by("-received_at", "-pk")[offset : offset + limit]


@router.get(
    "/units/{unit_id}/dossiers/{dossier_id}",
    response=DossierDetailOut,
    summary="Một hồ sơ với quá trình giải quyết",
)
def dossier_detail(request: HttpRequest, unit_id: Id, dossier_id: Id):
    unit = get_unit_for(request.user, unit_id, "view")
    return get_object_or_404(
        Dossier.objects.select_related("procedure").prefetch_related(
            Prefetch("events", queryset=DossierEvent.objects.select_related("by__profile"))
        ),
        unit=unit,
        pk=dossier_id,
    )


@router.post(
    "/units/{unit_id}/dossiers",
    response={201: DossierOut, 422: DossierError},
    summary="Tiếp nhận một hồ sơ (hạn trả kết quả tính theo thủ tục)",
)
def dossier_create(request: HttpRequest, unit_id: Id, payload: DossierIn):
    unit = get_unit_for(request.user, unit_id, "edit")
    procedure = Procedure.objects.filter(code=payload.procedure, active=True).first()
    if procedure is None:
        message = ERR_UNKNOWN_PROCEDURE.format(code=payload.procedure)
        return Reply(
            422, {"detail": message, "errors": [{"field": "procedure", "message": message}]}
        )
    received_at = payload.received_at or timezone.now()
    if timezone.is_naive(received_at):
        received_at = timezone.make_aware(received_at)
    try:
        dossier = services.dossier_create(
            unit=unit,
            procedure=procedure,
            code=payload.code or "",  # empty: the service allocates one
            applicant=payload.applicant,
            channel=payload.channel,
            received_at=received_at,
            by=request.user,
            intake_digitized=payload.intake_digitized,
            paid_online=payload.paid_online,
            reused_data=payload.reused_data,
            e_certified_copy=payload.e_certified_copy,
        )
    except ValidationError as error:
        return Reply(422, _errors(error, "received_at"))
    return Reply(201, dossier)


@router.post(
    "/units/{unit_id}/dossiers/{dossier_id}/moves",
    response={200: DossierOut, 409: DossierError, 422: DossierError},
    summary="Chuyển hồ sơ: processing, supplement, supplied, resolve, return, withdraw",
)
def dossier_move(request: HttpRequest, unit_id: Id, dossier_id: Id, payload: MoveIn):
    unit = get_unit_for(request.user, unit_id, "edit")
    dossier = _unit_dossier(unit, dossier_id)
    move = MOVES_BY_ACTION[payload.action]
    refusal = move_refusal(dossier, move)
    if refusal:
        return Reply(409, {"detail": refusal, "errors": [{"field": "action", "message": refusal}]})
    at = payload.at or timezone.now()
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    try:
        apply_move(
            dossier,
            move,
            at=at,
            by=request.user,
            reason=payload.reason,
            result_digitized=payload.result_digitized,
        )
    except ValidationError as error:
        return Reply(422, _errors(error, "at"))
    return Reply(200, dossier)


@router.post(
    "/units/{unit_id}/dossiers/{dossier_id}/apologies",
    response={201: EventOut, 422: DossierError},
    summary="Văn bản xin lỗi và hẹn lại ngày trả kết quả",
)
def dossier_apology(request: HttpRequest, unit_id: Id, dossier_id: Id, payload: ApologyIn):
    unit = get_unit_for(request.user, unit_id, "edit")
    dossier = _unit_dossier(unit, dossier_id)
    try:
        event = services.dossier_apologise(
            dossier=dossier, new_due_on=payload.new_due_on, reason=payload.reason, by=request.user
        )
    except ValidationError as error:
        return Reply(422, _errors(error, "new_due_on"))
    return Reply(201, event)


# -- statistics -----------------------------------------------------------------------------


class StatsQuery(Schema):
    unit: Id
    period: str | None = None
    start: Date | None = None
    end: Date | None = None
    subunits: bool = False
    # figures count to the earlier of the period end and this day (default today, VN time)
    as_of: Date | None = None


@router.get(
    "/stats",
    response={200: dict, 422: DossierError},
    summary="Biểu 06/VPCP/KSTT (Thông tư 01/2020): số liệu theo đơn vị và kỳ",
    description=(
        "period: 2025, 2025-H1, 2025-Q1, 2025-M03 (kỳ 15 tháng trước – 14 tháng này) hoặc "
        "2025-01-01..2025-03-31; hoặc start/end. Mặc định: năm báo cáo hiện tại. "
        "subunits=true: mỗi đơn vị trực thuộc một dòng, total gồm cả cấp dưới. Tỷ lệ là "
        "phần trăm làm tròn nửa lên 2 chữ số, null khi mẫu số bằng 0."
    ),
)
def stats(request: HttpRequest, query: Query[StatsQuery]):
    unit = get_unit_for(request.user, query.unit, "view")
    try:
        if query.period and (query.start or query.end):
            raise PeriodError(ERR_PERIOD_AND_DATES)
        if query.period:
            period = parse_period(query.period)
        elif query.start or query.end:
            if not (query.start and query.end):
                raise PeriodError(ERR_DATES)
            period = custom_period(query.start, query.end)
        else:
            period = period_for("year", current_reporting_year())
        period = up_to_today(period, query.as_of)
    except PeriodError as error:
        field = "start" if query.start or query.end else "period"
        return Reply(
            422, {"detail": str(error), "errors": [{"field": field, "message": str(error)}]}
        )
    report = build_report(unit, period, subunits=query.subunits)
    return Reply(200, report_json(report))


# -- bulk import ----------------------------------------------------------------------------


@router.post(
    "/import",
    response={202: JobAcceptedOut, 422: DossierError},
    summary="Nhập hồ sơ từ tệp CSV/XLSX (tất cả hoặc không): trả về công việc nền",
)
def dossier_import(request: HttpRequest, file: UploadedFile = File(...)):
    if not permissions.may_import_dossiers(request.user):
        raise PermissionDenied(NO_DESK)
    if not (file.name or "").lower().endswith((".csv", ".xlsx")):
        return Reply(
            422, {"detail": ERR_FILE_TYPE, "errors": [{"field": "file", "message": ERR_FILE_TYPE}]}
        )
    job = start_upload(
        kind=JOB_KIND,
        title=f"Nhập hồ sơ từ tệp {file.name}",
        by=request.user,
        task=import_dossiers_task,
        upload=file,
        filename=file.name or "",
    )
    return job_accepted(job)


@router.get(
    "/jobs/{job_id}",
    response=JobOut,
    url_name="dossiers_job",
    summary="Tiến độ nhập (như GET /api/jobs/{job_id})",
    deprecated=True,
)
def job_status(request: HttpRequest, job_id: Id):
    job = permissions.job_for(request.user, job_id, kind=JOB_KIND)
    reap_job(job)  # its process died: say so instead of "running" forever
    return job_out(job)
