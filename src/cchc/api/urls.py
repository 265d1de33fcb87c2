"""The HTTP API under /api/: one django-ninja router per app, mounted here.

Errors are JSON: {"detail": "...", "errors": [{"field": ..., "message": ...}]}.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import ValidationError

from cchc.api.auth import AUTH

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


@api.exception_handler(ValidationError)
def _invalid(request, exc):
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
    ]:
        if not apps.is_installed(f"cchc.{app}"):
            continue
        module = importlib.import_module(f"cchc.{app}.api")
        api.add_router(f"/{prefix}/", module.router)


_mount()
