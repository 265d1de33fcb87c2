"""Fixtures of the dossier engine tests: a small procedure catalogue and a dossier maker."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from cchc.dossiers.models import OnlineClass, Procedure

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: dt.date | str, hour: int = 9, minute: int = 0) -> dt.datetime:
    """An aware date-time in Vietnam time."""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=VN)


@pytest.fixture
def procedures(db) -> dict[str, Procedure]:
    def make(code, name, field, days, fee="0", online=OnlineClass.NONE):
        return Procedure.objects.create(
            code=code, name=name, field=field, level="commune", processing_days=days,
            fee=Decimal(fee), online_class=online,
        )  # fmt: skip

    return {
        "birth": make("1.001193", "Đăng ký khai sinh", "Hộ tịch", 1, online=OnlineClass.FULL),
        "copy": make("1.001035", "Chứng thực bản sao từ bản chính", "Chứng thực", 0, "2000"),
        "land": make("1.004873", "Đăng ký biến động đất đai", "Đất đai", 10, "50000"),
        "open": make("2.000884", "Xác nhận không thời hạn", "", None),
    }


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The cast's five accounts hash their password with PBKDF2 (≈0.6 s each); these tests
    # are about dossiers, not passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
