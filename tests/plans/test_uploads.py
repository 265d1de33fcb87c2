"""The plans' evidence form refuses what the self-assessment page refuses, through the one
upload check (core/uploads.py); files are served as attachments with nosniff (issue 13)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.plans import services
from tests.core.test_uploads import EXE, HTML, PDF, SVG, TEXT

pytestmark = pytest.mark.django_db

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


@pytest.mark.parametrize(("name", "data"), REFUSED)
def test_the_evidence_form_refuses(cast, plan, client_for, name, data):
    item = plan.items.get(code="1.2")
    client_for(cast.officer).post(
        f"/plans/items/{item.pk}/evidence/",
        {"title": "Báo cáo", "file": SimpleUploadedFile(name, data)},
    )
    assert not item.evidence.exists()


@pytest.mark.parametrize(("name", "data"), REFUSED)
def test_the_service_refuses(cast, plan, name, data):
    from django.core.exceptions import ValidationError

    item = plan.items.get(code="1.2")
    with pytest.raises(ValidationError):
        services.evidence_add(item=item, title="x", file=SimpleUploadedFile(name, data))
    assert not item.evidence.exists()


def test_a_pdf_is_served_as_an_attachment_with_nosniff(cast, plan, client_for):
    item = plan.items.get(code="1.2")
    client = client_for(cast.officer)
    client.post(
        f"/plans/items/{item.pk}/evidence/",
        {"title": "Báo cáo", "file": SimpleUploadedFile("bao-cao", PDF)},
    )
    evidence = item.evidence.get()
    response = client.get(f"/plans/evidence/{evidence.pk}/")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert evidence.file.name.endswith(".pdf")
