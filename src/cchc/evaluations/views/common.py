"""What every evaluation page needs: the permission-scoped fetches and small page helpers."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from cchc.evaluations import selectors
from cchc.evaluations.models import Cycle, CycleState, CycleUnit, Score
from cchc.units.permissions import get_unit_for

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
    """A unit's evaluation. The unit permission comes first (get_unit_for: 403 for another
    commune's officer), then the evaluation's own rule (a draft stays hidden)."""
    unit_id = CycleUnit.objects.filter(pk=_int(pk)).values_list("unit_id", flat=True).first()
    if unit_id is None:
        raise Http404(selectors.NOT_FOUND_CYCLE_UNIT)
    get_unit_for(request.user, unit_id, action)  # type: ignore[arg-type]
    return selectors.cycle_unit_for(request.user, pk, action)


def score_for(request: HttpRequest, pk: int | str, action: str) -> Score:
    cycle_unit_id = (
        Score.objects.filter(pk=_int(pk)).values_list("cycle_unit_id", flat=True).first()
    )
    if cycle_unit_id is None:
        raise Http404("Không tìm thấy điểm.")
    cycle_unit_for(request, cycle_unit_id, action)
    return selectors.score_for(request.user, pk, action)


def _int(pk: int | str) -> int:
    try:
        return int(pk)
    except (TypeError, ValueError):
        raise Http404 from None


def render_page(
    request: HttpRequest, template: str, context: dict, *, status: int = 200
) -> HttpResponse:
    """Render a page, or its named partial for an HTMX request ("page.html#part")."""
    response = render(request, template, context, status=status)
    response["Vary"] = "HX-Request"
    return response
