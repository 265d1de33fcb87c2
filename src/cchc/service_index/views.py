"""Pages of the QĐ 766 index and the feedback register. Thin: permission-scoped fetch first,
then a form or a selector, a service for any change, render or redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cchc.core.collation import vn_order
from cchc.core.formatting import vn_date
from cchc.core.jobs import start_upload
from cchc.core.people import Person
from cchc.dossiers.periods import Period, PeriodError, vn_today
from cchc.service_index import forms, selectors, services, tasks
from cchc.service_index.compute import loses_most
from cchc.service_index.export import index_xlsx, ranking_xlsx
from cchc.service_index.feedback_rules import DEADLINES, STATE_LABELS
from cchc.service_index.models import OPEN_FEEDBACK, Feedback, FeedbackStatus
from cchc.service_index.presentation import (
    indicator_views,
    rank_sentence,
    reachable_sentence,
    total_sentence,
    trend_chart_svg,
)
from cchc.units import lifetime
from cchc.units.models import Unit
from cchc.units.permissions import can, get_unit_for, home_unit, visible_units

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PEERS_LABEL = "xã, phường, đặc khu cùng cấp"
ZERO_FEEDBACK = "Chưa nhận được phản ánh, kiến nghị nào trong kỳ"


def _today():
    # Vietnam time, the same "today" as every other figure (periods.vn_today)
    return vn_today()


def _period(
    request: HttpRequest, *, kind: str = "quarter", unit: Unit | None = None
) -> tuple[Period, forms.PeriodForm]:
    """The period asked for (?period=2023-Q1 or ?start=&end=), else the current quarter
    (kind "quarter") or year (kind "year") up to today. For a unit that has ended (a
    former commune or district), the default is the reporting year of its last day, up to
    that day: the last period it existed in, not a period in which it has no units."""
    today = _today()
    choices = selectors.period_choices(today)
    default_code = selectors.current_period_code(kind, today)
    period = selectors.resolve_period(code=default_code, today=today)
    last = lifetime.last_day(unit, today)
    if last < today:
        default_code = selectors.current_period_code("year", last)
        period = selectors.resolve_period(code=default_code, today=last)
    form = forms.PeriodForm(request.GET or None, choices=choices)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            period = selectors.resolve_period(
                code=data.get("period") or (None if data.get("start") else default_code),
                start=data.get("start"),
                end=data.get("end"),
                today=today,
            )
        except PeriodError as error:
            form.add_error("period", str(error))
    elif not form.is_bound:
        form = forms.PeriodForm(initial={"period": default_code}, choices=choices)
        if last < today:
            form = forms.PeriodForm(
                initial={"start": period.start, "end": period.end}, choices=choices
            )
    return period, form


def _query(period: Period) -> str:
    return f"start={period.start.isoformat()}&end={period.end.isoformat()}"


# -- the index --------------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Straight to one's own unit's index; otherwise the units one may look at."""
    unit = home_unit(request.user)
    units = selectors.units_with_index(request.user)
    if unit is not None and unit in units and "all" not in request.GET:
        return redirect("service_index:unit", pk=unit.pk)
    parents = vn_order(
        visible_units(request.user).filter(children__kind__in=selectors.COMMUNE_KINDS).distinct(),
        "valid_to",
        "name",
    )
    return render(
        request,
        "service_index/home.html",
        {"units": units[:300], "count": len(units), "parents": parents},
    )


@login_required
def unit_index(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for(request.user, pk, "view")
    period, period_form = _period(request, unit=unit)
    computer = selectors.IndexComputer()
    result, trend, rank = selectors.unit_page(unit, period, computer)
    feedback = selectors.unit_feedback(unit, period).aggregate(
        count=Count("pk"), open=Count("pk", filter=Q(status__in=OPEN_FEEDBACK))
    )
    publication = selectors.publication_rows(unit, period, computer)
    return render(
        request,
        "service_index/unit_index.html",
        {
            "unit": unit,
            "period": period,
            "period_form": period_form,
            "query": _query(period),
            "result": result,
            "total": total_sentence(result),
            "total_lost": result.max_available - result.total,
            "reachable": reachable_sentence(result),
            "rank": rank,
            "rank_text": rank_sentence(rank, PEERS_LABEL),
            "losing": indicator_views(loses_most(result)),
            "groups": [
                (g, indicator_views([r for r in result.indicators if r.indicator.group == g.code]))
                for g in result.groups
            ],
            "trend": trend,
            "publication": publication,
            "pub_focus": [p for p in publication if p.problems or p.announced_in_period],
            "pub_rest": [p for p in publication if not (p.problems or p.announced_in_period)],
            "feedback_count": feedback["count"],
            "feedback_open": feedback["open"],
            "zero_feedback": ZERO_FEEDBACK,
            "can_edit": can(request.user, "edit", unit),
            "definition": result.definition,
        },
    )


@login_required
def unit_trend_svg(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for(request.user, pk, "view")
    period, _ = _period(request, unit=unit)
    trend = selectors.IndexComputer().trend(unit, period)
    response = HttpResponse(trend_chart_svg(trend), content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
def unit_index_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for(request.user, pk, "view")
    period, _ = _period(request, unit=unit)
    computer = selectors.IndexComputer()
    result = computer.result(unit, period)
    rank = selectors.rank_of(unit, period, computer) if unit.parent_id else None
    publication = selectors.publication_rows(unit, period, computer)
    response = HttpResponse(index_xlsx(unit.name, result, rank, publication), content_type=XLSX)
    name = f"chi-so-766-{unit.scheme}-{unit.code}-{period.start}-{period.end}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _ranking_rows(request: HttpRequest, pk: int):
    parent, visible = selectors.ranking_scope(request.user, pk)
    period, period_form = _period(request, unit=parent)
    rows = selectors.ranking(vn_order(selectors.rankable_children(parent, period)), period)
    return parent, visible, period, period_form, rows


@login_required
def ranking(request: HttpRequest, pk: int) -> HttpResponse:
    parent, visible, period, period_form, rows = _ranking_rows(request, pk)
    shown = [row for row in rows if row.unit.pk in visible]
    return render(
        request,
        "service_index/ranking.html",
        {
            "parent": parent,
            "period": period,
            "period_form": period_form,
            "query": _query(period),
            "rows": shown,
            "total_units": len(rows),
            "hidden": len(rows) - len(shown),
            "groups": selectors.definition().groups,
            "basis": rows[0].ranked.basis if rows else (),
        },
    )


@login_required
def ranking_xlsx_view(request: HttpRequest, pk: int) -> HttpResponse:
    parent, visible, period, _, rows = _ranking_rows(request, pk)
    data = ranking_xlsx(
        parent.name, [(r.unit.name, r.ranked) for r in rows if r.unit.pk in visible], period.label
    )
    response = HttpResponse(data, content_type=XLSX)
    name = f"xep-hang-766-{parent.scheme}-{parent.code}-{period.start}-{period.end}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# -- the feedback register --------------------------------------------------------------------


@login_required
def feedback_list(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for(request.user, pk, "view")
    today = _today()
    period, period_form = _period(request, kind="year")
    show = request.GET.get("show", "all")
    if show == "due":
        rows = selectors.feedback_due([unit.pk], today)
    else:
        rows = selectors.feedback_rows(selectors.unit_feedback(unit, period), today)
    return render(
        request,
        "service_index/feedback_list.html",
        {
            "unit": unit,
            "period": period,
            "period_form": period_form,
            "query": _query(period),
            "rows": rows,
            "show": show,
            "by_class": selectors.feedback_by_class(unit, period),
            "received": selectors.unit_feedback(unit, period).count(),
            "zero_feedback": ZERO_FEEDBACK,
            "can_edit": can(request.user, "edit", unit),
            "state_labels": STATE_LABELS,
            "today": today,
        },
    )


@login_required
def feedback_new(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for(request.user, pk, "edit")
    form = forms.FeedbackForm(
        request.POST or None,
        procedures=selectors.catalogue(unit),
        people=services.assignable_people(unit),
    )
    if request.method == "POST" and form.is_valid():
        try:
            feedback = services.feedback_record(unit=unit, by=request.user, **form.cleaned_data)
        except services.FeedbackError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(
                request,
                f"Đã ghi sổ phản ánh {feedback.code}; hạn trả lời {vn_date(feedback.answer_due_on)}.",
            )
            return redirect("service_index:feedback", pk=feedback.pk)
    return render(
        request,
        "service_index/feedback_new.html",
        {"unit": unit, "form": form, "deadlines": DEADLINES.values()},
    )


@login_required
def feedback_import(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for(request.user, pk, "edit")
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = start_upload(
            kind=tasks.JOB_KIND,
            title=f"Nhập sổ phản ánh, kiến nghị từ tệp {upload.name}",
            by=request.user,
            task=tasks.import_feedback_task,
            upload=upload,
            filename=upload.name,
            params={"unit_id": unit.pk},
        )
        return redirect("job-detail", job.pk)
    return render(
        request,
        "service_index/feedback_import.html",
        {
            "unit": unit,
            "form": form,
            "columns": services.IMPORT_COLUMNS,
            "required": services.REQUIRED_IMPORT_COLUMNS,
        },
    )


@login_required
def feedback_template_csv(request: HttpRequest, pk: int) -> HttpResponse:
    get_unit_for(request.user, pk, "edit")
    header = ",".join(services.IMPORT_COLUMNS)
    example = (
        ",2025-03-03,hom_thu,Nguyễn Văn A,0912 345 678,,,,"
        '"Đề nghị niêm yết rõ lệ phí chứng thực",khong_phu_hop,,,,,,,,'
    )
    response = HttpResponse("\ufeff" + header + "\n" + example + "\n", content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="so-theo-doi-pakn-mau.csv"'
    return response


ACTION_FORMS = {
    "assign": forms.AssignForm,
    "supplement": forms.SupplementForm,
    "refuse": forms.RefuseForm,
    "answer": forms.AnswerForm,
    "publish": forms.PublishForm,
    "satisfaction": forms.SatisfactionForm,
}


def _action_forms(feedback: Feedback, bound: tuple[str, object] | None = None) -> dict:
    people = services.assignable_people(feedback.unit)
    out = {}
    for name, cls in ACTION_FORMS.items():
        kwargs = {"people": people} if name == "assign" else {}
        if bound and bound[0] == name:
            out[name] = bound[1]
            continue
        initial = {}
        if name == "satisfaction":
            initial = {
                "satisfaction": feedback.satisfaction or "",
                "repeat_complaint": feedback.repeat_complaint,
            }
        if name == "assign" and feedback.assigned_to_id:
            initial = {"assignee": feedback.assigned_to_id}
        out[name] = cls(initial=initial, prefix=name, **kwargs)
    return out


def _detail_context(request: HttpRequest, feedback: Feedback, bound=None) -> dict:
    today = _today()
    row = selectors.feedback_row(feedback, today, selectors.work_calendar([today.year]))
    history = feedback.history.select_related("history_user__profile").order_by("-history_date")
    return {
        "f": feedback,
        "unit": feedback.unit,
        "row": row,
        "deadlines": DEADLINES,
        "state_labels": STATE_LABELS,
        "history": history[:50],
        "can_edit": can(request.user, "edit", feedback.unit),
        "forms": _action_forms(feedback, bound),
        "statuses": FeedbackStatus,
        "open_for": bound[0] if bound else request.GET.get("action", ""),
    }


@login_required
def feedback_detail(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = selectors.feedback_for(request.user, pk, "view")
    return render(request, "service_index/feedback_detail.html", _detail_context(request, feedback))


@login_required
@require_POST
def feedback_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    feedback = selectors.feedback_for(request.user, pk, "edit")
    cls = ACTION_FORMS.get(action)
    if cls is None:
        return HttpResponse(status=404)
    kwargs = {"people": services.assignable_people(feedback.unit)} if action == "assign" else {}
    form = cls(request.POST, prefix=action, **kwargs)
    if form.is_valid():
        data = form.cleaned_data
        try:
            _run(action, feedback, data, request.user)
        except services.FeedbackError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, DONE_MESSAGES[action].format(code=feedback.code))
            return redirect("service_index:feedback", pk=feedback.pk)
    context = _detail_context(request, feedback, bound=(action, form))
    return render(request, "service_index/feedback_detail.html", context, status=400)


DONE_MESSAGES = {
    "assign": "Đã giao xử lý phản ánh {code}.",
    "supplement": "Đã ghi nhận yêu cầu bổ sung thông tin cho phản ánh {code}.",
    "refuse": "Đã từ chối tiếp nhận phản ánh {code}.",
    "answer": "Đã ghi nhận trả lời phản ánh {code}; cần công khai kết quả trong 2 ngày làm việc.",
    "publish": "Đã công khai kết quả trả lời phản ánh {code}.",
    "satisfaction": "Đã ghi nhận ý kiến của người phản ánh {code}.",
}


def _run(action: str, feedback: Feedback, data: dict, by: Person) -> None:
    s = services
    if action == "assign":
        s.feedback_assign(feedback=feedback, assignee=data["assignee"], by=by, note=data["note"])
    elif action == "supplement":
        s.feedback_request_supplement(feedback=feedback, on=data["on"], by=by, note=data["note"])
    elif action == "refuse":
        s.feedback_refuse(feedback=feedback, on=data["on"], reason=data["reason"], by=by)
    elif action == "answer":
        s.feedback_answer(feedback=feedback, on=data["on"], answer=data["answer"], by=by)
    elif action == "publish":
        s.feedback_publish(feedback=feedback, on=data["on"], where=data["where"], by=by)
    else:
        s.feedback_set_satisfaction(
            feedback=feedback,
            satisfaction=data["satisfaction"] or None,
            repeat_complaint=data["repeat_complaint"],
            by=by,
            note=data["note"],
        )


@login_required
def feedback_due(request: HttpRequest) -> HttpResponse:
    """What is late or due soon in every unit the person may see."""
    today = _today()
    rows = selectors.feedback_due(visible_units(request.user), today)
    return render(
        request,
        "service_index/feedback_due.html",
        {"rows": rows, "today": today, "state_labels": STATE_LABELS},
    )


def unit_links(unit: Unit) -> dict[str, str]:
    return {
        "index": reverse("service_index:unit", args=[unit.pk]),
        "feedback": reverse("service_index:feedback-list", args=[unit.pk]),
    }
