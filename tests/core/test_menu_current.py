"""Issue 15: two menu items were highlighted at once ("Chỉ số CCHC" and "Thẩm định" on the
appraisal list, "Đơn vị" and "Người dùng" on the people list). One item is current: the
longest menu address the page is under."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def current_items(html: str) -> list[str]:
    nav = re.search(r'<nav[^>]*id="mainnav".*?</nav>', html, re.S).group(0)
    return re.findall(r'aria-current="page">([^<]+)<', nav)


@pytest.mark.parametrize(
    "who, url, item",
    [
        ("appraiser", "/evaluations/appraisal/", "Thẩm định"),
        ("appraiser", "/evaluations/", "Chỉ số CCHC"),
        ("administrator", "/units/people/", "Người dùng"),
        ("administrator", "/units/", "Đơn vị"),
        ("officer", "/", "Trang chủ"),
    ],
)
def test_one_menu_item_is_current(cast, client_for, who, url, item):
    html = client_for(getattr(cast, who)).get(url).content.decode()
    assert current_items(html) == [item]
