"""Reads of survey results, scoped to what the person may see."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import QuerySet

from cchc.core.people import Person
from cchc.evaluations.models import Cycle
from cchc.evaluations.selectors import can_administer
from cchc.surveys.models import SurveyResult
from cchc.units.models import Unit
from cchc.units.permissions import visible_units


def survey_results_for(user: Person, cycle: Cycle) -> QuerySet[SurveyResult]:
    """The survey results of the cycle's units this person may see."""
    results = SurveyResult.objects.filter(cycle=cycle).select_related("unit", "entered_by")
    if not (user.is_superuser or can_administer(user, cycle)):
        results = results.filter(unit__in=visible_units(user))
    return results.order_by("survey", "unit__path")


def result_unit_and_year(result: SurveyResult) -> tuple[int | None, int | None]:
    """The unit and year a saved survey result covers (its data coverage,
    cchc.core.coverage_hooks)."""
    year = Cycle.objects.filter(pk=result.cycle_id).values_list("year", flat=True).first()
    return result.unit_id, year


def survey_values(cycle: Cycle, unit: Unit) -> dict[str, Decimal | None]:
    """The unit's survey results in the cycle, {survey code: value}: what the evaluation's
    survey leaves score (registered in SurveysConfig.ready())."""
    rows = SurveyResult.objects.filter(cycle=cycle, unit=unit).values_list("survey", "value")
    return dict(rows)
