"""The API: same figures and same walls as the pages; errors as JSON naming the field."""

from __future__ import annotations

import io

import pytest
import time_machine

from cchc.core.models import Job
from cchc.service_index.models import Feedback

from .dbdata import EXPECTED, NOW

pytestmark = pytest.mark.django_db
OCTOBER = "start=2023-10-02&end=2023-10-31"


def test_index_json_has_every_indicator_and_the_counts(cast, october, client_for):
    data = (
        client_for(cast.officer)
        .get(f"/api/service-index/units/{cast.dong_tam.pk}/index?{OCTOBER}")
        .json()
    )
    assert (data["total"], data["max_available"], data["score_100"]) == ("46.67", "96.00", "48.61")
    assert data["loses_most"][0] == "2.1"
    assert (data["rank"], data["rank_of"]) == (1, 2)
    by_code = {i["code"]: i for i in data["indicators"]}
    assert len(by_code) == 21
    assert by_code["2.1"]["numerator"] == 6 and by_code["2.1"]["denominator"] == 9
    assert by_code["2.1"]["points"] == "13.33" and by_code["2.1"]["confidence"] == "V"
    assert by_code["4.5a"]["status"] == "not_available" and by_code["4.5a"]["points"] is None
    assert {k: data["counts"][k] for k in EXPECTED} == EXPECTED
    assert sum(float(g["points"]) for g in data["groups"]) == pytest.approx(46.67, abs=0.02)


def test_zero_denominators_are_no_data_not_100(cast, october, client_for):
    data = (
        client_for(cast.officer_thanh_xa)
        .get(f"/api/service-index/units/{cast.thanh_xa.pk}/index?{OCTOBER}")
        .json()
    )
    by_code = {i["code"]: i for i in data["indicators"]}
    for code in ("2.1", "5.2", "5.3", "5.4", "1.4", "4.1"):
        assert by_code[code]["status"] == "empty", code
        assert by_code[code]["rate"] is None and by_code[code]["points"] is None
    # only the shared catalogue scores: 1.1 (6), 1.2 (4), 1.3 (2), 3.5 (2), 3.5b (2)
    assert data["max_available"] == "16.00"


def test_wrong_person_gets_403_json(cast, october, client_for):
    client = client_for(cast.officer_thanh_xa)
    for url in (
        f"/api/service-index/units/{cast.dong_tam.pk}/index",
        f"/api/service-index/units/{cast.dong_tam.pk}/trend",
        f"/api/service-index/units/{cast.dong_tam.pk}/publication",
        f"/api/service-index/units/{cast.dong_tam.pk}/feedback",
        f"/api/service-index/feedback/{october.feedback['F1'].pk}",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert (
            "Không có quyền" in response.json()["detail"]
            or "không có quyền" in response.json()["detail"]
        )
    response = client.post(
        f"/api/service-index/feedback/{october.feedback['F3'].pk}/answer",
        {"on": "2023-11-01", "answer": "x"},
        content_type="application/json",
    )
    assert response.status_code == 404
    response = client_for(cast.appraiser).post(
        f"/api/service-index/units/{cast.dong_tam.pk}/feedback",
        {"received_on": "2023-11-01", "channel": "hom_thu", "content": "x"},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_anonymous_gets_nothing(cast, october, client):
    response = client.get(f"/api/service-index/units/{cast.dong_tam.pk}/index")
    assert response.status_code == 401


def test_feedback_lifecycle_through_the_api(cast, client_for):
    client = client_for(cast.officer)
    with time_machine.travel(NOW, tick=False):
        created = client.post(
            f"/api/service-index/units/{cast.dong_tam.pk}/feedback",
            {"received_on": "2023-11-13", "channel": "cong_dvc", "content": "Góp ý",
             "procedure_code": "P-KHONG-CO"},
            content_type="application/json",
        )  # fmt: skip
        assert created.status_code == 422
        assert created.json()["errors"][0]["field"] == "procedure_code"
        created = client.post(
            f"/api/service-index/units/{cast.dong_tam.pk}/feedback",
            {"received_on": "2023-11-13", "channel": "cong_dvc", "content": "Góp ý"},
            content_type="application/json",
        )
        assert created.status_code == 201
        body = created.json()
        assert body["answer_due_on"] == "2023-12-04" and body["next_step"] == "answer"
        fid = body["id"]
        late = client.post(
            f"/api/service-index/feedback/{fid}/publish",
            {"on": "2023-11-14"},
            content_type="application/json",
        )
        assert late.status_code == 422 and "chưa được trả lời" in late.json()["detail"]
        answered = client.post(
            f"/api/service-index/feedback/{fid}/answer",
            {"on": "2023-11-14", "answer": "Đã tiếp thu"},
            content_type="application/json",
        )
        assert answered.json()["publish_due_on"] == "2023-11-16"
        published = client.post(
            f"/api/service-index/feedback/{fid}/publish",
            {"on": "2023-11-15", "where": "Cổng DVC"},
            content_type="application/json",
        ).json()
        assert published["status"] == "published" and len(published["history"]) == 3
        wrong = client.post(
            f"/api/service-index/feedback/{fid}/assign",
            {"assignee_id": cast.officer_thanh_xa.pk},
            content_type="application/json",
        )
        assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "assigned_to"
        bad_date = client.post(
            f"/api/service-index/feedback/{fid}/answer",
            {"on": "không phải ngày", "answer": "x"},
            content_type="application/json",
        )
        assert bad_date.status_code == 422


def test_import_through_the_api_is_a_job_and_all_or_nothing(cast, client_for):
    """Issue 13: the import runs as a background job; the API answers 202 with the URL to
    poll, whose result names each bad row and column."""
    url = f"/api/service-index/units/{cast.dong_tam.pk}/feedback/import"
    client = client_for(cast.officer)
    with time_machine.travel(NOW, tick=False):
        bad = io.BytesIO(b"received_on,channel,content\n2023-10-02,fax,x\n2023-10-03,hom_thu,y\n")
        bad.name = "so.csv"
        response = client.post(url, {"file": bad})
        assert response.status_code == 202
        job = client.get(response.json()["status_url"]).json()
        assert job["status"] == "failed"
        assert job["result"]["errors"][0]["row"] == 2
        assert job["result"]["errors"][0]["column"] == "channel"
        assert not Feedback.objects.exists()
        good = io.BytesIO(b"received_on,channel,content\n2023-10-03,hom_thu,y\n")
        good.name = "so.csv"
        response = client.post(url, {"file": good})
        assert response.status_code == 202
        job = client.get(response.json()["status_url"]).json()
        assert job["status"] == "done" and job["result"]["feedback"] == 1
        assert Feedback.objects.filter(unit=cast.dong_tam).count() == 1
        # the unit is checked before anything is queued
        jobs = Job.objects.count()
        other = client_for(cast.officer_thanh_xa).post(url, {"file": io.BytesIO(b"x")})
        assert other.status_code == 404 and Job.objects.count() == jobs


def test_ranking_trend_and_publication(cast, october, client_for):
    client = client_for(cast.administrator)
    ranking = client.get(f"/api/service-index/units/{cast.district.pk}/ranking?{OCTOBER}").json()
    assert [r["unit"]["name"] for r in ranking["rows"]] == ["Xã Đồng Tâm", "Xã Thanh Xá"]
    assert [r["rank"] for r in ranking["rows"]] == [1, 2]
    trend = client.get(f"/api/service-index/units/{cast.dong_tam.pk}/trend?{OCTOBER}").json()
    assert [t["period"]["label"] for t in trend] == ["Tháng 10/2023", "Tháng 11/2023"]
    publication = client.get(
        f"/api/service-index/units/{cast.dong_tam.pk}/publication?{OCTOBER}"
    ).json()
    p2 = next(p for p in publication if p["code"] == "P2")
    assert p2["problems"] == ["công bố muộn", "công khai muộn", "chưa đủ bộ phận tạo thành"]
    assert (p2["announce_deadline"], p2["publish_deadline"]) == ("2023-10-02", "2023-10-10")
    assert (
        client.get(f"/api/service-index/units/{cast.dong_tam.pk}/index?period=2023-X1").status_code
        == 422
    )
