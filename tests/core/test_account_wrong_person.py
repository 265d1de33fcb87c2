"""The account pages as the wrong person (issue 12, finding 5): anonymous visitors are
sent to sign in, another person's token is 404 and stays active."""

from __future__ import annotations

import pytest

from cchc.core.models import ApiToken

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_sign_in_and_creates_nothing(cast, client):
    for method, url in (("get", "/account/"), ("post", "/account/tokens/")):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")
    token, _ = ApiToken.issue(user=cast.officer, name="x")
    response = client.post(f"/account/tokens/{token.pk}/revoke/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert ApiToken.objects.filter(user=cast.officer).count() == 1
    token.refresh_from_db()
    assert not token.revoked


def test_another_persons_token_cannot_be_revoked(cast, client_for):
    token, _ = ApiToken.issue(user=cast.officer, name="của Lan")
    for user in (cast.officer_thanh_xa, cast.administrator):
        assert client_for(user).post(f"/account/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert not token.revoked
    # The account page lists only one's own tokens.
    assert "của Lan" not in client_for(cast.head).get("/account/").content.decode()
