"""Issue 14: a report says what its data covers; no data is never printed as zero or as a
sentence of fact; periods of unequal coverage are not compared; sections without data
say "chưa có số liệu" instead of disappearing."""

from __future__ import annotations

import datetime as dt

import pytest

from cchc.core.models import DataCoverage
from cchc.core.services import coverage_record
from cchc.documents.document import Table, plain_text

from .test_figures import build

pytestmark = pytest.mark.django_db


def test_periods_of_unequal_coverage_are_flagged_not_compared(cast, dossiers_q1):
    # Đồng Tâm's data now starts in 2023: last year's Q1 (3 dossiers) is not a year-on-year
    # baseline (the 2026 report's "từ 89 lên 1.218" where 2025 held three weeks).
    DataCoverage.objects.filter(unit=cast.dong_tam).delete()
    coverage_record(
        unit_id=cast.dong_tam.pk,
        source="dossiers",
        start=dt.date(2022, 1, 5),
        end=dt.date(2023, 3, 14),
    )
    text = plain_text(build("unit-quarterly", cast.dong_tam, "2023-Q1"))
    assert "không so sánh được vì số liệu hai kỳ không cùng phạm vi" in text
    assert "số liệu từ 05/01/2022" in text
    assert "tăng từ" not in text and "giảm từ" not in text


def test_partial_coverage_is_stated_and_carried_over_is_not_a_zero(cast, dossiers_q1):
    DataCoverage.objects.filter(unit=cast.dong_tam).delete()
    coverage_record(
        unit_id=cast.dong_tam.pk, source="dossiers", start=dt.date(2023, 1, 5),
        end=dt.date(2023, 3, 14),
    )  # fmt: skip
    text = plain_text(build("unit-quarterly", cast.dong_tam, "2023-Q1"))
    assert "số liệu từ 05/01/2023" in text
    assert "từ kỳ trước chuyển qua: chưa có số liệu" in text


def test_an_area_annex_marks_units_without_data(cast, dossiers_q1):
    doc = build("province-annual", cast.district, "2023")
    text = plain_text(doc)
    assert "số liệu của 1/2 đơn vị" in text
    annex = [b for b in doc.annexes if isinstance(b, Table)][0]
    thanh_xa = next(r for r in annex.body_texts() if r[1].startswith("Xã Thanh Xá"))
    assert thanh_xa[1] == "Xã Thanh Xá (chưa có số liệu)"
    assert set(thanh_xa[2:]) == {"–"}
    # no inspection recorded: not "đã kiểm tra 0/2 đơn vị, đạt 0%"
    assert "đã kiểm tra 0/" not in text
    assert "Kiểm tra công tác CCHC năm 2023: chưa có số liệu" in text


def test_annual_sections_without_data_say_so(cast, dossiers_q1):
    text = plain_text(build("unit-annual", cast.dong_tam, "2023"))
    assert "Chưa có số liệu: kết quả Chỉ số CCHC năm 2023" in text
    assert "Chưa có số liệu: số liệu đội ngũ cán bộ, công chức năm 2023" in text
    assert "Kế hoạch CCHC năm 2023: chưa có số liệu" in text
