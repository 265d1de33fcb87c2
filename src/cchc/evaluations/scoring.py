"""Scores of one unit under a framework: every node, the total, the index.

DESIGN: score of a unit = sum of its leaves' final scores; index = score / max × 100. A
node given directly (a component's points from a published table, an appraised
criterion) replaces its subtree. Metric leaves get points from a measured percentage
through the framework's threshold table; survey leaves from a survey index.

Percentages are exact Decimals (division at 28 significant digits); round them only for
display, with ``cchc.core.formatting.round_half_up``. Plain module: no Django import.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, TypeVar

from cchc.core.formatting import parse_vn_number, to_decimal, vn_number
from cchc.core.rates import full_at_points
from cchc.frameworks.spec import (
    METHOD_METRIC,
    METHOD_SURVEY,
    Criterion,
    Framework,
    Threshold,
)

Number = int | float | Decimal | str
T = TypeVar("T")

ERR_UNKNOWN_CODE = "không có tiêu chí mã này trong bộ chỉ số"
ERR_NOT_NUMBER = "điểm phải là một số"
ERR_NEGATIVE = "điểm không được âm"
ERR_ABOVE_MAX = "điểm {score} vượt điểm tối đa {max}"
ERR_MISSING = "chưa có điểm"
ERR_GIVEN_TWICE = "đã có điểm ở tiêu chí cấp trên {ancestor}"
ERR_VALUE_NEGATIVE = "số liệu đo được không được âm"
ERR_SURVEY_RANGE = "kết quả điều tra phải từ 0 đến {scale}"
ERR_NOT_METRIC = "tiêu chí này không chấm theo số liệu (metric)"
ERR_NOT_SURVEY = "tiêu chí này không chấm theo điều tra (survey)"

_HUNDRED = Decimal(100)


class ScoreError(ValueError):
    """A score that cannot be used, naming the criterion code."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        self.message = message
        super().__init__(f"tiêu chí {code}: {message}")


@dataclass(frozen=True)
class NodeScore:
    code: str
    title: str
    max: Decimal
    score: Decimal
    # How the score came about: "given" (entered for this node), "metric", "survey",
    # "sum" (of children), "missing" (counted as 0 while allow_missing).
    origin: str
    measured: Decimal | None = None  # the metric value or survey index that gave the points

    @property
    def percent(self) -> Decimal:
        """score / max × 100, exact (not rounded)."""
        return self.score * _HUNDRED / self.max

    @property
    def ratio(self) -> Fraction:
        """score / max as an exact fraction, for comparisons and ranking."""
        return Fraction(self.score) / Fraction(self.max)

    @property
    def deducted(self) -> Decimal:
        return self.max - self.score


@dataclass(frozen=True)
class UnitScore:
    framework: str
    total: Decimal
    max: Decimal
    nodes: dict[str, NodeScore]
    components: tuple[str, ...]
    missing: tuple[str, ...] = field(default=())

    @property
    def index(self) -> Decimal:
        """total / max × 100, exact (not rounded)."""
        return self.total * _HUNDRED / self.max

    @property
    def ratio(self) -> Fraction:
        return Fraction(self.total) / Fraction(self.max)

    def component(self, code: str) -> NodeScore:
        return self.nodes[code]

    def component_scores(self) -> list[NodeScore]:
        return [self.nodes[c] for c in self.components]


def parse_points(value: Number, code: str) -> Decimal:
    """A score as Decimal; floats go through repr() so 11.84 stays 11.84."""
    if isinstance(value, bool):
        raise ScoreError(code, ERR_NOT_NUMBER)
    try:
        # Text from a form or a file: "6,5" or "6.5" (core.formatting.parse_vn_number).
        number = parse_vn_number(value) if isinstance(value, str) else to_decimal(value)
    except (InvalidOperation, ValueError, TypeError) as exc:
        raise ScoreError(code, ERR_NOT_NUMBER) from exc
    if not number.is_finite():
        raise ScoreError(code, ERR_NOT_NUMBER)
    return number


def check_points(node: Criterion, points: Decimal) -> Decimal:
    """A score is never negative nor above its max (DESIGN: self-assessment rules)."""
    if points < 0:
        raise ScoreError(node.code, ERR_NEGATIVE)
    if points > node.max:
        raise ScoreError(
            node.code, ERR_ABOVE_MAX.format(score=vn_number(points), max=vn_number(node.max))
        )
    return points


def threshold_points(thresholds: tuple[Threshold, ...], value: Decimal) -> Decimal:
    """Points of the first row whose min <= value (rows are descending, the last min is 0)."""
    for row in thresholds:
        if value >= row.min:
            return row.points
    return Decimal(0)


def _rate_points(node: Criterion, value: Decimal, scale: Decimal) -> Decimal:
    if node.thresholds:
        return threshold_points(node.thresholds, value * _HUNDRED / scale)
    # QĐ 766 style: full points at or above X%, else rate × max / X% (X defaults to 100).
    full_at = node.full_at if node.full_at is not None else _HUNDRED
    return full_at_points(value, scale, node.max, full_at)


def metric_points(node: Criterion, value: Number) -> Decimal:
    """Points of a metric leaf from its measured percentage (e.g. on_time_rate 97.3)."""
    if node.method != METHOD_METRIC:
        raise ScoreError(node.code, ERR_NOT_METRIC)
    measured = parse_points(value, node.code)
    if measured < 0:
        raise ScoreError(node.code, ERR_VALUE_NEGATIVE)
    return min(_rate_points(node, measured, _HUNDRED), node.max)


def survey_points(node: Criterion, value: Number) -> Decimal:
    """Points of a survey leaf: survey % × max / 100 unless a threshold table is given."""
    if node.method != METHOD_SURVEY:
        raise ScoreError(node.code, ERR_NOT_SURVEY)
    measured = parse_points(value, node.code)
    scale = node.scale if node.scale is not None else _HUNDRED
    if not (0 <= measured <= scale):
        raise ScoreError(node.code, ERR_SURVEY_RANGE.format(scale=vn_number(scale)))
    return min(_rate_points(node, measured, scale), node.max)


def score_unit(
    fw: Framework,
    scores: Mapping[str, Number],
    *,
    metric_values: Mapping[str, Number] | None = None,
    survey_values: Mapping[str, Number] | None = None,
    allow_missing: bool = False,
    memo: dict[tuple[str, Decimal, str, object], NodeScore] | None = None,
) -> UnitScore:
    """Every node's score for one unit.

    ``scores``: points per criterion code (a leaf, or any node, which then replaces its
    subtree). ``metric_values``: measured percentages by metric name (``on_time_rate``),
    used by metric leaves without a given score. ``survey_values``: survey indices by
    survey name (``sipas``). ``allow_missing``: count leaves without a score as 0 and list
    them in ``missing`` (a self-assessment in progress) instead of raising. ``memo``: a
    dict kept across the units of one computation, so that equal node scores (the same
    criterion, points and origin) are one shared, immutable NodeScore.
    """
    given: dict[str, Decimal] = {}
    for code, value in scores.items():
        code = str(code)
        if not fw.has(code):
            raise ScoreError(code, ERR_UNKNOWN_CODE)
        node = fw.node(code)
        # A Decimal read from a scores file is used as it is (issue 18: every one of
        # 33,210 cells went through the parser twice); the range is always checked here.
        if type(value) is Decimal and value.is_finite():
            number = value
        else:
            number = parse_points(value, code)
        if not (0 <= number <= node.max):
            check_points(node, number)  # raises, naming the rule broken
        given[code] = number
    for code in given:
        for ancestor in fw.ancestry(code):
            if ancestor in given:
                raise ScoreError(code, ERR_GIVEN_TWICE.format(ancestor=ancestor))

    nodes: dict[str, NodeScore] = {}
    missing: list[str] = []
    metrics = metric_values or {}
    surveys = survey_values or {}
    shared = memo if memo is not None else {}

    def visit(node: Criterion) -> Decimal:
        if node.code in given:
            points = given[node.code]
            nodes[node.code] = _shared_node(shared, node, points, "given")
            return points
        if node.children:
            total = Decimal(0)
            for child in node.children:
                total += visit(child)
            nodes[node.code] = _shared_node(shared, node, total, "sum")
            return total
        if node.method == METHOD_METRIC and node.metric is not None and node.metric in metrics:
            measured = parse_points(metrics[node.metric], node.code)
            points = metric_points(node, measured)
            nodes[node.code] = _node(node, points, "metric", measured)
            return points
        if node.method == METHOD_SURVEY and node.survey is not None and node.survey in surveys:
            measured = parse_points(surveys[node.survey], node.code)
            points = survey_points(node, measured)
            nodes[node.code] = _node(node, points, "survey", measured)
            return points
        if not allow_missing:
            raise ScoreError(node.code, ERR_MISSING)
        missing.append(node.code)
        nodes[node.code] = _node(node, Decimal(0), "missing")
        return Decimal(0)

    total = Decimal(0)
    for top in fw.criteria:
        total += visit(top)
    return UnitScore(
        framework=fw.code,
        total=total,
        max=fw.max,
        nodes=nodes,
        components=fw.component_codes,
        missing=tuple(missing),
    )


def _shared_node(
    memo: dict[tuple[str, Decimal, str, object], NodeScore],
    node: Criterion,
    score: Decimal,
    origin: str,
) -> NodeScore:
    """The NodeScore of a given or summed node, made once per (code, points, origin) across
    the units of a computation: scores are written to two decimals, so 3,321 communes share
    a few hundred distinct values per component (issue 18). NodeScore is frozen; sharing
    one is safe. Equal Decimals with different exponents (6 and 6.00) stay apart, as a
    printed score keeps the form it was given in."""
    key = (node.code, score, origin, score.as_tuple().exponent)
    found = memo.get(key)
    if found is None:
        found = memo[key] = _node(node, score, origin)
    return found


def _node(
    node: Criterion, score: Decimal, origin: str, measured: Decimal | None = None
) -> NodeScore:
    return frozen(
        NodeScore,
        {
            "code": node.code,
            "title": node.title,
            "max": node.max,
            "score": score,
            "origin": origin,
            "measured": measured,
        },
    )


def frozen(cls: type[T], fields: dict[str, Any]) -> T:
    """An instance of a frozen dataclass from every one of its fields, the same as
    ``cls(**fields)``, filled through its ``__dict__``: the generated ``__init__`` sets each
    field with ``object.__setattr__`` and costs three times as much (issue 18: 33,210 nodes
    and as many component results for 3,321 communes). Only for classes without
    ``__post_init__`` nor defaults to compute."""
    made = object.__new__(cls)
    made.__dict__.update(fields)
    return made
