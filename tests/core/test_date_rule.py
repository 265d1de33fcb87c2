"""One date rule for every date a person reads (issue 16): Nghị định 30/2020/NĐ-CP, Phụ lục I
("đối với những số chỉ ngày nhỏ hơn 10 và tháng 1, 2 thì phải ghi thêm số 0 ở trước"), as
the users' documents write their dates (seeds 002, 003, 004, 000: 05/9/2016, 28/01/2021,
15/7/2021, 14/12/2021)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.template import engines
from hypothesis import given
from hypothesis import strategies as st

from cchc.core import formatting
from cchc.core.formatting import (
    parse_vn_date,
    vn_date,
    vn_date_long,
    vn_datetime,
    vn_day_month,
    vn_time_date,
)
from cchc.documents.document import place_date

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"
DATES = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))


def expected_parts(day: dt.date) -> tuple[str, str, str]:
    """The rule spelled out independently of the code under test."""
    dd = ("0" + str(day.day)) if day.day < 10 else str(day.day)
    mm = ("0" + str(day.month)) if day.month in (1, 2) else str(day.month)
    return dd, mm, str(day.year)


@given(DATES)
def test_every_date_follows_the_decree_and_reads_back(day: dt.date) -> None:
    dd, mm, yyyy = expected_parts(day)
    text = vn_date(day)
    assert text == f"{dd}/{mm}/{yyyy}"
    assert re.fullmatch(r"\d\d/(?:0[12]|[3-9]|1[0-2])/\d{4}", text)
    assert parse_vn_date(text) == day
    long = vn_date_long(day)
    assert long == f"ngày {dd} tháng {mm} năm {yyyy}"
    assert parse_vn_date(long) == day
    assert vn_day_month(day) == f"{dd}/{mm}"


@given(DATES)
def test_the_parser_takes_every_spelling_a_person_types(day: dt.date) -> None:
    bare = f"{day.day}/{day.month}/{day.year}"
    padded = f"{day.day:02d}/{day.month:02d}/{day.year}"
    for text in (
        bare,
        padded,
        day.isoformat(),
        f" {padded} ",
        f"{day.day} / {day.month} / {day.year}",
    ):
        assert parse_vn_date(text) == day, text


@pytest.mark.parametrize(
    "text", ["", "5/9", "32/1/2021", "29/2/2023", "5/13/2021", "2021/9/5", "05.9.2021", "x"]
)
def test_the_parser_refuses_what_is_not_a_date(text: str) -> None:
    with pytest.raises(ValueError):
        parse_vn_date(text)


@pytest.mark.parametrize(
    ("day", "text"),
    [
        # seed 002 (Thanh Xá): QĐ 2338/QĐ-UBND ngày 05/9/2016
        (dt.date(2016, 9, 5), "05/9/2016"),
        # seed 004 (Tứ Kỳ): KH ngày 28/01/2021, QĐ ngày 15/7/2021, ngày 02/9/2021
        (dt.date(2021, 1, 28), "28/01/2021"),
        (dt.date(2021, 7, 15), "15/7/2021"),
        (dt.date(2021, 9, 2), "02/9/2021"),
        (dt.date(2021, 2, 1), "01/02/2021"),
        # seed 001 (Cẩm Giàng): KH ngày 26/12/2022; seed 000 (Đại Đức): 14/12/2021
        (dt.date(2022, 12, 26), "26/12/2022"),
        (dt.date(2021, 12, 14), "14/12/2021"),
        # seed 003 (Đồng Tâm): the period 15/12/2022 – 30/3/2023, decision of 24/02/2023
        (dt.date(2022, 12, 15), "15/12/2022"),
        (dt.date(2023, 3, 30), "30/3/2023"),
        (dt.date(2023, 2, 24), "24/02/2023"),
        # seed 000 (Đại Đức): 09/3/2023
        (dt.date(2023, 3, 9), "09/3/2023"),
    ],
)
def test_the_seeds_dates(day: dt.date, text: str) -> None:
    assert vn_date(day) == text
    assert parse_vn_date(text) == day


def test_the_seeds_dates_in_words() -> None:
    # seed 001: "ngày 06 tháng 12 năm 2021", "ngày 10 tháng 4 năm 2023"; seed 004: ngày 05
    # tháng 5 năm 2014; the decree's own example: ngày 05 tháng 02.
    assert vn_date_long(dt.date(2021, 12, 6)) == "ngày 06 tháng 12 năm 2021"
    assert vn_date_long(dt.date(2023, 4, 10)) == "ngày 10 tháng 4 năm 2023"
    assert vn_date_long(dt.date(2014, 5, 5)) == "ngày 05 tháng 5 năm 2014"
    assert vn_date_long(dt.date(2021, 1, 5)) == "ngày 05 tháng 01 năm 2021"
    assert place_date("Hải Phòng", dt.date(2021, 1, 5)) == "Hải Phòng, ngày 05 tháng 01 năm 2021"
    assert place_date("Đồng Tâm", dt.date(2023, 3, 20)) == "Đồng Tâm, ngày 20 tháng 3 năm 2023"


def test_the_seeds_follow_the_rule_but_three_dates() -> None:
    """The rule is read from the documents: of their 83 numeric dates, 80 follow it; seed 000
    pads March twice (15/03/2021, 16/03/2021) and seed 004 leaves February bare once
    (03/2/2021, which it writes 03/02/2021 elsewhere). No seed writes a day below 10 bare.
    Their 5 dates in words all follow it (ngày 06 tháng 12 năm 2021, ngày 05 tháng 5 năm 2014)."""
    follows, breaks, words = 0, [], []
    for path in sorted(SEEDS.glob("0*.txt")):
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])", text):
            day = dt.date(int(m[3]), int(m[2]), int(m[1]))
            if vn_date(day) == m[0]:
                follows += 1
            else:
                breaks.append(m[0])
        for m in re.finditer(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", text):
            day = dt.date(int(m[3]), int(m[2]), int(m[1]))
            words.append(vn_date_long(day) == " ".join(m[0].split()))
    assert follows == 80
    assert sorted(breaks) == ["03/2/2021", "15/03/2021", "16/03/2021"]
    assert words == [True] * 5


LATE_UTC = dt.datetime(2026, 12, 5, 23, 28, tzinfo=dt.UTC)  # 06:28 on 06/12 in Vietnam


def test_moments_keep_the_date_rule_in_vietnam_time() -> None:
    assert vn_datetime(LATE_UTC) == "06/12/2026 06:28"
    assert vn_time_date(LATE_UTC) == "06:28 06/12/2026"
    morning = dt.datetime(2026, 9, 5, 1, 0, tzinfo=dt.UTC)  # 08:00 on 05/9 in Vietnam
    assert vn_datetime(morning) == "05/9/2026 08:00"
    assert vn_time_date(morning) == "08:00 05/9/2026"
    assert vn_date(dt.datetime(2027, 1, 31, 17, 30, tzinfo=dt.UTC)) == "01/02/2027"
    assert vn_date(None) == vn_date_long(None) == vn_datetime(None) == ""


def test_template_filters_print_through_the_rule() -> None:
    template = engines["django"].from_string(
        "{{ d|vn_date }}|{{ d|vn_date_long }}|{{ d|vn_day_month }}|{{ t|vn_datetime }}|"
        "{{ t|vn_time_date }}|{{ none|vn_date }}"
    )
    out = template.render({"d": dt.date(2021, 1, 5), "t": LATE_UTC, "none": None})
    assert out == "05/01/2021|ngày 05 tháng 01 năm 2021|05/01|06/12/2026 06:28|06:28 06/12/2026|"


def test_no_padded_helper_is_left() -> None:
    """One rule: the old everything-padded helper is gone, so no caller can print 05/09."""
    assert not hasattr(formatting, "vn_date_padded")


@pytest.mark.parametrize("text", ["05/9/2016", "5/9/2016", "05/09/2016", "2016-09-05"])
def test_a_form_reads_a_typed_date_day_first(text: str) -> None:
    """Django's "vi" locale has no input formats: without the settings' DATE_INPUT_FORMATS a
    form took 05/9/2016 month first (9 May)."""
    from django import forms

    assert forms.DateField().clean(text) == dt.date(2016, 9, 5)
    moment = forms.DateTimeField().clean(f"{text} 08:30")
    assert (moment.date(), moment.hour, moment.minute) == (dt.date(2016, 9, 5), 8, 30)
