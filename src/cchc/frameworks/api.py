"""Frameworks API (/api/frameworks/): the list, one framework's criteria tree, its YAML."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import File, Router, Schema
from ninja.files import UploadedFile

from cchc.frameworks import services
from cchc.frameworks.models import Framework
from cchc.frameworks.spec import FrameworkError

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


@router.post("/", summary="Nạp một bộ chỉ số từ tệp YAML (quản trị viên)")
def framework_upload(request: HttpRequest, file: File[UploadedFile]):
    try:
        row = services.framework_load(
            source=file.read(), by=request.user, source_file=file.name or ""
        )
    except FrameworkError as error:
        return JsonResponse(
            {
                "detail": str(error),
                "errors": [{"field": error.field, "code": error.code, "message": error.message}],
            },
            status=400,
        )
    except services.FrameworkInUse as error:
        return JsonResponse({"detail": str(error), "errors": []}, status=409)
    return JsonResponse(
        {"code": row.code, "name": row.name, "max": float(row.max_points)},
        status=201,
        json_dumps_params={"ensure_ascii": False},
    )
