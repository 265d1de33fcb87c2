"""The shell in a real browser: each role's home page, and the wall between communes."""

from __future__ import annotations

import pytest

from tests.browser.conftest import check_page

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    ("username", "role_label", "unit"),
    [
        ("congchuc.dongtam", "Công chức phụ trách CCHC", "Xã Đồng Tâm"),
        ("chutich.dongtam", "Thủ trưởng đơn vị", "Xã Đồng Tâm"),
        ("thamdinh", "Thành viên tổ thẩm định", "Sở Nội vụ"),
        ("quantri", "Quản trị (Sở Nội vụ tỉnh Hải Dương)", "Tỉnh Hải Dương"),
    ],
)
def test_each_role_signs_in_and_sees_its_home(cast, page, login, username, role_label, unit):
    login(username)
    assert page.locator("h1").inner_text().startswith("Xin chào")
    assert page.locator("[data-role]").first.inner_text() == role_label
    assert unit in page.locator(".lead").inner_text()
    menu = page.locator("#mainnav").inner_text()
    assert ("Người dùng" in menu) == (username == "quantri")
    check_page(page, f"home-{username}")


def test_officer_cannot_open_another_communes_page(cast, page, login):
    login("congchuc.dongtam")
    response = page.goto(f"/units/{cast.thanh_xa.pk}/")
    assert response.status == 404
    assert "Không tìm thấy trang" in page.locator("h1").inner_text()
    response = page.goto(f"/units/{cast.dong_tam.pk}/")
    assert response.status == 200


def test_wrong_password_is_refused_and_logout_works(cast, page, login):
    page.goto("/login/")
    page.fill("#id_username", "congchuc.dongtam")
    page.fill("#id_password", "sai")
    page.click("button[type=submit]")
    assert "không đúng" in page.locator("[role=alert]").inner_text()
    login("congchuc.dongtam")
    page.click("text=Đăng xuất")
    page.wait_for_url("**/")
    assert page.locator("a", has_text="Đăng nhập").first.is_visible()


def test_menu_works_on_a_phone_and_from_the_keyboard(cast, page, login):
    login("quantri")
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto("/")
    assert not page.locator("#mainnav").is_visible()
    page.focus(".menu-toggle")
    page.keyboard.press("Enter")
    assert page.locator("#mainnav").is_visible()
    assert page.locator(".menu-toggle").get_attribute("aria-expanded") == "true"
    check_page(page, "home-phone")
