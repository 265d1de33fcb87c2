"""API tokens through a real HTTP client against a running server (issue 12, finding 3):
Django's test client skips CSRF, so it never saw that token writes were refused.

- a Bearer token is authenticated by the token alone: writes need no CSRF token;
- a session keeps CSRF: without the X-CSRFToken header a write is refused;
- a read-only token reads but gets 403 on writes; an expired token gets 401;
- the last use is recorded and shown on the account page.
"""

from __future__ import annotations

import datetime as dt
import http.cookiejar
import json
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.utils import timezone

from cchc.api.auth import READ_ONLY_TOKEN
from cchc.core.models import ApiToken
from tests.conftest import PASSWORD
from tests.evaluations.conftest import (  # noqa: F401  (fixtures)
    demo_framework,
    draft_cycle,
    evidence_scores,
    fake_metrics,
    open_cycle,
)


def call(opener, url, method="GET", body=None, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def score_url(live_server, open_cycle):  # noqa: F811
    score = evidence_scores(open_cycle.dong_tam)[0]
    return f"{live_server.url}/api/evaluations/scores/{score.pk}/self"


def bearer(key):
    return {"Authorization": f"Bearer {key}"}


def test_a_write_token_writes_without_csrf(cast, live_server, score_url):
    _, key = ApiToken.issue(user=cast.officer, name="máy trạm", scope=ApiToken.Scope.WRITE)
    opener = urllib.request.build_opener()
    status, body = call(opener, score_url, "PUT", {"value": 1, "note": "API"}, bearer(key))
    assert status == 200, body
    assert json.loads(body)["self_score"] == 1
    # Still the person's own rights: another commune's officer's write token is refused.
    _, other = ApiToken.issue(user=cast.officer_thanh_xa, name="khác", scope=ApiToken.Scope.WRITE)
    status, _ = call(opener, score_url, "PUT", {"value": 1}, bearer(other))
    assert status in (403, 404)


def test_a_read_only_token_reads_and_cannot_write(cast, live_server, score_url):
    token, key = ApiToken.issue(user=cast.officer, name="đọc")
    opener = urllib.request.build_opener()
    status, _ = call(opener, f"{live_server.url}/api/units/me", headers=bearer(key))
    assert status == 200
    status, body = call(opener, score_url, "PUT", {"value": 1}, bearer(key))
    assert status == 403 and json.loads(body)["detail"] == READ_ONLY_TOKEN
    # Refused before the body is read: an invalid body gets the same 403, not a 422.
    status, _ = call(opener, score_url, "PUT", {"value": "x" * 50, "extra": 1}, bearer(key))
    assert status == 403
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_an_expired_or_revoked_token_is_401(cast, live_server):
    token, key = ApiToken.issue(user=cast.officer, name="cũ", scope=ApiToken.Scope.WRITE)
    opener = urllib.request.build_opener()
    me = f"{live_server.url}/api/units/me"
    assert call(opener, me, headers=bearer(key))[0] == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert call(opener, me, headers=bearer(key))[0] == 401


def test_a_session_keeps_csrf(cast, live_server, score_url):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    _, html = call(opener, f"{live_server.url}/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    form = urllib.parse.urlencode(
        {"username": cast.officer.username, "password": PASSWORD, "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(f"{live_server.url}/login/", data=form, method="POST")
    opener.open(request, timeout=30).read()
    assert any(c.name == "sessionid" for c in jar)
    status, body = call(opener, score_url, "PUT", {"value": 1})
    assert status == 403 and "CSRF" in body
    csrf = next(c.value for c in jar if c.name == "csrftoken")
    status, body = call(opener, score_url, "PUT", {"value": 1}, {"X-CSRFToken": csrf})
    assert status == 200, body


def test_account_page_issues_scoped_tokens_and_shows_last_use(cast, client_for):
    client = client_for(cast.officer)
    client.post("/account/tokens/", {"name": "một cửa", "scope": "write", "days": "30"})
    token = ApiToken.objects.get(user=cast.officer)
    assert token.scope == "write"
    assert 29 <= (token.expires_at - timezone.now()).days <= 30
    assert len(token.key_hash) == 64 and token.prefix not in token.key_hash
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    html = client.get("/account/").content.decode()
    assert "Đọc và ghi" in html and "dùng lần cuối" in html and "chưa dùng" not in html
    client.post("/account/tokens/", {"name": "x", "scope": "admin", "days": "9999"})
    assert ApiToken.objects.filter(user=cast.officer).count() == 1
