"""Every menu page of every role is Vietnamese (issue 15: English words leaked into the
Vietnamese interface). Server side and fast; tests/browser does the same in Chromium."""

from __future__ import annotations

import re
from html import unescape

import pytest

from tests.english import english_in

pytestmark = pytest.mark.django_db

_TAG = re.compile(r"<script.*?</script>|<style.*?</style>|<[^>]+>", re.S)


def visible_text(html: str) -> str:
    return unescape(_TAG.sub(" ", html))


def menu_links(html: str) -> list[str]:
    nav = re.search(r'<nav[^>]*id="mainnav".*?</nav>', html, re.S)
    assert nav, "no main menu"
    return [unescape(h) for h in re.findall(r'href="(/[^"#]*)"', nav.group(0))]


def test_english_in_finds_the_leaks():
    assert english_in("Hồ sơ không ở trạng thái chờ bổ sung (no open supplement request)")
    assert english_in("plan_completion_rate (Tỷ lệ hoàn thành)") == ["plan_completion_rate"]
    assert english_in("Lưu · Hủy · Kết quả · /reports/ · id_search") == []


@pytest.mark.parametrize("who", ["officer", "head", "appraiser", "administrator", None])
def test_every_menu_page_is_vietnamese(cast, client, who):
    if who:
        client.force_login(getattr(cast, who))
    home = client.get("/")
    assert home.status_code == 200
    leaks = {}
    for url in ["/", *menu_links(home.content.decode())]:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        found = english_in(visible_text(response.content.decode()))
        if found:
            leaks[url] = found
    assert leaks == {}
