from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc.documents.document import (
    NATIONAL_MOTTO,
    NATIONAL_NAME,
    AdministrativeDocument,
    Chart,
    Column,
    DocumentError,
    Figure,
    HeaderGroup,
    Heading,
    Paragraph,
    Series,
    Table,
    format_cell,
    place_date,
    plain_text,
    recipient_lines,
)
from tests.documents.document_sample import (
    DONG_TAM_2022,
    component_table,
    sample_document,
    total_max,
    total_score,
)

D = Decimal


def test_place_date_as_the_seed_prints_it():
    assert place_date("Đồng Tâm", dt.date(2023, 3, 20)) == "Đồng Tâm, ngày 20 tháng 3 năm 2023"


def test_place_date_pads_days_below_ten_and_january_february():
    # ND 30/2020 Phụ lục I mục 4
    assert place_date("Tứ Kỳ", dt.date(2022, 2, 5)) == "Tứ Kỳ, ngày 05 tháng 02 năm 2022"
    assert place_date("Tứ Kỳ", dt.date(2022, 1, 31)) == "Tứ Kỳ, ngày 31 tháng 01 năm 2022"
    assert place_date("Tứ Kỳ", dt.date(2022, 12, 9)) == "Tứ Kỳ, ngày 09 tháng 12 năm 2022"


def test_place_date_left_blank_for_signing():
    text = place_date("Thanh Xá", None, year=2023)
    assert text.startswith("Thanh Xá, ngày")
    assert text.endswith("năm 2023")
    assert re.search(r"ngày\s+tháng\s+năm", text)


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_place_date_reads_back_to_the_same_date(day):
    match = re.fullmatch(r"X, ngày (\d{2}) tháng (\d{1,2}) năm (\d{4})", place_date("X", day))
    assert match, place_date("X", day)
    assert dt.date(int(match[3]), int(match[2]), int(match[1])) == day


def test_number_line():
    doc = sample_document()
    assert doc.number_line == "Số: 12/BC-UBND"
    blank = AdministrativeDocument(
        issuer=("ỦY BAN NHÂN DÂN",),
        kind="BÁO CÁO",
        title=(),
        body=(),
        place="X",
        symbol="BC-UBND",
    )
    assert blank.number_line.startswith("Số: ") and blank.number_line.endswith("/BC-UBND")
    assert "12" not in blank.number_line


def test_recipients_end_with_archive_as_in_seed_003():
    lines = recipient_lines(("- BTV Đảng ủy (để b/c);", "Lãnh đạo UBND xã"), "VT, NV")
    assert lines == ("- BTV Đảng ủy (để b/c);", "- Lãnh đạo UBND xã;", "- Lưu: VT, NV.")


@given(st.lists(st.text(min_size=0, max_size=30), max_size=8))
def test_recipient_lines_always_well_formed(items):
    lines = recipient_lines(tuple(items))
    assert lines[-1] == "- Lưu: VT."
    for line in lines[:-1]:
        assert line.startswith("- ") and line.endswith(";")
        assert len(line) > 3


def test_figure_text_rounds_half_up_the_vietnamese_way():
    assert Figure(total_score(), 2).text == "87,75"
    assert Figure(D("1086"), 0).text == "1.086"
    assert Figure(D("71.4285"), 2, percent=True).text == "71,43%"
    assert Figure(None, 2).text == "–"


def test_paragraph_text_and_locked_figures():
    par = Paragraph.of("UBND xã đạt ", Figure(total_score(), 2, key="total_score"), "/100 điểm")
    assert par.text == "UBND xã đạt 87,75/100 điểm"
    assert [f.key for f in par.figures] == ["total_score"]


def test_seed_003_totals_add_up():
    assert total_max() == D(100)
    assert total_score() == D("87.747")
    assert len(DONG_TAM_2022) == 10


def test_component_table_cells_print_vietnamese_numbers():
    table = component_table()
    body = table.body_texts()
    tthc = next(row for row in body if row[1] == "Cải cách thủ tục hành chính")
    assert tthc == ["3", "Cải cách thủ tục hành chính", "18,5", "16,62", "89,84", "2/20"]
    the_ch = next(row for row in body if row[1] == "Cải cách thể chế")
    assert the_ch[4] == "95,00"  # trim=False keeps the share column aligned
    impact = next(row for row in body if row[1].startswith("Tác động"))
    assert impact[3] == "1,577"  # places=None: printed as published, not rounded
    assert table.totals_texts() == ["", "Tổng cộng", "100", "87,75", "87,75", "9/20"]


def test_header_layout_with_groups_spans_two_rows():
    top, bottom = component_table().header_layout()
    assert [(c.text, c.colspan, c.rowspan) for c in top] == [
        ("TT", 1, 2),
        ("Lĩnh vực đánh giá", 1, 2),
        ("Điểm", 2, 1),
        ("Tỷ lệ (%)", 1, 2),
        ("Xếp hạng", 1, 2),
    ]
    assert [c.text for c in bottom] == ["Tối đa", "Đạt được"]
    assert [c.column for c in bottom] == [2, 3]


def test_table_rejects_a_row_of_the_wrong_width():
    with pytest.raises(DocumentError) as err:
        Table(columns=(Column("A"), Column("B")), rows=(("1", "2"), ("3",)), caption="Bảng X")
    assert err.value.code == "row_width"
    assert "Dòng 2" in str(err.value)
    assert err.value.where == "Bảng X"


def test_table_rejects_groups_not_covering_the_columns():
    with pytest.raises(DocumentError) as err:
        Table(columns=(Column("A"), Column("B")), rows=(), groups=(HeaderGroup("G", 1),))
    assert err.value.code == "group_span"


def test_format_cell():
    assert format_cell(D("1086")) == "1.086"
    assert format_cell(1086) == "1.086"
    assert format_cell(D("87.745")) == "87,75"
    assert format_cell(None) == "–"
    assert format_cell("9/20") == "9/20"
    assert format_cell(D("95"), 2, trim=False) == "95,00"


def test_chart_checks_series_length_and_radar_size():
    with pytest.raises(DocumentError) as err:
        Chart("bar", "T", ("a", "b"), (Series("s", (D(1),)),))
    assert err.value.code == "series_length"
    with pytest.raises(DocumentError) as err:
        Chart("radar", "T", ("a", "b"), (Series("s", (D(1), D(2))),))
    assert err.value.code == "radar_categories"
    with pytest.raises(DocumentError) as err:
        Chart("pie", "T", ("a",), ())  # type: ignore[arg-type]
    assert err.value.code == "chart_kind"


def test_heading_level_is_checked():
    with pytest.raises(DocumentError):
        Heading(5, "x")


def test_plain_text_has_every_part_in_order():
    text = plain_text(sample_document())
    order = [
        "UBND HUYỆN NINH GIANG",
        "XÃ ĐỒNG TÂM",
        "Số: 12/BC-UBND",
        NATIONAL_NAME,
        NATIONAL_MOTTO,
        "Đồng Tâm, ngày 20 tháng 3 năm 2023",
        "BÁO CÁO",
        "UBND xã đạt 87,75/100 điểm",
        "Cải cách thủ tục hành chính\t18,5\t16,62\t89,84\t2/20",
        "Nơi nhận:",
        "- Lưu: VT, NV.",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "Đinh Văn Châu",
    ]
    positions = [text.index(s) for s in order]
    assert positions == sorted(positions)


def test_default_layout_is_a4_with_nd30_margins():
    layout = sample_document().layout
    assert (layout.width_mm, layout.height_mm) == (210, 297)
    assert 20 <= layout.top_mm <= 25 and 20 <= layout.bottom_mm <= 25
    assert 30 <= layout.left_mm <= 35 and 15 <= layout.right_mm <= 20
    assert 13 <= layout.font_size <= 14
    assert layout.text_width_mm == 160
