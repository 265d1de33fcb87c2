"""A multipart body Django cannot parse is a JSON 400, after the access checks (issue 13:
schemathesis found Django's HTML "Bad Request" page on POST /api/frameworks/)."""

from __future__ import annotations

import pytest

# One part whose "headers" never end: over Django's MAX_TOTAL_HEADER_SIZE (10 KB).
BOUNDARY = "b0undary"
BODY = f"--{BOUNDARY}\r\n{'x' * 11000}\r\n--{BOUNDARY}--\r\n".encode()
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"

pytestmark = pytest.mark.django_db


def _post(client, url: str):
    return client.generic("POST", url, BODY, content_type=MULTIPART)


def test_an_unreadable_multipart_body_is_a_json_400(cast, client_for):
    response = _post(client_for(cast.administrator), "/api/frameworks/")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "multipart/form-data" in response.json()["detail"]


def test_who_may_not_write_is_told_so_first(cast, client_for):
    assert _post(client_for(cast.officer), "/api/frameworks/").status_code == 403
    other = f"/api/service-index/units/{cast.dong_tam.pk}/feedback/import"
    assert _post(client_for(cast.officer_thanh_xa), other).status_code == 404
