"""The one save-with-history helper: validated, the reason (cut to the history column's 100
characters) and the person kept on the history row."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from cchc.core.history import save_with_history
from cchc.units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db


def test_reason_and_person_on_the_history_row():
    officer = User.objects.create_user("can_bo")
    unit = Unit(scheme="2025", code="31", name="Thành phố Hải Phòng", kind=UnitKind.PROVINCE)
    reason = "Sáp nhập theo Nghị quyết 1669/NQ-UBTVQH15 " * 5
    save_with_history(unit, reason, officer)
    row = unit.history.latest()
    assert row.history_user == officer
    assert row.history_change_reason == reason[:100]


def test_an_invalid_object_is_not_saved():
    unit = Unit(scheme="2025", code="", name="", kind=UnitKind.PROVINCE)
    with pytest.raises(ValidationError):
        save_with_history(unit, "Tạo")
    assert not Unit.objects.exists()
