"""Entries record what they cover: every saved dossier, feedback, plan, staffing year,
survey result and score extends its unit's coverage (cchc.core.services.coverage_record).

One receiver per source, connected once by the app that owns the model (its
AppConfig.ready() calls `connect(model, dated(...))` or `connect(model, yearly(...))`), so no
entry path (page, API, command, admin) can forget it. Bulk loads that bypass save() (the
dossier import's COPY) record their own coverage (cchc.dossiers.imports.running._done).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Model
from django.db.models.signals import post_save

from cchc.core.services import coverage_record, year_span

Receiver = Callable[..., None]


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


def dated(source: str, field: str, also: tuple[str, ...] = ()) -> Receiver:
    """Each saved row extends its unit's coverage of `source` (and `also`) to its day `field`."""

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


def yearly(source: str, unit_and_year: Callable[[Any], tuple[Any, Any]]) -> Receiver:
    """Each saved row covers the year `unit_and_year(row)` gives (unit id, year) of `source`."""

    def receiver(sender, instance, raw=False, **kwargs):
        if raw:
            return
        unit_id, year = unit_and_year(instance)
        if year:
            span = year_span(year)
            _record(unit_id, source, span.start, span.end, "nhập liệu")

    return receiver


RECEIVERS: list[Receiver] = []


def connect(model: type[Model], receiver: Receiver) -> None:
    """Called from the app's AppConfig.ready(): saves of `model` record their coverage."""
    RECEIVERS.append(receiver)  # signals hold receivers weakly
    label = model._meta.label_lower
    post_save.connect(receiver, sender=model, dispatch_uid=f"coverage-{label}")
