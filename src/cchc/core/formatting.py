"""Numbers and dates the Vietnamese way (87,75; 1.086; 18/9/2023), and the one rounding rule.

Plain module: no Django import. Templates, documents, exports and commands all print through it.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

Number = int | float | Decimal


def to_decimal(value: Number | str) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        # repr() gives the shortest exact round-trip, so 87.75 stays 87.75
        return Decimal(repr(value))
    return Decimal(value)


_QUANTA = {places: Decimal(1).scaleb(-places) for places in range(7)}


def round_half_up(value: Number | str, places: int = 2) -> Decimal:
    """Round once, for display: 87.745 -> 87.75 (never banker's rounding)."""
    quantum = _QUANTA.get(places) or Decimal(1).scaleb(-places)
    return to_decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)


def percent(numerator: Number, denominator: Number, places: int = 2) -> Decimal | None:
    """numerator / denominator × 100, rounded half-up; None when there is nothing to divide by."""
    if not denominator:
        return None
    return round_half_up(to_decimal(numerator) * 100 / to_decimal(denominator), places)


def vn_number(value: Number | str | None, places: int | None = None, *, trim: bool = True) -> str:
    """1086 -> '1.086'; 87.75 -> '87,75'; 6.0 -> '6' (trim) ; None -> '–'.

    places: round half-up to that many decimals first; trim drops trailing zeros.
    """
    if value is None:
        return "–"
    number = to_decimal(value)
    if places is not None:
        number = round_half_up(number, places)
    sign = "-" if number < 0 else ""
    text = f"{abs(number):f}"
    whole, _, frac = text.partition(".")
    if trim:
        frac = frac.rstrip("0")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    out = ".".join(groups)
    if frac:
        out += "," + frac
    return sign + out


# One rule for decimals per kind of figure (issue 15 found a total "41,517" beside "87,75"),
# as the decisions print them (seed 003, Đồng Tâm 2022):
# - a criterion's or a component's points: up to three decimals, trailing zeros dropped
#   ("1,577/2 điểm" beside "11,84/15 điểm"); scoring guides give points in thousandths;
# - a unit's total points and its index: two decimals ("87,75/100 điểm" for 87,747);
# - rates (%): two decimals.
# Rounded half-up once, for display; stored values keep their precision.
SCORE_PLACES = 3
TOTAL_PLACES = 2
INDEX_PLACES = 2
RATE_PLACES = 2


def vn_score(value: Number | str | None) -> str:
    """A criterion's or component's points: 1.577 -> '1,577'; 11.840 -> '11,84'; 6 -> '6'."""
    return vn_number(value, SCORE_PLACES)


def vn_total(value: Number | str | None) -> str:
    """A unit's total points: 87.747 -> '87,75'; None -> '–'."""
    return vn_number(value, TOTAL_PLACES)


def vn_index(value: Number | str | None) -> str:
    """An index or a rate in percent, without the sign: 87.2467 -> '87,25'."""
    return vn_number(value, INDEX_PLACES)


def vn_input_number(value: Number | str | None) -> str:
    """The value of a number field the Vietnamese way, exact and without thousands dots
    (2.25 -> '2,25', 1086.5 -> '1086,5'), so that reading it back gives the same number."""
    if value is None or value == "":
        return ""
    text = f"{to_decimal(value):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


_INPUT_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def parse_vn_number(text: str) -> Decimal:
    """'6,5', '6.5' and ' 6,50 ' -> Decimal('6.5'): a decimal comma or point, at most one,
    no thousands separators (the inputs this reads are points and percentages).
    Raises ValueError on anything else."""
    cleaned = text.strip().replace(",", ".")
    if not _INPUT_NUMBER.fullmatch(cleaned):
        raise ValueError(text)
    return Decimal(cleaned)


def vn_percent(value: Number | str | None, places: int = 2) -> str:
    """88.2537 -> '88,25%'; None (no denominator) -> 'không có số liệu'."""
    if value is None:
        return "không có số liệu"
    return vn_number(value, places) + "%"


# Dates print in Vietnam time whatever the server's zone (issue 14: a dossier received at
# 06:28 on 6/12 in Vietnam is 23:28 on 5/12 in UTC, and printed "5/12/2026").
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def vn_local(value: dt.date | dt.datetime) -> dt.date | dt.datetime:
    """An aware date-time moved to Vietnam time; dates and naive times (already Vietnam
    time) unchanged."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(VIETNAM)
    return value


def vn_date(value: dt.date | dt.datetime | None) -> str:
    """18/9/2023: day and month without leading zeros, as Vietnamese documents print them."""
    if value is None:
        return ""
    value = vn_local(value)
    return f"{value.day}/{value.month}/{value.year}"


def vn_datetime(value: dt.datetime | None) -> str:
    """06/12/2026 06:28: a moment in Vietnam time, whatever the server's zone (TIME_ZONE
    may be UTC on a server; a dossier received at 06:28 on 6/12 is still 6/12)."""
    if value is None:
        return ""
    return vn_local(value).strftime("%d/%m/%Y %H:%M")


def vn_time(value: dt.datetime | None) -> str:
    """06:28 in Vietnam time."""
    if value is None:
        return ""
    return vn_local(value).strftime("%H:%M")


def vn_date_padded(value: dt.date | dt.datetime | None) -> str:
    """18/09/2023, for tables where columns should line up."""
    if value is None:
        return ""
    return vn_local(value).strftime("%d/%m/%Y")
