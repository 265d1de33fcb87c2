"""The dossier table of a report on a portrait A4 page (ND 30/2020 margins: 160 mm of text):
TT 8 mm, the label 35,5 mm, each number column 14–15,5 mm, in DOCX and PDF alike, and no
number broken across lines even at a district's size (seed 004: 22.725 dossiers)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from docx import Document

from cchc.documents.document import AdministrativeDocument, PageLayout
from cchc.documents.docx_writer import docx_bytes
from cchc.documents.pdf_writer import pdf_bytes, render_html
from cchc.dossiers.stats import UnitStats
from cchc.reports.builders.dossier_section import DossierFigures, dossier_table

WIDTHS_MM = [8.0, 35.5, 14.5, 14.5, 14.5, 14.5, 15.5, 14.5, 14.5, 14.0]
BIG = UnitStats(
    "Xã Hà Kỳ",
    carried_over=1_204,
    received_truc_tiep=9_876,
    received_truc_tuyen=12_849,
    resolved_early=20_500,
    resolved_on_time=2_104,
    resolved_late=6,
    pending_in_time=1_300,
    pending_overdue=19,
)


def _document() -> AdministrativeDocument:
    fig = DossierFigures(
        stats=sum([BIG, BIG], UnitStats("Tổng")),
        period_range="từ ngày 15/12/2020 đến ngày 14/12/2021",
        rows=[("Xã Hà Kỳ", BIG), ("Thị trấn Tứ Kỳ", BIG)],
        row_heading="Đơn vị",
    )
    table = dossier_table(fig, caption="Bảng 1. Kết quả giải quyết TTHC")
    assert table is not None
    return AdministrativeDocument(
        issuer=("UBND HUYỆN TỨ KỲ",), kind="BÁO CÁO", title=("Thử",), body=(table,), place="Tứ Kỳ"
    )


def test_portrait_text_width_is_160_mm():
    assert PageLayout().text_width_mm == 160.0
    assert sum(WIDTHS_MM) == 160.0


def test_docx_columns_have_the_widths_in_mm():
    tables = Document(io.BytesIO(docx_bytes(_document()))).tables
    table = next(t for t in tables if len(t.columns) == len(WIDTHS_MM))
    widths = [round(cell.width.mm, 1) for cell in table.rows[-1].cells]
    assert widths == WIDTHS_MM


def test_pdf_columns_have_the_widths_in_mm():
    html = render_html(_document())
    shares = [float(x) for x in re.findall(r'<col style="width: ([\d.]+)%">', html)]
    assert [round(160 * s / 100, 1) for s in shares] == WIDTHS_MM


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_no_number_breaks_across_lines(tmp_path):
    path = tmp_path / "t.pdf"
    path.write_bytes(pdf_bytes(_document()))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    words = text.split()
    table = _document().body[0]
    numbers = {t for row in [*table.body_texts(), table.totals_texts()] for t in row[2:]}
    assert "47.858" in numbers  # received in all: twice a district's size (seed 004: 22.725)
    assert numbers - set(words) == set()
