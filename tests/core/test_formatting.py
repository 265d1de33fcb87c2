from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from cchc.core.formatting import percent, round_half_up, vn_date, vn_number, vn_percent


def test_vietnamese_numbers():
    assert vn_number(1086) == "1.086"
    assert vn_number(Decimal("87.747"), 2) == "87,75"
    assert vn_number(Decimal("6.00")) == "6"
    assert vn_number(1234567.5) == "1.234.567,5"
    assert vn_number(-1086) == "-1.086"
    assert vn_number(None) == "–"


def test_round_half_up_not_bankers():
    assert round_half_up("2.345") == Decimal("2.35")
    assert round_half_up(Decimal("0.125")) == Decimal("0.13")


def test_percent_of_seed_002():
    # Seed 002: 1.127 of 1.277 dossiers received online = 88,25%
    assert percent(1127, 1277) == Decimal("88.25")
    assert vn_percent(percent(1127, 1277)) == "88,25%"
    assert percent(5, 0) is None
    assert vn_percent(None) == "không có số liệu"


def test_dates():
    assert vn_date(dt.date(2023, 9, 18)) == "18/9/2023"


# Issue 15: one rule for decimals per kind of figure, and number fields in Vietnamese form.
def test_decimals_per_kind_of_figure_as_seed_003_prints_them():
    from cchc.core.formatting import vn_index, vn_score, vn_total

    # A component's points: up to three decimals ("1,577/2 điểm" beside "11,84/15 điểm").
    assert vn_score(Decimal("1.577")) == "1,577"
    assert vn_score(Decimal("11.840")) == "11,84"
    assert vn_score(Decimal("0.3335")) == "0,334"
    assert vn_score(6) == "6"
    # A unit's total: two decimals ("87,75/100 điểm" for 87,747); an index: two.
    assert vn_total(Decimal("87.747")) == "87,75"
    assert vn_total(Decimal("41.517")) == "41,52"
    assert vn_index(Decimal("87.2467")) == "87,25"


def test_input_numbers_round_trip_with_a_comma():
    from cchc.core.formatting import parse_vn_number, vn_input_number

    assert vn_input_number(Decimal("2.2500")) == "2,25"
    assert vn_input_number(Decimal("1086.5")) == "1086,5"
    assert vn_input_number(None) == ""
    for text in ("6,5", "6.5", " 6,50 "):
        assert parse_vn_number(text) == Decimal("6.5")
    assert parse_vn_number(vn_input_number(Decimal("1.577"))) == Decimal("1.577")
    for bad in ("", "6,5,1", "1.234,5", "abc", "6,", ",", "-"):
        with pytest.raises(ValueError):
            parse_vn_number(bad)
