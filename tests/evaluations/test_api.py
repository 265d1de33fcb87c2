"""The evaluations API: same rules as the pages; the officer of another unit gets 403 at
each step; published results readable without signing in."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.evaluations import services
from cchc.evaluations.models import CycleState, CycleUnitStatus, PublishedResult
from tests.evaluations.conftest import (
    appraise_all,
    evidence_scores,
    fill_self_scores,
    in_a_week,
    score_of,
    survey_values,
)

API = "/api/evaluations"


def put(client, url, data):
    return client.put(url, data=json.dumps(data), content_type="application/json")


def post(client, url, data=None):
    return client.post(url, data=json.dumps(data or {}), content_type="application/json")


def test_cycles_are_scoped(cast, open_cycle, signed_in, django_user_model):
    client = signed_in(cast.officer_thanh_xa)
    cycles = client.get(f"{API}/cycles").json()
    assert [c["name"] for c in cycles] == ["Chỉ số CCHC cấp xã năm 2024"]
    units = client.get(f"{API}/cycles/{open_cycle.cycle.pk}/units").json()
    assert [u["unit"]["name"] for u in units] == ["Xã Thanh Xá"]
    admin_units = signed_in(cast.administrator).get(f"{API}/cycles/{open_cycle.cycle.pk}/units")
    assert len(admin_units.json()) == 2
    detail = signed_in(cast.administrator).get(f"{API}/cycles/{open_cycle.cycle.pk}").json()
    assert detail["transitions"][0]["to_state"] == "self_assessment"


def test_draft_cycle_is_hidden_from_units(cast, draft_cycle, signed_in):
    client = signed_in(cast.officer)
    assert client.get(f"{API}/cycles").json() == []
    assert client.get(f"{API}/cycles/{draft_cycle.cycle.pk}").status_code == 404
    assert client.get(f"{API}/cycle-units/{draft_cycle.dong_tam.pk}").status_code == 404


def test_anonymous_needs_to_sign_in(cast, open_cycle, client):
    assert client.get(f"{API}/cycles").status_code == 401
    assert client.get(f"{API}/cycle-units/{open_cycle.dong_tam.pk}").status_code == 401


def test_a_whole_cycle_through_the_api(cast, open_cycle, signed_in, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    setup = open_cycle
    cu = setup.dong_tam.pk
    other = signed_in(cast.officer_thanh_xa)
    first = evidence_scores(setup.dong_tam)[0]

    # The score sheet.
    officer = signed_in(cast.officer)
    sheet = officer.get(f"{API}/cycle-units/{cu}").json()
    assert sheet["can_edit"] and not sheet["can_appraise"]
    assert sheet["rows"][0]["code"] == "1" and sheet["rows"][0]["max"] == 15
    on_time = next(r for r in sheet["rows"] if r["code"] == "3.2")
    assert on_time["score"]["measured_value"] == 97.5
    assert on_time["score"]["measured_points"] == 0.5
    assert other.get(f"{API}/cycle-units/{cu}").status_code == 404

    # Self score: officer yes, other unit's officer 403, above max 400 naming the criterion.
    url = f"{API}/scores/{first.pk}/self"
    assert put(other, url, {"value": 1}).status_code == 404
    response = put(officer, url, {"value": "3.5", "note": ""})
    assert response.status_code == 400
    error = response.json()
    assert error["errors"][0]["criterion"] == "1.1" and error["errors"][0]["field"] == "value"
    assert "vượt điểm tối đa 3" in error["detail"]
    response = put(officer, url, {"value": "2,5", "note": "KH 645/KH-UBND"})
    assert response.status_code == 200 and response.json()["self_score"] == 2.5

    # Evidence upload.
    files = {
        "criterion": "1.1",
        "title": "Kế hoạch CCHC năm 2024",
        "number_symbol": "645/KH-UBND",
        "issued_on": "2023-12-30",
        "issuer": "UBND xã Đồng Tâm",
        "file": SimpleUploadedFile("kh.pdf", b"%PDF-1.4", content_type="application/pdf"),
    }
    assert other.post(f"{API}/cycle-units/{cu}/evidence", data=dict(files)).status_code == 404
    files["file"] = SimpleUploadedFile("kh.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = officer.post(f"{API}/cycle-units/{cu}/evidence", data=files)
    assert response.status_code == 201, response.content
    evidence = response.json()
    assert evidence["number_symbol"] == "645/KH-UBND" and evidence["file_url"].endswith(".pdf")

    # Submit: officer 403 (head only), other 403, head 400 while incomplete, then 200.
    assert post(officer, f"{API}/cycle-units/{cu}/submit").status_code == 403
    assert post(other, f"{API}/cycle-units/{cu}/submit").status_code == 404
    head = signed_in(cast.head)
    response = post(head, f"{API}/cycle-units/{cu}/submit")
    assert response.status_code == 400 and "Chưa chấm điểm" in response.json()["detail"]
    fill_self_scores(setup.dong_tam, cast.officer)
    response = post(head, f"{API}/cycle-units/{cu}/submit")
    assert response.status_code == 200 and response.json()["status"] == "submitted"

    fill_self_scores(setup.thanh_xa, cast.officer_thanh_xa)

    # Transition: only the administrator.
    cycle_url = f"{API}/cycles/{setup.cycle.pk}"
    assert post(other, f"{cycle_url}/transitions", {"to_state": "appraisal"}).status_code == 403
    assert post(head, f"{cycle_url}/transitions", {"to_state": "appraisal"}).status_code == 403
    admin = signed_in(cast.administrator)
    response = post(admin, f"{cycle_url}/transitions", {"to_state": "appraisal"})
    assert response.status_code == 200 and response.json()["state"] == "appraisal"
    survey_values(setup.cycle, cast, cast.administrator)

    # Appraisal: reason required when different; other officer and the officer 403.
    appraiser = signed_in(cast.appraiser)
    url = f"{API}/scores/{first.pk}/appraised"
    assert put(other, url, {"value": 2, "reason": "x"}).status_code == 404
    assert put(officer, url, {"value": 2, "reason": "x"}).status_code == 403
    response = put(appraiser, url, {"value": 2})
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "reason"
    response = put(appraiser, url, {"value": 2, "reason": "Ban hành chậm"})
    assert response.status_code == 200 and response.json()["final"] == 2

    # Return for explanation and resubmission.
    body = {"message": "Giải trình 1.1", "deadline": in_a_week().isoformat()}
    assert post(other, f"{API}/cycle-units/{cu}/return", body).status_code == 404
    response = post(appraiser, f"{API}/cycle-units/{cu}/return", body)
    assert response.status_code == 200 and response.json()["status"] == "returned"
    # Returned for explanation: the unit reads the appraiser's score and reason.
    returned = officer.get(f"{API}/cycle-units/{cu}/history").json()
    assert any(h["field"] == "appraised_score" for h in returned)
    response = put(officer, f"{API}/scores/{first.pk}/self", {"value": 3, "note": "Đúng hạn"})
    assert response.status_code == 200
    assert post(head, f"{API}/cycle-units/{cu}/submit").json()["status"] == "submitted"

    # History through the API.
    history = appraiser.get(f"{API}/cycle-units/{cu}/history").json()
    appraised = [h for h in history if h["field"] == "appraised_score"]
    assert appraised[0]["new"] == "2" and appraised[0]["why"] == "Ban hành chậm"
    assert other.get(f"{API}/cycle-units/{cu}/history").status_code == 404

    # Finalise units (appraiser), the cycle (administrator); results before publication.
    assert post(other, f"{API}/cycle-units/{cu}/finalise").status_code == 404
    appraise_all(setup, cast)
    assert post(other, f"{cycle_url}/transitions", {"to_state": "finalised"}).status_code == 403
    assert post(admin, f"{cycle_url}/transitions", {"to_state": "finalised"}).status_code == 200
    assert officer.get(f"{cycle_url}/results").status_code == 403
    rows = json.loads(admin.get(f"{cycle_url}/results").content, parse_float=Decimal)
    assert [r["unit"] for r in rows][0] in {"Xã Đồng Tâm", "Xã Thanh Xá"}
    assert set(rows[0]) >= {"score", "index", "rank", "rank_of", "grade", "components"}

    # Publication.
    publish = {"decision_no": "45/QĐ-UBND", "decision_date": "2025-03-20"}
    assert post(other, f"{cycle_url}/publish", publish).status_code == 403
    response = post(admin, f"{cycle_url}/publish", publish)
    assert response.status_code == 200 and response.json()["state"] == "published"
    response = put(appraiser, url, {"value": 1, "reason": "x"})
    assert response.status_code == 400 and "45/QĐ-UBND" in response.json()["detail"]
    assert officer.get(f"{cycle_url}/results").status_code == 200


def test_public_results_need_no_login_and_only_published(cast, open_cycle, client):
    setup = open_cycle
    response = client.get(f"{API}/public/cycles/{setup.cycle.pk}/results")
    assert response.status_code == 404
    assert client.get(f"{API}/public/cycles").json() == []
    fill_self_scores(setup.dong_tam, cast.officer)
    fill_self_scores(setup.thanh_xa, cast.officer_thanh_xa, Decimal("0.7"))
    services.cycle_transition(cycle=setup.cycle, to_state="appraisal", by=cast.administrator)
    survey_values(setup.cycle, cast, cast.administrator)
    appraise_all(setup, cast)
    services.cycle_finalise(cycle=setup.cycle, by=cast.administrator)
    services.cycle_publish(
        cycle=setup.cycle,
        decision_no="45/QĐ-UBND",
        decision_date=dt.date(2025, 3, 20),
        by=cast.administrator,
    )
    assert [c["name"] for c in client.get(f"{API}/public/cycles").json()] == [setup.cycle.name]
    data = client.get(f"{API}/public/cycles/{setup.cycle.pk}/results").json()
    assert data["cycle"]["decision_no"] == "45/QĐ-UBND"
    assert [r["unit"] for r in data["results"]] == ["Xã Đồng Tâm", "Xã Thanh Xá"]
    first = data["results"][0]
    assert first["rank"] == 1 and first["rank_of"] == 2
    assert first["grade_label"] and first["components"]["10"]["title"].startswith("Chỉ số hài lòng")
    # Frozen: the published rows do not follow later changes of the database.
    Score = setup.dong_tam.scores.model
    Score.objects.filter(cycle_unit=setup.dong_tam).update(appraised_score=0)
    again = client.get(f"{API}/public/cycles/{setup.cycle.pk}/results").json()
    assert again["results"] == data["results"]
    assert PublishedResult.objects.filter(cycle=setup.cycle).count() == 2


def test_transition_input_is_strict(cast, open_cycle, signed_in):
    admin = signed_in(cast.administrator)
    url = f"{API}/cycles/{open_cycle.cycle.pk}/transitions"
    response = post(admin, url, {"to_state": "nowhere"})
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "to_state"
    assert post(admin, url, {"to_state": "draft", "extra": 1}).status_code == 422
    response = post(admin, url, {"to_state": "draft"})
    assert response.status_code == 400
    assert response.json()["detail"] == services.ERR_REASON_TO_REOPEN
    response = post(admin, url, {"to_state": "draft", "reason": "Thiếu đơn vị"})
    assert response.status_code == 200 and response.json()["state"] == CycleState.DRAFT


def test_evidence_delete(cast, open_cycle, signed_in):
    setup = open_cycle
    item = services.evidence_add(
        cycle_unit=setup.dong_tam,
        criterion=score_of(setup.dong_tam, "1.1").criterion,
        title="Báo cáo",
        by=cast.officer,
    )
    assert signed_in(cast.officer_thanh_xa).delete(f"{API}/evidence/{item.pk}").status_code == 404
    assert signed_in(cast.officer).delete(f"{API}/evidence/{item.pk}").status_code == 204
    setup.dong_tam.refresh_from_db()
    assert setup.dong_tam.status == CycleUnitStatus.IN_PROGRESS


def test_remediation_list(cast, open_cycle, signed_in):
    setup = open_cycle
    fill_self_scores(setup.dong_tam, cast.officer, Decimal("0.5"))
    fill_self_scores(setup.thanh_xa, cast.officer_thanh_xa)
    services.cycle_transition(cycle=setup.cycle, to_state="appraisal", by=cast.administrator)
    survey_values(setup.cycle, cast, cast.administrator)
    appraise_all(setup, cast)
    services.cycle_finalise(cycle=setup.cycle, by=cast.administrator)
    duties = signed_in(cast.officer).get(f"{API}/cycles/{setup.cycle.pk}/remediation").json()
    assert [d["unit"]["name"] for d in duties] == ["Xã Đồng Tâm"]
    assert duties[0]["status"] == "owed"


def test_the_units_of_a_cycle_come_in_vietnamese_order(cast, draft_cycle, client_for):
    """Issue 15: the API lists names as the pages do (Anh, Ân, Ba, Bà, Dương, Đông, Đức),
    not in the database's order, which differs between SQLite and PostgreSQL."""
    from cchc.evaluations.models import CycleUnit
    from cchc.units.models import Unit, UnitKind

    names = ["Xã Đức", "Xã Bà", "Xã Anh", "Xã Đông", "Xã Ba", "Xã Ân", "Xã Dương"]
    for i, name in enumerate(names):
        unit = Unit.objects.create(
            scheme="local", code=f"VN{i}", name=name, kind=UnitKind.COMMUNE, parent=cast.district
        )
        CycleUnit.objects.create(cycle=draft_cycle.cycle, unit=unit, block="Khối Z")
    response = client_for(cast.administrator).get(
        f"/api/evaluations/cycles/{draft_cycle.cycle.pk}/units"
    )
    listed = [u["unit"]["name"] for u in response.json() if u["block"] == "Khối Z"]
    assert listed == ["Xã Anh", "Xã Ân", "Xã Ba", "Xã Bà", "Xã Dương", "Xã Đông", "Xã Đức"]
