"""The builders over plain data (no database): wording, changes in points of percent,
bands and grades of many units, tables that add up whatever the figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc.documents.document import Paragraph, plain_text
from cchc.dossiers.periods import parse_period
from cchc.dossiers.stats import UnitStats
from cchc.evaluations.results import UnitInput, compute_results
from cchc.frameworks.spec import load_framework
from cchc.reports.builders.area_index import AreaIndex, area_paragraphs, own_index_paragraph
from cchc.reports.builders.common import Frame, change_parts, narrative, snapshot
from cchc.reports.builders.dossier_section import DossierFigures, dossier_paragraphs, dossier_table
from cchc.reports.builders.unit_periodic import UnitPeriodData, build_unit_periodic
from cchc.reports.kinds import KindError, check_period_kind, kind_for
from cchc.reports.wording import (
    document_ref,
    in_sentence,
    issuer_lines,
    next_period_phrase,
    period_phrase,
    place_name,
    symbol_for,
)

D = Decimal
FRAME = Frame(
    unit_name="Xã Ninh Giang",
    unit_kind="commune",
    issuer=("ỦY BAN NHÂN DÂN", "XÃ NINH GIANG"),
    level_word="xã",
    place="Ninh Giang",
    year=2025,
    symbol="BC-UBND",
)


def test_issuer_lines_per_nd_30():
    assert issuer_lines("Xã Ninh Giang", "commune", "Thành phố Hải Phòng") == (
        (),
        ("ỦY BAN NHÂN DÂN", "XÃ NINH GIANG"),
    )
    assert issuer_lines("Sở Nội vụ", "department", "Thành phố Hải Phòng") == (
        ("UBND THÀNH PHỐ HẢI PHÒNG",),
        ("SỞ NỘI VỤ",),
    )
    assert symbol_for("BC", "Sở Nội vụ", "department") == "BC-SNV"
    assert symbol_for("TB", "Xã Thanh Xá", "commune") == "TB-UBND"


def test_names_in_sentences():
    assert place_name("Thành phố Hải Phòng") == "Hải Phòng"
    assert place_name("Xã Đồng Tâm") == "Đồng Tâm"
    assert in_sentence("Huyện Ninh Giang") == "huyện Ninh Giang"
    assert in_sentence("Sở Nội vụ") == "Sở Nội vụ"
    assert document_ref("137/QĐ-UBND") == "Quyết định số 137/QĐ-UBND"
    assert document_ref("11/KH-UBND") == "Kế hoạch số 11/KH-UBND"
    assert document_ref("Kế hoạch số 63/KH-UBND") == "Kế hoạch số 63/KH-UBND"


def test_period_words():
    assert period_phrase(parse_period("2023-Q1")) == "quý I năm 2023"
    assert period_phrase(parse_period("2023-H2")) == "6 tháng cuối năm 2023"
    assert next_period_phrase(parse_period("2023-Q4")) == "năm 2024"
    assert next_period_phrase(parse_period("2023-H1")) == "6 tháng cuối năm 2023"


def test_a_counted_period_is_named_by_its_own_end():
    """Q1/2023 counted to 20/1/2023 (periods.counted: the report of a quarter under way,
    or last year's same days) is still quý I; its end month used to name it (KeyError 0
    for January and February, quý I for a Q2 counted to April)."""
    from cchc.dossiers.periods import counted

    q1 = counted(parse_period("2023-Q1"), dt.date(2023, 1, 20))
    assert period_phrase(q1) == "quý I năm 2023"
    assert next_period_phrase(q1) == "quý II năm 2023"
    assert period_phrase(counted(parse_period("2023-Q2"), dt.date(2023, 4, 2))) == (
        "quý II năm 2023"
    )
    assert period_phrase(counted(parse_period("2023-H1"), dt.date(2022, 12, 20))) == (
        "6 tháng đầu năm 2023"
    )


def test_kinds_need_their_period():
    check_period_kind(kind_for("unit-quarterly"), "quarter", "2023-Q1")
    check_period_kind(kind_for("tt01-form"), "month", "2023-M02")
    try:
        check_period_kind(kind_for("unit-annual"), "quarter", "2023-Q1")
    except KindError as error:
        assert "cần kỳ năm (2023)" in str(error)
    else:  # pragma: no cover
        raise AssertionError("a quarter accepted for an annual report")


def test_seed_004_rise_is_printed_in_points_of_percent():
    """Seed 004: 63,19% -> 83,30% was printed 'Tăng 19,69%'; it is 20,11 điểm phần trăm."""
    par = own_index_paragraph(
        name="UBND huyện Tứ Kỳ",
        year=2021,
        index=D("83.30"),
        previous_index=D("63.19"),
        previous_year=2020,
    )
    assert par.text == (
        "Năm 2021, Chỉ số CCHC của UBND huyện Tứ Kỳ đạt 83,30% (năm 2020: 63,19%): tăng 20,11 "
        "điểm phần trăm."
    )
    assert "19,69" not in par.text


def test_change_amount_is_a_figure():
    parts = change_parts(D("-3"), "x", unit="hồ sơ", places=0)
    assert Paragraph.of(*parts).text == "giảm 3 hồ sơ"
    assert Paragraph.of(*parts).figures[0].key == "x"


def test_narrative_lines_become_paragraphs():
    assert [p.text for p in narrative("- Một.\n\n- Hai.\r\n")] == ["- Một.", "- Hai."]
    empty = narrative("  ")
    assert len(empty) == 1 and empty[0].italic


SEED_004_FW = """
code: t
name: Thử
grades:
  - {code: xuat_sac, label: Hoàn thành xuất sắc nhiệm vụ, min_index: 90, min_component: 80}
  - {code: tot, label: Hoàn thành tốt nhiệm vụ, min_index: 80, min_component: 70}
  - {code: hoan_thanh, label: Hoàn thành nhiệm vụ, min_index: 65, min_component: 50}
  - {code: khong_hoan_thanh, label: Không hoàn thành nhiệm vụ}
criteria:
  - {code: "1", title: Chỉ đạo điều hành, max: 50, graded: true, method: evidence}
  - {code: "2", title: Thủ tục hành chính, max: 50, graded: true, method: evidence}
"""


def test_units_in_a_band_but_graded_lower_are_named():
    """Seed 004: communes with an index of 80–90% but a component under 70% are only
    'Hoàn thành nhiệm vụ', and the report says which and why."""
    fw = load_framework(SEED_004_FW)
    results = compute_results(
        fw,
        [
            UnitInput("Xã Quang Khải", {"1": 45, "2": 42}, block="xã"),  # 87%, both ≥ 70%
            UnitInput("Xã Văn Tố", {"1": 49, "2": 34}, block="xã"),  # 83%, 68% < 70%
            UnitInput("Xã Chí Minh", {"1": 38, "2": 36}, block="xã"),  # 74%
        ],
    )
    area = AreaIndex(framework=fw, year=2021, cycle_name="Chỉ số 2021", results=results)
    text = "\n".join(b.text for b in area_paragraphs(area) if isinstance(b, Paragraph))
    assert (
        "từ 80% đến dưới 90% so với điểm tối đa, gồm 2 đơn vị: xã Quang Khải và xã Văn Tố" in text
    )
    assert "Nhóm Hoàn thành tốt nhiệm vụ" in text and ": gồm 1 đơn vị: xã Quang Khải." in text
    assert (
        "Trong đó 1 đơn vị có Chỉ số đạt ngưỡng hoàn thành tốt nhiệm vụ nhưng chỉ được xếp "
        "loại hoàn thành nhiệm vụ" in text
    )
    assert "xã Văn Tố" in text.split("Trong đó")[1]


counts = st.integers(min_value=0, max_value=500)


@st.composite
def unit_stats(draw, label="x"):
    return UnitStats(label, *(draw(counts) for _ in range(12)))


@settings(max_examples=60, deadline=None)
@given(st.lists(unit_stats(), min_size=1, max_size=6))
def test_dossier_table_total_is_the_sum_of_its_rows(rows):
    total = sum(rows, UnitStats("Tổng"))
    fig = DossierFigures(
        stats=total,
        period_range="từ ngày 15/12/2022 đến ngày 14/3/2023",
        rows=[(f"Lĩnh vực {i}", s) for i, s in enumerate(rows)],
    )
    table = dossier_table(fig, caption="Bảng")
    assert table is not None
    body = table.body_texts()
    totals = table.totals_texts()
    for column in range(2, len(totals)):
        summed = sum(int(row[column].replace(".", "")) for row in body)
        assert str(summed) == totals[column].replace(".", "")
    paragraphs = dossier_paragraphs(fig)
    assert paragraphs  # always says something, even for zeros


def test_snapshot_lists_every_keyed_figure():
    stats = UnitStats("x", 1, 2, 3, 0, 4, 1, 0, 1, 0, 5, 3, 1)
    data = UnitPeriodData(
        period=parse_period("2023-Q1"),
        dossiers=DossierFigures(stats=stats, period_range="…", rows=[("Hộ tịch", stats)]),
    )
    doc = build_unit_periodic(FRAME, {"strengths": "Tốt."}, data)
    snap = snapshot(doc)
    assert snap["figures"]["dossiers.received"] == 5
    assert snap["figures"]["dossiers.received_all"] == 6
    assert snap["tables"][0]["rows"][-1][1] == "Tổng cộng"
    assert "Tốt." in plain_text(doc)
    # tables are numbered in the order they stand (no plan: the dossier table is the first)
    assert "Bảng 1. Kết quả tiếp nhận, giải quyết hồ sơ TTHC theo lĩnh vực" in plain_text(doc)


@pytest.mark.django_db
def test_a_units_total_prints_with_two_decimals_as_seed_003(cast, cycles):
    """Seed 003 prints Đồng Tâm's 87,747 points as "87,75/100": the report's text follows
    formatting.TOTAL_PLACES like the results table (it printed 87,747)."""
    import dataclasses
    from decimal import Decimal

    from cchc.reports import sources
    from cchc.reports.builders.index_section import index_paragraphs

    figures = sources.unit_index(cast.dong_tam, 2022)
    result = dataclasses.replace(figures.result, total=Decimal("87.747"))
    text = " ".join(p.text for p in index_paragraphs(dataclasses.replace(figures, result=result)))
    assert "đạt 87,75/" in text and "87,747" not in text
