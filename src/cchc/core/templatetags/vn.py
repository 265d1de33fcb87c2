"""Template filters that print numbers and dates the Vietnamese way, through cchc.core.formatting."""

from __future__ import annotations

from django import template

from cchc.core import escaping, formatting

register = template.Library()


@register.filter
def vn_number(value, places=None):
    """{{ 1086|vn_number }} -> 1.086; {{ 87.747|vn_number:2 }} -> 87,75."""
    if value in (None, ""):
        return "–"
    return formatting.vn_number(value, int(places) if places not in (None, "") else None)


@register.filter
def vn_score(value):
    """A criterion's or component's points (formatting.SCORE_PLACES): 1.577 -> 1,577."""
    if value in (None, ""):
        return "–"
    return formatting.vn_score(value)


@register.filter
def vn_total(value):
    """A unit's total points (formatting.TOTAL_PLACES): {{ 87.747|vn_total }} -> 87,75."""
    if value in (None, ""):
        return "–"
    return formatting.vn_total(value)


@register.filter
def vn_input(value):
    """The value attribute of a number field: {{ 2.25|vn_input }} -> 2,25."""
    return formatting.vn_input_number(value)


@register.filter
def vn_percent(value, places=2):
    return formatting.vn_percent(value, int(places))


@register.filter
def vn_date(value):
    return formatting.vn_date(value)


@register.filter
def vn_datetime(value, fmt=""):
    """A moment in Vietnam time (Asia/Ho_Chi_Minh), never the server's zone: {{ x|vn_datetime }}
    -> 06/12/2026 06:28; {{ x|vn_datetime:"H:i d/m/Y" }} takes Django's date format. The
    one way a template prints a time of day (a test scans templates for |date with H/i)."""
    if value in (None, ""):
        return ""
    if not fmt:
        return formatting.vn_datetime(value)
    from django.utils import dateformat

    return dateformat.format(formatting.vn_local(value), fmt)


@register.filter
def vn_time(value):
    """{{ x|vn_time }} -> 06:28, Vietnam time."""
    if value in (None, ""):
        return ""
    return formatting.vn_time(value)


@register.filter
def css_id(value):
    """{{ "c-"|add:code|css_id }} -> #c-1\\.5: the one way a template builds a selector
    from data (hx-target, hx-select, hx-include), see cchc.core.escaping."""
    return escaping.css_selector_id(value)


@register.filter
def legal_source(value) -> str:
    """A basis as a public page may print it: legal sources only (cchc.core.legal)."""
    from cchc.core.legal import legal_source as clean

    return clean(str(value or ""))


@register.filter
def official_title(value) -> str:
    from cchc.core.legal import official_title as clean

    return clean(str(value or ""))
