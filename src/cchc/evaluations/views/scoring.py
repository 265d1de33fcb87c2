"""Self-assessment (officer, head): the criteria tree with a score, a note and evidence per
leaf, saved row by row (HTMX partials, with a plain form fallback), and submission."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from cchc.core import uploads
from cchc.core.formatting import vn_input_number
from cchc.evaluations import selectors, services
from cchc.evaluations.forms import EvidenceForm
from cchc.evaluations.models import CycleUnit, CycleUnitStatus, Evidence
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
from cchc.evaluations.visibility import appraisal_visible
from cchc.frameworks.spec import plain_number
from cchc.frameworks.views import rule_text
from cchc.units.permissions import can

TEMPLATE = "evaluations/self_assessment.html"
LEAF = SheetRow(TEMPLATE, "leaf", "self-assessment", "c")


def _show_appraisal(request: HttpRequest, cycle_unit: CycleUnit) -> bool:
    return appraisal_visible(request.user, cycle_unit)  # one rule for pages, API, exports


def sheet_context(request: HttpRequest, cycle_unit: CycleUnit) -> dict:
    sheet = selectors.score_sheet(cycle_unit)
    for row in sheet.rows:
        row.rule = rule_text(row.criterion)
        row.max_plain = plain_number(row.max)
        s = row.score
        # Score fields show the Vietnamese decimal comma ("2,25"); the services read both.
        row.self_plain = vn_input_number(s.self_score) if s else ""
        row.appraised_plain = vn_input_number(s.appraised_score) if s else ""
        # What the unit claims: its own score, or the points of the measured value.
        row.reference = (
            None if s is None else (s.self_score if s.self_score is not None else s.measured_points)
        )
    editable = can(request.user, "edit", cycle_unit.unit) and services.self_editable(cycle_unit)
    cycle = cycle_unit.cycle
    deadline = cycle.self_assessment_deadline
    if cycle_unit.status == CycleUnitStatus.RETURNED:
        deadline = cycle_unit.returned_deadline
    today = timezone.localdate()
    returned_rows = [r for r in sheet.rows if r.is_leaf and r.changed_by_appraisal]
    return {
        "cu": cycle_unit,
        "cycle": cycle,
        "sheet": sheet,
        "done": selectors.completeness(cycle_unit),
        "editable": editable,
        "can_submit": can(request.user, "submit", cycle_unit.unit)
        and services.self_editable(cycle_unit),
        "can_appraise": can(request.user, "appraise", cycle_unit.unit),
        "show_appraisal": _show_appraisal(request, cycle_unit),
        "returned_rows": returned_rows,
        "deadline": deadline,
        "days_left": (deadline - today).days if deadline else None,
        "state_badge": STATE_BADGE.get(cycle.state, ""),
        "status_badge": STATUS_BADGE.get(cycle_unit.status, ""),
        "evidence_form": EvidenceForm(),
        "has_measured": any(
            r.is_leaf and r.criterion.method in ("metric", "survey") for r in sheet.rows
        ),
    }


@login_required
def self_assessment(request: HttpRequest, pk: int) -> HttpResponse:
    cycle_unit = cycle_unit_for(request, pk, "view")
    return render(request, TEMPLATE, sheet_context(request, cycle_unit))


def _leaf_response(
    request: HttpRequest,
    cycle_unit: CycleUnit,
    code: str,
    *,
    error: str = "",
    saved: str = "",
    evidence_form: EvidenceForm | None = None,
) -> HttpResponse:
    """The one leaf again (HTMX) with the completeness bars out of band; without HTMX, the
    whole page (status 400 on error) or a redirect back to the leaf."""
    context = sheet_context(request, cycle_unit)
    if evidence_form is not None:
        context["bad_evidence_form"] = evidence_form
        context["bad_evidence_code"] = code
    return sheet_row_response(request, context, LEAF, code, error=error, saved=saved)


@login_required
@require_POST
def score_self_save(request: HttpRequest, pk: int) -> HttpResponse:
    score = score_for(request, pk, "edit")
    code = score.criterion.code
    return score_saved(
        functools.partial(_leaf_response, request, score.cycle_unit, code),
        lambda: services.self_assessment_set_score(
            score=score,
            value=request.POST.get("value", ""),
            note=request.POST.get("note", ""),
            by=request.user,
        ),
        f"Đã lưu điểm tiêu chí {code}",
    )


@login_required
@require_POST
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    cycle_unit = cycle_unit_for(request, pk, "edit")
    code = request.POST.get("criterion", "")
    criterion = cycle_unit.cycle.framework.criteria.filter(code=code, is_leaf=True).first()
    if criterion is None:
        raise Http404("Không có tiêu chí này trong bộ chỉ số.")
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        first = next(iter(form.errors.values()))[0]
        label = next(iter(form.errors.keys()))
        label = form.fields[label].label if label in form.fields else ""
        return _leaf_response(
            request,
            cycle_unit,
            code,
            error=f"Tài liệu chưa được thêm — {label}: {first}" if label else first,
            evidence_form=form,
        )
    data = form.cleaned_data
    try:
        services.evidence_add(
            cycle_unit=cycle_unit,
            criterion=criterion,
            title=data["title"],
            number_symbol=data["number_symbol"],
            issued_on=data["issued_on"],
            issuer=data["issuer"],
            file=data.get("file"),
            by=request.user,
        )
    except EvaluationError as exc:
        return _leaf_response(request, cycle_unit, code, error=exc.message, evidence_form=form)
    return _leaf_response(
        request, cycle_unit, code, saved=f"Đã thêm tài liệu “{data['title']}” cho tiêu chí {code}."
    )


def _evidence_for(request: HttpRequest, pk: int, action: str) -> Evidence:
    return selectors.evidence_for(request.user, pk, action)  # cchc.units.permissions


@login_required
@require_POST
def evidence_remove(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = _evidence_for(request, pk, "edit")
    code = evidence.criterion.code
    try:
        services.evidence_remove(evidence=evidence, by=request.user)
    except EvaluationError as exc:
        return _leaf_response(request, evidence.cycle_unit, code, error=exc.message)
    return _leaf_response(
        request, evidence.cycle_unit, code, saved=f"Đã gỡ tài liệu “{evidence.title}”."
    )


@login_required
def evidence_file(request: HttpRequest, pk: int) -> HttpResponse:
    """Evidence files are served only to those who may see the unit (never by a public URL)."""
    evidence = _evidence_for(request, pk, "view")
    if not evidence.file:
        raise Http404("Tài liệu không có tệp đính kèm.")
    name = evidence.file.name.rsplit("/", 1)[-1]
    return uploads.serve(evidence.file, name)  # attachment, type by content, nosniff


@login_required
def self_assessment_submit(request: HttpRequest, pk: int) -> HttpResponse:
    cycle_unit = cycle_unit_for(request, pk, "submit")
    done = f"Đã gửi bản tự đánh giá của {cycle_unit.unit.name} tới Tổ thẩm định."
    made, error = run_on_post(request, services.self_assessment_submit, cycle_unit, done)
    if made:
        return redirect("self-assessment", pk=cycle_unit.pk)
    context = sheet_context(request, cycle_unit)
    context["error"] = error
    return render(
        request, "evaluations/self_assessment_submit.html", context, status=400 if error else 200
    )


@login_required
@require_POST
def unit_refresh_measures(request: HttpRequest, pk: int) -> HttpResponse:
    cycle_unit = cycle_unit_for(request, pk, "view")
    try:
        services.metrics_refresh(cycle_unit=cycle_unit, by=request.user)
    except EvaluationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Đã cập nhật số liệu đo được và kết quả điều tra.")
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("self-assessment", args=[cycle_unit.pk])
    return redirect(target)
