"""`cchc dossiers …`: stats from a file or from the database, import, catalogue, calendar."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from cchc.dossiers.models import Dossier, Procedure
from tests.dossiers.test_import import FIXTURE, seed002_catalogue

pytestmark = pytest.mark.django_db
FROZEN = dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC)
# Seed 002's notice covers reporting months 1–8 of 2023 (tests/dossiers/test_stats.py).
SEED002 = ["--from", "2022-12-15", "--to", "2023-08-14"]


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("dossiers", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@time_machine.travel(FROZEN, tick=False)
def test_seed002_from_the_file_and_from_the_database_are_identical(cast):
    from_file = json.loads(run("stats", str(FIXTURE), *SEED002))
    assert from_file["received"] == {"truc_tiep": 150, "truc_tuyen": 1127, "buu_chinh": 0,
                                     "total": 1277}  # fmt: skip
    assert from_file["rates"]["online"] == 88.25
    assert from_file["resolved"] == {"early": 1269, "on_time": 5, "late": 0, "total": 1274}
    assert from_file["pending"] == {"in_time": 3, "overdue": 0, "total": 3}
    assert from_file["carried_over"] == 0
    seed002_catalogue(cast.district)
    output = run("import", str(FIXTURE))
    assert "1277 hồ sơ mới" in output
    assert Dossier.objects.count() == 1277
    from_db = json.loads(run("stats", "thanh-xa", *SEED002))
    assert from_db == from_file
    # the same as a standard period, and through the district (the unit and all under it)
    assert json.loads(run("stats", "local-thanh-xa", "--period", "2023-M08")) == json.loads(
        run("stats", str(FIXTURE), "--from", "2023-07-15", "--to", "2023-08-14")
    )
    district = json.loads(run("stats", "2008-299", *SEED002))
    assert district["received"] == from_file["received"] and district["unit"] == "299"
    by_unit = json.loads(run("stats", "2008-299", *SEED002, "--by", "unit"))
    assert [row["unit"] for row in by_unit] == ["299", "DONGTAM", "THANHXA", "thanh-xa",
                                                "Tổng cộng"]  # fmt: skip
    assert by_unit[3] == from_file


@time_machine.travel(FROZEN, tick=False)
def test_csv_and_xlsx_outputs(cast, tmp_path):
    text = run("stats", str(FIXTURE), *SEED002, "--format", "csv", "--by", "unit")
    lines = text.splitlines()
    assert lines[0].startswith("unit,carried_over,received_truc_tiep")
    assert lines[1].split(",")[:6] == ["thanh-xa", "0", "150", "1127", "0", "1277"]
    assert "88.25" in lines[1]
    out = tmp_path / "bieu06.xlsx"
    run("stats", str(FIXTURE), *SEED002, "--format", "xlsx", "--output", str(out))
    book = load_workbook(out)
    values = [c for row in book.active.iter_rows(values_only=True) for c in row if c is not None]
    assert 1277 in values and 1127 in values
    with pytest.raises(CommandError, match="--output"):
        run("stats", str(FIXTURE), *SEED002, "--format", "xlsx")


def test_errors(cast, tmp_path):
    with pytest.raises(CommandError, match="Không có tệp hoặc mã đơn vị"):
        run("stats", "khong-co", *SEED002)
    with pytest.raises(CommandError, match="--from"):
        run("stats", str(FIXTURE))
    with pytest.raises(CommandError, match="không hợp lệ"):
        run("stats", str(FIXTURE), "--from", "2023-13-01", "--to", "2023-12-01")
    bad = tmp_path / "bad.csv"
    bad.write_text("code,unit\n1,2\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Thiếu cột"):
        run("import", str(bad))
    with pytest.raises(CommandError, match="Thiếu cột bắt buộc"):
        run("stats", str(bad), *SEED002)


def test_procedures_import_export_and_calendar(cast, tmp_path):
    catalogue = tmp_path / "dm.csv"
    catalogue.write_text(
        "code,name,field,processing_days,online_class\n1.001193,Khai sinh,Hộ tịch,1,full\n",
        encoding="utf-8",
    )
    assert "1 thủ tục mới" in run("procedures", "import", str(catalogue))
    assert Procedure.objects.get().processing_days == 1
    exported = tmp_path / "out.xlsx"
    assert "Đã xuất 1 thủ tục" in run("procedures", "export", str(exported))
    assert load_workbook(exported).active.cell(2, 1).value == "1.001193"
    csv_out = tmp_path / "out.csv"
    run("procedures", "export", str(csv_out))
    assert "0 thủ tục mới, 0 cập nhật, 1 không đổi" in run("procedures", "import", str(csv_out))
    calendar = run("calendar", "--year", "2025")
    assert "26/4/2025" in calendar and "làm bù" in calendar
    assert "29/01/2025" in calendar and "Tết Nguyên Đán" in calendar
    assert "02/9/2025" in calendar
    assert Path(csv_out).exists()
