"""The HTTP API under /api/: one django-ninja router per app, mounted here.

Errors are JSON: {"detail": "...", "errors": [{"field": ..., "message": ...}]}.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI
from ninja.errors import ValidationError

from cchc.api.auth import AUTH
from cchc.core.bounds import MAX_INT64
from cchc.core.people import Person

api = NinjaAPI(
    title="CCHC API",
    version="1",
    description="Cải cách hành chính: đơn vị, chỉ số CCHC, hồ sơ TTHC, kế hoạch, báo cáo.",
    auth=AUTH,
    urls_namespace="api",
)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Không có quyền."}, status=403)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Không tìm thấy."}, status=404)


MIN_ID = 1


def _rule(allowed: Callable[[Person], bool], message: str) -> Callable[[Person], None]:
    """An operation that acts on no object in its path: refused (403) unless `allowed`."""

    def check(user: Person) -> None:
        if not allowed(user):
            raise PermissionDenied(message)

    return check


def _acts_on() -> dict:
    """What each API write acts on, checked BEFORE its body is validated (issue 12).

    (method, path) -> the checks its handler makes first, in the same order: (where the id
    is, the fetch of cchc.units.permissions, the action), where "where" is a path parameter
    or "body.<field>"; or (None, a rule of cchc.units.permissions, None) when the operation
    acts on no object. The rules are the permissions layer's own: this table only says which
    one each operation asks, so that an invalid body from someone who may not do the write
    gets the answer a valid one would (404 cannot see, 403 cannot act), never a 422.
    tests/api/test_acts_on.py fails on a write operation that has no row here.
    """
    from cchc.dossiers.views.imports import NO_DESK
    from cchc.frameworks.services import ERR_NOT_ADMINISTRATOR
    from cchc.units import permissions as P

    shared = _rule(P.may_change_shared, ERR_NOT_ADMINISTRATOR)
    dossiers = _rule(P.may_import_dossiers, NO_DESK)
    ev = "/api/evaluations"
    si = "/api/service-index"
    ol = "/api/outlines"
    units = "/api/dossiers/units/{unit_id}/dossiers"
    table = {
        ("POST", "/api/frameworks/"): [(None, shared, None)],
        ("POST", f"{ev}/cycles/{{cycle_id}}/transitions"): [
            ("cycle_id", P.cycle_for, "administer")
        ],
        ("POST", f"{ev}/cycles/{{cycle_id}}/publish"): [("cycle_id", P.cycle_for, "administer")],
        ("PUT", f"{ev}/scores/{{score_id}}/self"): [("score_id", P.score_for, "edit")],
        ("PUT", f"{ev}/scores/{{score_id}}/appraised"): [("score_id", P.score_for, "appraise")],
        ("POST", f"{ev}/cycle-units/{{cycle_unit_id}}/evidence"): [
            ("cycle_unit_id", P.cycle_unit_for, "edit")
        ],
        ("DELETE", f"{ev}/evidence/{{evidence_id}}"): [("evidence_id", P.evidence_for, "edit")],
        ("POST", f"{ev}/cycle-units/{{cycle_unit_id}}/submit"): [
            ("cycle_unit_id", P.cycle_unit_for, "submit")
        ],
        ("POST", f"{ev}/cycle-units/{{cycle_unit_id}}/return"): [
            ("cycle_unit_id", P.cycle_unit_for, "appraise")
        ],
        ("POST", f"{ev}/cycle-units/{{cycle_unit_id}}/finalise"): [
            ("cycle_unit_id", P.cycle_unit_for, "appraise")
        ],
        ("POST", "/api/surveys/cycles/{cycle_id}/results"): [
            ("cycle_id", P.cycle_for, "administer"),
            ("body.unit_id", P.get_unit_for, "view"),
        ],
        ("POST", "/api/surveys/cycles/{cycle_id}/import"): [
            ("cycle_id", P.cycle_for, "administer")
        ],
        ("POST", units): [("unit_id", P.get_unit_for, "edit")],
        ("POST", units + "/{dossier_id}/moves"): [
            ("unit_id", P.get_unit_for, "edit"),
            ("dossier_id", P.dossier_for, "edit"),
        ],
        ("POST", units + "/{dossier_id}/apologies"): [
            ("unit_id", P.get_unit_for, "edit"),
            ("dossier_id", P.dossier_for, "edit"),
        ],
        ("POST", "/api/dossiers/import"): [(None, dossiers, None)],
        ("PATCH", "/api/plans/items/{item_id}/status"): [("item_id", P.item_for, "edit")],
        ("POST", "/api/plans/recommendations/{recommendation_id}/reports"): [
            ("recommendation_id", P.recommendation_for, "report")
        ],
        ("POST", "/api/reports/"): [("body.unit", P.get_unit_for, "edit")],
        ("PATCH", "/api/reports/{report_id}"): [("report_id", P.report_for, "edit")],
        ("POST", "/api/reports/{report_id}/generate"): [("report_id", P.report_for, "edit")],
        ("POST", "/api/reports/{report_id}/submit"): [("report_id", P.report_for, "submit")],
        ("POST", "/api/reports/filing/{unit_id}/remind"): [("unit_id", P.level_above_for, "view")],
        ("POST", f"{si}/units/{{unit_id}}/feedback"): [("unit_id", P.get_unit_for, "edit")],
        ("POST", f"{ol}/units/{{unit_id}}/reports"): [("unit_id", P.outline_unit_for, "open")],
        ("PATCH", f"{ol}/reports/{{outline_report_id}}"): [
            ("outline_report_id", P.outline_report_for, "edit")
        ],
        ("POST", f"{ol}/reports/{{outline_report_id}}/submit"): [
            ("outline_report_id", P.outline_report_for, "submit")
        ],
        ("POST", f"{ol}/reports/{{outline_report_id}}/return"): [
            ("outline_report_id", P.outline_report_for, "return")
        ],
        ("POST", f"{ol}/reports/{{outline_report_id}}/compile"): [
            ("outline_report_id", P.outline_report_for, "edit")
        ],
        ("POST", f"{si}/units/{{unit_id}}/feedback/import"): [("unit_id", P.get_unit_for, "edit")],
    }
    for step in ("assign", "answer", "publish", "refuse", "supplement", "satisfaction"):
        table[("POST", f"{si}/feedback/{{feedback_id}}/{step}")] = [
            ("feedback_id", P.feedback_for, "edit")
        ]
    return table


ACTS_ON: dict | None = None


def acts_on() -> dict:
    global ACTS_ON
    if ACTS_ON is None:
        ACTS_ON = _acts_on()
    return ACTS_ON


def _view_probes() -> dict:
    """Path parameter -> its permission-scoped fetch, for "view": the check of a read (an
    invalid query on an object the person may not see answers 404 like a valid one)."""
    from cchc.units import permissions as P

    return {
        "unit_id": P.get_unit_for,
        "cycle_id": P.cycle_for,
        "cycle_unit_id": P.cycle_unit_for,
        "score_id": P.score_for,
        "evidence_id": P.evidence_for,
        "plan_id": P.plan_for,
        "item_id": P.item_for,
        "inspection_id": P.inspection_for,
        "recommendation_id": P.recommendation_for,
        "report_id": P.report_for,
        "file_id": P.report_file_for,
        "feedback_id": P.feedback_for,
        "outline_report_id": P.outline_report_for,
    }


def operation_path(match) -> str:
    """The OpenAPI path of a resolved API request ("/api/plans/items/{item_id}/status")."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", match.route)


def _id(value) -> int | None:
    """A usable id, or None when the id itself is what is invalid (the 422 names it)."""
    try:
        ident = int(str(value))
    except ValueError:
        return None
    return ident if MIN_ID <= ident <= MAX_INT64 else None


def _body_field(request, name: str):
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return None
    return data.get(name) if isinstance(data, dict) else None


def _checks(request, match) -> list:
    checks = acts_on().get((request.method, operation_path(match)))
    if checks is not None:
        return checks
    probes = _view_probes()
    return [(name, probes[name], "view") for name in match.kwargs if name in probes]


def _refused_first(request):
    """The answer to someone who may not do this operation (404 cannot see, 403 cannot
    act), found by the checks of acts_on() before the input is looked at; None when they
    may."""
    match = getattr(request, "resolver_match", None)
    try:
        for where, check, action in _checks(request, match) if match else []:
            if where is None:
                check(request.user)
                continue
            if where.startswith("body."):
                value = _body_field(request, where.removeprefix("body."))
            else:
                value = match.kwargs.get(where) if match is not None else None
            ident = _id(value) if value is not None else None
            if ident is not None:
                check(request.user, ident, action)
    except Http404 as error:
        return _not_found(request, error)
    except PermissionDenied as error:
        return _forbidden(request, error)
    return None


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    refused = _refused_first(request)
    if refused is not None:
        return refused
    errors = [
        {"field": ".".join(str(p) for p in e.get("loc", [])[1:]) or None, "message": e.get("msg")}
        for e in exc.errors
    ]
    return api.create_response(
        request, {"detail": "Dữ liệu không hợp lệ.", "errors": errors}, status=422
    )


def _mount() -> None:
    """Each app's router (its api.py) under /api/<app>/; background jobs under /api/jobs/."""
    from cchc.api.jobs import router as jobs
    from cchc.dossiers.api import router as dossiers
    from cchc.evaluations.api import router as evaluations
    from cchc.frameworks.api import router as frameworks
    from cchc.plans.api import router as plans
    from cchc.reports.api import router as reports
    from cchc.reports.outlines.api import router as outlines
    from cchc.service_index.api import router as service_index
    from cchc.surveys.api import router as surveys
    from cchc.units.api import router as units

    api.add_router("/units/", units)
    api.add_router("/frameworks/", frameworks)
    api.add_router("/evaluations/", evaluations)
    api.add_router("/surveys/", surveys)
    api.add_router("/dossiers/", dossiers)
    api.add_router("/plans/", plans)
    api.add_router("/reports/", reports)
    api.add_router("/service-index/", service_index)
    api.add_router("/outlines/", outlines)
    api.add_router("/jobs/", jobs)


ERR_MULTIPART = "Nội dung gửi lên (multipart/form-data) không đọc được: {reason}"


@api.exception_handler(MultiPartParserError)
def _unreadable_body(request, exc):
    """A multipart body Django cannot parse (a header part too long, a broken boundary):
    a JSON 400 like every other refusal, not Django's HTML page; the access checks first."""
    refused = _refused_first(request)
    if refused is not None:
        return refused
    message = ERR_MULTIPART.format(reason=str(exc)[:200])
    return api.create_response(
        request, {"detail": message, "errors": [{"field": None, "message": message}]}, status=400
    )


_mount()
