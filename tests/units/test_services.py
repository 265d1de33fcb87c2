from __future__ import annotations

import io

import pytest

from cchc.core.tabular import TableErrors
from cchc.units import services
from cchc.units.models import Unit, UnitKind


@pytest.mark.django_db
def test_load_province_brings_hai_phong_and_its_communes_once():
    first = services.units_load_province(code="31")
    assert first.province.name == "Thành phố Hải Phòng"
    communes = Unit.objects.filter(parent=first.province)
    # Since 1/7/2025: 45 wards, 67 communes, 2 special zones (vietnam-provinces data).
    assert communes.filter(kind=UnitKind.WARD).count() == 45
    assert communes.filter(kind=UnitKind.SPECIAL_ZONE).count() == 2
    assert communes.count() == 114
    again = services.units_load_province(code="31")
    assert again.created == 0
    assert Unit.objects.filter(parent=first.province).count() == 114


@pytest.mark.django_db
def test_unknown_province_code_is_refused_with_the_valid_codes():
    with pytest.raises(services.ProvinceNotFound) as error:
        services.units_load_province(code="99")
    assert "'99'" in str(error.value)
    assert "31" in str(error.value)
    assert not Unit.objects.exists()


CSV_OK = """scheme,code,name,kind,parent_scheme,parent_code,valid_from,valid_to
2008,30,Tỉnh Hải Dương,province,,,2008-01-01,2025-06-30
2008,299,Huyện Ninh Giang,district,2008,30,,30/06/2025
local,DT,Xã Đồng Tâm,commune,2008,299,,2025-06-30
"""


@pytest.mark.django_db
def test_import_places_children_under_parents_even_out_of_order():
    text = "\n".join([CSV_OK.splitlines()[0], *reversed(CSV_OK.strip().splitlines()[1:])])
    count = services.units_import(source=io.BytesIO(text.encode()), filename="units.csv")
    assert count == 3
    commune = Unit.objects.get(code="DT")
    assert [u.name for u in commune.ancestors()] == ["Tỉnh Hải Dương", "Huyện Ninh Giang"]
    assert commune.valid_to.isoformat() == "2025-06-30"


@pytest.mark.django_db
def test_malformed_csv_names_file_row_and_field_and_imports_nothing():
    text = (
        "scheme,code,name,kind,parent_scheme,parent_code,valid_from,valid_to\n"
        "2008,30,Tỉnh Hải Dương,province,,,2008-01-01,2025-06-30\n"
        "2008,299,Huyện Ninh Giang,huyen,2008,30,,\n"
        "local,DT,Xã Đồng Tâm,commune,2008,999,2025-13-01,\n"
    )
    with pytest.raises(TableErrors) as caught:
        services.units_import(source=io.BytesIO(text.encode()), filename="don-vi.csv")
    errors = caught.value.errors
    where = {(e.row, e.column) for e in errors}
    assert (3, "kind") in where
    assert (4, "valid_from") in where
    assert (4, "parent_code") in where
    assert "don-vi.csv" in str(caught.value)
    assert not Unit.objects.exists()


@pytest.mark.django_db
def test_missing_column_is_named():
    with pytest.raises(TableErrors) as caught:
        services.units_import(source=io.BytesIO(b"code,name\nA,B\n"), filename="x.csv")
    assert [(e.row, e.column) for e in caught.value.errors] == [(1, "kind")]


@pytest.mark.django_db
def test_xlsx_import(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["code", "name", "kind"])
    sheet.append(["SNV", "Sở Nội vụ", "department"])
    path = tmp_path / "units.xlsx"
    book.save(path)
    assert services.units_import(source=path) == 1
    assert Unit.objects.get(code="SNV").scheme == "local"


@pytest.mark.django_db
def test_unit_changes_are_kept_in_history(cast):
    unit = cast.dong_tam
    unit.name = "Xã Đồng Tâm (mới)"
    unit._change_reason = "đổi tên"
    unit.save()
    latest = unit.history.first()
    assert latest.name == "Xã Đồng Tâm (mới)"
    assert latest.prev_record.name == "Xã Đồng Tâm"
    assert latest.history_change_reason == "đổi tên"
