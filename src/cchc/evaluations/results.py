"""Full results of a set of units under one framework: the one computation behind pages, API,
exports and the ``cchc score`` command.

Per unit: total, index, per component score / percent / dense rank r/k, overall competition
rank r/n (within the unit's block), grade, remediation components, the gap to the next
grade; and the comparison with the unit's previous cycle. Plain module: no Django import.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import cached_property

from cchc.core.formatting import round_half_up
from cchc.evaluations.classification import (
    GradeGap,
    classify,
    grade_gap,
    owes_remediation,
    remediation_components,
)
from cchc.evaluations.ranking import Rank, block_ranks
from cchc.evaluations.scoring import NodeScore, Number, UnitScore, frozen, score_unit
from cchc.frameworks.spec import Framework, Grade

ERR_DUPLICATE_UNIT = "đơn vị {unit} có hai dòng điểm"
_HUNDRED = Decimal(100)


class ResultsError(ValueError):
    def __init__(self, unit: str, message: str) -> None:
        self.unit = unit
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class UnitInput:
    """What is known of one unit: its points per criterion code and measured figures."""

    unit: str
    scores: Mapping[str, Number]
    block: str | None = None
    metric_values: Mapping[str, Number] | None = None
    survey_values: Mapping[str, Number] | None = None


@dataclass(frozen=True)
class ComponentResult:
    code: str
    title: str
    score: Decimal
    max: Decimal
    percent: Decimal  # exact; display with round_half_up
    rank: Rank  # dense rank within the block, of k distinct scores
    graded: bool

    @property
    def percent_display(self) -> Decimal:
        return round_half_up(self.percent, 2)


@dataclass(frozen=True)
class UnitResult:
    unit: str
    block: str | None
    total: Decimal
    max: Decimal
    index: Decimal  # exact
    rank: Rank  # competition rank within the block, of n units
    grade: Grade | None
    components: dict[str, ComponentResult]
    remediation: tuple[str, ...]
    owes_remediation: bool
    score: UnitScore = field(repr=False)
    framework: Framework = field(repr=False, compare=False)

    @property
    def index_display(self) -> Decimal:
        return round_half_up(self.index, 2)

    @cached_property
    def gap(self) -> GradeGap | None:
        """The gap to the next grade, worked out when a page asks for it (the ranking of
        3,321 communes does not)."""
        return grade_gap(self.framework, self.score, self.grade)

    @property
    def nodes(self) -> dict[str, NodeScore]:
        return self.score.nodes


def compute_results(
    fw: Framework, units: Iterable[UnitInput], *, allow_missing: bool = False
) -> list[UnitResult]:
    """Results of every unit, in block order (first appearance), then rank, then input order."""
    inputs = list(units)
    seen: set[tuple[str | None, str]] = set()
    for item in inputs:
        key = (item.block, item.unit)
        if key in seen:
            raise ResultsError(item.unit, ERR_DUPLICATE_UNIT.format(unit=item.unit))
        seen.add(key)
    memo: dict = {}  # equal node scores shared across the units (scoring._shared_node)
    scored = [
        (
            item,
            score_unit(
                fw,
                item.scores,
                metric_values=item.metric_values,
                survey_values=item.survey_values,
                allow_missing=allow_missing,
                memo=memo,
            ),
        )
        for item in inputs
    ]
    return results_from_scores(fw, [(item.unit, item.block, s) for item, s in scored])


def results_from_scores(
    fw: Framework, scored: Sequence[tuple[str, str | None, UnitScore]]
) -> list[UnitResult]:
    """The same, from units already scored (e.g. final scores kept in the database)."""
    blocks = [block for _, block, _ in scored]
    scores = [score for _, _, score in scored]
    # Exact values: never a rounded figure before ranking (DESIGN: ranking).
    overall = block_ranks(rank_keys([(s.total, s.max) for s in scores]), blocks)
    per_component = {}
    for c in fw.criteria:
        nodes = [s.nodes[c.code] for s in scores]
        per_component[c.code] = block_ranks(
            rank_keys([(n.score, n.max) for n in nodes]), blocks, dense=True
        )
    out: list[UnitResult] = []
    # One ComponentResult per distinct (component, node score, rank): they are frozen, and
    # 3,321 communes share most of them (issue 18). Keyed by the ids of the NodeScore and
    # the Rank (both shared and alive through the loop, and checked below), so
    # points written differently (6 and 6.00) stay apart.
    shared: dict[tuple[str, int, int], ComponentResult] = {}
    for i, (unit, block, score) in enumerate(scored):
        grade = classify(fw, score)
        remediation = remediation_components(fw, score)
        components = {}
        for c in fw.criteria:
            node = score.nodes[c.code]
            rank = per_component[c.code][i]
            key = (c.code, id(node), id(rank))
            found = shared.get(key)
            if found is None or found.score is not node.score:
                points = node.score
                found = shared[key] = frozen(
                    ComponentResult,
                    {
                        "code": c.code,
                        "title": c.title,
                        "score": points,
                        "max": c.max,
                        "percent": points * _HUNDRED / c.max,
                        "rank": rank,
                        "graded": c.graded,
                    },
                )
            components[c.code] = found
        out.append(
            UnitResult(
                unit=unit,
                block=block,
                total=score.total,
                max=score.max,
                index=score.index,
                rank=overall[i],
                grade=grade,
                components=components,
                remediation=remediation,
                owes_remediation=owes_remediation(fw, score, grade, remediation),
                score=score,
                framework=fw,
            )
        )
    block_order: dict[str | None, int] = {}
    for block in blocks:
        block_order.setdefault(block, len(block_order))
    order = sorted(range(len(out)), key=lambda i: (block_order[blocks[i]], overall[i].rank, i))
    return [out[i] for i in order]


def rank_keys(pairs: Sequence[tuple[Decimal, Decimal]]) -> list[Decimal] | list[Fraction]:
    """What units are ranked on: score / max, exactly. Units scored under one framework share
    the max (a component's, or the framework's), so the score itself orders and ties them as
    the exact ratio does, as a Decimal compared exactly (issue 18: no Fraction per unit);
    maxima that differ fall back to exact fractions."""
    if pairs:
        first = pairs[0][1]
        if first > 0 and all(m == first for _, m in pairs):
            return [score for score, _ in pairs]
    return [Fraction(score) / Fraction(max_) for score, max_ in pairs]


# --------------------------------------------------------------------------- comparison

CHANGE_SAME = "same"
CHANGE_MAX = "max_changed"  # the component's max differs: compare percentages only
CHANGE_CRITERIA = "criteria_changed"  # same max, different criteria below it
CHANGE_NEW = "new"  # not in the previous framework
CHANGE_REMOVED = "removed"  # in the previous framework only


@dataclass(frozen=True)
class ComponentComparison:
    code: str
    title: str
    status: str
    score: Decimal | None
    previous_score: Decimal | None
    percent: Decimal | None
    previous_percent: Decimal | None
    delta_score: Decimal | None  # only when the maxima are equal
    delta_percent: Decimal | None
    rank: Rank | None
    previous_rank: Rank | None


@dataclass(frozen=True)
class Comparison:
    unit: str
    same_framework: bool
    delta_total: Decimal | None  # only when both frameworks have the same max
    delta_index: Decimal | None
    rank: Rank
    previous_rank: Rank | None
    grade: str | None
    previous_grade: str | None
    components: tuple[ComponentComparison, ...]


def _structure(fw: Framework, code: str) -> tuple[tuple[str, Decimal], ...]:
    return tuple((n.code, n.max) for n in fw.node(code).walk())


def compare_with_previous(
    fw: Framework,
    current: UnitResult,
    previous_fw: Framework | None,
    previous: UnitResult | None,
) -> Comparison:
    """Per component delta against the previous cycle, flagging where the framework changed."""
    if previous is None or previous_fw is None:
        return Comparison(
            unit=current.unit,
            same_framework=False,
            delta_total=None,
            delta_index=None,
            rank=current.rank,
            previous_rank=None,
            grade=current.grade.code if current.grade else None,
            previous_grade=None,
            components=tuple(
                ComponentComparison(
                    c.code,
                    c.title,
                    CHANGE_NEW,
                    c.score,
                    None,
                    c.percent,
                    None,
                    None,
                    None,
                    c.rank,
                    None,
                )
                for c in current.components.values()
            ),
        )
    items: list[ComponentComparison] = []
    for comp in current.components.values():
        old = previous.components.get(comp.code)
        if old is None:
            items.append(
                ComponentComparison(
                    comp.code,
                    comp.title,
                    CHANGE_NEW,
                    comp.score,
                    None,
                    comp.percent,
                    None,
                    None,
                    None,
                    comp.rank,
                    None,
                )
            )
            continue
        if old.max != comp.max:
            status = CHANGE_MAX
        elif _structure(fw, comp.code) != _structure(previous_fw, comp.code):
            status = CHANGE_CRITERIA
        else:
            status = CHANGE_SAME
        items.append(
            ComponentComparison(
                code=comp.code,
                title=comp.title,
                status=status,
                score=comp.score,
                previous_score=old.score,
                percent=comp.percent,
                previous_percent=old.percent,
                delta_score=comp.score - old.score if old.max == comp.max else None,
                delta_percent=comp.percent - old.percent,
                rank=comp.rank,
                previous_rank=old.rank,
            )
        )
    for code, old in previous.components.items():
        if code not in current.components:
            items.append(
                ComponentComparison(
                    code,
                    old.title,
                    CHANGE_REMOVED,
                    None,
                    old.score,
                    None,
                    old.percent,
                    None,
                    None,
                    None,
                    old.rank,
                )
            )
    same = fw == previous_fw
    return Comparison(
        unit=current.unit,
        same_framework=same,
        delta_total=current.total - previous.total if current.max == previous.max else None,
        delta_index=current.index - previous.index,
        rank=current.rank,
        previous_rank=previous.rank,
        grade=current.grade.code if current.grade else None,
        previous_grade=previous.grade.code if previous.grade else None,
        components=tuple(items),
    )


def compare_cycles(
    fw: Framework,
    current: Sequence[UnitResult],
    previous_fw: Framework | None,
    previous: Sequence[UnitResult],
    *,
    unit_map: Mapping[str, str] | None = None,
) -> dict[str, Comparison]:
    """Comparison for every current unit; ``unit_map`` maps a current unit to its previous
    identifier (units merged or renamed after the 2025 reorganisation)."""
    by_unit = {r.unit: r for r in previous}
    out = {}
    for result in current:
        old_key = unit_map.get(result.unit, result.unit) if unit_map else result.unit
        out[result.unit] = compare_with_previous(fw, result, previous_fw, by_unit.get(old_key))
    return out
