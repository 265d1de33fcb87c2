"""Pages of a unit's yearly CCHC plan: list, create, import, detail, timeline, items."""

from __future__ import annotations

import datetime as dt
import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cchc.core.jobs import start_upload
from cchc.plans import access, rules, selectors, services, tasks, workbooks
from cchc.plans.forms import (
    EvidenceForm,
    ItemForm,
    PlanEditForm,
    PlanForm,
    PlanImportForm,
    StatusForm,
)
from cchc.plans.models import Component, Plan, PlanEvidence, PlanItem
from cchc.plans.views.common import (
    change_status,
    file_response,
    form_errors_from,
    int_param,
    message_of,
    xlsx_response,
)
from cchc.units.permissions import can, get_unit_for, home_unit


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    plans = selectors.plans_visible(user).order_by("unit__path", "-year")
    year = int_param(request.GET.get("year"))
    unit_id = int_param(request.GET.get("unit"))
    if year:
        plans = plans.filter(year=year)
    if unit_id:
        plans = plans.filter(unit_id=unit_id)
    page = Paginator(plans, 50).get_page(request.GET.get("page"))
    completions = selectors.plan_completions(page.object_list)
    home = home_unit(user)
    this_year = selectors.today().year
    own = None
    if home is not None and can(user, "edit", home):
        existing = {p.year: p for p in Plan.objects.filter(unit=home)}
        # Copy forward the newest of this year's or last year's plan whose next year is empty.
        source = next(
            (
                existing[y]
                for y in (this_year, this_year - 1)
                if y in existing and y + 1 not in existing
            ),
            None,
        )
        own = {"unit": home, "current": existing.get(this_year), "copy_source": source}
    return render(
        request,
        "plans/index.html",
        {
            "tab": "plans",
            "page": page,
            "rows": [(p, completions[p.pk]) for p in page.object_list],
            "own": own,
            "year": year,
            "years": sorted(
                set(selectors.plans_visible(user).values_list("year", flat=True)), reverse=True
            ),
            "this_year": this_year,
        },
    )


@login_required
def plan_create(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = get_unit_for(request.user, unit_id, "edit")
    form = PlanForm(request.POST or None, initial={"year": selectors.today().year})
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(unit=unit, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, f"Đã tạo {plan.title}.")
            return redirect("plans:plan-detail", plan.pk)
    return render(request, "plans/plan_form.html", {"tab": "plans", "unit": unit, "form": form})


@login_required
def plan_import(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = get_unit_for(request.user, unit_id, "edit")
    form = PlanImportForm(
        request.POST or None, request.FILES or None, initial={"year": selectors.today().year}
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = form.cleaned_data
        job = start_upload(
            kind=tasks.JOB_KIND,
            title=f"Nhập kế hoạch CCHC năm {data['year']} từ tệp {upload.name}",
            by=request.user,
            task=tasks.import_plan_task,
            upload=upload,
            filename=upload.name,
            params={
                "unit_id": unit.pk,
                "year": data["year"],
                "title": data["title"],
                "number": data["number"],
                "issued_on": data["issued_on"].isoformat() if data["issued_on"] else None,
                "replace": bool(data["replace"]),
            },
        )
        return redirect("job-detail", job.pk)
    return render(
        request,
        "plans/plan_import.html",
        {
            "tab": "plans",
            "unit": unit,
            "form": form,
            "columns": workbooks.PLAN_HELP,
        },
    )


@login_required
def plan_template(request: HttpRequest) -> HttpResponse:
    year = selectors.today().year
    return xlsx_response(
        workbooks.plan_template(year, Component.objects.all()), f"mau-ke-hoach-cchc-{year}.xlsx"
    )


def _plan_context(request, plan: Plan) -> dict:
    summary = selectors.plan_summary(plan)
    return {
        "tab": "plans",
        "plan": plan,
        "summary": summary,
        "can_edit": can(request.user, "edit", plan.unit),
        "status_choices": [(s, rules.STATUS_LABELS[s]) for s in rules.STORED_STATUSES],
        "today": selectors.today(),
    }


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.plan_for(request.user, pk, "view")
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            workbooks.plan_export(plan, Component.objects.all()),
            f"ke-hoach-cchc-{plan.year}-{plan.unit.code}.xlsx",
        )
    context = _plan_context(request, plan)
    if request.htmx:
        response = render(request, "plans/plan_detail.html#body", context)
    else:
        # What changed after the items were made (their creation is in the plan's history).
        context["history"] = selectors.history_rows(
            PlanItem.history.filter(plan_id=plan.pk)
            .exclude(history_type="+")
            .select_related("history_user")
            .order_by("-history_date"),
            15,
            subject=lambda r: f"{r.code}. {r.title}",
        )
        context["next_plan"] = Plan.objects.filter(unit=plan.unit, year=plan.year + 1).first()
        context["plan_history"] = selectors.object_history(plan, 10)
        response = render(request, "plans/plan_detail.html", context)
    response["Vary"] = "HX-Request"
    return response


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.plan_for(request.user, pk, "edit")
    form = PlanEditForm(
        request.POST or None,
        initial={"title": plan.title, "number": plan.number, "issued_on": plan.issued_on},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if "issue" in request.POST:
                services.plan_update(
                    plan=plan,
                    title=data["title"],
                    by=request.user,
                    number=data["number"],
                    issued_on=data["issued_on"],
                )
                services.plan_issue(
                    plan=plan, number=data["number"], issued_on=data["issued_on"], by=request.user
                )
                messages.success(request, "Đã ban hành kế hoạch.")
            else:
                services.plan_update(plan=plan, by=request.user, **data)
                messages.success(request, "Đã lưu.")
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            return redirect("plans:plan-detail", plan.pk)
    return render(request, "plans/plan_edit.html", {"tab": "plans", "plan": plan, "form": form})


@login_required
@require_POST
def plan_copy(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.plan_for(request.user, pk, "edit")
    try:
        copy = services.plan_copy(plan=plan, by=request.user)
    except ValidationError as error:
        messages.error(request, message_of(error))
        return redirect("plans:plan-detail", plan.pk)
    messages.success(
        request,
        f"Đã sao chép thành dự thảo năm {copy.year}: thời hạn lùi một năm, trạng thái đặt lại.",
    )
    return redirect("plans:plan-detail", copy.pk)


@login_required
@require_POST
def plan_delete(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.plan_for(request.user, pk, "edit")
    try:
        services.plan_delete(plan=plan, by=request.user)
    except ValidationError as error:
        messages.error(request, message_of(error))
        return redirect("plans:plan-detail", plan.pk)
    messages.success(request, "Đã xóa kế hoạch dự thảo.")
    return redirect("plans:index")


# --- timeline -----------------------------------------------------------------------------

MONTHS = [f"T{m}" for m in range(1, 13)]


def _position(day: dt.date, start: dt.date, length: int) -> float:
    return max(0.0, min(100.0, (day - start).days * 100 / length))


@login_required
def plan_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    """A Gantt-like chart drawn by the server: one bar per item over the plan's year."""
    plan = access.plan_for(request.user, pk, "view")
    summary = selectors.plan_summary(plan)
    start = dt.date(plan.year, 1, 1)
    end = dt.date(plan.year + 1, 1, 1)
    length = (end - start).days
    months = []
    for month in range(1, 13):
        first = dt.date(plan.year, month, 1)
        nxt = dt.date(plan.year + (month == 12), month % 12 + 1, 1)
        months.append(
            {
                "label": MONTHS[month - 1],
                "left": round(_position(first, start, length), 3),
                "width": round((nxt - first).days * 100 / length, 3),
            }
        )
    # A parent without dates of its own spans its children's.
    children: dict[int, list[int]] = {}
    for row in summary.rows:
        children.setdefault(row.item.parent_id, []).append(row.item.pk)
    spans: dict[int, tuple[dt.date | None, dt.date | None]] = {}
    for row in reversed(summary.rows):  # children come after their parent
        item = row.item
        kids = [spans[pk] for pk in children.get(item.pk, [])]
        starts = [s for s, _ in kids if s] + ([item.start_on] if item.start_on else [])
        dues = [d for _, d in kids if d]
        spans[item.pk] = (
            item.start_on or (min(starts) if starts else None),
            item.due_on or (max(dues) if dues else None),
        )
    bars = []
    for row in summary.rows:
        item = row.item
        begin, due = spans[item.pk]
        bar = {"row": row, "has_dates": bool(due or begin), "open_start": begin is None}
        if due or begin:
            b = begin or start
            e = (due or end) + dt.timedelta(days=1)
            left = _position(b, start, length)
            right = _position(e, start, length)
            bar.update(
                left=round(left, 3),
                width=round(max(right - left, 0.6), 3),
                before=b < start,
                after=(due or end) >= end,
            )
        bars.append(bar)
    today = selectors.today()
    today_left = round(_position(today, start, length), 3) if start <= today < end else None
    return render(
        request,
        "plans/plan_timeline.html",
        {
            "tab": "plans",
            "plan": plan,
            "summary": summary,
            "months": months,
            "bars": bars,
            "today": today,
            "today_left": today_left,
        },
    )


# --- items --------------------------------------------------------------------------------


@login_required
def item_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.plan_for(request.user, pk, "edit")
    parent = None
    parent_id = int_param(request.POST.get("parent") or request.GET.get("parent"))
    if parent_id:
        parent = access.item_for(request.user, parent_id, "edit")
        if parent.plan_id != plan.pk:
            parent = None
    initial = {}
    if parent is not None:
        initial = {
            "component": parent.component_id,
            "lead_unit_name": parent.lead_unit_name,
            "due_on": parent.due_on,
        }
    form = ItemForm(request.POST or None, unit=plan.unit, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_create(
                plan=plan, parent=parent, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, f"Đã thêm {item.get_level_display().lower()} {item.code}.")
            return redirect(reverse("plans:plan-detail", args=[plan.pk]) + f"#item-{item.pk}")
    level = (
        "mục tiêu"
        if parent is None
        else "nhiệm vụ"
        if parent.level == PlanItem.Level.OBJECTIVE
        else "hoạt động"
    )
    return render(
        request,
        "plans/item_form.html",
        {"tab": "plans", "plan": plan, "parent": parent, "form": form, "level": level},
    )


@login_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.item_for(request.user, pk, "view")
    can_edit = can(request.user, "edit", item.plan.unit)
    form = ItemForm(instance=item, unit=item.plan.unit)
    if request.method == "POST":
        access.item_for(request.user, pk, "edit")
        form = ItemForm(
            request.POST, instance=PlanItem.objects.get(pk=item.pk), unit=item.plan.unit
        )
        if form.is_valid():
            reason = (request.POST.get("reason") or "").strip()
            try:
                services.item_update(item=item, reason=reason, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(request, "Đã lưu.")
                return redirect("plans:item-detail", item.pk)
    summary = selectors.plan_summary(item.plan)
    row = next(r for r in summary.rows if r.item.pk == item.pk)
    children = [r for r in summary.rows if r.item.parent_id == item.pk]
    return render(
        request,
        "plans/item_detail.html",
        {
            "tab": "plans",
            "plan": item.plan,
            "item": item,
            "row": row,
            "children": children,
            "form": form,
            "can_edit": can_edit,
            "status_form": StatusForm(initial={"status": item.status}),
            "evidence_form": EvidenceForm(),
            "evidence": item.evidence.select_related("uploaded_by"),
            "history": selectors.object_history(item, 30),
        },
    )


@login_required
@require_POST
def item_status(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.item_for(request.user, pk, "edit")
    form, saved = change_status(
        request,
        functools.partial(services.item_set_status, item=item, by=request.user),
        reason=True,
        prefix=f"{item.code}: ",
    )
    if not form.is_valid():
        messages.error(request, f"{item.code}: trạng thái không hợp lệ.")
    elif saved and not request.htmx:
        messages.success(
            request, f"{item.code}: {rules.STATUS_LABELS[form.cleaned_data['status']]}."
        )
    if request.htmx:
        context = _plan_context(request, item.plan)
        context["flash_item"] = item.pk
        response = render(request, "plans/plan_detail.html#body", context)
        response["Vary"] = "HX-Request"
        return response
    if request.POST.get("next") == "item":
        return redirect("plans:item-detail", item.pk)
    return redirect(reverse("plans:plan-detail", args=[item.plan_id]) + f"#item-{item.pk}")


@login_required
@require_POST
def item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.item_for(request.user, pk, "edit")
    plan_id = item.plan_id
    try:
        services.item_delete(item=item, by=request.user)
    except ValidationError as error:
        messages.error(request, message_of(error))
        return redirect("plans:item-detail", item.pk)
    messages.success(request, "Đã xóa.")
    return redirect("plans:plan-detail", plan_id)


@login_required
@require_POST
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.item_for(request.user, pk, "edit")
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.evidence_add(item=item, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, message_of(error))
        else:
            messages.success(request, "Đã thêm tài liệu kiểm chứng.")
    else:
        messages.error(
            request,
            "Tài liệu kiểm chứng chưa hợp lệ: "
            + "; ".join(
                f"{form.fields[f].label}: {' '.join(e)}" if f in form.fields else " ".join(e)
                for f, e in form.errors.items()
            ),
        )
    return redirect(reverse("plans:item-detail", args=[item.pk]) + "#evidence")


@login_required
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = PlanEvidence.objects.select_related("item").filter(pk=pk).first()
    if evidence is None:
        from django.http import Http404

        raise Http404("Không tìm thấy tài liệu.")
    access.item_for(request.user, evidence.item_id, "view")
    return file_response(evidence.file)


# --- late and due soon --------------------------------------------------------------------


@login_required
def due_list(request: HttpRequest) -> HttpResponse:
    unit = None
    unit_id = int_param(request.GET.get("unit"))
    if unit_id:
        unit = get_unit_for(request.user, unit_id, "view")
    days = min(max(int_param(request.GET.get("days"), rules.DUE_SOON_DAYS), 1), 90)
    entries = selectors.due_entries(request.user, days=days, unit=unit)
    profile = getattr(request.user, "profile", None)
    mine = [e for e in entries if profile and e.who == profile.full_name]
    return render(
        request,
        "plans/due.html",
        {
            "tab": "due",
            "unit": unit,
            "days": days,
            "entries": entries,
            "mine": mine,
            "by_person": selectors.group_by_person(entries),
            "by_unit": selectors.group_by_unit(entries),
            "late": sum(e.late for e in entries),
            "today": selectors.today(),
        },
    )
