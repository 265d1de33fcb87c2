"""The type of a person as the code receives one: `request.user`, which is a signed-in
`User` or Django's `AnonymousUser`. Parameters named `user` (whose access is decided) and
`by` (who made a change, for the history) carry it."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias, Union

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

Person: TypeAlias = Union["User", "AnonymousUser"]  # noqa: UP007 (quoted: imported for mypy only)
