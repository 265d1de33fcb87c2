from __future__ import annotations

import datetime as dt
from decimal import Decimal

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
