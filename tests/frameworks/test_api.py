"""/api/frameworks/: list, the criteria tree, YAML export; loading for administrators."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.core.models import Job
from cchc.frameworks import services
from cchc.frameworks.models import Framework
from cchc.frameworks.spec import load_framework

FRAMEWORKS = Path(__file__).resolve().parents[2] / "frameworks"
DEMO = FRAMEWORKS / "minh-hoa-xa.yaml"

pytestmark = pytest.mark.django_db


def test_list_detail_export(cast, client_for):
    services.framework_load(source=DEMO)
    client = client_for(cast.officer)
    rows = client.get("/api/frameworks/").json()
    assert [(r["code"], r["max"]) for r in rows] == [("minh-hoa-xa", 100)]
    tree = client.get("/api/frameworks/minh-hoa-xa").json()
    assert [c["code"] for c in tree["criteria"]] == [str(i) for i in range(1, 11)]
    assert tree["grades"][0] == {
        "code": "xuat_sac",
        "label": "Hoàn thành xuất sắc nhiệm vụ",
        "min_index": 90,
        "min_component": 80,
        "inclusive": True,
    }
    assert tree["remediation"]["components"] == ["3", "7"]
    on_time = next(c for c in tree["criteria"][2]["children"] if c["code"] == "3.2")
    assert on_time["thresholds"][1] == {"min": 95, "points": 0.5}
    response = client.get("/api/frameworks/minh-hoa-xa/export")
    assert response["Content-Type"].startswith("application/yaml")
    assert load_framework(response.content.decode()) == load_framework(DEMO)
    assert client.get("/api/frameworks/khong-co").status_code == 404


def test_anonymous_is_refused(client):
    assert client.get("/api/frameworks/").status_code == 401


def test_upload_for_administrators_only_as_a_background_job(cast, client_for):
    """Issue 13: the load runs as a job; the API answers 202 with the URL to poll."""

    def upload(client, text: bytes):
        return client.post("/api/frameworks/", data={"file": SimpleUploadedFile("fw.yaml", text)})

    good = DEMO.read_bytes()
    assert upload(client_for(cast.officer), good).status_code == 403
    assert not Job.objects.exists()  # refused before anything is queued
    admin = client_for(cast.administrator)
    bad = upload(admin, good.replace(b"max: 15", b"max: 16", 1))
    assert bad.status_code == 202
    assert bad.json()["status_url"] == f"/api/jobs/{bad.json()['job_id']}"
    job = admin.get(bad.json()["status_url"]).json()
    assert job["status"] == "failed"
    assert job["result"]["errors"][0] == {
        "field": "max",
        "code": "1",
        "message": "tiêu chí 1 khóa max: điểm tối đa 16 khác tổng điểm tối đa của các tiêu "
        "chí con (15)",
    }
    assert not Framework.objects.exists()
    response = upload(admin, good)
    assert response.status_code == 202
    job = admin.get(response.json()["status_url"]).json()
    assert job["status"] == "done" and job["result"]["code"] == "minh-hoa-xa"
    assert job["url"] == response.json()["job_url"]
    assert Framework.objects.get().code == "minh-hoa-xa"
    # the job is its author's: anybody else does not see it
    assert client_for(cast.officer).get(response.json()["status_url"]).status_code == 404


def test_non_utf8_file_is_a_named_error(cast, client_for):
    """Issue 13: a cp1258 file raised UnicodeDecodeError (HTTP 500)."""
    text = b"code: X\nname: \xd0\xf4\xccng T\xe2m\n"  # "Đồng Tâm" in cp1258
    response = client_for(cast.administrator).post(
        "/api/frameworks/", data={"file": SimpleUploadedFile("fw.yaml", text)}
    )
    assert response.status_code == 400  # answered at once, nothing queued
    assert "UTF-8" in response.json()["detail"]
    assert not Job.objects.exists()
