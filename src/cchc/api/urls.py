"""The HTTP API under /api/: one django-ninja router per app, mounted here.

Errors are JSON: {"detail": "...", "errors": [{"field": ..., "message": ...}]}.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import ValidationError

from cchc.api.auth import AUTH
from cchc.core.bounds import MAX_INT64

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


def _view_probes() -> dict:
    """Path parameter -> the app's permission-scoped fetch ("view"). django-ninja validates
    the body before the handler's own fetch runs; these let an invalid body on an object the
    person may not see answer 404 like a valid one, so a 422 never confirms that an id exists
    (issue 12: permission before validation)."""
    from cchc.evaluations import selectors as ev
    from cchc.plans import access as plans
    from cchc.reports.outlines import access as outline_access
    from cchc.service_index import selectors as si
    from cchc.units.permissions import get_unit_for

    return {
        "unit_id": lambda user, v: get_unit_for(user, v, "view"),
        "cycle_id": lambda user, v: ev.cycle_for(user, v, "view"),
        "cycle_unit_id": lambda user, v: ev.cycle_unit_for(user, v, "view"),
        "score_id": lambda user, v: ev.score_for(user, v, "view"),
        "plan_id": lambda user, v: plans.plan_for(user, v, "view"),
        "item_id": lambda user, v: plans.item_for(user, v, "view"),
        "inspection_id": lambda user, v: plans.inspection_for(user, v, "view"),
        "feedback_id": lambda user, v: si.feedback_for(user, v, "view"),
        "outline_report_id": lambda user, v: outline_access.report_for(user, v, "view"),
    }


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    match = getattr(request, "resolver_match", None)
    probes = _view_probes()
    try:
        for name, value in (match.kwargs if match else {}).items():
            if name not in probes:
                continue
            try:
                ident = int(str(value))
            except ValueError:
                continue  # the id itself is what is invalid: the 422 names it
            if MIN_ID <= ident <= MAX_INT64:
                probes[name](request.user, ident)
    except Http404 as error:
        return _not_found(request, error)
    except PermissionDenied as error:
        return _forbidden(request, error)
    errors = [
        {"field": ".".join(str(p) for p in e.get("loc", [])[1:]) or None, "message": e.get("msg")}
        for e in exc.errors
    ]
    return api.create_response(
        request, {"detail": "Dữ liệu không hợp lệ.", "errors": errors}, status=422
    )


def _mount() -> None:
    """Each app that has an api.py with a `router` gets it mounted under /api/<app>/."""
    import importlib

    from django.apps import apps

    for app, prefix in [
        ("units", "units"),
        ("frameworks", "frameworks"),
        ("evaluations", "evaluations"),
        ("surveys", "surveys"),
        ("dossiers", "dossiers"),
        ("plans", "plans"),
        ("reports", "reports"),
        ("service_index", "service-index"),
        ("reports.outlines", "outlines"),
    ]:
        if not apps.is_installed(f"cchc.{app}"):
            continue
        module = importlib.import_module(f"cchc.{app}.api")
        api.add_router(f"/{prefix}/", module.router)


_mount()
