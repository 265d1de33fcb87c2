"""The rules of a filed outline report, over plain data (no Django).

- :func:`check_entries` is the one validation of what a unit enters, used by the page, the
  XLSX import and the API alike: counts and amounts are non-negative whole numbers, a part
  is not above its whole, a date lies inside the period, yes/no is yes or no. Bad input
  changes nothing: the caller gets every error, each naming the figure.
- :func:`complete_values` adds the percentages, computed from their numerator and
  denominator (never typed).
- :func:`aggregate` compiles the reports of the units under an upper unit: units that have
  not filed are named, never counted as zero.
- :func:`sentence` says a figure in official wording, ready to be put in the narrative.

Values are stored as JSON: counts and đồng as ``int``, dates as ISO text, yes/no as
``bool``, text as ``str``, percentages as decimal text; ``None`` means no data.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from cchc.core.formatting import percent, vn_date, vn_number, vn_percent
from cchc.reports.outlines.spec import (
    AGG_COUNT_UNITS,
    AGG_LIST,
    AGG_MAX,
    AGG_MIN,
    AGG_SUM,
    UNIT_COUNT,
    UNIT_DATE,
    UNIT_DONG,
    UNIT_PERCENT,
    UNIT_TEXT,
    UNIT_YESNO,
    Outline,
    OutlineFigure,
)

TEXT_MAX = 500

ERR_WHOLE = "phải là số nguyên không âm (ví dụ 1.086), không phải «{value}»"
ERR_DATE = "phải là một ngày (ngày/tháng/năm), không phải «{value}»"
ERR_DATE_OUTSIDE = "ngày {value} nằm ngoài kỳ báo cáo ({start} – {end})"
ERR_YESNO = "phải là «có» hoặc «không», không phải «{value}»"
ERR_TEXT_LONG = "dài quá {limit} ký tự"
ERR_PART = "{part} lớn hơn {whole_label} ({whole})"
ERR_NOT_ENTERED = "do hệ thống tính (không nhập): {source}"
ERR_UNKNOWN = "không có trong đề cương"
ERR_MISSING = "chưa nhập (báo cáo chưa đủ để gửi)"

_WHOLE_RE = re.compile(r"^\d{1,3}(\.\d{3})+$|^\d+$")
_YES = {"có", "co", "x", "yes", "true", "1", "đã", "da"}
_NO = {"không", "khong", "no", "false", "0", "chưa", "chua"}


@dataclass(frozen=True)
class EntryError:
    key: str
    label: str
    message: str

    def __str__(self) -> str:
        return f"{self.label}: {self.message}"


# ------------------------------------------------------------------ parsing one value


def _parse_whole(raw: object) -> int:
    if isinstance(raw, bool):
        raise ValueError
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, float | Decimal):
        if raw != int(raw):
            raise ValueError
        value = int(raw)
    else:
        text = str(raw).strip().replace(" ", "").replace("\u00a0", "")
        if not _WHOLE_RE.match(text):
            raise ValueError
        value = int(text.replace(".", ""))
    if value < 0:
        raise ValueError
    return value


def _parse_date(raw: object) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = str(raw).strip()
    if m := re.match(r"^(\d{1,2})/(\d{1,2})/(\d{4})$", text):
        return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    return dt.date.fromisoformat(text)


def _parse_yesno(raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int | float) and raw in (0, 1):
        return bool(raw)
    text = str(raw).strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValueError


def _blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _as_number(value: object) -> Decimal | int | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        return value
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None


# ------------------------------------------------------------------ the one check


def check_entries(
    outline: Outline,
    raw: Mapping[str, object],
    *,
    start: dt.date,
    end: dt.date,
    measured: Mapping[str, object] | None = None,
    require_all: bool = False,
) -> tuple[dict[str, object], list[EntryError]]:
    """Check what a unit entered; return the clean values (JSON-ready) and every error.

    ``raw`` maps figure keys to what was typed (text from a form, cells from a workbook);
    ``measured`` the figures CCHC measured for the same unit and period, so that a part
    entered by hand is not above a measured whole. With ``require_all`` (submitting) an
    entered figure left blank is an error: a blank is "no data", never zero.
    """
    errors: list[EntryError] = []
    clean: dict[str, object] = {}
    for key, value in raw.items():
        if not outline.has_figure(key):
            errors.append(EntryError(key, key, ERR_UNKNOWN))
            continue
        fig = outline.figure(key)
        if not fig.is_entered:
            # A locked figure sent back unchanged (a workbook's measured rows) is ignored;
            # anything else would be a second way of setting a measured figure.
            if _blank(value):
                continue
            errors.append(EntryError(key, fig.label, ERR_NOT_ENTERED.format(source=_source(fig))))
            continue
        if _blank(value):
            clean[key] = None
            continue
        try:
            clean[key] = _parse(fig, value, start=start, end=end)
        except _Bad as bad:
            errors.append(EntryError(key, fig.label, str(bad)))
    if require_all:
        for fig in outline.figures():
            if (
                fig.is_entered
                and clean.get(fig.key) is None
                and not any(e.key == fig.key for e in errors)
            ):
                errors.append(EntryError(fig.key, fig.label, ERR_MISSING))
    known = {**(measured or {}), **clean}
    for fig in outline.figures():
        if fig.part_of is None or fig.key not in clean:
            continue
        part, whole = known.get(fig.key), known.get(fig.part_of)
        if isinstance(part, int) and isinstance(whole, int) and part > whole:
            whole_fig = outline.figure(fig.part_of)
            errors.append(
                EntryError(
                    fig.key,
                    fig.label,
                    ERR_PART.format(
                        part=vn_number(part),
                        whole_label=whole_fig.label.lower(),
                        whole=vn_number(whole),
                    ),
                )
            )
    order = {f.key: n for n, f in enumerate(outline.figures())}
    errors.sort(key=lambda e: order.get(e.key, -1))
    return clean, errors


class _Bad(ValueError):
    pass


def _parse(fig: OutlineFigure, value: object, *, start: dt.date, end: dt.date) -> object:
    shown = str(value).strip()
    if fig.unit in (UNIT_COUNT, UNIT_DONG):
        try:
            return _parse_whole(value)
        except (ValueError, ArithmeticError):
            raise _Bad(ERR_WHOLE.format(value=shown)) from None
    if fig.unit == UNIT_DATE:
        try:
            day = _parse_date(value)
        except (ValueError, TypeError):
            raise _Bad(ERR_DATE.format(value=shown)) from None
        if not start <= day <= end:
            raise _Bad(
                ERR_DATE_OUTSIDE.format(value=vn_date(day), start=vn_date(start), end=vn_date(end))
            )
        return day.isoformat()
    if fig.unit == UNIT_YESNO:
        try:
            return _parse_yesno(value)
        except ValueError:
            raise _Bad(ERR_YESNO.format(value=shown)) from None
    if fig.unit == UNIT_TEXT:
        if len(shown) > TEXT_MAX:
            raise _Bad(ERR_TEXT_LONG.format(limit=TEXT_MAX))
        return shown
    raise _Bad(ERR_NOT_ENTERED.format(source=_source(fig)))  # percent: never typed


def _source(fig: OutlineFigure) -> str:
    if fig.is_computed:
        return f"tỷ lệ {fig.numerator}/{fig.denominator}"
    from cchc.reports.outlines.registry import MEASURES

    measure = MEASURES.get(fig.measure or "")
    return measure.source if measure else "hệ thống CCHC"


# ------------------------------------------------------------------ computed figures


def complete_values(outline: Outline, values: Mapping[str, object]) -> dict[str, object]:
    """The values with every percentage computed from its numerator and denominator."""
    out = dict(values)
    for fig in outline.figures():
        if fig.is_computed:
            num = _as_number(out.get(fig.numerator or ""))
            den = _as_number(out.get(fig.denominator or ""))
            value = percent(num, den) if num is not None and den is not None else None
            out[fig.key] = str(value) if value is not None else None
    return out


# ------------------------------------------------------------------ compiling


@dataclass(frozen=True)
class Aggregate:
    """One figure compiled over the units that filed; ``missing`` names those that did not,
    ``no_data`` those that filed without this figure. Neither is ever counted as zero."""

    key: str
    value: object  # sum / min / max / yes-count; None when nobody has a value
    of: int  # how many units the value is over
    items: tuple[tuple[str, object], ...] = ()  # (unit name, value) for every unit with a value
    no_data: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class Compiled:
    figures: dict[str, Aggregate]
    filed: tuple[str, ...]
    missing: tuple[str, ...]
    per_unit: tuple[tuple[str, dict[str, object]], ...] = field(default=())


def aggregate(
    outline: Outline,
    filed: Sequence[tuple[str, Mapping[str, object]]],
    missing: Sequence[str],
) -> Compiled:
    """Compile the units' values figure by figure, following each figure's aggregation."""
    figures: dict[str, Aggregate] = {}
    for fig in outline.figures():
        if fig.is_computed:
            continue
        items = tuple((name, v[fig.key]) for name, v in filed if v.get(fig.key) is not None)
        no_data = tuple(name for name, v in filed if v.get(fig.key) is None)
        values = [v for _n, v in items]
        value: object = None
        if values:
            if fig.aggregate == AGG_SUM:
                value = sum(int(v) for v in values)
            elif fig.aggregate == AGG_COUNT_UNITS:
                value = sum(1 for v in values if v is True)
            elif fig.aggregate in (AGG_MIN, AGG_MAX):
                keyed = [(_sort_key(fig, v), v) for v in values]
                pick = min if fig.aggregate == AGG_MIN else max
                value = pick(keyed, key=lambda kv: kv[0])[1]
            elif fig.aggregate == AGG_LIST:
                value = None  # the items are the value
        figures[fig.key] = Aggregate(
            key=fig.key,
            value=value,
            of=len(items),
            items=items,
            no_data=no_data,
            missing=tuple(missing),
        )
    # Percentages of the area: from the compiled numerator and denominator, over the units
    # that have both (a unit without one of them is "no data" for the rate).
    for fig in outline.figures():
        if not fig.is_computed:
            continue
        num_items = dict(figures[fig.numerator].items) if fig.numerator in figures else {}
        den_items = dict(figures[fig.denominator].items) if fig.denominator in figures else {}
        both = [n for n in den_items if n in num_items]
        num = sum(int(num_items[n]) for n in both)
        den = sum(int(den_items[n]) for n in both)
        rate = percent(num, den) if both else None
        per_unit = tuple(
            (n, str(r))
            for n in both
            if (r := percent(int(num_items[n]), int(den_items[n]))) is not None
        )
        figures[fig.key] = Aggregate(
            key=fig.key,
            value=str(rate) if rate is not None else None,
            of=len(both),
            items=per_unit,
            no_data=tuple(name for name, _v in filed if name not in both),
            missing=tuple(missing),
        )
    return Compiled(
        figures=figures,
        filed=tuple(name for name, _v in filed),
        missing=tuple(missing),
        per_unit=tuple((name, complete_values(outline, v)) for name, v in filed),
    )


def _sort_key(fig: OutlineFigure, value: object) -> object:
    if fig.unit == UNIT_DATE:
        return str(value)
    if fig.unit == UNIT_PERCENT:
        return Decimal(str(value))
    return value


# ------------------------------------------------------------------ wording


def format_value(fig: OutlineFigure, value: object) -> str:
    """A stored value printed the Vietnamese way; no data prints as such, never as 0."""
    if value is None:
        return "chưa có số liệu"
    if fig.unit == UNIT_COUNT:
        return vn_number(int(value))  # type: ignore[arg-type]
    if fig.unit == UNIT_DONG:
        return f"{vn_number(int(value))} đồng"  # type: ignore[arg-type]
    if fig.unit == UNIT_PERCENT:
        return vn_percent(Decimal(str(value)))
    if fig.unit == UNIT_DATE:
        return vn_date(dt.date.fromisoformat(str(value)))
    if fig.unit == UNIT_YESNO:
        return "Có" if value else "Không"
    return str(value)


def sentence(outline: Outline, fig: OutlineFigure, values: Mapping[str, object]) -> str:
    """One unit's figure in official wording ("Đã giải quyết trả trước và đúng hạn 190/191
    hồ sơ, đạt tỷ lệ 99,48%."); the outline's own sentence when it has one."""
    value = values.get(fig.key)
    if fig.is_computed and value is None:
        return f"{fig.label}: chưa có số liệu để tính tỷ lệ."
    if value is None:
        return f"{fig.label}: chưa có số liệu."
    text = format_value(fig, value)
    if fig.sentence:
        if fig.unit == UNIT_YESNO:
            text = "Đơn vị" if value else "Đơn vị chưa"
        parts = {"value": text}
        if fig.is_computed:
            parts["numerator"] = format_value(
                outline.figure(fig.numerator or ""), values.get(fig.numerator or "")
            )
            parts["denominator"] = format_value(
                outline.figure(fig.denominator or ""), values.get(fig.denominator or "")
            )
        return fig.sentence.format(**parts)
    if fig.unit == UNIT_YESNO:
        return f"{fig.label}: {text.lower()}."
    return f"{fig.label}: {text}."


def compiled_sentence(
    outline: Outline,
    fig: OutlineFigure,
    agg: Aggregate,
    *,
    unit_word: str = "đơn vị",
    name_missing: bool = True,
) -> str:
    """A compiled figure in official wording, with who has not filed named."""
    filed = agg.of + len(agg.no_data)
    if fig.is_computed:
        body = (
            f"{fig.label}: {format_value(fig, agg.value)} (tính trên {agg.of} {unit_word} có số liệu)"
            if agg.value is not None
            else f"{fig.label}: chưa có số liệu để tính tỷ lệ"
        )
    elif fig.aggregate == AGG_COUNT_UNITS:
        body = f"{fig.label}: {agg.value if agg.value is not None else 0}/{filed} {unit_word} đã báo cáo"
        if agg.value is None:
            body = f"{fig.label}: chưa có số liệu"
    elif fig.aggregate == AGG_LIST or agg.value is None:
        if not agg.items:
            body = f"{fig.label}: chưa có số liệu"
        else:
            listed = "; ".join(f"{n}: {format_value(fig, v)}" for n, v in agg.items)
            body = f"{fig.label}: {listed}"
    else:
        word = {AGG_SUM: "tổng", AGG_MIN: "thấp nhất", AGG_MAX: "cao nhất"}[fig.aggregate or ""]
        body = f"{fig.label} ({word} của {agg.of} {unit_word}): {format_value(fig, agg.value)}"
    tail = []
    if agg.no_data and agg.of:
        tail.append(f"chưa có số liệu: {', '.join(agg.no_data)}")
    if agg.missing and name_missing:
        tail.append(f"chưa gửi báo cáo: {', '.join(agg.missing)}")
    return body + (f" ({'; '.join(tail)})" if tail else "") + "."
