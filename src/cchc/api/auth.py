"""API authentication: a personal bearer token, or the browser's session (with CSRF).

The token is tried first: a request that carries `Authorization: Bearer` is a script's,
authenticated by its token alone and needing no CSRF token (there is no cookie for a
forger to ride on). Without that header the session is used, and django-ninja's
SessionAuth checks CSRF as the pages do. Issue 12, finding 3: with the session first, every
token write was refused for want of a CSRF token.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from cchc.core.models import ApiToken

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
READ_ONLY_TOKEN = "Khóa API này chỉ được đọc: không dùng được để thay đổi dữ liệu."


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        now = timezone.now()
        token_row = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=ApiToken.hash(token), revoked=False, user__is_active=True)
            .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
            .first()
        )
        if token_row is None:
            return None  # 401: unknown, revoked or expired
        ApiToken.objects.filter(pk=token_row.pk).update(last_used_at=now)
        request.user = token_row.user
        request.api_token = token_row
        if request.method not in SAFE_METHODS and token_row.scope != ApiToken.Scope.WRITE:
            raise PermissionDenied(READ_ONLY_TOKEN)
        return token_row.user


AUTH = [TokenAuth(), SessionAuth()]
