"""Appraisal (the appraiser of that unit): self score, note and evidence beside the appraised
score; a reason whenever they differ; return for explanation; finalise the unit."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cchc.core.collation import vn_order
from cchc.core.formatting import round_half_up
from cchc.evaluations import services
from cchc.evaluations.forms import ReasonForm, ReturnForm
from cchc.evaluations.models import CycleState, CycleUnit, CycleUnitStatus
from cchc.evaluations.services import EvaluationError
from cchc.evaluations.views.common import (
    STATE_BADGE,
    STATUS_BADGE,
    SheetRow,
    cycle_unit_for,
    run_on_post,
    score_for,
    score_saved,
    sheet_row_response,
)
from cchc.evaluations.views.scoring import sheet_context
from cchc.units.permissions import assigned_unit_ids, can, home_unit, is_administrator

TEMPLATE = "evaluations/appraisal.html"
ROW = SheetRow(TEMPLATE, "row", "appraisal", "a")
KEEP_MEASURED = "Giữ điểm tính từ số liệu đo được (làm tròn 4 chữ số)"


@login_required
def appraisal_list(request: HttpRequest) -> HttpResponse:
    """The units this person appraises, with their status, across open cycles."""
    user = request.user
    query = Q(unit_id__in=assigned_unit_ids(user))
    home = home_unit(user)
    if is_administrator(user) and home is not None:
        query |= Q(cycle__organiser__path__startswith=home.path)
    if user.is_superuser:
        query = Q()
    cycle_units = (
        CycleUnit.objects.filter(query)
        .exclude(cycle__state=CycleState.DRAFT)
        .select_related("cycle", "unit", "submitted_by")
        .order_by("-cycle__year", "cycle_id", "block", "unit__path")
    )
    cycle_id = request.GET.get("cycle", "")
    status = request.GET.get("status", "")
    cycles = vn_order({cu.cycle for cu in cycle_units}, "-year", "name")
    if not cycle_id and cycles:
        open_cycles = [c for c in cycles if c.state in (CycleState.APPRAISAL, "self_assessment")]
        cycle_id = str((open_cycles or cycles)[0].pk)
    if cycle_id:
        cycle_units = cycle_units.filter(cycle_id=cycle_id)
    counts = {s.value: 0 for s in CycleUnitStatus}
    for cu in cycle_units:
        counts[cu.status] += 1
    if status:
        cycle_units = cycle_units.filter(status=status)
    rows = [
        {
            "cu": cu,
            "badge": STATUS_BADGE.get(cu.status, ""),
            "can_appraise": can(user, "appraise", cu.unit),
        }
        for cu in vn_order(cycle_units, "-cycle__year", "cycle__name", "block", "unit__name")
    ]
    return render(
        request,
        "evaluations/appraisal_list.html",
        {
            "rows": rows,
            "cycles": cycles,
            "cycle_id": cycle_id,
            "status": status,
            "statuses": [(s.value, s.label, counts[s.value]) for s in CycleUnitStatus],
        },
    )


def appraisal_context(request: HttpRequest, cycle_unit: CycleUnit) -> dict:
    context = sheet_context(request, cycle_unit)
    context.update(
        {
            "appraisable": services.appraisable(cycle_unit),
            "return_form": ReturnForm(),
            "state_badge": STATE_BADGE.get(cycle_unit.cycle.state, ""),
        }
    )
    return context


@login_required
def appraisal(request: HttpRequest, pk: int) -> HttpResponse:
    cycle_unit = cycle_unit_for(request, pk, "appraise")
    return render(request, TEMPLATE, appraisal_context(request, cycle_unit))


def _row_response(
    request: HttpRequest, cycle_unit: CycleUnit, code: str, *, error: str = "", saved: str = ""
) -> HttpResponse:
    context = appraisal_context(request, cycle_unit)
    return sheet_row_response(request, context, ROW, code, error=error, saved=saved)


@login_required
@require_POST
def score_appraise_save(request: HttpRequest, pk: int) -> HttpResponse:
    score = score_for(request, pk, "appraise")
    code = score.criterion.code
    value = request.POST.get("value", "")
    reason = request.POST.get("reason", "")
    if "keep" in request.POST:
        # "Giữ điểm tự chấm": the appraised score equals the unit's own. Points computed
        # from a measured value may carry more decimals than a score: kept rounded, and
        # the rounding is the reason.
        if score.self_score is not None:
            value = str(score.self_score)
        elif score.measured_points is not None:
            value = str(round_half_up(score.measured_points, 4))
            reason = reason or KEEP_MEASURED
        else:
            value = ""
    return score_saved(
        functools.partial(_row_response, request, score.cycle_unit, code),
        lambda: services.appraisal_set_score(
            score=score, value=value, reason=reason, by=request.user
        ),
        f"Đã lưu điểm thẩm định tiêu chí {code}",
    )


@login_required
def appraisal_return(request: HttpRequest, pk: int) -> HttpResponse:
    cycle_unit = cycle_unit_for(request, pk, "appraise")
    form = ReturnForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.appraisal_return(
                cycle_unit=cycle_unit,
                message=form.cleaned_data["message"],
                deadline=form.cleaned_data["deadline"],
                by=request.user,
            )
        except EvaluationError as exc:
            if exc.field in form.fields:
                form.add_error(exc.field, exc.message)
            else:
                error = exc.message
        else:
            messages.success(
                request, f"Đã trả lại {cycle_unit.unit.name} để giải trình; đơn vị thấy yêu cầu."
            )
            return redirect("appraisal", pk=cycle_unit.pk)
    context = appraisal_context(request, cycle_unit)
    context.update({"form": form, "error": error})
    failed = bool(error or (form.is_bound and form.errors))
    return render(
        request, "evaluations/appraisal_return.html", context, status=400 if failed else 200
    )


@login_required
def appraisal_finalise(request: HttpRequest, pk: int) -> HttpResponse:
    cycle_unit = cycle_unit_for(request, pk, "appraise")
    done = f"Đã hoàn tất thẩm định {cycle_unit.unit.name}."
    made, error = run_on_post(request, services.appraisal_finalise_unit, cycle_unit, done)
    if made:
        return redirect("appraisal", pk=cycle_unit.pk)
    context = appraisal_context(request, cycle_unit)
    context["error"] = error
    context["unscored"] = services.unscored_codes(cycle_unit, final=True)
    return render(
        request, "evaluations/appraisal_finalise.html", context, status=400 if error else 200
    )


@login_required
def appraisal_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    cycle_unit = cycle_unit_for(request, pk, "appraise")
    form = ReasonForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.appraisal_reopen_unit(
                cycle_unit=cycle_unit, reason=form.cleaned_data["reason"], by=request.user
            )
        except EvaluationError as exc:
            error = exc.message
        else:
            messages.success(request, f"Đã mở lại thẩm định {cycle_unit.unit.name}.")
            return redirect("appraisal", pk=cycle_unit.pk)
    context = appraisal_context(request, cycle_unit)
    context.update({"form": form, "error": error})
    return render(
        request, "evaluations/appraisal_reopen.html", context, status=400 if error else 200
    )
