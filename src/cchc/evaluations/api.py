"""Evaluations API (/api/evaluations/): cycles, units' score sheets, self-assessment,
appraisal, transitions, results; and the published results, readable without signing in.

The same permission rules as the pages: every handler starts with the permission-scoped
fetch (selectors.cycle_for / cycle_unit_for / score_for) and calls the services. A rule
that refuses the change answers 400 with {"detail", "errors": [{"field", "message"}]}.
"""

from __future__ import annotations

import functools
import inspect

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from cchc.core.bounds import Id, Year
from cchc.core.collation import vn_order
from cchc.evaluations import batch, selectors, services, visibility
from cchc.evaluations.models import Cycle, CycleState, CycleUnit, Evidence, Score
from cchc.evaluations.schemas import (
    AppraisedScoreIn,
    CycleDetailOut,
    CycleOut,
    CycleUnitOut,
    ErrorOut,
    EvidenceOut,
    HistoryOut,
    PublishIn,
    RemediationOut,
    ReturnIn,
    ScoreOut,
    SelfScoreIn,
    SheetOut,
    TransitionIn,
)
from cchc.units.permissions import can

router = Router(tags=["Chỉ số CCHC"])

ERR_RESULTS_UNPUBLISHED = (
    "Kết quả chưa công bố: chỉ đơn vị tổ chức đánh giá được xem bảng xếp hạng."
)
ERR_NOT_PUBLISHED = "Kỳ đánh giá chưa công bố kết quả."
ERR_UNKNOWN_STATE = "Trạng thái không hợp lệ: {state}."


def refusals(view):
    """EvaluationError -> 400 JSON naming the field (nothing was changed)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except services.EvaluationError as error:
            return JsonResponse(
                {
                    "detail": error.message,
                    "errors": [
                        {
                            "field": error.field,
                            "message": error.message,
                            "criterion": error.criterion,
                        }
                    ],
                },
                status=400,
            )

    # Annotations resolved where the view is defined (django-ninja reads the signature).
    wrapper.__signature__ = inspect.signature(view, eval_str=True)  # type: ignore[attr-defined]
    return wrapper


def _fields(payload: Schema | None) -> dict:
    return payload.model_dump() if payload is not None else {}


def _score_change(request: HttpRequest, score_id: int, action: str, change, payload: Schema):
    """Fetch the score the user may `action`, then `change` it with the payload's fields."""
    score = selectors.score_for(request.user, score_id, action)
    return score_out(change(score=score, by=request.user, **_fields(payload)))


def _unit_change(
    request: HttpRequest, cycle_unit_id: int, action: str, change, payload: Schema | None = None
):
    """Fetch the unit's sheet the user may `action`, then `change` it (payload's fields)."""
    cycle_unit = selectors.cycle_unit_for(request.user, cycle_unit_id, action)
    return cycle_unit_out(change(cycle_unit=cycle_unit, by=request.user, **_fields(payload)))


def _exact_json(data) -> HttpResponse:
    # Decimals printed exactly (87.747), the `cchc score` JSON.
    return HttpResponse(batch.dumps(data) + "\n", content_type="application/json")


# --------------------------------------------------------------------------- serialisers


def unit_ref(unit) -> dict | None:
    if unit is None:
        return None
    return {"id": unit.pk, "code": unit.key, "name": unit.name, "kind": unit.kind}


def cycle_out(cycle: Cycle) -> dict:
    return {
        "id": cycle.pk,
        "year": cycle.year,
        "name": cycle.name,
        "state": cycle.state,
        "state_label": cycle.get_state_display(),
        "framework": cycle.framework.code,
        "organiser": unit_ref(cycle.organiser),
        "appraising_body": unit_ref(cycle.appraising_body),
        "measure_start": cycle.measure_start,
        "measure_end": cycle.measure_end,
        "self_assessment_deadline": cycle.self_assessment_deadline,
        "appraisal_deadline": cycle.appraisal_deadline,
        "remediation_deadline": cycle.remediation_deadline,
        "decision_no": cycle.decision_no,
        "decision_date": cycle.decision_date,
        "published_at": cycle.published_at,
    }


def cycle_unit_out(cycle_unit: CycleUnit) -> dict:
    return {
        "id": cycle_unit.pk,
        "cycle_id": cycle_unit.cycle_id,
        "unit": unit_ref(cycle_unit.unit),
        "block": cycle_unit.block,
        "status": cycle_unit.status,
        "status_label": cycle_unit.get_status_display(),
        "submitted_at": cycle_unit.submitted_at,
        "returned_deadline": cycle_unit.returned_deadline,
        "return_message": cycle_unit.return_message,
    }


def score_out(score: Score, *, appraisal: bool = True) -> dict:
    if not appraisal:  # visibility.appraisal_visible: the unit does not read the council's work
        return {
            "id": score.pk,
            "criterion": score.criterion.code,
            "max": score.max_points,
            "self_score": score.self_score,
            "self_note": score.self_note,
            "appraised_score": None,
            "appraisal_reason": "",
            "measured_value": score.measured_value,
            "measured_points": score.measured_points,
            "final": None,
        }
    return {
        "id": score.pk,
        "criterion": score.criterion.code,
        "max": score.max_points,
        "self_score": score.self_score,
        "self_note": score.self_note,
        "appraised_score": score.appraised_score,
        "appraisal_reason": score.appraisal_reason,
        "measured_value": score.measured_value,
        "measured_points": score.measured_points,
        "final": score.final_score,
    }


def evidence_out(item: Evidence) -> dict:
    return {
        "id": item.pk,
        "criterion": item.criterion.code,
        "title": item.title,
        "number_symbol": item.number_symbol,
        "issued_on": item.issued_on,
        "issuer": item.issuer,
        "file_url": item.file.url if item.file else None,
        "uploaded_at": item.uploaded_at,
    }


def _text(value) -> str | None:
    if value is None:
        return None
    from decimal import Decimal

    from cchc.frameworks.spec import plain_number

    return plain_number(value) if isinstance(value, Decimal) else str(value)


# --------------------------------------------------------------------------- cycles


@router.get("/cycles", response=list[CycleOut], summary="Các kỳ đánh giá người dùng được xem")
def cycle_list(request: HttpRequest, year: Year | None = None, state: str | None = None):
    cycles = selectors.cycles_for(request.user)
    if year is not None:
        cycles = cycles.filter(year=year)
    if state:
        cycles = cycles.filter(state=state)
    return [cycle_out(c) for c in vn_order(cycles, "-year", "name")]


@router.get("/cycles/{cycle_id}", response=CycleDetailOut, summary="Một kỳ đánh giá")
def cycle_detail(request: HttpRequest, cycle_id: Id):
    cycle = selectors.cycle_for(request.user, cycle_id)
    out = cycle_out(cycle)
    out["transitions"] = [
        {
            "from_state": t.from_state,
            "to_state": t.to_state,
            "at": t.at,
            "by": t.by.get_username() if t.by else None,
            "reason": t.reason,
            "reopening": t.reopening,
        }
        for t in selectors.cycle_transitions(cycle)
    ]
    out["units"] = selectors.cycle_units_for(request.user, cycle).count()
    return out


@router.get(
    "/cycles/{cycle_id}/units",
    response=list[CycleUnitOut],
    summary="Các đơn vị của kỳ đánh giá mà người dùng được xem",
)
def cycle_units(request: HttpRequest, cycle_id: Id):
    cycle = selectors.cycle_for(request.user, cycle_id)
    units = vn_order(selectors.cycle_units_for(request.user, cycle), "block", "unit__name")
    return [cycle_unit_out(cu) for cu in units]


@router.post(
    "/cycles/{cycle_id}/transitions",
    response={200: CycleOut, 400: ErrorOut},
    summary="Chuyển trạng thái kỳ đánh giá (lùi lại: phải có lý do)",
)
@refusals
def cycle_transition(request: HttpRequest, cycle_id: Id, payload: TransitionIn):
    cycle = selectors.cycle_for(request.user, cycle_id, "administer")
    if payload.to_state not in CycleState.values:
        raise services.EvaluationError(
            ERR_UNKNOWN_STATE.format(state=payload.to_state), field="to_state"
        )
    cycle = services.cycle_transition(
        cycle=cycle, to_state=payload.to_state, by=request.user, reason=payload.reason
    )
    return cycle_out(cycle)


@router.post(
    "/cycles/{cycle_id}/publish",
    response={200: CycleOut, 400: ErrorOut},
    summary="Công bố kết quả theo quyết định",
)
@refusals
def cycle_publish(request: HttpRequest, cycle_id: Id, payload: PublishIn):
    cycle = selectors.cycle_for(request.user, cycle_id, "administer")
    cycle = services.cycle_publish(
        cycle=cycle,
        decision_no=payload.decision_no,
        decision_date=payload.decision_date,
        by=request.user,
    )
    return cycle_out(cycle)


@router.get(
    "/cycles/{cycle_id}/results",
    summary="Kết quả, thứ hạng, xếp loại (dạng JSON của lệnh cchc score)",
)
def cycle_results(request: HttpRequest, cycle_id: Id):
    cycle = selectors.cycle_for(request.user, cycle_id)
    if not visibility.results_visible(request.user, cycle):
        raise PermissionDenied(visibility.ERR_RESULTS_UNPUBLISHED)
    return _exact_json(selectors.result_json_rows(cycle))


@router.get(
    "/cycles/{cycle_id}/remediation",
    response=list[RemediationOut],
    summary="Đơn vị phải nộp kế hoạch khắc phục",
)
def cycle_remediation(request: HttpRequest, cycle_id: Id):
    cycle = selectors.cycle_for(request.user, cycle_id)
    return [
        {
            "id": d.pk,
            "cycle_id": d.cycle_unit.cycle_id,
            "unit": unit_ref(d.cycle_unit.unit),
            "components": d.components,
            "by_grade": d.by_grade,
            "deadline": d.deadline,
            "status": d.status,
            "status_label": d.get_status_display(),
            "submitted_at": d.submitted_at,
        }
        for d in vn_order(
            selectors.remediation_duties(request.user, cycle), "deadline", "cycle_unit__unit__name"
        )
    ]


# --------------------------------------------------------------------------- a unit


@router.get(
    "/cycle-units/{cycle_unit_id}",
    response=SheetOut,
    summary="Bảng điểm của một đơn vị: cây tiêu chí, điểm tự chấm, thẩm định, tài liệu",
)
def cycle_unit_sheet(request: HttpRequest, cycle_unit_id: Id):
    cycle_unit = selectors.cycle_unit_for(request.user, cycle_unit_id, "view")
    sheet = selectors.score_sheet(cycle_unit)
    done = selectors.completeness(cycle_unit)
    user = request.user
    shown = visibility.appraisal_visible(user, cycle_unit)
    return {
        "cycle_unit": cycle_unit_out(cycle_unit),
        "framework": cycle_unit.cycle.framework.code,
        "self_total": sheet.self_total,
        "final_total": sheet.final_total if shown else None,
        "max": sheet.max,
        "index": sheet.index if shown else None,
        "can_edit": can(user, "edit", cycle_unit.unit) and services.self_editable(cycle_unit),
        "can_appraise": can(user, "appraise", cycle_unit.unit) and services.appraisable(cycle_unit),
        "completeness": {
            "leaves": done.leaves,
            "scored": done.scored,
            "evidence_leaves": done.evidence_leaves,
            "with_evidence": done.with_evidence,
            "missing": list(done.missing),
            "without_evidence": list(done.without_evidence),
        },
        "rows": [
            {
                "code": row.criterion.code,
                "title": row.criterion.title,
                "depth": row.depth,
                "max": row.max,
                "method": row.criterion.method,
                "is_leaf": row.is_leaf,
                "self_total": row.self_total,
                "final": row.final if shown else None,
                "score": score_out(row.score, appraisal=shown) if row.score else None,
                "evidence": [evidence_out(e) for e in row.evidence],
            }
            for row in sheet.rows
        ],
    }


@router.get(
    "/cycle-units/{cycle_unit_id}/history",
    response=list[HistoryOut],
    summary="Lịch sử thay đổi điểm và tài liệu: ai, khi nào, cũ, mới, lý do",
)
def cycle_unit_history(request: HttpRequest, cycle_unit_id: Id):
    cycle_unit = selectors.cycle_unit_for(request.user, cycle_unit_id, "view")
    return [
        {
            "criterion": h.criterion,
            "title": h.title,
            "field": h.field,
            "label": h.label,
            "old": _text(h.old),
            "new": _text(h.new),
            "who": h.who,
            "when": h.when,
            "why": h.why,
        }
        for h in visibility.visible_history(
            request.user, cycle_unit, selectors.score_history(cycle_unit)
        )
    ]


@router.put(
    "/scores/{score_id}/self",
    response={200: ScoreOut, 400: ErrorOut},
    summary="Điểm tự đánh giá của một tiêu chí",
)
@refusals
def set_self_score(request: HttpRequest, score_id: Id, payload: SelfScoreIn):
    return _score_change(request, score_id, "edit", services.self_assessment_set_score, payload)


@router.put(
    "/scores/{score_id}/appraised",
    response={200: ScoreOut, 400: ErrorOut},
    summary="Điểm thẩm định (khác điểm tự chấm thì phải có lý do)",
)
@refusals
def set_appraised_score(request: HttpRequest, score_id: Id, payload: AppraisedScoreIn):
    return _score_change(request, score_id, "appraise", services.appraisal_set_score, payload)


@router.post(
    "/cycle-units/{cycle_unit_id}/evidence",
    response={201: EvidenceOut, 400: ErrorOut},
    summary="Thêm tài liệu kiểm chứng (tệp kèm số, ký hiệu, ngày, cơ quan ban hành)",
)
@refusals
def add_evidence(
    request: HttpRequest,
    cycle_unit_id: Id,
    criterion: Form[str],
    title: Form[str],
    number_symbol: Form[str] = "",
    issued_on: Form[str] = "",
    issuer: Form[str] = "",
    file: File[UploadedFile] = None,
):
    import datetime as dt

    cycle_unit = selectors.cycle_unit_for(request.user, cycle_unit_id, "edit")
    node = cycle_unit.cycle.framework.criteria.filter(code=criterion).first()
    if node is None:
        raise services.EvaluationError(
            services.ERR_CRITERION_OTHER_FRAMEWORK.format(code=criterion), field="criterion"
        )
    try:
        issued = dt.date.fromisoformat(issued_on) if issued_on else None
    except ValueError:
        raise services.EvaluationError(
            "Ngày ban hành phải theo dạng YYYY-MM-DD.", field="issued_on"
        ) from None
    item = services.evidence_add(
        cycle_unit=cycle_unit,
        criterion=node,
        title=title,
        number_symbol=number_symbol,
        issued_on=issued,
        issuer=issuer,
        file=file,
        by=request.user,
    )
    return Status(201, evidence_out(item))


@router.delete(
    "/evidence/{evidence_id}",
    response={204: None, 400: ErrorOut},
    summary="Xóa tài liệu kiểm chứng (lịch sử vẫn giữ)",
)
@refusals
def remove_evidence(request: HttpRequest, evidence_id: Id, reason: str = ""):
    item = get_object_or_404(Evidence, pk=evidence_id)
    selectors.cycle_unit_for(request.user, item.cycle_unit_id, "edit")
    services.evidence_remove(evidence=item, by=request.user, reason=reason)
    return Status(204, None)


@router.post(
    "/cycle-units/{cycle_unit_id}/submit",
    response={200: CycleUnitOut, 400: ErrorOut},
    summary="Gửi bản tự đánh giá (thủ trưởng đơn vị)",
)
@refusals
def submit(request: HttpRequest, cycle_unit_id: Id):
    return _unit_change(request, cycle_unit_id, "submit", services.self_assessment_submit)


@router.post(
    "/cycle-units/{cycle_unit_id}/return",
    response={200: CycleUnitOut, 400: ErrorOut},
    summary="Trả lại để đơn vị giải trình, có hạn",
)
@refusals
def return_for_explanation(request: HttpRequest, cycle_unit_id: Id, payload: ReturnIn):
    return _unit_change(request, cycle_unit_id, "appraise", services.appraisal_return, payload)


@router.post(
    "/cycle-units/{cycle_unit_id}/finalise",
    response={200: CycleUnitOut, 400: ErrorOut},
    summary="Kết thúc thẩm định một đơn vị",
)
@refusals
def finalise_unit(request: HttpRequest, cycle_unit_id: Id):
    return _unit_change(request, cycle_unit_id, "appraise", services.appraisal_finalise_unit)


# --------------------------------------------------------------------------- public


@router.get(
    "/public/cycles",
    response=list[CycleOut],
    auth=None,
    summary="Các kỳ đánh giá đã công bố (không cần đăng nhập)",
)
def public_cycles(request: HttpRequest):
    return [cycle_out(c) for c in vn_order(selectors.published_cycles(), "-year", "name")]


@router.get(
    "/public/cycles/{cycle_id}/results",
    auth=None,
    summary="Kết quả đã công bố của một kỳ đánh giá (không cần đăng nhập)",
)
def public_results(request: HttpRequest, cycle_id: Id):
    cycle = get_object_or_404(selectors.published_cycles(), pk=cycle_id)
    return JsonResponse(
        {
            "cycle": {
                "id": cycle.pk,
                "year": cycle.year,
                "name": cycle.name,
                "framework": cycle.framework.code,
                "decision_no": cycle.decision_no,
                "decision_date": cycle.decision_date.isoformat() if cycle.decision_date else None,
            },
            "results": [
                p.data
                for p in vn_order(selectors.published_results(cycle), "block", "rank", "unit__name")
            ],
            # corrections after publication (quyết định đính chính), oldest first
            "corrections": [
                {
                    "decision_no": c.decision_no,
                    "decision_date": c.decision_date.isoformat(),
                    "reason": c.reason,
                    "units": c.unit_names,
                }
                for c in selectors.corrections_of(cycle)
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )
