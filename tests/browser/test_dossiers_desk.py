"""The one-stop desk in a real browser: an officer records a walk-in dossier, sees its due
date before saving, works it late, writes the apology letter and resolves it; the letter
is a page and a PDF with the right text; a phone shows the same desk."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from cchc.dossiers.calendar import work_calendar
from cchc.dossiers.models import Dossier, EventKind, OnlineClass, Procedure, Status
from tests.browser.conftest import check_page

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def catalogue(db):
    for code, name, field, days, online in (
        ("1.001193", "Đăng ký khai sinh", "Hộ tịch", 1, OnlineClass.FULL),
        ("1.003554", "Đăng ký biến động quyền sử dụng đất", "Đất đai", 10, OnlineClass.PARTIAL),
        ("2.000815", "Chứng thực bản sao từ bản chính", "Chứng thực", 0, OnlineClass.PARTIAL),
    ):
        Procedure.objects.create(
            code=code, name=name, field=field, level="commune", processing_days=days,
            fee=Decimal(0), online_class=online,
        )  # fmt: skip


def working_days_ago(n: int) -> dt.date:
    calendar = work_calendar()
    day = timezone.localdate()
    while n:
        day -= dt.timedelta(days=1)
        if calendar.is_working_day(day):
            n -= 1
    return day


def test_officer_records_a_dossier_resolves_it_late_and_writes_the_apology(
    cast, catalogue, page, login
):
    login("congchuc.dongtam")
    page.click("text=Hồ sơ TTHC")
    page.wait_for_url(f"**/dossiers/units/{cast.dong_tam.pk}/")
    page.click("[data-testid=new-dossier]")

    # A land dossier received 15 working days ago: 10 working days to resolve it.
    received = working_days_ago(15)
    due = work_calendar().add_working_days(received, 10)
    page.select_option(
        "#id_procedure", label="1.003554 — Đăng ký biến động quyền sử dụng đất (10 ngày)"
    )
    page.fill("#id_received_at", f"{received.isoformat()}T08:30")
    page.dispatch_event("#id_received_at", "change")
    # the due date shows before saving
    preview = page.locator("[data-testid=due-date]")
    # the preview first shows the due date for "now", then updates: wait for the new one
    expect(preview).to_contain_text(f"{due.day}/{due.month}/{due.year}")
    page.fill("#id_applicant", "Nguyễn Văn Đức")
    check_page(page, "dossiers-desk-new")
    page.click("[data-testid=save-dossier]")

    page.wait_for_selector("[data-testid=deadline-state]")
    dossier = Dossier.objects.get()
    assert dossier.due_on == due and dossier.applicant == "Nguyễn Văn Đức"
    assert "Đã tiếp nhận hồ sơ" in page.locator(".messages").inner_text()
    assert page.locator("[data-testid=deadline-state]").inner_text() == "Quá hạn"

    # the receipt is printable
    page.click("[data-testid=receipt-link]")
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in page.inner_text("body")
    page.go_back()

    # forbidden moves say why before a click
    page.click("[data-testid=move-processing]")
    page.wait_for_selector("text=Đã ghi nhận: Chuyển xử lý")
    assert page.locator("[data-testid=move-processing]").is_disabled()
    assert "Hồ sơ đã ở trạng thái đang xử lý." in page.inner_text("#why-processing")

    # late: the apology letter with a new promised date, from the keyboard
    new_date = work_calendar().add_working_days(timezone.localdate(), 3)
    page.fill("#apology_new_due_on", new_date.isoformat())
    page.fill("#apology_reason", "Phải xác minh nguồn gốc thửa đất với Văn phòng đăng ký đất đai")
    page.focus("[data-testid=apology-create]")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-testid=apology]")
    letter = page.inner_text("body")
    assert "VĂN BẢN XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in letter
    assert "Nguyễn Văn Đức" in letter and "Phải xác minh nguồn gốc thửa đất" in letter
    assert new_date.strftime("%d/%m/%Y") in letter
    assert due.strftime("%d/%m/%Y") in letter
    check_page(page, "dossiers-apology-letter")
    pdf_url = page.get_attribute("[data-testid=apology-pdf]", "href")
    pdf = page.request.get(pdf_url)
    assert pdf.headers["content-type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert "xin lỗi" in text and new_date.strftime("%d/%m/%Y") in text

    # resolve: still late, the promise does not change that
    page.click("text=← Về hồ sơ")
    page.click("[data-testid=move-resolve]")
    page.wait_for_selector("text=Đã ghi nhận: Trả kết quả")
    assert page.locator("[data-testid=deadline-state]").inner_text() == "Trả quá hạn"
    dossier.refresh_from_db()
    assert dossier.status == Status.RESOLVED
    assert dossier.events.filter(kind=EventKind.APOLOGY).count() == 1
    timeline = page.inner_text("[data-testid=timeline]")
    for step in ("Tiếp nhận hồ sơ", "Thư xin lỗi", "Đang xử lý → Đã giải quyết"):
        assert step in timeline
    check_page(page, "dossiers-dossier-late")

    # the desk on a phone: the list reads as cards, the filter finds the late one
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"/dossiers/units/{cast.dong_tam.pk}/?due=late")
    assert dossier.code in page.inner_text("#results")
    check_page(page, "dossiers-desk-phone")


def test_another_communes_officer_is_refused(cast, catalogue, page, login):
    login("congchuc.thanhxa")
    # cannot see another commune: not found (the one rule of units.permissions)
    response = page.goto(f"/dossiers/units/{cast.dong_tam.pk}/")
    assert response.status == 404
    response = page.goto(f"/dossiers/stats/?unit={cast.dong_tam.pk}&kind=year&year=2025")
    assert response.status == 404
