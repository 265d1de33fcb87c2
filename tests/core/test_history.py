"""The one save-with-history helper: validated, the reason (cut to the history column's 100
characters, the last one "…") and the person kept on the history row."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from cchc.core.history import REASON_MAX, cut_reason, mark_change, save_with_history
from cchc.dossiers.models import Dossier
from cchc.reports.models import Report
from cchc.units.models import Profile, Unit, UnitKind

pytestmark = pytest.mark.django_db


def test_reason_and_person_on_the_history_row():
    officer = User.objects.create_user("can_bo")
    unit = Unit(scheme="2025", code="31", name="Thành phố Hải Phòng", kind=UnitKind.PROVINCE)
    reason = "Sáp nhập theo Nghị quyết 1669/NQ-UBTVQH15 " * 5
    save_with_history(unit, reason, officer)
    row = unit.history.latest()
    assert row.history_user == officer
    assert row.history_change_reason == reason[:99] + "…"
    assert len(row.history_change_reason) == 100


def test_the_cut_is_the_history_columns_length():
    for model in (Unit, Profile, Report, Dossier):
        field = model.history.model._meta.get_field("history_change_reason")
        assert field.max_length == REASON_MAX, model
    assert cut_reason("x" * REASON_MAX) == "x" * REASON_MAX
    assert cut_reason("x" * (REASON_MAX + 1)) == "x" * (REASON_MAX - 1) + "…"


def test_a_blank_reason_is_kept_blank_and_no_reason_leaves_none():
    unit = Unit.objects.create(scheme="2025", code="31", name="Hải Phòng", kind=UnitKind.PROVINCE)
    mark_change(unit, "")
    unit.save()
    assert unit.history.latest().history_change_reason == ""
    other = Unit(scheme="2025", code="32", name="Hải Dương", kind=UnitKind.PROVINCE)
    save_with_history(other)
    assert other.history.latest().history_change_reason is None


def test_an_invalid_object_is_not_saved():
    unit = Unit(scheme="2025", code="", name="", kind=UnitKind.PROVINCE)
    with pytest.raises(ValidationError):
        save_with_history(unit, "Tạo")
    assert not Unit.objects.exists()
