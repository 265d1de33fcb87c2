"""The report pages: list, new, editor with preview, generate and download, submit and
reopen, filing matrix with reminders, batch with its ZIP, deadlines; who is refused."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse

from cchc.core.history import cut_reason
from cchc.core.models import Job
from cchc.reports.models import FilingReminder, Report, ReportFile, ReportStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(cast, dossiers_q1):
    from cchc.reports.services import report_open

    return report_open(
        unit=cast.dong_tam, kind="unit_quarterly", period_code="2023-Q1", by=cast.officer
    )


def test_list_shows_the_units_reports(cast, client_for, report):
    response = client_for(cast.officer).get(reverse("reports:index"))
    assert response.status_code == 200
    assert "Báo cáo CCHC quý" in response.content.decode()
    assert reverse("reports:edit", args=[report.pk]) in response.content.decode()


def test_list_of_another_unit_is_refused(cast, client_for):
    url = reverse("reports:index") + f"?unit={cast.dong_tam.pk}"
    assert client_for(cast.officer_thanh_xa).get(url).status_code == 404


def test_anonymous_is_sent_to_login(client, report):
    response = client.get(reverse("reports:edit", args=[report.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_new_opens_the_same_report_twice(cast, client_for):
    client = client_for(cast.officer)
    url = reverse("reports:new", args=[cast.dong_tam.pk])
    first = client.post(url, {"kind": "unit_quarterly", "period": "2023-Q1"})
    second = client.post(url, {"kind": "unit_quarterly", "period": "2023-Q1"})
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Report.objects.filter(unit=cast.dong_tam).count() == 1


def test_new_with_a_bad_period_says_why(cast, client_for):
    url = reverse("reports:new", args=[cast.dong_tam.pk])
    response = client_for(cast.officer).post(url, {"kind": "unit_quarterly", "period": "2023"})
    assert response.status_code == 200
    assert "cần kỳ quý" in response.content.decode()
    assert not Report.objects.exists()


def test_new_for_another_unit_is_refused(cast, client_for):
    url = reverse("reports:new", args=[cast.dong_tam.pk])
    response = client_for(cast.officer_thanh_xa).post(
        url, {"kind": "unit_quarterly", "period": "2023-Q1"}
    )
    assert response.status_code == 404


def test_editor_saves_the_narrative_and_shows_locked_figures(cast, client_for, report):
    client = client_for(cast.officer)
    url = reverse("reports:edit", args=[report.pk])
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "dossiers.received" in body  # the locked figures, listed read-only
    assert 'name="received"' not in body  # no input for a figure
    response = client.post(url, {"strengths": "- Giải quyết hồ sơ đúng hạn.", "archive": "VT"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.strengths == "- Giải quyết hồ sơ đúng hạn."
    assert report.history.first().history_change_reason.startswith("Sửa: ưu điểm")


def test_editor_of_another_unit_is_refused(cast, client_for, report):
    client = client_for(cast.officer_thanh_xa)
    assert client.get(reverse("reports:edit", args=[report.pk])).status_code == 404
    assert client.get(reverse("reports:preview", args=[report.pk])).status_code == 404
    response = client.post(reverse("reports:edit", args=[report.pk]), {"strengths": "x"})
    assert response.status_code == 404


def test_the_level_above_reads_but_does_not_edit(cast, client_for, report):
    client = client_for(cast.appraiser)  # assigned to Đồng Tâm: may view
    assert client.get(reverse("reports:edit", args=[report.pk])).status_code == 200
    response = client.post(reverse("reports:edit", args=[report.pk]), {"strengths": "x"})
    assert response.status_code == 403
    response = client.post(reverse("reports:generate", args=[report.pk]), {"format": "pdf"})
    assert response.status_code == 403


def test_preview_prints_figures_shaded_and_unsaved_text(cast, client_for, report):
    client = client_for(cast.officer)
    url = reverse("reports:preview", args=[report.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page["X-Frame-Options"] == "SAMEORIGIN"
    html = page.content.decode()
    assert 'class="figure" data-key="dossiers.received"' in html
    preview = client.post(url, {"strengths": "Văn bản chưa lưu"})
    assert "Văn bản chưa lưu" in preview.content.decode()
    report.refresh_from_db()
    assert report.strengths == ""


def test_generate_saves_then_keeps_the_file_with_its_figures(cast, client_for, report):
    client = client_for(cast.officer)
    response = client.post(
        reverse("reports:generate", args=[report.pk]),
        {"format": "docx", "strengths": "Ưu điểm mới", "archive": "VT"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.strengths == "Ưu điểm mới"
    item = ReportFile.objects.get(report=report)
    assert item.format == "docx" and item.size > 1000 and len(item.checksum) == 64
    assert item.figures["figures"]["dossiers.received"] == 8
    download = client.get(reverse("reports:download", args=[item.pk]))
    assert download.status_code == 200
    content = b"".join(download.streaming_content)
    assert content[:2] == b"PK"
    assert "attachment" in download["Content-Disposition"]
    # someone else may not download it
    other = client_for(cast.officer_thanh_xa)
    assert other.get(reverse("reports:download", args=[item.pk])).status_code == 404


def test_submit_is_the_heads_act_and_locks(cast, client_for, report):
    officer = client_for(cast.officer)
    assert officer.post(reverse("reports:submit", args=[report.pk])).status_code == 403
    head = client_for(cast.head)
    assert head.post(reverse("reports:submit", args=[report.pk])).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.submitted_to == cast.district
    assert report.files.get().filed is True
    response = head.post(reverse("reports:edit", args=[report.pk]), {"strengths": "sửa"})
    assert response.status_code == 200
    assert "không sửa được" in response.content.decode()
    report.refresh_from_db()
    assert report.strengths == ""  # locked: refused with a message
    head.post(reverse("reports:reopen", args=[report.pk]), {"reason": "Sửa số liệu tồn tại"})
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    assert report.history.first().history_change_reason == "Mở lại: Sửa số liệu tồn tại"


def test_a_long_reopen_reason_is_cut_by_the_one_history_rule(cast, client_for, report):
    head = client_for(cast.head)
    assert head.post(reverse("reports:submit", args=[report.pk])).status_code == 302
    reason = "Sửa số liệu tồn tại của quý " * 6
    head.post(reverse("reports:reopen", args=[report.pk]), {"reason": reason})
    kept = report.history.first().history_change_reason
    assert kept == cut_reason(f"Mở lại: {reason.strip()}")
    assert len(kept) == 100 and kept.endswith("…")


def test_filing_matrix_is_for_the_level_above(cast, client_for, report):
    url = reverse("reports:filing", args=[cast.district.pk]) + "?year=2023"
    assert client_for(cast.officer).get(url).status_code == 404
    assert client_for(cast.appraiser).get(url).status_code == 404
    response = client_for(cast.administrator).get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Xã Đồng Tâm" in body and "Xã Thanh Xá" in body


def test_reminders_from_the_matrix_are_sent_once_a_day(cast, client_for):
    client = client_for(cast.administrator)
    url = reverse("reports:filing", args=[cast.district.pk])
    client.post(url, {"year": "2023", "column": "0"})
    first = FilingReminder.objects.count()
    client.post(url, {"year": "2023", "column": "0"})
    assert first == 2  # both communes missed Q1/2023
    assert FilingReminder.objects.count() == first
    refused = client_for(cast.officer).post(url, {"year": "2023", "column": "0"})
    assert refused.status_code == 404


def test_batch_makes_a_zip_with_one_report_per_unit(cast, client_for, dossiers_q1):
    client = client_for(cast.administrator)
    url = reverse("reports:batch", args=[cast.district.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"kind": "unit_quarterly", "period": "2023-Q1", "fmt": "pdf"})
    assert response.status_code == 302
    job = Job.objects.get(kind="reports.batch")
    assert job.status == Job.Status.DONE, job.message
    assert job.done == job.total == 2
    download = client.get(reverse("reports:batch-download", args=[job.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    names = sorted(archive.namelist())
    assert len(names) == 2 and all(n.endswith(".pdf") for n in names)
    assert Report.objects.filter(kind="unit_quarterly", period_code="2023-Q1").count() == 2
    assert ReportFile.objects.count() == 2
    # the ZIP is the job owner's: anybody else is told it does not exist
    assert (
        client_for(cast.officer).get(reverse("reports:batch-download", args=[job.pk])).status_code
        == 404
    )


def test_batch_is_refused_to_a_commune_officer(cast, client_for):
    url = reverse("reports:batch", args=[cast.district.pk])
    assert client_for(cast.officer).get(url).status_code == 404


def test_deadlines_page_is_for_administrators(cast, client_for):
    url = reverse("reports:deadlines")
    assert client_for(cast.officer).get(url).status_code == 403
    client = client_for(cast.administrator)
    assert client.get(url).status_code == 200
    response = client.post(url, {"period_kind": "quarter", "day": "20", "month_offset": "0"})
    assert response.status_code == 302
    from cchc.reports.models import DeadlineSetting

    assert DeadlineSetting.rules()["quarter"].day == 20
