"""Issue 14: three contradictions officials make that the checker missed: parts adding to
more than their whole, a percentage on a denominator the text contradicts, and a total
"over two years" equal to one year's count. Crafted text, DOCX and PDF; seed 000 holds the
third (tests/reports/test_checker.py, SEED_FINDINGS)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from cchc.reports.checker import check_file, check_text, render

PARTS = (
    "Tổng số hồ sơ tiếp nhận trong kỳ 120 hồ sơ. Đã giải quyết đúng hạn 100 hồ sơ, quá hạn "
    "30 hồ sơ."
)
DENOMINATOR = (
    "Tổng số hồ sơ tiếp nhận 1.277 hồ sơ, trong đó trực tuyến 1.127 hồ sơ, trực tiếp 150 hồ "
    "sơ; tỷ lệ tiếp nhận trực tuyến 1.127/1.200 hồ sơ, đạt 93,92%."
)
YEARS = (
    "Tổng số lượt công chức (02 năm: 2022, 2023) được đánh giá là 20 người. Năm 2022 hoàn "
    "thành tốt nhiệm vụ 20 người. Năm 2023 hoàn thành xuất sắc 5 người, hoàn thành tốt 15 "
    "người."
)
BODY = [PARTS, DENOMINATOR, YEARS]
EXPECTED = {
    ("parts", Decimal(120), Decimal(130)),
    ("denominator", Decimal(1200), Decimal(1277)),
    ("years", Decimal(20), Decimal(40)),
}


def summary(findings):
    return {(f.kind, f.printed, f.expected) for f in findings}


def test_each_kind_in_text():
    assert summary(check_text(PARTS)) == {("parts", Decimal(120), Decimal(130))}
    (finding,) = check_text(DENOMINATOR)
    assert finding.kind == "denominator" and "1.127/1.277 = 88,25%" in finding.message
    (finding,) = check_text(YEARS)
    assert finding.kind == "years" and "năm 2022" in finding.message


def test_consistent_statements_are_not_flagged():
    fine = (
        "Tổng số hồ sơ tiếp nhận trong kỳ 130 hồ sơ. Đã giải quyết đúng hạn 100 hồ sơ, quá "
        "hạn 30 hồ sơ. Tỷ lệ tiếp nhận trực tuyến 100/130 hồ sơ, đạt 76,92%. Tổng số lượt "
        "công chức (02 năm: 2022, 2023) được đánh giá là 40 người. Năm 2022 hoàn thành tốt "
        "nhiệm vụ 20 người. Năm 2023 hoàn thành tốt 20 người."
    )
    assert check_text(fine) == [], render(check_text(fine))


def test_in_a_docx(tmp_path: Path):
    import docx

    document = docx.Document()
    for text in BODY:
        document.add_paragraph(text)
    path = tmp_path / "bao-cao.docx"
    document.save(str(path))
    assert summary(check_file(path)) == EXPECTED


def test_in_a_pdf(tmp_path: Path):
    weasyprint = pytest.importorskip("weasyprint")
    paragraphs = "".join(f"<p>{text}</p>" for text in BODY)
    html = (
        "<html><head><style>@page { size: A4; margin: 2cm } "
        "body { font-family: 'Liberation Serif', 'Tinos', serif; font-size: 13pt }</style>"
        f"</head><body>{paragraphs}</body></html>"
    )
    path = tmp_path / "bao-cao.pdf"
    weasyprint.HTML(string=html).write_pdf(str(path))
    # The figures only: this PDF is typeset without CCHC's writer, so the page-layout
    # findings (a one-word last line…) depend on the fonts installed, not on the figures.
    layout = {"keep_with_next", "widow", "short_line"}
    figures = [f for f in check_file(path) if f.kind not in layout]
    assert summary(figures) == EXPECTED
