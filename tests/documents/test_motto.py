"""The national name and motto at the head of every document, checked on the rendered PDF
(and the DOCX): Nghị định 30/2020/NĐ-CP, Phụ lục I, mục II.1 — "CỘNG HÒA XÃ HỘI CHỦ NGHĨA
VIỆT NAM" in capitals, 12–13 pt, upright, bold; "Độc lập - Tự do - Hạnh phúc" 13–14 pt,
upright, bold; each on one line, in Times New Roman (or Tinos / Liberation Serif, the same
metrics), portrait and landscape alike."""

from __future__ import annotations

import io
import shutil
import subprocess
import unicodedata
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document

from cchc.documents import fonts
from cchc.documents.document import NATIONAL_MOTTO, NATIONAL_NAME
from cchc.documents.docx_writer import docx_bytes
from cchc.documents.pdf_writer import write_pdf
from cchc.reports.builders.common import LANDSCAPE

from .document_sample import sample_document

TIMES_LIKE = ("Tinos", "LiberationSerif", "TimesNewRoman")
NAME_PT = (Decimal(12), Decimal(13))
MOTTO_PT = (Decimal(13), Decimal(14))

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdffonts") is None,
    reason="needs poppler-utils",
)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@pytest.fixture(scope="module", params=["portrait", "landscape"])
def pdf_path(request, tmp_path_factory) -> Path:
    if not fonts.check_fonts().ok:
        pytest.skip(fonts.check_fonts().message)
    doc = sample_document()
    doc = replace(doc, body=doc.body[:2])  # the head is what is checked: no chart, fast
    if request.param == "landscape":
        doc = replace(doc, layout=LANDSCAPE)
    path = tmp_path_factory.mktemp("motto") / f"{request.param}.pdf"
    write_pdf(doc, path)
    return path


def _runs(path: Path) -> list[tuple[str, str, Decimal, float]]:
    """(text, font, size in pt, baseline y) of every text run on page 1."""
    from pypdf import PdfReader

    runs: list[tuple[str, str, Decimal, float]] = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            size = Decimal(str(round(font_size * tm[0] * cm[0], 2)))
            font = str((font_dict or {}).get("/BaseFont", "")).split("+")[-1]
            runs.append((_nfc(text.strip()), font, size, round(tm[5] * cm[3] + cm[5], 1)))

    PdfReader(str(path)).pages[0].extract_text(visitor_text=visit)
    return runs


@needs_poppler
def test_each_is_on_one_line(pdf_path):
    layout = subprocess.run(
        ["pdftotext", "-layout", "-f", "1", "-l", "1", str(pdf_path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    lines = [_nfc(line) for line in layout.splitlines()]
    assert any(NATIONAL_NAME in line for line in lines)
    assert any(NATIONAL_MOTTO in line for line in lines)


@needs_poppler
@pytest.mark.parametrize(("text", "sizes"), [(NATIONAL_NAME, NAME_PT), (NATIONAL_MOTTO, MOTTO_PT)])
def test_font_bold_upright_and_size(pdf_path, text, sizes):
    (run,) = [r for r in _runs(pdf_path) if r[0] == text]  # one run: one line
    _, font, size, _ = run
    assert font.startswith(TIMES_LIKE), font
    assert "Bold" in font and "Italic" not in font, font
    assert sizes[0] <= size <= sizes[1], size


@needs_poppler
def test_fonts_are_times_like_and_embedded(pdf_path):
    out = subprocess.run(["pdffonts", str(pdf_path)], capture_output=True, text=True).stdout
    rows = out.splitlines()[2:]
    assert rows
    for row in rows:
        assert row.split()[0].split("+")[-1].startswith(TIMES_LIKE), row
        assert " yes " in row  # embedded


def test_docx_motto_font_bold_and_size():
    doc = Document(io.BytesIO(docx_bytes(sample_document())))
    cell = doc.tables[0].rows[0].cells[1]
    runs = {p.text: p.runs[0] for p in cell.paragraphs if p.runs}
    name, motto = runs[NATIONAL_NAME], runs[NATIONAL_MOTTO]
    for run, sizes in ((name, NAME_PT), (motto, MOTTO_PT)):
        assert run.font.name == "Times New Roman"
        assert run.bold is True and not run.italic
        assert sizes[0] <= Decimal(str(run.font.size.pt)) <= sizes[1]
    assert motto.underline is True  # the line under the motto, as long as the motto
