from __future__ import annotations

import pytest

from cchc.core.models import ApiToken


@pytest.mark.django_db
def test_api_refuses_another_communes_unit(cast, client_for):
    client = client_for(cast.officer)
    assert client.get(f"/api/units/{cast.dong_tam.pk}").status_code == 200
    response = client.get(f"/api/units/{cast.thanh_xa.pk}")
    assert response.status_code == 404
    assert "không có quyền xem" in response.json()["detail"]


@pytest.mark.django_db
def test_api_requires_authentication(cast, client):
    assert client.get("/api/units/me").status_code == 401


@pytest.mark.django_db
def test_bearer_token_authenticates_with_the_same_rules(cast, client):
    _, key = ApiToken.issue(user=cast.officer, name="test")
    headers = {"Authorization": f"Bearer {key}"}
    me = client.get("/api/units/me", headers=headers).json()
    assert me["unit"]["name"] == "Xã Đồng Tâm"
    assert me["roles"] == ["officer"]
    assert client.get(f"/api/units/{cast.thanh_xa.pk}", headers=headers).status_code == 404
    names = [u["name"] for u in client.get("/api/units/", headers=headers).json()]
    assert names == ["Xã Đồng Tâm"]
    assert client.get("/api/units/me", headers={"Authorization": "Bearer wrong"}).status_code == 401


@pytest.mark.django_db
def test_revoked_token_is_refused(cast, client):
    token, key = ApiToken.issue(user=cast.officer, name="test")
    token.revoked = True
    token.save()
    assert (
        client.get("/api/units/me", headers={"Authorization": f"Bearer {key}"}).status_code == 401
    )


@pytest.mark.django_db
def test_openapi_document_and_docs_are_served(client):
    spec = client.get("/api/openapi.json").json()
    assert "/api/units/me" in spec["paths"]
    assert client.get("/api/docs").status_code == 200
