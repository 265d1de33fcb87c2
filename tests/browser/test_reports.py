"""Browser walk: an officer writes the narrative of a quarterly report, sees the figures
locked in the preview, generates the PDF and downloads it; the level above sees the
filing matrix."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from tests.browser.conftest import check_page

pytestmark = pytest.mark.django_db(transaction=True)

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def dossiers(cast, settings, tmp_path):
    from cchc.dossiers import services
    from cchc.dossiers.models import OnlineClass, Procedure

    settings.MEDIA_ROOT = tmp_path / "media"
    birth = Procedure.objects.create(
        code="1.001193", name="Đăng ký khai sinh", field="Hộ tịch", level="commune",
        processing_days=3, fee=Decimal(0), online_class=OnlineClass.FULL,
    )  # fmt: skip
    for n, day in enumerate(["2023-01-05", "2023-02-06", "2023-03-01"], start=1):
        d = dt.date.fromisoformat(day)
        dossier = services.dossier_create(
            unit=cast.dong_tam, procedure=birth, code=f"DT-{n}", applicant="Nguyễn Văn A",
            channel="truc_tuyen", received_at=dt.datetime(d.year, d.month, d.day, 9, tzinfo=VN),
            by=cast.officer, intake_digitized="full",
        )  # fmt: skip
        if n < 3:
            services.dossier_finish(
                dossier=dossier, by=cast.officer,
                at=dt.datetime(d.year, d.month, d.day + 1, 15, tzinfo=VN),
            )  # fmt: skip
    return cast


def test_officer_edits_generates_and_downloads(page, login, dossiers):
    login("congchuc.dongtam")
    page.goto("/reports/")
    page.select_option("#id_kind", "unit_quarterly")
    page.fill("#id_period", "2023-Q1")
    page.get_by_role("button", name="Lập / mở báo cáo").first.click()
    page.wait_for_url("**/reports/*/")
    assert page.locator("h1").inner_text() == "Báo cáo CCHC quý 2023-Q1"

    page.fill("#id_strengths", "- Bộ phận Một cửa giải quyết hồ sơ trước hạn.")
    page.fill("#id_directions", "1. Đẩy mạnh dịch vụ công trực tuyến toàn trình.")
    page.get_by_role("button", name="Lưu", exact=True).click()
    page.wait_for_selector("text=Đã lưu báo cáo.")

    preview = page.frame_locator("iframe[name=preview-frame]")
    preview.locator("text=Bộ phận Một cửa giải quyết hồ sơ trước hạn.").wait_for()
    # The figures are locked: they come from the dossiers, shaded, not in any input.
    figure = preview.locator('span.figure[data-key="dossiers.received"]').first
    assert figure.inner_text() == "3"
    assert page.locator('textarea:has-text("3 hồ sơ")').count() == 0
    check_page(page, "reports-editor-laptop")

    page.get_by_role("button", name="Lưu và tạo PDF").click()
    page.wait_for_selector("text=Đã tạo tệp PDF")
    with page.expect_download() as info:
        page.locator('[data-testid="download-pdf"]').first.click()
    download = info.value
    assert download.suggested_filename == "bao-cao-cchc-quy_xa-dong-tam_2023-Q1.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    check_page(page, "reports-editor-phone")


def test_level_above_sees_the_filing_matrix(page, login, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    login("quantri")
    page.goto(f"/reports/units/{cast.district.pk}/filing/?year=2023")
    table = page.locator('[data-testid="filing"]')
    assert "Xã Đồng Tâm" in table.inner_text()
    assert page.locator('[data-status="missing"]').count() == 12  # 2 units × 6 columns
    page.locator('[data-testid="remind"]').click()
    page.wait_for_selector("text=lời nhắc nộp báo cáo")
    assert "đã nhắc" in page.locator('[data-testid="filing"]').inner_text()
    check_page(page, "reports-filing-laptop")
