from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import CommandError, call_command

from cchc.plans.models import Plan, StaffingYear
from tests.plans.conftest import GOOD_ROWS, row, xlsx

pytestmark = pytest.mark.django_db


@time_machine.travel(dt.datetime(2023, 7, 1, 9, tzinfo=dt.UTC), tick=False)
def test_import_copy_and_due(cast, tmp_path, capsys):
    path = tmp_path / "ke-hoach.xlsx"
    path.write_bytes(xlsx(GOOD_ROWS))
    call_command(
        "plans", "import", str(path), "--unit", "local-DONGTAM", "--year", "2023",
        "--number", "63/KH-UBND", "--issued-on", "30/12/2022",
    )  # fmt: skip
    out = capsys.readouterr().out
    assert "2 mục tiêu, 3 nhiệm vụ, 3 hoạt động (đã ban hành)" in out
    call_command("plans", "due", "--unit", f"{cast.district.pk}")
    out = capsys.readouterr().out
    assert "2 quá hạn" in out and "Xã Đồng Tâm" in out
    assert "1.2" in out and "quá hạn 19 ngày" in out
    call_command("plans", "copy", "--unit", "local-DONGTAM", "--year", "2023")
    assert Plan.objects.get(year=2024).is_draft
    with pytest.raises(CommandError, match="đã có kế hoạch CCHC năm 2024"):
        call_command("plans", "copy", "--unit", "local-DONGTAM", "--year", "2023")


def test_a_bad_file_names_the_row_and_column(cast, tmp_path):
    path = tmp_path / "ke-hoach.xlsx"
    path.write_bytes(xlsx([row("1", "Mục tiêu", "1", due="Cả năm"), row("1.1", "X", due="sớm")]))
    with pytest.raises(CommandError) as error:
        call_command("plans", "import", str(path), "--unit", "local-DONGTAM", "--year", "2023")
    assert "dòng 3" in str(error.value) and "'thời hạn'" in str(error.value)
    assert not Plan.objects.exists()


def test_unknown_unit_and_missing_file(cast):
    with pytest.raises(CommandError, match="Không có đơn vị 'local-XX'"):
        call_command("plans", "copy", "--unit", "local-XX", "--year", "2023")
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        call_command("plans", "import", "/nope.xlsx", "--unit", "local-DONGTAM", "--year", "2023")


def test_staffing_import_and_print(cast, tmp_path, capsys):
    header = ["họ và tên", "chức vụ", "trình độ chuyên môn", "xếp loại"]
    rows = [[f"Cán bộ {i}", "", "Đại học", "Xuất sắc" if i < 4 else "Tốt"] for i in range(17)]
    path = tmp_path / "cb.xlsx"
    path.write_bytes(xlsx(rows, header=header))
    call_command("plans", "staffing-import", str(path), "--unit", "local-DONGTAM", "--year", "2022")
    assert StaffingYear.objects.get().members.count() == 17
    capsys.readouterr()
    call_command("plans", "staffing", "--unit", "local-DONGTAM", "--year", "2022")
    out = capsys.readouterr().out
    assert "hoàn thành xuất sắc nhiệm vụ 4 người (23,5%)" in out
    assert "hoàn thành tốt nhiệm vụ 13 người (76,5%)" in out
    with pytest.raises(CommandError, match="chưa có số liệu"):
        call_command("plans", "staffing", "--unit", "local-DONGTAM", "--year", "2021")


def test_coverage(cast, capsys):
    from cchc.plans import services

    services.inspection_create(
        organiser=cast.district,
        kind="inspection",
        year=2023,
        title="Kiểm tra",
        inspecting_body="Đoàn",
        start_on=dt.date(2023, 6, 1),
        end_on=dt.date(2023, 6, 1),
        targets=[cast.dong_tam],
    )
    call_command("plans", "coverage", "--unit", str(cast.district.pk), "--year", "2023")
    out = capsys.readouterr().out
    assert "1/2 (50%)" in out and "đạt 50%" in out  # seed 000 prints 100%, not 100,0%
