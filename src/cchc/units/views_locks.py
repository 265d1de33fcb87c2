"""The administrator's page of locked logins (/units/login-locks/): list and unlock."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cchc.units import login_locks

ONLY_ADMINISTRATORS = "Chỉ quản trị viên được xem và mở khóa đăng nhập."


@login_required
@require_http_methods(["GET", "POST"])
def login_locks_page(request: HttpRequest) -> HttpResponse:
    if not login_locks.may_open(request.user):
        raise PermissionDenied(ONLY_ADMINISTRATORS)
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        value = (request.POST.get("value") or "").strip()
        removed = login_locks.unlock(user=request.user, kind=kind, value=value)
        label = f"địa chỉ {value}" if kind == "address" else f"tài khoản {value}"
        if removed:
            messages.success(request, f"Đã mở khóa đăng nhập cho {label}.")
        else:
            messages.info(request, login_locks.NOT_LOCKED.format(what=label.capitalize()))
        return redirect("login-locks")
    return render(request, "units/login_locks.html", {"locks": login_locks.locks_for(request.user)})
