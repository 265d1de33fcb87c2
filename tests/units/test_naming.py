"""Issue 14, names: a unit's administrative type drives its name in documents."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from cchc.core.legal import legal_source, official_title
from cchc.units import naming


def unit(name, kind, admin_type=""):
    return SimpleNamespace(name=name, kind=kind, admin_type=admin_type)


@pytest.mark.parametrize(
    ("name", "kind", "authority", "party"),
    [
        ("Thành phố Hải Phòng", "province", "UBND thành phố Hải Phòng", "Thành ủy"),
        ("Tỉnh Hải Dương", "province", "UBND tỉnh Hải Dương", "Tỉnh ủy"),
        ("Thành phố Chí Linh", "district", "UBND thành phố Chí Linh", "Thành ủy"),
        ("Thị xã Kinh Môn", "district", "UBND thị xã Kinh Môn", "Thị ủy"),
        ("Huyện Ninh Giang", "district", "UBND huyện Ninh Giang", "Huyện ủy"),
        ("Xã Đồng Tâm", "commune", "UBND xã Đồng Tâm", ""),
        ("Đặc khu Bạch Long Vĩ", "special_zone", "UBND đặc khu Bạch Long Vĩ", ""),
        ("Sở Nội vụ", "department", "Sở Nội vụ", ""),
    ],
)
def test_authority_name_follows_the_type(name, kind, authority, party):
    assert naming.authority_name(unit(name, kind)) == authority
    assert naming.party_committee(unit(name, kind)) == party


def test_the_recorded_type_wins_over_the_name():
    hp = unit("Hải Phòng", "province", naming.CENTRAL_CITY)
    assert naming.authority_name(hp) == "UBND thành phố Hải Phòng"
    assert naming.council(hp) == "HĐND thành phố"


def test_internal_labels_never_reach_a_document():
    demo = (
        "Chỉ số CCHC năm 2022 của UBND các xã, thị trấn huyện Ninh Giang "
        "(Đồng Tâm theo báo cáo thật; các đơn vị khác minh họa)"
    )
    assert official_title(demo) == "Chỉ số CCHC năm 2022 của UBND các xã, thị trấn huyện Ninh Giang"
    assert legal_source("Seed 004") == ""
    assert (
        legal_source("Quyết định số 3395/QĐ-UBND (điểm tối đa theo seed 003)")
        == "Quyết định số 3395/QĐ-UBND"
    )


@pytest.mark.django_db
def test_loaded_units_carry_their_type():
    from cchc.units.models import Unit
    from cchc.units.services import units_load_province

    result = units_load_province(code="31")
    assert result.province.admin_type == naming.CENTRAL_CITY
    kinds = set(Unit.objects.filter(parent=result.province).values_list("admin_type", flat=True))
    assert kinds <= {naming.COMMUNE, naming.WARD, naming.SPECIAL_ZONE} and naming.WARD in kinds
