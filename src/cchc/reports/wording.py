"""How a report names things: issuer lines, place, periods, changes between two figures.

Plain module: no Django import; units arrive as (name, kind) pairs.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from cchc.core.formatting import vn_date, vn_number
from cchc.dossiers.periods import ROMAN, Period

# Kind words a unit's name starts with (longest first, so "Thành phố" beats "Thị").
_PREFIXES = (
    "Thành phố",
    "Thị trấn",
    "Thị xã",
    "Đặc khu",
    "Phường",
    "Huyện",
    "Quận",
    "Tỉnh",
    "Xã",
)

# ND 30/2020 Phụ lục I mục 2: the issuing authority of a People's Committee is printed as
# "ỦY BAN NHÂN DÂN" over the place ("XÃ ĐỒNG TÂM"); a department under the province
# prints its governing body ("UBND TỈNH HẢI DƯƠNG") above its own name.
UBND = "ỦY BAN NHÂN DÂN"
UBND_KINDS = {"province", "district", "commune", "ward", "special_zone", "town"}

# Who signs a People's Committee's document (ND 30/2020 Phụ lục I mục 8).
SIGN_AUTHORITY = "TM. ỦY BAN NHÂN DÂN"
SIGN_TITLE = "CHỦ TỊCH"

# How a unit kind is named in a sentence: "Ủy ban nhân dân xã báo cáo ...".
LEVEL_WORD = {
    "province": "tỉnh",
    "district": "huyện",
    "commune": "xã",
    "ward": "phường",
    "special_zone": "đặc khu",
    "town": "thị trấn",
    "department": "",
}


def place_name(name: str) -> str:
    """'Xã Ninh Giang' -> 'Ninh Giang'; 'Thành phố Hải Phòng' -> 'Hải Phòng'."""
    for prefix in _PREFIXES:
        if name.startswith(prefix + " "):
            return name[len(prefix) + 1 :].strip()
    return name


def in_sentence(name: str) -> str:
    """'Huyện Ninh Giang' -> 'huyện Ninh Giang' inside a sentence; 'Sở Nội vụ' stays."""
    for prefix in _PREFIXES:
        if name.startswith(prefix + " "):
            return prefix.lower() + name[len(prefix) :]
    return name


def document_ref(text: str) -> str:
    """'137/QĐ-UBND' -> 'Quyết định số 137/QĐ-UBND'; a reference already naming its kind
    ('Kế hoạch số 11/KH-UBND') is kept."""
    value = text.strip()
    if not value or not value[0].isdigit():
        return value
    symbol = value.split("/", 1)[1] if "/" in value else ""
    for code, word in (("QĐ", "Quyết định"), ("KH", "Kế hoạch"), ("CV", "Công văn")):
        if symbol.upper().startswith(code):
            return f"{word} số {value}"
    return f"văn bản số {value}"


from cchc.core.legal import official_title  # noqa: E402,F401 (one rule, re-exported)


def upper(text: str) -> str:
    return text.upper()


def issuer_lines(
    name: str, kind: str, parent_name: str | None
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(issuer_parent, issuer) for the top-left block of a document."""
    if kind in UBND_KINDS:
        return (), (UBND, upper(name))
    parent = (f"UBND {upper(parent_name)}",) if parent_name else ()
    return parent, (upper(name),)


def symbol_for(prefix: str, name: str, kind: str) -> str:
    """'BC-UBND' for a People's Committee; 'BC-SNV' for Sở Nội vụ (initials of the name)."""
    if not prefix:
        return ""
    if kind in UBND_KINDS:
        return f"{prefix}-UBND"
    initials = "".join(word[0] for word in name.split() if word[:1].isalpha()).upper()
    return f"{prefix}-{initials or 'CQ'}"


def _named_end(period: Period) -> dt.date:
    """The day a period is named by: its own end, not the day a counted period stops
    (periods.counted: Q1/2023 counted to 20/1/2023 is still quý I năm 2023)."""
    return period.full_end or period.end


def period_phrase(period: Period) -> str:
    """The words a title uses: 'quý I năm 2023', '6 tháng đầu năm 2023', 'năm 2023'."""
    end = _named_end(period)
    year = end.year
    if period.kind == "quarter":
        return f"quý {ROMAN[end.month // 3]} năm {year}"
    if period.kind == "half":
        return f"6 tháng {'đầu' if end.month <= 6 else 'cuối'} năm {year}"
    if period.kind == "year":
        return f"năm {year}"
    if period.kind == "month":
        return f"tháng {end.month} năm {year}"
    return f"từ ngày {vn_date(period.start)} đến ngày {vn_date(period.end)}"


def period_range(period: Period) -> str:
    # A counted period (periods.counted) also states the day its figures are counted to.
    return period.range_text


def next_period_phrase(period: Period) -> str:
    """What 'the coming period' is called in the closing section."""
    end = _named_end(period)
    year = end.year
    if period.kind == "quarter":
        number = end.month // 3
        return f"quý {ROMAN[number + 1]} năm {year}" if number < 4 else f"năm {year + 1}"
    if period.kind == "half":
        return f"6 tháng cuối năm {year}" if end.month <= 6 else f"năm {year + 1}"
    return f"năm {year + 1}"


def change_words(delta: Decimal | int | None, *, unit: str, places: int = 2) -> str:
    """'tăng 20,11 điểm phần trăm', 'giảm 3 hồ sơ', 'không thay đổi'.

    A change between two percentages is a difference of points (điểm phần trăm), never a
    percentage: seed 004 printed a rise from 63,19% to 83,30% as "19,69%".
    """
    if delta is None:
        return "không so sánh được"
    if delta == 0:
        return "không thay đổi"
    word = "tăng" if delta > 0 else "giảm"
    return f"{word} {vn_number(abs(delta), places)} {unit}".rstrip()


POINTS_OF_PERCENT = "điểm phần trăm"
