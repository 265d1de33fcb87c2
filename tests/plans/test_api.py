from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from cchc.core.models import ApiToken
from cchc.plans import services
from cchc.plans.models import Component, Inspection

pytestmark = pytest.mark.django_db


@pytest.fixture
def inspection(cast):
    inspection = services.inspection_create(
        organiser=cast.district,
        kind=Inspection.Kind.INSPECTION,
        year=2023,
        title="Kiểm tra CCHC năm 2023",
        inspecting_body="Đoàn kiểm tra huyện",
        start_on=dt.date(2023, 6, 1),
        end_on=dt.date(2023, 6, 2),
        report_due_on=dt.date(2023, 6, 20),
        targets=[cast.dong_tam, cast.thanh_xa],
    )
    c = Component.objects.get(code="3")
    for unit in (cast.dong_tam, cast.thanh_xa):
        services.finding_add(inspection=inspection, unit=unit, component=c, text=f"TT {unit}")
        services.recommendation_add(inspection=inspection, unit=unit, text=f"KN {unit}")
    return inspection


def test_plans_api_is_scoped_like_the_pages(cast, plan, client_for):
    client = client_for(cast.officer_thanh_xa)
    assert client.get("/api/plans/").json() == []
    response = client.get(f"/api/plans/{plan.pk}")
    assert response.status_code == 404 and "không có quyền xem" in response.json()["detail"]
    item = plan.items.get(code="1.2")
    assert (
        client.patch(
            f"/api/plans/items/{item.pk}/status",
            {"status": "done"},
            content_type="application/json",
        ).status_code
        == 404
    )


def test_anonymous_gets_401(client, plan):
    assert client.get("/api/plans/").status_code == 401
    assert client.get(f"/api/plans/{plan.pk}").status_code == 401


@time_machine.travel(dt.datetime(2023, 7, 1, 9, tzinfo=dt.UTC), tick=False)
def test_plan_detail_and_status_update(cast, plan, client):
    _, key = ApiToken.issue(user=cast.officer, name="test", scope=ApiToken.Scope.WRITE)
    headers = {"Authorization": f"Bearer {key}"}
    plans = client.get("/api/plans/?year=2023", headers=headers).json()
    assert [p["id"] for p in plans] == [plan.pk]
    assert plans[0]["completion"]["rate"] == "25.00"
    detail = client.get(f"/api/plans/{plan.pk}", headers=headers).json()
    items = {i["code"]: i for i in detail["items"]}
    assert items["1.2"]["effective_status"] == "late" and items["1.2"]["status"] == "not_started"
    assert items["1.1"]["status"] == "in_progress"  # rolled up from its activities
    assert {c["component"]: c["completion"]["rate"] for c in detail["by_component"]} == {
        "1": "33.33",
        "3": "0.00",
    }
    response = client.patch(
        f"/api/plans/items/{items['1.2']['id']}/status",
        {"status": "done", "reason": "Đã gửi báo cáo"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 200
    assert response.json()["effective_status"] == "done"
    assert response.json()["done_on"] == "2023-07-01"
    # a parent's status is derived: refused with the reason
    response = client.patch(
        f"/api/plans/items/{items['1.1']['id']}/status",
        {"status": "done"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 422 and "mục con" in response.json()["detail"]
    response = client.patch(
        f"/api/plans/items/{items['1.2']['id']}/status",
        {"status": "late"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 422


@time_machine.travel(dt.datetime(2023, 7, 1, 9, tzinfo=dt.UTC), tick=False)
def test_inspection_and_recommendations(cast, inspection, client_for):
    client = client_for(cast.officer)
    detail = client.get(f"/api/plans/inspections/{inspection.pk}").json()
    assert [t["unit_name"] for t in detail["targets"]] == ["Xã Đồng Tâm"]
    assert [f["text"] for f in detail["findings"]] == ["TT Xã Đồng Tâm"]
    overdue = client.get("/api/plans/recommendations/?overdue=true").json()
    assert [r["text"] for r in overdue] == ["KN Xã Đồng Tâm"]
    rec_id = overdue[0]["id"]
    response = client.post(
        f"/api/plans/recommendations/{rec_id}/reports",
        {"text": "Đã khắc phục"},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["reported_on"] == "2023-07-01"
    assert client.get("/api/plans/recommendations/?overdue=true").json() == []
    rec = client.get("/api/plans/recommendations/").json()[0]
    assert rec["status"] == "reported_late"
    other = inspection.recommendations.get(unit=cast.thanh_xa)
    response = client.post(
        f"/api/plans/recommendations/{other.pk}/reports",
        {"text": "x"},
        content_type="application/json",
    )
    assert response.status_code == 404
    admin = client_for(cast.administrator)
    coverage = admin.get(f"/api/plans/coverage/{cast.district.pk}/2023").json()
    assert coverage["rows"][0]["share"] == "100.0" and coverage["phrase"] == "100%"
    assert (
        client_for(cast.officer).get(f"/api/plans/coverage/{cast.district.pk}/2023").status_code
        == 404
    )


def test_staffing_figures(cast, client_for):
    staffing = services.staffing_save(
        unit=cast.dong_tam, year=2022, positions_allotted=20, positions_filled=19
    )
    for i in range(17):
        services.staff_member_save(
            staffing=staffing,
            full_name=f"Cán bộ {i}",
            qualification="dai_hoc",
            rating="xuat_sac" if i < 4 else "tot",
        )
    data = client_for(cast.head).get(f"/api/plans/staffing/{cast.dong_tam.pk}/2022").json()
    assert data["positions_allotted"] == 20 and data["listed"] == 17
    ratings = {r["code"]: (r["count"], r["share"]) for r in data["ratings"]["rows"]}
    assert ratings["xuat_sac"] == (4, "23.5") and ratings["tot"] == (13, "76.5")
    assert (
        client_for(cast.head).get(f"/api/plans/staffing/{cast.dong_tam.pk}/2021").status_code == 404
    )
    refused = client_for(cast.officer_thanh_xa).get(f"/api/plans/staffing/{cast.dong_tam.pk}/2022")
    assert refused.status_code == 404


def test_openapi_lists_the_plans_routes(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "/api/plans/{plan_id}" in paths
    assert "/api/plans/items/{item_id}/status" in paths
    assert "/api/plans/staffing/{unit_id}/{year}" in paths
