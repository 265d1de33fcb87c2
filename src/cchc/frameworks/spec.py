"""A PAR index framework (bộ chỉ số) as plain data, loaded from and dumped to YAML.

A framework is a tree: components (lĩnh vực, plus the survey and impact components) at the
top, criteria (tiêu chí) and sub-criteria (tiêu chí thành phần) below. A node without
children is a leaf and carries its scoring method: ``evidence`` (scored by a person against
documents), ``metric`` (points from a measured percentage) or ``survey`` (points from a
survey index). ``docs/frameworks.md`` describes the YAML format key by key.

Plain module: no Django import. Loading validates everything and raises
:class:`FrameworkError` naming the first problem (criterion code, field, why).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from cchc.core.yaml_dump import dump_yaml

METHOD_EVIDENCE = "evidence"
METHOD_METRIC = "metric"
METHOD_SURVEY = "survey"
METHODS = (METHOD_EVIDENCE, METHOD_METRIC, METHOD_SURVEY)

# The survey codes the shipped frameworks name in a survey criterion; a framework may name
# others (free text), shown by their code.
SURVEY_LABELS = {
    "dieu_tra_xhh": "Điều tra xã hội học",
    "sipas": "Chỉ số hài lòng (SIPAS)",
}

# Measured figures the dossier module can produce; QĐ 766/QĐ-TTg indicators are named
# ``qd766.<group>.<n>`` (e.g. ``qd766.2.1``). The list stays open: a caller passes its own.
KNOWN_METRICS = (
    "on_time_rate",
    "online_rate",
    "intake_digitized_rate",
    "result_digitized_rate",
    "paid_online_rate",
    "plan_completion_rate",
)
METRIC_NAME_RE = re.compile(r"^[a-z_][a-z0-9_]*(\.[a-z0-9_]+)*$")
CODE_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]*$")

# Error messages (Vietnamese: administrators read them). Tests import them.
ERR_YAML = "Tệp YAML không đọc được: {detail}"
ERR_NOT_MAPPING = "phải là một bảng khóa: giá trị"
ERR_NOT_LIST = "phải là một danh sách"
ERR_REQUIRED = "thiếu khóa bắt buộc"
ERR_UNKNOWN_KEY = "khóa không được hỗ trợ: {key}"
ERR_EMPTY = "không được để trống"
ERR_TEXT = "phải là một chuỗi ký tự"
ERR_NUMBER = "phải là một số"
ERR_BOOL = "phải là true hoặc false"
ERR_CODE = "mã không hợp lệ (chỉ gồm chữ, số, dấu chấm, gạch; mã số viết trong dấu nháy)"
ERR_DUPLICATE_CODE = "mã bị trùng"
ERR_MAX_POSITIVE = "điểm tối đa phải lớn hơn 0"
ERR_MAX_SUM = "điểm tối đa {max} khác tổng điểm tối đa của các tiêu chí con ({total})"
ERR_CHILDREN_EMPTY = "danh sách tiêu chí con rỗng"
ERR_PARENT_METHOD = "tiêu chí có tiêu chí con không có phương pháp chấm riêng"
ERR_LEAF_METHOD = "tiêu chí lá phải có phương pháp chấm (evidence, metric hoặc survey)"
ERR_UNKNOWN_METHOD = "phương pháp chấm không hợp lệ: {value} (evidence, metric hoặc survey)"
ERR_KEY_NOT_FOR_METHOD = "khóa {key} không dùng với phương pháp {method}"
ERR_METRIC_REQUIRED = "tiêu chí metric phải nêu tên số liệu (metric)"
ERR_METRIC_NAME = "tên số liệu không hợp lệ: {value}"
ERR_METRIC_UNKNOWN = "số liệu không được hỗ trợ: {value}"
ERR_SURVEY_REQUIRED = "tiêu chí survey phải nêu tên cuộc điều tra (survey)"
ERR_THRESHOLDS_AND_FULL_AT = "chỉ dùng một trong hai: thresholds hoặc full_at"
ERR_THRESHOLD_EMPTY = "bảng ngưỡng rỗng"
ERR_THRESHOLD_ORDER = "dòng {row}: ngưỡng min phải giảm dần (dòng trước {prev}, dòng này {value})"
ERR_THRESHOLD_FLOOR = "dòng cuối phải có min: 0 (mức sàn cho mọi giá trị)"
ERR_THRESHOLD_MIN_RANGE = "dòng {row}: min phải từ 0 đến 100"
ERR_THRESHOLD_POINTS = "dòng {row}: điểm {points} phải từ 0 đến điểm tối đa {max}"
ERR_THRESHOLD_POINTS_ORDER = "dòng {row}: điểm không được tăng khi ngưỡng giảm"
ERR_PERCENT_RANGE = "phải từ 0 đến 100 (%)"
ERR_FULL_AT_RANGE = "phải lớn hơn 0 và không quá 100 (%)"
ERR_SCALE = "thang điểm điều tra phải lớn hơn 0"
ERR_GRADED_ONLY_TOP = "graded chỉ dùng cho lĩnh vực (cấp trên cùng)"
ERR_GRADE_DUPLICATE = "mã xếp loại bị trùng"
ERR_GRADE_NO_CONDITION = "chỉ mức cuối cùng (mức sàn) được không có điều kiện min_index"
ERR_GRADE_FLOOR_CONDITION = "mức cuối cùng là mức sàn, không có điều kiện"
ERR_GRADE_ORDER = "min_index phải giảm dần từ mức cao nhất đến mức thấp nhất ({prev} rồi {value})"
ERR_GRADE_COMPONENT_ORDER = "min_component không được tăng ở mức thấp hơn ({prev} rồi {value})"
ERR_REMEDIATION_UNKNOWN = "không có lĩnh vực mã {value}"
ERR_REMEDIATION_GRADE = "không có mức xếp loại mã {value}"
ERR_BELOW_PERCENT = "phải lớn hơn 0 và không quá 100 (%)"


class FrameworkError(ValueError):
    """The first problem found in a framework: which node (code), which key (field), why."""

    def __init__(self, code: str | None, field: str | None, message: str) -> None:
        self.code = code
        self.field = field
        self.message = message
        where = " ".join(
            part
            for part in (f"tiêu chí {code}" if code else "", f"khóa {field}" if field else "")
            if part
        )
        super().__init__(f"{where}: {message}" if where else message)


@dataclass(frozen=True)
class Threshold:
    """One row of a threshold table: a measured value >= ``min`` (%) earns ``points``."""

    min: Decimal
    points: Decimal


@dataclass(frozen=True)
class Criterion:
    code: str
    title: str
    max: Decimal
    # Only meaningful on components: does the component count for a grade's min_component?
    graded: bool = False
    method: str | None = None  # evidence | metric | survey; None for a parent
    metric: str | None = None
    thresholds: tuple[Threshold, ...] = ()
    full_at: Decimal | None = None  # metric/survey: full points at or above this percentage
    survey: str | None = None
    scale: Decimal | None = None  # survey: the value that means 100% (default 100)
    source: str | None = None
    note: str | None = None
    children: tuple[Criterion, ...] = ()

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def walk(self) -> Iterator[Criterion]:
        yield self
        for child in self.children:
            yield from child.walk()

    def leaves(self) -> Iterator[Criterion]:
        for node in self.walk():
            if node.is_leaf:
                yield node


@dataclass(frozen=True)
class Grade:
    """A classification tier; the unit gets the first (best) grade whose conditions all hold."""

    code: str
    label: str
    min_index: Decimal | None = None
    min_component: Decimal | None = None
    # Seed 004 and issue 5: the bounds are inclusive (>=); a province writing "trên 80%"
    # sets inclusive: false.
    inclusive: bool = True
    source: str | None = None

    @property
    def is_floor(self) -> bool:
        return self.min_index is None and self.min_component is None


@dataclass(frozen=True)
class Remediation:
    """Who owes a remediation plan (seed 001: TTHC and chính quyền số under 75% of max)."""

    below_percent: Decimal
    components: tuple[str, ...]
    # Seed 001 also names units graded "Hoàn thành nhiệm vụ"; empty means no grade rule.
    grades: tuple[str, ...] = ()
    source: str | None = None


@dataclass(frozen=True)
class Framework:
    code: str
    name: str
    criteria: tuple[Criterion, ...]
    grades: tuple[Grade, ...] = ()
    remediation: Remediation | None = None
    description: str | None = None
    source: str | None = None
    note: str | None = None
    _index: dict[str, Criterion] = field(default_factory=dict, compare=False, repr=False)
    _parents: dict[str, str | None] = field(default_factory=dict, compare=False, repr=False)
    _ancestry: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for top in self.criteria:
            self._parents[top.code] = None
            for node in top.walk():
                self._index[node.code] = node
                for child in node.children:
                    self._parents[child.code] = node.code
        for code in self._index:
            chain = []
            parent = self._parents[code]
            while parent is not None:
                chain.append(parent)
                parent = self._parents[parent]
            self._ancestry[code] = tuple(chain)

    @cached_property
    def max(self) -> Decimal:
        return sum((c.max for c in self.criteria), Decimal(0))

    @cached_property
    def component_codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.criteria)

    @property
    def components(self) -> tuple[Criterion, ...]:
        return self.criteria

    def node(self, code: str) -> Criterion:
        return self._index[code]

    def has(self, code: str) -> bool:
        return code in self._index

    def parent_code(self, code: str) -> str | None:
        return self._parents[code]

    def ancestors(self, code: str) -> list[str]:
        """Codes above ``code``, nearest first."""
        return list(self._ancestry[code])

    def ancestry(self, code: str) -> tuple[str, ...]:
        """The same, as a tuple made once when the framework was built (no list per call)."""
        return self._ancestry[code]

    def component_of(self, code: str) -> str:
        chain = [code, *self.ancestors(code)]
        return chain[-1]

    def walk(self) -> Iterator[Criterion]:
        for top in self.criteria:
            yield from top.walk()

    def leaves(self) -> Iterator[Criterion]:
        for top in self.criteria:
            yield from top.leaves()

    def grade(self, code: str) -> Grade:
        for grade in self.grades:
            if grade.code == code:
                return grade
        raise KeyError(code)


MetricCheck = Collection[str] | Callable[[str], bool] | None

# --------------------------------------------------------------------------- loading

_TOP_KEYS = {"code", "name", "description", "source", "note", "grades", "remediation", "criteria"}
_GRADE_KEYS = {"code", "label", "min_index", "min_component", "inclusive", "source"}
_REMEDIATION_KEYS = {"below_percent", "components", "grades", "source"}
_NODE_KEYS = {
    "code",
    "title",
    "max",
    "graded",
    "children",
    "method",
    "metric",
    "thresholds",
    "full_at",
    "survey",
    "scale",
    "source",
    "note",
}
_METHOD_KEYS = {
    METHOD_EVIDENCE: set(),
    METHOD_METRIC: {"metric", "thresholds", "full_at"},
    METHOD_SURVEY: {"survey", "thresholds", "full_at", "scale"},
}
_HUNDRED = Decimal(100)


def load_framework(
    source: str | Path | Mapping[str, Any], *, metrics: MetricCheck = None
) -> Framework:
    """Read a framework from YAML text, a path to a YAML file, or an already parsed mapping.

    ``metrics``: the metric names the caller can measure (a collection or a predicate);
    None accepts any well-formed identifier.
    """
    if isinstance(source, Mapping):
        data: Any = source
    else:
        text = _read_text(source)
        if len(text) > MAX_YAML_CHARS:
            raise FrameworkError(None, None, ERR_YAML_SIZE)
        try:
            data = yaml.load(text, Loader=_SafeNoAliases)  # noqa: S506 (a SafeLoader)
        except yaml.YAMLError as exc:
            raise FrameworkError(None, None, ERR_YAML.format(detail=exc)) from exc
    return _Loader(metrics).framework(data)


# A framework file is a few tens of KB. Anchors and aliases are refused: a framework never
# needs them, and nested aliases (the "billion laughs") make a tiny file walk forever.
MAX_YAML_CHARS = 5 << 20
ERR_YAML_SIZE = "Tệp YAML lớn hơn 5 MB; một bộ chỉ số chỉ vài chục KB."
ERR_YAML_ALIAS = "Tệp YAML dùng tham chiếu (&/*); bộ chỉ số phải viết đầy đủ từng mục."
ERR_YAML_ENCODING = "Tệp YAML không phải văn bản UTF-8."


class _SafeNoAliases(yaml.SafeLoader):
    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, ERR_YAML_ALIAS, event.start_mark)
        return super().compose_node(parent, index)


def _read_text(source: str | Path) -> str:
    path = None
    if isinstance(source, Path):
        path = source
    elif "\n" not in source and source.endswith((".yaml", ".yml")) and Path(source).is_file():
        path = Path(source)
    if path is None:
        return source
    if path.stat().st_size > MAX_YAML_CHARS:
        raise FrameworkError(None, None, ERR_YAML_SIZE)
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise FrameworkError(None, None, ERR_YAML_ENCODING) from None


class _Loader:
    def __init__(self, metrics: MetricCheck) -> None:
        self.metrics = metrics
        self.seen: set[str] = set()

    # small typed readers ---------------------------------------------------------
    @staticmethod
    def mapping(value: Any, code: str | None, field: str | None) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise FrameworkError(code, field, ERR_NOT_MAPPING)
        return value

    @staticmethod
    def keys(data: Mapping[str, Any], allowed: set[str], code: str | None) -> None:
        for key in data:
            if key not in allowed:
                raise FrameworkError(code, str(key), ERR_UNKNOWN_KEY.format(key=key))

    @staticmethod
    def text(data: Mapping[str, Any], key: str, code: str | None, *, required: bool) -> str | None:
        if key not in data or data[key] is None:
            if required:
                raise FrameworkError(code, key, ERR_REQUIRED)
            return None
        value = data[key]
        if not isinstance(value, str):
            raise FrameworkError(code, key, ERR_TEXT)
        value = value.strip()
        if required and not value:
            raise FrameworkError(code, key, ERR_EMPTY)
        return value or None

    @staticmethod
    def number(
        data: Mapping[str, Any], key: str, code: str | None, *, required: bool
    ) -> Decimal | None:
        if key not in data or data[key] is None:
            if required:
                raise FrameworkError(code, key, ERR_REQUIRED)
            return None
        return _to_number(data[key], code, key)

    @staticmethod
    def boolean(data: Mapping[str, Any], key: str, code: str | None, default: bool) -> bool:
        if key not in data:
            return default
        if not isinstance(data[key], bool):
            raise FrameworkError(code, key, ERR_BOOL)
        return data[key]

    @staticmethod
    def code_of(data: Mapping[str, Any], where: str | None, field: str = "code") -> str:
        if field not in data or data[field] is None:
            raise FrameworkError(where, field, ERR_REQUIRED)
        value = data[field]
        # An unquoted 1.10 reads as the float 1.1: refuse floats rather than guess.
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise FrameworkError(where, field, ERR_CODE)
        text = str(value).strip()
        if not CODE_RE.match(text):
            raise FrameworkError(where or text or None, field, ERR_CODE)
        return text

    # the tree ------------------------------------------------------------------------
    def framework(self, data: Any) -> Framework:
        data = self.mapping(data, None, None)
        self.keys(data, _TOP_KEYS, None)
        code = self.code_of(data, None)
        name = self.text(data, "name", None, required=True)
        raw_criteria = data.get("criteria")
        if raw_criteria is None:
            raise FrameworkError(None, "criteria", ERR_REQUIRED)
        if not isinstance(raw_criteria, list):
            raise FrameworkError(None, "criteria", ERR_NOT_LIST)
        if not raw_criteria:
            raise FrameworkError(None, "criteria", ERR_EMPTY)
        criteria = tuple(self.node(raw, top=True, parent=None) for raw in raw_criteria)
        grades = self.grades(data.get("grades"))
        remediation = self.remediation(data.get("remediation"), criteria, grades)
        assert name is not None
        return Framework(
            code=code,
            name=name,
            criteria=criteria,
            grades=grades,
            remediation=remediation,
            description=self.text(data, "description", None, required=False),
            source=self.text(data, "source", None, required=False),
            note=self.text(data, "note", None, required=False),
        )

    def node(self, raw: Any, *, top: bool, parent: str | None) -> Criterion:
        data = self.mapping(raw, parent, "children" if parent else "criteria")
        code = self.code_of(data, parent, "code")
        if code in self.seen:
            raise FrameworkError(code, "code", ERR_DUPLICATE_CODE)
        self.seen.add(code)
        self.keys(data, _NODE_KEYS, code)
        title = self.text(data, "title", code, required=True)
        max_points = self.number(data, "max", code, required=True)
        assert title is not None and max_points is not None
        if max_points <= 0:
            raise FrameworkError(code, "max", ERR_MAX_POSITIVE)
        if "graded" in data and not top:
            raise FrameworkError(code, "graded", ERR_GRADED_ONLY_TOP)
        graded = self.boolean(data, "graded", code, default=True) if top else False
        common = {
            "code": code,
            "title": title,
            "max": max_points,
            "graded": graded,
            "source": self.text(data, "source", code, required=False),
            "note": self.text(data, "note", code, required=False),
        }
        raw_children = data.get("children")
        if raw_children is not None:
            if not isinstance(raw_children, list):
                raise FrameworkError(code, "children", ERR_NOT_LIST)
            if not raw_children:
                raise FrameworkError(code, "children", ERR_CHILDREN_EMPTY)
            for key in ("method", *sorted(_METHOD_KEYS[METHOD_SURVEY] | {"metric"})):
                if key in data:
                    raise FrameworkError(code, key, ERR_PARENT_METHOD)
            children = tuple(self.node(child, top=False, parent=code) for child in raw_children)
            total = sum((c.max for c in children), Decimal(0))
            if total != max_points:
                raise FrameworkError(
                    code,
                    "max",
                    ERR_MAX_SUM.format(max=plain_number(max_points), total=plain_number(total)),
                )
            return Criterion(**common, children=children)
        return Criterion(**common, **self.leaf(data, code, max_points))

    def leaf(self, data: Mapping[str, Any], code: str, max_points: Decimal) -> dict[str, Any]:
        method = data.get("method")
        if method is None:
            raise FrameworkError(code, "method", ERR_LEAF_METHOD)
        if method not in METHODS:
            raise FrameworkError(code, "method", ERR_UNKNOWN_METHOD.format(value=method))
        for key in _METHOD_KEYS[METHOD_METRIC] | _METHOD_KEYS[METHOD_SURVEY]:
            if key in data and key not in _METHOD_KEYS[method]:
                raise FrameworkError(
                    code, key, ERR_KEY_NOT_FOR_METHOD.format(key=key, method=method)
                )
        out: dict[str, Any] = {"method": method}
        if method == METHOD_METRIC:
            metric = self.text(data, "metric", code, required=False)
            if metric is None:
                raise FrameworkError(code, "metric", ERR_METRIC_REQUIRED)
            if not METRIC_NAME_RE.match(metric):
                raise FrameworkError(code, "metric", ERR_METRIC_NAME.format(value=metric))
            if not self.metric_known(metric):
                raise FrameworkError(code, "metric", ERR_METRIC_UNKNOWN.format(value=metric))
            out["metric"] = metric
        if method == METHOD_SURVEY:
            survey = self.text(data, "survey", code, required=False)
            if survey is None:
                raise FrameworkError(code, "survey", ERR_SURVEY_REQUIRED)
            out["survey"] = survey
            scale = self.number(data, "scale", code, required=False)
            if scale is not None and scale <= 0:
                raise FrameworkError(code, "scale", ERR_SCALE)
            out["scale"] = scale
        if method in (METHOD_METRIC, METHOD_SURVEY):
            if "thresholds" in data and "full_at" in data:
                raise FrameworkError(code, "full_at", ERR_THRESHOLDS_AND_FULL_AT)
            if "thresholds" in data:
                out["thresholds"] = self.thresholds(data["thresholds"], code, max_points)
            full_at = self.number(data, "full_at", code, required=False)
            if full_at is not None and not (0 < full_at <= _HUNDRED):
                raise FrameworkError(code, "full_at", ERR_FULL_AT_RANGE)
            out["full_at"] = full_at
        return out

    def metric_known(self, metric: str) -> bool:
        if self.metrics is None:
            return True
        if callable(self.metrics):
            return bool(self.metrics(metric))
        return metric in self.metrics

    @staticmethod
    def thresholds(raw: Any, code: str, max_points: Decimal) -> tuple[Threshold, ...]:
        if not isinstance(raw, list):
            raise FrameworkError(code, "thresholds", ERR_NOT_LIST)
        if not raw:
            raise FrameworkError(code, "thresholds", ERR_THRESHOLD_EMPTY)
        rows: list[Threshold] = []
        for number, item in enumerate(raw, start=1):
            item = _Loader.mapping(item, code, "thresholds")
            _Loader.keys(item, {"min", "points"}, code)
            low = _Loader.number(item, "min", code, required=True)
            points = _Loader.number(item, "points", code, required=True)
            assert low is not None and points is not None
            if not (0 <= low <= _HUNDRED):
                raise FrameworkError(code, "thresholds", ERR_THRESHOLD_MIN_RANGE.format(row=number))
            if not (0 <= points <= max_points):
                raise FrameworkError(
                    code,
                    "thresholds",
                    ERR_THRESHOLD_POINTS.format(
                        row=number, points=plain_number(points), max=plain_number(max_points)
                    ),
                )
            if rows and low >= rows[-1].min:
                raise FrameworkError(
                    code,
                    "thresholds",
                    ERR_THRESHOLD_ORDER.format(
                        row=number, prev=plain_number(rows[-1].min), value=plain_number(low)
                    ),
                )
            if rows and points > rows[-1].points:
                raise FrameworkError(
                    code, "thresholds", ERR_THRESHOLD_POINTS_ORDER.format(row=number)
                )
            rows.append(Threshold(min=low, points=points))
        if rows[-1].min != 0:
            raise FrameworkError(code, "thresholds", ERR_THRESHOLD_FLOOR)
        return tuple(rows)

    def grades(self, raw: Any) -> tuple[Grade, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, list):
            raise FrameworkError(None, "grades", ERR_NOT_LIST)
        grades: list[Grade] = []
        for position, item in enumerate(raw):
            data = self.mapping(item, None, "grades")
            gcode = self.code_of(data, None)
            where = f"grades[{gcode}]"
            self.keys(data, _GRADE_KEYS, where)
            if any(g.code == gcode for g in grades):
                raise FrameworkError(where, "code", ERR_GRADE_DUPLICATE)
            label = self.text(data, "label", where, required=True)
            assert label is not None
            min_index = self.number(data, "min_index", where, required=False)
            min_component = self.number(data, "min_component", where, required=False)
            for key, value in (("min_index", min_index), ("min_component", min_component)):
                if value is not None and not (0 <= value <= _HUNDRED):
                    raise FrameworkError(where, key, ERR_PERCENT_RANGE)
            last = position == len(raw) - 1
            if last and (min_index is not None or min_component is not None):
                field_name = "min_index" if min_index is not None else "min_component"
                raise FrameworkError(where, field_name, ERR_GRADE_FLOOR_CONDITION)
            if not last and min_index is None:
                raise FrameworkError(where, "min_index", ERR_GRADE_NO_CONDITION)
            previous = grades[-1] if grades else None
            if previous is not None and min_index is not None:
                assert previous.min_index is not None
                if min_index >= previous.min_index:
                    raise FrameworkError(
                        where,
                        "min_index",
                        ERR_GRADE_ORDER.format(
                            prev=plain_number(previous.min_index), value=plain_number(min_index)
                        ),
                    )
                if (
                    previous.min_component is not None
                    and min_component is not None
                    and min_component > previous.min_component
                ):
                    raise FrameworkError(
                        where,
                        "min_component",
                        ERR_GRADE_COMPONENT_ORDER.format(
                            prev=plain_number(previous.min_component),
                            value=plain_number(min_component),
                        ),
                    )
            grades.append(
                Grade(
                    code=gcode,
                    label=label,
                    min_index=min_index,
                    min_component=min_component,
                    inclusive=self.boolean(data, "inclusive", where, default=True),
                    source=self.text(data, "source", where, required=False),
                )
            )
        return tuple(grades)

    def remediation(
        self, raw: Any, criteria: tuple[Criterion, ...], grades: tuple[Grade, ...]
    ) -> Remediation | None:
        if raw is None:
            return None
        where = "remediation"
        data = self.mapping(raw, None, where)
        self.keys(data, _REMEDIATION_KEYS, where)
        below = self.number(data, "below_percent", where, required=True)
        assert below is not None
        if not (0 < below <= _HUNDRED):
            raise FrameworkError(where, "below_percent", ERR_BELOW_PERCENT)
        top_codes = {c.code for c in criteria}
        components = self.code_list(data, "components", where, required=True)
        for comp in components:
            if comp not in top_codes:
                raise FrameworkError(
                    where, "components", ERR_REMEDIATION_UNKNOWN.format(value=comp)
                )
        grade_codes = {g.code for g in grades}
        by_grade = self.code_list(data, "grades", where, required=False)
        for gcode in by_grade:
            if gcode not in grade_codes:
                raise FrameworkError(where, "grades", ERR_REMEDIATION_GRADE.format(value=gcode))
        return Remediation(
            below_percent=below,
            components=components,
            grades=by_grade,
            source=self.text(data, "source", where, required=False),
        )

    def code_list(
        self, data: Mapping[str, Any], key: str, where: str, *, required: bool
    ) -> tuple[str, ...]:
        if key not in data or data[key] is None:
            if required:
                raise FrameworkError(where, key, ERR_REQUIRED)
            return ()
        raw = data[key]
        if not isinstance(raw, list):
            raise FrameworkError(where, key, ERR_NOT_LIST)
        return tuple(self.code_of({key: item}, where, key) for item in raw)


def _to_number(value: Any, code: str | None, key: str) -> Decimal:
    if isinstance(value, bool):
        raise FrameworkError(code, key, ERR_NUMBER)
    if isinstance(value, float):
        # repr() is the shortest exact round-trip: 18.5 stays 18.5, 1.577 stays 1.577
        value = repr(value)
    elif isinstance(value, str):
        value = value.strip().replace(",", ".")
    elif not isinstance(value, (int, Decimal)):
        raise FrameworkError(code, key, ERR_NUMBER)
    try:
        number = Decimal(value)
    except InvalidOperation as exc:
        raise FrameworkError(code, key, ERR_NUMBER) from exc
    if not number.is_finite():
        raise FrameworkError(code, key, ERR_NUMBER)
    return number


def plain_number(value: Decimal) -> str:
    """15 -> '15', 18.50 -> '18.5' (text for messages and YAML)."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


# --------------------------------------------------------------------------- dumping


class _Dumper(yaml.SafeDumper):
    pass


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    text = plain_number(value)
    tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
    return dumper.represent_scalar(tag, text)


class _FlowList(list):  # type: ignore[type-arg]
    """Short lists (threshold rows, component codes) written on one line, as people write them."""


def _represent_flow_list(dumper: yaml.SafeDumper, value: _FlowList) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)


_Dumper.add_representer(Decimal, _represent_decimal)
_Dumper.add_representer(_FlowList, _represent_flow_list)


def framework_to_dict(fw: Framework) -> dict[str, Any]:
    out: dict[str, Any] = {"code": fw.code, "name": fw.name}
    for key in ("description", "source", "note"):
        if getattr(fw, key):
            out[key] = getattr(fw, key)
    if fw.grades:
        out["grades"] = [_grade_to_dict(g) for g in fw.grades]
    if fw.remediation is not None:
        rem: dict[str, Any] = {
            "below_percent": fw.remediation.below_percent,
            "components": _FlowList(fw.remediation.components),
        }
        if fw.remediation.grades:
            rem["grades"] = _FlowList(fw.remediation.grades)
        if fw.remediation.source:
            rem["source"] = fw.remediation.source
        out["remediation"] = rem
    out["criteria"] = [_node_to_dict(c, top=True) for c in fw.criteria]
    return out


def _grade_to_dict(grade: Grade) -> dict[str, Any]:
    out: dict[str, Any] = {"code": grade.code, "label": grade.label}
    if grade.min_index is not None:
        out["min_index"] = grade.min_index
    if grade.min_component is not None:
        out["min_component"] = grade.min_component
    if not grade.inclusive:
        out["inclusive"] = False
    if grade.source:
        out["source"] = grade.source
    return out


def _node_to_dict(node: Criterion, *, top: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"code": node.code, "title": node.title, "max": node.max}
    if top:
        out["graded"] = node.graded
    if node.method:
        out["method"] = node.method
    if node.metric:
        out["metric"] = node.metric
    if node.survey:
        out["survey"] = node.survey
    if node.scale is not None:
        out["scale"] = node.scale
    if node.thresholds:
        out["thresholds"] = _FlowList({"min": t.min, "points": t.points} for t in node.thresholds)
    if node.full_at is not None:
        out["full_at"] = node.full_at
    if node.source:
        out["source"] = node.source
    if node.note:
        out["note"] = node.note
    if node.children:
        out["children"] = [_node_to_dict(c, top=False) for c in node.children]
    return out


def dump_framework(fw: Framework) -> str:
    """YAML text that loads back to an equal framework: load_framework(dump_framework(fw)) == fw."""
    return dump_yaml(framework_to_dict(fw), _Dumper)
