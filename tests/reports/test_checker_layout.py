"""`cchc check-report` on a PDF's pages, and the writers that keep it clean: a heading or a
lead-in ("* Đối với cấp xã:") is never the last line of a page with its content on the next
(DOCX keep_with_next, PDF break-after: avoid); a paragraph's last line is never one short
word (the PDF writer joins the last two words with U+00A0), nor broken early.

Each PDF rule is shown to matter: the same document printed with the rule switched off (a
stylesheet overriding it, or the writer's HTML changed) puts the heading, the lead-in or the word where the rule forbids,
and the checker says so."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from docx import Document

from cchc.documents.document import AdministrativeDocument, Column, Heading, Paragraph, Table
from cchc.documents.docx_writer import docx_bytes
from cchc.documents.pdf_writer import (
    NBSP,
    JoinedFigure,
    join_last_words,
    pdf_bytes,
    render_html,
)
from cchc.reports.checker import check_file, render

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")

KEEP_OFF = (
    "main h1, main h2, main h3, main h4, main p.lead-in "
    "{ break-after: auto !important; page-break-after: auto !important; }"
)
WORDS = (
    "Ủy ban nhân dân xã đã ban hành kế hoạch cải cách hành chính năm và tổ chức thực hiện "
    "đầy đủ các nhiệm vụ được giao trên địa bàn"
)


def _document(*body) -> AdministrativeDocument:
    return AdministrativeDocument(
        issuer=("UBND XÃ ĐỒNG TÂM",), kind="BÁO CÁO", title=("Thử",), body=body, place="Đồng Tâm"
    )


def _section(filler: int) -> AdministrativeDocument:
    """``filler`` one-line paragraphs, then a heading, a lead-in and a short table: with 20
    to 24 of them the lead-in, with 25 the heading, falls on page 1's last line."""
    table = Table(
        columns=(Column("TT"), Column("Xã"), Column("Số", "right")),
        rows=tuple((i, f"Xã số {i}", i) for i in range(1, 6)),
    )
    return _document(
        *(Paragraph.of(f"Đoạn số {i}.") for i in range(filler)),
        Heading(3, "2.1. Cải cách thể chế"),
        Paragraph.of("* Đối với cấp xã:", bold=True),
        table,
    )


def _pdf(
    doc: AdministrativeDocument, path: Path, *, override: str = "", html: str | None = None
) -> Path:
    """The writer's PDF; or with a rule switched off: a stylesheet ``override``, or the
    writer's ``html`` changed."""
    if override or html is not None:
        from weasyprint import CSS, HTML

        sheets = [CSS(string=override)] if override else []
        HTML(string=html or render_html(doc)).write_pdf(str(path), stylesheets=sheets)
    else:
        path.write_bytes(pdf_bytes(doc))
    return path


def _kinds(path: Path) -> list[tuple[str, str]]:
    return [(f.kind, f.printed) for f in check_file(path)]


@pytest.mark.parametrize(
    ("filler", "alone"), [(22, "* Đối với cấp xã:"), (25, "2.1. Cải cách thể chế")]
)
def test_checker_finds_a_heading_or_lead_in_alone_at_a_page_end(filler, alone, tmp_path):
    path = _pdf(_section(filler), tmp_path / "off.pdf", override=KEEP_OFF)
    findings = check_file(path)
    assert [(f.kind, f.printed, f.location.page) for f in findings] == [
        ("keep_with_next", alone, 1)
    ]
    assert "trang 1" in findings[0].message and "trang 2" in findings[0].message
    assert "Đề mục, dòng dẫn đứng một mình ở cuối trang" in render(findings)


@pytest.mark.parametrize("filler", range(20, 27))
def test_pdf_keeps_headings_and_lead_ins_with_their_content(filler, tmp_path):
    path = _pdf(_section(filler), tmp_path / "on.pdf")
    assert _kinds(path) == []


def test_docx_keeps_headings_and_lead_ins_with_next():
    doc = _document(
        Heading(2, "1. Công tác chỉ đạo, điều hành"),
        Paragraph.of("* Đối với cấp huyện:", bold=True),
        Paragraph.of("Ban hành Kế hoạch số 16/KH-UBND."),
        Paragraph.of("Báo cáo", keep_with_next=True),
        Paragraph.of("Đoạn cuối."),
    )
    paragraphs = Document(io.BytesIO(docx_bytes(doc))).paragraphs
    keep = {p.text: bool(p.paragraph_format.keep_with_next) for p in paragraphs if p.text}
    assert keep["1. Công tác chỉ đạo, điều hành"] is True
    assert keep["* Đối với cấp huyện:"] is True
    assert keep["Báo cáo"] is True
    assert keep["Ban hành Kế hoạch số 16/KH-UBND."] is False


def _long_paragraph(words: int) -> AdministrativeDocument:
    """With 35 words the last line holds «xã.» alone unless the last two words are kept."""
    return _document(Paragraph.of(" ".join((WORDS.split() * 5)[:words]) + " xã."))


def test_checker_finds_a_one_word_last_line(tmp_path):
    doc = _long_paragraph(35)
    html = render_html(doc).replace(NBSP, " ")  # the last two words free to part
    assert _kinds(_pdf(doc, tmp_path / "off.pdf", html=html)) == [("widow", "xã.")]


@pytest.mark.parametrize("words", range(30, 40))
def test_pdf_never_ends_a_paragraph_with_one_word(words, tmp_path):
    assert _kinds(_pdf(_long_paragraph(words), tmp_path / "on.pdf")) == []


SHORT = "Đã ban hành Kế hoạch thực hiện nhiệm vụ CCHC năm: 2/2 xã, thị trấn đã báo cáo."


def test_checker_finds_a_paragraph_broken_early(tmp_path):
    """The first way of keeping the last two words together, a nowrap span, made WeasyPrint
    print «Đã» alone on the first line of this paragraph (the rest fits one unindented
    line); the writer joins them with U+00A0 instead."""
    doc = _document(Paragraph.of(SHORT))
    span = render_html(doc).replace(
        f"đã báo{NBSP}cáo.", 'đã <span style="white-space: nowrap">báo cáo.</span>'
    )
    assert _kinds(_pdf(doc, tmp_path / "off.pdf", html=span)) == [("short_line", "Đã")]
    assert _kinds(_pdf(doc, tmp_path / "on.pdf")) == []


ENDS_WITH_FIGURE = [
    ("Kế hoạch vốn đầu tư công được giao (tổng của 2 xã, thị trấn): ", "2.000.000 đồng", "."),
    ("- Cải cách tổ chức bộ máy hành chính: đạt 6/6 điểm (100%), xếp hạng ", "1", " hạng;"),
]


@pytest.mark.parametrize(("text", "figure", "end"), ENDS_WITH_FIGURE)
def test_paragraphs_ending_with_a_figure_break_well(text, figure, end, tmp_path):
    """The generated reports' cases: a figure last (a word joined to it outside its span
    broke the paragraph after its first word: short_line) or a figure then one word (not
    joined, «hạng;» stood alone: widow); both checked with the rule switched off."""
    from cchc.documents.document import Figure

    value = Figure(2_000_000, 0, suffix=" đồng") if "đồng" in figure else Figure(1, 0)
    if end == ".":
        parts = (text, value, end) if "đồng" in figure else (text, value, "/", Figure(2, 0), end)
    else:
        parts = (text, value, "/", Figure(1, 0), end)
    assert _kinds(_pdf(_document(Paragraph(parts)), tmp_path / "on.pdf")) == []


def test_the_last_two_words_are_joined_and_figures_stay_whole():
    from cchc.documents.document import Figure

    assert join_last_words(["Đã giải quyết ", Figure(12, 0), " hồ sơ."]) == [
        "Đã giải quyết ",
        Figure(12, 0),
        f" hồ{NBSP}sơ.",
    ]
    assert join_last_words(["Tổng số ", Figure(1086, 0), " hồ"]) == [
        "Tổng số ",
        Figure(1086, 0),
        f"{NBSP}hồ",
    ]
    # before a figure the no-break space goes inside the figure's span (WeasyPrint broke
    # "…trấn):␣<span>2.000.000 đồng</span>." after its first word)
    assert join_last_words(["Kế hoạch giao: ", Figure(2, 0), "."]) == [
        "Kế hoạch giao:",
        JoinedFigure(Figure(2, 0)),
        ".",
    ]
    html = render_html(_document(Paragraph.of("Vốn giao: ", Figure(2, 0, key="k"), ".")))
    assert f'giao:<span class="figure" data-key="k">{NBSP}2</span>.' in html
    assert join_last_words(["Một."]) == ["Một."]
    long_words = "Xem Nghị-định-30/2020/NĐ-CP-về-công-tác-văn-thư"
    assert join_last_words([long_words]) == [long_words]  # too long to keep on one line
    html = render_html(_document(Paragraph.of("Xếp thứ ", Figure(9, 0), "/", Figure(20, 0), ".")))
    assert '<span class="ratio">' in html  # "9/20" never breaks at its slash


def test_a_caption_never_ends_with_one_word(tmp_path):
    """The province report's annex caption printed «vị» alone on its second line."""
    caption = "Phụ lục. Kết quả tiếp nhận, giải quyết hồ sơ TTHC năm 2022 của các đơn vị"
    table = Table(columns=(Column("TT"), Column("Đơn vị")), rows=((1, "Xã Đồng Tâm"),))
    doc = _document(Table(table.columns, table.rows, caption=caption))
    html = render_html(doc).replace(f"đơn{NBSP}vị", "đơn vị")
    assert _kinds(_pdf(doc, tmp_path / "off.pdf", html=html)) == [("widow", "vị")]
    assert _kinds(_pdf(doc, tmp_path / "on.pdf")) == []
