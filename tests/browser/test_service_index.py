"""The QĐ 766 index and the feedback register in a real browser, on a laptop and a phone."""

from __future__ import annotations

import pytest

from tests.browser.conftest import check_page

pytestmark = pytest.mark.django_db(transaction=True)

OCTOBER = "start=2023-10-02&end=2023-10-31"


@pytest.fixture
def october(cast):
    """October 2023 of Xã Đồng Tâm, every count known by hand (tests/service_index/dbdata.py)."""
    import time_machine

    from tests.service_index.dbdata import NOW, build

    with time_machine.travel(NOW, tick=False):
        return build(cast)


def test_index_page_shows_total_table_and_what_loses_most(cast, october, page, login):
    login("congchuc.dongtam")
    page.goto(f"/service-index/units/{cast.dong_tam.pk}/?{OCTOBER}")
    total = page.get_by_test_id("total").inner_text()
    # 46,67 of the 96 points CCHC can measure (4.5a and 4.5b only the portal sees)
    assert "46,67" in total and "/96" in total and "48,61/100" in total
    assert "4.5a, 4.5b" in total
    table = page.get_by_test_id("indicator-table")
    assert table.locator("tr[data-code]").count() == 21
    row = table.locator('tr[data-code="2.1"]')
    assert "6/9" in row.inner_text() and "66,67%" in row.inner_text()
    # 2.1 loses 6,67 of its 20 points: the most, shown first
    assert "2.1" in page.get_by_test_id("loses-most-top").inner_text()
    first = page.get_by_test_id("loses-most").locator("li").first.inner_text()
    assert first.startswith("2.1") and "mất 6,67/20" in first
    # the source and confidence of each indicator are on the page
    row.locator("summary").click()
    # a legal basis, never a developer's file name (issue 14)
    assert "Căn cứ:" in row.inner_text() and ".js" not in row.inner_text()
    assert row.locator(".badge").inner_text() == "V"
    check_page(page, "service-index-laptop")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.get_by_test_id("total").is_visible()
    assert page.get_by_test_id("loses-most-top").is_visible()
    check_page(page, "service-index-phone")


def test_officer_records_answers_and_publishes_a_feedback(cast, page, login):
    login("congchuc.dongtam")
    page.goto(f"/service-index/units/{cast.dong_tam.pk}/feedback/")
    assert (
        "Chưa nhận được phản ánh, kiến nghị nào trong kỳ"
        in page.get_by_test_id("zero-feedback").inner_text()
    )
    page.get_by_role("link", name="Ghi sổ phản ánh mới").click()
    page.get_by_label("Kênh tiếp nhận").select_option("hom_thu")
    page.get_by_label("Người phản ánh").fill("Nguyễn Văn Bình")
    page.get_by_label("Nội dung phản ánh, kiến nghị").fill(
        "Đề nghị niêm yết rõ lệ phí chứng thực tại bộ phận một cửa."
    )
    page.get_by_label("Phân loại").select_option("khong_phu_hop")
    page.get_by_label("Giao cho").select_option(label="Phạm Thị Lan")
    page.keyboard.press("Tab")
    page.get_by_role("button", name="Ghi sổ").press("Enter")
    page.wait_for_url("**/service-index/feedback/*/")
    assert "hạn trả lời" in page.locator(".msg").inner_text()
    check_page(page, "service-index-feedback-detail")

    page.get_by_text("Trả lời", exact=True).click()
    page.get_by_label("Nội dung trả lời").fill("Đã niêm yết bảng phí, lệ phí mới.")
    page.get_by_role("button", name="Ghi nhận trả lời").click()
    assert "cần công khai kết quả" in page.locator(".msg").inner_text()
    page.get_by_role("button", name="Ghi nhận công khai").click()
    assert "Đã công khai kết quả" in page.locator(".msg").inner_text()
    history = page.get_by_test_id("history").inner_text()
    assert "Tiếp nhận phản ánh" in history and "Trả lời phản ánh" in history
    assert "Công khai kết quả trả lời" in history

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/service-index/units/{cast.dong_tam.pk}/feedback/")
    assert page.get_by_test_id("feedback-table").is_visible()
    check_page(page, "service-index-feedback-phone")


def test_another_communes_officer_is_refused(cast, october, page, login):
    login("congchuc.thanhxa")
    response = page.goto(f"/service-index/units/{cast.dong_tam.pk}/")
    assert response.status == 404
    response = page.goto(f"/service-index/feedback/{october.feedback['F1'].pk}/")
    assert response.status == 404
