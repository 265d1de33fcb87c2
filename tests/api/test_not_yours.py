"""One answer for "not yours" on pages and API (issue 12, finding 5): cannot see -> 404 with
the same Vietnamese message; can see but not act -> 403 with the reason; anonymous ->
sign in (pages) or 401 (API); and the permission check comes before the body is read."""

from __future__ import annotations

import json

import pytest

from cchc.units.permissions import NOT_FOUND
from tests.evaluations.conftest import (  # noqa: F401  (fixtures)
    demo_framework,
    draft_cycle,
    evidence_scores,
    fake_metrics,
    open_cycle,
    signed_in,
)


@pytest.mark.django_db
def test_another_communes_unit_is_404_with_one_message_on_page_and_api(cast, client_for):
    client = client_for(cast.officer)
    page = client.get(f"/units/{cast.thanh_xa.pk}/")
    api = client.get(f"/api/units/{cast.thanh_xa.pk}")
    assert page.status_code == api.status_code == 404
    assert NOT_FOUND in page.content.decode()
    assert api.json()["detail"] == NOT_FOUND
    # A unit that does not exist reads exactly the same: ids reveal nothing.
    assert client.get("/api/units/999999").json()["detail"] == NOT_FOUND


@pytest.mark.django_db
def test_seen_but_not_allowed_is_403_with_the_reason(cast, client_for):
    page = client_for(cast.appraiser).get("/units/import/")
    assert page.status_code == 403


@pytest.mark.django_db
def test_permission_before_validation_on_another_communes_score(
    cast,
    signed_in,  # noqa: F811
    open_cycle,  # noqa: F811
):
    score = evidence_scores(open_cycle.dong_tam)[0]
    url = f"/api/evaluations/scores/{score.pk}/self"
    other = signed_in(cast.officer_thanh_xa)
    for body in ({"value": "không phải số", "unexpected": 1}, {"value": 1}):
        response = other.put(url, json.dumps(body), content_type="application/json")
        assert response.status_code == 404, response.content
        assert response.json()["detail"] == NOT_FOUND
    # The unit's own officer with a bad body gets the field named (422).
    mine = signed_in(cast.officer)
    response = mine.put(url, json.dumps({"unexpected": 1}), content_type="application/json")
    assert response.status_code == 422


@pytest.mark.django_db
def test_anonymous_pages_sign_in_and_api_401(cast, client):
    assert client.get(f"/units/{cast.thanh_xa.pk}/")["Location"].startswith("/login/")
    assert client.get(f"/api/units/{cast.thanh_xa.pk}").status_code == 401


@pytest.mark.django_db
def test_action_before_validation_on_a_score_one_may_only_see(
    cast,
    signed_in,  # noqa: F811
    open_cycle,  # noqa: F811
):
    """The appraiser sees Đồng Tâm's score but may not self-assess it, and the officer may
    not appraise it: with a bad body as with a good one, the answer is 403 with the reason
    (it used to be a 422 that named the body's fields)."""
    score = evidence_scores(open_cycle.dong_tam)[0]
    cases = [
        (cast.appraiser, f"/api/evaluations/scores/{score.pk}/self"),
        (cast.officer, f"/api/evaluations/scores/{score.pk}/appraised"),
    ]
    for person, url in cases:
        client = signed_in(person)
        for body in ({"value": "không phải số", "unexpected": 1}, {}):
            response = client.put(url, json.dumps(body), content_type="application/json")
            assert response.status_code == 403, (person, url, response.content)
            assert "errors" not in response.json()
