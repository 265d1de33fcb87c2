"""Every CSV and XLSX export escapes formula-like cells (OWASP's rule, issue 13): text
starting with = + - @ tab or CR is written with a leading quote, and XLSX cells are text,
never formulas; numbers stay numbers."""

from __future__ import annotations

import ast
import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from cchc.core.tabular import csv_writer, safe_value, workbook_bytes
from tests.evaluations.test_commands import CODES, HD_YAML, NINH_GIANG_2022

SRC = Path(__file__).resolve().parents[2] / "src" / "cchc"
EVIL = '=HYPERLINK("http://x","Nguyễn A")'


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (EVIL, "'" + EVIL),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Nguyễn A", "Nguyễn A"),
        ("-5", "-5"),  # the text of a negative number is a number
        ("-1.25", "-1.25"),
        (-5, -5),
        (Decimal("-1.5"), Decimal("-1.5")),
        (None, None),
    ],
)
def test_safe_value(value, written):
    assert safe_value(value) == written


def test_a_workbook_never_holds_a_formula_from_data():
    book = Workbook()
    book.active.append([EVIL, -5, "-5", "ok"])
    sheet = load_workbook(io.BytesIO(workbook_bytes(book))).active
    cells = list(sheet.iter_rows(values_only=False))[0]
    assert cells[0].value == "'" + EVIL and cells[0].data_type == "s"
    assert cells[1].value == -5 and cells[1].data_type == "n"
    assert cells[2].value == "-5"


def test_csv_writer_escapes():
    buffer = io.StringIO()
    csv_writer(buffer).writerow([EVIL, -3, "x"])
    assert next(csv.reader(io.StringIO(buffer.getvalue()))) == ["'" + EVIL, "-3", "x"]


@pytest.mark.django_db
def test_the_staffing_workbook_escapes_a_hostile_name(cast, client):
    from cchc.plans import services

    staffing = services.staffing_save(
        unit=cast.dong_tam, year=2022, positions_allotted=2, positions_filled=1
    )
    services.staff_member_save(staffing=staffing, full_name=EVIL, position="@chủ tịch")
    client.force_login(cast.officer)
    response = client.get(f"/plans/staffing/units/{cast.dong_tam.pk}/2022/?format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    row = [c for c in next(sheet.iter_rows(min_row=2, max_row=2))]
    assert row[0].value == "'" + EVIL and row[0].data_type == "s"
    assert row[1].value == "'@chủ tịch"


@pytest.fixture
def hostile_scores(tmp_path) -> Path:
    lines = NINH_GIANG_2022.splitlines()
    unit = lines[0].split(",")[0]
    lines[0] = lines[0].replace(unit, EVIL.replace('"', '""').join('""'), 1)
    path = tmp_path / "scores.csv"
    path.write_text("unit," + ",".join(CODES) + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_cchc_score_csv_escapes_unit_names(hostile_scores):
    out = io.StringIO()
    call_command("score", HD_YAML, str(hostile_scores), "--format", "csv", stdout=out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    units = [r[rows[0].index("unit")] for r in rows[1:]]
    assert "'" + EVIL in units
    assert not any(u.startswith("=") for u in units)
    scores = [r[rows[0].index("score")] for r in rows[1:]]
    assert all(re.fullmatch(r"\d+(\.\d+)?", s) for s in scores)


def test_cchc_score_xlsx_has_no_formula(hostile_scores, tmp_path):
    target = tmp_path / "out.xlsx"
    call_command(
        "score",
        HD_YAML,
        str(hostile_scores),
        "--format",
        "xlsx",
        "-o",
        str(target),
        stdout=io.StringIO(),
    )
    sheet = load_workbook(target).active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in cells)
    assert any(c.value == "'" + EVIL for c in cells)
    numbers = [c for c in cells if isinstance(c.value, int | float)]
    assert numbers, "scores stay numbers"


# -- every export goes through the helpers ---------------------------------------------------

HELPERS = {"csv_writer", "csv_dict_writer", "workbook_bytes", "safe_row"}
WRITERS = re.compile(
    r"csv\.writer\(|csv\.DictWriter\(|\.write_csv\(|\.write_excel\(|\.to_csv\(|\.to_excel\("
)
# Written for a machine, not a spreadsheet: no person ever opens it.
NOT_EXPORTS = {"dossiers/imports/loading.py:_copy_csv"}  # the rows PostgreSQL's COPY reads
SAVE = re.compile(r"\b\w+\.save\((?!update_fields)")


def export_files() -> list[Path]:
    """Every source file that writes a CSV or builds an XLSX workbook."""
    found = []
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        uses_helper = re.search(r"\b(csv_writer|csv_dict_writer|workbook_bytes)\(", text)
        if WRITERS.search(text) or "Workbook(" in text or uses_helper:
            found.append(path)
    return found


def test_every_export_function_goes_through_the_helpers():
    files = export_files()
    assert len(files) >= 12  # the exports found in issue 13's audit, and the helper
    offenders = []
    for path in files:
        if path == SRC / "core" / "tabular.py":
            continue
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef):
                continue
            body = ast.get_source_segment(text, node) or ""
            if f"{path.relative_to(SRC)}:{node.name}" in NOT_EXPORTS:
                continue
            if "csv.writer(" in body or "csv.DictWriter(" in body or WRITERS.search(body):
                offenders.append(f"{path.relative_to(SRC)}:{node.name} writes CSV directly")
            if "Workbook(" in body and not (HELPERS & set(re.findall(r"\w+", body))):
                # built here: it must be saved through workbook_bytes (here or in a helper
                # of the same module that does)
                module_saves = "workbook_bytes(" in text
                if not module_saves:
                    offenders.append(f"{path.relative_to(SRC)}:{node.name} saves a workbook")
            for match in SAVE.finditer(body):
                line = (
                    body[: match.start()].rsplit("\n", 1)[-1] + body[match.start() :].split("\n")[0]
                )
                if "book" in line or "wb." in line:
                    offenders.append(f"{path.relative_to(SRC)}:{node.name}: {line.strip()}")
    assert offenders == []
