"""Bulk import in a real browser: a bad file is refused whole with every bad row named; a
good file runs as a background job with a progress bar and leads to the statistics."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from cchc.core.models import Job
from cchc.dossiers.forms import current_reporting_year
from cchc.dossiers.models import Dossier, OnlineClass, Procedure
from cchc.dossiers.periods import period_for
from tests.browser.conftest import check_page

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded files go to a folder of the test, not to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


HEADER = "code,unit,procedure,channel,received_at,due_at,finished_at,intake_digitized,result_digitized,paid_online"


@pytest.fixture
def catalogue(db):
    Procedure.objects.create(
        code="1.001193", name="Đăng ký khai sinh", field="Hộ tịch", level="commune",
        processing_days=1, fee=Decimal(0), online_class=OnlineClass.FULL,
    )  # fmt: skip


def write(tmp_path, name: str, lines: list[str]):
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def good_rows() -> list[str]:
    """Eight dossiers of Thanh Xá in this reporting year: six online, two in person; six
    resolved the day they came (early: due the next day), two still open and not yet due."""
    period = period_for("year", current_reporting_year())
    today = timezone.localdate()
    rows = []
    for i in range(8):
        day = min(period.start + dt.timedelta(days=i), today)
        channel = "truc_tuyen" if i < 6 else "truc_tiep"
        finished = day.isoformat() if i < 6 else ""
        due = (
            (today + dt.timedelta(days=30)).isoformat()
            if i >= 6
            else (day + dt.timedelta(days=1)).isoformat()
        )
        rows.append(
            f"TX-{i:03d},local-THANHXA,1.001193,{channel},{day.isoformat()}T08:00,{due},{finished},full,{1 if finished else 0},0"
        )
    return rows


def test_bad_rows_are_named_and_nothing_is_imported(cast, catalogue, page, login, tmp_path):
    login("congchuc.thanhxa")
    page.goto("/dossiers/import/")
    rows = good_rows()
    rows[2] = rows[2].replace("1.001193", "9.999999")  # file row 4: unknown procedure
    rows[5] = rows[5].replace("truc_tuyen", "qua_zalo")  # file row 7: bad channel
    page.set_input_files("#id_file", str(write(tmp_path, "mot-cua-loi.csv", rows)))
    page.click("[data-testid=import-submit]")
    page.wait_for_selector("#job-progress[data-status=failed]")
    report = page.inner_text("#job-progress")
    assert "dòng 4, cột 'procedure'" in report and "9.999999" in report
    assert "dòng 7, cột 'channel'" in report and "qua_zalo" in report
    assert "không có dữ liệu nào được nhập" in report
    assert not Dossier.objects.exists()
    check_page(page, "dossiers-import-refused")


def test_good_upload_shows_progress_then_the_statistics(
    cast, catalogue, page, login, tmp_path, settings
):
    # The page returns at once and follows the job, as with a worker (CCHC_TASKS=thread).
    settings.TASKS = {"default": {"BACKEND": "cchc.core.tasks_backend.ThreadBackend"}}
    login("congchuc.thanhxa")
    page.goto("/dossiers/import/")
    page.set_input_files("#id_file", str(write(tmp_path, "mot-cua.csv", good_rows())))
    page.click("[data-testid=import-submit]")
    page.wait_for_url("**/jobs/*/")
    bar = page.locator("[role=progressbar]")
    assert bar.is_visible()
    page.wait_for_selector("#job-progress[data-status=done]", timeout=30000)
    assert bar.get_attribute("aria-valuenow") == "100"
    check_page(page, "dossiers-import-done")
    job = Job.objects.get()
    assert job.status == Job.Status.DONE
    assert Dossier.objects.filter(unit=cast.thanh_xa).count() == 8

    page.click("[data-testid=job-next]")
    page.wait_for_selector("[data-testid=kpis]")
    assert "Xã Thanh Xá" in page.inner_text("[data-testid=report-title]")
    assert page.inner_text("[data-testid=kpi-received]") == "8"
    assert page.inner_text("[data-testid=kpi-resolved]") == "6"
    assert page.inner_text("[data-testid=kpi-pending]") == "2"
    cells = page.locator("[data-testid=form06] tbody tr").first.locator("td.num").all_inner_texts()
    # STT, (3) total, (4) online, (5) in person, (6) carried over, (7) resolved, (8) early,
    # (9) on time, (10) late, (11) pending, (12) in time, (13) overdue
    assert cells == ["1", "8", "6", "2", "0", "6", "6", "0", "0", "2", "2", "0"]
    rates = page.locator("[data-testid=rates] tbody tr").first.locator("td").all_inner_texts()
    assert rates[:2] == ["75%", "100%"]  # online 6/8; on time 6/6
    check_page(page, "dossiers-stats-after-import")
    page.set_viewport_size({"width": 390, "height": 800})
    check_page(page, "dossiers-stats-phone")
