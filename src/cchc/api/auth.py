"""API authentication: the browser's session (with CSRF) or a personal bearer token."""

from __future__ import annotations

from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from cchc.core.models import ApiToken


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        token_row = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=ApiToken.hash(token), revoked=False, user__is_active=True)
            .first()
        )
        if token_row is None:
            return None
        ApiToken.objects.filter(pk=token_row.pk).update(last_used_at=timezone.now())
        request.user = token_row.user
        return token_row.user


AUTH = [SessionAuth(), TokenAuth()]
