"""Reads of cross-cutting records. ``data_coverage`` is the one lookup of what data the
system holds, used by pages and reports alike (rules in cchc.core.coverage)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from cchc.core.coverage import Coverage, Span, coverage_of


def _clip(start: dt.date, end: dt.date) -> dt.date:
    """Data cannot cover days still to come, and their absence is not missing data: the
    coverage of a period running past today is judged up to today (Vietnam time)."""
    from django.utils import timezone

    return max(start, min(end, timezone.localdate()))


def _spans(unit_ids: Iterable[int], source: str) -> dict[int, list[Span]]:
    from cchc.core.models import DataCoverage

    out: dict[int, list[Span]] = defaultdict(list)
    rows = DataCoverage.objects.filter(unit_id__in=list(unit_ids), source=source).values_list(
        "unit_id", "start", "end"
    )
    for unit_id, start, end in rows:
        out[unit_id].append(Span(start, end))
    return out


def spans_by_unit(
    unit_ids: Iterable[int], sources: Iterable[str]
) -> dict[tuple[int, str], list[Span]]:
    """The recorded spans of each unit and source, in one query; (unit id, source) -> spans.
    A caller that judges many periods reads them once (`coverage_from` clips each time)."""
    from cchc.core.models import DataCoverage

    out: dict[tuple[int, str], list[Span]] = defaultdict(list)
    rows = DataCoverage.objects.filter(
        unit_id__in=list(unit_ids), source__in=list(sources)
    ).values_list("unit_id", "source", "start", "end")
    for unit_id, source, start, end in rows:
        out[(unit_id, source)].append(Span(start, end))
    return out


def coverage_from(spans: Iterable[Span], start: dt.date, end: dt.date) -> Coverage:
    """The coverage of [start, end] (judged up to today) by spans read before."""
    return coverage_of(list(spans), start, _clip(start, end))


def data_coverage(
    unit, source: str, start: dt.date, end: dt.date, *, descendants: bool = False
) -> Coverage:
    """The part of [start, end] that ``unit``'s data of ``source`` covers.

    With ``descendants``, the data of the unit or of any unit under it counts (an area's
    dossiers are held by its communes); use ``coverage_by_unit`` to see which of them.
    """
    if descendants:
        from cchc.core.models import DataCoverage

        rows = DataCoverage.objects.filter(unit__path__startswith=unit.path, source=source)
        spans = [Span(s, e) for s, e in rows.values_list("start", "end")]
    else:
        spans = _spans([unit.pk], source).get(unit.pk, [])
    return coverage_of(spans, start, _clip(start, end))


def coverage_by_unit(
    units, source: str, start: dt.date, end: dt.date, *, descendants: bool = True
) -> dict[int, Coverage]:
    """Each unit's coverage (with everything under it), in one query; a unit under two of
    them counts for the first."""
    from django.db.models import Q

    from cchc.core.models import DataCoverage

    end = _clip(start, end)
    units = list(units)
    if not descendants:
        found = _spans([u.pk for u in units], source)
        return {u.pk: coverage_of(found.get(u.pk, []), start, end) for u in units}
    under = Q(pk__in=[])
    for u in units:
        under |= Q(unit__path__startswith=u.path)
    rows = DataCoverage.objects.filter(under, source=source).values_list(
        "unit__path", "start", "end"
    )
    grouped: dict[int, list[Span]] = defaultdict(list)
    for path, s, e in rows:
        owner = next((u.pk for u in units if path.startswith(u.path)), None)
        if owner is not None:
            grouped[owner].append(Span(s, e))
    return {u.pk: coverage_of(grouped.get(u.pk, []), start, end) for u in units}
