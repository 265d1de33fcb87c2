"""The reports API: same permissions as the pages, JSON errors naming the field."""

from __future__ import annotations

import pytest

from cchc.reports.models import Report

pytestmark = pytest.mark.django_db


def test_open_edit_generate_download(cast, client_for, dossiers_q1):
    client = client_for(cast.officer)
    created = client.post(
        "/api/reports/",
        {"unit": cast.dong_tam.pk, "kind": "unit_quarterly", "period": "2023-Q1"},
        content_type="application/json",
    )
    assert created.status_code == 200, created.content
    report_id = created.json()["id"]
    patched = client.patch(
        f"/api/reports/{report_id}",
        {"strengths": "Giải quyết hồ sơ đúng hạn."},
        content_type="application/json",
    )
    assert patched.status_code == 200
    assert Report.objects.get(pk=report_id).strengths == "Giải quyết hồ sơ đúng hạn."
    generated = client.post(
        f"/api/reports/{report_id}/generate", {"format": "pdf"}, content_type="application/json"
    )
    assert generated.status_code == 200, generated.content
    url = generated.json()["download_url"]
    download = client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content)[:5] == b"%PDF-"
    listing = client.get(f"/api/reports/?unit={cast.dong_tam.pk}").json()
    assert [r["id"] for r in listing] == [report_id]


def test_bad_input_names_the_field(cast, client_for):
    client = client_for(cast.officer)
    response = client.post(
        "/api/reports/",
        {"unit": cast.dong_tam.pk, "kind": "unit_quarterly", "period": "2023-Q9"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "period"
    response = client.post(
        "/api/reports/",
        {"unit": cast.dong_tam.pk, "kind": "unit_weekly", "period": "2023-Q1"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "kind"


def test_other_units_are_refused(cast, client_for, dossiers_q1):
    from cchc.reports.services import report_open

    report = report_open(
        unit=cast.dong_tam, kind="unit_quarterly", period_code="2023-Q1", by=cast.officer
    )
    client = client_for(cast.officer_thanh_xa)
    assert client.get(f"/api/reports/{report.pk}").status_code == 404
    assert client.get(f"/api/reports/?unit={cast.dong_tam.pk}").status_code == 404
    response = client.post(
        f"/api/reports/{report.pk}/generate", {"format": "pdf"}, content_type="application/json"
    )
    assert response.status_code == 404
    assert client.get(f"/api/reports/filing/{cast.district.pk}?year=2023").status_code == 404


def test_filing_status_and_reminders(cast, client_for):
    client = client_for(cast.administrator)
    data = client.get(f"/api/reports/filing/{cast.district.pk}?year=2023").json()
    assert data["columns"] == ["Quý I", "Quý II", "6 tháng", "Quý III", "Quý IV", "Năm"]
    assert {row["unit_name"] for row in data["rows"]} == {"Xã Đồng Tâm", "Xã Thanh Xá"}
    assert data["rows"][0]["cells"][0]["due_on"] == "2023-03-18"
    sent = client.post(
        f"/api/reports/filing/{cast.district.pk}/remind",
        {"year": 2023, "columns": [0]},
        content_type="application/json",
    ).json()
    assert sent == {"sent": 2}
    again = client.post(
        f"/api/reports/filing/{cast.district.pk}/remind",
        {"year": 2023, "columns": [0]},
        content_type="application/json",
    ).json()
    assert again == {"sent": 0}
