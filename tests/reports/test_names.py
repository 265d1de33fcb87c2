"""Issue 14, names in documents: 'UBND tỉnh Hải Phòng', 'Thường trực Tỉnh ủy' for a
centrally-run city and 'UBND huyện Chí Linh' for Thành phố Chí Linh were printed."""

from __future__ import annotations

import pytest

from cchc.reports import kinds
from cchc.reports.sources import FrameFields, frame_defaults, make_frame
from cchc.units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db


def test_a_centrally_run_city_is_a_city_in_every_line():
    city = Unit.objects.create(
        scheme="2025", code="31", name="Thành phố Hải Phòng", kind=UnitKind.PROVINCE
    )
    kind = next(k for k in kinds.KINDS if k.code == "province_annual")
    defaults = frame_defaults(city, kind)
    assert "Thường trực Thành ủy, HĐND thành phố" in defaults["recipients"]
    assert "Tỉnh ủy" not in defaults["recipients"]
    frame = make_frame(city, FrameFields(**defaults), year=2026)
    assert frame.full_name == "UBND thành phố Hải Phòng"
    assert frame.author == "UBND thành phố Hải Phòng"


def test_a_provincial_city_is_not_a_district():
    province = Unit.objects.create(
        scheme="2008", code="30", name="Tỉnh Hải Dương", kind=UnitKind.PROVINCE
    )
    chi_linh = Unit.objects.create(
        scheme="2008",
        code="290",
        name="Thành phố Chí Linh",
        kind=UnitKind.DISTRICT,
        parent=province,
    )
    kind = next(k for k in kinds.KINDS if k.code == "province_annual")
    frame = make_frame(chi_linh, FrameFields(**frame_defaults(chi_linh, kind)), year=2024)
    assert frame.full_name == "UBND thành phố Chí Linh"
    assert "Lãnh đạo UBND thành phố" in frame.recipients
