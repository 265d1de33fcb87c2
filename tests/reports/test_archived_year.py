"""A report whose period reaches an archived year of dossiers (issue 18; PostgreSQL, where
dossiers.partitions.archive_year takes a year out of the dossier table) is still produced:
each figure that needs the archived rows says "chưa có số liệu (đã lưu trữ)", never 0, the
figures the monthly summary keeps are printed as before, and the section names the year.
On SQLite nothing is ever archived: the reports read as they did."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from dataclasses import replace

import pytest
from django.core.management import call_command
from django.db import connection

from cchc.documents.document import Chart, Paragraph, Table, plain_text
from cchc.dossiers.periods import custom_period, parse_period
from cchc.dossiers.stats import UnitStats
from cchc.reports import generate, kinds
from cchc.reports.builders.common import snapshot
from cchc.reports.builders.dossier_section import (
    ARCHIVED,
    Archived,
    DossierFigures,
    dossier_paragraphs,
    dossier_table,
    trend_chart,
)
from cchc.reports.outlines.measures import measure
from cchc.reports.sources import SourceError

pytestmark = pytest.mark.django_db

YEAR_NOTE = "Hồ sơ tiếp nhận năm 2022 đã lưu trữ (tách khỏi bảng hồ sơ của hệ thống)"


@pytest.fixture
def pg():
    if connection.vendor != "postgresql":
        pytest.skip("archived years are PostgreSQL's (partitions)")


def build(kind, unit, period, today=None):
    return generate.build(kinds.kind_for(kind), unit, parse_period(period), today=today)


def archive_2022() -> None:
    """Đồng Tâm's 2022 dossiers out of the table: the last one finished on 20/12/2022,
    inside Q1/2023 (15/12/2022–14/3/2023), so Q1/2023 by field needs them."""
    call_command("dossiers", "partitions", "--create", "2022", stdout=io.StringIO())
    call_command("dossiers", "archive-year", "2022", stdout=io.StringIO())


def dossier_figures(doc) -> dict[str, object]:
    return {k: v for k, v in snapshot(doc)["figures"].items() if k.startswith("dossiers.")}


def test_a_quarter_reaching_an_archived_year_keeps_the_summary_s_figures(pg, cast, dossiers_q1):
    before = build("unit-quarterly", cast.dong_tam, "2023-Q1")
    archive_2022()
    doc = build("unit-quarterly", cast.dong_tam, "2023-Q1")
    text = plain_text(doc)
    # whole reporting months: the totals, rates, trend and last year's Q1 come from the
    # summary and are the same figures as before the archive
    assert dossier_figures(doc) == dossier_figures(before)
    assert dossier_figures(doc)["dossiers.received"] == dossiers_q1.received
    assert any(isinstance(b, Chart) for b in doc.body)
    # per field needs the rows: no table of zeros, a sentence instead, and the year named
    assert not [b for b in doc.body if isinstance(b, Table)]
    assert [b for b in before.body if isinstance(b, Table)]
    assert f"Số liệu chi tiết theo lĩnh vực: {ARCHIVED}." in text
    assert YEAR_NOTE in text
    assert "Traceback" not in text and "Chưa có số liệu (đã lưu trữ): kỳ" not in text


def test_a_period_cut_inside_an_archived_reach_says_so_for_each_figure(pg, cast, dossiers_q1):
    """Counted to 20/1/2023 the period is not whole reporting months: the totals, last year's
    same days and the cut month all need rows, and each says it is archived."""
    archive_2022()
    doc = build("unit-quarterly", cast.dong_tam, "2023-Q1", today=dt.date(2023, 1, 20))
    text = plain_text(doc)
    assert not dossier_figures(doc)  # no dossier figure printed at all: none is a 0
    assert (
        "Trong kỳ (từ ngày 15/12/2022 đến ngày 14/3/2023 (số liệu tính đến ngày 20/01/2023)): "
        f"{ARCHIVED} hồ sơ thủ tục hành chính (số liệu tính theo ngày" in text
    )
    assert f"So với cùng kỳ quý I năm 2022: {ARCHIVED}." in text
    assert YEAR_NOTE in text
    assert not [b for b in doc.body if isinstance(b, Table)]
    # the outline's measures: None (chưa có số liệu) with the archive named, never 0
    days = custom_period(dt.date(2022, 12, 15), dt.date(2023, 1, 20))
    measured = measure(cast.dong_tam, days, today=dt.date(2023, 1, 20))
    assert measured.values["dossiers.received"] is None
    assert "năm 2022 đã lưu trữ" in measured.notes["dossiers.received"]
    # the statistics form is its rows: refused with the reason, not an error page
    with pytest.raises(SourceError, match="cần từng hồ sơ năm 2022") as refused:
        build("tt01-form", cast.dong_tam, "2023-Q1", today=dt.date(2023, 1, 20))
    assert refused.value.code == "archived"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_the_docx_and_pdf_say_it(pg, cast, dossiers_q1, tmp_path):
    from docx import Document

    archive_2022()
    doc = build("unit-quarterly", cast.dong_tam, "2023-Q1", today=dt.date(2023, 1, 20))
    docx = "\n".join(p.text for p in Document(io.BytesIO(generate.render(doc, "docx"))).paragraphs)
    pdf_path = tmp_path / "bao-cao.pdf"
    pdf_path.write_bytes(generate.render(doc, "pdf"))
    pdf = subprocess.run(
        ["pdftotext", str(pdf_path), "-"], capture_output=True, text=True, check=True
    ).stdout
    for text in (docx, " ".join(pdf.split())):
        assert f"{ARCHIVED} hồ sơ thủ tục hành chính" in text
        assert "năm 2022 đã lưu trữ" in text


def test_the_section_wording_without_a_database():
    """The builder alone (both databases): an archived table and comparison are sentences,
    the total is printed; nothing archived prints as before."""
    stats = UnitStats("Xã", received_truc_tuyen=3, resolved_on_time=2, pending_in_time=1)
    common = {"period_range": "từ ngày 15/12/2022 đến ngày 14/3/2023", "previous_label":
              "cùng kỳ năm 2022"}  # fmt: skip
    plain = DossierFigures(stats=stats, rows=[("Hộ tịch", stats)], **common)
    archived = DossierFigures(
        stats=stats,
        archived=Archived.of({2022}, rows=True, previous=True),
        **common,
    )
    text = " ".join(p.text for p in dossier_paragraphs(archived) if isinstance(p, Paragraph))
    assert "Tổng số hồ sơ nhận giải quyết trong kỳ" in text
    assert f"Số liệu chi tiết theo lĩnh vực: {ARCHIVED}." in text
    assert f"So với cùng kỳ năm 2022: {ARCHIVED}." in text
    assert YEAR_NOTE in text
    assert dossier_table(archived, caption="Bảng 1") is None
    plain_text_ = " ".join(p.text for p in dossier_paragraphs(plain) if isinstance(p, Paragraph))
    assert "lưu trữ" not in plain_text_
    assert dossier_table(plain, caption="Bảng 1") is not None
    assert Archived.of(set()) is None
    none = DossierFigures(stats=None, archived=Archived.of([2021, 2022]), **common)
    text = " ".join(p.text for p in dossier_paragraphs(none) if isinstance(p, Paragraph))
    assert f"{ARCHIVED} hồ sơ thủ tục hành chính" in text
    assert "Hồ sơ tiếp nhận các năm 2021, 2022 đã lưu trữ" in text
    assert " 0 " not in text
    # a month of the trend chart left out says why in the chart's caption
    months = [("T1/2023", stats), ("T2/2023", stats)]
    left_out = Archived.of([2022], months=["T3/2023 (đến 20/03)"])
    chart = trend_chart(replace(plain, months=months, archived=left_out), caption="Biểu đồ 1.")
    assert chart is not None
    assert chart.caption == f"Biểu đồ 1. (không có T3/2023 (đến 20/03): {ARCHIVED})"
    assert trend_chart(replace(plain, months=months), caption="Biểu đồ 1.").caption == (
        "Biểu đồ 1."
    )


def test_sqlite_reports_read_as_before(cast, dossiers_q1):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's behaviour")
    doc = build("unit-quarterly", cast.dong_tam, "2023-Q1", today=dt.date(2023, 1, 20))
    text = plain_text(doc)
    assert "lưu trữ" not in text
    assert dossier_figures(doc)["dossiers.received"] == 3  # DT-1, DT-2, DT-3 to 20/1
    assert [b for b in doc.body if isinstance(b, Table)]
