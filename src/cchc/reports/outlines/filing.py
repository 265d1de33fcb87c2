"""Outline reports in the filing matrix and reminders: a unit that submitted an outline
report for a standard period (quý, 6 tháng, năm) has filed its periodic report for it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from cchc.reports.outlines.models import OutlineReport, OutlineReportStatus


def submitted_on(units: Iterable, period_codes: Iterable[str]) -> dict[tuple[int, str], dt.date]:
    """{(unit id, period code): the day the unit first submitted an outline report for it}."""
    out: dict[tuple[int, str], dt.date] = {}
    rows = OutlineReport.objects.filter(
        unit__in=list(units),
        period_code__in=list(period_codes),
        status=OutlineReportStatus.SUBMITTED,
    ).values_list("unit_id", "period_code", "submitted_at")
    for unit_id, code, at in rows:
        day = timezone.localdate(at)
        key = (unit_id, code)
        out[key] = min(day, out.get(key, day))
    return out
