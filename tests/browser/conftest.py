"""Browser tests: Playwright driving Debian's Chromium (never a downloaded browser)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CCHC_CHROMIUM", "/usr/bin/chromium")
# Screenshots: test-artifacts/ by default; CCHC_SHOTS_DIR puts them where a person looks.
ARTIFACTS = Path(
    os.environ.get("CCHC_SHOTS_DIR") or Path(__file__).resolve().parents[2] / "test-artifacts"
)

# Playwright's sync API runs an event loop in this thread; the test's own database
# work (fixtures) is still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


def watch(page) -> list[str]:
    """The problems of a page as they happen: console and script errors, failed requests,
    server errors (issue 15: "Lưu" did nothing and only the console said why)."""
    problems: list[str] = []

    def on_console(message):
        # A refused page (403/404) is an expected answer, not an error of the page.
        if message.type == "error" and not re.match(
            r"Failed to load resource: the server responded with a status of 4\d\d",
            message.text,
        ):
            problems.append(f"console: {message.text} ({page.url})")

    def on_failed(request):
        # A navigation the test itself replaced (goto while loading) is aborted, not broken.
        if request.failure != "net::ERR_ABORTED":
            problems.append(f"request failed: {request.method} {request.url} {request.failure}")

    def on_response(response):
        if response.status >= 500:
            problems.append(f"server error {response.status}: {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"page error: {error} ({page.url})"))
    page.on("requestfailed", on_failed)
    page.on("response", on_response)
    return problems


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(
        base_url=live_server.url, locale="vi-VN", viewport={"width": 1366, "height": 900}
    )
    context.set_default_timeout(15000)
    page = context.new_page()
    problems = watch(page)
    yield page
    context.close()
    # Issue 15: "Lưu" did nothing and only the console said why. Every browser test fails on
    # a console error, a script error, a failed request or a server error.
    assert problems == []


@pytest.fixture
def login(page):
    from tests.conftest import PASSWORD

    def sign_in(username: str, password: str = PASSWORD):
        page.goto("/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_url("**/")
        return page

    return sign_in


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def check_page(page, name: str = "") -> None:
    """What every page must satisfy (issue 15): no table clipped sideways (a table wider
    than its box is allowed only inside a scrolling .table-wrap), no leaked English word,
    nothing wider than the screen. Takes the screenshot when a name is given."""
    from tests.english import english_in

    clipped = page.evaluate(
        """() => [...document.querySelectorAll("main table")].filter((t) => {
            const wrap = t.closest(".table-wrap");
            if (wrap) return false;
            const box = t.parentElement;
            return t.scrollWidth > t.clientWidth + 1 || t.getBoundingClientRect().right >
                box.getBoundingClientRect().right + 1;
        }).map((t) => t.className || t.id || "table")"""
    )
    assert clipped == [], f"{page.url}: clipped tables {clipped}"
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{page.url}: page {overflow}px wider than the screen"
    assert english_in(page.inner_text("body")) == [], page.url
    if name:
        screenshot(page, name)


def check_both_widths(page, name: str) -> None:
    """check_page at a laptop's 1366 px and a phone's 390 px, with screenshots."""
    size = page.viewport_size
    for width, height, suffix in ((1366, 900, ""), (390, 844, "-phone")):
        page.set_viewport_size({"width": width, "height": height})
        check_page(page, f"{name}{suffix}")
    page.set_viewport_size(size)
