"""Reads of the feedback register (phản ánh, kiến nghị): one feedback with permission, a unit's
register as rows with their step states, what waits and what falls due, the counts per
classification (indicator 5.1) with shares that add up to 100."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, QuerySet

from cchc.dossiers.calendar import work_calendar
from cchc.dossiers.periods import Period
from cchc.dossiers.workdays import WorkCalendar
from cchc.service_index.feedback_rules import DEADLINES, STATE_LABELS, StepState, step_state
from cchc.service_index.models import (
    OPEN_FEEDBACK,
    Feedback,
    FeedbackStatus,
)
from cchc.units import permissions
from cchc.units.models import Unit

# -- the feedback register --------------------------------------------------------------------


feedback_for = permissions.feedback_for  # the fetch lives in cchc.units.permissions


def unit_feedback(unit: Unit, period: Period | None = None) -> QuerySet[Feedback]:
    """The unit's register (received in the period, when one is given)."""
    qs = Feedback.objects.filter(unit=unit).select_related("procedure", "assigned_to__profile")
    if period is not None:
        qs = qs.filter(received_on__gte=period.start, received_on__lte=period.end)
    return qs.order_by("-received_on", "-pk")


@dataclass(frozen=True)
class FeedbackRow:
    """One feedback with the step it waits for and where that step stands."""

    feedback: Feedback
    step: str | None  # "answer" | "publish" | None (closed)
    due: dt.date | None
    state: StepState | None
    answer_state: StepState | None
    publish_state: StepState | None

    @property
    def step_label(self) -> str:
        return DEADLINES[self.step].label if self.step else ""  # type: ignore[index]

    @property
    def late(self) -> bool:
        return self.state == "overdue"

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.state or "", "")

    @property
    def answer_state_label(self) -> str:
        return STATE_LABELS.get(self.answer_state or "", "")

    @property
    def publish_state_label(self) -> str:
        return STATE_LABELS.get(self.publish_state or "", "")


def feedback_row(f: Feedback, as_of: dt.date, calendar: WorkCalendar) -> FeedbackRow:
    answer_state = None
    if f.status != FeedbackStatus.REFUSED:
        answer_state = step_state(f.answer_due_on, f.answered_on, as_of, calendar)
    publish_state = step_state(f.publish_due_on, f.published_on, as_of, calendar)
    step = due = state = None
    if f.status in OPEN_FEEDBACK:
        step, due, state = "answer", f.answer_due_on, answer_state
    elif f.status == FeedbackStatus.ANSWERED:
        step, due, state = "publish", f.publish_due_on, publish_state
    return FeedbackRow(f, step, due, state, answer_state, publish_state)


def feedback_rows(
    feedback: Iterable[Feedback], as_of: dt.date, calendar: WorkCalendar | None = None
) -> list[FeedbackRow]:
    items = list(feedback)
    calendar = calendar or work_calendar([as_of.year])
    return [feedback_row(f, as_of, calendar) for f in items]


def feedback_waiting(units: Iterable[int] | QuerySet[Unit]) -> QuerySet[Feedback]:
    """Feedback still waiting for an answer or for its answer to be published."""
    return (
        Feedback.objects.filter(unit__in=units)
        .filter(status__in=[*OPEN_FEEDBACK, FeedbackStatus.ANSWERED])
        .select_related("procedure", "assigned_to__profile", "unit")
        .order_by("answer_due_on", "pk")
    )


def feedback_due(
    units: Iterable[int] | QuerySet[Unit], as_of: dt.date, calendar: WorkCalendar | None = None
) -> list[FeedbackRow]:
    """What is late (first) or due soon, earliest deadline first."""
    rows = feedback_rows(feedback_waiting(units), as_of, calendar)
    due = [r for r in rows if r.state in ("overdue", "due_soon")]
    due.sort(key=lambda r: (r.state != "overdue", r.due or as_of, r.feedback.pk))
    return due


@dataclass(frozen=True)
class ClassCount:
    code: str
    label: str
    count: int
    rate: Decimal | None


def feedback_by_class(unit: Unit, period: Period) -> list[ClassCount]:
    """Indicator 5.1 (tracking): feedback received in the period by classification."""
    from cchc.service_index.models import FeedbackClass

    counts = dict(
        unit_feedback(unit, period).order_by().values_list("classification").annotate(n=Count("pk"))
    )
    shares = shares_adding_to_100([counts.get(c.value, 0) for c in FeedbackClass])
    return [
        ClassCount(c.value, c.label, counts.get(c.value, 0), share)
        for c, share in zip(FeedbackClass, shares, strict=True)
    ]


def shares_adding_to_100(parts: Sequence[int], places: int = 2) -> list[Decimal | None]:
    """Percentages of the total, rounded so that they add up to exactly 100 (largest
    remainder): 3/7 and four times 1/7 print 42,86 + 14,29 + 14,29 + 14,28 + 14,28, not
    4 × 14,29 + 42,86 = 100,02 against a total row of 100 (DESIGN: reports must add up)."""
    total = sum(parts)
    if total == 0:
        return [None] * len(parts)
    unit = Decimal(1).scaleb(-places)
    exact = [Decimal(p) * 100 / total for p in parts]
    floors = [(x / unit).to_integral_value(rounding="ROUND_FLOOR") * unit for x in exact]
    left = int(((Decimal(100) - sum(floors)) / unit).to_integral_value())
    order = sorted(range(len(parts)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += unit
    return floors
