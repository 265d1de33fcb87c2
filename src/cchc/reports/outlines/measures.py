"""The measured figures of a unit and period, through ``cchc.reports.sources`` only: the
same adapters the periodic reports print from, so a figure is never computed a second way.

A source with nothing recorded (no issued plan, no inspection, no staffing year, no
published index) gives ``None`` — "no data" — never 0. Dossier counts are facts only for
the days the imported data covers (``cchc.core.coverage``): a period the data does not
cover at all gives ``None`` ("chưa có số liệu"), one it covers in part keeps its counts
with a note ("số liệu từ 21/11/2025") that is printed with every such figure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from cchc.dossiers.periods import Period
from cchc.dossiers.stats import UnitStats
from cchc.reports import sources


@dataclass
class Measured:
    values: dict[str, object] = field(default_factory=dict)
    # The published index cited alongside the period (seed 003: the 2022 index in the
    # report on the first quarter of 2023): its year, or None.
    index_year: int | None = None
    # Measure key -> what the data covers when it covers the period only in part
    # ("số liệu từ 21/11/2025"); a figure without an entry is a fact for the whole period.
    notes: dict[str, str] = field(default_factory=dict)


def latest_index_year(unit, period: Period) -> int | None:
    """The year of the latest index published for the unit up to the period's year."""
    from cchc.evaluations.models import CycleState, CycleUnit

    row = (
        CycleUnit.objects.filter(
            unit=unit, cycle__state=CycleState.PUBLISHED, cycle__year__lte=period.end.year
        )
        .order_by("-cycle__year")
        .values_list("cycle__year", flat=True)
        .first()
    )
    return row


def measure(unit, period: Period, *, today: dt.date | None = None) -> Measured:
    today = today or timezone.localdate()
    as_of = min(period.end, today)
    out: dict[str, object] = {}

    dossiers = sources.unit_dossiers(unit, period, compare=False, trend=False)
    stats = dossiers.stats or UnitStats("")
    dossier_values: dict[str, int | None] = {
        "dossiers.received_all": stats.carried_over + stats.received_total,
        "dossiers.carried_over": stats.carried_over,
        "dossiers.received": stats.received_total,
        "dossiers.received_online": stats.received_truc_tuyen,
        "dossiers.received_direct": stats.received_truc_tiep,
        "dossiers.received_postal": stats.received_buu_chinh,
        "dossiers.resolved": stats.resolved_total,
        "dossiers.resolved_in_time": stats.resolved_early + stats.resolved_on_time,
        "dossiers.resolved_late": stats.resolved_late,
        "dossiers.pending": stats.pending_total,
        "dossiers.pending_overdue": stats.pending_overdue,
        "dossiers.intake_digitized": stats.intake_digitized_full,
        "dossiers.result_digitized": stats.result_digitized,
        "dossiers.paid_online": stats.paid_online,
    }
    coverage = dossiers.coverage
    notes: dict[str, str] = {}
    if coverage.state == "none":
        dossier_values = dict.fromkeys(dossier_values)  # chưa có số liệu, never 0
    elif dossiers.stats is None:  # the dossiers they need are archived: never 0 either
        dossier_values = dict.fromkeys(dossier_values)
        assert dossiers.archived is not None
        notes.update(dict.fromkeys(dossier_values, dossiers.archived.note()))
    elif coverage.state == "partial":
        notes.update(dict.fromkeys(dossier_values, coverage.note()))
    out.update(dossier_values)

    plan = sources.plan_figures(unit, period.end.year, as_of=as_of)
    out.update(
        {
            "plan.objectives": plan.objectives if plan else None,
            "plan.tasks": plan.tasks if plan else None,
            "plan.activities": plan.activities if plan else None,
            "plan.items": plan.total if plan else None,
            "plan.done": plan.done if plan else None,
            "plan.late": plan.late if plan else None,
        }
    )

    inspections = sources.unit_inspections(unit, period)
    lines = list(inspections.inspections) if inspections else []
    out.update(
        {
            "inspections.count": len(lines) if lines else None,
            "inspections.shortcomings": sum(i.shortcomings for i in lines) if lines else None,
            "inspections.open_recommendations": (
                sum(i.open_recommendations for i in lines) if lines else None
            ),
        }
    )

    staff = sources.staff_figures(unit, period.end.year)
    out["staff.allotted"] = staff.allotted if staff else None
    out["staff.present"] = staff.present if staff else None

    index_year = latest_index_year(unit, period)
    own = sources.own_index(unit, index_year) if index_year else None
    out["index.value"] = str(own.index) if own else None
    out["index.rank"] = own.rank if own else None
    out["index.grade"] = own.grade if own else None
    return Measured(values=out, index_year=index_year if own else None, notes=notes)


def figure_notes(outline, measured: Measured) -> dict[str, str]:
    """The coverage note of each measured figure the data covers only in part."""
    return {
        fig.key: measured.notes[fig.measure]
        for fig in outline.figures()
        if fig.is_measured and measured.notes.get(fig.measure or "")
    }


def figure_values(outline, measured: Measured) -> dict[str, object]:
    """The outline's measured figures keyed by the outline's own figure keys."""
    return {
        fig.key: measured.values.get(fig.measure or "")
        for fig in outline.figures()
        if fig.is_measured
    }
