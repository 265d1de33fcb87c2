from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from cchc.units.permissions import can, get_unit_for, visible_units


@pytest.mark.django_db
def test_officer_sees_and_edits_only_their_commune(cast):
    assert can(cast.officer, "view", cast.dong_tam)
    assert can(cast.officer, "edit", cast.dong_tam)
    assert not can(cast.officer, "view", cast.thanh_xa)
    assert not can(cast.officer, "edit", cast.thanh_xa)
    assert not can(cast.officer, "submit", cast.dong_tam)
    assert set(visible_units(cast.officer)) == {cast.dong_tam}
    with pytest.raises(Http404):  # cannot see it: it does not exist for them
        get_unit_for(cast.officer, cast.thanh_xa.pk)


@pytest.mark.django_db
def test_head_submits_for_their_unit_only(cast):
    assert can(cast.head, "submit", cast.dong_tam)
    assert not can(cast.head, "submit", cast.thanh_xa)


@pytest.mark.django_db
def test_appraiser_sees_assigned_units_and_appraises_them(cast):
    assert can(cast.appraiser, "appraise", cast.dong_tam)
    assert can(cast.appraiser, "view", cast.thanh_xa)
    assert not can(cast.appraiser, "edit", cast.dong_tam)
    assert not can(cast.appraiser, "view", cast.district)
    assert not can(cast.officer, "appraise", cast.dong_tam)


@pytest.mark.django_db
def test_administrator_runs_their_subtree(cast):
    for unit in (cast.province, cast.district, cast.dong_tam, cast.department):
        assert can(cast.administrator, "administer", unit)
    assert visible_units(cast.administrator).count() == 5


@pytest.mark.django_db
def test_anonymous_sees_nothing(cast):
    assert not can(AnonymousUser(), "view", cast.dong_tam)
    assert visible_units(AnonymousUser()).count() == 0
