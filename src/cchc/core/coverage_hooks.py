"""Entries record what they cover: every saved dossier, feedback, plan, staffing year,
survey result and score extends its unit's coverage (cchc.core.services.coverage_record).

One receiver per source, connected once, so no entry path (page, API, command, admin) can
forget it. Bulk loads that bypass save() (the dossier import's COPY) record their own
coverage (cchc.dossiers.imports.running._done).
"""

from __future__ import annotations

from django.apps import apps
from django.db.models.signals import post_save

from cchc.core.coverage import (
    DOSSIERS,
    FEEDBACK,
    FLAG_DATA_STORE,
    FLAG_SYNCED,
    PLANS,
    SCORES,
    STAFFING,
    SURVEYS,
)
from cchc.core.services import coverage_record, year_span


def _covered(unit_id: int, source: str, start, end) -> bool:
    from cchc.core.models import DataCoverage

    return DataCoverage.objects.filter(
        unit_id=unit_id, source=source, start__lte=start, end__gte=end
    ).exists()


def _record(unit_id, source: str, start, end, origin: str) -> None:
    if unit_id is None or start is None:
        return
    if not _covered(unit_id, source, start, end):
        coverage_record(unit_id=unit_id, source=source, start=start, end=end, origin=origin)


def _dated(source: str, field: str, also: tuple[str, ...] = ()):
    def receiver(sender, instance, raw=False, **kwargs):
        for each in (source, *also):
            _dated_one(each, field, instance, raw)

    return receiver


def _dated_one(source: str, field: str, instance, raw: bool) -> None:
    if raw:
        return
    day = getattr(instance, field, None)
    if day is None or instance.unit_id is None:
        return
    from cchc.core.models import DataCoverage

    if _covered(instance.unit_id, source, day, day):
        return  # the usual case: a later save of a dossier already counted (one query)
    runs = DataCoverage.objects.filter(unit_id=instance.unit_id, source=source)
    before = runs.filter(end__lt=day).order_by("-end").first()
    after = runs.filter(start__gt=day).order_by("start").first()
    # A desk in use holds every entry from its first to its last: an entry after the
    # last run (or before the first) extends that run to its day. A hole between two
    # runs (two imported files a year apart) is not bridged by one entry.
    start, end = day, day
    if before is not None and after is None:
        start = before.end
    elif after is not None and before is None:
        end = after.start
    _record(instance.unit_id, source, start, end, "nhập liệu")


def _yearly(source: str, unit_and_year):
    def receiver(sender, instance, raw=False, **kwargs):
        if raw:
            return
        unit_id, year = unit_and_year(instance)
        if year:
            span = year_span(year)
            _record(unit_id, source, span.start, span.end, "nhập liệu")

    return receiver


def _score_unit_year(score):
    from cchc.evaluations.models import CycleUnit

    row = (
        CycleUnit.objects.filter(pk=score.cycle_unit_id)
        .values_list("unit_id", "cycle__year")
        .first()
    )
    return row if row else (None, None)


def _survey_unit_year(result):
    from cchc.evaluations.models import Cycle

    return result.unit_id, Cycle.objects.filter(pk=result.cycle_id).values_list(
        "year", flat=True
    ).first()


RECEIVERS = []


def connect() -> None:
    specs = [
        # The desk form asks both flags, so a desk entry knows them.
        ("dossiers", "Dossier", _dated(DOSSIERS, "received_on", (FLAG_SYNCED, FLAG_DATA_STORE))),
        ("service_index", "Feedback", _dated(FEEDBACK, "received_on")),
        ("plans", "Plan", _yearly(PLANS, lambda p: (p.unit_id, p.year))),
        ("plans", "StaffingYear", _yearly(STAFFING, lambda s: (s.unit_id, s.year))),
        ("surveys", "SurveyResult", _yearly(SURVEYS, _survey_unit_year)),
        ("evaluations", "Score", _yearly(SCORES, _score_unit_year)),
    ]
    for app, name, receiver in specs:
        if not apps.is_installed(f"cchc.{app}"):
            continue
        model = apps.get_model(app, name)
        RECEIVERS.append(receiver)  # signals hold receivers weakly
        post_save.connect(receiver, sender=model, dispatch_uid=f"coverage-{app}-{name}")
