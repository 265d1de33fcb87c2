"""`cchc check-report`: find the figures of a report written by hand and list what does not add up.

Plain module: no Django import. A report (DOCX, PDF or text) is read into paragraphs and
sentences; numbers are read the Vietnamese way (1.086 is one thousand and eighty-six,
87,75 is 87.75, "01 hồ sơ"); dates, document numbers (766/QĐ-UBND), years and "mức độ 3,4"
are masked first so they are never taken for figures. Then each kind of statement is checked:

- share: "x/y đạt z%", "x ... trên tổng số y ... z%", "n hồ sơ, tỷ lệ z%" against the totals
  the same paragraph states (the share must match one of them);
- total: the dossier balance of Thông tư 01/2020/TT-VPCP (received = resolved + pending,
  resolved = early + on time + late, received = online + direct [+ carried over]) and
  breakdowns "T (a, b và c)" / "T, trong đó a, b, c";
- change: "A% (năm X: B%): tăng C%" where C must be A − B (points) or the relative change;
- sum: component scores "a/b điểm" listed after a total "T/M điểm" whose maxima add up to M;
- rank / ratio / score: "r/n" with r > n;
- list_count: "gồm 17 xã: A, B, ... và Q" where the names listed are not 17;
- parts: parts of the dossiers received (on time, late, pending) adding to more than it;
- denominator: "a/b hồ sơ, đạt z%" where b is none of the counts stated and the paragraph
  states the total a belongs to;
- years: a total "over two years" equal to one year's count (seed 000, line 240);
- keep_with_next, widow, short_line (a PDF only): a heading or a lead-in ("* Đối với cấp
  xã:") alone at the bottom of a page; a paragraph whose last line is one short word; a
  paragraph broken after a short line (checker_layout);
- date: a date not written by the rule of Nghị định 30/2020 (Phụ lục I) that every date
  CCHC prints follows (cchc.core.formatting.vn_date): "05/9/2016", "28/01/2021",
  "ngày 05 tháng 01 năm 2021"; "5/9/2016" and "05/09/2016" are flagged.

Printed shares are compared with the computed value rounded half-up to the printed number
of decimals; a value truncated instead of rounded (99,68% for 99,686) is accepted too.
A statement is reported only when it is clearly wrong: when the checker cannot tell what a
figure is a share of, it stays silent (see docs/check-report.md, "Limits").
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from pathlib import Path
from typing import Literal

from cchc.core.formatting import round_half_up, vn_date, vn_date_long
from cchc.reports.checker_layout import layout_issues
from cchc.reports.checker_reading import (
    _BOUND_BEFORE,
    _COUNT_UNITS,
    _NOT_A_SHARE_AFTER,
    _TOTAL_WORDS,
    _build_paragraphs,
    _compatible,
    _Doc,
    _fmt,
    _share,
    _share_ok,
    _Token,
    _tokenize,
)
from cchc.reports.textextract import Location, SourceLine, read_lines, text_lines

__all__ = [
    "Check",
    "Finding",
    "Location",
    "KIND_LABELS",
    "check_file",
    "check_text",
    "check_lines",
    "render",
]

Kind = Literal[
    "share",
    "total",
    "change",
    "sum",
    "rank",
    "ratio",
    "score",
    "list_count",
    "parts",
    "denominator",
    "years",
    "date",
    "keep_with_next",
    "widow",
    "short_line",
]

KIND_LABELS: dict[str, str] = {
    "share": "Tỷ lệ không khớp",
    "total": "Tổng không khớp",
    "change": "Mức tăng/giảm không khớp",
    "sum": "Tổng điểm thành phần không khớp",
    "rank": "Thứ hạng vô lý",
    "ratio": "Tỷ số vô lý",
    "score": "Điểm vượt điểm tối đa",
    "list_count": "Số lượng không khớp danh sách",
    "parts": "Các phần lớn hơn tổng",
    "denominator": "Mẫu số của tỷ lệ trái với số liệu nêu cùng chỗ",
    "years": "Tổng nhiều năm bằng số của một năm",
    "date": "Ngày tháng viết sai thể thức",
    "keep_with_next": "Đề mục, dòng dẫn đứng một mình ở cuối trang",
    "widow": "Dòng cuối của đoạn chỉ có một từ",
    "short_line": "Đoạn văn xuống dòng sớm",
}

MSG_SHARE = "{num} trên {den} là {expected}%, nhưng báo cáo ghi {printed}%."
MSG_SHARE_BOUND = "{num} trên {den} là {expected}%, không {word} {printed}% như báo cáo ghi."
MSG_TOTAL = "{label} {printed} không khớp: {parts} = {expected}."
MSG_CHANGE = (
    "{a}{unit} − {b}{unit} = {expected}{point_unit}, nhưng báo cáo ghi {verb} {printed}{unit}"
    "{relative}."
)
MSG_CHANGE_REL = " (tính theo tỷ lệ tương đối cũng chỉ là {rel}%)"
MSG_SUM = "Cộng điểm các lĩnh vực: {parts} = {expected}, nhưng tổng điểm ghi {printed}."
MSG_RANK = "Xếp thứ {r}/{n}: thứ hạng không thể lớn hơn số đơn vị được xếp ({n})."
MSG_RATIO = "{r}/{n}: phần ({r}) lớn hơn tổng ({n})."
MSG_SCORE = "Đạt {r}/{n} điểm: điểm đạt lớn hơn điểm tối đa ({n})."
MSG_LIST = "Ghi {printed} {unit} nhưng danh sách kèm theo có {expected} tên."
MSG_PARTS = "{parts} = {expected}, lớn hơn {label} {printed}: phần không thể lớn hơn tổng."
MSG_DENOMINATOR = (
    "Tỷ lệ {pct}% tính trên {den} hồ sơ, nhưng cùng đoạn nêu {label} là {total} hồ sơ "
    "({num}/{total} = {expected}%)."
)
MSG_DATE = (
    "Ngày «{printed}» phải viết «{expected}»: ngày dưới 10 và tháng 1, 2 có số 0 ở trước, "
    "các tháng khác không (Nghị định 30/2020/NĐ-CP, Phụ lục I)."
)
MSG_YEARS = (
    "Tổng {years} năm ({span}) ghi {printed} {unit}, bằng đúng số của riêng năm {year}"
    "{expected_text}."
)


@dataclass(frozen=True)
class Finding:
    kind: Kind
    sentence: str
    location: Location
    expected: Decimal | str | None  # a date finding: the date as it should be written
    printed: Decimal | str  # a date finding: the date as the report writes it
    message: str

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "label": KIND_LABELS[self.kind],
            "location": self.location.label(),
            "line": self.location.line,
            "paragraph": self.location.paragraph,
            "page": self.location.page,
            "expected": None if self.expected is None else str(self.expected),
            "printed": str(self.printed),
            "message": self.message,
            "sentence": self.sentence,
        }


@dataclass(frozen=True)
class Check:
    """One statement the checker recognised and verified, whether it adds up or not."""

    kind: Kind
    location: Location
    printed: Decimal | str
    expected: Decimal | str | None
    ok: bool


class _Collector:
    def __init__(self) -> None:
        self.findings: list[Finding] = []
        self.checks: list[Check] = []
        self._seen: set[tuple[str, str, str, str]] = set()

    def check(
        self,
        doc: _Doc,
        tok: _Token,
        kind: Kind,
        *,
        ok: bool,
        printed: Decimal,
        expected: Decimal | None,
        message: str = "",
    ) -> None:
        self.check_at(
            doc, tok.start, tok.sentence, kind,
            ok=ok, printed=printed, expected=expected, message=message,
        )  # fmt: skip

    def check_at(
        self,
        doc: _Doc,
        start: int,
        sentence_index: int,
        kind: Kind,
        *,
        ok: bool,
        printed: Decimal | str,
        expected: Decimal | str | None,
        message: str = "",
    ) -> None:
        # The figure's own line, not the sentence start: sentences run over many lines.
        loc = doc.para.location_at(start)
        key = (kind, loc.label(), str(printed), str(expected))
        if key in self._seen:
            return
        self._seen.add(key)
        self.checks.append(Check(kind, loc, printed, expected, ok))
        if not ok:
            sentence = doc.sentence_text(sentence_index)
            self.findings.append(Finding(kind, sentence, loc, expected, printed, message))


# --------------------------------------------------------------------------- checks


def _check_ratios(doc: _Doc, out: _Collector) -> None:
    for tok in doc.tokens:
        if tok.kind != "ratio" or tok.den is None:
            continue
        before = doc.masked[max(0, tok.start - 25) : tok.start].lower()
        r, n = tok.value, tok.den
        if re.search(r"(thứ|hạng|vị trí|xếp)[\w\s]{0,12}$", before):
            msg = MSG_RANK.format(r=_fmt(r), n=_fmt(n))
            out.check(doc, tok, "rank", ok=1 <= r <= n, printed=r, expected=n, message=msg)
        elif _is_score(doc, tok):
            msg = MSG_SCORE.format(r=_fmt(r), n=_fmt(n))
            out.check(doc, tok, "score", ok=r <= n, printed=r, expected=n, message=msg)
        elif tok.unit in _COUNT_UNITS:
            msg = MSG_RATIO.format(r=_fmt(r), n=_fmt(n))
            out.check(doc, tok, "ratio", ok=r <= n, printed=r, expected=n, message=msg)


def _pct_after(doc: _Doc, tok: _Token, limit: int = 30) -> _Token | None:
    """The percentage that follows tok closely, with only words between (no other figure)."""
    following = [t for t in doc.tokens if t.start >= tok.end and t.sentence == tok.sentence]
    if not following or following[0].kind != "pct":
        return None
    pct = following[0]
    gap = doc.masked[tok.end : pct.start]
    if len(gap) > limit + (tok.unit_end - tok.end) or re.search(r"[\d~;]", gap):
        return None
    return pct


def _check_explicit_shares(doc: _Doc, out: _Collector, consumed: set[int]) -> None:
    for i, tok in enumerate(doc.tokens):
        if tok.kind == "ratio" and tok.den and tok.unit != "điểm" and not tok.places:
            pct = _pct_after(doc, tok)
            if pct is None:
                continue
            consumed.add(id(pct))
            gap = doc.masked[tok.end : pct.start].lower()
            bound = _BOUND_BEFORE.search(gap)
            if bound:
                _check_bound(doc, out, pct, bound.group(1))
                continue
            _share_check(doc, out, pct, tok.value, tok.den, [tok.den])
        elif tok.is_count and i + 1 < len(doc.tokens):
            # "231 hồ sơ trên tổng 22.725 hồ sơ ..., đạt z%"
            nxt = doc.tokens[i + 1]
            gap = doc.masked[tok.unit_end : nxt.start].lower()
            if nxt.is_count and re.fullmatch(r"\s*(trên|/)\s*(tổng( số)?)?\s*", gap):
                consumed.add(id(tok))
                pct = _pct_after(doc, nxt)
                if pct is None:
                    continue
                consumed.add(id(pct))
                _share_check(doc, out, pct, tok.value, nxt.value, [nxt.value])


def _share_check(
    doc: _Doc,
    out: _Collector,
    pct: _Token,
    num: Decimal,
    den: Decimal,
    candidates: Sequence[Decimal],
) -> None:
    """The printed share must match num over one of the candidate totals; den names the total
    the message quotes when none does."""
    matching = [c for c in candidates if _share_ok(num, c, pct.value, pct.places)]
    ok = bool(matching)
    if matching:
        den = matching[0]
    expected = _share(num, den, pct.places)
    msg = MSG_SHARE.format(
        num=_fmt(num),
        den=_fmt(den),
        expected=_fmt(expected, pct.places),
        printed=_fmt(pct.value, pct.places),
    )
    out.check(doc, pct, "share", ok=ok, printed=pct.value, expected=expected, message=msg)


def _check_bound(doc: _Doc, out: _Collector, pct: _Token, word: str) -> None:
    """'12/23 xã và 06/12 cơ quan, đạt trên 50%': the pooled share must be above 50%."""
    ratios = [
        t
        for t in doc.tokens
        if t.kind == "ratio" and t.sentence == pct.sentence and t.end <= pct.start
    ]
    num = sum((t.value for t in ratios), Decimal(0))
    den = sum((t.den or Decimal(0) for t in ratios), Decimal(0))
    if not den:
        return
    value = num * 100 / den
    holds = {"trên": value > pct.value, "hơn": value > pct.value, "dưới": value < pct.value}
    if word not in holds:
        return
    expected = round_half_up(value, max(pct.places, 1))
    msg = MSG_SHARE_BOUND.format(
        num=_fmt(num), den=_fmt(den), expected=_fmt(expected), word=word, printed=_fmt(pct.value)
    )
    out.check(doc, pct, "share", ok=holds[word], printed=pct.value, expected=expected, message=msg)


@dataclass
class _Flow:
    roles: dict[str, _Token] = field(default_factory=dict)

    def value(self, role: str) -> Decimal | None:
        tok = self.roles.get(role)
        return None if tok is None else tok.value

    def resolved(self) -> Decimal | None:
        explicit = self.value("resolved")
        if explicit is not None:
            return explicit
        parts = [self.value(r) for r in ("early", "ontime", "early_ontime", "late")]
        if self.value("early_ontime") is None and (
            self.value("early") is None or self.value("ontime") is None
        ):
            return None
        return sum((p for p in parts if p is not None), Decimal(0))


_PART_NAMES = {
    "early_ontime": "trước và đúng hạn",
    "early": "trước hạn",
    "ontime": "đúng hạn",
    "late": "trễ hạn",
}


def _flows(doc: _Doc) -> list[_Flow]:
    flows: list[_Flow] = [_Flow()]
    for tok in doc.tokens:
        if tok.role is None:
            continue
        if tok.role in flows[-1].roles:
            flows.append(_Flow())
        flows[-1].roles[tok.role] = tok
    return [f for f in flows if f.roles]


def _check_flows(doc: _Doc, out: _Collector, flows: list[_Flow]) -> None:
    for flow in flows:
        total = flow.roles.get("total")
        online, direct = flow.value("online"), flow.value("direct")
        if total and online is not None and direct is not None:
            carried = flow.value("carried") or Decimal(0)
            ok = total.value in (online + direct + carried, online + direct)
            parts = [("trực tuyến", online), ("trực tiếp", direct)]
            if carried:
                parts.append(("tồn kỳ trước", carried))
            _total_check(doc, out, total, "Tổng số hồ sơ tiếp nhận", parts, ok)
        resolved_tok = flow.roles.get("resolved")
        kinds = ("early_ontime", "early", "ontime", "late")
        if resolved_tok and any(flow.value(k) is not None for k in kinds):
            has_split = flow.value("early_ontime") is not None or (
                flow.value("early") is not None and flow.value("ontime") is not None
            )
            parts = [(_PART_NAMES[k], flow.value(k)) for k in kinds]
            known = [(n, v) for n, v in parts if v is not None]
            if has_split:
                ok = resolved_tok.value == sum((v for _, v in known), Decimal(0))
                _total_check(doc, out, resolved_tok, "Số hồ sơ đã giải quyết", known, ok)
        pending = flow.value("pending")
        resolved = flow.resolved()
        if total and pending is not None and resolved is not None:
            ok = total.value == resolved + pending
            parts = [("đã giải quyết", resolved), ("đang giải quyết", pending)]
            _total_check(doc, out, total, "Tổng số hồ sơ", parts, ok)


def _check_parts(doc: _Doc, out: _Collector, flows: list[_Flow]) -> None:
    """Parts of the dossiers received that add up to more than the whole (issue 14: "giải
    quyết đúng hạn a, quá hạn b" with a + b above the received total). Only "more than" is
    a contradiction: a text may name some parts and leave others out."""
    for flow in flows:
        total = flow.roles.get("total")
        if total is None or "resolved" in flow.roles:
            continue  # a stated resolved total is checked against its parts already
        kinds = [
            k for k in ("early_ontime", "early", "ontime", "late", "pending") if k in flow.roles
        ]
        if "early_ontime" in kinds:
            kinds = [k for k in kinds if k not in ("early", "ontime")]
        if len(kinds) < 2:
            continue
        parts = [(_PART_NAMES.get(k, "đang giải quyết"), flow.roles[k].value) for k in kinds]
        whole = total.value + (flow.value("carried") or Decimal(0))
        expected = sum((v for _, v in parts), Decimal(0))
        text = " + ".join(f"{_fmt(v)} {name}" for name, v in parts)
        msg = MSG_PARTS.format(
            parts=text, expected=_fmt(expected), label="tổng số hồ sơ", printed=_fmt(whole)
        )
        out.check(doc, total, "parts", ok=expected <= whole, printed=whole, expected=expected,
                  message=msg)  # fmt: skip


def _check_denominators(doc: _Doc, out: _Collector, flows: list[_Flow]) -> None:
    """A share "a/b hồ sơ, đạt z%" (or "a hồ sơ trên tổng số b") whose denominator b is none
    of the counts the paragraph states, while the paragraph states the total a is a part
    of: the share is computed on a figure the text contradicts (issue 14)."""
    counts = [t for t in doc.tokens if t.is_count]
    stated = {t.value for t in counts}
    for tok in doc.tokens:
        if tok.kind != "ratio" or tok.den is None or tok.places or tok.unit not in (None, "hồ sơ"):
            continue
        if tok.den in stated or _pct_after(doc, tok) is None:
            continue
        part = next((t for t in counts if t.value == tok.value and t.role), None)
        if part is None:
            continue
        flow = next((f for f in flows if part in f.roles.values()), None)
        whole_role = (
            "resolved" if part.role in ("early", "ontime", "early_ontime", "late") else "total"
        )
        whole = flow.roles.get(whole_role) if flow else None
        if whole is None or whole.value == tok.den or not whole.value:
            continue
        pct = _pct_after(doc, tok)
        assert pct is not None
        expected = _share(tok.value, whole.value, pct.places)
        msg = MSG_DENOMINATOR.format(
            pct=_fmt(pct.value, pct.places),
            den=_fmt(tok.den),
            label="số đã giải quyết" if whole_role == "resolved" else "tổng số",
            total=_fmt(whole.value),
            num=_fmt(tok.value),
            expected=_fmt(expected, pct.places),
        )
        out.check(doc, tok, "denominator", ok=False, printed=tok.den, expected=whole.value,
                  message=msg)  # fmt: skip


_MULTI_YEAR = re.compile(
    r"(?i)\b(0?2|0?3|hai|ba)\s+năm\b|năm\s+((?:19|20)\d{2})\s*(?:,|và|-|–|đến)\s*(?:năm\s+)?"
    r"((?:19|20)\d{2})"
)
_YEAR = re.compile(r"\b((?:19|20)\d{2})\b")
_ONE_YEAR = re.compile(r"(?i)\bnăm\s+((?:19|20)\d{2})\b")
_YEARS_WORD = {"2": 2, "02": 2, "hai": 2, "3": 3, "03": 3, "ba": 3}


def _check_year_totals(doc: _Doc, out: _Collector) -> None:
    """A total "over two years" equal to one year's count (issue 14; seed 000: "Tổng số
    lượt cán bộ, công chức (02 năm: 2021, 2022) được đánh giá ... là 17 người" where 2021
    alone counts 17 and 2022 another 17)."""
    text = doc.para.text
    per_year: dict[int, list[_Token]] = {}
    multi: list[tuple[int, list[int]]] = []
    for index, sentence in enumerate(doc.sentences):
        body = text[sentence.start : sentence.end]
        marker = _MULTI_YEAR.search(body)
        if marker:
            years = sorted({int(y) for y in _YEAR.findall(body)})
            count = _YEARS_WORD.get((marker.group(1) or "").lower(), len(years))
            if count >= 2:
                multi.append((index, years[:count]))
            continue
        named = {int(y) for y in _ONE_YEAR.findall(body)}
        if len(named) == 1:
            per_year.setdefault(named.pop(), []).extend(
                t for t in doc.tokens if t.sentence == index and t.is_count
            )
    for index, years in multi:
        for tok in (t for t in doc.tokens if t.sentence == index and t.is_count):
            if tok.unit in (None, "năm"):
                continue
            alike = {y: [t for t in toks if t.unit == tok.unit] for y, toks in per_year.items()}
            alike = {y: toks for y, toks in alike.items() if toks and (not years or y in years)}
            hit = next(
                (y for y, toks in alike.items() if tok.value in {t.value for t in toks}
                 or tok.value == sum(t.value for t in toks)),
                None,
            )  # fmt: skip
            if hit is None or len(alike) < 2:
                continue
            expected = sum(
                (
                    toks[0].value if len(toks) == 1 else sum((t.value for t in toks), Decimal(0))
                    for toks in alike.values()
                ),
                Decimal(0),
            )
            span = ", ".join(str(y) for y in sorted(alike))
            msg = MSG_YEARS.format(
                years=len(alike),
                span=span,
                printed=_fmt(tok.value),
                unit=tok.unit,
                year=hit,
                expected_text=f"; cộng các năm là {_fmt(expected)} {tok.unit}",
            )
            out.check(doc, tok, "years", ok=False, printed=tok.value, expected=expected,
                      message=msg)  # fmt: skip


def _total_check(
    doc: _Doc,
    out: _Collector,
    total: _Token,
    label: str,
    parts: Sequence[tuple[str, Decimal]],
    ok: bool,
) -> None:
    expected = sum((v for _, v in parts), Decimal(0))
    text = " + ".join(f"{_fmt(v)} {name}".strip() for name, v in parts)
    msg = MSG_TOTAL.format(
        label=label, printed=_fmt(total.value), parts=text, expected=_fmt(expected)
    )
    out.check(doc, total, "total", ok=ok, printed=total.value, expected=expected, message=msg)


def _check_implicit_shares(
    doc: _Doc, out: _Collector, consumed: set[int], flows: list[_Flow]
) -> None:
    derived = [r for r in (f.resolved() for f in flows) if r is not None]
    for i, pct in enumerate(doc.tokens):
        if pct.kind != "pct" or id(pct) in consumed or i == 0:
            continue
        tok = doc.tokens[i - 1]
        if not tok.is_count or tok.sentence != pct.sentence or id(tok) in consumed:
            continue
        gap = doc.masked[tok.unit_end : pct.start].lower()
        if len(gap) > 40 or re.search(r"[\d~;]", gap) or _BOUND_BEFORE.search(gap):
            continue
        if _NOT_A_SHARE_AFTER.match(doc.masked[pct.end :].lower()):
            continue
        candidates: list[Decimal] = []
        primary: Decimal | None = None
        for other in doc.tokens:
            if other is tok or not other.is_count or not _compatible(other, tok):
                continue
            if other.value < tok.value or other.value == 0:
                continue
            if other.role in ("total", "resolved") or (
                other.role is None and _TOTAL_WORDS.search(other.label)
            ):
                candidates.append(other.value)
                if other.start < tok.start and (primary is None or other.role == "total"):
                    primary = other.value
        candidates += [d for d in derived if d >= tok.value]
        same = [
            t
            for t in doc.tokens
            if t.sentence == tok.sentence and t.is_count and _compatible(t, tok)
        ]
        with_share = [t for t in same if _pct_after(doc, t, 40) is not None]
        if len(with_share) >= 2:
            candidates.append(sum((t.value for t in with_share), Decimal(0)))
        upto = [t for t in same if t.start <= tok.start]
        if len(upto) >= 2:
            candidates.append(sum((t.value for t in upto), Decimal(0)))
        candidates = [c for c in candidates if c]
        if not candidates:
            continue
        den = primary if primary is not None else candidates[0]
        _share_check(doc, out, pct, tok.value, den, candidates)


_BREAKDOWN_RE = re.compile(r"\s*[;,:]?\s*(\(|(?:(?:trong đó|bao gồm|gồm)\s*:?))", re.IGNORECASE)
_ITEM_SPLIT = re.compile(r";|,|\bvà\b")


def _check_breakdowns(doc: _Doc, out: _Collector, flows: list[_Flow]) -> None:
    """'142 hồ sơ (141 hồ sơ cấp huyện và 01 hồ sơ cấp xã)', 'T hồ sơ; trong đó a, b, c'."""
    flow_totals = {id(f.roles[r]) for f in flows for r in ("total", "resolved") if r in f.roles}
    masked = doc.masked
    for tok in doc.tokens:
        if not tok.is_count or tok.unit is None:
            continue
        m = _BREAKDOWN_RE.match(masked, tok.unit_end)
        if not m:
            continue
        sent_end = doc.sentences[tok.sentence].end
        start = m.end()
        if m.group(1) == "(":
            close = masked.find(")", start, sent_end)
            if close < 0:
                continue
            segments = [(start, close)]
        else:
            close = masked.find(")", start, sent_end)
            end = close if close >= 0 else sent_end
            segments = []
            seg_start = start
            for sm in re.finditer(r";", masked[start:end]):
                segments.append((seg_start, start + sm.start()))
                seg_start = start + sm.end()
            segments.append((seg_start, end))
        items: list[list[_Token]] = []
        sums: list[Decimal] = []
        valid = True
        for s, e in segments:
            for piece in _split_items(masked, s, e, doc.tokens):
                toks = [t for t in doc.tokens if piece[0] <= t.start < piece[1]]
                counts = [t for t in toks if t.is_count and _compatible(t, tok)]
                if not counts and toks and all(t.kind == "pct" for t in toks):
                    continue  # "đạt 88,25%" belongs to the item before
                if len(counts) != 1 or len(toks) - sum(t.kind == "pct" for t in toks) != 1:
                    valid = False
                    break
                items.append(counts)
            if not valid:
                break
            sums.append(sum((c[0].value for c in items), Decimal(0)))
        if not valid or len(items) < 2:
            continue
        ok = tok.value in sums
        if not ok and id(tok) in flow_totals:
            continue  # the dossier balance reports it, with the parts named
        parts = [c[0].value for c in items]
        expected = sum(parts, Decimal(0))
        msg = MSG_TOTAL.format(
            label="Tổng",
            printed=_fmt(tok.value),
            parts=" + ".join(_fmt(p) for p in parts),
            expected=_fmt(expected),
        )
        out.check(doc, tok, "total", ok=ok, printed=tok.value, expected=expected, message=msg)


def _split_items(masked: str, start: int, end: int, tokens: list[_Token]) -> list[tuple[int, int]]:
    spans = [(t.start, t.end) for t in tokens]
    pieces: list[tuple[int, int]] = []
    s = start
    for m in _ITEM_SPLIT.finditer(masked, start, end):
        if any(a <= m.start() < b for a, b in spans):
            continue
        pieces.append((s, m.start()))
        s = m.end()
    pieces.append((s, end))
    return [p for p in pieces if masked[p[0] : p[1]].strip()]


_LIST_UNITS = {"xã", "đơn vị", "cơ quan", "huyện", "người", "phòng", "thôn", "trường"}


def _check_name_lists(doc: _Doc, out: _Collector) -> None:
    """'gồm 17 xã, thị trấn: Xã Quang Khải, Hà Kỳ, ... và Văn Tố' must name 17."""
    text = doc.para.text
    for tok in doc.tokens:
        if not tok.is_count or tok.unit not in _LIST_UNITS:
            continue
        window = text[tok.unit_end : tok.unit_end + 70]
        colon = window.rfind(":")
        if colon < 0 or re.search(r"[\d.;]", window[:colon]):
            continue
        start = tok.unit_end + colon + 1
        end_m = re.compile(r"[.;)]").search(text, start)
        end = end_m.start() if end_m else len(text)
        names = [n.strip() for n in re.split(r",|\bvà\b", text[start:end]) if n.strip()]
        if len(names) < 2:
            continue
        if not all(
            n[:1].isupper() and len(n.split()) <= 5 and not re.search(r"\d", n) for n in names
        ):
            continue
        msg = MSG_LIST.format(printed=_fmt(tok.value), unit=tok.unit, expected=len(names))
        ok = len(names) == tok.value
        count = Decimal(len(names))
        out.check(doc, tok, "list_count", ok=ok, printed=tok.value, expected=count, message=msg)


_CHANGE_WORD = re.compile(r"(tăng|giảm)(\s+thêm|\s+đi)?\s*$", re.IGNORECASE)


def _check_changes(doc: _Doc, out: _Collector) -> None:
    """'83,30% (năm 2020: 63,19%): Tăng 19,69%' — C must be A − B (or the relative change)."""
    toks = doc.tokens
    for i, c in enumerate(toks):
        if c.kind not in ("pct", "num"):
            continue
        word = _CHANGE_WORD.search(doc.masked[max(0, c.start - 20) : c.start])
        if not word:
            continue
        pair: tuple[_Token, _Token] | None = None
        if i >= 2:
            a, b = toks[i - 2], toks[i - 1]
            between = doc.masked[a.end : b.start]
            if re.fullmatch(r"\s*(điểm)?\s*\(\s*~+\s*:?\s*", between.lower()):
                pair = (a, b)
        if pair is None and i >= 1 and i + 1 < len(toks):
            a, b = toks[i - 1], toks[i + 1]
            after = doc.masked[c.end : b.start].lower()
            if re.fullmatch(r"\s*(điểm)?\s*so với\s*[~\s]*(cùng kỳ)?\s*\(\s*", after):
                pair = (a, b)
        if pair is None:
            continue
        a, b = pair
        if not (a.kind == b.kind and a.sentence == b.sentence == c.sentence):
            continue
        diff = a.value - b.value
        verb = word.group(1).lower()
        if verb == "giảm":
            diff = -diff
        places = max(c.places, a.places, b.places)
        ok = _close(diff, c.value, c.places)
        rel: Decimal | None = None
        if a.kind == "pct" and c.kind == "pct" and b.value:
            rel = diff * 100 / b.value
            ok = ok or _close(rel, c.value, c.places)
        expected = round_half_up(diff, places)
        unit = "%" if a.kind == "pct" else ""
        msg = MSG_CHANGE.format(
            a=_fmt(a.value, a.places),
            b=_fmt(b.value, b.places),
            unit=unit,
            expected=_fmt(expected, places),
            point_unit=" điểm phần trăm" if a.kind == "pct" else (f" {a.unit}" if a.unit else ""),
            verb=verb,
            printed=_fmt(c.value, c.places),
            relative=MSG_CHANGE_REL.format(rel=_fmt(rel, places)) if rel is not None else "",
        )
        msg = " ".join(msg.split())
        out.check(doc, c, "change", ok=ok, printed=c.value, expected=expected, message=msg)


def _close(value: Decimal, printed: Decimal, places: int) -> bool:
    rounded = round_half_up(value, places)
    truncated = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN)
    return printed in (rounded, truncated)


def _is_score(doc: _Doc, tok: _Token) -> bool:
    if tok.kind != "ratio" or tok.den is None:
        return False
    before = doc.masked[max(0, tok.start - 25) : tok.start].lower()
    if re.search(r"(thứ|hạng|vị trí|xếp)[\w\s]{0,12}$", before):
        return False
    return tok.unit == "điểm" or bool(tok.places or tok.den_places) or "đạt" in before[-12:]


def _check_component_sums(docs: list[_Doc], out: _Collector) -> None:
    """A total 'T/M điểm' followed by components 'a/b điểm' whose maxima add up to M."""
    scores = [(d, t) for d in docs for t in d.tokens if _is_score(d, t)]
    for i, (doc, total) in enumerate(scores):
        assert total.den is not None
        max_sum = Decimal(0)
        parts: list[_Token] = []
        for _, part in scores[i + 1 : i + 16]:
            assert part.den is not None
            max_sum += part.den
            parts.append(part)
            if max_sum >= total.den:
                break
        if max_sum != total.den or len(parts) < 2:
            continue
        got = sum((p.value for p in parts), Decimal(0))
        # Each printed part is itself rounded: allow half a unit of its last place per part.
        tolerance = Decimal("0.5").scaleb(-total.places) + sum(
            (Decimal("0.5").scaleb(-p.places) for p in parts if p.places), Decimal(0)
        )
        ok = abs(got - total.value) <= tolerance
        msg = MSG_SUM.format(
            parts=" + ".join(_fmt(p.value) for p in parts),
            expected=_fmt(got),
            printed=_fmt(total.value),
        )
        out.check(doc, total, "sum", ok=ok, printed=total.value, expected=got, message=msg)


# Numeric dates (not document numbers such as 01/2020/TT-VPCP) and dates in words.
_DATE_NUMERIC_RE = re.compile(r"(?<![\d/.,])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])")
_DATE_LONG_RE = re.compile(
    r"(?<!\w)(?i:ngày)\s+(\d{1,2})\s+(?i:tháng)\s+(\d{1,2})\s+(?i:năm)\s+(\d{4})(?!\d)"
)


def _check_dates(doc: _Doc, out: _Collector) -> None:
    """Every date is written by the one rule (NĐ 30/2020, Phụ lục I; formatting.vn_date):
    05/9/2016, 28/01/2021, ngày 05 tháng 01 năm 2021. A day that does not exist (31/4) is
    not a date and is left alone."""
    text = doc.para.text
    found = [(m, vn_date) for m in _DATE_NUMERIC_RE.finditer(text)]
    found += [(m, vn_date_long) for m in _DATE_LONG_RE.finditer(text)]
    for m, show in sorted(found, key=lambda pair: pair[0].start()):
        day, month, year = m.groups()
        try:
            date = dt.date(int(year), int(month), int(day))
        except ValueError:
            continue
        sentence = next(
            (n for n, s in enumerate(doc.sentences) if s.start <= m.start() < s.end),
            len(doc.sentences) - 1,
        )
        printed = " ".join(m.group(0).split())
        expected = show(date)
        ok = f"{day}/{month}/{year}" == vn_date(date)
        message = MSG_DATE.format(printed=printed, expected=expected)
        out.check_at(
            doc, m.start(), sentence, "date",
            ok=ok, printed=printed, expected=expected, message=message,
        )  # fmt: skip


# --------------------------------------------------------------------------- entry points


def check_lines(lines: Iterable[SourceLine], *, checks: list[Check] | None = None) -> list[Finding]:
    """Findings for every statement that does not add up; `checks`, when given, receives every
    statement that was recognised and verified (for tests and a verbose listing)."""
    docs = [_tokenize(p) for p in _build_paragraphs(lines)]
    out = _Collector()
    for doc in docs:
        consumed: set[int] = set()
        flows = _flows(doc)
        _check_ratios(doc, out)
        _check_explicit_shares(doc, out, consumed)
        _check_flows(doc, out, flows)
        _check_parts(doc, out, flows)
        _check_denominators(doc, out, flows)
        _check_implicit_shares(doc, out, consumed, flows)
        _check_breakdowns(doc, out, flows)
        _check_name_lists(doc, out)
        _check_changes(doc, out)
        _check_year_totals(doc, out)
        _check_dates(doc, out)
    _check_component_sums(docs, out)
    if checks is not None:
        checks.extend(out.checks)
    return out.findings


def check_text(text: str, *, checks: list[Check] | None = None) -> list[Finding]:
    return check_lines(text_lines(text), checks=checks)


def check_file(path: str | Path, *, checks: list[Check] | None = None) -> list[Finding]:
    """The figures of any report; for a PDF also its pages (cchc.reports.checker_layout)."""
    findings = check_lines(read_lines(path), checks=checks)
    if Path(path).suffix.lower() == ".pdf":
        findings += [
            Finding(
                kind=issue.kind,  # type: ignore[arg-type]
                sentence=issue.text,
                location=Location(page=issue.page),
                expected=None,
                printed=issue.printed,
                message=issue.message,
            )
            for issue in layout_issues(path)
        ]
    return findings


def render(findings: Sequence[Finding], fmt: Literal["text", "json"] = "text") -> str:
    if fmt == "json":
        return json.dumps([f.to_dict() for f in findings], ensure_ascii=False, indent=2)
    if not findings:
        return "Không phát hiện số liệu nào không khớp."
    lines = [f"Phát hiện {len(findings)} chỗ số liệu không khớp:"]
    for n, f in enumerate(findings, start=1):
        lines.append(f"{n}. [{KIND_LABELS[f.kind]}] {f.location.label()}: {f.message}")
        lines.append(f"   Câu: «{f.sentence}»")
    return "\n".join(lines)
