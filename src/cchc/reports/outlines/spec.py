"""A report outline (đề cương báo cáo) as plain data, loaded from and dumped to YAML.

An outline is what a report says, in order: sections (I, 1, 1.1 …) with their titles in the
official wording, each with named **figures** and **narrative blocks**. A figure has a key,
a label, a definition, a unit (count, đồng, %, date, yes/no, text), where its value comes
from (``measured`` by CCHC under a registry key, ``entered`` by the unit, or — a percentage —
computed from a numerator and a denominator, never typed), and how it aggregates when the
upper unit compiles its units' reports (sum, count of units, minimum, maximum, list).
``docs/reports.md`` ("Outlines") describes the format key by key.

Plain module: no Django import. Loading validates everything and raises
:class:`OutlineError` naming the first problem: where (the path of sections and the
figure or narrative), which key, and why, in Vietnamese.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from cchc.core.yaml_dump import dump_yaml
from cchc.reports.outlines.registry import MEASURES

UNIT_COUNT = "count"
UNIT_DONG = "dong"
UNIT_PERCENT = "percent"
UNIT_DATE = "date"
UNIT_YESNO = "yesno"
UNIT_TEXT = "text"
UNITS = (UNIT_COUNT, UNIT_DONG, UNIT_PERCENT, UNIT_DATE, UNIT_YESNO, UNIT_TEXT)
UNIT_LABELS = {
    UNIT_COUNT: "số lượng",
    UNIT_DONG: "đồng",
    UNIT_PERCENT: "%",
    UNIT_DATE: "ngày",
    UNIT_YESNO: "có/không",
    UNIT_TEXT: "văn bản",
}

SOURCE_MEASURED = "measured"
SOURCE_ENTERED = "entered"
SOURCE_COMPUTED = "computed"
SOURCES = (SOURCE_MEASURED, SOURCE_ENTERED, SOURCE_COMPUTED)

AGG_SUM = "sum"
AGG_COUNT_UNITS = "count_units"
AGG_MIN = "min"
AGG_MAX = "max"
AGG_LIST = "list"
AGGREGATIONS = (AGG_SUM, AGG_COUNT_UNITS, AGG_MIN, AGG_MAX, AGG_LIST)
# Which aggregation makes sense for which unit: a sum of dates or a minimum of text means
# nothing; a yes/no is counted over the units that said yes ("23/23 xã").
AGG_FOR_UNIT = {
    UNIT_COUNT: {AGG_SUM, AGG_MIN, AGG_MAX, AGG_LIST},
    UNIT_DONG: {AGG_SUM, AGG_MIN, AGG_MAX, AGG_LIST},
    UNIT_PERCENT: {AGG_MIN, AGG_MAX, AGG_LIST},
    UNIT_DATE: {AGG_MIN, AGG_MAX, AGG_LIST},
    UNIT_YESNO: {AGG_COUNT_UNITS, AGG_LIST},
    UNIT_TEXT: {AGG_LIST},
}
PERIOD_KINDS = ("year", "half", "quarter", "month", "custom")
STRUCTURES = ("2008", "2025")

KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
CODE_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.]*$")

# Error messages (Vietnamese: administrators read them). Tests import them.
ERR_YAML = "Tệp YAML không đọc được: {detail}"
ERR_NOT_MAPPING = "phải là một bảng khóa: giá trị"
ERR_NOT_LIST = "phải là một danh sách"
ERR_REQUIRED = "thiếu khóa bắt buộc"
ERR_UNKNOWN_KEY = "khóa không được hỗ trợ: {key}"
ERR_TEXT = "phải là một chuỗi ký tự không rỗng"
ERR_DATE = "phải là một ngày dạng YYYY-MM-DD"
ERR_CODE = "mã mục không hợp lệ: {value} (chữ, số, dấu chấm; mã số viết trong dấu nháy)"
ERR_KEY = "tên không hợp lệ: {value} (chữ thường không dấu, số, gạch dưới)"
ERR_DUPLICATE_SECTION = "mã mục {value} bị trùng trong cùng cấp"
ERR_DUPLICATE_KEY = "tên {value} đã dùng ở chỗ khác trong đề cương"
ERR_EMPTY_SECTIONS = "đề cương phải có ít nhất một mục"
ERR_UNIT = "đơn vị tính không hợp lệ: {value} (count, dong, percent, date, yesno, text)"
ERR_SOURCE = "nguồn số liệu không hợp lệ: {value} (measured, entered; tỷ lệ: numerator/denominator)"
ERR_MEASURE_REQUIRED = "số liệu đo trên hệ thống phải nêu khóa measure"
ERR_MEASURE_UNKNOWN = "không có số liệu đo mang khóa {value}"
ERR_MEASURE_UNIT = "số liệu đo {measure} có đơn vị {expected}, không phải {value}"
ERR_MEASURE_NOT_MEASURED = "khóa measure chỉ dùng khi source: measured"
ERR_PERCENT_TYPED = (
    "tỷ lệ (%) không được nhập tay: khai báo numerator và denominator (hoặc source: measured)"
)
ERR_RATIO_ONLY_PERCENT = "numerator/denominator chỉ dùng cho số liệu đơn vị percent"
ERR_RATIO_BOTH = "tỷ lệ phải có cả numerator và denominator"
ERR_RATIO_REF = "{value} không phải là số liệu đếm (count hoặc dong) trong đề cương"
ERR_RATIO_SAME = "tử số và mẫu số phải là hai số liệu khác nhau"
ERR_AGG_REQUIRED = "thiếu cách tổng hợp (aggregate: sum, count_units, min, max, list)"
ERR_AGG_UNKNOWN = "cách tổng hợp không hợp lệ: {value} (sum, count_units, min, max, list)"
ERR_AGG_FOR_UNIT = "cách tổng hợp {value} không dùng cho đơn vị {unit}"
ERR_AGG_COMPUTED = "tỷ lệ tính từ tử số/mẫu số được tính lại khi tổng hợp, không khai báo aggregate"
ERR_PART_OF_REF = "part_of: {value} không phải là số liệu cùng đơn vị trong đề cương"
ERR_PART_OF_SELF = "part_of không được trỏ về chính số liệu này"
ERR_PART_OF_UNIT = "part_of chỉ dùng cho số liệu đếm (count hoặc dong)"
ERR_SENTENCE = "câu mẫu chỉ được dùng {allowed}; gặp {{{value}}}"
ERR_SENTENCE_FORMAT = "câu mẫu không đúng cú pháp: {detail}"
ERR_STRUCTURE = "cấu trúc không hợp lệ: {value} (2008: tỉnh–huyện–xã; 2025: tỉnh–xã)"
ERR_PERIODS = "loại kỳ không hợp lệ: {value} (year, half, quarter, month, custom)"
ERR_VALID_ORDER = "valid_to phải sau valid_from"
ERR_NARRATIVE_KEY = "khối lời văn phải có key và label"
ERR_TITLE_PLACEHOLDER = "tiêu đề chỉ được dùng {allowed}; gặp {{{value}}}"

# What a title may say about the report it heads: "KẾT QUẢ … NĂM {year}", "… NĂM {next_year}".
# {PERIOD} is the period in capitals, for the capitalised headings ("… QUÝ I NĂM 2023").
TITLE_PLACEHOLDERS = ("year", "next_year", "previous_year", "period", "PERIOD", "unit")


class OutlineError(ValueError):
    """The first problem found in an outline: where (path), which key (field), why."""

    def __init__(self, path: str | None, field: str | None, message: str) -> None:
        self.path = path
        self.field = field
        self.message = message
        where = ", ".join(part for part in (path or "", f"khóa {field}" if field else "") if part)
        super().__init__(f"{where}: {message}" if where else message)


@dataclass(frozen=True)
class OutlineFigure:
    key: str
    label: str
    unit: str
    source: str  # measured | entered | computed
    aggregate: str | None = None  # None for a computed percentage
    definition: str = ""
    measure: str | None = None
    numerator: str | None = None
    denominator: str | None = None
    part_of: str | None = None
    sentence: str | None = None

    @property
    def is_computed(self) -> bool:
        return self.source == SOURCE_COMPUTED

    @property
    def is_measured(self) -> bool:
        return self.source == SOURCE_MEASURED

    @property
    def is_entered(self) -> bool:
        return self.source == SOURCE_ENTERED


@dataclass(frozen=True)
class Narrative:
    key: str
    label: str
    hint: str = ""


@dataclass(frozen=True)
class Section:
    code: str
    title: str
    figures: tuple[OutlineFigure, ...] = ()
    narratives: tuple[Narrative, ...] = ()
    sections: tuple[Section, ...] = ()
    note: str = ""
    # The printed numbering when it is not "<code>." (seed 000's "Phần thứ nhất –").
    number: str = ""

    def walk(self, depth: int = 1) -> Iterator[tuple[int, Section]]:
        yield depth, self
        for child in self.sections:
            yield from child.walk(depth + 1)

    def heading(self, **context: object) -> str:
        """'I. KẾT QUẢ … NĂM 2021', '1.1. Cải cách thể chế' — the seeds' own numbering."""
        return f"{self.number or self.code + '.'} {fill_title(self.title, context)}"


@dataclass(frozen=True)
class Outline:
    code: str
    name: str
    title: str
    sections: tuple[Section, ...]
    structure: str = "2025"
    periods: tuple[str, ...] = PERIOD_KINDS
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    source: str = ""
    note: str = ""
    _figures: dict[str, OutlineFigure] = field(default_factory=dict, compare=False, repr=False)
    _section_of: dict[str, Section] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for _depth, section in self.walk():
            for fig in section.figures:
                self._figures[fig.key] = fig
                self._section_of[fig.key] = section
            for block in section.narratives:
                self._section_of[block.key] = section

    def walk(self) -> Iterator[tuple[int, Section]]:
        for top in self.sections:
            yield from top.walk()

    def figures(self) -> Iterator[OutlineFigure]:
        for _depth, section in self.walk():
            yield from section.figures

    def narratives(self) -> Iterator[Narrative]:
        for _depth, section in self.walk():
            yield from section.narratives

    def figure(self, key: str) -> OutlineFigure:
        return self._figures[key]

    def has_figure(self, key: str) -> bool:
        return key in self._figures

    def section_of(self, key: str) -> Section:
        return self._section_of[key]

    def headings(self, **context: object) -> list[str]:
        return [section.heading(**context) for _depth, section in self.walk()]


def fill_title(title: str, context: Mapping[str, object]) -> str:
    """A title with its placeholders filled; one left without a value prints as written."""
    values = {name: context.get(name, "{" + name + "}") for name in TITLE_PLACEHOLDERS}
    if "period" in context and "PERIOD" not in context:
        values["PERIOD"] = str(context["period"]).upper()
    return title.format(**values)


def _check_title(title: str, path: str | None, field: str) -> None:
    try:
        names = [n for _t, n, _f, _c in string.Formatter().parse(title) if n is not None]
    except ValueError as exc:
        raise OutlineError(path, field, ERR_SENTENCE_FORMAT.format(detail=exc)) from exc
    for name in names:
        if name not in TITLE_PLACEHOLDERS:
            allowed = ", ".join("{" + a + "}" for a in TITLE_PLACEHOLDERS)
            raise OutlineError(
                path, field, ERR_TITLE_PLACEHOLDER.format(allowed=allowed, value=name)
            )


# ------------------------------------------------------------------ loading

_OUTLINE_KEYS = {
    "code",
    "name",
    "title",
    "structure",
    "periods",
    "valid_from",
    "valid_to",
    "source",
    "note",
    "sections",
}
_SECTION_KEYS = {"code", "number", "title", "figures", "narratives", "sections", "note"}
_FIGURE_KEYS = {
    "key",
    "label",
    "definition",
    "unit",
    "source",
    "measure",
    "numerator",
    "denominator",
    "aggregate",
    "part_of",
    "sentence",
}
_NARRATIVE_KEYS = {"key", "label", "hint"}


def load_outline(source: str | Path | Mapping[str, Any]) -> Outline:
    """Read an outline from YAML text, a path to a YAML file, or a parsed mapping."""
    if isinstance(source, Mapping):
        data: Any = source
    else:
        text = source.read_text(encoding="utf-8") if isinstance(source, Path) else source
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise OutlineError(None, None, ERR_YAML.format(detail=exc)) from exc
    return _Loader().outline(data)


class _Loader:
    def __init__(self) -> None:
        self.keys: set[str] = set()
        # figure key -> (path, figure), checked once every figure is known
        self.loaded: dict[str, tuple[str, OutlineFigure]] = {}

    @staticmethod
    def mapping(value: Any, path: str | None, field: str | None = None) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise OutlineError(path, field, ERR_NOT_MAPPING)
        return value

    @staticmethod
    def allowed(data: Mapping[str, Any], allowed: set[str], path: str | None) -> None:
        for key in data:
            if key not in allowed:
                raise OutlineError(path, str(key), ERR_UNKNOWN_KEY.format(key=key))

    @staticmethod
    def text(data: Mapping[str, Any], key: str, path: str | None, *, required: bool) -> str:
        if key not in data or data[key] is None:
            if required:
                raise OutlineError(path, key, ERR_REQUIRED)
            return ""
        value = data[key]
        if not isinstance(value, str) or not value.strip():
            raise OutlineError(path, key, ERR_TEXT)
        return value.strip()

    @staticmethod
    def date(data: Mapping[str, Any], key: str, path: str | None) -> dt.date | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise OutlineError(path, key, ERR_DATE)

    def outline(self, raw: Any) -> Outline:
        data = self.mapping(raw, None)
        self.allowed(data, _OUTLINE_KEYS, None)
        code = self.text(data, "code", None, required=True)
        if not CODE_RE.match(code.replace("-", ".").replace("_", ".")):
            raise OutlineError(None, "code", ERR_CODE.format(value=code))
        structure = str(data.get("structure", "2025"))
        if structure not in STRUCTURES:
            raise OutlineError(None, "structure", ERR_STRUCTURE.format(value=structure))
        periods_raw = data.get("periods", list(PERIOD_KINDS))
        if not isinstance(periods_raw, list) or not periods_raw:
            raise OutlineError(None, "periods", ERR_NOT_LIST)
        for kind in periods_raw:
            if kind not in PERIOD_KINDS:
                raise OutlineError(None, "periods", ERR_PERIODS.format(value=kind))
        valid_from = self.date(data, "valid_from", None)
        valid_to = self.date(data, "valid_to", None)
        if valid_from and valid_to and valid_to <= valid_from:
            raise OutlineError(None, "valid_to", ERR_VALID_ORDER)
        raw_sections = data.get("sections")
        if raw_sections is None:
            raise OutlineError(None, "sections", ERR_REQUIRED)
        if not isinstance(raw_sections, list):
            raise OutlineError(None, "sections", ERR_NOT_LIST)
        if not raw_sections:
            raise OutlineError(None, "sections", ERR_EMPTY_SECTIONS)
        title = self.text(data, "title", None, required=True)
        _check_title(title, None, "title")
        sections = self.sections(raw_sections, parent="")
        self.check_references()
        return Outline(
            code=code,
            name=self.text(data, "name", None, required=True),
            title=title,
            sections=sections,
            structure=structure,
            periods=tuple(periods_raw),
            valid_from=valid_from,
            valid_to=valid_to,
            source=self.text(data, "source", None, required=False),
            note=self.text(data, "note", None, required=False),
        )

    def sections(self, raw: list[Any], *, parent: str) -> tuple[Section, ...]:
        seen: set[str] = set()
        out = []
        for number, item in enumerate(raw, start=1):
            where = f"{parent} › mục thứ {number}" if parent else f"mục thứ {number}"
            data = self.mapping(item, where.lstrip(" ›"))
            code = data.get("code")
            if isinstance(code, bool) or not isinstance(code, str | int):
                raise OutlineError(
                    where, "code", ERR_REQUIRED if code is None else ERR_CODE.format(value=code)
                )
            code = str(code)
            if not CODE_RE.match(code):
                raise OutlineError(where, "code", ERR_CODE.format(value=code))
            path = f"{parent} › {code}" if parent else f"mục {code}"
            if code in seen:
                raise OutlineError(path, "code", ERR_DUPLICATE_SECTION.format(value=code))
            seen.add(code)
            self.allowed(data, _SECTION_KEYS, path)
            title = self.text(data, "title", path, required=True)
            _check_title(title, path, "title")
            figures = tuple(self.figure(f, path) for f in self.listed(data, "figures", path))
            narratives = tuple(
                self.narrative(n, path) for n in self.listed(data, "narratives", path)
            )
            children = self.listed(data, "sections", path)
            out.append(
                Section(
                    code=code,
                    title=title,
                    figures=figures,
                    narratives=narratives,
                    sections=self.sections(children, parent=path) if children else (),
                    note=self.text(data, "note", path, required=False),
                    number=self.text(data, "number", path, required=False),
                )
            )
        return tuple(out)

    @staticmethod
    def listed(data: Mapping[str, Any], key: str, path: str) -> list[Any]:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise OutlineError(path, key, ERR_NOT_LIST)
        return value

    def claim_key(self, raw: Any, path: str, field: str = "key") -> str:
        if not isinstance(raw, str) or not KEY_RE.match(raw):
            raise OutlineError(path, field, ERR_KEY.format(value=raw))
        if raw in self.keys:
            raise OutlineError(path, field, ERR_DUPLICATE_KEY.format(value=raw))
        self.keys.add(raw)
        return raw

    def narrative(self, raw: Any, section_path: str) -> Narrative:
        data = self.mapping(raw, section_path, "narratives")
        key = data.get("key")
        path = f"{section_path} › lời văn {key}" if key else section_path
        self.allowed(data, _NARRATIVE_KEYS, path)
        if "key" not in data:
            raise OutlineError(path, "key", ERR_NARRATIVE_KEY)
        key = self.claim_key(data["key"], path)
        return Narrative(
            key=key,
            label=self.text(data, "label", path, required=True),
            hint=self.text(data, "hint", path, required=False),
        )

    def figure(self, raw: Any, section_path: str) -> OutlineFigure:
        data = self.mapping(raw, section_path, "figures")
        key = data.get("key")
        path = f"{section_path} › số liệu {key}" if key else f"{section_path} › số liệu"
        self.allowed(data, _FIGURE_KEYS, path)
        if "key" not in data:
            raise OutlineError(path, "key", ERR_REQUIRED)
        key = self.claim_key(data["key"], path)
        label = self.text(data, "label", path, required=True)
        unit = data.get("unit")
        if unit is None:
            raise OutlineError(path, "unit", ERR_REQUIRED)
        if unit not in UNITS:
            raise OutlineError(path, "unit", ERR_UNIT.format(value=unit))
        has_ratio = "numerator" in data or "denominator" in data
        source = data.get("source")
        if has_ratio:
            if unit != UNIT_PERCENT:
                raise OutlineError(path, "numerator", ERR_RATIO_ONLY_PERCENT)
            if "numerator" not in data or "denominator" not in data:
                raise OutlineError(
                    path, "denominator" if "numerator" in data else "numerator", ERR_RATIO_BOTH
                )
            if source not in (None, SOURCE_COMPUTED):
                raise OutlineError(path, "source", ERR_PERCENT_TYPED)
            source = SOURCE_COMPUTED
            if data["numerator"] == data["denominator"]:
                raise OutlineError(path, "denominator", ERR_RATIO_SAME)
        elif source is None:
            raise OutlineError(path, "source", ERR_REQUIRED)
        elif source not in (SOURCE_MEASURED, SOURCE_ENTERED):
            raise OutlineError(path, "source", ERR_SOURCE.format(value=source))
        if unit == UNIT_PERCENT and source == SOURCE_ENTERED:
            raise OutlineError(path, "source", ERR_PERCENT_TYPED)
        measure = data.get("measure")
        if source == SOURCE_MEASURED:
            if measure is None:
                raise OutlineError(path, "measure", ERR_MEASURE_REQUIRED)
            if measure not in MEASURES:
                raise OutlineError(path, "measure", ERR_MEASURE_UNKNOWN.format(value=measure))
            if MEASURES[measure].unit != unit:
                raise OutlineError(
                    path,
                    "unit",
                    ERR_MEASURE_UNIT.format(
                        measure=measure, expected=MEASURES[measure].unit, value=unit
                    ),
                )
        elif measure is not None:
            raise OutlineError(path, "measure", ERR_MEASURE_NOT_MEASURED)
        aggregate = data.get("aggregate")
        if source == SOURCE_COMPUTED:
            if aggregate is not None:
                raise OutlineError(path, "aggregate", ERR_AGG_COMPUTED)
        elif aggregate is None:
            raise OutlineError(path, "aggregate", ERR_AGG_REQUIRED)
        elif aggregate not in AGGREGATIONS:
            raise OutlineError(path, "aggregate", ERR_AGG_UNKNOWN.format(value=aggregate))
        elif aggregate not in AGG_FOR_UNIT[unit]:
            raise OutlineError(
                path, "aggregate", ERR_AGG_FOR_UNIT.format(value=aggregate, unit=unit)
            )
        part_of = data.get("part_of")
        if part_of is not None:
            if unit not in (UNIT_COUNT, UNIT_DONG):
                raise OutlineError(path, "part_of", ERR_PART_OF_UNIT)
            if part_of == key:
                raise OutlineError(path, "part_of", ERR_PART_OF_SELF)
        sentence = self.text(data, "sentence", path, required=False) or None
        if sentence:
            allowed = {"value"} | ({"numerator", "denominator"} if has_ratio else set())
            try:
                names = [
                    name
                    for _t, name, _f, _c in string.Formatter().parse(sentence)
                    if name is not None
                ]
            except ValueError as exc:
                raise OutlineError(
                    path, "sentence", ERR_SENTENCE_FORMAT.format(detail=exc)
                ) from exc
            for name in names:
                if name not in allowed:
                    raise OutlineError(
                        path,
                        "sentence",
                        ERR_SENTENCE.format(
                            allowed=", ".join("{" + a + "}" for a in sorted(allowed)), value=name
                        ),
                    )
        fig = OutlineFigure(
            key=key,
            label=label,
            unit=unit,
            source=source,
            aggregate=aggregate,
            definition=self.text(data, "definition", path, required=False),
            measure=measure,
            numerator=data.get("numerator"),
            denominator=data.get("denominator"),
            part_of=part_of,
            sentence=sentence,
        )
        self.loaded[key] = (path, fig)
        return fig

    def check_references(self) -> None:
        """Ratios and parts name figures that may come later in the file: checked last."""
        for path, fig in self.loaded.values():
            for field_name in ("numerator", "denominator"):
                ref = getattr(fig, field_name)
                if ref is None:
                    continue
                target = self.loaded.get(ref) if isinstance(ref, str) else None
                if target is None or target[1].unit not in (UNIT_COUNT, UNIT_DONG):
                    raise OutlineError(path, field_name, ERR_RATIO_REF.format(value=ref))
            if fig.part_of is not None:
                target = self.loaded.get(fig.part_of) if isinstance(fig.part_of, str) else None
                if target is None or target[1].unit != fig.unit:
                    raise OutlineError(path, "part_of", ERR_PART_OF_REF.format(value=fig.part_of))


# ------------------------------------------------------------------ dumping


class _Dumper(yaml.SafeDumper):
    pass


def _str_presenter(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str_presenter)


def _figure_to_dict(fig: OutlineFigure) -> dict[str, Any]:
    out: dict[str, Any] = {"key": fig.key, "label": fig.label, "unit": fig.unit}
    if fig.definition:
        out["definition"] = fig.definition
    if fig.is_computed:
        out["numerator"] = fig.numerator
        out["denominator"] = fig.denominator
    else:
        out["source"] = fig.source
        if fig.measure:
            out["measure"] = fig.measure
        out["aggregate"] = fig.aggregate
    if fig.part_of:
        out["part_of"] = fig.part_of
    if fig.sentence:
        out["sentence"] = fig.sentence
    return out


def _section_to_dict(section: Section) -> dict[str, Any]:
    out: dict[str, Any] = {"code": section.code, "title": section.title}
    if section.number:
        out["number"] = section.number
    if section.note:
        out["note"] = section.note
    if section.figures:
        out["figures"] = [_figure_to_dict(f) for f in section.figures]
    if section.narratives:
        out["narratives"] = [
            {"key": n.key, "label": n.label, **({"hint": n.hint} if n.hint else {})}
            for n in section.narratives
        ]
    if section.sections:
        out["sections"] = [_section_to_dict(s) for s in section.sections]
    return out


def outline_to_dict(outline: Outline) -> dict[str, Any]:
    out: dict[str, Any] = {"code": outline.code, "name": outline.name, "title": outline.title}
    out["structure"] = outline.structure
    if tuple(outline.periods) != PERIOD_KINDS:
        out["periods"] = list(outline.periods)
    if outline.valid_from:
        out["valid_from"] = outline.valid_from.isoformat()
    if outline.valid_to:
        out["valid_to"] = outline.valid_to.isoformat()
    if outline.source:
        out["source"] = outline.source
    if outline.note:
        out["note"] = outline.note
    out["sections"] = [_section_to_dict(s) for s in outline.sections]
    return out


def dump_outline(outline: Outline) -> str:
    """YAML text that loads back to an equal outline: load_outline(dump_outline(o)) == o."""
    return dump_yaml(outline_to_dict(outline), _Dumper)
