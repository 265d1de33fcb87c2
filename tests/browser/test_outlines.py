"""Browser walk of outline reports: two communes file (Đồng Tâm on the page, Thanh Xá by
XLSX), Hưng Thái does not; the district compiles, sees Hưng Thái named as missing, writes
its own narrative quoting a commune, generates DOCX and PDF; the PDF pages are rendered
to PNG for a person to look at."""

from __future__ import annotations

import subprocess

import pytest

from tests.browser.conftest import ARTIFACTS, check_page
from tests.reports.outlines.conftest import area, entries, filled_workbook  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def sign_in(page, login, username):
    page.context.clear_cookies()
    return login(username)


def open_report(page, unit, period="2023"):
    page.goto(f"/reports/outlines/?unit={unit.pk}")
    page.fill("#period", period)
    page.get_by_role("button", name="Mở báo cáo").click()
    page.wait_for_url("**/reports/outlines/*/")


def test_two_communes_file_one_does_not_district_compiles(page, login, area, cast, media, tmp_path):  # noqa: F811
    spec = area.outline.spec()
    values = entries(spec, legal_docs_issued="3")

    # Đồng Tâm: the officer fills the page, the head submits
    sign_in(page, login, "congchuc.dongtam")
    open_report(page, cast.dong_tam)
    assert page.locator("[data-testid=locked-dossiers_received]").count() == 1
    for key, value in values.items():
        page.fill(f"#v-{key}", str(value))
    page.fill("#t-the_che_text", "Xã Đồng Tâm rà soát 3 văn bản quy phạm pháp luật.")
    page.get_by_test_id("save").click()
    page.wait_for_selector("text=Đã lưu báo cáo.")
    url = page.url
    sign_in(page, login, "chutich.dongtam")
    page.goto(url)
    page.get_by_test_id("submit").click()
    page.wait_for_selector("text=Đã gửi báo cáo đến")
    assert page.get_by_test_id("status").inner_text() == "Đã gửi cấp trên"

    # Thanh Xá: the head downloads the blank workbook, fills it in Excel, uploads it
    sign_in(page, login, "chutich.thanhxa")
    open_report(page, cast.thanh_xa)
    with page.expect_download() as info:
        page.get_by_test_id("xlsx-blank").click()
    blank = tmp_path / "blank.xlsx"
    info.value.save_as(blank)
    assert blank.stat().st_size > 0
    filled = tmp_path / "thanh-xa.xlsx"
    filled.write_bytes(
        filled_workbook(
            spec,
            entries(spec, legal_docs_issued="4"),
            {"the_che_text": "Thanh Xá rà soát 4 văn bản."},
        )
    )
    page.set_input_files("#xlsx-file", str(filled))
    page.get_by_test_id("import").click()
    page.wait_for_selector("text=Đã nhập số liệu và phần lời từ tệp")
    page.get_by_test_id("submit").click()
    page.wait_for_selector("text=Đã gửi báo cáo đến")

    # Hưng Thái files nothing. The district compiles.
    sign_in(page, login, "congchuc.ninhgiang")
    open_report(page, cast.district)
    page.get_by_test_id("compile").click()
    page.wait_for_selector("text=Đã tổng hợp báo cáo của 2 đơn vị")
    assert "Xã Hưng Thái" in page.get_by_test_id("missing").inner_text()
    page.locator("[data-testid=quotes-the_che_text] summary").click()
    page.locator("[data-testid=quotes-the_che_text] button").first.click()
    own = page.locator("#t-the_che_text")
    own.fill("Huyện ban hành Kế hoạch số 16/KH-UBND. " + own.input_value())
    page.get_by_test_id("save").click()
    page.wait_for_selector("text=Đã lưu báo cáo.")
    check_page(page, "outline-district-compiled")
    page.get_by_test_id("gen-docx").click()
    page.wait_for_selector("text=Đã tạo tệp")
    page.get_by_test_id("gen-pdf").click()
    page.wait_for_selector("[data-testid=download-pdf]")
    with page.expect_download() as info:
        page.get_by_test_id("download-pdf").click()
    pdf = ARTIFACTS / "outline-district-browser.pdf"
    info.value.save_as(pdf)
    with page.expect_download() as info:
        page.get_by_test_id("download-docx").click()
    info.value.save_as(ARTIFACTS / "outline-district-browser.docx")

    from cchc.reports.checker import check_file

    assert check_file(pdf) == []
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Xã Hưng Thái" in text and "chưa gửi báo cáo" in text
    assert "Huyện ban hành Kế hoạch số 16/KH-UBND." in text
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", str(pdf), str(ARTIFACTS / "outline-district-browser")],
        check=True,
    )
