"""The shell's own pages: the account and its API keys, a background job's progress. The
home page is the units app's (cchc.units.views.home): it shows the person's unit and roles."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from cchc.core.jobs import job_for
from cchc.core.models import ApiToken
from cchc.core.reaper import reap_job


@login_required
def account(request: HttpRequest) -> HttpResponse:
    tokens = ApiToken.objects.filter(user=request.user, revoked=False).order_by("-created_at")
    return render(
        request,
        "core/account.html",
        {
            "tokens": tokens,
            "new_key": request.session.pop("new_api_key", None),
            "scopes": ApiToken.Scope.choices,
            "default_days": ApiToken.DEFAULT_DAYS,
            "max_days": ApiToken.MAX_DAYS,
        },
    )


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    name = (request.POST.get("name") or "").strip()[:100] or "API"
    scope = request.POST.get("scope") or ApiToken.Scope.READ
    try:
        days = int(request.POST.get("days") or ApiToken.DEFAULT_DAYS)
    except ValueError:
        days = 0
    if scope not in ApiToken.Scope.values or not 1 <= days <= ApiToken.MAX_DAYS:
        messages.error(
            request,
            f"Khóa API: chọn phạm vi chỉ đọc hoặc đọc và ghi, thời hạn 1–{ApiToken.MAX_DAYS} ngày.",
        )
        return redirect("account")
    _, key = ApiToken.issue(user=request.user, name=name, scope=scope, days=days)
    request.session["new_api_key"] = key  # shown once, on the next page
    messages.success(request, "Đã tạo khóa API. Hãy lưu lại: khóa chỉ hiện một lần.")
    return redirect("account")


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    token.revoked = True
    token.save(update_fields=["revoked"])
    messages.success(request, f"Đã thu hồi khóa {token}.")
    return redirect("account")


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = job_for(request.user, pk)
    reap_job(job)  # its process died: say so instead of "running" forever
    template = "core/job.html#progress" if request.htmx else "core/job.html"
    response = render(request, template, {"job": job})
    response["Vary"] = "HX-Request"
    return response
