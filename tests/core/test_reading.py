"""The one reader with limits (core/reading.py), on the hostile files of issue 13.

Each bomb is built small on disk (tests/core/bombs.py) and must be refused within seconds
and under 200 MB: memory is measured in a fresh process (its peak resident size after the
read minus before), so nothing else of the test run hides it.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cchc.core import reading
from cchc.core.reading import Limits, TableErrors
from cchc.core.tabular import iter_rows
from tests.core import bombs

ROOT = Path(__file__).resolve().parents[2]
MB = 1 << 20


@pytest.fixture(scope="session")
def bomb_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bombs")
    columns = ["code", "unit", "procedure", "channel", "received_at"]
    bombs.claimed_range(folder / "claimed-range.xlsx", columns)
    bombs.expanded_rows(folder / "expanded-rows.xlsx", columns)
    bombs.huge_cell(folder / "huge-cell.xlsx", columns)
    bombs.wide_header(folder / "wide-header.csv")
    return folder


def test_the_bombs_are_small_on_disk(bomb_dir):
    for path in bomb_dir.iterdir():
        assert path.stat().st_size < 8 * MB, path


MEASURE = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
import django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
django.setup()
from cchc.core.reading import TableErrors
{setup}
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
message = None
try:
{call}
except TableErrors as error:
    message = str(error)
seconds = time.perf_counter() - started
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"message": message, "seconds": seconds, "kb": after - before}}))
"""

READERS = {
    "core": ("from cchc.core.tabular import iter_rows", "    list(iter_rows(PATH)[1])"),
    "dossiers": (
        "from cchc.dossiers import imports as I\n"
        "from cchc.dossiers.imports import CsvFile, xlsx_records",
        "    if PATH.endswith('.csv'):\n"
        "        with open(PATH, 'rb') as h:\n"
        "            f = CsvFile(h, PATH)\n"
        "            for _ in f.batches(): pass\n"
        "    else:\n"
        "        for _ in xlsx_records(PATH, PATH): pass",
    ),
    "score": (
        "from cchc.evaluations import batch",
        "    try:\n"
        "        batch.read_table(PATH)\n"
        "    except batch.BatchError as error:\n"
        "        raise TableErrors(str(error.problems[0]), [])",
    ),
    "dossier_rows": (
        "from cchc.dossiers.rows import read_rows, RowErrors",
        "    try:\n"
        "        list(read_rows(PATH))\n"
        "    except RowErrors as error:\n"
        "        raise TableErrors(str(error), [])",
    ),
}


def measure(reader: str, path: Path) -> dict:
    setup, call = READERS[reader]
    script = MEASURE.format(
        root=str(ROOT / "src"), setup=setup + f"\nPATH = {str(path)!r}", call=call
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("reader", list(READERS))
@pytest.mark.parametrize(
    ("bomb", "expected"),
    [
        ("claimed-range.xlsx", None),  # two real rows: read, not padded to 16,384 × 1,048,576
        ("expanded-rows.xlsx", "giải nén lớn hơn"),
        ("huge-cell.xlsx", "giải nén lớn hơn"),
        ("wide-header.csv", "cột"),
    ],
)
def test_a_bomb_is_refused_within_seconds_and_200_mb(bomb_dir, reader, bomb, expected):
    outcome = measure(reader, bomb_dir / bomb)
    assert outcome["seconds"] < 10, outcome
    assert outcome["kb"] < 200 * 1024, outcome
    if expected is not None:
        assert outcome["message"] is not None and expected in outcome["message"], outcome


def test_the_claimed_range_is_ignored(bomb_dir):
    rows = list(reading.xlsx_rows(bomb_dir / "claimed-range.xlsx"))
    # the header and the real row; the styled empty cell of row 1,048,576 is no data
    assert [number for number, _ in rows] == [1, 2]
    assert rows[1][1] == ("x",) * 5


def test_the_limits_are_named_in_vietnamese(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text("a,b\n" + "1,2\n" * 11, encoding="utf-8")
    with pytest.raises(TableErrors) as error:
        list(reading.csv_table(path, limit=Limits(max_rows=10)).records)
    assert error.value.errors[0].message == "Tệp có hơn 10 dòng (giới hạn CCHC_FILE_MAX_ROWS)."
    limit = Limits(max_rows=1_048_576)
    assert "Tệp có hơn 1.048.576 dòng" in reading._too_many_rows(limit)


def test_limits_come_from_settings(settings):
    settings.CCHC_FILE_LIMITS = {**settings.CCHC_FILE_LIMITS, "max_rows": 3}
    _, rows = iter_rows(io.BytesIO(b"a,b\n1,2\n3,4\n5,6\n7,8\n"), "x.csv")
    with pytest.raises(TableErrors, match="hơn 3 dòng"):
        list(rows)


def test_a_bad_limit_setting_fails_loudly(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from cchc.settings import env_int

    monkeypatch.setenv("CCHC_FILE_MAX_ROWS", "nhiều")
    with pytest.raises(ImproperlyConfigured, match="CCHC_FILE_MAX_ROWS"):
        env_int("CCHC_FILE_MAX_ROWS", 1)


# -- named errors ---------------------------------------------------------------------------


def refused(data: bytes, name: str = "x.csv") -> reading.RowError:
    with pytest.raises(TableErrors) as error:
        _, rows = iter_rows(io.BytesIO(data), name)
        list(rows)
    assert len(error.value.errors) == 1
    return error.value.errors[0]


def test_a_cell_over_the_limit_is_named_with_its_row():
    error = refused(b"code,name\n1,ok\n2," + b"x" * 200_000 + b"\n")
    assert error.row == 3
    assert "Ô dài hơn 32.767 ký tự" in error.message


def test_an_unclosed_quote_is_named_with_its_row():
    error = refused(b'code,name\n1,ok\n2,"Nguy\xe1\xbb\x85n\n3,ok\n')
    assert error.row == 3
    assert "ngoặc kép" in error.message


def test_a_misplaced_quote_is_named_with_its_row():
    error = refused(b'code,name\n1,"ab"c\n')
    assert error.row == 2
    assert "ngoặc kép" in error.message


def test_extra_columns_are_named_with_row_and_column():
    error = refused(b"code,name\n1,ok\n2,ok,surprise\n")
    assert (error.row, error.column, error.value) == (3, "3", "surprise")
    assert "nhiều hơn 2 cột" in error.message


def test_an_empty_trailing_field_is_not_an_extra_column():
    _, rows = iter_rows(io.BytesIO(b"code,name\n1,ok,\n"), "x.csv")
    assert list(rows) == [(2, {"code": "1", "name": "ok"})]


def cp1258(text: str) -> bytes:
    """Text as Windows-1258 writes it: letters with their hat, tones as combining marks."""
    import unicodedata

    out = b""
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            out += unicodedata.normalize("NFC", parts[:-1]).encode("cp1258")
            out += parts[-1].encode("cp1258")
    return out


@pytest.mark.parametrize(
    ("data", "named"),
    [
        (cp1258("mã,tên\n1,Nguyễn Văn Ánh\n"), "Windows-1258"),
        ("mã,tên\n1,Nguyễn\n".encode("utf-16"), "UTF-16"),
        (b"\xef\xbb\xbf" + "mã,tên\n1,Nguyễn\n".encode(), None),  # UTF-8 with BOM: read
        (cp1258("code,name\n1,Nguyễn Văn Ánh\n"), "Windows-1258"),  # bad in row 2
    ],
)
def test_the_encoding_is_detected_and_named(data, named):
    if named is None:
        header, rows = iter_rows(io.BytesIO(data), "x.csv")
        assert header == ["mã", "tên"] and list(rows) == [(2, {"mã": "1", "tên": "Nguyễn"})]
        return
    error = refused(data)
    assert named in error.message and "UTF-8" in error.message


def test_values_in_messages_are_cut_to_an_excerpt():
    error = refused(b"code,name\n1,ok\n2,ok," + b"y" * 10_000 + b"\n")
    assert error.value == "y" * 80 + "…"
    assert len(str(error)) < 300


def test_an_xlsx_with_too_many_sheets_is_refused(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    for i in range(5):
        book.create_sheet(f"s{i}")
    book.save(tmp_path / "many.xlsx")
    with pytest.raises(TableErrors, match="hơn 3 trang tính"):
        list(reading.xlsx_rows(tmp_path / "many.xlsx", limit=Limits(max_sheets=3)))


def test_an_xlsx_row_wider_than_the_limit_is_refused(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append([f"c{i}" for i in range(30)])
    book.save(tmp_path / "wide.xlsx")
    with pytest.raises(TableErrors, match="hơn 20 cột"):
        list(reading.xlsx_rows(tmp_path / "wide.xlsx", limit=Limits(max_columns=20)))


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(b"a\n" + b"1\n" * 1000)
    started = time.perf_counter()
    with pytest.raises(TableErrors, match="CCHC_FILE_MAX_BYTES"):
        reading.csv_table(path, limit=Limits(max_bytes=100))
    assert time.perf_counter() - started < 1


def test_not_a_zip_is_named(tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"<html>not a workbook</html>")
    with pytest.raises(TableErrors, match="không phải tệp zip"):
        list(reading.xlsx_rows(path))
