"""The outline report as a document: every heading of seed 004 in order, the missing
commune named, the annex referring to the report, and `cchc check-report` finding nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cchc.documents.document import Table, plain_text
from cchc.reports.checker import check_file, check_text
from cchc.reports.outlines import documents, services

from .conftest import entries
from .test_spec import SEED_004_HEADINGS


@pytest.fixture
def compiled_2021(area, cast):
    spec = area.outline.spec()
    for unit, head, docs in (
        (cast.dong_tam, cast.head, "3"),
        (cast.thanh_xa, area.head_thanh_xa, "4"),
    ):
        r = services.report_open(outline=area.outline, unit=unit, period="2021")
        services.report_save(
            report=r,
            values=entries(spec, legal_docs_issued=docs, plan_issued_on="29/12/2020"),
            narratives={"the_che_text": f"{unit.name} rà soát {docs} văn bản."},
            by=head,
        )
        services.report_submit(report=r, by=head, today=dt.date(2022, 3, 1))
    district = services.report_open(outline=area.outline, unit=cast.district, period="2021")
    services.report_save(
        report=district,
        narratives={"the_che_text": "Huyện ban hành Kế hoạch số 16/KH-UBND."},
        by=area.district_officer,
    )
    return services.report_compile(report=district, by=area.district_officer)


def test_yearly_report_has_every_seed_004_heading_in_order(compiled_2021):
    doc = documents.document_for(compiled_2021, today=dt.date(2022, 3, 20))
    text = plain_text(doc)
    lines = text.split("\n")
    positions = [lines.index(h) for h in SEED_004_HEADINGS]
    assert positions == sorted(positions)
    assert "chưa gửi báo cáo: Xã Hưng Thái" in text
    assert "Huyện ban hành Kế hoạch số 16/KH-UBND." in text
    assert "Số văn bản quy phạm pháp luật ban hành (tổng của 2 xã, thị trấn): 7." in text


def test_annex_is_numbered_to_the_report_and_adds_up(compiled_2021):
    compiled_2021.number = "12"
    compiled_2021.issued_on = dt.date(2022, 3, 20)
    compiled_2021.save()
    doc = documents.document_for(compiled_2021, today=dt.date(2022, 3, 20))
    annex_text = "\n".join(getattr(b, "text", "") for b in doc.annexes)
    assert "(Kèm theo Báo cáo số 12/BC-UBND ngày 20/3/2022 của UBND huyện Ninh Giang)" in annex_text
    tables = [b for b in doc.annexes if isinstance(b, Table)]
    assert tables
    names = [row[1] for row in tables[0].rows]
    assert names == ["Xã Đồng Tâm", "Xã Thanh Xá", "Xã Hưng Thái (chưa gửi báo cáo)"]
    assert all(cell is None for cell in tables[0].rows[2][2:])  # not filed: empty, never 0


def test_generated_report_passes_check_report(compiled_2021, tmp_path):
    doc = documents.document_for(compiled_2021, today=dt.date(2022, 3, 20))
    assert check_text(plain_text(doc)) == []
    for fmt in ("docx", "pdf"):
        row = documents.report_generate(report=compiled_2021, fmt=fmt)
        path = tmp_path / row.filename
        path.write_bytes(row.file.read())
        assert check_file(path) == [], fmt
        if fmt == "docx":
            _assert_lead_ins_keep_with_next(path)
        artifacts = Path(__file__).resolve().parents[3] / "test-artifacts"
        artifacts.mkdir(exist_ok=True)
        (artifacts / f"outline-district-2021.{fmt}").write_bytes(path.read_bytes())
        # every printed number traced: the compiled sum and each unit's annex cell
        assert row.figures["figures"]["outline.compiled.legal_docs_issued"] == 7
        assert row.figures["figures"]["annex.Xã Thanh Xá.legal_docs_issued"] == 4


def _assert_lead_ins_keep_with_next(path: Path) -> None:
    """Every heading and every lead-in ("* Đối với các xã, thị trấn …:") of the DOCX goes to
    the page of what follows it (Word: keep with next)."""
    from docx import Document

    paragraphs = [p for p in Document(str(path)).paragraphs if p.text.strip()]
    lead_ins = [p for p in paragraphs if p.text.startswith("* Đối với")]
    headings = [p for p in paragraphs if p.text.startswith(("I. ", "2.1. ", "1.2. "))]
    assert lead_ins and headings
    for par in lead_ins + headings:
        assert par.paragraph_format.keep_with_next is True, par.text


def test_unit_report_cites_its_plan_with_number_and_date(area, cast):
    from cchc.plans.models import Plan, PlanState

    Plan.objects.create(
        unit=cast.dong_tam,
        year=2023,
        title="Cải cách hành chính nhà nước năm 2023",
        number="645/KH-UBND",
        issued_on=dt.date(2022, 12, 30),
        state=PlanState.ISSUED,
    )
    report = services.report_open(outline=area.outline, unit=cast.dong_tam, period="2023")
    doc = documents.document_for(report, today=dt.date(2023, 3, 20))
    assert (
        plain_text(doc).count(
            "Thực hiện Kế hoạch số 645/KH-UBND ngày 30/12/2022 của UBND xã Đồng Tâm về cải cách "
            "hành chính nhà nước năm 2023"
        )
        == 1
    )


def test_landscape_pages_keep_the_law_margins():
    """ND 30/2020 Phụ lục I: left 30–35 mm, bottom 20–25 mm on every page, landscape too."""
    from cchc.reports.builders.common import LANDSCAPE

    assert LANDSCAPE.width_mm > LANDSCAPE.height_mm
    assert 30 <= LANDSCAPE.left_mm <= 35 and 20 <= LANDSCAPE.bottom_mm <= 25
    assert 20 <= LANDSCAPE.top_mm <= 25 and 15 <= LANDSCAPE.right_mm <= 20


@pytest.mark.parametrize("rows", [25, 26])
def test_total_row_never_stands_alone_on_a_page(rows, tmp_path):
    """With 25 or 26 rows after an opening paragraph the total row would open page 2 alone
    (checked without the rule); it must go with the last row."""
    import subprocess

    from cchc.documents.document import AdministrativeDocument, Column
    from cchc.documents.pdf_writer import pdf_bytes

    table = Table(
        columns=(Column("STT"), Column("Đơn vị"), Column("Số", "right")),
        rows=tuple((i, f"Xã số {i}", i) for i in range(1, rows + 1)),
        totals=("", "Tổng cộng", sum(range(1, rows + 1))),
    )
    from cchc.documents.document import Paragraph as P

    doc = AdministrativeDocument(
        issuer=("UBND XÃ A",),
        kind="BÁO CÁO",
        title=("Thử",),
        body=(P.of("Mở đầu."), table),
        place="A",
    )
    path = tmp_path / "t.pdf"
    path.write_bytes(pdf_bytes(doc))
    pages = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    page = next(p for p in pages.split("\f") if "Tổng cộng" in p)
    assert f"Xã số {rows}" in page


LEGEND = (
    "Lĩnh vực: "
    + "; ".join(f"{i} — Công tác cải cách hành chính số {i} của đơn vị" for i in range(1, 13))
    + "."
)


def _landscape_table(rows: int):
    from cchc.documents.document import AdministrativeDocument, Column
    from cchc.documents.document import Paragraph as P
    from cchc.reports.builders.common import LANDSCAPE

    table = Table(
        columns=(Column("STT"), Column("Đơn vị", width=3), Column("Điểm", "right")),
        rows=tuple((i, f"Xã số {i}", i) for i in range(1, rows + 1)),
        totals=("", "Tổng cộng", rows),
        note=LEGEND,
        font_size=9,
    )
    return AdministrativeDocument(
        issuer=("UBND HUYỆN A",),
        kind="THÔNG BÁO",
        title=("Thử",),
        body=(P.of("Mở đầu."), table),
        place="A",
        layout=LANDSCAPE,
    )


def _pdf_pages(path: Path) -> list[str]:
    import subprocess

    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    return out.split("\f")


@pytest.mark.parametrize("rows", range(14, 19))
def test_landscape_table_note_is_never_split_and_total_row_never_alone(rows, tmp_path):
    """The index report's legend under its landscape table: with 14 to 17 rows it ran from
    page 1 onto page 2 (checked with the rule switched off); it must stay whole, on the page
    of the table's last row and total row."""
    from weasyprint import CSS, HTML

    from cchc.documents.pdf_writer import pdf_bytes, render_html

    doc = _landscape_table(rows)
    path = tmp_path / "on.pdf"
    path.write_bytes(pdf_bytes(doc))
    pages = _pdf_pages(path)
    (with_note,) = [p for p in pages if "Lĩnh vực:" in p or "số 12 của đơn vị." in p]
    assert "Lĩnh vực:" in with_note and "số 12 của đơn vị." in with_note
    assert "Tổng cộng" in with_note and f"Xã số {rows}" in with_note
    if rows <= 17:  # the test can fail: without the rule the legend splits
        off = tmp_path / "off.pdf"
        rule_off = CSS(string="p.note { break-inside: auto !important; }")
        HTML(string=render_html(doc)).write_pdf(str(off), stylesheets=[rule_off])
        assert len([p for p in _pdf_pages(off) if "Lĩnh vực:" in p or "12 của đơn vị." in p]) == 2


def test_docx_table_note_is_kept_together():
    import io

    from docx import Document

    from cchc.documents.docx_writer import docx_bytes

    paragraphs = Document(io.BytesIO(docx_bytes(_landscape_table(3)))).paragraphs
    (note,) = [p for p in paragraphs if p.text == LEGEND]
    assert note.paragraph_format.keep_together is True
