"""Saving a model with its history (django-simple-history): validated, with the reason for
the change and the person who made it. The one helper every services module uses: no other
module sets `_change_reason` or `_history_user` itself."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from cchc.core.people import Person

# django-simple-history's history_change_reason column (max_length=100 in every app's
# historical table; tests/core/test_history.py checks it).
REASON_MAX = 100


def cut_reason(reason: str) -> str:
    """A reason as the history column keeps it: whole when it fits, else cut to the column
    with "…" as its last character, so a reader sees it goes on."""
    if len(reason) <= REASON_MAX:
        return reason
    return reason[: REASON_MAX - 1] + "…"


def mark_change(obj: Any, reason: str | None = None, by: Person | None = None) -> None:
    """Record why (when given, even blank) and by whom obj changes, for the history row of
    its next save or delete."""
    if reason is not None:
        obj._change_reason = cut_reason(reason)
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
    mark_change(obj, reason or None, by)
    obj.save()
