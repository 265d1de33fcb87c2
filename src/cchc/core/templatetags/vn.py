"""Template filters that print numbers and dates the Vietnamese way, through cchc.core.formatting."""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

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
    """{{ d|vn_date }} -> 05/9/2016, 28/01/2021 (NĐ 30/2020: see formatting.vn_date). The one
    way a template prints a date for a person; |date stays for machine forms ("c", "Y-m-d")."""
    if value in (None, ""):
        return ""
    return formatting.vn_date(value)


@register.filter
def vn_date_long(value):
    """{{ d|vn_date_long }} -> ngày 05 tháng 01 năm 2021."""
    if value in (None, ""):
        return ""
    return formatting.vn_date_long(value)


@register.filter
def vn_day_month(value):
    """{{ d|vn_day_month }} -> 05/9: a day of a year the page already names."""
    if value in (None, ""):
        return ""
    return formatting.vn_day_month(value)


@register.filter
def vn_datetime(value):
    """A moment in Vietnam time (Asia/Ho_Chi_Minh), never the server's zone: {{ x|vn_datetime }}
    -> 06/12/2026 06:28, 05/9/2026 08:00. The one way a template prints a time of day with its
    date (a test scans templates for |date with H/i); vn_time_date puts the time first."""
    if value in (None, ""):
        return ""
    return formatting.vn_datetime(value)


@register.filter
def vn_time_date(value):
    """{{ x|vn_time_date }} -> 08:00 05/9/2026, Vietnam time."""
    if value in (None, ""):
        return ""
    return formatting.vn_time_date(value)


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


# A table of counts prints thousands of cells (the province's statistics: ~114 units × 11
# columns, twice): one filter per row instead of a template loop per cell halves the page's
# rendering (issue 13). The HTML is the same as the loop's.


@register.filter
def vn_number_cells(values):
    """{{ row.figures|vn_number_cells }}: <td class="num">1.086</td> per value."""
    return mark_safe(
        "".join(f'<td class="num">{conditional_escape(vn_number(v))}</td>' for v in values)
    )


@register.filter
def vn_percent_cells(values):
    """{{ row.rates|vn_percent_cells }}: <td class="num">87,75%</td> per rate, class nodata
    when there is none."""
    return mark_safe(
        "".join(
            f'<td class="num{" nodata" if v is None else ""}">'
            f"{conditional_escape(vn_percent(v))}</td>"
            for v in values
        )
    )
