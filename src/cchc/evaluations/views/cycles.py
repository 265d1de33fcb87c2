"""Cycle pages: the list, opening a cycle, a cycle's state and progress, transitions,
publication."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cchc.core.collation import vn_order, vn_sort_key
from cchc.evaluations import selectors, services
from cchc.evaluations.forms import (
    CorrectionForm,
    CycleOpenForm,
    PublishForm,
    ReasonForm,
    block_for,
)
from cchc.evaluations.models import (
    Cycle,
    CycleState,
    CycleUnit,
    CycleUnitStatus,
    Evidence,
    RemediationDuty,
    Score,
)
from cchc.evaluations.services import EvaluationError
from cchc.evaluations.views.common import STATE_BADGE, STATUS_BADGE, cycle_for, cycle_unit_for
from cchc.units.lifetime import existing_in
from cchc.units.models import Unit
from cchc.units.permissions import acting_unit, can, home_unit, is_administrator
from cchc.units.roles import APPRAISER

ERR_ONLY_ADMIN = "Chỉ quản trị viên (Sở Nội vụ) được mở kỳ đánh giá."

# What moving forward means, as the administrator reads it on the button and the
# confirmation page.
FORWARD = {
    CycleState.DRAFT: (
        CycleState.SELF_ASSESSMENT,
        "Bắt đầu tự đánh giá",
        "Các đơn vị được mở bản tự đánh giá và thấy hạn nộp. Số liệu đo được (hồ sơ TTHC, "
        "điều tra) được lấy ngay cho các tiêu chí tính từ số liệu.",
    ),
    CycleState.SELF_ASSESSMENT: (
        CycleState.APPRAISAL,
        "Chuyển sang thẩm định",
        # services.common.self_editable: in appraisal only a returned unit may edit, so an
        # unsubmitted unit can no longer submit (issue 15: the old text promised it could).
        "Tổ thẩm định bắt đầu chấm điểm thẩm định. Từ lúc này không đơn vị nào sửa hay gửi "
        "được bản tự đánh giá, kể cả đơn vị chưa gửi: Tổ thẩm định chấm trên những điểm và "
        "tài liệu đơn vị đã nhập. Đơn vị chỉ sửa lại được khi Tổ thẩm định trả lại để giải "
        "trình.",
    ),
    CycleState.APPRAISAL: (
        CycleState.FINALISED,
        "Chốt kết quả",
        "Mọi đơn vị phải đã thẩm định xong. Kết quả, thứ hạng và xếp loại được chốt; các đơn "
        "vị thuộc diện khắc phục nhận nghĩa vụ nộp kế hoạch khắc phục.",
    ),
}


def _steps(cycle: Cycle) -> list[dict]:
    order = list(CycleState)
    current = order.index(CycleState(cycle.state))
    return [
        {"label": state.label, "done": i < current, "current": i == current}
        for i, state in enumerate(order)
    ]


@login_required
def cycle_list(request: HttpRequest) -> HttpResponse:
    cycles = vn_order(
        selectors.cycles_for(request.user).annotate(n_units=Count("cycle_units")), "-year", "name"
    )
    home = home_unit(request.user)
    mine = {}
    if home is not None:
        for cu in CycleUnit.objects.filter(cycle__in=[c.pk for c in cycles], unit=home):
            mine[cu.cycle_id] = cu
    for cycle in cycles:
        cycle.my_unit = mine.get(cycle.pk)
        cycle.badge = STATE_BADGE.get(cycle.state, "")
        cycle.can_admin = selectors.can_administer(request.user, cycle)
    return render(
        request,
        "evaluations/cycle_list.html",
        {
            "cycles": cycles,
            "can_open": is_administrator(request.user) and home is not None,
            "is_appraiser": APPRAISER in _roles(request),
        },
    )


def _roles(request):
    from cchc.units.permissions import roles_of

    return roles_of(request.user)


@login_required
def cycle_create(request: HttpRequest) -> HttpResponse:
    organiser = acting_unit(request.user)
    if organiser is None or not can(request.user, "administer", organiser):
        raise PermissionDenied(ERR_ONLY_ADMIN)
    form = CycleOpenForm(request.POST or None, organiser=organiser)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cycle = services.cycle_open(
                framework=data["framework"],
                year=data["year"],
                name=data["name"],
                organiser=organiser,
                units=form.units(),
                measure_start=data["measure_start"],
                measure_end=data["measure_end"],
                appraising_body=data.get("appraising_body"),
                self_assessment_deadline=data.get("self_assessment_deadline"),
                appraisal_deadline=data.get("appraisal_deadline"),
                remediation_deadline=data.get("remediation_deadline"),
                by=request.user,
            )
        except EvaluationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(
                request,
                f"Đã mở kỳ đánh giá “{cycle.name}” (dự thảo) với "
                f"{cycle.cycle_units.count()} đơn vị. Kiểm tra danh sách rồi bắt đầu tự đánh giá.",
            )
            return redirect("cycle-detail", pk=cycle.pk)
    return render(
        request,
        "evaluations/cycle_form.html",
        {"form": form, "organiser": organiser},
        status=400 if form.is_bound and form.errors else 200,
    )


def progress_rows(cycle: Cycle, cycle_units) -> list[dict]:
    """Per unit: leaves scored, evidence leaves documented, self total, in three queries."""
    ids = [cu.pk for cu in cycle_units]
    scored = (
        Q(self_score__isnull=False)
        | Q(appraised_score__isnull=False)
        | Q(measured_points__isnull=False)
    )
    counts = {
        row["cycle_unit"]: row
        for row in Score.objects.filter(cycle_unit__in=ids)
        .values("cycle_unit")
        .annotate(
            leaves=Count("id"),
            scored=Count("id", filter=scored),
            evidence_leaves=Count("id", filter=Q(criterion__method="evidence")),
            self_total=Sum("self_score"),
            appraised=Count("id", filter=Q(appraised_score__isnull=False)),
        )
    }
    documented = dict(
        Evidence.objects.filter(cycle_unit__in=ids, criterion__method="evidence")
        .values("cycle_unit")
        .annotate(n=Count("criterion", distinct=True))
        .values_list("cycle_unit", "n")
    )
    rows = []
    for cu in cycle_units:
        c = counts.get(cu.pk, {})
        rows.append(
            {
                "cu": cu,
                "badge": STATUS_BADGE.get(cu.status, ""),
                "leaves": c.get("leaves", 0),
                "scored": c.get("scored", 0),
                "evidence_leaves": c.get("evidence_leaves", 0),
                "documented": documented.get(cu.pk, 0),
                "self_total": c.get("self_total"),
                "appraised": c.get("appraised", 0),
            }
        )
    return rows


@login_required
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = cycle_for(request, pk)
    is_admin = selectors.can_administer(request.user, cycle)
    cycle_units = vn_order(
        selectors.cycle_units_for(request.user, cycle).select_related("submitted_by"),
        "block",
        "unit__name",
    )
    block = request.GET.get("block", "")
    status = request.GET.get("status", "")
    query = (request.GET.get("q") or "").strip()
    all_blocks = sorted({cu.block for cu in cycle_units})
    status_counts = Counter(cu.status for cu in cycle_units)
    shown = [
        cu
        for cu in cycle_units
        if (not block or cu.block == block)
        and (not status or cu.status == status)
        and (not query or query.lower() in cu.unit.name.lower())
    ]
    rows = progress_rows(cycle, shown)
    for row in rows:
        unit = row["cu"].unit
        row["can_edit"] = can(request.user, "edit", unit)
        row["can_appraise"] = can(request.user, "appraise", unit)
    forward = FORWARD.get(CycleState(cycle.state))
    back_states = [s for s in list(CycleState)[: list(CycleState).index(CycleState(cycle.state))]]
    context = {
        "cycle": cycle,
        "badge": STATE_BADGE.get(cycle.state, ""),
        "steps": _steps(cycle),
        "is_admin": is_admin,
        "rows": rows,
        "total_units": len(cycle_units),
        "status_counts": [
            (s.value, s.label, status_counts.get(s.value, 0), STATUS_BADGE.get(s.value, ""))
            for s in CycleUnitStatus
        ],
        "statuses": list(CycleUnitStatus),
        "blocks": all_blocks,
        "block": block,
        "status": status,
        "q": query,
        "forward": forward,
        "can_publish": is_admin and cycle.state == CycleState.FINALISED,
        "can_reopen": is_admin and back_states and cycle.state != CycleState.PUBLISHED,
        "back_to": back_states[-1].value if back_states else "",
        "transitions": selectors.cycle_transitions(cycle),
        "results_visible": is_admin or cycle.state == CycleState.PUBLISHED,
        "duties": RemediationDuty.objects.filter(cycle_unit__cycle=cycle).count(),
        "add_candidates": _add_candidates(cycle) if is_admin and cycle.state == "draft" else [],
    }
    return render(request, "evaluations/cycle_detail.html", context)


def _add_candidates(cycle: Cycle):
    taken = cycle.cycle_units.values("unit_id")
    # The units that existed in the cycle's measured year (a 2022 cycle adds the communes
    # of 2022), in Vietnamese order.
    units = existing_in(
        Unit.objects.filter(path__startswith=cycle.organiser.path),
        cycle.measure_start,
        cycle.measure_end,
    )
    return vn_order(
        units.exclude(pk__in=taken)
        .exclude(pk=cycle.organiser_id)
        .filter(kind__in=["commune", "ward", "special_zone", "town", "department"])
        .order_by("kind", "path")[:500],
        "kind",
        "name",
    )


@login_required
@require_POST
def cycle_unit_add(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = cycle_for(request, pk, "administer")
    unit = Unit.objects.filter(pk=request.POST.get("unit") or 0).first()
    if unit is None:
        raise Http404("Không tìm thấy đơn vị.")
    block = (request.POST.get("block") or "").strip() or block_for(unit)
    try:
        services.cycle_add_unit(cycle=cycle, unit=unit, block=block, by=request.user)
    except EvaluationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Đã thêm {unit.name} ({block}).")
    return redirect("cycle-detail", pk=cycle.pk)


@login_required
@require_POST
def cycle_unit_remove(request: HttpRequest, pk: int) -> HttpResponse:
    cycle_unit = cycle_unit_for(request, pk, "view")
    cycle = cycle_for(request, cycle_unit.cycle_id, "administer")
    try:
        services.cycle_remove_unit(cycle_unit=cycle_unit, by=request.user)
    except EvaluationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Đã bỏ {cycle_unit.unit.name} khỏi kỳ đánh giá.")
    return redirect("cycle-detail", pk=cycle.pk)


@login_required
def cycle_transition(request: HttpRequest, pk: int, to_state: str) -> HttpResponse:
    """Confirm, then move the cycle forward one step or back (with a reason)."""
    cycle = cycle_for(request, pk, "administer")
    try:
        target = CycleState(to_state)
    except ValueError:
        raise Http404("Không có trạng thái này.") from None
    order = list(CycleState)
    backwards = order.index(target) < order.index(CycleState(cycle.state))
    forward = FORWARD.get(CycleState(cycle.state))
    if target == CycleState.PUBLISHED:
        return redirect("cycle-publish", pk=cycle.pk)
    if not backwards and (forward is None or forward[0] != target):
        raise Http404("Không thể chuyển sang trạng thái này.")
    form = ReasonForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.cycle_transition(
                cycle=cycle, to_state=target, by=request.user, reason=form.cleaned_data["reason"]
            )
        except EvaluationError as exc:
            error = exc.message
        else:
            messages.success(request, f"Kỳ đánh giá đã chuyển sang “{target.label}”.")
            return redirect("cycle-detail", pk=cycle.pk)
    return render(
        request,
        "evaluations/cycle_transition.html",
        {
            "cycle": cycle,
            "target": target,
            "backwards": backwards,
            "title": (f"Đưa về “{target.label}”" if backwards else forward[1]),  # type: ignore[index]
            "explanation": (
                "Kỳ đánh giá lùi về trạng thái trước. Việc này được ghi lại cùng lý do và người "
                "thực hiện."
                if backwards
                else forward[2]  # type: ignore[index]
            ),
            "form": form,
            "error": error,
            "unsubmitted": (
                sorted(
                    (
                        cu.unit.name
                        for cu in cycle.cycle_units.select_related("unit").filter(
                            status__in=(CycleUnitStatus.NOT_STARTED, CycleUnitStatus.IN_PROGRESS)
                        )
                    ),
                    key=vn_sort_key,
                )
                if target == CycleState.APPRAISAL and not backwards
                else []
            ),
            "back_states": order[: order.index(CycleState(cycle.state))],
        },
        status=400 if error else 200,
    )


@login_required
def cycle_publish(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = cycle_for(request, pk, "administer")
    form = PublishForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.cycle_publish(
                cycle=cycle,
                decision_no=form.cleaned_data["decision_no"],
                decision_date=form.cleaned_data["decision_date"],
                by=request.user,
            )
        except EvaluationError as exc:
            error = exc.message
        else:
            messages.success(
                request,
                "Đã công bố kết quả. Trang công khai (không cần đăng nhập) đã hiển thị bảng "
                "xếp hạng.",
            )
            return redirect(reverse("public-cycle", args=[cycle.pk]))
    return render(
        request,
        "evaluations/cycle_publish.html",
        {"cycle": cycle, "form": form, "error": error, "units": cycle.cycle_units.count()},
        status=400 if error or (form.is_bound and form.errors) else 200,
    )


@login_required
@require_POST
def cycle_refresh_measures(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = cycle_for(request, pk, "administer")
    try:
        n = services.cycle_metrics_refresh(cycle=cycle, by=request.user)
    except EvaluationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Đã cập nhật số liệu đo được của {n} đơn vị.")
    return redirect("cycle-detail", pk=cycle.pk)


@login_required
def cycle_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a published score by a decision, with a reason: the only change a published
    cycle accepts (services.cycle_correct republishes and keeps it in history)."""
    cycle = cycle_for(request, pk, "administer")
    form = CorrectionForm(request.POST or None, cycle=cycle)
    error = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.cycle_correct(
                cycle=cycle,
                corrections={data["score"]: data["value"]},
                decision_no=data["decision_no"],
                decision_date=data["decision_date"],
                reason=data["reason"],
                by=request.user,
            )
        except EvaluationError as exc:
            error = exc.message
        else:
            messages.success(request, "Đã đính chính và công bố lại kết quả.")
            return redirect(reverse("cycle-detail", args=[cycle.pk]))
    corrections = cycle.transitions.filter(from_state=CycleState.PUBLISHED).select_related("by")
    return render(
        request,
        "evaluations/cycle_correct.html",
        {"cycle": cycle, "form": form, "error": error, "corrections": corrections},
        status=400 if error or (form.is_bound and form.errors) else 200,
    )
