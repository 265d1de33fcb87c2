"""Seed 000: the mid-term review of the 2020 - 2025 project (UBND xã Đại Đức), two parts
in the seed's order and wording, over a period of any length; and its document is clean
for `cchc check-report`."""

from __future__ import annotations

import datetime as dt

import pytest

from cchc.documents.document import plain_text
from cchc.reports.checker import check_file, check_text
from cchc.reports.outlines import documents, services
from cchc.reports.outlines.spec import load_outline
from tests.reports.seed_headings import seed_headings

from .conftest import OUTLINES, entries

SEED_000 = OUTLINES / "so-ket-de-an-2020-2025.yaml"
# The seed's headings, in its order, read from the seed itself ("Phần thứ nhất" and its
# title are two lines there; its "1." under "1." is numbered 1.1 by the outline).
SEED_000_HEADINGS = seed_headings("000")
# From the project's start to the review (seed 000: Quyết định 20/QĐ-UBND 15/3/2021 to the
# review asked for by Công văn 528 of 20/3/2023).
MID_TERM = "2021-03-15..2023-03-20"


def test_seed_000_outline_has_the_seed_headings_in_order():
    assert load_outline(SEED_000).headings() == SEED_000_HEADINGS


@pytest.mark.django_db
def test_seed_000_mid_term_review_is_produced(cast, dossiers_q1, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    outline = services.outline_load(source=SEED_000)
    spec = outline.spec()
    report = services.report_open(outline=outline, unit=cast.dong_tam, period=MID_TERM)
    assert (report.period_start, report.period_end) == (dt.date(2021, 3, 15), dt.date(2023, 3, 20))
    values = {k: v for k, v in entries(spec).items() if spec.has_figure(k)}
    texts = {n.key: f"Nội dung {n.label.lower()}." for n in spec.narratives()}
    services.report_save(report=report, values=values, narratives=texts, by=cast.officer)
    doc = documents.document_for(report, today=dt.date(2023, 3, 25))
    text = plain_text(doc)
    lines = text.split("\n")
    positions = [lines.index(h) for h in SEED_000_HEADINGS]
    assert positions == sorted(positions)
    assert "từ ngày 15/3/2021 đến ngày 20/3/2023" in text
    # Đồng Tâm's dossiers are measured over the whole range; its data covers part: said so
    assert (
        "Số hồ sơ mới trong kỳ (không kể từ kỳ trước chuyển qua): 12 "
        "(số liệu từ 15/12/2021 đến 14/3/2023)." in lines
    )
    assert check_text(text) == []
    for fmt in ("docx", "pdf"):
        row = documents.report_generate(report=report, fmt=fmt)
        path = tmp_path / row.filename
        path.write_bytes(row.file.read())
        assert check_file(path) == [], fmt
