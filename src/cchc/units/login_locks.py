"""Locked logins (django-axes) as an administrator sees them, and the unlock.

Who may unlock what is decided by units.permissions: an account's lock belongs to the
administrators of the account's unit (and superusers); an address's lock, and a lock on a
name that is no account, concern no unit, so only superusers (the platform's operators)
lift those; the lock still ends by itself after the cool-off time.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Sum
from django.utils import timezone

from cchc.core.people import Person
from cchc.units.permissions import can, is_administrator

log = logging.getLogger(__name__)

NOT_ALLOWED = "Bạn không có quyền mở khóa {what}."
NOT_LOCKED = "{what} không bị khóa đăng nhập."


@dataclass(frozen=True)
class Lock:
    kind: str  # "username" or "address"
    value: str
    failures: int
    last_attempt: datetime
    until: datetime
    person: object | None = None  # the Profile of a locked account, when there is one

    @property
    def label(self) -> str:
        if self.kind == "address":
            return f"địa chỉ {self.value}"
        return f"tài khoản {self.value}"


def _locks(field: str) -> list[tuple[str, int, datetime]]:
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    rows = (
        AccessAttempt.objects.filter(attempt_time__gte=since)
        .exclude(**{field: None})
        .values(field)
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last")
    )
    return [(row[field], row["failures"], row["last"]) for row in rows]


def _person(username: str):
    user = (
        get_user_model().objects.filter(username=username).select_related("profile__unit").first()
    )
    return getattr(user, "profile", None) if user else None


def may_unlock(user: Person | None, kind: str, value: str) -> bool:
    if not user or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if kind != "username" or not is_administrator(user):
        return False
    person = _person(value)
    return person is not None and can(user, "administer", person.unit)


def may_open(user: Person | None) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or is_administrator(user)))


def locks_for(user: Person) -> list[Lock]:
    """The current locks this person may lift."""
    cool_off = settings.AXES_COOLOFF_TIME
    found: list[Lock] = []
    for username, failures, last in _locks("username"):
        if may_unlock(user, "username", username):
            found.append(
                Lock("username", username, failures, last, last + cool_off, _person(username))
            )
    for address, failures, last in _locks("ip_address"):
        if may_unlock(user, "address", address):
            found.append(Lock("address", address, failures, last, last + cool_off))
    return found


def unlock(*, user: Person, kind: str, value: str) -> int:
    """Lift the lock; the count of attempt records removed (0: nothing was locked)."""
    what = f"địa chỉ {value}" if kind == "address" else f"tài khoản {value}"
    if kind not in {"username", "address"} or not value or not may_unlock(user, kind, value):
        raise PermissionDenied(NOT_ALLOWED.format(what=what))
    removed = reset(username=value) if kind == "username" else reset(ip=value)
    log.warning("login lock on %s lifted by %s (%s records)", what, user.username, removed)
    return removed
