"""Results: a cycle's ranking per block, a unit's result card, charts (server-side SVG),
XLSX export, the history of a unit's scores and the remediation duties."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from cchc.core.collation import vn_order, vn_sort_key
from cchc.core.formatting import vn_date
from cchc.evaluations import selectors, services, visibility
from cchc.evaluations.forms import RemediationForm
from cchc.evaluations.models import Cycle, CycleState, CycleUnit, PublishedResult, RemediationDuty
from cchc.evaluations.services import EvaluationError
from cchc.evaluations.views import display
from cchc.evaluations.views.common import STATE_BADGE, cycle_for, cycle_unit_for
from cchc.units.permissions import NOT_ORGANISER_DUTY, can, duty_for, home_unit

ERR_NOT_PUBLISHED = (
    "Kết quả của kỳ đánh giá chưa được công bố: chỉ quản trị viên (Sở Nội vụ) xem được bảng "
    "xếp hạng trước khi công bố."
)
SVG = "image/svg+xml"
ERR_NOT_ORGANISER = NOT_ORGANISER_DUTY
# Above this many units, a cycle of several blocks shows one block at a time (issue 18).
RESULTS_PAGE_MAX_ROWS = 300


def results_visible(request: HttpRequest, cycle: Cycle) -> bool:
    """Results stay unpublished until published (DESIGN); the organiser sees them before."""
    return visibility.results_visible(request.user, cycle)


def cycle_result_views(cycle: Cycle, block: str | None = None) -> list[display.ResultView]:
    """Every unit's result (only ``block``'s if given): the frozen figures once published,
    else computed now."""
    fw = cycle.framework.spec()
    if cycle.state == CycleState.PUBLISHED:
        published = selectors.published_results(cycle)
        if block is not None:
            published = published.filter(block=block)
        return [
            display.from_published(fw, p, with_gap=False)
            for p in vn_order(published, "block", "rank", "unit__name")
        ]
    return [
        display.from_unit_result(fw, r, unit_id=cu.unit_id, cycle_unit_id=cu.pk, block=cu.block)
        for cu, r in selectors.cycle_results_by_unit(cycle, block)
    ]


def shown_block(request: HttpRequest, cycle: Cycle, blocks: list[tuple[str, int]]) -> str | None:
    """The one block the results page shows (issue 18: 3,321 communes in 34 blocks are
    33,000 table cells), or None for all of them: a cycle of one block or of at most
    RESULTS_PAGE_MAX_ROWS units shows everything. The block asked for (?block=), else the
    block of the viewer's own unit in this cycle, else the first one."""
    if len(blocks) < 2 or sum(n for _, n in blocks) <= RESULTS_PAGE_MAX_ROWS:
        return None
    names = [name for name, _ in blocks]
    asked = request.GET.get("block")
    if asked in names:
        return asked
    home = home_unit(request.user)
    if home is not None:
        own = cycle.cycle_units.filter(unit=home).values_list("block", flat=True).first()
        if own is not None and own in names:
            return own
    return names[0]


def unit_result_view(cycle_unit: CycleUnit) -> display.ResultView:
    cycle = cycle_unit.cycle
    fw = cycle.framework.spec()
    if cycle.state == CycleState.PUBLISHED:
        published = (
            PublishedResult.objects.select_related("unit").filter(cycle_unit=cycle_unit).first()
        )
        if published is not None:
            view = display.from_published(fw, published)
            return view
    result = selectors.unit_result(cycle_unit)
    return display.from_unit_result(
        fw, result, unit_id=cycle_unit.unit_id, cycle_unit_id=cycle_unit.pk, block=cycle_unit.block
    )


def cycle_facts(cycle: Cycle) -> list[tuple[str, str]]:
    facts = [
        ("Kỳ đánh giá", cycle.name),
        ("Bộ chỉ số", f"{cycle.framework.name} ({cycle.framework.code})"),
        ("Trạng thái", cycle.get_state_display()),
    ]
    if cycle.decision_no:
        facts.append(
            ("Quyết định công bố", f"{cycle.decision_no} ngày {vn_date(cycle.decision_date)}")
        )
    # Corrections after publication are part of the published record: the export says so
    # as the public pages do.
    for c in cycle.corrections.prefetch_related("units").order_by("at", "pk"):
        names = ", ".join(sorted((u.name for u in c.units.all()), key=vn_sort_key))
        facts.append(
            (
                "Đính chính",
                f"Quyết định số {c.decision_no} ngày {vn_date(c.decision_date)}: {c.reason}"
                + (f" (đơn vị được đính chính: {names})" if names else ""),
            )
        )
    return facts


def results_page_context(cycle: Cycle, views: list[display.ResultView]) -> dict:
    fw = cycle.framework.spec()
    groups = []
    for name, rows in display.blocks(views):
        groups.append(
            {
                "name": name,
                "rows": rows,
                "grades": display.grade_counts(rows),
                "owing": sum(1 for r in rows if r.owes_remediation),
            }
        )
    return {
        "cycle": cycle,
        "fw": fw,
        "components": fw.criteria,
        "groups": groups,
        "corrections": selectors.corrections_of(cycle),
    }


def block_page_context(request: HttpRequest, cycle: Cycle) -> dict:
    """The results page's context, one block at a time for a big cycle (shown_block): the
    one rule for the signed-in page and the public one. The block is in the address
    (?block=), so each block is a page of its own for the public pages' cache."""
    blocks = selectors.cycle_blocks(cycle)
    block = shown_block(request, cycle, blocks)
    context = results_page_context(cycle, cycle_result_views(cycle, block))
    context.update(
        {
            "blocks": blocks if block is not None else [],
            "shown_block": block,
            "units_total": sum(n for _, n in blocks),
        }
    )
    return context


@login_required
def cycle_results(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = cycle_for(request, pk)
    if not results_visible(request, cycle):
        raise PermissionDenied(ERR_NOT_PUBLISHED)
    context = block_page_context(request, cycle)
    context.update(
        {
            "state_badge": STATE_BADGE.get(cycle.state, ""),
            "provisional": cycle.state not in (CycleState.FINALISED, CycleState.PUBLISHED),
            "public": False,
        }
    )
    return render(request, "evaluations/cycle_results.html", context)


def xlsx_response(cycle: Cycle, views: list[display.ResultView]) -> HttpResponse:
    data = display.results_xlsx(
        title=f"Kết quả {cycle.name}",
        facts=cycle_facts(cycle),
        fw=cycle.framework.spec(),
        results=views,
    )
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = slugify(f"chi-so-cchc-{cycle.year}-{cycle.pk}") or f"ket-qua-{cycle.pk}"
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@login_required
def cycle_results_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = cycle_for(request, pk)
    if not results_visible(request, cycle):
        raise PermissionDenied(ERR_NOT_PUBLISHED)
    return xlsx_response(cycle, cycle_result_views(cycle))


def svg_response(chart, *, public: bool = False) -> HttpResponse:
    response = HttpResponse(display.svg(chart), content_type=SVG)
    # Published figures never change; others change as scores are entered.
    response["Cache-Control"] = "public, max-age=3600" if public else "private, max-age=60"
    return response


@login_required
def cycle_ranking_chart(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = cycle_for(request, pk)
    if not results_visible(request, cycle):
        raise PermissionDenied(ERR_NOT_PUBLISHED)
    block = request.GET.get("block", "")
    rows = [r for r in cycle_result_views(cycle, block) if (r.block or "") == block]
    if not rows:
        raise Http404("Không có khối này.")
    return svg_response(display.ranking_chart(rows))


def _require_appraisal_visible(request: HttpRequest, cycle_unit: CycleUnit) -> None:
    # The card's totals include the appraised scores: the same rule as the sheet and the API.
    if not visibility.unit_result_visible(request.user, cycle_unit):
        raise PermissionDenied(visibility.ERR_APPRAISAL_HIDDEN)


def card_context(request: HttpRequest | None, cycle_unit: CycleUnit, view, *, public: bool):
    cycle = cycle_unit.cycle
    comparison = None
    previous = None
    if not public:
        comparison = selectors.unit_comparison(cycle_unit)
        previous = selectors.previous_cycle_unit(cycle_unit)
    view.comparison = display.comparison_lines(comparison)
    duty = RemediationDuty.objects.filter(cycle_unit=cycle_unit).first()
    return {
        "cu": cycle_unit,
        "cycle": cycle,
        "r": view,
        "fw": cycle.framework.spec(),
        "comparison": comparison,
        "previous": previous,
        "duty": duty,
        "public": public,
        "provisional": cycle.state not in (CycleState.FINALISED, CycleState.PUBLISHED),
        "show_ranking": public or (request is not None and results_visible(request, cycle)),
        "corrections": selectors.corrections_of(cycle, cycle_unit.unit_id),
    }


@login_required
def unit_result(request: HttpRequest, pk: int) -> HttpResponse:
    cycle_unit = cycle_unit_for(request, pk, "view")
    _require_appraisal_visible(request, cycle_unit)
    view = unit_result_view(cycle_unit)
    context = card_context(request, cycle_unit, view, public=False)
    context["can_appraise"] = can(request.user, "appraise", cycle_unit.unit)
    return render(request, "evaluations/unit_result.html", context)


def _previous_series(cycle_unit: CycleUnit, view) -> tuple[str, tuple] | None:
    comparison = selectors.unit_comparison(cycle_unit)
    if comparison is None:
        return None
    by_code = {c.code: c for c in comparison.components}
    values = tuple(
        (
            None
            if by_code.get(c.code) is None or by_code[c.code].previous_percent is None
            else by_code[c.code].previous_percent
        )
        for c in view.components
    )
    previous = selectors.previous_cycle_unit(cycle_unit)
    return (str(previous.cycle.year) if previous else "Kỳ trước", values)


@login_required
def unit_chart(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    cycle_unit = cycle_unit_for(request, pk, "view")
    _require_appraisal_visible(request, cycle_unit)
    view = unit_result_view(cycle_unit)
    if kind == "ranking":
        if not results_visible(request, cycle_unit.cycle):
            raise PermissionDenied(ERR_NOT_PUBLISHED)
        rows = [
            r
            for r in cycle_result_views(cycle_unit.cycle, view.block or "")
            if r.block == view.block
        ]
        return svg_response(display.ranking_chart(rows, highlight=view.unit_name))
    if kind not in ("bar", "radar"):
        raise Http404("Không có loại biểu đồ này.")
    previous = _previous_series(cycle_unit, view)
    if previous is not None:
        previous = (previous[0], tuple(v if v is not None else None for v in previous[1]))
        view.unit_name = str(cycle_unit.cycle.year)
    return svg_response(display.component_chart(view, kind=kind, previous=previous))


@login_required
def unit_history(request: HttpRequest, pk: int) -> HttpResponse:
    cycle_unit = cycle_unit_for(request, pk, "view")
    rows = visibility.visible_history(request.user, cycle_unit, selectors.score_history(cycle_unit))
    code = request.GET.get("code", "")
    if code:
        rows = [r for r in rows if r.criterion == code]
    status_history = cycle_unit.history.select_related(
        "history_user", "history_user__profile"
    ).order_by("-history_date")[:50]
    return render(
        request,
        "evaluations/unit_history.html",
        {
            "cu": cycle_unit,
            "cycle": cycle_unit.cycle,
            "rows": rows,
            "code": code,
            "codes": list(
                cycle_unit.cycle.framework.criteria.filter(is_leaf=True)
                .order_by("position")
                .values_list("code", flat=True)
            ),
            "status_history": status_history,
            "can_appraise": can(request.user, "appraise", cycle_unit.unit),
        },
    )


# --------------------------------------------------------------------------- remediation


@login_required
def remediation_list(request: HttpRequest) -> HttpResponse:
    duties = vn_order(
        selectors.remediation_duties(request.user), "deadline", "cycle_unit__unit__name"
    )
    cycle_id = request.GET.get("cycle", "")
    cycles = vn_order({d.cycle_unit.cycle for d in duties}, "-year", "name")
    if cycle_id:
        duties = [d for d in duties if str(d.cycle_unit.cycle_id) == cycle_id]
    for duty in duties:
        duty.can_submit = can(request.user, "edit", duty.cycle_unit.unit)
        duty.can_accept = selectors.can_administer(request.user, duty.cycle_unit.cycle)
        duty.component_titles = [
            (code, _title(duty.cycle_unit.cycle, code)) for code in duty.components
        ]
    return render(
        request,
        "evaluations/remediation_list.html",
        {"duties": duties, "cycles": cycles, "cycle_id": cycle_id, "form": RemediationForm()},
    )


def _title(cycle: Cycle, code: str) -> str:
    fw = cycle.framework.spec()
    return fw.node(code).title if fw.has(code) else code


def _duty_for(request: HttpRequest, pk: int, action: str) -> RemediationDuty:
    return duty_for(request.user, pk, action)  # the rule: cchc.units.permissions


@login_required
def remediation_submit(request: HttpRequest, pk: int) -> HttpResponse:
    duty = _duty_for(request, pk, "edit")
    form = RemediationForm(request.POST or None, request.FILES or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.remediation_submit(
                duty=duty,
                plan_file=form.cleaned_data.get("plan_file"),
                note=form.cleaned_data.get("note", ""),
                by=request.user,
            )
        except EvaluationError as exc:
            error = exc.message
        else:
            messages.success(request, "Đã nộp kế hoạch khắc phục.")
            return redirect("remediation-list")
    return render(
        request,
        "evaluations/remediation_submit.html",
        {
            "duty": duty,
            "form": form,
            "error": error,
            "titles": [(c, _title(duty.cycle_unit.cycle, c)) for c in duty.components],
        },
        status=400 if error or (form.is_bound and form.errors) else 200,
    )


@login_required
@require_POST
def remediation_accept(request: HttpRequest, pk: int) -> HttpResponse:
    duty = _duty_for(request, pk, "administer")
    try:
        services.remediation_accept(duty=duty, by=request.user)
    except EvaluationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đã chấp nhận kế hoạch khắc phục của {duty.cycle_unit.unit}.")
    return redirect("remediation-list")


@login_required
def remediation_plan(request: HttpRequest, pk: int) -> HttpResponse:
    from cchc.core import uploads

    duty = _duty_for(request, pk, "view")
    if not duty.plan_file:
        raise Http404("Chưa có tệp kế hoạch.")
    name = duty.plan_file.name.rsplit("/", 1)[-1]
    return uploads.serve(duty.plan_file, name)  # attachment, type by content, nosniff
