"""Statistics of Thông tư 01/2020/TT-VPCP (form 06/VPCP/KSTT): page, XLSX, JSON."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse

from cchc.core.collation import vn_order
from cchc.documents.charts import render_svg
from cchc.documents.document import Chart, Series
from cchc.dossiers import form06, selectors
from cchc.dossiers.forms import StatsForm, current_reporting_year
from cchc.dossiers.periods import Period, PeriodError, counted
from cchc.dossiers.stats import TOTAL_KEY, UnitStats
from cchc.dossiers.views.common import DESK_KINDS, unit_choices
from cchc.units.models import Unit
from cchc.units.permissions import get_unit_for, home_unit

TOTAL_LABEL = "Tổng cộng"
CHART_CACHE_SECONDS = 24 * 3600


@dataclass
class Report:
    unit: Unit
    period: Period
    subunits: bool
    rows: list[form06.FormRow]  # per unit, then the total
    idle: list[Unit]  # sub-units with no figure in the period
    total: UnitStats
    unit_stats: dict[int, UnitStats]
    # the rows read for it, shared with the table by field of the same page (field_rows)
    reads: selectors.RowReads

    @property
    def period_range(self) -> str:
        return self.period.range_text


def _is_zero(stats: UnitStats) -> bool:
    return not any(stats._counts())


def build_report(
    unit: Unit, period: Period, *, subunits: bool, reads: selectors.RowReads | None = None
) -> Report:
    """The form's table for the unit: one row (its own dossiers, or with everything under
    it), or with sub-units one row per child subtree, the unit's own dossiers and the total.
    `reads`: the page's row reads (the table by field reads the same rows)."""
    if reads is None:
        reads = selectors.RowReads.under(unit) if subunits else selectors.RowReads([unit.pk])
    if not subunits:
        stats = selectors.unit_stats(unit, period, reads=reads)
        rows = [form06.FormRow.of(unit.name, stats, key=str(unit.pk))]
        return Report(unit, period, False, rows, [], stats, {unit.pk: stats}, reads)
    children = vn_order(unit.children.filter(kind__in=DESK_KINDS), "kind", "name")
    per_child = selectors.stats_by_unit(children, period, include_descendants=True, reads=reads)
    own = selectors.unit_stats(unit, period, reads=reads)
    total = UnitStats(TOTAL_KEY, *(per_child[TOTAL_KEY] + own)._counts())
    rows: list[form06.FormRow] = []
    by_id: dict[int, UnitStats] = {}
    idle: list[Unit] = []
    if not _is_zero(own):
        rows.append(form06.FormRow.of(f"{unit.name} (trực tiếp)", own, key=str(unit.pk)))
        by_id[unit.pk] = own
    for child in children:
        stats = per_child[child.code]
        if _is_zero(stats):
            idle.append(child)
            continue
        rows.append(form06.FormRow.of(child.name, stats, key=str(child.pk)))
        by_id[child.pk] = stats
    rows.append(form06.FormRow.of(TOTAL_LABEL, total, is_total=True))
    return Report(unit, period, True, rows, idle, total, by_id, reads)


def field_rows(
    unit: Unit, period: Period, *, subunits: bool, reads: selectors.RowReads | None = None
) -> list[form06.FormRow]:
    stats = selectors.stats_by_field(unit, period, include_descendants=subunits, reads=reads)
    return [
        form06.FormRow.of(
            TOTAL_LABEL if key == TOTAL_KEY else key, value, key=key, is_total=key == TOTAL_KEY
        )
        for key, value in stats.items()
    ]


def unless_archived(rows: Callable[[], list[form06.FormRow]]) -> tuple[list[form06.FormRow], str]:
    """A table's rows, or none and why: the tables that need the dossier rows (by field,
    a month cut inside the period) say the year is archived, never a table of zeros (the
    page and the XLSX alike)."""
    try:
        return rows(), ""
    except selectors.ArchivedPeriod as archived:
        return [], str(archived)


def trend(unit: Unit, period: Period, *, subunits: bool) -> list[tuple[Period, UnitStats]]:
    return selectors.monthly_trend(unit, period, include_descendants=subunits)


def up_to_today(period: Period, today: dt.date | None = None) -> Period:
    """The period counted up to today (Vietnam time): periods.counted, the one function the
    statistics page, the QĐ 766 page, the reports and the exports take their period from.

    (It used to stop at the last 14th that had passed, so this page read 193 dossiers where
    the QĐ 766 page read 279 for the same quarter: issue 14.)
    """
    return counted(period, today)


def _month_label(month: Period) -> str:
    # "Tháng 3/2023" -> "T3/23": short enough for twelve labels on a phone.
    match = re.match(r"Tháng (\d+)/(\d{4})", month.label)
    return f"T{match.group(1)}/{match.group(2)[2:]}" if match else month.label


def _svg(chart: Chart) -> str:
    """The chart as inline SVG, cached by its content: drawing takes about a second, and
    the same figures give the same picture."""
    key = "dossiers:chart:" + hashlib.sha256(repr(chart).encode()).hexdigest()
    svg = cache.get(key)
    if svg is None:
        svg = render_svg(chart)
        start = svg.find("<svg")
        svg = svg[start:] if start >= 0 else svg
        cache.set(key, svg, CHART_CACHE_SECONDS)
    return svg


def trend_charts(months: list[tuple[Period, UnitStats]]) -> dict[str, str]:
    if not months:
        return {}
    categories = tuple(_month_label(m) for m, _ in months)
    volume = Chart(
        kind="bar",
        title="Số hồ sơ theo tháng báo cáo (15 tháng trước – 14 tháng này)",
        categories=categories,
        series=(
            Series("Tiếp nhận trực tuyến", tuple(s.received_truc_tuyen for _, s in months)),
            Series(
                "Tiếp nhận trực tiếp, bưu chính",
                tuple(s.received_truc_tiep + s.received_buu_chinh for _, s in months),
            ),
            Series("Đã giải quyết", tuple(s.resolved_total for _, s in months)),
        ),
        places=0,
        width_cm=24,
        height_cm=9,
    )
    rates = Chart(
        kind="line",
        title="Tỷ lệ theo tháng (%)",
        categories=categories,
        series=(
            Series("Đúng hạn", tuple(s.rates.on_time for _, s in months)),
            Series("Trực tuyến", tuple(s.rates.online for _, s in months)),
            Series("Số hóa hồ sơ", tuple(s.rates.intake_digitized for _, s in months)),
        ),
        max_value=100,
        percent=True,
        width_cm=24,
        height_cm=8,
    )
    return {"volume": _svg(volume), "rates": _svg(rates)}


# -- the request ---------------------------------------------------------------------------


def _form(request: HttpRequest) -> tuple[StatsForm, list[tuple[Unit, str]]]:
    """The form bound to the query; a link that names only the unit (the import job's
    "next" link, a drill-down) gets the current reporting year."""
    choices = unit_choices(request.user)
    if "kind" in request.GET:
        return StatsForm(request.GET, units=choices), choices
    unit: Unit | None = None
    if request.GET.get("unit"):
        unit = get_unit_for(request.user, request.GET["unit"], "view")
    else:
        home = home_unit(request.user)
        ids = {u.pk for u, _ in choices}
        unit = home if home is not None and home.pk in ids else (choices[0][0] if choices else None)
    data = {
        "unit": str(unit.pk) if unit else "",
        "kind": "year",
        "year": str(current_reporting_year()),
        "subunits": "on" if unit is not None and unit.children.exists() else "",
    }
    return StatsForm(data, units=choices), choices


def _report_from(request: HttpRequest):
    """(form, report or None): the unit is fetched with permission first."""
    form, _choices = _form(request)
    unit_pk = form.data.get("unit")
    # Permission first, whatever the form says (a unit outside the list is 403, not 200).
    unit = get_unit_for(request.user, unit_pk, "view") if unit_pk else None
    if not form.is_valid():
        return form, None
    if unit is None or str(unit.pk) != str(form.cleaned_data["unit"]):
        unit = get_unit_for(request.user, form.cleaned_data["unit"], "view")
    try:
        period = up_to_today(form.cleaned_data["period"], form.cleaned_data.get("as_of"))
    except PeriodError as error:
        form.add_error(None, str(error))
        return form, None
    try:
        report = build_report(unit, period, subunits=form.cleaned_data["subunits"])
    except PeriodError as error:  # selectors.ArchivedPeriod: the rows are archived
        form.add_error(None, str(error))
        return form, None
    return form, report


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    form, report = _report_from(request)
    context: dict = {
        "form": form,
        "report": report,
        "figures": form06.FIGURES,
        "rates": form06.RATES,
    }
    if report is not None:
        query = _query(request, form)
        drill = QueryDict(query, mutable=True)
        for key in ("unit", "subunits"):
            drill.pop(key, None)
        drill["subunits"] = "on"
        fields, context["fields_archived"] = unless_archived(
            lambda: field_rows(
                report.unit, report.period, subunits=report.subunits, reads=report.reads
            )
        )
        context.update(
            {
                "fields": fields,
                "query": query,
                "drill": drill.urlencode(),
                "unit_pk": str(report.unit.pk),
                "charts_url": reverse("dossiers:stats-charts") + "?" + query,
                "xlsx_url": reverse("dossiers:stats-xlsx") + "?" + query,
                "json_url": reverse("dossiers:stats-json") + "?" + query,
                "rate_note": form06.RATE_NOTE,
                "identity_holds": report.total.identity_holds(),
            }
        )
    return render(request, "dossiers/statistics.html", context)


@login_required
def statistics_charts(request: HttpRequest) -> HttpResponse:
    """The monthly trend (charts and table): loaded after the page, drawing takes time."""
    form, report = _report_from(request)
    if report is None:
        return _bad_request(form)
    months = trend(report.unit, report.period, subunits=report.subunits)
    context = {
        "charts": trend_charts(months),
        "month_rows": [form06.FormRow.of(m.label, s) for m, s in months],
        "figures": form06.FIGURES,
    }
    template = "dossiers/_charts.html" if request.htmx else "dossiers/charts_page.html"
    if not request.htmx:
        context |= {
            "report": report,
            "back": reverse("dossiers:stats") + "?" + _query(request, form),
        }
    response = render(request, template, context)
    response["Vary"] = "HX-Request"
    return response


def _query(request: HttpRequest, form: StatsForm) -> str:
    if "kind" in request.GET:
        return request.GET.urlencode()
    query = QueryDict(mutable=True)
    for key, value in form.data.items():
        if value:
            query[key] = value
    return query.urlencode()


def _bad_request(form: StatsForm) -> JsonResponse:
    errors = [
        {"field": None if field == "__all__" else field, "message": str(message)}
        for field, messages in form.errors.items()
        for message in messages
    ]
    return JsonResponse({"detail": "Dữ liệu không hợp lệ.", "errors": errors}, status=400)


def _filename(report: Report, ext: str) -> str:
    return f"bieu-06-{report.unit.scheme}-{report.unit.code}-{report.period.code}.{ext}".replace(
        "..", "_"
    )


@login_required
def statistics_xlsx(request: HttpRequest) -> HttpResponse:
    form, report = _report_from(request)
    if report is None:
        return _bad_request(form)

    def sheet(name: str, first_column: str, rows) -> form06.Sheet:
        # as on the page: an archived year leaves the table empty with the reason
        shown, absent = unless_archived(rows)
        return form06.Sheet(name, first_column, shown, absent=absent)

    sheets = [
        form06.Sheet("Biểu 06", "Đơn vị", report.rows),
        sheet(
            "Theo lĩnh vực",
            "Lĩnh vực",
            lambda: field_rows(
                report.unit, report.period, subunits=report.subunits, reads=report.reads
            ),
        ),
        sheet(
            "Theo tháng",
            "Tháng báo cáo",
            lambda: [
                form06.FormRow.of(m.label, s)
                for m, s in trend(report.unit, report.period, subunits=report.subunits)
            ],
        ),
    ]
    content = form06.xlsx_bytes(
        unit_name=report.unit.name,
        period_label=report.period.label,
        period_range=report.period_range,
        sheets=sheets,
    )
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, "xlsx")}"'
    return response


def report_json(report: Report) -> dict:
    """Issue 3's JSON per unit (`unit` = the unit's code), with the unit's name, the period
    and the total."""
    units = {u.pk: u for u in Unit.objects.filter(pk__in=report.unit_stats.keys())}
    rows = []
    for pk, stats in report.unit_stats.items():
        unit = units[pk]
        row = UnitStats(unit.code, *stats._counts()).to_json()
        row["name"] = unit.name
        row["scheme"] = unit.scheme
        rows.append(row)
    total = UnitStats(report.unit.code, *report.total._counts()).to_json()
    total["name"] = report.unit.name
    total["scheme"] = report.unit.scheme
    return {
        "period": {
            "code": report.period.code,
            "label": report.period.label,
            "from": report.period.start.isoformat(),
            "to": (report.period.full_end or report.period.end).isoformat(),
            # figures count to the earlier of the period end and as_of (periods.counted)
            "as_of": report.period.end.isoformat(),
        },
        "include_subunits": report.subunits,
        "units": rows,
        "total": total,
    }


@login_required
def statistics_json(request: HttpRequest) -> HttpResponse:
    form, report = _report_from(request)
    if report is None:
        return _bad_request(form)
    response = JsonResponse(report_json(report), json_dumps_params={"ensure_ascii": False})
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="{_filename(report, "json")}"'
    return response
