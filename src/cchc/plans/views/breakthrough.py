"""Breakthrough work (công việc đột phá, sáng kiến): calls, registrations, tracking."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cchc.plans import access, selectors, services
from cchc.plans.forms import CallForm, RegistrationForm, StatusForm
from cchc.plans.views.common import change_status, form_errors_from
from cchc.units.permissions import acting_unit, can, home_unit

NOT_ADMINISTRATOR = (
    "Chỉ quản trị viên được phát động đăng ký công việc đột phá cho các đơn vị cấp dưới."
)


@login_required
def call_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    home = home_unit(user)
    calls = list(access.calls_visible(user).order_by("-year", "-deadline"))
    return render(
        request,
        "plans/call_list.html",
        {
            "tab": "breakthrough",
            "calls": calls,
            "can_open": home is not None and can(user, "administer", home),
            "today": selectors.today(),
        },
    )


@login_required
def call_create(request: HttpRequest) -> HttpResponse:
    home = acting_unit(request.user)
    if home is None or not can(request.user, "administer", home):
        raise PermissionDenied(NOT_ADMINISTRATOR)
    today = selectors.today()
    form = CallForm(
        request.POST or None,
        initial={
            "year": today.year,
            "title": f"Đăng ký công việc đột phá, sáng kiến CCHC năm {today.year}",
        },
    )
    if request.method == "POST" and form.is_valid():
        call = services.call_create(unit=home, by=request.user, **form.cleaned_data)
        messages.success(request, f"Đã phát động: {call.title}.")
        return redirect("plans:call-detail", call.pk)
    return render(
        request, "plans/call_form.html", {"tab": "breakthrough", "form": form, "unit": home}
    )


@login_required
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = access.call_for(request.user, pk, "view")
    home = home_unit(request.user)
    can_register = (
        home is not None
        and home.pk != call.unit_id
        and home.path.startswith(call.unit.path)
        and can(request.user, "edit", home)
    )
    form = RegistrationForm(request.POST or None) if can_register else None
    if request.method == "POST":
        if not can_register:
            raise PermissionDenied("Đơn vị của bạn không thuộc đợt đăng ký này.")
        if form.is_valid():
            try:
                registration = services.breakthrough_register(
                    call=call, unit=home, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                if registration.registered_late:
                    messages.warning(request, "Đã đăng ký, nhưng sau hạn đăng ký.")
                else:
                    messages.success(request, "Đã đăng ký.")
                return redirect("plans:registration-detail", registration.pk)
    summary = selectors.call_summary(call, request.user)
    return render(
        request,
        "plans/call_detail.html",
        {
            "tab": "breakthrough",
            "call": call,
            "summary": summary,
            "form": form,
            "home": home,
            "manage": can(request.user, "administer", call.unit),
            "today": selectors.today(),
        },
    )


@login_required
def registration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    registration = access.registration_for(request.user, pk, "view")
    return render(
        request,
        "plans/registration_detail.html",
        {
            "tab": "breakthrough",
            "reg": registration,
            "status": registration.effective_status(selectors.today()),
            "can_edit": can(request.user, "edit", registration.unit),
            "status_form": StatusForm(initial={"status": registration.status}),
            "history": selectors.object_history(registration, 20),
        },
    )


@login_required
@require_POST
def registration_status(request: HttpRequest, pk: int) -> HttpResponse:
    registration = access.registration_for(request.user, pk, "edit")
    _, saved = change_status(
        request,
        functools.partial(
            services.breakthrough_set_status, registration=registration, by=request.user
        ),
    )
    if saved:
        messages.success(request, "Đã cập nhật trạng thái.")
    return redirect("plans:registration-detail", registration.pk)
