"""Numbers and dates the Vietnamese way (87,75; 1.086; 05/9/2016), and the one rounding rule.

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


# One date rule for every date a person reads (pages, documents DOCX/PDF, messages, text
# cells of exports, command output): Nghị định 30/2020/NĐ-CP, Phụ lục I: "đối với những số
# chỉ ngày nhỏ hơn 10 và tháng 1, 2 thì phải ghi thêm số 0 ở trước". The users' documents
# write their numeric dates the same way (seeds: 05/9/2016, 28/01/2021, 15/7/2021,
# 14/12/2021).
#
# Machine-facing dates are not printed by these functions and keep their own form: the value
# of an HTML date input and dates in URLs (ISO 2026-09-05), ISO dates in the API and in CSV
# data columns that must parse, and XLSX cells holding a real date (a date value, not text).


def _day(day: int) -> str:
    return f"{day:02d}"


def _month(month: int) -> str:
    return f"{month:02d}" if month < 3 else str(month)


def vn_date(value: dt.date | dt.datetime | None) -> str:
    """05/9/2016, 28/01/2021, 15/7/2021, 14/12/2021: the day takes a leading zero below 10,
    the month only when it is 1 or 2, the year has four digits (NĐ 30/2020, Phụ lục I).

    An aware date-time is read in Vietnam time. Only for what a person reads; HTML input
    values, URLs, APIs and CSV data columns use ISO (value.isoformat()) instead."""
    if value is None:
        return ""
    value = vn_local(value)
    return f"{_day(value.day)}/{_month(value.month)}/{value.year:04d}"


def vn_day_month(value: dt.date | dt.datetime | None) -> str:
    """05/9, 28/01: a day of a known year, by the same rule as vn_date (filing matrix cells)."""
    if value is None:
        return ""
    value = vn_local(value)
    return f"{_day(value.day)}/{_month(value.month)}"


def vn_date_long(value: dt.date | dt.datetime | None) -> str:
    """'ngày 05 tháng 01 năm 2021', 'ngày 20 tháng 3 năm 2023': the date line of a document
    ("Hải Phòng, ngày … tháng … năm …") and dates written out in words, same rule as vn_date."""
    if value is None:
        return ""
    value = vn_local(value)
    return f"ngày {_day(value.day)} tháng {_month(value.month)} năm {value.year:04d}"


def vn_datetime(value: dt.datetime | None) -> str:
    """05/9/2026 08:00, 06/12/2026 06:28: a moment in Vietnam time, whatever the server's zone
    (TIME_ZONE may be UTC on a server; a dossier received at 06:28 on 06/12 is still 06/12);
    the date part follows vn_date's rule."""
    if value is None:
        return ""
    return f"{vn_date(value)} {vn_time(value)}"


def vn_time_date(value: dt.datetime | None) -> str:
    """08:00 05/9/2026: the time first, as a line of history or a message reads it."""
    if value is None:
        return ""
    return f"{vn_time(value)} {vn_date(value)}"


def vn_time(value: dt.datetime | None) -> str:
    """06:28 in Vietnam time."""
    if value is None:
        return ""
    return vn_local(value).strftime("%H:%M")


_DATE_NUMERIC = re.compile(r"(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})")
_DATE_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DATE_LONG = re.compile(r"(?i:ngày)\s+(\d{1,2})\s+(?i:tháng)\s+(\d{1,2})\s+(?i:năm)\s+(\d{4})")


def parse_vn_date(text: str) -> dt.date:
    """A date a person typed, padded or not: '5/9/2016', '05/09/2016', '05/9/2016',
    '2016-09-05' (ISO, what a date input sends) and 'ngày 05 tháng 9 năm 2016' all give
    date(2016, 9, 5). Raises ValueError on anything else, and on a day that does not exist."""
    cleaned = " ".join(str(text).split())
    if m := _DATE_NUMERIC.fullmatch(cleaned):
        day, month, year = m.groups()
    elif m := _DATE_ISO.fullmatch(cleaned):
        year, month, day = m.groups()
    elif m := _DATE_LONG.fullmatch(cleaned):
        day, month, year = m.groups()
    else:
        raise ValueError(text)
    return dt.date(int(year), int(month), int(day))
