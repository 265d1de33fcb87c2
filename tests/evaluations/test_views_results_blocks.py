"""Issue 18: the results page of a cycle of many units in several blocks shows one block at
a time (a selector, the viewer's own block first); the XLSX still has every unit. The
threshold (views.results.RESULTS_PAGE_MAX_ROWS, 300) is lowered here so two units do."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from cchc.evaluations.views import results
from tests.evaluations.test_views_results import build_2022

pytestmark = pytest.mark.django_db

# Đồng Tâm (87,75%) and Thanh Xá in blocks of their own; "Khối phường" comes first.
BLOCKS = ("Khối xã", "Khối phường")


@pytest.fixture
def one_block_at_a_time(monkeypatch):
    monkeypatch.setattr(results, "RESULTS_PAGE_MAX_ROWS", 1)


@pytest.fixture(params=[True, False], ids=["published", "computed"])
def two_blocks(request, cast, hd_framework):
    return build_2022(cast, hd_framework, publish=request.param, blocks=BLOCKS)


def page(client, cycle, **query) -> str:
    response = client.get(reverse("cycle-results", args=[cycle.pk]), query)
    assert response.status_code == 200
    return response.content.decode()


def xlsx_rows(client, cycle) -> list[dict]:
    from openpyxl import load_workbook

    response = client.get(reverse("cycle-results-xlsx", args=[cycle.pk]))
    rows = [[c.value for c in row] for row in load_workbook(io.BytesIO(response.content))[
        "Xếp hạng"
    ].iter_rows()]  # fmt: skip
    header = next(r for r in rows if r and r[0] == "Khối")
    return [dict(zip(header, r, strict=False)) for r in rows[rows.index(header) + 1 :] if r[1]]


def test_one_block_shown_and_the_selector_switches(
    cast, client_for, two_blocks, one_block_at_a_time
):
    cycle, _, _ = two_blocks
    client = client_for(cast.administrator)  # the province: no unit in the cycle
    html = page(client, cycle)
    assert 'data-testid="block-picker"' in html
    assert "Kỳ đánh giá có 2 đơn vị trong 2 khối xếp hạng" in html
    assert '<strong data-testid="shown-block">Khối phường</strong>' in html  # the first block
    assert "Xã Thanh Xá" in html and "Xã Đồng Tâm" not in html
    assert '<label for="block-select">Khối xếp hạng</label>' in html
    html = page(client, cycle, block="Khối xã")
    assert '<strong data-testid="shown-block">Khối xã</strong>' in html
    assert "Xã Đồng Tâm" in html and "Xã Thanh Xá" not in html
    assert '<option value="Khối xã" selected>' in html
    # The ranks are the same as with both blocks on one page: 1/1 in each.
    assert "<strong>1</strong>/1" in html
    # A block that is not in the cycle: the default one, not an empty page.
    assert "Xã Thanh Xá" in page(client, cycle, block="Khối không có")


def test_a_figure_on_the_page_equals_the_xlsx_which_has_every_unit(
    cast, client_for, two_blocks, one_block_at_a_time
):
    cycle, _, _ = two_blocks
    client = client_for(cast.administrator)
    html = page(client, cycle, block="Khối xã")
    rows = {r["Đơn vị"]: r for r in xlsx_rows(client, cycle)}
    assert set(rows) == {"Xã Đồng Tâm", "Xã Thanh Xá"}
    dong_tam = rows["Xã Đồng Tâm"]
    assert dong_tam["Khối"] == "Khối xã" and dong_tam["Hạng"] == 1
    assert float(dong_tam["Chỉ số (%)"]) == 87.75
    assert "<strong>87,75%</strong>" in html


def test_the_viewers_own_block_comes_first(cast, client_for, hd_framework, one_block_at_a_time):
    # A commune's officer sees the ranking once published.
    cycle, _, _ = build_2022(cast, hd_framework, blocks=BLOCKS)
    html = page(client_for(cast.officer), cycle)  # Đồng Tâm's officer
    assert '<strong data-testid="shown-block">Khối xã</strong>' in html
    assert "Xã Đồng Tâm" in html and "Xã Thanh Xá" not in html


def test_a_small_cycle_shows_every_block(cast, client_for, two_blocks):
    cycle, _, _ = two_blocks
    html = page(client_for(cast.administrator), cycle)
    assert "block-picker" not in html
    assert "Xã Thanh Xá" in html and "Xã Đồng Tâm" in html


def test_a_units_card_and_chart_rank_it_within_its_block(cast, client_for, two_blocks):
    cycle, dong_tam, _ = two_blocks
    client = client_for(cast.administrator)
    card = client.get(reverse("unit-result", args=[dong_tam.pk])).content.decode()
    assert "1/1" in card and "1/2" not in card
    chart = client.get(reverse("unit-chart", args=[dong_tam.pk, "ranking"])).content.decode()
    assert "Xã Đồng Tâm" in chart and "Xã Thanh Xá" not in chart
    chart = client.get(reverse("cycle-ranking-chart", args=[cycle.pk]), {"block": "Khối xã"})
    assert "Xã Đồng Tâm" in chart.content.decode()
    assert "Xã Thanh Xá" not in chart.content.decode()
