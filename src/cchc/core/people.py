"""The type of a person as the code receives one: `request.user`, which is a signed-in
`User` or Django's `AnonymousUser`. Parameters named `user` (whose access is decided) and
`by` (who made a change, for the history) carry it."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias, Union

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

Person: TypeAlias = Union["User", "AnonymousUser"]  # noqa: UP007 (quoted: imported for mypy only)


def author(by: Person | None) -> User | None:
    """The person a change is stored under (`created_by`, `generated_by`…): a signed-in
    user, or None for the system (a command). Writes are behind login, so an anonymous
    visitor never gets here; if one did, the write is refused, not stored without a name."""
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied

    if isinstance(by, AnonymousUser):
        raise PermissionDenied("Cần đăng nhập để thực hiện thao tác này.")
    return by
