"""How `cchc check-report` reads a report: paragraphs and sentences, the figures in them
(Vietnamese number forms, masked dates and document numbers), the dossier role of each count,
and the comparisons of a printed share with a computed one.

Plain module: no Django import. The checks themselves are in
checker.py, checker_shares.py and checker_balance.py."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from typing import Literal

from cchc.core.formatting import round_half_up, vn_number
from cchc.reports.textextract import Location, SourceLine

# --------------------------------------------------------------------------- reading

_BULLET_RE = re.compile(r"^[-+*•–]\s?")
_HEADING_RE = re.compile(
    r"^(?:[IVX]+\.|\d{1,2}(?:\.\s?\d{1,2})*\.|\d{1,2}(?:\.\d{1,2})+\.?|[a-zđ]\)|[-+*•–])\s*"
)
_PAGE_NO_RE = re.compile(r"^\d{1,3}$")


def _heading_len(text: str) -> int:
    m = _HEADING_RE.match(text)
    if not m:
        return 0
    rest = text[m.end() :]
    if _BULLET_RE.match(text) or (rest[:1].isupper() if rest else False):
        return m.end()
    return 0


@dataclass
class _Para:
    text: str
    pieces: list[tuple[int, Location]]
    head_len: int

    def location_at(self, offset: int) -> Location:
        loc = self.pieces[0][1]
        for start, piece_loc in self.pieces:
            if start > offset:
                break
            loc = piece_loc
        return loc


def _build_paragraphs(lines: Iterable[SourceLine]) -> list[_Para]:
    paras: list[_Para] = []
    text = ""
    pieces: list[tuple[int, Location]] = []
    blank_before = False

    def flush() -> None:
        nonlocal text, pieces
        if text.strip():
            paras.append(_Para(text, pieces, _heading_len(text)))
        text, pieces = "", []

    for source in lines:
        t = " ".join(source.text.split())
        if source.whole_paragraph:
            flush()
            if t:
                paras.append(_Para(t, [(0, source.location)], _heading_len(t)))
            continue
        if not t:
            blank_before = True
            continue
        if _PAGE_NO_RE.match(t):
            continue
        ended = text.rstrip().endswith((".", ":", "!", "?", "./.")) or (
            text.endswith(")") and t[:1].isupper()
        )
        lone_heading = len(pieces) == 1 and _heading_len(text) and not text.endswith(",")
        if (
            not text
            or _heading_len(t)
            or (blank_before and ended)
            or (lone_heading and t[:1].isupper())
        ):
            flush()
            pieces.append((0, source.location))
            text = t
        else:
            pieces.append((len(text) + 1, source.location))
            text += " " + t
        blank_before = False
    flush()
    return paras


# Masked before reading numbers: dates, document numbers, years, ISO standards, "mức độ 3,4".
_MASKS = [
    re.compile(r"\d{1,2}\s?/\s?\d{1,2}\s?/\s?\d{2,4}"),
    re.compile(r"\d+\s?/\s?\d{4}\s?/\s?[A-ZĐ]"),
    re.compile(r"\d+\s?/\s?[A-ZĐ]"),
    re.compile(r"\d+\s?-\s?[A-ZĐ]{2}"),
    re.compile(r"\b(?:19|20)\d{2}\s?-\s?(?:19|20)?\d{2}\b"),
    re.compile(r"(?:ISO|TCVN)\s*\d+(?:\s?:\s?\d{4})?"),
    re.compile(r"(?i:covid)\s?-\s?\d+"),
    re.compile(r"(?i:mức độ|mứ độ)\s*\d(?:\s?,\s?\d)?"),
    re.compile(r"(?i:ngày|tháng|năm|quý|khóa|khoá|điều|khoản|lần thứ)\s*\d+"),
    re.compile(
        r"(?i:thông tư|nghị định|quyết định|kế hoạch|công văn|chỉ thị|nghị quyết|thông báo"
        r"|phụ lục|báo cáo|tờ trình|văn bản)\s*(?i:số)\s*:?\s*\d+"
    ),
]

_NUM = r"(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+)|,\s(\d)(?=\s?%))?"
_TOKEN_RE = re.compile(rf"(?<![\w.,/~]){_NUM}(?:\s?/\s?{_NUM})?(\s?%)?(?![\w/~])")
_UNIT_RE = re.compile(
    r"\s*(hồ sơ|người|xã|thị trấn|đơn vị|cơ quan|điểm|thủ tục|TTHC|văn bản|đợt|lượt|"
    r"triệu đồng|tỷ đồng|nghìn đồng|đồng|trường|cán bộ|công chức|viên chức|biên chế|hạng|"
    r"huyện|phiếu|kiến nghị|năm|tháng|ngày|lớp|tin|bài|nội dung|nhiệm vụ|địa chỉ|phòng|"
    r"mục|lĩnh vực|tiêu chí|nhóm|thôn)(?!\w)",
    re.IGNORECASE,
)
_COUNT_UNITS = {
    "hồ sơ",
    "người",
    "xã",
    "đơn vị",
    "cơ quan",
    "thủ tục",
    "tthc",
    "văn bản",
    "đợt",
    "lượt",
    "trường",
    "cán bộ",
    "công chức",
    "viên chức",
    "huyện",
    "phiếu",
    "địa chỉ",
    "phòng",
    "thôn",
    "lĩnh vực",
    "tiêu chí",
    "nhiệm vụ",
}
_NOT_COUNT_UNITS = {"điểm", "hạng", "năm", "tháng", "ngày"}


def _mask(text: str) -> str:
    chars = list(text)
    for pattern in _MASKS:
        for m in pattern.finditer(text):
            for i in range(m.start(), m.end()):
                chars[i] = "~"
    return "".join(chars)


def _dec(whole: str, frac: str | None) -> tuple[Decimal, int]:
    value = Decimal(whole.replace(".", ""))
    if frac:
        return value + Decimal(frac).scaleb(-len(frac)), len(frac)
    return value, 0


@dataclass
class _Token:
    kind: Literal["num", "pct", "ratio"]
    value: Decimal
    places: int
    start: int  # offsets in the paragraph text
    end: int
    unit: str | None
    unit_end: int
    sentence: int  # index into the paragraph's sentences
    den: Decimal | None = None
    den_places: int = 0
    role: str | None = None
    label: str = ""

    @property
    def is_count(self) -> bool:
        return (
            self.kind == "num"
            and self.places == 0
            and (self.unit is None or self.unit not in _NOT_COUNT_UNITS)
        )


@dataclass
class _Sentence:
    start: int
    end: int


@dataclass
class _Doc:
    para: _Para
    masked: str
    sentences: list[_Sentence]
    tokens: list[_Token] = field(default_factory=list)

    def sentence_text(self, index: int) -> str:
        s = self.sentences[index]
        return self.para.text[s.start : s.end].strip()

    def location(self, index: int) -> Location:
        return self.para.location_at(self.sentences[index].start)


def _split_sentences(text: str) -> list[_Sentence]:
    out: list[_Sentence] = []
    start = 0
    for m in re.finditer(r"[.!?]\s+", text):
        following = text[m.end() : m.end() + 2].lstrip('"“(*-+ ')
        if following[:1].isupper():
            out.append(_Sentence(start, m.end()))
            start = m.end()
    out.append(_Sentence(start, len(text)))
    return [s for s in out if text[s.start : s.end].strip()]


def _unit_norm(unit: str | None) -> str | None:
    if unit is None:
        return None
    u = unit.lower()
    return "xã" if u == "thị trấn" else u


def _tokenize(para: _Para) -> _Doc:
    masked = _mask(para.text)
    doc = _Doc(para, masked, _split_sentences(para.text))
    sent_index = 0
    for m in _TOKEN_RE.finditer(masked):
        if m.start() < para.head_len:
            continue
        while doc.sentences[sent_index].end <= m.start() and sent_index + 1 < len(doc.sentences):
            sent_index += 1
        a, a_places = _dec(m.group(1), m.group(2) or m.group(3))
        unit_m = _UNIT_RE.match(masked, m.end())
        unit = _unit_norm(unit_m.group(1)) if unit_m else None
        unit_end = unit_m.end() if unit_m else m.end()
        if m.group(4):
            b, b_places = _dec(m.group(4), m.group(5) or m.group(6))
            doc.tokens.append(
                _Token(
                    "ratio",
                    a,
                    a_places,
                    m.start(),
                    m.end(),
                    unit,
                    unit_end,
                    sent_index,
                    b,
                    b_places,
                )
            )
            continue
        if m.group(7):
            doc.tokens.append(
                _Token("pct", a, a_places, m.start(), m.end(), None, m.end(), sent_index)
            )
            continue
        raw = m.group(1)
        if a_places == 0 and "." not in raw and 1900 <= a <= 2100 and unit in (None, "năm"):
            continue  # a year
        doc.tokens.append(
            _Token("num", a, a_places, m.start(), m.end(), unit, unit_end, sent_index)
        )
    _label_tokens(doc)
    return doc


# --------------------------------------------------------------------------- dossier roles

_CLAUSE_BREAK = re.compile(r"[;,()]")

# Thông tư 01/2020/TT-VPCP, form 06 (results of dossier handling): received = carried over
# + new (online + direct); handled = early + on time + late; received = handled + pending.
_ROLE_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("pending", re.compile(r"đang (giải quyết|xử lý)|chưa giải quyết")),
    ("carried", re.compile(r"\btồn\b|kỳ trước chuyển|chuyển sang")),
    ("late", re.compile(r"trễ hạn|quá hạn|trễ hẹn")),
    ("early_ontime", re.compile(r"trước( hạn)? và đúng hạn|trước hạn, đúng hạn|đúng và trước hạn")),
    ("early", re.compile(r"trước hạn")),
    ("ontime", re.compile(r"đúng hạn")),
    ("online", re.compile(r"trực tuyến|online|onlie|qua mạng")),
    ("direct", re.compile(r"trực tiếp")),
    ("resolved", re.compile(r"đã giải quyết|giải quyết xong|đã xử lý")),
    ("total", re.compile(r"tổng số|\btổng\b|tiếp nhận")),
]
_ROLE_EXCLUDE = re.compile(r"số h[oó]a|chứng thực|thanh toán|bưu chính|cấp huyện|cấp xã")
_TOTAL_WORDS = re.compile(r"tổng|tiếp nhận|đã giải quyết|được đánh giá|toàn bộ|tất cả|có mặt")


def _clause_bounds(doc: _Doc, tok: _Token) -> tuple[int, int]:
    """The clause around a token: between ; , ( ) that are not inside a number, in its sentence."""
    sentence = doc.sentences[tok.sentence]
    spans = [(t.start, t.end) for t in doc.tokens if t.sentence == tok.sentence]

    def is_break(i: int) -> bool:
        return bool(_CLAUSE_BREAK.match(doc.para.text, i)) and not any(s <= i < e for s, e in spans)

    start = tok.start
    while start > sentence.start and not is_break(start - 1):
        start -= 1
    end = tok.end
    while end < sentence.end and not is_break(end):
        end += 1
    return start, end


def _label_tokens(doc: _Doc) -> None:
    previous_end = 0
    for tok in doc.tokens:
        c_start, c_end = _clause_bounds(doc, tok)
        before = doc.para.text[max(c_start, previous_end) : tok.start]
        if ":" in before:
            head, _, tail = before.rpartition(":")
            before = tail if tail.strip() else head.rpartition(":")[2]
        after = doc.para.text[tok.unit_end : c_end]
        tok.label = (before + " | " + after).lower()
        previous_end = tok.unit_end
        if tok.is_count and tok.unit in (None, "hồ sơ", "tthc", "thủ tục"):
            if _ROLE_EXCLUDE.search(tok.label):
                continue
            for role, pattern in _ROLE_RULES:
                if pattern.search(tok.label):
                    tok.role = role
                    break


# --------------------------------------------------------------------------- helpers


def _fmt(value: Decimal, places: int | None = None) -> str:
    return vn_number(value, places, trim=places is None)


def _share_ok(num: Decimal, den: Decimal, printed: Decimal, places: int) -> bool:
    if den == 0:
        return False
    value = num * 100 / den
    rounded = round_half_up(value, places)
    truncated = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN)
    return printed in (rounded, truncated)


def _share(num: Decimal, den: Decimal, places: int) -> Decimal:
    return round_half_up(num * 100 / den, places)


def _compatible(a: _Token, b: _Token) -> bool:
    return a.unit is None or b.unit is None or a.unit == b.unit


_BOUND_BEFORE = re.compile(r"(trên|hơn|dưới|khoảng|gần|tối thiểu|tối đa|ít nhất|xấp xỉ)\s*$")
_NOT_A_SHARE_AFTER = re.compile(
    r"^\s*(kế hoạch|chỉ tiêu|so với|dự toán|trở lên|số điểm|điểm|tổng số đơn vị)"
)
