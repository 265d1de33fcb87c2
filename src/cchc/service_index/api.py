"""The QĐ 766 index and the feedback register over HTTP (mounted at /api/service-index/).

Every handler starts with the permission-scoped fetch (get_unit_for / feedback_for), as the
pages do. A period is `period=2023-Q1` (or 2023, 2023-H1, 2023-M03) or `start` and `end`;
without either, the reporting quarter holding today.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.utils import timezone
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from cchc.core.bounds import Date, Id
from cchc.core.collation import vn_order
from cchc.core.job_api import JobAcceptedOut, job_accepted
from cchc.core.jobs import start_upload
from cchc.dossiers.models import Procedure
from cchc.dossiers.periods import Period, PeriodError, vn_today
from cchc.service_index import selectors, services, tasks
from cchc.service_index.models import Feedback
from cchc.service_index.presentation import (
    index_payload,
    period_payload,
    ranking_row_payload,
    rounded,
    unit_ref,
)
from cchc.service_index.schemas import (
    AnswerIn,
    AssignIn,
    FeedbackIn,
    FeedbackOut,
    FeedbackPublishIn,
    IndexErrorOut,
    IndexOut,
    PublicationOut,
    RankingOut,
    RefuseIn,
    SatisfactionIn,
    SupplementIn,
    TrendOut,
)
from cchc.units.permissions import get_unit_for, visible_units

router = Router(tags=["Chỉ số 766 và phản ánh, kiến nghị"])

ERR_UNKNOWN_PROCEDURE = "Không có TTHC mã '{code}' trong danh mục."
ERR_UNKNOWN_PERSON = "Không có người dùng số {id}."


class ApiError(Exception):
    def __init__(self, message: str, field: str | None = None) -> None:
        self.field = field
        super().__init__(message)


def _error(message: str, field: str | None = None, status: int = 422):
    return Status(status, {"detail": message, "errors": [{"field": field, "message": message}]})


class PeriodQuery(Schema):
    """The period parameters every index handler takes (see the module docstring)."""

    period: str | None = None
    start: Date | None = None
    end: Date | None = None


def _in_period(when: PeriodQuery, respond: Callable[[Period], Status]) -> Status:
    """respond(period) for the period asked for, or the 422 naming the bad period."""
    try:
        p = selectors.resolve_period(
            code=when.period, start=when.start, end=when.end, today=vn_today()
        )
    except PeriodError as error:
        return _error(str(error), "period")
    return respond(p)


@router.get(
    "/units/{unit_id}/index",
    response={200: IndexOut, 422: IndexErrorOut},
    summary="Chỉ số 766 của một đơn vị trong một kỳ",
)
def unit_index(request: HttpRequest, unit_id: Id, when: Query[PeriodQuery]):
    unit = get_unit_for(request.user, unit_id, "view")

    def respond(p: Period) -> Status:
        computer = selectors.IndexComputer()
        result = computer.result(unit, p)
        rank = selectors.rank_of(unit, p, computer) if unit.parent_id else None
        return Status(200, index_payload(unit, result, rank))

    return _in_period(when, respond)


@router.get(
    "/units/{unit_id}/trend",
    response={200: list[TrendOut], 422: IndexErrorOut},
    summary="Điểm từng tháng báo cáo của kỳ",
)
def unit_trend(request: HttpRequest, unit_id: Id, when: Query[PeriodQuery]):
    unit = get_unit_for(request.user, unit_id, "view")
    return _in_period(
        when,
        lambda p: Status(
            200,
            [
                {
                    "period": period_payload(r.period),  # type: ignore[arg-type]
                    "total": rounded(r.total),
                    "max_available": rounded(r.max_available),
                    "score_100": rounded(r.score_100),
                }
                for r in selectors.IndexComputer().trend(unit, p)
            ],
        ),
    )


@router.get(
    "/units/{unit_id}/ranking",
    response={200: RankingOut, 422: IndexErrorOut},
    summary="Xếp hạng các xã, phường trực thuộc một đơn vị",
)
def ranking(request: HttpRequest, unit_id: Id, when: Query[PeriodQuery]):
    parent, visible = selectors.ranking_scope(request.user, unit_id)

    def respond(p: Period) -> Status:
        rows = selectors.ranking(vn_order(selectors.rankable_children(parent, p)), p)
        return Status(
            200,
            {
                "parent": unit_ref(parent),
                "period": period_payload(p),
                "units_ranked": len(rows),
                "rows": [ranking_row_payload(row) for row in rows if row.unit.pk in visible],
            },
        )

    return _in_period(when, respond)


@router.get(
    "/units/{unit_id}/publication",
    response={200: list[PublicationOut], 422: IndexErrorOut},
    summary="Tình trạng công bố, công khai từng TTHC (chỉ số 1.1–1.3)",
)
def publication(request: HttpRequest, unit_id: Id, when: Query[PeriodQuery]):
    unit = get_unit_for(request.user, unit_id, "view")
    return _in_period(when, lambda p: Status(200, _publication_rows(unit, p)))


def _publication_rows(unit, p: Period) -> list[dict]:
    return [
        {
            "code": row.record.code,
            "name": row.name,
            "announced_on": row.record.announced,
            "announcement_no": row.record.announcement_no,
            "legal_basis_effective_on": row.record.legal_basis_effective,
            "announce_deadline": row.announce_deadline,
            "announced_on_time": row.announced_on_time,
            "published_on": row.record.published,
            "publish_deadline": row.publish_deadline,
            "published_on_time": row.published_on_time,
            "all_parts_published": row.complete,
            "problems": row.problems,
        }
        for row in selectors.publication_rows(unit, p)
    ]


# -- feedback ---------------------------------------------------------------------------------


def _feedback_out(f: Feedback, *, history: bool = False) -> dict:
    today = timezone.localdate()
    row = selectors.feedback_row(f, today, selectors.work_calendar([today.year]))
    out = {
        "id": f.pk,
        "unit_id": f.unit_id,
        "code": f.code,
        "received_on": f.received_on,
        "channel": f.channel,
        "sender_name": f.sender_name,
        "sender_contact": f.sender_contact,
        "procedure_code": f.procedure.code if f.procedure_id else None,
        "rule_concerned": f.rule_concerned,
        "dossier_code": f.dossier_code,
        "content": f.content,
        "classification": f.classification,
        "status": f.status,
        "status_label": f.get_status_display(),
        "assigned_to": f.assigned_to.get_username() if f.assigned_to_id else None,
        "answer_due_on": f.answer_due_on,
        "refuse_due_on": f.refuse_due_on,
        "supplement_due_on": f.supplement_due_on,
        "publish_due_on": f.publish_due_on,
        "supplement_requested_on": f.supplement_requested_on,
        "refused_on": f.refused_on,
        "refusal_reason": f.refusal_reason,
        "answered_on": f.answered_on,
        "answer": f.answer,
        "published_on": f.published_on,
        "published_where": f.published_where,
        "satisfaction": f.satisfaction,
        "repeat_complaint": f.repeat_complaint,
        "next_step": row.step,
        "next_due": row.due,
        "next_state": row.state,
    }
    if history:
        out["history"] = [
            {
                "at": h.history_date,
                "by": h.history_user.get_username() if h.history_user_id else None,
                "reason": h.history_change_reason or h.get_history_type_display(),
            }
            for h in f.history.select_related("history_user").order_by("history_date")
        ]
    return out


@router.get(
    "/units/{unit_id}/feedback",
    response={200: list[FeedbackOut], 422: IndexErrorOut},
    summary="Sổ theo dõi phản ánh, kiến nghị của đơn vị (nhận trong kỳ, hoặc show=due)",
)
def feedback_list(
    request: HttpRequest,
    unit_id: Id,
    when: Query[PeriodQuery],
    show: str = "all",
):
    unit = get_unit_for(request.user, unit_id, "view")
    if show == "due":
        return Status(
            200,
            [
                _feedback_out(r.feedback)
                for r in selectors.feedback_due([unit.pk], timezone.localdate())
            ],
        )
    return _in_period(
        when, lambda p: Status(200, [_feedback_out(f) for f in selectors.unit_feedback(unit, p)])
    )


@router.post(
    "/units/{unit_id}/feedback",
    response={201: FeedbackOut, 422: IndexErrorOut},
    summary="Ghi sổ một phản ánh, kiến nghị",
)
def feedback_create(request: HttpRequest, unit_id: Id, payload: FeedbackIn):
    unit = get_unit_for(request.user, unit_id, "edit")
    data = payload.dict()
    procedure = None
    if code := data.pop("procedure_code", None):
        procedure = Procedure.objects.filter(code=code).first()
        if procedure is None:
            return _error(ERR_UNKNOWN_PROCEDURE.format(code=code), "procedure_code")
    assignee = None
    if (assignee_id := data.pop("assigned_to_id", None)) is not None:
        assignee = get_user_model().objects.filter(pk=assignee_id).first()
        if assignee is None:
            return _error(ERR_UNKNOWN_PERSON.format(id=assignee_id), "assigned_to_id")
    try:
        feedback = services.feedback_record(
            unit=unit, by=request.user, procedure=procedure, assigned_to=assignee, **data
        )
    except services.FeedbackError as error:
        return _error(str(error), error.field)
    return Status(201, _feedback_out(feedback, history=True))


@router.post(
    "/units/{unit_id}/feedback/import",
    response={202: JobAcceptedOut},
    summary="Nhập sổ phản ánh, kiến nghị từ CSV/XLSX (tất cả hoặc không gì): trả về công việc nền",
)
def feedback_import(request: HttpRequest, unit_id: Id, file: File[UploadedFile]):
    """The unit is checked now (404, 403); the file is read by a background job, which ends
    with the number imported or with every bad row and column (nothing imported)."""
    unit = get_unit_for(request.user, unit_id, "edit")
    name = file.name or "so-phan-anh.csv"
    job = start_upload(
        kind=tasks.JOB_KIND,
        title=f"Nhập sổ phản ánh, kiến nghị từ tệp {name}",
        by=request.user,
        task=tasks.import_feedback_task,
        upload=file,
        filename=name,
        params={"unit_id": unit.pk},
    )
    return job_accepted(job)


@router.get(
    "/feedback/due",
    response=list[FeedbackOut],
    summary="Phản ánh, kiến nghị quá hạn hoặc sắp đến hạn ở các đơn vị được xem",
)
def feedback_due(request: HttpRequest):
    rows = selectors.feedback_due(visible_units(request.user), timezone.localdate())
    return [_feedback_out(r.feedback) for r in rows]


@router.get("/feedback/{feedback_id}", response=FeedbackOut, summary="Một phản ánh, kiến nghị")
def feedback_detail(request: HttpRequest, feedback_id: Id):
    return _feedback_out(selectors.feedback_for(request.user, feedback_id, "view"), history=True)


def _act(request: HttpRequest, feedback_id: int, run):
    feedback = selectors.feedback_for(request.user, feedback_id, "edit")
    try:
        run(feedback)
    except services.FeedbackError as error:
        return _error(str(error), error.field)
    except ApiError as error:
        return _error(str(error), error.field)
    return Status(200, _feedback_out(feedback, history=True))


def _apply(request: HttpRequest, feedback_id: int, service, payload: Schema):
    """Run the feedback action `service`, its arguments the payload's fields by name."""
    return _act(
        request,
        feedback_id,
        lambda f: service(feedback=f, by=request.user, **payload.model_dump()),
    )


ACTION_RESPONSES = {200: FeedbackOut, 422: IndexErrorOut}


@router.post("/feedback/{feedback_id}/assign", response=ACTION_RESPONSES, summary="Giao xử lý")
def feedback_assign(request: HttpRequest, feedback_id: Id, payload: AssignIn):
    def run(f: Feedback) -> None:
        assignee = get_user_model().objects.filter(pk=payload.assignee_id).first()
        if assignee is None:
            raise ApiError(ERR_UNKNOWN_PERSON.format(id=payload.assignee_id), "assignee_id")
        services.feedback_assign(feedback=f, assignee=assignee, by=request.user, note=payload.note)

    return _act(request, feedback_id, run)


@router.post("/feedback/{feedback_id}/answer", response=ACTION_RESPONSES, summary="Trả lời")
def feedback_answer(request: HttpRequest, feedback_id: Id, payload: AnswerIn):
    return _apply(request, feedback_id, services.feedback_answer, payload)


@router.post(
    "/feedback/{feedback_id}/publish", response=ACTION_RESPONSES, summary="Công khai kết quả"
)
def feedback_publish(request: HttpRequest, feedback_id: Id, payload: FeedbackPublishIn):
    return _apply(request, feedback_id, services.feedback_publish, payload)


@router.post(
    "/feedback/{feedback_id}/refuse", response=ACTION_RESPONSES, summary="Từ chối tiếp nhận"
)
def feedback_refuse(request: HttpRequest, feedback_id: Id, payload: RefuseIn):
    return _apply(request, feedback_id, services.feedback_refuse, payload)


@router.post(
    "/feedback/{feedback_id}/supplement",
    response=ACTION_RESPONSES,
    summary="Yêu cầu bổ sung thông tin",
)
def feedback_supplement(request: HttpRequest, feedback_id: Id, payload: SupplementIn):
    return _apply(request, feedback_id, services.feedback_request_supplement, payload)


@router.post(
    "/feedback/{feedback_id}/satisfaction",
    response=ACTION_RESPONSES,
    summary="Ý kiến của người phản ánh về kết quả",
)
def feedback_satisfaction(request: HttpRequest, feedback_id: Id, payload: SatisfactionIn):
    return _apply(request, feedback_id, services.feedback_set_satisfaction, payload)
