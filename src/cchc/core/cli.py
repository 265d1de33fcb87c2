"""Helpers for the `cchc` management commands."""

from __future__ import annotations

import datetime as dt
from typing import overload

from django.core.management.base import CommandError

ERR_DATE = "Ngày '{value}' không hợp lệ, dùng YYYY-MM-DD."


@overload
def iso_date(value: str) -> dt.date: ...
@overload
def iso_date(value: None) -> None: ...
def iso_date(value: str | None) -> dt.date | None:
    """A command-line date (YYYY-MM-DD); None when not given; a CommandError naming the
    value when it is not a date."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(ERR_DATE.format(value=value)) from None
