"""Measured values of metric leaves (cchc.core.metrics) and survey leaves (SurveyResult),
and the points they give."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from cchc.core import metrics as metric_registry
from cchc.core.formatting import round_half_up
from cchc.core.people import Person
from cchc.evaluations.models import (
    Cycle,
    CycleState,
    CycleUnit,
)
from cchc.evaluations.scoring import (
    metric_points,
    survey_points,
)
from cchc.evaluations.services.common import (
    ERR_FROZEN_MEASURE,
    REASON_MEASURED,
    EvaluationError,
    _frozen,
    _locked_cycle,
    _locked_cycle_unit,
    _save,
    require_cycle_admin,
)
from cchc.frameworks.spec import METHOD_METRIC, METHOD_SURVEY
from cchc.units.models import Unit
from cchc.units.permissions import can, require_action


@dataclass(frozen=True)
class MeasuredLeaf:
    code: str
    method: str
    name: str  # the metric or survey name
    value: Decimal | None
    points: Decimal | None


# The survey results of a unit in a cycle ({survey code: value}), read by the surveys app,
# which sits above this one and registers its reader in its AppConfig.ready() (the metric
# providers' way, cchc.core.metrics): without it, survey leaves have no value (no data).
SurveyValues = Callable[[Cycle, Unit], dict[str, Decimal | None]]
_survey_values: list[SurveyValues] = []


def register_survey_values(reader: SurveyValues) -> None:
    _survey_values[:] = [reader]


def refresh_measured(cycle_unit: CycleUnit) -> list[MeasuredLeaf]:
    """Record the measured values of a unit's metric and survey leaves (no permission
    check: the calling service has done it; inside its transaction)."""
    cycle = cycle_unit.cycle
    fw = cycle.framework.spec()
    scores = list(
        cycle_unit.scores.select_related("criterion").filter(
            criterion__method__in=[METHOD_METRIC, METHOD_SURVEY]
        )
    )
    metric_names = {s.criterion.metric for s in scores if s.criterion.method == METHOD_METRIC}
    metric_values = (
        metric_registry.measure(
            cycle_unit.unit, cycle.measure_start, cycle.measure_end, metric_names
        )
        if metric_names
        else {}
    )
    survey_values = (
        _survey_values[0](cycle, cycle_unit.unit)
        if _survey_values and any(s.criterion.method == METHOD_SURVEY for s in scores)
        else {}
    )
    now = timezone.now()
    out = []
    for score in scores:
        criterion = score.criterion
        node = fw.node(criterion.code)
        if criterion.method == METHOD_METRIC:
            name = criterion.metric
            raw = metric_values.get(name)
            value = None if raw is None else round_half_up(Decimal(str(raw)), 4)
            points = None if value is None else metric_points(node, value)
        else:
            name = criterion.survey
            value = survey_values.get(name)
            points = None if value is None else survey_points(node, value)
        shown = None if points is None else round_half_up(points, 6)
        out.append(MeasuredLeaf(criterion.code, criterion.method, name, value, points))
        if (score.measured_value, score.measured_points) == (value, shown):
            continue
        score.measured_value = value
        score.measured_points = shown
        score.measured_at = now
        _save(score, REASON_MEASURED)
    return out


@transaction.atomic
def metrics_refresh(*, cycle_unit: CycleUnit, by: Person | None = None) -> list[MeasuredLeaf]:
    """Take the measured figures of the metric leaves (cchc.core.metrics.measure over the
    cycle's measurement period) and the survey results of the survey leaves; record the
    value and the points it gives. ``by`` None: the system (a command, a survey import)."""
    cycle_unit = _locked_cycle_unit(cycle_unit)
    if by is not None and not any(
        can(by, action, cycle_unit.unit) for action in ("edit", "appraise", "administer")
    ):
        require_action(by, "edit", cycle_unit.unit)
    _frozen(cycle_unit.cycle)
    if cycle_unit.cycle.state == CycleState.FINALISED:
        raise EvaluationError(ERR_FROZEN_MEASURE)
    return refresh_measured(cycle_unit)


@transaction.atomic
def cycle_metrics_refresh(*, cycle: Cycle, by: Person | None = None) -> int:
    """metrics_refresh for every unit of the cycle; returns the number of units."""
    cycle = _locked_cycle(cycle)
    if by is not None:
        require_cycle_admin(by, cycle)
    _frozen(cycle)
    if cycle.state == CycleState.FINALISED:
        raise EvaluationError(ERR_FROZEN_MEASURE)
    units = list(cycle.cycle_units.select_related("unit", "cycle"))
    for cycle_unit in units:
        refresh_measured(cycle_unit)
    return len(units)
