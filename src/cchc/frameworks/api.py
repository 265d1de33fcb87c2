"""Frameworks API (/api/frameworks/): the list, one framework's criteria tree, its YAML, and
loading one (a background job)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja import File, Router, Schema
from ninja import Status as Reply
from ninja.files import UploadedFile

from cchc.core.job_api import JobAcceptedOut, job_accepted
from cchc.core.jobs import start_upload
from cchc.frameworks import services, tasks
from cchc.frameworks.models import Framework
from cchc.frameworks.spec import ERR_YAML_SIZE, MAX_YAML_CHARS, FrameworkError
from cchc.units.permissions import may_change_shared

router = Router(tags=["Bộ chỉ số"])


class FrameworkOut(Schema):
    code: str
    name: str
    description: str
    source: str
    max: float
    loaded_at: dt.datetime
    cycles: int


class ThresholdOut(Schema):
    min: float
    points: float


class CriterionOut(Schema):
    code: str
    title: str
    max: float
    graded: bool
    method: str | None
    metric: str | None
    survey: str | None
    thresholds: list[ThresholdOut]
    full_at: float | None
    source: str | None
    note: str | None
    children: list[CriterionOut]


class GradeOut(Schema):
    code: str
    label: str
    min_index: float | None
    min_component: float | None
    inclusive: bool


class FrameworkDetailOut(FrameworkOut):
    grades: list[GradeOut]
    remediation: dict | None
    criteria: list[CriterionOut]


def _summary(row: Framework) -> dict:
    return {
        "code": row.code,
        "name": row.name,
        "description": row.description,
        "source": row.source,
        "max": row.max_points,
        "loaded_at": row.loaded_at,
        "cycles": row.cycles.count(),
    }


def _node(node) -> dict:
    return {
        "code": node.code,
        "title": node.title,
        "max": node.max,
        "graded": node.graded,
        "method": node.method,
        "metric": node.metric,
        "survey": node.survey,
        "thresholds": [{"min": t.min, "points": t.points} for t in node.thresholds],
        "full_at": node.full_at,
        "source": node.source,
        "note": node.note,
        "children": [_node(c) for c in node.children],
    }


def _get(code: str) -> Framework:
    try:
        return services.framework_get(code)
    except services.FrameworkNotFound as error:
        from django.http import Http404

        raise Http404(str(error)) from None


@router.get("/", response=list[FrameworkOut], summary="Các bộ chỉ số đã nạp")
def framework_list(request: HttpRequest):
    return [_summary(row) for row in Framework.objects.order_by("code")]


@router.get("/{code}", response=FrameworkDetailOut, summary="Một bộ chỉ số: cây tiêu chí")
def framework_detail(request: HttpRequest, code: str):
    row = _get(code)
    fw = row.spec()
    out = _summary(row)
    out["grades"] = [
        {
            "code": g.code,
            "label": g.label,
            "min_index": g.min_index,
            "min_component": g.min_component,
            "inclusive": g.inclusive,
        }
        for g in fw.grades
    ]
    out["remediation"] = (
        {
            "below_percent": float(fw.remediation.below_percent),
            "components": list(fw.remediation.components),
            "grades": list(fw.remediation.grades),
        }
        if fw.remediation
        else None
    )
    out["criteria"] = [_node(c) for c in fw.criteria]
    return out


@router.get(
    "/{code}/export",
    summary="Bộ chỉ số dạng YAML",
    openapi_extra={
        "responses": {
            200: {
                "description": "Tệp YAML của bộ chỉ số",
                # The framework as a YAML mapping (the shape of frameworks/*.yaml).
                "content": {"application/yaml": {"schema": {"type": "object"}}},
            }
        }
    },
)
def framework_export(request: HttpRequest, code: str):
    text = services.framework_export(_get(code).code)
    response = HttpResponse(text, content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{code}.yaml"'
    return response


class FrameworkErrorOut(Schema):
    detail: str
    errors: list[dict] = []


@router.post(
    "/",
    response={202: JobAcceptedOut, 400: FrameworkErrorOut},
    summary="Nạp một bộ chỉ số từ tệp YAML (quản trị viên): trả về công việc nền",
)
def framework_upload(request: HttpRequest, file: File[UploadedFile]):
    """Who may load and whether the file is a UTF-8 text of sensible size are answered at
    once (403, 400); the file is then loaded by a background job (202): its result names
    the first problem of the framework (criterion, key) or the framework loaded."""
    if not may_change_shared(request.user):
        raise PermissionDenied(services.ERR_NOT_ADMINISTRATOR)
    try:
        if (file.size or 0) > MAX_YAML_CHARS:
            raise FrameworkError(None, None, ERR_YAML_SIZE)
        data = file.read()
        services.framework_source_check(data)
    except FrameworkError as error:
        return Reply(
            400,
            {
                "detail": str(error),
                "errors": [{"field": error.field, "code": error.code, "message": error.message}],
            },
        )
    name = file.name or ""
    job = start_upload(
        kind=tasks.JOB_KIND,
        title=f"Nạp bộ chỉ số từ {name or 'tệp tải lên'}",
        by=request.user,
        task=tasks.load_framework_task,
        content=data,
        filename=name or "bo-chi-so.yaml",
        params={"source_file": name},
    )
    return job_accepted(job)
