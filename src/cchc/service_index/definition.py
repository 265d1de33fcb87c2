"""The QĐ 766/QĐ-TTg service index definition: load and check the YAML.

The definition is data (frameworks/qd766-2022.yaml): groups, indicators, their maxima,
numerator and denominator as named counts (counts.py), the scoring rule, what a zero
denominator gives, whether CCHC can measure it at all, and the source and confidence of
each. A bad file is refused with the first problem named: which group or indicator, which
field, and why.

Plain module: no Django import.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

import yaml

from cchc.core.rates import full_at_points

RuleKind = Literal["proportional", "full_at"]
WhenEmpty = Literal["excluded", "zero", "full"]
DataSource = Literal["system", "import", "not_available"]
Confidence = Literal["V", "S", "U"]

RULE_KINDS: tuple[str, ...] = ("proportional", "full_at")
WHEN_EMPTY: tuple[str, ...] = ("excluded", "zero", "full")
DATA_SOURCES: tuple[str, ...] = ("system", "import", "not_available")
CONFIDENCES: tuple[str, ...] = ("V", "S", "U")

# repo root / frameworks / qd766-2022.yaml (src/cchc/service_index/definition.py)
DEFAULT_PATH = Path(__file__).resolve().parents[3] / "frameworks" / "qd766-2022.yaml"

DEFINITION = "<định nghĩa>"

ERR_NOT_MAPPING = "phải là một bảng khóa: giá trị"
ERR_REQUIRED = "thiếu trường bắt buộc"
ERR_UNKNOWN_FIELD = "trường không được hỗ trợ; các trường hợp lệ: {allowed}"
ERR_TEXT = "phải là chuỗi không rỗng"
ERR_NUMBER = "'{value}' không phải là số"
ERR_NEGATIVE = "không được âm: {value}"
ERR_LIST = "phải là danh sách không rỗng"
ERR_CHOICE = "'{value}' không hợp lệ; chọn một trong: {choices}"
ERR_DUPLICATE = "mã '{code}' bị trùng"
ERR_FULL_AT = "ngưỡng đạt điểm tối đa phải trong (0, 100], nhận {value}"
ERR_FULL_AT_MISSING = "quy tắc full_at cần ngưỡng full_at"
ERR_FULL_AT_EXTRA = "quy tắc proportional không có ngưỡng full_at"
ERR_UNKNOWN_COUNT = "số đếm '{name}' không tồn tại"
ERR_COUNTS_MISSING = "chỉ số có số liệu cần cả tử số và mẫu số"
ERR_GROUP_SUM = (
    "điểm tối đa của nhóm {declared} khác tổng điểm các chỉ số {total} "
    "(group max ≠ sum of indicator maxima)"
)
ERR_TOTAL_SUM = (
    "tổng điểm tối đa {declared} khác tổng điểm các nhóm {total} (total ≠ sum of group maxima)"
)
ERR_YAML = "tệp YAML không đọc được: {error} (YAML syntax error)"


class DefinitionError(ValueError):
    """The first problem of a definition: which item (code), which field, and why."""

    def __init__(self, code: str, field: str, message: str) -> None:
        self.code = code
        self.field = field
        self.message = message
        super().__init__(f"{code}: {field}: {message}")


@dataclass(frozen=True)
class Rule:
    """points = max if rate ≥ full_at %, else rate × max / full_at % (full_at = 100: proportional)."""

    kind: RuleKind
    full_at: Decimal | None = None

    @property
    def threshold(self) -> Decimal:
        return self.full_at if self.kind == "full_at" and self.full_at is not None else Decimal(100)

    def points(self, numerator: int, denominator: int, max_points: Decimal) -> Decimal:
        """Exact points for numerator / denominator (denominator > 0); never above max_points."""
        points = full_at_points(
            Decimal(numerator), Decimal(denominator), max_points, self.threshold
        )
        return max(Decimal(0), points)

    def describe(self) -> str:
        if self.kind == "full_at":
            x = _plain(self.threshold)
            return f"Đạt từ {x}% trở lên: điểm tối đa; dưới {x}%: tỷ lệ × điểm tối đa / {x}%"
        return "Tỷ lệ × điểm tối đa"


@dataclass(frozen=True)
class Indicator:
    code: str
    title: str
    group: str
    max_points: Decimal
    numerator: str | None
    denominator: str | None
    rule: Rule
    when_empty: WhenEmpty
    data: DataSource
    formula: str
    source: str
    confidence: Confidence
    note: str = ""

    @property
    def scored(self) -> bool:
        """Counts toward the total: has points and data CCHC can measure."""
        return self.max_points > 0 and self.data != "not_available"

    @property
    def metric_name(self) -> str:
        return f"qd766.{self.code}"


@dataclass(frozen=True)
class Group:
    code: str
    title: str
    max_points: Decimal
    confidence: Confidence
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class NotEncoded:
    code: str
    title: str
    reason: str


@dataclass(frozen=True)
class IndexDefinition:
    code: str
    title: str
    legal_basis: str
    total_max_points: Decimal
    confidence: Confidence
    note: str
    sources: tuple[str, ...]
    groups: tuple[Group, ...]
    not_encoded: tuple[NotEncoded, ...] = ()

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for g in self.groups for i in g.indicators)

    def indicator(self, code: str) -> Indicator:
        for i in self.indicators:
            if i.code == code:
                return i
        raise KeyError(code)

    @property
    def not_available_points(self) -> Decimal:
        """Points of indicators CCHC cannot measure (data: not_available)."""
        return sum((i.max_points for i in self.indicators if i.data == "not_available"), Decimal(0))

    def count_names(self) -> set[str]:
        names: set[str] = set()
        for i in self.indicators:
            names.update(n for n in (i.numerator, i.denominator) if n)
        return names


def _plain(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


# -- parsing ---------------------------------------------------------------------------------

TOP_FIELDS = {
    "code",
    "title",
    "legal_basis",
    "total_max_points",
    "confidence",
    "note",
    "sources",
    "groups",
    "not_encoded",
}
GROUP_FIELDS = {"code", "title", "max_points", "confidence", "indicators"}
INDICATOR_FIELDS = {
    "code",
    "title",
    "max_points",
    "numerator",
    "denominator",
    "rule",
    "when_empty",
    "data",
    "formula",
    "source",
    "confidence",
    "note",
}
RULE_FIELDS = {"kind", "full_at"}
NOT_ENCODED_FIELDS = {"code", "title", "reason"}


def _mapping(value: Any, code: str, field: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise DefinitionError(code, field, ERR_NOT_MAPPING)
    return value


def _fields(data: Mapping[str, Any], allowed: set[str], code: str) -> None:
    for key in data:
        if key not in allowed:
            raise DefinitionError(
                code, str(key), ERR_UNKNOWN_FIELD.format(allowed=", ".join(sorted(allowed)))
            )


def _required(data: Mapping[str, Any], key: str, code: str) -> Any:
    if key not in data or data[key] is None:
        raise DefinitionError(code, key, ERR_REQUIRED)
    return data[key]


def _text(data: Mapping[str, Any], key: str, code: str, *, required: bool = True) -> str:
    if not required and data.get(key) is None:
        return ""
    value = _required(data, key, code)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise DefinitionError(code, key, ERR_TEXT)
    return value.strip()


def _number(data: Mapping[str, Any], key: str, code: str) -> Decimal:
    value = _required(data, key, code)
    if isinstance(value, bool):
        raise DefinitionError(code, key, ERR_NUMBER.format(value=value))
    try:
        # str() first: YAML 0.5 is a float, and Decimal(0.5) would carry binary noise.
        number = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise DefinitionError(code, key, ERR_NUMBER.format(value=value)) from exc
    if not number.is_finite():
        raise DefinitionError(code, key, ERR_NUMBER.format(value=value))
    if number < 0:
        raise DefinitionError(code, key, ERR_NEGATIVE.format(value=value))
    return number


def _choice(data: Mapping[str, Any], key: str, code: str, choices: Iterable[str]) -> Any:
    value = _required(data, key, code)
    options = tuple(choices)
    if value not in options:
        raise DefinitionError(code, key, ERR_CHOICE.format(value=value, choices=", ".join(options)))
    return value


def _list(data: Mapping[str, Any], key: str, code: str, *, required: bool = True) -> list[Any]:
    value = data.get(key)
    if value is None and not required:
        return []
    if not isinstance(value, list) or (required and not value):
        raise DefinitionError(code, key, ERR_LIST)
    return value


def _rule(data: Mapping[str, Any], code: str) -> Rule:
    raw = _mapping(_required(data, "rule", code), code, "rule")
    _fields(raw, RULE_FIELDS, code)
    kind = _choice(raw, "kind", code, RULE_KINDS)
    if kind == "proportional":
        if raw.get("full_at") is not None:
            raise DefinitionError(code, "rule.full_at", ERR_FULL_AT_EXTRA)
        return Rule("proportional")
    if raw.get("full_at") is None:
        raise DefinitionError(code, "rule.full_at", ERR_FULL_AT_MISSING)
    threshold = _number(raw, "full_at", code)
    if not (0 < threshold <= 100):
        raise DefinitionError(code, "rule.full_at", ERR_FULL_AT.format(value=threshold))
    return Rule("full_at", threshold)


def _indicator(
    raw_any: Any, group: str, known_counts: set[str] | frozenset[str], where: str
) -> Indicator:
    raw = _mapping(raw_any, where, "indicators")
    code = _text(raw, "code", where)
    _fields(raw, INDICATOR_FIELDS, code)
    data = _choice(raw, "data", code, DATA_SOURCES)
    counts: dict[str, str | None] = {}
    for key in ("numerator", "denominator"):
        if raw.get(key) is None:
            counts[key] = None
            continue
        name = _text(raw, key, code)
        if name not in known_counts:
            raise DefinitionError(code, key, ERR_UNKNOWN_COUNT.format(name=name))
        counts[key] = name
    if data != "not_available" and (counts["numerator"] is None or counts["denominator"] is None):
        missing = "numerator" if counts["numerator"] is None else "denominator"
        raise DefinitionError(code, missing, ERR_COUNTS_MISSING)
    return Indicator(
        code=code,
        title=_text(raw, "title", code),
        group=group,
        max_points=_number(raw, "max_points", code),
        numerator=counts["numerator"],
        denominator=counts["denominator"],
        rule=_rule(raw, code),
        when_empty=_choice(raw, "when_empty", code, WHEN_EMPTY),
        data=data,
        formula=_text(raw, "formula", code),
        source=_text(raw, "source", code),
        confidence=_choice(raw, "confidence", code, CONFIDENCES),
        note=_text(raw, "note", code, required=False),
    )


def parse_definition(data: Any, *, known_counts: Iterable[str] | None = None) -> IndexDefinition:
    """Build and check a definition from parsed YAML; raises DefinitionError on the first problem."""
    if known_counts is None:
        from cchc.service_index.counts import COUNT_NAMES

        known = frozenset(COUNT_NAMES)
    else:
        known = frozenset(known_counts)
    top = _mapping(data, DEFINITION, "(gốc)")
    _fields(top, TOP_FIELDS, DEFINITION)
    code = _text(top, "code", DEFINITION)
    total = _number(top, "total_max_points", code)
    seen: set[str] = set()
    groups: list[Group] = []
    for index, raw_group_any in enumerate(_list(top, "groups", code), start=1):
        raw_group = _mapping(raw_group_any, f"{code} nhóm {index}", "groups")
        group_code = _text(raw_group, "code", f"{code} nhóm {index}")
        where = f"nhóm {group_code}"
        _fields(raw_group, GROUP_FIELDS, where)
        if group_code in seen:
            raise DefinitionError(where, "code", ERR_DUPLICATE.format(code=group_code))
        seen.add(group_code)
        indicators: list[Indicator] = []
        for position, raw_indicator in enumerate(_list(raw_group, "indicators", where), start=1):
            indicator = _indicator(
                raw_indicator, group_code, known, f"{where} chỉ số thứ {position}"
            )
            if indicator.code in seen:
                raise DefinitionError(
                    indicator.code, "code", ERR_DUPLICATE.format(code=indicator.code)
                )
            seen.add(indicator.code)
            indicators.append(indicator)
        group_max = _number(raw_group, "max_points", where)
        indicator_sum = sum((i.max_points for i in indicators), Decimal(0))
        if indicator_sum != group_max:
            raise DefinitionError(
                where,
                "max_points",
                ERR_GROUP_SUM.format(declared=_plain(group_max), total=_plain(indicator_sum)),
            )
        groups.append(
            Group(
                code=group_code,
                title=_text(raw_group, "title", where),
                max_points=group_max,
                confidence=_choice(raw_group, "confidence", where, CONFIDENCES),
                indicators=tuple(indicators),
            )
        )
    group_sum = sum((g.max_points for g in groups), Decimal(0))
    if group_sum != total:
        raise DefinitionError(
            code,
            "total_max_points",
            ERR_TOTAL_SUM.format(declared=_plain(total), total=_plain(group_sum)),
        )
    not_encoded = []
    for index, raw_any in enumerate(_list(top, "not_encoded", code, required=False), start=1):
        raw = _mapping(raw_any, f"{code} not_encoded {index}", "not_encoded")
        item = _text(raw, "code", f"{code} not_encoded {index}")
        _fields(raw, NOT_ENCODED_FIELDS, item)
        not_encoded.append(NotEncoded(item, _text(raw, "title", item), _text(raw, "reason", item)))
    sources = _list(top, "sources", code, required=False)
    return IndexDefinition(
        code=code,
        title=_text(top, "title", code),
        legal_basis=_text(top, "legal_basis", code),
        total_max_points=total,
        confidence=_choice(top, "confidence", code, CONFIDENCES),
        note=_text(top, "note", code, required=False),
        sources=tuple(str(s) for s in sources),
        groups=tuple(groups),
        not_encoded=tuple(not_encoded),
    )


def load_definition_text(
    text: str, *, known_counts: Iterable[str] | None = None, name: str = DEFINITION
) -> IndexDefinition:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise DefinitionError(name, "(yaml)", ERR_YAML.format(error=exc)) from exc
    return parse_definition(data, known_counts=known_counts)


def load_definition(
    path: str | Path = DEFAULT_PATH, *, known_counts: Iterable[str] | None = None
) -> IndexDefinition:
    """Load frameworks/qd766-2022.yaml (or another version of the index)."""
    file = Path(path)
    return load_definition_text(
        file.read_text(encoding="utf-8"), known_counts=known_counts, name=file.name
    )
