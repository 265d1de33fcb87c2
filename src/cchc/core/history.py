"""Saving a model with its history (django-simple-history): validated, with the reason for
the change and the person who made it. The one helper every services module uses."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from cchc.core.people import Person

# django-simple-history's history_change_reason column
REASON_MAX = 100


def mark_change(obj: Any, reason: str = "", by: Person | None = None) -> None:
    """Record why and by whom obj changes, for the history row of its next save or delete."""
    if reason:
        obj._change_reason = reason[:REASON_MAX]
    if by is not None:
        obj._history_user = by


def save_with_history(
    obj: Any,
    reason: str = "",
    by: Person | None = None,
    *,
    exclude: Iterable[str] | None = None,
) -> None:
    """full_clean() (less the fields in exclude), then save with the reason and the person."""
    obj.full_clean(exclude=list(exclude or []))
    mark_change(obj, reason, by)
    obj.save()
