"""The units import can only create, change or move units inside what the importer
administers (issue 12, finding 1: a district's administrator pulled Xã Tứ Kỳ of another
province under their district with one row)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.core.tabular import TableErrors
from cchc.units import roles as R
from cchc.units import services
from cchc.units.models import Unit, UnitKind
from cchc.units.permissions import PARENT_NOT_YOURS, UNIT_NOT_YOURS, can
from tests.conftest import PASSWORD

HEADER = "scheme,code,name,kind,parent_scheme,parent_code,valid_from\n"
# The exact row of the issue.
TAKEOVER_ROW = "2025,11074,Xã Tứ Kỳ (đổi tên),commune,2008,299,2025-07-01\n"


@pytest.fixture
def tu_ky(cast):
    hai_phong = Unit.objects.create(
        scheme="2025", code="31", name="Thành phố Hải Phòng", kind=UnitKind.PROVINCE
    )
    return Unit.objects.create(
        scheme="2025", code="11074", name="Xã Tứ Kỳ", kind=UnitKind.COMMUNE, parent=hai_phong
    )


@pytest.fixture
def district_admin(cast):
    """Like the demo's noivu.ninhgiang: administrator and appraiser of Huyện Ninh Giang."""
    return services.person_create(
        username="noivu.ninhgiang",
        password=PASSWORD,
        full_name="Phòng Nội vụ huyện Ninh Giang",
        unit=cast.district,
        roles=[R.ADMINISTRATOR, R.APPRAISER],
    )


def upload(text: str, name: str = "don-vi.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"))


@pytest.mark.django_db
def test_district_admin_cannot_pull_another_provinces_commune_under_their_district(
    cast, tu_ky, district_admin, client_for
):
    client = client_for(district_admin)
    response = client.post("/units/import/", {"file": upload(HEADER + TAKEOVER_ROW)}, follow=True)
    tu_ky.refresh_from_db()
    assert tu_ky.name == "Xã Tứ Kỳ"
    assert tu_ky.parent.code == "31"
    assert not can(district_admin, "view", tu_ky)
    html = response.content.decode()
    assert "dòng 2" in html
    assert "ngoài phạm vi bạn quản trị" in html


@pytest.mark.django_db
def test_service_refuses_moving_a_unit_the_person_does_not_administer(cast, tu_ky, district_admin):
    with pytest.raises(TableErrors) as error:
        services.units_import(
            source=upload(HEADER + TAKEOVER_ROW), filename="x.csv", by=district_admin
        )
    assert error.value.errors[0].message == UNIT_NOT_YOURS.format(unit=tu_ky)


@pytest.mark.django_db
def test_cannot_push_own_commune_out_of_the_subtree(cast, tu_ky, district_admin):
    row = "local,DONGTAM,Xã Đồng Tâm,commune,2025,31,\n"
    with pytest.raises(TableErrors) as error:
        services.units_import(source=upload(HEADER + row), filename="x.csv", by=district_admin)
    assert error.value.errors[0].message == PARENT_NOT_YOURS.format(parent=tu_ky.parent)
    cast.dong_tam.refresh_from_db()
    assert cast.dong_tam.parent == cast.district


@pytest.mark.django_db
def test_cannot_create_a_unit_under_someone_elses_parent_or_at_the_top(cast, tu_ky, district_admin):
    for row in ("local,NEW1,Xã Mới,commune,2025,31,\n", "local,NEW2,Tỉnh Mới,province,,,\n"):
        with pytest.raises(TableErrors):
            services.units_import(source=upload(HEADER + row), filename="x.csv", by=district_admin)
    assert not Unit.objects.filter(code__in=["NEW1", "NEW2"]).exists()


@pytest.mark.django_db
def test_cannot_move_a_unit_under_its_own_descendant(cast):
    row = "2008,299,Huyện Ninh Giang,district,local,DONGTAM,\n"
    with pytest.raises(TableErrors) as error:
        services.units_import(source=upload(HEADER + row), filename="x.csv", by=cast.administrator)
    assert "trực thuộc nó" in str(error.value)


@pytest.mark.django_db
def test_district_admin_may_rename_and_add_inside_their_district(cast, district_admin):
    rows = (
        "local,THANHXA,Xã Thanh Xá (mới),commune,2008,299,\n"
        "local,NEWX,Xã Mới,commune,2008,299,\n"
        "local,NEWY,Thôn Mới,commune,local,NEWX,\n"
    )
    count = services.units_import(source=upload(HEADER + rows), filename="x.csv", by=district_admin)
    assert count == 3
    assert Unit.objects.get(code="NEWY").path.startswith(cast.district.path)


@pytest.mark.django_db
def test_moving_a_unit_moves_its_subtree(cast):
    """Paths drive every permission check: a moved district's communes move with it."""
    other = Unit.objects.create(scheme="local", code="P2", name="Tỉnh Khác", kind="province")
    row = "2008,299,Huyện Ninh Giang,district,local,P2,\n"
    services.units_import(source=upload(HEADER + row), filename="x.csv")  # the operator
    cast.dong_tam.refresh_from_db()
    assert cast.dong_tam.path.startswith(other.path)
