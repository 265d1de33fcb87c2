"""Every kind of report is generated from stored data in DOCX and PDF; the PDF's first page,
rendered to an image, is not blank, and its text (pdftotext) is the right Vietnamese."""

from __future__ import annotations

import io
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from docx import Document

from cchc.documents.document import plain_text
from cchc.dossiers.periods import parse_period
from cchc.reports import generate, kinds

pytestmark = pytest.mark.django_db

KINDS = [
    (
        "unit-quarterly",
        "dong_tam",
        "2023-Q1",
        "Kết quả thực hiện công tác cải cách hành chính quý I năm 2023",
    ),
    ("unit-half-year", "dong_tam", "2023-H1", "6 tháng đầu năm 2023"),
    ("unit-annual", "dong_tam", "2022", "và phương hướng, nhiệm vụ năm 2023"),
    ("province-annual", "district", "2022", "Tổng kết công tác cải cách hành chính năm 2022"),
    ("index-results", "district", "2022", "Kết quả Chỉ số CCHC cấp xã năm 2022"),
    (
        "self-inspection",
        "thanh_xa",
        "2023",
        "Kết quả tự kiểm tra công tác cải cách hành chính năm 2023",
    ),
    ("tt01-form", "dong_tam", "2023-Q1", "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"),
]


def _needs(tool: str) -> None:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} (poppler-utils) is not installed")


def _nfc(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


@pytest.fixture
def everything(cast, dossiers_q1, cycles, self_inspection, staffing):
    return cast


@pytest.mark.parametrize(("kind", "unit", "period", "title"), KINDS)
def test_each_kind_in_docx_and_pdf(everything, tmp_path, kind, unit, period, title):
    doc = generate.build(kinds.kind_for(kind), getattr(everything, unit), parse_period(period))
    assert title in plain_text(doc)

    docx = generate.render(doc, "docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(docx)).paragraphs)
    for table in Document(io.BytesIO(docx)).tables:
        text += "\n".join(c.text for row in table.rows for c in row.cells)
    assert title in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text

    pdf = generate.render(doc, "pdf")
    assert pdf[:5] == b"%PDF-"
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    _needs("pdftotext")
    extracted = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = _nfc(extracted)
    assert _nfc(title) in flat
    # Vietnamese letters survive the font: the motto and the issuer print exactly.
    assert "Độc lập - Tự do - Hạnh phúc" in flat
    assert "ỦY BAN NHÂN DÂN" in flat
    # and the report checker finds nothing that does not add up
    from cchc.reports.checker import check_file, render

    findings = check_file(path)
    assert findings == [], render(findings)


def test_pdf_first_page_is_not_blank(everything, tmp_path):
    _needs("pdftoppm")
    from PIL import Image

    doc = generate.build(
        kinds.kind_for("unit-quarterly"), everything.dong_tam, parse_period("2023-Q1")
    )
    path = tmp_path / "q1.pdf"
    path.write_bytes(generate.render(doc, "pdf"))
    subprocess.run(
        ["pdftoppm", "-r", "40", "-f", "1", "-l", "1", "-png", str(path), str(tmp_path / "p")],
        check=True,
    )
    image = Image.open(next(Path(tmp_path).glob("p*.png"))).convert("L")
    width, height = image.size
    assert height > width  # A4 portrait
    dark = sum(image.histogram()[:128])
    share = dark / (width * height)
    assert 0.01 < share < 0.5, share  # text on a white page, not blank, not black


def test_statistics_form_is_landscape(everything, tmp_path):
    _needs("pdfinfo")
    doc = generate.build(kinds.kind_for("tt01-form"), everything.dong_tam, parse_period("2023-Q1"))
    path = tmp_path / "form.pdf"
    path.write_bytes(generate.render(doc, "pdf"))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    size = next(line for line in info.splitlines() if line.startswith("Page size"))
    width, height = (float(x) for x in size.split(":")[1].split("pts")[0].split(" x "))
    assert width > height
    assert doc.number_line == ""  # a statistics form has no number/symbol


def test_file_names_are_ascii(cast):
    name = generate.file_name(kinds.kind_for("unit-quarterly"), cast.dong_tam, "2023-Q1", "pdf")
    assert name == "bao-cao-cchc-quy_xa-dong-tam_2023-Q1.pdf"
    assert name.isascii()


def test_period_that_does_not_fit_the_kind_is_refused(cast):
    with pytest.raises(kinds.KindError, match="cần kỳ quý"):
        generate.build(kinds.kind_for("unit-quarterly"), cast.dong_tam, parse_period("2023"))


def _header_words(doc) -> set[str]:
    from cchc.documents.document import Table

    words = set()
    for block in doc.body:
        if isinstance(block, Table):
            for row in block.header_layout():
                for spec in row:
                    words.update(spec.text.split())
    return words


@pytest.mark.parametrize(
    ("kind", "period"), [("unit-quarterly", "2023-Q1"), ("tt01-form", "2023-Q1")]
)
def test_table_headers_break_only_between_words(everything, tmp_path, kind, period):
    """A narrow portrait table printed 'Tổn / g số', 'tuyế / n': a header breaks between
    words only, and its columns are wide enough for its longest word."""
    _needs("pdftotext")
    doc = generate.build(kinds.kind_for(kind), everything.dong_tam, parse_period(period))
    path = tmp_path / "doc.pdf"
    path.write_bytes(generate.render(doc, "pdf"))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    printed = set(unicodedata.normalize("NFC", text).split())
    wanted = {unicodedata.normalize("NFC", w) for w in _header_words(doc)}
    assert wanted, "the document has a table"
    assert wanted - printed == set()
