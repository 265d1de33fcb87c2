"""What every evaluation page needs: the permission-scoped fetches and small page helpers."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from cchc.evaluations import selectors
from cchc.evaluations.models import Cycle, CycleState, CycleUnit, Score
from cchc.evaluations.services import EvaluationError

STATE_BADGE = {
    CycleState.DRAFT: "",
    CycleState.SELF_ASSESSMENT: "badge--warn",
    CycleState.APPRAISAL: "badge--warn",
    CycleState.FINALISED: "badge--ok",
    CycleState.PUBLISHED: "badge--ok",
}
STATUS_BADGE = {
    "not_started": "badge--bad",
    "in_progress": "badge--warn",
    "submitted": "",
    "returned": "badge--bad",
    "appraised": "badge--ok",
    "finalised": "badge--ok",
}


def cycle_for(request: HttpRequest, pk: int | str, action: str = "view") -> Cycle:
    """The cycle (404 when this person may not see it, 403 when the action is refused)."""
    return selectors.cycle_for(request.user, pk, action)


def cycle_unit_for(request: HttpRequest, pk: int | str, action: str = "view") -> CycleUnit:
    """A unit's evaluation, by the same fetch as the API (cchc.units.permissions)."""
    return selectors.cycle_unit_for(request.user, pk, action)


def score_for(request: HttpRequest, pk: int | str, action: str) -> Score:
    return selectors.score_for(request.user, pk, action)


def render_page(
    request: HttpRequest, template: str, context: dict, *, status: int = 200
) -> HttpResponse:
    """Render a page, or its named partial for an HTMX request ("page.html#part")."""
    response = render(request, template, context, status=status)
    response["Vary"] = "HX-Request"
    return response


class SheetRow(NamedTuple):
    """Where one row of a scoring sheet is drawn: the page's template and partial, the page's
    URL name and the prefix of the row's anchor."""

    template: str
    partial: str
    page: str
    anchor: str


def sheet_row_response(
    request: HttpRequest,
    context: dict,
    where: SheetRow,
    code: str,
    *,
    error: str = "",
    saved: str = "",
) -> HttpResponse:
    """After saving one row of a scoring sheet (self-assessment or appraisal): that row again
    with the sheet's totals out of band (HTMX); without HTMX, the whole page (status 400 on
    error) or a redirect back to the row. `context` holds the sheet."""
    template = where.template
    back = reverse(where.page, args=[context["cu"].pk]) + f"#{where.anchor}-{code}"
    rows = context["sheet"].rows
    row = next((r for r in rows if r.criterion.code == code), None)
    if row is None:
        raise Http404
    component = context["cu"].cycle.framework.spec().component_of(code)
    context.update(
        {
            "row": row,
            "comp": next(r for r in rows if r.criterion.code == component),
            "error_code": code if error else "",
            "error": error,
            "saved_code": code if saved else "",
            "saved": saved,
        }
    )
    if request.htmx:
        html = render_to_string(f"{template}#{where.partial}", context, request=request)
        html += render_to_string(f"{template}#oob", {**context, "oob": True}, request=request)
        response = HttpResponse(html)
        response["Vary"] = "HX-Request"
        return response
    if error:
        return render(request, template, context, status=400)
    messages.success(request, saved)
    return redirect(back)


def score_saved(
    respond: Callable[..., HttpResponse], save: Callable[[], object], saved: str
) -> HttpResponse:
    """Run `save` (a score of one row); answer the row with the rule's refusal, or with
    `saved` and the time it was saved."""
    try:
        save()
    except EvaluationError as exc:
        return respond(error=exc.message)
    return respond(saved=f"{saved} lúc {timezone.localtime():%H:%M}.")


def run_on_post(
    request: HttpRequest, change: Callable[..., object], cycle_unit: CycleUnit, done: str
) -> tuple[bool, str]:
    """A confirmation page's step: on POST `change(cycle_unit=, by=)`. (True, "") when it was
    made, with `done` shown on the next page; (False, the rule's refusal) when refused;
    (False, "") when the page is only shown."""
    if request.method != "POST":
        return False, ""
    try:
        change(cycle_unit=cycle_unit, by=request.user)
    except EvaluationError as exc:
        return False, exc.message
    messages.success(request, done)
    return True, ""
