"""``cchc score``: spreadsheet in, ranked results out; errors name row and column."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from cchc.evaluations import batch
from cchc.evaluations.batch import BatchError, run
from cchc.frameworks.spec import load_framework

FRAMEWORKS = Path(__file__).resolve().parents[2] / "frameworks"
HD_PATH = FRAMEWORKS / "hd-xa-2022.yaml"
HD = load_framework(HD_PATH)
DEMO = load_framework(FRAMEWORKS / "minh-hoa-xa.yaml")
CODES = [str(i) for i in range(1, 11)]
DONG_TAM = ["11.84", "4.75", "16.62", "6", "11", "5", "10.19", "1.577", "11.49", "9.28"]
THANH_XA = ["14", "5", "17", "6", "11", "6", "11", "2", "13", "9.5"]  # 94.5
TIE = ["12", "4.75", "16.62", "6", "11", "5", "10.19", "1.577", "11.49", "9.28"]  # 87.907


def write_csv(tmp_path: Path, rows: list[list[str]], name: str = "scores.csv") -> Path:
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_json_shape_and_values(tmp_path):
    path = write_csv(
        tmp_path,
        [["unit", *CODES], ["Đồng Tâm", *DONG_TAM], ["Thanh Xá", *THANH_XA], ["Xã B", *TIE]],
    )
    out = json.loads(run(HD_PATH, path, "json"), parse_float=Decimal)
    assert [r["unit"] for r in out] == ["Thanh Xá", "Xã B", "Đồng Tâm"]
    dong_tam = out[2]
    assert dong_tam["score"] == Decimal("87.747")
    assert dong_tam["max"] == 100
    assert dong_tam["index"] == Decimal("87.75")
    assert (dong_tam["rank"], dong_tam["rank_of"]) == (3, 3)
    assert dong_tam["grade"] == "tot"
    assert dong_tam["components"]["1"] == {
        "score": Decimal("11.84"),
        "max": 15,
        "percent": Decimal("78.93"),
        "rank": 3,
        "rank_of": 3,
    }
    assert dong_tam["components"]["2"]["rank"] == 2  # 4.75 behind 5, tied with Xã B
    assert dong_tam["remediation"] == []
    assert out[0]["grade"] == "xuat_sac"
    assert "block" not in dong_tam


def test_blocks_and_decimal_comma(tmp_path):
    path = write_csv(
        tmp_path,
        [
            ["unit", "block", *CODES],
            ["Đồng Tâm", "xã", *[v.replace(".", ",") for v in DONG_TAM]],
            ["Phường A", "phường", *THANH_XA],
            ["Xã C", "xã", *THANH_XA],
        ],
    )
    out = json.loads(run(HD, path), parse_float=Decimal)
    assert [(r["block"], r["unit"], r["rank"], r["rank_of"]) for r in out] == [
        ("xã", "Xã C", 1, 2),
        ("xã", "Đồng Tâm", 2, 2),
        ("phường", "Phường A", 1, 1),
    ]
    assert out[1]["score"] == Decimal("87.747")


def test_node_columns_replace_subtrees(tmp_path):
    header = ["unit", "1", "2", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7", *CODES[3:]]
    row = [
        "Xã A",
        "11.84",
        "4.75",
        "3",
        "1",
        "4",
        "3",
        "3",
        "1.62",
        "1",
        "6",
        "11",
        "5",
        "10.19",
        "1.577",
        "11.49",
        "9.28",
    ]
    out = json.loads(run(DEMO, write_csv(tmp_path, [header, row])), parse_float=Decimal)
    assert out[0]["score"] == Decimal("87.747")
    assert out[0]["components"]["3"]["score"] == Decimal("16.62")


def test_alternative_columns_blank_cells(tmp_path):
    header = ["unit", "3", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7"]
    header += ["1", "2", *CODES[3:]]
    rest = ["11.84", "4.75", "6", "11", "5", "10.19", "1.577", "11.49", "9.28"]
    rows = [
        header,
        ["Xã A", "16.62", "", "", "", "", "", "", "", *rest],
        ["Xã B", "", "3", "1", "4", "3", "3", "1.62", "1", *rest],
    ]
    out = json.loads(run(DEMO, write_csv(tmp_path, rows)), parse_float=Decimal)
    assert [(r["unit"], r["rank"]) for r in out] == [("Xã A", 1), ("Xã B", 1)]


def problems(path, fw=HD):
    with pytest.raises(BatchError) as caught:
        run(fw, path)
    return [(p.row, p.column, p.message) for p in caught.value.problems]


def test_missing_column(tmp_path):
    path = write_csv(tmp_path, [["unit", *CODES[:-1]], ["Đồng Tâm", *DONG_TAM[:-1]]])
    assert problems(path) == [(1, "10", batch.ERR_MISSING_COLUMN)]


def test_unknown_column(tmp_path):
    path = write_csv(tmp_path, [["unit", *CODES, "11"], ["Đồng Tâm", *DONG_TAM, "1"]])
    assert problems(path) == [(1, "11", batch.ERR_UNKNOWN_COLUMN)]


def test_cell_errors_name_row_and_column(tmp_path):
    bad_number = list(THANH_XA)
    bad_number[6] = "mười"
    above = list(DONG_TAM)
    above[0] = "15.5"
    negative = list(DONG_TAM)
    negative[2] = "-1"
    empty = list(DONG_TAM)
    empty[8] = ""
    path = write_csv(
        tmp_path,
        [
            ["unit", *CODES],
            ["Đồng Tâm", *DONG_TAM],
            ["Thanh Xá", *bad_number],
            ["Xã A", *above],
            ["Xã B", *negative],
            ["Xã C", *empty],
            ["", *DONG_TAM],
            ["Đồng Tâm", *DONG_TAM],
        ],
    )
    found = problems(path)
    assert [(row, column) for row, column, _ in found] == [
        (3, "7"),
        (4, "1"),
        (5, "3"),
        (6, "9"),
        (7, "unit"),
        (8, "unit"),
    ]
    assert "mười" in found[0][2]
    assert found[1][2] == "điểm 15,5 vượt điểm tối đa 15"
    with pytest.raises(BatchError) as caught:
        run(HD, path)
    assert "dòng 4, cột 1: điểm 15,5 vượt điểm tối đa 15" in str(caught.value)


def test_node_and_child_both_filled(tmp_path):
    header = ["unit", "3", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7", "1", "2", *CODES[3:]]
    rest = ["11.84", "4.75", "6", "11", "5", "10.19", "1.577", "11.49", "9.28"]
    rows = [header, ["Xã A", "16.62", "3", "", "", "", "", "", "", *rest]]
    assert problems(write_csv(tmp_path, rows), DEMO) == [
        (2, "3.1", batch.ERR_OVERLAP.format(other="3"))
    ]


def test_header_must_start_with_unit(tmp_path):
    assert problems(write_csv(tmp_path, [["xa", *CODES]]))[0][:2] == (1, "xa")


def test_no_rows(tmp_path):
    assert problems(write_csv(tmp_path, [["unit", *CODES]])) == [(2, None, batch.ERR_NO_ROWS)]


def test_xlsx_in_csv_and_xlsx_out(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["unit", *CODES])
    sheet.append(["Đồng Tâm", *[float(v) for v in DONG_TAM]])
    sheet.append(["Thanh Xá", *[float(v) for v in THANH_XA]])
    path = tmp_path / "scores.xlsx"
    book.save(path)

    text = run(HD, path, "csv")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:8] == ["rank", "rank_of", "unit", "score", "max", "index", "grade", "1"]
    assert rows[2][:8] == ["2", "2", "Đồng Tâm", "87.747", "100", "87.75", "tot", "11.84"]
    assert rows[2][8:11] == ["78.93", "2", "2"]

    data = run(HD, path, "xlsx")
    assert isinstance(data, bytes)
    out = load_workbook(io.BytesIO(data)).active
    values = list(out.iter_rows(values_only=True))
    assert values[2][2] == "Đồng Tâm"
    assert Decimal(str(values[2][3])) == Decimal("87.747")


def test_unknown_format(tmp_path):
    with pytest.raises(ValueError):
        run(HD, write_csv(tmp_path, [["unit", *CODES], ["A", *DONG_TAM]]), "pdf")


def _json_per_value(value, indent=0):
    """The writer `cchc score` used before issue 18 (one json.dumps per value), kept here as
    the reference: the one-call serializer must write the same bytes."""
    pad = "  " * (indent + 1)
    end = "  " * indent
    if isinstance(value, Decimal):
        return batch.plain_number(value)
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = ",\n".join(
            f"{pad}{json.dumps(str(k), ensure_ascii=False)}: {_json_per_value(v, indent + 1)}"
            for k, v in value.items()
        )
        return "{\n" + inner + "\n" + end + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        inner = ",\n".join(pad + _json_per_value(v, indent + 1) for v in value)
        return "[\n" + inner + "\n" + end + "]"
    return json.dumps(value, ensure_ascii=False)


@pytest.mark.parametrize("with_block", [False, True])
def test_json_is_byte_identical_to_the_per_value_writer(tmp_path, with_block):
    names = [
        "Đồng Tâm",
        'Xã "Ngoặc" \\ kép',
        "Xã\x01điều khiển\x7f",
        "Phường\u2028dòng 😀",
        "Thị trấn/Đặc khu",
    ]
    rows = [["unit", *(["block"] if with_block else []), *CODES]]
    for n, name in enumerate(names):
        scores = [
            DONG_TAM,
            THANH_XA,
            TIE,
            ["0"] * 10,
            ["14", "5", "17", "6", "11", "6", "11", "2", "13", "9.500"],
        ][n]
        rows.append([name, *([f"Khối {n % 2}"] if with_block else []), *scores])
    path = write_csv(tmp_path, rows)
    fw = HD
    results = batch.score_file(fw, path)
    expected = _json_per_value(batch.result_rows(fw, results)) + "\n"
    assert batch.to_json(fw, results) == expected
    assert run(HD_PATH, path, "json") == expected


@pytest.mark.parametrize(
    ("cell", "number"),
    [
        ("11.84", Decimal("11.84")),
        (" 6 ", Decimal("6")),
        ("11,84", Decimal("11.84")),  # Vietnamese decimal comma
        ("1 000", Decimal("1000")),
        ("\u00a04.75", Decimal("4.75")),
        ("6.00", Decimal("6.00")),  # the form given is kept
        ("", None),
        ("   ", None),
        (None, None),
        (7, Decimal("7")),
    ],
)
def test_a_cell_is_read_as_a_number_in_every_form_a_scores_file_holds(cell, number):
    read = batch._cell_number(cell)
    assert read == number
    assert str(read) == str(number)


@pytest.mark.parametrize("cell", ["mười", "NaN", "Infinity", "-inf", "1,2,3", True])
def test_a_cell_that_is_no_finite_number_is_refused(cell):
    with pytest.raises(ValueError):
        batch._cell_number(cell)
