"""The self-assessment page and the API's add_evidence refuse the same uploads, through
the one check (core/uploads.py): .html, .svg, .exe, over the size limit, and content that
is not what its name says (issue 13)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc.evaluations.models import Evidence
from tests.core.test_uploads import EXE, HTML, PDF, SVG, TEXT

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
REFUSED = [
    ("trang.html", HTML),
    ("hinh.svg", SVG),
    ("chuong-trinh.exe", EXE),
    ("ghi-chu.pdf", TEXT),
    ("chuong-trinh.pdf", EXE),
    ("trang.pdf", HTML),
    ("lon.pdf", PDF + b"0" * 3000),  # over the limit (set to 2 KB here; 20 MB by default)
]


@pytest.fixture(autouse=True)
def _small_limit(settings, tmp_path):
    settings.UPLOAD_MAX_BYTES = 2048
    settings.MEDIA_ROOT = tmp_path


def fields(name, data):
    return {
        "criterion": "1.1",
        "title": "Kế hoạch CCHC năm 2024",
        "file": SimpleUploadedFile(name, data, content_type="application/pdf"),
    }


@pytest.mark.parametrize(("name", "data"), REFUSED)
def test_the_page_refuses(cast, client_for, open_cycle, name, data):
    cu = open_cycle.dong_tam
    response = client_for(cast.officer).post(
        reverse("evidence-add", args=[cu.pk]), fields(name, data), **HTMX
    )
    assert response.status_code == 200
    assert "Tài liệu chưa được thêm" in response.content.decode()
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(("name", "data"), REFUSED)
def test_the_api_refuses(cast, client_for, open_cycle, name, data):
    cu = open_cycle.dong_tam
    response = client_for(cast.officer).post(
        f"/api/evaluations/cycle-units/{cu.pk}/evidence", data=fields(name, data)
    )
    assert response.status_code in (400, 422), response.content
    assert "file" in response.content.decode()
    assert not Evidence.objects.exists()


def test_a_good_pdf_is_stored_under_its_cleaned_name_and_served_as_an_attachment(
    cast, client_for, open_cycle
):
    cu = open_cycle.dong_tam
    client = client_for(cast.officer)
    response = client.post(
        f"/api/evaluations/cycle-units/{cu.pk}/evidence",
        data=fields("../Kế hoạch\x07 2024.pdf", PDF),
    )
    assert response.status_code == 201, response.content
    evidence = Evidence.objects.get()
    # no folder, no control character, Vietnamese letters kept (storage turns spaces to _)
    assert evidence.file.name.rsplit("/", 1)[-1].startswith("Kế_hoạch_2024")
    download = client.get(reverse("evidence-file", args=[evidence.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
