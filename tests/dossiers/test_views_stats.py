"""The statistics page of Thông tư 01/2020 (form 06/VPCP/KSTT), its XLSX and JSON."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from cchc.dossiers import form06
from tests.dossiers.view_helpers import load_seed002, text

pytestmark = pytest.mark.django_db
FROZEN = time_machine.travel(dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC), tick=False)
STATS = reverse("dossiers:stats")
XLSX = reverse("dossiers:stats-xlsx")
JSON = reverse("dossiers:stats-json")


def year_2023(unit, **extra) -> dict:
    return {"unit": unit.pk, "kind": "year", "year": 2023, **extra}


def seed_period(unit, **extra) -> dict:
    """Seed 002's period: 15/12/2022 – 14/8/2023 (its 3 pending dossiers are due after it)."""
    return {"unit": unit.pk, "kind": "custom", "start": "2022-12-15", "end": "2023-08-14", **extra}


def test_anonymous_is_sent_to_login(cast, client):
    for url in (STATS, XLSX, JSON, reverse("dossiers:stats-charts")):
        response = client.get(url, year_2023(cast.dong_tam))
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_officer_of_thanh_xa_gets_403_on_dong_tam_statistics(cast, client_for):
    client = client_for(cast.officer_thanh_xa)
    for url in (STATS, XLSX, JSON, reverse("dossiers:stats-charts")):
        assert client.get(url, year_2023(cast.dong_tam)).status_code == 404, url
        assert client.get(url, year_2023(cast.thanh_xa)).status_code == 200, url
    # the unit list offers only what the person may see
    html = text(client.get(STATS))
    assert "Xã Thanh Xá" in html and "Xã Đồng Tâm" not in html


@FROZEN
def test_seed002_figures_on_the_page(cast, client_for):
    load_seed002(cast.administrator)
    html = text(client_for(cast.officer_thanh_xa).get(STATS, seed_period(cast.thanh_xa)))
    assert "Xã Thanh Xá — Từ ngày 15/12/2022 đến ngày 14/8/2023" in html
    # seed 002: 1,277 received, 1,127 online (88.25%), 150 in person, 1,274 resolved
    # (1,269 early, 5 on time), 3 pending in time, none late
    row = html.split('data-testid="form06"')[1].split("</table>")[0]
    cells = [c.split("<")[0] for c in row.split('<td class="num">')[1:]]
    assert cells == ["1", "1.277", "1.127", "150", "0", "1.274", "1.269", "5", "0", "3", "3", "0"]
    assert "88,25%" in html
    assert "99,45%" in html  # intake digitised 1270/1277, as docs/dossier-stats.md says
    for figure in form06.FIGURES:
        assert figure.definition in html  # every figure has its definition on the page
    assert "Chứng thực" in html  # by field
    # the monthly trend: server-rendered SVG, loaded after the page (drawing takes time)
    charts = reverse("dossiers:stats-charts")
    assert charts in html
    client = client_for(cast.officer_thanh_xa)
    fragment = text(client.get(charts, seed_period(cast.thanh_xa), HTTP_HX_REQUEST="true"))
    assert fragment.count("<svg") == 2 and "<html" not in fragment
    assert "Tháng 8/2023" in fragment  # the table of months beside the charts
    page = text(client.get(charts, seed_period(cast.thanh_xa)))  # without script: a page
    assert "<html" in page and "<svg" in page
    assert client_for(cast.officer).get(charts, seed_period(cast.thanh_xa)).status_code == 404


@FROZEN
def test_empty_rates_say_no_data(cast, client_for):
    html = text(client_for(cast.officer).get(STATS, year_2023(cast.dong_tam)))
    assert "không có số liệu" in html
    assert "0,00%" not in html


@FROZEN
def test_a_quarter_a_month_and_custom_dates(cast, client_for):
    load_seed002(cast.administrator)
    client = client_for(cast.officer_thanh_xa)
    html = text(
        client.get(STATS, {"unit": cast.thanh_xa.pk, "kind": "quarter", "year": 2023, "quarter": 1})
    )
    assert "Quý I/2023" in html and "từ ngày 15/12/2022 đến ngày 14/3/2023" in html
    html = text(
        client.get(
            STATS,
            {
                "unit": cast.thanh_xa.pk,
                "kind": "custom",
                "start": "2023-01-01",
                "end": "2023-03-31",
            },
        )
    )
    assert "Từ ngày 01/01/2023 đến ngày 31/3/2023" in html
    bad = text(
        client.get(
            STATS,
            {
                "unit": cast.thanh_xa.pk,
                "kind": "custom",
                "start": "2023-04-01",
                "end": "2023-03-31",
            },
        )
    )
    assert "Ngày bắt đầu phải trước hoặc bằng ngày kết thúc" in bad


@FROZEN
def test_province_with_subunits_has_a_row_per_child_and_the_total(cast, client_for):
    load_seed002(cast.administrator)
    client = client_for(cast.administrator)
    html = text(client.get(STATS, year_2023(cast.province, subunits="on")))
    table = html.split('data-testid="form06"')[1].split("</table>")[0]
    assert "Huyện Ninh Giang" in table and "Tổng cộng" in table
    assert "Sở Nội vụ" not in table  # no dossiers: listed apart, not as a row of zeros
    assert f"?unit={cast.district.pk}&" in table  # drill down to the district
    data = client.get(JSON, year_2023(cast.province, subunits="on")).json()
    assert data["total"]["received"]["total"] == 1277
    assert [u["name"] for u in data["units"]] == ["Huyện Ninh Giang"]


@FROZEN
def test_json_has_the_issue_shape(cast, client_for):
    load_seed002(cast.administrator)
    client = client_for(cast.officer_thanh_xa)
    data = client.get(JSON, seed_period(cast.thanh_xa)).json()
    assert data["period"] == {
        "code": "2022-12-15..2023-08-14",
        "label": "Từ ngày 15/12/2022 đến ngày 14/8/2023",
        "from": "2022-12-15",
        "to": "2023-08-14",
        "as_of": "2023-08-14",
    }
    total = data["total"]
    assert total["unit"] == "THANHXA"
    assert total["carried_over"] == 0
    assert total["received"] == {
        "truc_tiep": 150,
        "truc_tuyen": 1127,
        "buu_chinh": 0,
        "total": 1277,
    }
    assert total["resolved"] == {"early": 1269, "on_time": 5, "late": 0, "total": 1274}
    assert total["pending"] == {"in_time": 3, "overdue": 0, "total": 3}
    assert total["rates"]["online"] == 88.25
    assert total["rates"]["on_time"] == 100.0
    assert set(total["rates"]) == {
        "online",
        "on_time",
        "intake_digitized",
        "result_digitized",
        "paid_online",
    }
    # over the whole year 2023 the same three are overdue: their due dates passed
    year = client.get(JSON, year_2023(cast.thanh_xa)).json()["total"]
    assert year["pending"] == {"in_time": 0, "overdue": 3, "total": 3}


@FROZEN
def test_xlsx_is_in_the_forms_layout(cast, client_for):
    load_seed002(cast.administrator)
    response = client_for(cast.officer_thanh_xa).get(XLSX, seed_period(cast.thanh_xa))
    assert response["Content-Disposition"].endswith('.xlsx"')
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["Biểu 06", "Theo lĩnh vực", "Theo tháng"]
    ws = wb["Biểu 06"]
    assert ws["A1"].value == form06.FORM_CODE
    assert ws["A4"].value == form06.FORM_TITLE
    assert "Từ ngày 15/12/2022 đến ngày 14/8/2023" in ws["A5"].value
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A9:A11", "B9:B11", "C9:F9", "G9:M9", "C10:C11", "D10:F10"} <= merged
    assert ws["C9"].value == "Số hồ sơ nhận giải quyết"
    assert [ws.cell(12, c).value for c in (1, 3, 13)] == ["(1)", "(3)", "(13)"]
    row = [ws.cell(13, c).value for c in range(1, 14)]
    assert row == [1, "Xã Thanh Xá", 1277, 1127, 150, 0, 1274, 1269, 5, 0, 3, 3, 0]
    assert ws.cell(13, 3).number_format == "#,##0"
    assert ws.cell(13, 14).value == 88.25 and ws.cell(13, 14).number_format == "0.00"
    months = wb["Theo tháng"]
    assert months.cell(13, 2).value == "Tháng 1/2023"
    assert months.cell(20, 2).value == "Tháng 8/2023"
    assert sum(months.cell(r, 4).value for r in range(13, 21)) == 1127


def test_a_running_period_is_counted_to_today_like_every_other_page():
    """Issue 14: the page stopped at the last 14th (193 dossiers) while the QĐ 766 page
    counted to today (279). Both now count to the earlier of the period end and as_of."""
    import pytest

    from cchc.dossiers.periods import PeriodError, counted, custom_period, period_for
    from cchc.dossiers.views.statistics import up_to_today

    year = period_for("year", 2026)
    cut = up_to_today(year, dt.date(2026, 11, 22))
    assert (cut.start, cut.end) == (dt.date(2025, 12, 15), dt.date(2026, 11, 22))
    assert cut == counted(year, dt.date(2026, 11, 22))
    assert cut.label == "Năm 2026" and cut.code == "2026"
    assert cut.as_of_text == "số liệu tính đến ngày 22/11/2026"
    custom = custom_period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert up_to_today(custom, dt.date(2026, 11, 22)).end == dt.date(2026, 11, 22)
    # a past period counts to its own end, and says so
    past = up_to_today(period_for("year", 2025), dt.date(2026, 11, 22))
    assert (past.start, past.end) == (period_for("year", 2025).start, dt.date(2025, 12, 14))
    assert past.as_of_text == "số liệu tính đến ngày 14/12/2025"
    # a period not begun has no figures: said, not printed as zeros
    with pytest.raises(PeriodError, match="chưa có số liệu"):
        up_to_today(period_for("year", 2027), dt.date(2026, 11, 22))
