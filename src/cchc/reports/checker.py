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

The modules: checker_reading.py reads the text into tokens; checker_findings.py holds the
kinds, messages and findings; checker_shares.py checks shares and denominators,
checker_balance.py totals, parts, breakdowns and multi-year totals; this module the ratios,
name lists, changes, score sums and dates, and runs them all.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Sequence
from decimal import ROUND_DOWN, Decimal
from pathlib import Path
from typing import Literal

from cchc.core.formatting import round_half_up, vn_date, vn_date_long
from cchc.reports.checker_balance import (
    _check_breakdowns,
    _check_flows,
    _check_parts,
    _check_year_totals,
    _flows,
)
from cchc.reports.checker_findings import (
    KIND_LABELS,
    MSG_CHANGE,
    MSG_CHANGE_REL,
    MSG_DATE,
    MSG_LIST,
    MSG_RANK,
    MSG_RATIO,
    MSG_SCORE,
    MSG_SUM,
    Check,
    Finding,
    _Collector,
)
from cchc.reports.checker_layout import layout_issues
from cchc.reports.checker_reading import (
    _COUNT_UNITS,
    _build_paragraphs,
    _Doc,
    _fmt,
    _Token,
    _tokenize,
)
from cchc.reports.checker_shares import (
    _check_denominators,
    _check_explicit_shares,
    _check_implicit_shares,
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
