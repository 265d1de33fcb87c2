"""Every role's menu in Chromium (issue 15): each role signs in, opens every menu link and
the page must show no console error, no failed request, no server error, no table clipped
sideways, nothing wider than the screen, no leaked English word, and no empty main list
where the role has data. Screenshots of every page at 1366 px and 390 px
(CCHC_SHOTS_DIR=/some/dir to keep them; test-artifacts/ otherwise).

One browser, one context per role; the world is the access tests' (one object of every
kind, owned by Xã Đồng Tâm), widened with a commune administrator and the district's
Home Affairs office.
"""

from __future__ import annotations

import re

import pytest

from cchc.units import roles as R
from cchc.units.services import person_create
from tests.access_world import build_world
from tests.browser.conftest import check_page, watch
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

# (role, username): officer, head, appraiser, administrator of a commune, of a district and
# of the province, and the platform's operator.
ROLES = [
    ("officer", "congchuc.dongtam"),
    ("head", "chutich.dongtam"),
    ("appraiser", "thamdinh"),
    ("admin-commune", "quantri.dongtam"),
    ("admin-district", "noivu.ninhgiang"),
    ("admin-province", "quantri"),
    ("superuser", "vanhanh"),
]

# The menu pages whose main list the role has data for (the world gives Đồng Tâm a plan,
# reports, a dossier and feedback; the province an open and a published cycle).
HAS_DATA = {
    "officer": {"/evaluations/", "/dossiers/", "/plans/", "/reports/"},
    "head": {"/evaluations/", "/dossiers/", "/plans/", "/reports/"},
    "appraiser": {"/evaluations/", "/evaluations/appraisal/"},
    "admin-commune": {"/evaluations/", "/dossiers/", "/plans/", "/reports/", "/units/people/"},
    "admin-district": {"/plans/", "/units/", "/service-index/"},
    "admin-province": {"/evaluations/", "/plans/", "/units/", "/units/people/", "/frameworks/"},
    "superuser": {"/evaluations/", "/frameworks/", "/units/"},
}

# An empty main list says so in an element of class "empty" (templates' {% empty %}).
EMPTY_MAIN = """() => [...document.querySelectorAll("main .empty")]
    .filter((e) => e.offsetParent !== null).map((e) => e.innerText.trim())"""


# Where the menu's items and the header's two ends are (issue 15: at 1366 px the
# administrator's menu wrapped onto two ragged lines beside the brand and the account).
MENU_LAYOUT = """() => {
    const boxes = [...document.querySelectorAll("#mainnav li")].map((li) => li.getBoundingClientRect());
    const visible = boxes.filter((b) => b.width > 0);
    const brand = document.querySelector(".brand").getBoundingClientRect();
    const account = document.querySelector(".account").getBoundingClientRect();
    return {
        items: boxes.length,
        visible: visible.length,
        rows: new Set(visible.map((b) => Math.round(b.top))).size,
        right: Math.max(0, ...visible.map((b) => b.right)),
        width: window.innerWidth,
        header_one_row: Math.abs(brand.top + brand.height / 2 - account.top - account.height / 2) < 12,
    };
}"""


def menu_layout_problems(page) -> list[str]:
    """At 1366 px every menu item on one row, inside the screen, the brand and the account
    on one line above it; at 390 px the menu folded behind its button, which opens it as a
    column and Escape folds again (keyboard only)."""
    problems = []
    page.set_viewport_size({"width": 1366, "height": 900})
    wide = page.evaluate(MENU_LAYOUT)
    if wide["rows"] != 1 or wide["visible"] != wide["items"] or wide["right"] > wide["width"]:
        problems.append(f"menu at 1366 px: {wide}")
    if not wide["header_one_row"]:
        problems.append("header at 1366 px: the brand and the account are not on one line")
    page.set_viewport_size({"width": 390, "height": 844})
    if page.locator("#mainnav").is_visible():
        problems.append("menu at 390 px: not folded")
    if not page.locator(".account").is_visible():
        problems.append("header at 390 px: no account")
    page.focus(".menu-toggle")
    page.keyboard.press("Enter")
    phone = page.evaluate(MENU_LAYOUT)
    if phone["visible"] != phone["items"] or phone["rows"] != phone["items"]:
        problems.append(f"menu at 390 px, opened: not one item a line {phone}")
    if phone["right"] > phone["width"]:
        problems.append(f"menu at 390 px, opened: wider than the screen {phone}")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.closest('#mainnav') !== null")
    if not focused:
        problems.append("menu at 390 px: Tab after the button does not reach the menu")
    page.keyboard.press("Escape")
    if page.locator("#mainnav").is_visible():
        problems.append("menu at 390 px: Escape does not fold it")
    page.set_viewport_size({"width": 1366, "height": 900})
    return problems


def _menu(page) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "#mainnav a[href]", "els => els.map(a => a.getAttribute('href'))"
    )
    return [h for h in dict.fromkeys(hrefs) if h.startswith("/") and h != "/logout/"]


def _slug(url: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", url.lower()).strip("-") or "home"


def test_every_roles_menu(cast, chromium, live_server):
    build_world(cast)
    person_create(
        username="quantri.dongtam", password=PASSWORD, full_name="Bùi Thị Hoa",
        unit=cast.dong_tam, roles=[R.ADMINISTRATOR],
    )  # fmt: skip
    person_create(
        username="noivu.ninhgiang", password=PASSWORD, full_name="Phòng Nội vụ huyện Ninh Giang",
        unit=cast.district, roles=[R.ADMINISTRATOR],
    )  # fmt: skip
    failures: list[str] = []
    for role, username in ROLES:
        context = chromium.new_context(
            base_url=live_server.url, locale="vi-VN", viewport={"width": 1366, "height": 900}
        )
        context.set_default_timeout(15000)
        page = context.new_page()
        problems = watch(page)
        page.goto("/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/")
        links = _menu(page)
        assert links, f"{role}: no menu"
        failures += [f"{role}: {p}" for p in menu_layout_problems(page)]
        for url in ["/", *links]:
            response = page.goto(url)
            if response is None or response.status != 200:
                failures.append(f"{role} {url}: HTTP {response and response.status}")
                continue
            try:
                page.set_viewport_size({"width": 1366, "height": 900})
                check_page(page, f"walk-{role}-{_slug(url)}")
                page.set_viewport_size({"width": 390, "height": 844})
                check_page(page, f"walk-{role}-{_slug(url)}-phone")
            except AssertionError as error:
                failures.append(f"{role} {url}: {error}")
            if url in HAS_DATA.get(role, ()):
                empty = page.evaluate(EMPTY_MAIN)
                if empty:
                    failures.append(f"{role} {url}: empty list where the role has data {empty}")
        missing = HAS_DATA.get(role, set()) - set(links)
        if missing:
            failures.append(f"{role}: menu lacks {sorted(missing)}")
        failures += [f"{role}: {p}" for p in problems]
        context.close()
    assert failures == []
