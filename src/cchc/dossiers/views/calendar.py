"""The working-day calendar: the year's days off and swaps, and a due-date calculator."""

from __future__ import annotations

import datetime as dt

import holidays
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cchc.dossiers import services
from cchc.dossiers.calendar import non_working_days, work_calendar
from cchc.dossiers.forms import DueCalculatorForm, SwapForm
from cchc.dossiers.models import CalendarSwap, SwapKind
from cchc.dossiers.views.desk import WEEKDAYS, weekday_date
from cchc.dossiers.workdays import CalendarRangeError
from cchc.units.permissions import is_administrator, require_administrator

MIN_YEAR, MAX_YEAR = 2015, 2100
WHAT = "lịch làm việc"


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        raise Http404("Năm không hợp lệ.") from None
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404("Năm không hợp lệ.")
    return year


def calculate(received: dt.date, days: int) -> dict:
    """The due date and the days off the count stepped over (shown so a person can check)."""
    try:
        calendar = work_calendar([received.year, received.year + 1 + days // 200])
        due = calendar.add_working_days(received, days)
    except CalendarRangeError as error:
        return {"error": str(error)}
    skipped = [
        received + dt.timedelta(days=i)
        for i in range(1, (due - received).days)
        if not calendar.is_working_day(received + dt.timedelta(days=i))
    ]
    return {
        "received": received,
        "days": days,
        "due": due,
        "due_text": weekday_date(due),
        "skipped": skipped,
        "received_is_working": calendar.is_working_day(received),
    }


@login_required
def calendar_page(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    calendar = work_calendar([year])
    # The package's names in Vietnamese; an administrator's own note is kept as entered.
    names_vi = holidays.country_holidays("VN", years=year, language="vi")
    notes = dict(CalendarSwap.objects.filter(date__year=year).values_list("date", "note"))
    by_month: dict[int, list[tuple[dt.date, str, str, str]]] = {}
    for day, name in non_working_days(year):
        if day not in notes and day in names_vi:
            name = names_vi[day]
        kind = "working" if calendar.is_working_day(day) else "off"
        by_month.setdefault(day.month, []).append((day, WEEKDAYS[day.weekday()], name, kind))
    working_days = len(calendar.working_days_in(dt.date(year, 1, 1), dt.date(year, 12, 31)))
    calc_form = DueCalculatorForm(request.GET if "received" in request.GET else None)
    result = (
        calculate(calc_form.cleaned_data["received"], calc_form.cleaned_data["days"])
        if (calc_form.is_bound and calc_form.is_valid())
        else None
    )
    context = {
        "year": year,
        "years": [year - 1, year, year + 1],
        "by_month": sorted(by_month.items()),
        "working_days": working_days,
        "swaps": CalendarSwap.objects.filter(date__year=year).order_by("date"),
        "swap_form": SwapForm(initial={"kind": SwapKind.DAY_OFF}),
        "calc_form": calc_form
        if calc_form.is_bound
        else DueCalculatorForm(initial={"received": timezone.localdate(), "days": 5}),
        "result": result,
        "is_admin": is_administrator(request.user) or request.user.is_superuser,
    }
    if request.htmx and request.GET.get("partial") == "due":
        response = render(request, "dossiers/calendar.html#due-result", context)
    else:
        response = render(request, "dossiers/calendar.html", context)
    response["Vary"] = "HX-Request"
    return response


@login_required
@require_POST
def swap_add(request: HttpRequest) -> HttpResponse:
    require_administrator(request.user, WHAT)
    form = SwapForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.calendar_swap_set(
                date=data["date"], kind=data["kind"], note=data["note"], by=request.user
            )
        except ValidationError as error:
            messages.error(request, "; ".join(error.messages))
        else:
            messages.success(
                request,
                f"Đã ghi {SwapKind(data['kind']).label.lower()} ngày {weekday_date(data['date'])}.",
            )
        return redirect(reverse("dossiers:calendar") + f"?year={data['date'].year}")
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return redirect("dossiers:calendar")


@login_required
@require_POST
def swap_delete(request: HttpRequest, pk: int) -> HttpResponse:
    require_administrator(request.user, WHAT)
    swap = get_object_or_404(CalendarSwap, pk=pk)
    year = swap.date.year
    label = f"{swap.get_kind_display().lower()} ngày {weekday_date(swap.date)}"
    services.calendar_swap_delete(swap=swap, by=request.user)
    messages.success(request, f"Đã xóa {label}.")
    return redirect(reverse("dossiers:calendar") + f"?year={year}")
