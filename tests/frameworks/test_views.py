"""Framework pages: list, criteria tree, YAML upload (administrator; the first problem named
with code, field and why), export."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc.frameworks.models import Framework
from cchc.frameworks.services import framework_load

pytestmark = pytest.mark.django_db

FRAMEWORKS = Path(__file__).resolve().parents[2] / "frameworks"

BAD_SUM = """code: thu-nghiem
name: Bộ chỉ số thử nghiệm
criteria:
  - code: "1"
    title: Chỉ đạo điều hành
    max: 4
    children:
      - {code: "1.1", title: Kế hoạch, max: 2, method: evidence}
      - {code: "1.2", title: Báo cáo, max: 1, method: evidence}
"""


@pytest.fixture
def loaded(db):
    return framework_load(source=FRAMEWORKS / "minh-hoa-xa.yaml")


def test_list_and_tree_show_maxima_methods_and_thresholds(cast, client_for, loaded):
    client = client_for(cast.officer)
    listing = client.get(reverse("framework-list")).content.decode()
    assert "minh-hoa-xa" in listing and "minh họa" in listing
    assert "Nạp bộ chỉ số" not in listing  # officers read, administrators load
    html = client.get(reverse("framework-detail", args=["minh-hoa-xa"])).content.decode()
    assert "Tỷ lệ hồ sơ TTHC giải quyết đúng hạn" in html
    assert "từ 100%: 1 điểm; từ 95%: 0,5 điểm" in html
    assert "đạt 50% trở lên: tối đa" in html  # full_at rule of 3.3
    assert "18,5" in html and "Hoàn thành xuất sắc nhiệm vụ" in html


def test_anonymous_is_sent_to_login(client, loaded):
    for url in (
        reverse("framework-list"),
        reverse("framework-detail", args=["minh-hoa-xa"]),
        reverse("framework-export", args=["minh-hoa-xa"]),
        reverse("framework-upload"),
    ):
        assert client.get(url).status_code == 302


def test_only_administrators_upload(cast, client_for):
    for person in (cast.officer, cast.head, cast.appraiser):
        client = client_for(person)
        assert client.get(reverse("framework-upload")).status_code == 403
        response = client.post(reverse("framework-upload"), {"text": BAD_SUM})
        assert response.status_code == 403
    assert not Framework.objects.exists()


def test_upload_error_names_code_field_and_why(cast, client_for):
    response = client_for(cast.administrator).post(
        reverse("framework-upload"),
        {"file": SimpleUploadedFile("thu-nghiem.yaml", BAD_SUM.encode())},
        follow=True,
    )
    html = response.content.decode()
    assert 'data-status="failed"' in html
    assert "tiêu chí 1 khóa max" in html
    assert "điểm tối đa 4 khác tổng điểm tối đa của các tiêu chí con (3)" in html
    assert not Framework.objects.exists()


def test_upload_then_export(cast, client_for):
    client = client_for(cast.administrator)
    text = (FRAMEWORKS / "hd-xa-2022.yaml").read_text(encoding="utf-8")
    response = client.post(
        reverse("framework-upload"),
        {"file": SimpleUploadedFile("hd-xa-2022.yaml", text.encode())},
    )
    job = client.get(response["Location"])  # the job page, which leads to the framework
    assert job.context["job"].result["next_url"] == reverse("framework-detail", args=["hd-xa-2022"])
    framework = Framework.objects.get(code="hd-xa-2022")
    assert framework.criteria.count() == 10 and framework.source_file == "hd-xa-2022.yaml"
    exported = client.get(reverse("framework-export", args=["hd-xa-2022"]))
    assert exported["Content-Disposition"] == 'attachment; filename="hd-xa-2022.yaml"'
    assert exported.content.decode() == framework.yaml_text
    pasted = client.post(reverse("framework-upload"), {"text": ""})
    assert pasted.status_code == 400 and "Hãy chọn tệp YAML" in pasted.content.decode()
