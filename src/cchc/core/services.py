"""Changes to cross-cutting records: what data the system holds (coverage)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction

from cchc.core.coverage import (
    DOSSIERS,
    FEEDBACK,
    FLAG_SOURCES,
    PLANS,
    SCORES,
    SOURCES,
    STAFFING,
    SURVEYS,
    Span,
    merge,
)

ERR_SOURCE = "Nguồn số liệu '{source}' không hợp lệ: dùng một trong {choices}."

# Runs of dated data (dossiers, feedback) closer than this are one run: a small commune
# may receive nothing for a week, Tết closes desks for up to nine days, and two monthly
# export files rarely meet exactly. A longer hole is reported as missing data.
DATED_GAP_DAYS = 10
YEAR_GAP_DAYS = 1


def gap_days(source: str) -> int:
    return DATED_GAP_DAYS if source in (DOSSIERS, FEEDBACK, *FLAG_SOURCES) else YEAR_GAP_DAYS


def year_span(year: int) -> Span:
    """What a year's data (a plan, a staffing record, a survey, scores) covers: the
    reporting year (15/12 of the year before to 14/12) and the calendar year."""
    return Span(dt.date(year - 1, 12, 15), dt.date(year, 12, 31))


def coverage_record(
    *, unit_id: int, source: str, start: dt.date, end: dt.date, origin: str = "", model=None
) -> None:
    """Record that ``unit``'s data of ``source`` covers [start, end]; merged with what is
    already recorded. Called by imports and entries inside their own transaction."""
    coverage_record_many([(unit_id, source, start, end)], origin=origin, model=model)


def coverage_record_many(
    entries: Iterable[tuple[int, str, dt.date, dt.date]], *, origin: str = "", model=None
) -> None:
    """coverage_record for many (unit id, source, start, end) at once: one query reads
    what is recorded for them all, only the runs that change are written (an import of
    thousands of units' data)."""
    live = model is None  # not a migration's historical model
    if model is None:
        from cchc.core.models import DataCoverage as model
    wanted: dict[tuple[int, str], list[Span]] = defaultdict(list)
    for unit_id, source, start, end in entries:
        if source not in SOURCES and source not in FLAG_SOURCES:
            raise ValueError(ERR_SOURCE.format(source=source, choices=", ".join(SOURCES)))
        wanted[(unit_id, source)].append(Span(min(start, end), max(start, end)))
    if not wanted:
        return
    with transaction.atomic():
        # (start, end, pk) of the recorded runs
        recorded: dict[tuple[int, str], list[tuple]] = defaultdict(list)
        units = sorted({unit_id for unit_id, _ in wanted})
        sources = sorted({source for _, source in wanted})
        for at in range(0, len(units), 500):
            for pk, unit_id, source, start, end in (
                model.objects.select_for_update()
                .filter(unit_id__in=units[at : at + 500], source__in=sources)
                .values_list("pk", "unit_id", "source", "start", "end")
            ):
                if (unit_id, source) in wanted:
                    recorded[(unit_id, source)].append((start, end, pk))
        stale: list[int] = []
        fresh = []
        for (unit_id, source), spans in wanted.items():
            rows = sorted(recorded.get((unit_id, source), []))
            merged = merge([Span(start, end) for start, end, _ in rows] + spans,
                           gap_days=gap_days(source))  # fmt: skip
            if [(start, end) for start, end, _ in rows] == [(s.start, s.end) for s in merged]:
                continue
            stale.extend(pk for _, _, pk in rows)
            fresh.extend(
                model(
                    unit_id=unit_id, source=source, start=s.start, end=s.end, origin=origin[:200]
                )  # fmt: skip
                for s in merged
            )
        for at in range(0, len(stale), 500):
            model.objects.filter(pk__in=stale[at : at + 500]).delete()
        model.objects.bulk_create(fresh, batch_size=500)
        if live and (stale or fresh):  # bulk writes send no signal: the stamps by hand
            from cchc.core import stamps

            stamps.touch({row.unit_id for row in fresh} | {u for u, _ in wanted})


def derive_spans(get_model) -> dict[tuple[int, str], list[Span]]:
    """Coverage as the data itself shows it, for backfilling. ``get_model(app, name)`` is
    ``apps.get_model`` (a migration's historical models) or Django's registry."""
    from django.db.models import Max, Min

    found: dict[tuple[int, str], list[Span]] = defaultdict(list)
    for app, name, source in (
        ("dossiers", "Dossier", DOSSIERS),
        ("service_index", "Feedback", FEEDBACK),
    ):
        model = get_model(app, name)
        rows = model.objects.values("unit_id").annotate(a=Min("received_on"), b=Max("received_on"))
        for row in rows:
            if row["a"] is not None:
                found[(row["unit_id"], source)].append(Span(row["a"], row["b"]))
    yearly = (
        (get_model("plans", "Plan").objects.values_list("unit_id", "year"), PLANS),
        (get_model("plans", "StaffingYear").objects.values_list("unit_id", "year"), STAFFING),
        (
            get_model("surveys", "SurveyResult").objects.values_list("unit_id", "cycle__year"),
            SURVEYS,
        ),
        (
            get_model("evaluations", "Score").objects.values_list(
                "cycle_unit__unit_id", "cycle_unit__cycle__year"
            ),
            SCORES,
        ),
    )
    for pairs, source in yearly:
        for unit_id, year in pairs.order_by().distinct():
            found[(unit_id, source)].append(year_span(year))
    return found


def coverage_rebuild(get_model=None, *, origin: str = "dẫn xuất từ dữ liệu") -> int:
    """Replace the recorded coverage by what the data shows; returns the number of runs."""
    live = get_model is None  # not a migration's historical models
    if get_model is None:
        from django.apps import apps

        get_model = apps.get_model
    model = get_model("core", "DataCoverage")
    found = derive_spans(get_model)
    with transaction.atomic():
        # Flags are known only from what imports recorded; the data cannot tell them.
        model.objects.filter(source__in=SOURCES).delete()
        rows = [
            model(unit_id=unit_id, source=source, start=s.start, end=s.end, origin=origin)
            for (unit_id, source), spans in found.items()
            for s in merge(spans, gap_days=gap_days(source))
        ]
        model.objects.bulk_create(rows, batch_size=1000)
        if live:  # bulk writes send no signal: the stamps by hand
            from cchc.core import stamps

            stamps.touch(None)
    return len(rows)
