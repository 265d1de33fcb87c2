"""A report is stored under the person who made it (core.people.author, the one rule for
every `created_by`): a command's report has no author; an anonymous visitor is refused,
never stored as a report with no name."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from cchc.dossiers.periods import parse_period
from cchc.reports import kinds
from cchc.reports.sources import draft_report

pytestmark = pytest.mark.django_db


def test_a_draft_is_made_by_a_person_or_by_the_system_never_by_nobody(cast):
    kind, period = kinds.kind_for("unit-quarterly"), parse_period("2023-Q1")
    assert draft_report(cast.dong_tam, kind, period, by=cast.officer).created_by == cast.officer
    assert draft_report(cast.dong_tam, kind, period, by=None).created_by is None
    with pytest.raises(PermissionDenied):
        draft_report(cast.dong_tam, kind, period, by=AnonymousUser())
