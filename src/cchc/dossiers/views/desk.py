"""The one-stop desk (Bộ phận Một cửa): record a dossier, list the unit's dossiers, move
one through its states, print its papers."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cchc.core.formatting import vn_date
from cchc.dossiers import selectors, services
from cchc.dossiers.calendar import calendar_for
from cchc.dossiers.forms import ActionForm, ApologyForm, DossierCreateForm, DossierFilterForm
from cchc.dossiers.models import (
    FINISHED_STATUSES,
    OPEN_STATUSES,
    Dossier,
    EventKind,
    Procedure,
    Status,
    local_date,
)
from cchc.dossiers.periods import vn_today
from cchc.dossiers.views.common import (
    DUE_SOON_DAYS,
    MOVES_BY_ACTION,
    apply_move,
    can_act,
    deadline_state,
    desk_unit,
    list_filters,
    move_refusal,
    moves_for,
    unit_choices,
    unit_dossier,
)
from cchc.dossiers.workdays import CalendarRangeError
from cchc.units.permissions import can, home_unit

PAGE_SIZE = 25
WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")
DONE_MOVE = "Đã ghi nhận: {label} — hồ sơ {code}."
DONE_CREATE = "Đã tiếp nhận hồ sơ {code}. Hạn trả kết quả: {due}."
DONE_APOLOGY = "Đã lập văn bản xin lỗi, hẹn trả kết quả ngày {date}."


def weekday_date(day: dt.date | None) -> str:
    if day is None:
        return "không có hạn"
    return f"{WEEKDAYS[day.weekday()]}, {vn_date(day)}"


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Where the dossier pages start: one's own desk, or the units one may look at."""
    home = home_unit(request.user)
    choices = unit_choices(request.user)
    if home is not None and can(request.user, "edit", home) and len(choices) <= 1:
        return redirect("dossiers:desk", home.pk)
    query = (request.GET.get("q") or "").strip()
    if query:
        choices = [(u, label) for u, label in choices if query.lower() in u.name.lower()]
    # The tree's indentation goes before the link, not inside it (issue 15: the link
    # underlined the leading spaces).
    rows = [(u, label[: len(label) - len(label.lstrip())], label.strip()) for u, label in choices]
    return render(
        request,
        "dossiers/index.html",
        {"home": home, "choices": rows[:300], "q": query, "total": len(choices)},
    )


def _filtered(unit, form: DossierFilterForm, today: dt.date):
    dossiers, data = list_filters(
        Dossier.objects.filter(unit=unit).select_related("procedure"),
        form,
        text=("code", "applicant"),
        exact=("status", "channel"),
    )
    due = data.get("due")
    open_ = Q(status__in=OPEN_STATUSES)
    if due == "soon":
        dossiers = dossiers.filter(
            open_,
            late_by_rule=False,
            clock_stopped_on__isnull=True,
            due_on__gte=today,
            due_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS),
        ).order_by("due_on")
    elif due == "overdue":
        # A second supplement request is late whatever the dates; no due date never is.
        dossiers = selectors.overdue_open(dossiers, today)
    elif due == "late":
        dossiers = dossiers.filter(finished_on__isnull=False, due_on__isnull=False).filter(
            Q(late_by_rule=True) | Q(finished_on__gt=F("due_on"))
        )
    return dossiers


@login_required
def desk(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = desk_unit(request, unit_pk, "view")
    today = vn_today()
    form = DossierFilterForm(request.GET or None)
    dossiers = _filtered(unit, form, today)
    page = Paginator(dossiers, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(d, deadline_state(d, today)) for d in page.object_list]
    open_qs = Dossier.objects.filter(unit=unit, status__in=OPEN_STATUSES)
    counts = {
        "open": open_qs.count(),
        "overdue": selectors.overdue_open(open_qs, today).count(),
        "waiting": open_qs.filter(status=Status.SUPPLEMENT_REQUESTED).count(),
    }
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "unit": unit,
        "form": form,
        "page": page,
        "rows": rows,
        "counts": counts,
        "can_act": can_act(request.user, unit),
        "query": query.urlencode(),
        "today": today,
    }
    template = "dossiers/desk.html#results" if request.htmx else "dossiers/desk.html"
    response = render(request, template, context)
    response["Vary"] = "HX-Request"
    return response


def _due_preview(procedure: Procedure | None, received_at: dt.datetime | None) -> dict:
    if procedure is None or received_at is None:
        return {}
    received_on = local_date(received_at)
    try:
        due = services.due_date_for(procedure, received_on)
    except CalendarRangeError as error:
        return {"error": str(error)}
    return {
        "procedure": procedure,
        "received_on": received_on,
        "due": due,
        "due_text": weekday_date(due),
    }


@login_required
def dossier_new(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = desk_unit(request, unit_pk, "edit")
    now = timezone.localtime().replace(second=0, microsecond=0)
    form = DossierCreateForm(request.POST or None, initial={"received_at": now})
    preview: dict = {}
    if request.method == "POST":
        valid = form.is_valid()
        preview = _due_preview(
            form.cleaned_data.get("procedure"), form.cleaned_data.get("received_at")
        )
        # "Tính hạn" (no script): show the due date before saving.
        if valid and "preview" not in request.POST:
            data = form.cleaned_data
            try:
                dossier = services.dossier_create(
                    unit=unit,
                    procedure=data["procedure"],
                    code=data["code"] or "",  # empty: the service allocates one
                    applicant=data["applicant"],
                    channel=data["channel"],
                    received_at=data["received_at"],
                    by=request.user,
                    intake_digitized=data["intake_digitized"],
                    paid_online=data["paid_online"],
                    reused_data=data["reused_data"],
                    e_certified_copy=data["e_certified_copy"],
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(
                    request,
                    DONE_CREATE.format(code=dossier.code, due=weekday_date(dossier.due_on)),
                )
                return redirect("dossiers:dossier", unit.pk, dossier.pk)
    return render(
        request, "dossiers/dossier_new.html", {"unit": unit, "form": form, "preview": preview}
    )


@login_required
def due_preview(request: HttpRequest, unit_pk: int) -> HttpResponse:
    """HTMX: the due date for the procedure and time chosen, before the dossier is saved."""
    desk_unit(request, unit_pk, "edit")
    form = DossierCreateForm(request.GET)
    form.is_valid()
    preview = _due_preview(form.cleaned_data.get("procedure"), form.cleaned_data.get("received_at"))
    return render(request, "dossiers/dossier_new.html#due", {"preview": preview})


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for e in errors:
                form.add_error(field if field in form.fields else None, e)
    else:
        for message in error.messages:
            form.add_error(None, message)


@login_required
def dossier_detail(request: HttpRequest, unit_pk: int, pk: int) -> HttpResponse:
    unit = desk_unit(request, unit_pk, "view")
    dossier = unit_dossier(unit, pk)
    return _detail(request, unit, dossier)


def _detail(request, unit, dossier, *, action_form=None, apology_form=None, status=200):
    today = vn_today()
    state = deadline_state(dossier, today)
    events = list(dossier.events.select_related("by__profile").order_by("at", "pk"))
    for event in events:
        event.title = event_title(event)
    apologies = [e for e in events if e.kind == EventKind.APOLOGY]
    history = dossier.history.select_related("history_user").order_by("-history_date")[:30]
    acting = can_act(request.user, unit)
    # Open and late (or about to be): the letter goes out before the promised day passes;
    # resolved late without one yet: the letter that should have gone out is still owed.
    finished = dossier.status in FINISHED_STATUSES
    may_apologise = (
        acting
        and dossier.due_on is not None
        and (
            (not finished and state.code in {"overdue", "soon"})
            or (finished and state.code == "late" and not apologies)
        )
    )
    context = {
        "unit": unit,
        "dossier": dossier,
        "state": state,
        "events": events,
        "apologies": apologies,
        "history": history,
        "can_act": acting,
        "moves": moves_for(dossier) if acting else [],
        "action_form": action_form or ActionForm(),
        "apology_form": apology_form
        or ApologyForm(initial={"new_due_on": _suggest_new_date(dossier, today)}),
        "may_apologise": may_apologise,
        "due_text": weekday_date(dossier.due_on),
        "finished": finished,
    }
    return render(request, "dossiers/dossier_detail.html", context, status=status)


def event_title(event) -> str:
    if event.kind != EventKind.STATUS:
        return event.get_kind_display()
    if event.to_status == Status.RECEIVED and not event.from_status:
        return "Tiếp nhận hồ sơ"
    to_label = (
        Status(event.to_status).label if event.to_status in Status.values else event.to_status
    )
    if event.from_status in Status.values:
        return f"{Status(event.from_status).label} → {to_label}"
    return to_label


def _suggest_new_date(dossier: Dossier, today: dt.date) -> dt.date | None:
    if dossier.due_on is None:
        return None
    start = max(dossier.due_on, today)
    try:
        return calendar_for(start).add_working_days(start, 2)
    except CalendarRangeError:
        return None


@login_required
@require_POST
def dossier_move(request: HttpRequest, unit_pk: int, pk: int) -> HttpResponse:
    unit = desk_unit(request, unit_pk, "edit")
    dossier = unit_dossier(unit, pk)
    move = MOVES_BY_ACTION.get(request.POST.get("action", ""))
    form = ActionForm(request.POST)
    if move is None:
        messages.error(request, "Thao tác không hợp lệ.")
        return redirect("dossiers:dossier", unit.pk, dossier.pk)
    refusal = move_refusal(dossier, move)
    if refusal:
        messages.error(request, refusal)
        return _detail(request, unit, dossier, action_form=form, status=409)
    if not form.is_valid():
        return _detail(request, unit, dossier, action_form=form, status=400)
    at = form.cleaned_data["at"] or timezone.now()
    try:
        apply_move(
            dossier,
            move,
            at=at,
            by=request.user,
            reason=form.cleaned_data["reason"],
            result_digitized=form.cleaned_data["result_digitized"],
        )
    except ValidationError as error:
        _add_errors(form, error)
        return _detail(request, unit, dossier, action_form=form, status=400)
    messages.success(request, DONE_MOVE.format(label=move.label, code=dossier.code))
    late = deadline_state(dossier).code == "late"
    if (
        move.action == "resolve"
        and late
        and not dossier.events.filter(kind=EventKind.APOLOGY).exists()
    ):
        messages.warning(
            request,
            "Hồ sơ trả quá hạn: lập văn bản xin lỗi và hẹn lại ngày trả kết quả nếu chưa lập.",
        )
    return redirect("dossiers:dossier", unit.pk, dossier.pk)


@login_required
@require_POST
def dossier_apology(request: HttpRequest, unit_pk: int, pk: int) -> HttpResponse:
    unit = desk_unit(request, unit_pk, "edit")
    dossier = unit_dossier(unit, pk)
    form = ApologyForm(request.POST)
    if form.is_valid():
        try:
            event = services.dossier_apologise(
                dossier=dossier,
                new_due_on=form.cleaned_data["new_due_on"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, DONE_APOLOGY.format(date=weekday_date(event.new_due_on)))
            return redirect(reverse("dossiers:apology", args=[unit.pk, dossier.pk, event.pk]))
    return _detail(request, unit, dossier, apology_form=form, status=400)
