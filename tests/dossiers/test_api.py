"""The dossier API: same permissions as the pages, errors naming the field."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.core.models import ApiToken, Job
from cchc.dossiers import services as S
from cchc.dossiers.models import Dossier, Status
from cchc.dossiers.views.common import WHY_WAITING
from tests.dossiers.conftest import at
from tests.dossiers.view_helpers import load_seed002, seed002_bytes, seed002_procedures

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded files go to a folder of the test, not to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


NOW = dt.datetime(2025, 3, 20, 3, 0, tzinfo=dt.UTC)  # 10:00 Thursday 20/3/2025 in Vietnam
frozen = time_machine.travel(NOW, tick=False)
API = "/api/dossiers"


def post(client, url, payload):
    return client.post(url, json.dumps(payload), content_type="application/json")


def make(cast, procedures, code="HS-1", received="2025-03-03"):
    return S.dossier_create(
        unit=cast.dong_tam, procedure=procedures["land"], code=code, applicant="Nguyễn Văn Đức",
        channel="truc_tiep", received_at=at(received), by=cast.officer,
    )  # fmt: skip


def test_anonymous_gets_401(cast, procedures, client):
    for url in (
        f"{API}/procedures",
        f"{API}/units/{cast.dong_tam.pk}/dossiers",
        f"{API}/stats?unit={cast.dong_tam.pk}",
    ):
        assert client.get(url).status_code == 401, url


def test_procedures_list_and_detail(cast, procedures, client_for):
    client = client_for(cast.officer)
    codes = [p["code"] for p in client.get(f"{API}/procedures?field=Hộ tịch").json()]
    assert codes == ["1.001193"]
    birth = client.get(f"{API}/procedures/1.001193").json()
    assert birth["name"] == "Đăng ký khai sinh" and birth["online_class"] == "full"
    assert client.get(f"{API}/procedures/0.000000").status_code == 404


@frozen
def test_officer_of_thanh_xa_gets_403_on_dong_tam(cast, procedures, client_for):
    dossier = make(cast, procedures)
    client = client_for(cast.officer_thanh_xa)
    base = f"{API}/units/{cast.dong_tam.pk}/dossiers"
    assert client.get(base).status_code == 404
    assert client.get(f"{base}/{dossier.pk}").status_code == 404
    assert post(client, base, {"procedure": "1.001193", "applicant": "A"}).status_code == 404
    response = post(client, f"{base}/{dossier.pk}/moves", {"action": "resolve"})
    assert response.status_code == 404
    assert "không có quyền xem" in response.json()["detail"]
    assert client.get(f"{API}/stats?unit={cast.dong_tam.pk}").status_code == 404
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED


@frozen
def test_bearer_token_records_and_moves_a_dossier(cast, procedures, client):
    _, key = ApiToken.issue(user=cast.officer, name="một cửa", scope=ApiToken.Scope.WRITE)
    headers = {"Authorization": f"Bearer {key}"}
    base = f"{API}/units/{cast.dong_tam.pk}/dossiers"
    response = client.post(
        base,
        json.dumps(
            {
                "procedure": "1.004873",
                "applicant": "Trần Thị Mai",
                "received_at": "2025-03-20T09:30:00+07:00",
            }
        ),
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 201
    created = response.json()
    assert created["due_on"] == "2025-04-03" and created["code"] == "DONGTAM-250320-0001"
    assert created["procedure"] == "1.004873" and created["deadline"] == "in_time"
    url = f"{base}/{created['id']}"
    moved = client.post(
        f"{url}/moves", json.dumps({"action": "supplement", "reason": "Thiếu giấy tờ"}),
        content_type="application/json", headers=headers,
    )  # fmt: skip
    assert moved.status_code == 200 and moved.json()["status"] == "supplement_requested"
    refused = client.post(
        f"{url}/moves", json.dumps({"action": "resolve"}), content_type="application/json",
        headers=headers,
    )  # fmt: skip
    assert refused.status_code == 409
    assert refused.json()["errors"][0]["field"] == "action"
    detail = client.get(url, headers=headers).json()
    assert [e["kind"] for e in detail["events"]] == ["status", "supplement_requested"]
    assert detail["events"][1]["by"] == "Phạm Thị Lan"
    listed = client.get(f"{base}?status=supplement_requested", headers=headers).json()
    assert [d["code"] for d in listed] == ["DONGTAM-250320-0001"]


@frozen
def test_errors_name_the_field(cast, procedures, client_for):
    client = client_for(cast.officer)
    base = f"{API}/units/{cast.dong_tam.pk}/dossiers"
    unknown = post(client, base, {"procedure": "9.9", "applicant": "A"})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "procedure"
    extra = post(client, base, {"procedure": "1.001193", "applicant": "A", "colour": "red"})
    assert extra.status_code == 422 and extra.json()["errors"][0]["field"].endswith("colour")
    future = post(
        client,
        base,
        {"procedure": "1.001193", "applicant": "A", "received_at": "2025-03-21T09:00:00+07:00"},
    )
    assert future.status_code == 422 and future.json()["errors"][0]["field"] == "received_at"
    make(cast, procedures, code="TAKEN")
    taken = post(client, base, {"procedure": "1.001193", "applicant": "A", "code": "TAKEN"})
    assert taken.status_code == 422 and taken.json()["errors"][0]["field"] == "code"
    dossier = Dossier.objects.get(code="TAKEN")
    bad_date = post(
        client, f"{base}/{dossier.pk}/apologies", {"new_due_on": "2025-03-01", "reason": "x"}
    )
    assert bad_date.status_code == 422
    assert bad_date.json()["errors"][0]["field"] == "new_due_on"
    ok = post(
        client, f"{base}/{dossier.pk}/apologies", {"new_due_on": "2025-03-25", "reason": "Xác minh"}
    )
    assert ok.status_code == 201 and ok.json()["new_due_on"] == "2025-03-25"
    S.dossier_request_supplement(dossier=dossier, at=at("2025-03-19"), by=cast.officer)
    refused = post(client, f"{base}/{dossier.pk}/moves", {"action": "processing"})
    assert refused.json()["detail"] == WHY_WAITING


@time_machine.travel(dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC), tick=False)
def test_stats_endpoint_returns_the_issue_json(cast, client_for):
    load_seed002(cast.administrator)
    client = client_for(cast.officer_thanh_xa)
    data = client.get(f"{API}/stats?unit={cast.thanh_xa.pk}&start=2022-12-15&end=2023-08-14").json()
    total = data["total"]
    assert total["received"] == {
        "truc_tiep": 150,
        "truc_tuyen": 1127,
        "buu_chinh": 0,
        "total": 1277,
    }
    assert total["resolved"] == {"early": 1269, "on_time": 5, "late": 0, "total": 1274}
    assert total["pending"] == {"in_time": 3, "overdue": 0, "total": 3}
    assert total["rates"]["online"] == 88.25
    quarter = client.get(f"{API}/stats?unit={cast.thanh_xa.pk}&period=2023-Q1").json()
    assert quarter["period"]["label"] == "Quý I/2023"
    bad = client.get(f"{API}/stats?unit={cast.thanh_xa.pk}&period=2023-Q5")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "period"


@time_machine.travel(dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC), tick=False)
def test_import_endpoint_gives_a_job_to_follow(cast, client_for):
    seed002_procedures()
    client = client_for(cast.officer_thanh_xa)
    upload = SimpleUploadedFile("seed002.csv", seed002_bytes())
    response = client.post(f"{API}/import", {"file": upload})
    assert response.status_code == 202
    body = response.json()
    assert body["status_url"] == f"/api/jobs/{body['job_id']}"
    status = client.get(body["status_url"]).json()
    assert status["status"] == "done" and status["percent"] == 100
    assert status["result"]["created"] == 1277
    # the older address of the same job answers the same
    assert client.get(f"{API}/jobs/{body['job_id']}").json() == status
    assert Dossier.objects.filter(unit=cast.thanh_xa).count() == 1277
    # somebody else's job does not exist for them (permissions.job_for)
    assert client_for(cast.officer).get(body["status_url"]).status_code == 404
    bad = client_for(cast.officer).post(
        f"{API}/import", {"file": SimpleUploadedFile("x.pdf", b"%PDF")}
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "file"
    assert Job.objects.count() == 1
    assert (
        client_for(cast.appraiser)
        .post(f"{API}/import", {"file": SimpleUploadedFile("a.csv", b"code\n")})
        .status_code
        == 403
    )


@frozen
def test_resolve_move_records_whether_the_result_was_digitised(cast, procedures, client_for):
    dossier = make(cast, procedures)
    client = client_for(cast.officer)
    base = f"{API}/units/{cast.dong_tam.pk}/dossiers"
    assert post(client, f"{base}/{dossier.pk}/moves", {"action": "processing"}).status_code == 200
    done = post(
        client, f"{base}/{dossier.pk}/moves", {"action": "resolve", "result_digitized": True}
    )
    assert done.status_code == 200
    dossier.refresh_from_db()
    assert dossier.status == Status.RESOLVED and dossier.result_digitized is True
