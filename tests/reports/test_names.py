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


def _city_with_district():
    # The 2025 data names a centrally-run city without its type word; the type is data.
    city = Unit.objects.create(
        scheme="2025",
        code="31",
        name="Hải Phòng",
        kind=UnitKind.PROVINCE,
        admin_type="thành phố trực thuộc trung ương",
    )
    district = Unit.objects.create(
        scheme="2008", code="299", name="Huyện Ninh Giang", kind=UnitKind.DISTRICT, parent=city
    )
    return city, district


def test_the_district_form_names_its_receiver_by_the_parent_type():
    from cchc.dossiers.periods import parse_period
    from cchc.reports.sources import Inputs, gather

    _, district = _city_with_district()
    kind = next(k for k in kinds.KINDS if k.code == "tt01_form")
    data = gather(Inputs(kind=kind, unit=district, period=parse_period("2023-Q1")))
    assert data.receiver == "UBND thành phố Hải Phòng"


def test_the_district_recipients_name_the_parent_by_its_type():
    _, district = _city_with_district()
    kind = next(k for k in kinds.KINDS if k.code == "unit_quarterly")
    recipients = frame_defaults(district, kind)["recipients"]
    assert "UBND thành phố Hải Phòng (để báo cáo)" in recipients
    assert "UBND Hải Phòng" not in recipients
