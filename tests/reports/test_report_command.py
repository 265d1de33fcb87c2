"""`cchc report KIND --unit CODE --period P --format F [--output PATH]`."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_writes_the_file(cast, dossiers_q1, tmp_path):
    out = tmp_path / "q1.docx"
    call_command(
        "report", "unit-quarterly", unit="local-DONGTAM", period="2023-Q1", format="docx",
        output=str(out),
    )  # fmt: skip
    assert out.read_bytes()[:2] == b"PK"


def test_uses_the_narrative_written_on_the_site(cast, dossiers_q1, tmp_path):
    from cchc.reports.services import report_open, report_update

    report = report_open(
        unit=cast.dong_tam, kind="unit_quarterly", period_code="2023-Q1", by=cast.officer
    )
    report_update(
        report=report, data={"strengths": "Ưu điểm đã viết trên hệ thống."}, by=cast.officer
    )
    out = tmp_path / "q1.docx"
    call_command("report", "unit-quarterly", unit="DONGTAM", period="2023-Q1", format="docx",
                 output=str(out))  # fmt: skip
    from docx import Document

    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "Ưu điểm đã viết trên hệ thống." in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["unit-weekly", "--unit", "DONGTAM", "--period", "2023-Q1"], "Loại báo cáo 'unit-weekly'"),
        (["unit-quarterly", "--unit", "NOWHERE", "--period", "2023-Q1"], "Không có đơn vị mã"),
        (["unit-quarterly", "--unit", "DONGTAM", "--period", "2023-Q5"], "Kỳ quarter số 5"),
        (["unit-quarterly", "--unit", "DONGTAM", "--period", "Q1"], "không hợp lệ"),
        (["unit-quarterly", "--unit", "DONGTAM", "--period", "2023"], "cần kỳ quý"),
        (["index-results", "--unit", "299", "--period", "2022"], "Chưa có kỳ đánh giá"),
        (["self-inspection", "--unit", "THANHXA", "--period", "2023"], "chưa có đợt tự kiểm tra"),
    ],
)
def test_clear_errors(cast, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("report", *args, "--output", str(tmp_path / "x.pdf"))
