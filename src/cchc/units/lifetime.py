"""Which units existed when. A page about a period lists the units that existed in that
period, not only those alive today: Ninh Giang's communes ended on 30/6/2025 (two-level
reform), and the district office that evaluated them in 2022 saw empty pages (issue 15).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from cchc.core.formatting import vn_date
from cchc.units.models import Unit


def existed_q(start: dt.date, end: dt.date, prefix: str = "") -> Q:
    """Units whose lifetime [valid_from, valid_to] meets [start, end] (open ends: always)."""
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": end})) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": start})
    )


def existing_in(queryset: QuerySet[Unit], start: dt.date, end: dt.date) -> QuerySet[Unit]:
    return queryset.filter(existed_q(start, end))


def last_day(unit: Unit | None, today: dt.date) -> dt.date:
    """The day a page about ``unit`` looks at by default: today, or the unit's last day if
    it has ended (a former commune's pages open on the last period it existed in)."""
    if unit is not None and unit.valid_to is not None and unit.valid_to < today:
        return unit.valid_to
    return today


def label(unit: Unit) -> str:
    """The unit's name, with its end date when it no longer exists."""
    if unit.valid_to is None:
        return unit.name
    return f"{unit.name} (đến {vn_date(unit.valid_to)})"
