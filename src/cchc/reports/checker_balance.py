"""The report checker's totals: the dossier balance of Thông tư 01/2020/TT-VPCP (received =
resolved + pending, resolved = early + on time + late, received = online + direct [+ carried
over]), parts adding up to more than their whole, breakdowns "T (a, b và c)" and totals
"over two years" equal to one year's count. Plain module: no Django import."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from cchc.reports.checker_findings import MSG_PARTS, MSG_TOTAL, MSG_YEARS, _Collector
from cchc.reports.checker_reading import _compatible, _Doc, _fmt, _Token


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
