"""The report checker's shares: "x/y đạt z%", "x ... trên tổng số y ... z%", "n hồ sơ, tỷ lệ
z%" against the totals the same paragraph states, bounds ("đạt trên 50%") and shares
computed on a denominator the paragraph contradicts. Plain module: no Django import."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from cchc.core.formatting import round_half_up
from cchc.reports.checker_balance import _Flow
from cchc.reports.checker_findings import (
    MSG_DENOMINATOR,
    MSG_SHARE,
    MSG_SHARE_BOUND,
    _Collector,
)
from cchc.reports.checker_reading import (
    _BOUND_BEFORE,
    _NOT_A_SHARE_AFTER,
    _TOTAL_WORDS,
    _compatible,
    _Doc,
    _fmt,
    _share,
    _share_ok,
    _Token,
)


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
