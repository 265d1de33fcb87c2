"""Issue 18: a big cycle's results page shows one block at a time; the block selector works
with the keyboard alone (the threshold is lowered so the 2022 cycle's two units do)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from cchc.evaluations.views import results
from tests.browser.conftest import check_both_widths
from tests.evaluations.conftest import hd_framework  # noqa: F401 (fixture)
from tests.evaluations.test_views_results import build_2022

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_block_selector_by_keyboard(cast, page, login, hd_framework, monkeypatch):  # noqa: F811
    monkeypatch.setattr(results, "RESULTS_PAGE_MAX_ROWS", 1)
    cycle, _, _ = build_2022(cast, hd_framework, blocks=("Khối xã", "Khối phường"))
    login("quantri")
    page.goto(f"/evaluations/{cycle.pk}/results/")
    shown = page.locator("[data-testid=shown-block]")
    expect(shown).to_have_text("Khối phường")
    expect(page.locator("[data-testid=ranking]")).to_contain_text("Xã Thanh Xá")
    check_both_widths(page, "evaluation-results-one-block")
    page.locator("#block-select").focus()
    page.keyboard.press("ArrowDown")  # "Khối xã"
    page.keyboard.press("Tab")  # the button
    page.keyboard.press("Enter")
    expect(shown).to_have_text("Khối xã")
    expect(page.locator("[data-testid=ranking]")).to_contain_text("Xã Đồng Tâm")
    expect(page.locator("[data-testid=ranking]")).not_to_contain_text("Xã Thanh Xá")


def test_the_public_page_pages_through_blocks_by_links(cast, page, hd_framework, monkeypatch):  # noqa: F811
    """A visitor (not signed in) on a big published cycle: one block, the others as links."""
    monkeypatch.setattr(results, "RESULTS_PAGE_MAX_ROWS", 1)
    cycle, _, _ = build_2022(cast, hd_framework, blocks=("Khối xã", "Khối phường"))
    page.goto(reverse("public-cycle", args=[cycle.pk]))
    shown = page.locator("[data-testid=shown-block]")
    expect(shown).to_have_text("Khối phường")
    expect(page.locator("[data-testid=ranking]")).to_have_count(1)
    check_both_widths(page, "public-results-one-block")
    page.locator("[data-testid=block-links]").get_by_role("link", name="Khối xã").click()
    expect(shown).to_have_text("Khối xã")
    expect(page.locator("[data-testid=ranking]")).to_contain_text("Xã Đồng Tâm")
    expect(page.locator("[data-testid=ranking]")).not_to_contain_text("Xã Thanh Xá")
