"""Issue 15: a former district's Home Affairs office (its communes ended on 30/6/2025, in
the two-level reform) saw an empty report unit selector, "Đơn vị (0)" on the QĐ 766 page
and a ranking with nothing to rank: the pages listed only the units alive today. A unit's
pages list the units that existed in the period viewed."""

from __future__ import annotations

import datetime as dt

import pytest

from cchc.units import roles as R
from cchc.units.lifetime import existing_in, label, last_day
from cchc.units.models import Unit
from cchc.units.services import person_create
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
ENDED = dt.date(2025, 6, 30)


@pytest.fixture
def former(cast):
    """Ninh Giang and its communes ended on 30/6/2025; its office is still an account."""
    Unit.objects.filter(pk__in=[cast.district.pk, cast.dong_tam.pk, cast.thanh_xa.pk]).update(
        valid_from=dt.date(2008, 1, 1), valid_to=ENDED
    )
    office = person_create(
        username="noivu.ninhgiang",
        password=PASSWORD,
        full_name="Phòng Nội vụ huyện Ninh Giang",
        unit=Unit.objects.get(pk=cast.district.pk),
        roles=[R.ADMINISTRATOR, R.APPRAISER],
    )
    return office


def test_lifetime_rules(cast, former):
    units = Unit.objects.filter(pk__in=[cast.dong_tam.pk, cast.department.pk])
    assert set(existing_in(units, dt.date(2025, 6, 1), dt.date(2025, 7, 31))) == {
        cast.dong_tam,
        cast.department,
    }
    assert set(existing_in(units, dt.date(2025, 7, 1), dt.date(2025, 9, 30))) == {cast.department}
    dong_tam = Unit.objects.get(pk=cast.dong_tam.pk)
    assert last_day(dong_tam, dt.date(2026, 12, 6)) == ENDED
    assert last_day(cast.department, dt.date(2026, 12, 6)) == dt.date(2026, 12, 6)
    assert label(dong_tam) == "Xã Đồng Tâm (đến 30/6/2025)"


def test_report_unit_selector_lists_the_former_units(cast, former, client_for):
    html = client_for(former).get("/reports/").content.decode()
    assert "Huyện Ninh Giang (đến 30/6/2025)" in html
    assert "Xã Đồng Tâm (đến 30/6/2025)" in html
    assert f'<option value="{cast.district.pk}" selected>' in html


def test_index_home_lists_the_former_communes(cast, former, client_for):
    html = client_for(former).get("/service-index/").content.decode()
    assert "Đơn vị (0)" not in html
    assert "Đơn vị (2)" in html
    assert "Xã Đồng Tâm" in html and "đến 30/6/2025" in html


def test_ranking_of_a_former_district_opens_on_its_last_year(cast, former, client_for):
    html = client_for(former).get(f"/service-index/units/{cast.district.pk}/ranking/")
    html = html.content.decode()
    # The communes of the period viewed (the reporting year 2025, up to 30/6/2025) are
    # ranked, not an empty list of the units alive today.
    assert "Xã Đồng Tâm" in html and "Xã Thanh Xá" in html
    assert "30/6/2025" in html
    # A period after they ended: nobody to rank.
    later = client_for(former).get(
        f"/service-index/units/{cast.district.pk}/ranking/?start=2026-01-01&end=2026-03-31"
    )
    assert "Xã Đồng Tâm" not in later.content.decode()


def test_a_former_communes_index_opens_on_its_last_year(cast, former, client_for):
    html = client_for(former).get(f"/service-index/units/{cast.dong_tam.pk}/").content.decode()
    assert "30/6/2025" in html
