"""The outline report pages: who may see and do what (not viewable → 404, viewable but not
allowed → 403), saving with the page's checks, XLSX out and in, compile, generate."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc.reports.outlines import services
from cchc.reports.outlines.models import OutlineReportStatus

from .conftest import entries, filled_workbook


@pytest.fixture
def dong_tam_report(area, cast):
    return services.report_open(outline=area.outline, unit=cast.dong_tam, period="2023")


def test_pages_refuse_the_wrong_person(client_for, client, cast, area, dong_tam_report):
    url = reverse("outlines:edit", args=[dong_tam_report.pk])
    assert client.get(url).status_code == 302  # anonymous: sign in
    assert client_for(cast.officer_thanh_xa).get(url).status_code == 404  # not theirs
    assert client_for(cast.officer).get(url).status_code == 200
    assert client_for(area.district_officer).get(url).status_code == 200  # the level above reads
    # the district may read but not write a commune's report, and an officer may not submit
    response = client_for(area.district_officer).post(url, {"value__legal_docs_issued": "3"})
    assert response.status_code == 403
    submit = reverse("outlines:submit", args=[dong_tam_report.pk])
    assert client_for(cast.officer).post(submit).status_code == 403
    # returning is for the level above only
    back = reverse("outlines:return", args=[dong_tam_report.pk])
    assert client_for(cast.head).post(back, {"reason": "x"}).status_code == 403


def test_page_save_shows_every_error_and_saves_nothing(client_for, cast, dong_tam_report):
    url = reverse("outlines:edit", args=[dong_tam_report.pk])
    client = client_for(cast.officer)
    page = client.get(url).content.decode()
    assert 'data-testid="locked-dossiers_received"' in page  # measured: locked
    assert 'name="value__dossiers_received"' not in page
    assert 'name="value__online_rate"' not in page  # a percentage is never typed
    response = client.post(
        url,
        {
            "value__legal_docs_issued": "-2",
            "value__plan_issued_on": "1/1/2020",
            "text__the_che_text": "X",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "số nguyên không âm" in body and "nằm ngoài kỳ báo cáo" in body
    dong_tam_report.refresh_from_db()
    assert dong_tam_report.values == {} and dong_tam_report.narratives == {}
    response = client.post(url, {"value__legal_docs_issued": "2", "text__the_che_text": "Rà soát."})
    assert response.status_code == 302
    dong_tam_report.refresh_from_db()
    assert dong_tam_report.values["legal_docs_issued"] == 2
    assert dong_tam_report.narratives["the_che_text"] == "Rà soát."


def test_open_any_period_from_the_list(client_for, cast, area):
    from .conftest import OUTLINES

    quarterly = services.outline_load(source=OUTLINES / "hd-bc-cchc-quy-xa.yaml")
    client = client_for(cast.officer)
    response = client.post(
        reverse("outlines:open"),
        {"unit": cast.dong_tam.pk, "outline": quarterly.pk, "period": "2022-12-15..2023-03-30"},
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Từ ngày 15/12/2022 đến ngày 30/3/2023" in page
    response = client.post(
        reverse("outlines:open"),
        {"unit": cast.dong_tam.pk, "outline": area.outline.pk, "period": "quý 1"},
    )
    assert response.status_code == 302  # back to the list with the message
    assert (
        client_for(cast.officer_thanh_xa)
        .post(
            reverse("outlines:open"),
            {"unit": cast.dong_tam.pk, "outline": area.outline.pk, "period": "2023"},
        )
        .status_code
        == 404
    )


def test_xlsx_blank_and_import(client_for, cast, area, dong_tam_report):
    client = client_for(cast.officer)
    response = client.get(reverse("outlines:xlsx", args=[dong_tam_report.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    spec = area.outline.spec()
    data = filled_workbook(spec, entries(spec, legal_docs_issued=6), {"uu_diem": "Tốt."})
    upload = SimpleUploadedFile("bao-cao.xlsx", data)
    response = client.post(reverse("outlines:import", args=[dong_tam_report.pk]), {"file": upload})
    assert response.status_code == 302
    dong_tam_report.refresh_from_db()
    assert dong_tam_report.values["legal_docs_issued"] == 6
    assert dong_tam_report.narratives["uu_diem"] == "Tốt."


def test_submit_return_compile_generate(client_for, cast, area, dong_tam_report):
    spec = area.outline.spec()
    services.report_save(report=dong_tam_report, values=entries(spec), by=cast.officer)
    client = client_for(cast.head)
    assert client.post(reverse("outlines:submit", args=[dong_tam_report.pk])).status_code == 302
    dong_tam_report.refresh_from_db()
    assert dong_tam_report.status == OutlineReportStatus.SUBMITTED
    district = services.report_open(outline=area.outline, unit=cast.district, period="2023")
    officer = client_for(area.district_officer)
    assert officer.post(reverse("outlines:compile", args=[district.pk])).status_code == 302
    page = officer.get(reverse("outlines:edit", args=[district.pk])).content.decode()
    assert "Chưa gửi báo cáo:</strong> Xã Hưng Thái, Xã Thanh Xá" in page
    for fmt in ("docx", "pdf"):
        officer.post(reverse("outlines:generate", args=[district.pk]), {"format": fmt})
    files = list(district.files.all())
    assert {f.format for f in files} == {"docx", "pdf"}
    download = officer.get(reverse("outlines:download", args=[files[0].pk]))
    assert download.status_code == 200
    back = officer.post(
        reverse("outlines:return", args=[dong_tam_report.pk]), {"reason": "Bổ sung số liệu"}
    )
    assert back.status_code == 302
    dong_tam_report.refresh_from_db()
    assert dong_tam_report.status == OutlineReportStatus.RETURNED
    # one test client behind client_for: signing in as Thanh Xá comes last
    stranger = client_for(cast.officer_thanh_xa)
    assert stranger.get(reverse("outlines:download", args=[files[0].pk])).status_code == 404
