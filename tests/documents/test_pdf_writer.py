from __future__ import annotations

import shutil
import subprocess
import unicodedata
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from cchc.documents import fonts
from cchc.documents.document import Figure, Paragraph
from cchc.documents.pdf_writer import pdf_bytes, render_html, write_pdf
from tests.documents.document_sample import sample_document

POPPLER = ("pdftotext", "pdftoppm", "pdffonts", "pdfinfo")
needs_poppler = pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in POPPLER),
    reason="poppler-utils is not installed (apt-get install -y poppler-utils)",
)


@pytest.fixture(scope="module")
def pdf_path(tmp_path_factory) -> Path:
    check = fonts.check_fonts()
    if not check.ok:
        pytest.skip(f"{check.message}")
    path = tmp_path_factory.mktemp("pdf") / "bao-cao.pdf"
    write_pdf(sample_document(), path)
    return path


def _run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True, timeout=60).stdout


# ---------------------------------------------------------------- HTML


def test_html_escapes_text_and_marks_locked_figures():
    doc = sample_document()
    hostile = Paragraph.of('<script>alert("x")</script> & ', Figure(Decimal("87.747"), 2, key="k"))
    html = render_html(doc.__class__(**{**doc.__dict__, "body": (hostile,)}))
    assert "<script>" not in html
    # the last two words joined: the no-break space inside the figure's span
    assert (
        '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp;<span class="figure" '
        'data-key="k">\u00a087,75</span>'
    ) in html


def test_html_is_self_contained():
    html = render_html(sample_document())
    assert "http://" not in html and "https://" not in html
    assert 'src="data:image/svg+xml;base64,' in html
    assert '"Tinos", "Liberation Serif", "Times New Roman", serif' in html
    assert "size: 210.0mm 297.0mm" in html
    assert "margin: 20.0mm 20.0mm 20.0mm 30.0mm" in html


# ---------------------------------------------------------------- PDF


def test_pdf_bytes():
    if not fonts.check_fonts().ok:
        pytest.skip(fonts.check_fonts().message)
    doc = sample_document()
    short = doc.__class__(**{**doc.__dict__, "body": doc.body[:2]})  # no chart: fast
    data = pdf_bytes(short)
    assert data.startswith(b"%PDF-")
    assert b"%%EOF" in data[-64:]


@needs_poppler
def test_pdf_is_a4_with_title_and_author(pdf_path):
    info = _run("pdfinfo", str(pdf_path))
    assert "(A4)" in info
    assert "Title:           BÁO CÁO Kết quả đánh giá Chỉ số cải cách hành chính năm 2022" in info
    assert "Author:          UBND xã Đồng Tâm" in info


@needs_poppler
def test_vietnamese_text_comes_out_exactly(pdf_path):
    text = _run("pdftotext", "-enc", "UTF-8", str(pdf_path), "-")
    assert unicodedata.is_normalized("NFC", text)
    for needle in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "UBND HUYỆN NINH GIANG",
        "Số: 12/BC-UBND",
        "Đồng Tâm, ngày 20 tháng 3 năm 2023",
        "Cải cách thủ tục hành chính",
        "UBND xã đạt 87,75/100 điểm",
        "87,75",
        "16,62",
        "1,577",
        "5/7 điểm (71,43%)",
        "Nơi nhận:",
        "- Lưu: VT, NV.",
        "TM. ỦY BAN NHÂN DÂN",
        "Đinh Văn Châu",
    ):
        assert needle in text, needle


@needs_poppler
def test_page_numbers_start_on_page_two(pdf_path):
    pages = int(_run("pdfinfo", str(pdf_path)).split("Pages:")[1].split()[0])
    assert pages >= 2
    first = _run("pdftotext", "-f", "1", "-l", "1", str(pdf_path), "-").split()
    second = _run("pdftotext", "-f", "2", "-l", "2", str(pdf_path), "-").split()
    assert first[0] != "1"  # ND 30/2020: the first page is not numbered
    assert second[0] == "2"


@needs_poppler
def test_fonts_are_embedded_tinos_or_liberation(pdf_path):
    rows = _run("pdffonts", str(pdf_path)).splitlines()[2:]
    assert rows, "no fonts in the PDF"
    for row in rows:
        name = row.split()[0].split("+")[-1]
        assert name.startswith(("Tinos", "LiberationSerif")), row
        assert " yes " in row  # embedded


@needs_poppler
def test_first_page_renders_and_is_not_blank(pdf_path, tmp_path):
    _run("pdftoppm", "-f", "1", "-l", "1", "-r", "50", "-png", str(pdf_path), str(tmp_path / "p"))
    (png,) = tmp_path.glob("p*.png")
    image = Image.open(png).convert("L")
    # A4 at 50 dpi
    assert abs(image.width - 413) <= 2 and abs(image.height - 585) <= 2
    ink = float((np.asarray(image) < 128).mean())
    assert 0.01 < ink < 0.4
    # The left margin (30 mm) stays empty: nothing overflows it.
    margin = np.asarray(image)[:, : int(25 / 25.4 * 50)]
    assert (margin < 128).sum() == 0


@needs_poppler
def test_chart_page_has_the_chart(pdf_path, tmp_path):
    # The bar chart's dark blue fills an area of page 2.
    _run("pdftoppm", "-f", "2", "-l", "2", "-r", "40", "-png", str(pdf_path), str(tmp_path / "c"))
    (png,) = tmp_path.glob("c*.png")
    rgb = np.asarray(Image.open(png).convert("RGB")).astype(int)
    blue = (rgb[..., 0] < 60) & (rgb[..., 1] > 60) & (rgb[..., 1] < 110) & (rgb[..., 2] > 100)
    assert blue.sum() > 500


# ---------------------------------------------------------------- fonts


def test_vietnamese_letters():
    letters = fonts.VIETNAMESE_LETTERS
    assert len(letters) == 134  # 12 vowels × 5 tones × 2 cases + ăâêôơưđ in both cases
    for ch in "ệỆđĐựỰẫẪỹỸơƠ":
        assert ch in letters


def test_check_fonts_finds_a_complete_face():
    check = fonts.check_fonts()
    if not check.ok:
        pytest.skip(check.message)
    assert check.family in fonts.SERIF_FAMILIES
    assert check.missing == ""
    assert fonts.missing_letters(check.path) == ""


def test_check_fonts_without_fontconfig(monkeypatch):
    monkeypatch.setattr(fonts.shutil, "which", lambda name: None)
    check = fonts.check_fonts.__wrapped__()
    assert not check.ok
    assert check.message == fonts.MSG_NO_FONTCONFIG


def test_check_fonts_rejects_a_substituted_family(monkeypatch):
    # fontconfig answers every request; DejaVu for "Tinos" must not count as Tinos.
    monkeypatch.setattr(fonts, "_fc_match", lambda family: ("DejaVu Serif", "/x.ttf"))
    check = fonts.check_fonts.__wrapped__()
    assert not check.ok
    assert check.message == fonts.MSG_NO_FONT
