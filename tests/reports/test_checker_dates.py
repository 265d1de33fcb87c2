"""cchc check-report flags dates not written by the one rule of NĐ 30/2020 (issue 16): the day
takes a leading zero below 10, the month only when it is 1 or 2 (05/9/2016, 28/01/2021)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc.core.formatting import vn_date, vn_date_long
from cchc.reports.checker import check_text, render
from cchc.reports.textextract import Location

DATES = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))


def dates_of(text: str) -> set[tuple[str, str]]:
    return {(str(f.printed), str(f.expected)) for f in check_text(text) if f.kind == "date"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Quyết định số 2338/QĐ-UBND ngày 05/9/2016 của UBND tỉnh.", set()),
        ("Kế hoạch số 25/KH-UBND ngày 28/01/2021 của UBND huyện.", set()),
        ("Quyết định số 2338/QĐ-UBND ngày 5/9/2016 của UBND tỉnh.", {("5/9/2016", "05/9/2016")}),
        ("Quyết định ngày 05/09/2016 của UBND tỉnh.", {("05/09/2016", "05/9/2016")}),
        ("Kế hoạch ngày 28/1/2021 của UBND huyện.", {("28/1/2021", "28/01/2021")}),
        ("Kế hoạch ngày 16/03/2021 của Đảng ủy.", {("16/03/2021", "16/3/2021")}),
        ("Đồng Tâm, ngày 05 tháng 01 năm 2021", set()),
        ("Đồng Tâm, ngày 20 tháng 3 năm 2023", set()),
        (
            "Đồng Tâm, ngày 5 tháng 1 năm 2021",
            {("ngày 5 tháng 1 năm 2021", "ngày 05 tháng 01 năm 2021")},
        ),
        (
            "Hải Phòng, ngày 20 tháng 03 năm 2023",
            {("ngày 20 tháng 03 năm 2023", "ngày 20 tháng 3 năm 2023")},
        ),
        # not dates: document numbers, shares, a day that does not exist, blanks to fill
        ("Thông tư số 01/2020/TT-VPCP ngày 21/10/2020 của Văn phòng Chính phủ.", set()),
        ("Kiểm tra 12/23 xã và 06/12 cơ quan.", set()),
        ("Ngày 31/4/2021 không có.", set()),
        ("Hải Phòng, ngày\u00a0\u00a0\u00a0\u00a0 tháng\u00a0\u00a0\u00a0\u00a0 năm 2026", set()),
    ],
)
def test_dates_against_the_rule(text: str, expected: set[tuple[str, str]]) -> None:
    assert dates_of(text) == expected


def test_a_date_finding_names_the_line_and_the_right_form() -> None:
    text = "Báo cáo kết quả.\n\nTừ ngày 15/12/2022 đến ngày 30/03/2023, xã tiếp nhận 192 hồ sơ."
    (finding,) = check_text(text)
    assert finding.kind == "date"
    assert finding.location == Location(line=3)
    assert finding.message.startswith("Ngày «30/03/2023» phải viết «30/3/2023»")
    assert "Nghị định 30/2020/NĐ-CP" in finding.message
    assert "[Ngày tháng viết sai thể thức] dòng 3" in render([finding])


@given(DATES)
def test_every_date_cchc_prints_passes_and_every_other_spelling_is_flagged(day: dt.date) -> None:
    assert dates_of(f"Quyết định ngày {vn_date(day)} của UBND huyện.") == set()
    assert dates_of(f"Hải Phòng, {vn_date_long(day)}") == set()
    for other in (
        f"{day.day}/{day.month}/{day.year}",
        f"{day.day:02d}/{day.month:02d}/{day.year}",
    ):
        if other != vn_date(day):
            assert dates_of(f"Quyết định ngày {other} của UBND huyện.") == {(other, vn_date(day))}
