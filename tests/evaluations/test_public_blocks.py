"""Issue 18: the public results page of a big cycle (3,321 communes in 34 blocks) shows one
block at a time, by the same rule as the signed-in page (views.results.block_page_context,
RESULTS_PAGE_MAX_ROWS), with links to the other blocks; its cache, ETag and Last-Modified
keep one page per block. The threshold is lowered here so seven units are a big cycle."""

from __future__ import annotations

import io
import re
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.evaluations.models import PublishedResult
from cchc.evaluations.views import results
from tests.evaluations.test_public_queries import _more_units
from tests.evaluations.test_views_results import build_2022

pytestmark = pytest.mark.django_db

MAX_ROWS = 3
# In the page's (Vietnamese) order: Khối phường 1 unit, Khối thị trấn 3, Khối xã 3.
BLOCKS = {
    "Khối phường": {"Xã Thanh Xá"},
    "Khối thị trấn": {"Xã Thử 2", "Xã Thử 3", "Xã Thử 4"},
    "Khối xã": {"Xã Đồng Tâm", "Xã Thử 0", "Xã Thử 1"},
}


@pytest.fixture
def big_cycle(cast, hd_framework, monkeypatch):
    monkeypatch.setattr(results, "RESULTS_PAGE_MAX_ROWS", MAX_ROWS)
    cycle, dong_tam, _ = build_2022(cast, hd_framework, blocks=("Khối xã", "Khối phường"))
    model = PublishedResult.objects.get(cycle=cycle, cycle_unit=dong_tam)
    _more_units(cast, cycle, model, 0, 2)  # Khối xã
    _more_units(cast, cycle, model, 2, 3, block="Khối thị trấn")
    cache.clear()
    return cycle


def units_on(html: str) -> set[str]:
    return set(re.findall(r'<td class="unit"><a href="[^"]+">([^<]+)</a>', html))


def block_url(cycle, block: str) -> str:
    return reverse("public-cycle", args=[cycle.pk]) + "?block=" + quote(block)


def test_a_big_cycle_s_public_page_shows_one_block_and_links_to_the_others(big_cycle):
    url = reverse("public-cycle", args=[big_cycle.pk])
    html = Client().get(url).content.decode()
    assert html.count('data-testid="rank"') <= MAX_ROWS
    assert '<strong data-testid="shown-block">Khối phường</strong>' in html  # the first
    assert units_on(html) == BLOCKS["Khối phường"]
    assert "Kỳ đánh giá có 7 đơn vị trong 3 khối xếp hạng" in html
    # every other block is a link, and following them reaches every unit once
    links = re.findall(r'<a href="\?block=([^"]+)">', html)
    assert links == [quote("Khối thị trấn"), quote("Khối xã")]
    seen = units_on(html)
    for name in ("Khối thị trấn", "Khối xã"):
        page = Client().get(block_url(big_cycle, name)).content.decode()
        assert page.count('data-testid="rank"') <= MAX_ROWS
        assert f'<strong data-testid="shown-block">{name}</strong>' in page
        assert units_on(page) == BLOCKS[name]
        assert '<strong aria-current="page">' + name in page
        seen |= units_on(page)
    assert seen == set().union(*BLOCKS.values())
    # the XLSX still has every unit
    from openpyxl import load_workbook

    xlsx = Client().get(reverse("public-cycle-xlsx", args=[big_cycle.pk]))
    sheet = load_workbook(io.BytesIO(xlsx.content))["Xếp hạng"]
    cells = {c.value for row in sheet.iter_rows() for c in row}
    assert set().union(*BLOCKS.values()) <= cells


def test_the_cache_keeps_a_page_per_block(big_cycle):
    """The visitor's cached render, the ETag and Last-Modified are per block: a block served
    from the cache is that block's page, never another block's."""
    xa, thi_tran = block_url(big_cycle, "Khối xã"), block_url(big_cycle, "Khối thị trấn")
    first = Client().get(xa)
    assert units_on(first.content.decode()) == BLOCKS["Khối xã"]
    other = Client()
    with CaptureQueriesContext(connection) as rendered:
        page = other.get(thi_tran)
    assert len(rendered) > 1  # not the cached Khối xã page
    assert units_on(page.content.decode()) == BLOCKS["Khối thị trấn"]
    for url, block in ((xa, "Khối xã"), (thi_tran, "Khối thị trấn")):
        with CaptureQueriesContext(connection) as cached:
            again = Client().get(url)
        assert len(cached) == 1, url  # the publication's stamp; the page from the cache
        assert units_on(again.content.decode()) == BLOCKS[block]
    # a browser holding one block's page gets a 304 for it, the page for another block
    tag, stamp = first["ETag"], first["Last-Modified"]
    assert page["ETag"] != tag
    assert Client().get(xa, headers={"If-None-Match": tag}).status_code == 304
    assert Client().get(thi_tran, headers={"If-None-Match": tag}).status_code == 200
    assert Client().get(xa, headers={"If-Modified-Since": stamp}).status_code == 304


def test_the_signed_in_page_and_the_public_one_show_the_same_block(big_cycle, cast, client_for):
    """One rule: the same block, the same rows, on both pages."""
    url = reverse("cycle-results", args=[big_cycle.pk]) + "?block=" + quote("Khối xã")
    signed_in = client_for(cast.administrator).get(url).content.decode()
    public = Client().get(block_url(big_cycle, "Khối xã")).content.decode()
    assert signed_in.count('data-testid="rank"') == public.count('data-testid="rank"') == 3
    assert units_on(public) == BLOCKS["Khối xã"]
    assert "Xã Thử 0" in signed_in and "Xã Thử 2" not in signed_in
