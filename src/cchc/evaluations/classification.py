"""Grade (xếp loại), remediation duty (khắc phục) and the gap to the next grade.

Seed 004 (Tứ Kỳ, 2021): a unit gets the best grade whose conditions ALL hold: the index
reaches the grade's min_index and every CCHC component (``graded: true``) reaches its
min_component; 9 communes in the 80–90% band were only "Hoàn thành nhiệm vụ" because a
component was under 70%. The bounds are data in the framework (``inclusive``).

Seed 001 (Cẩm Giàng, 2023): a commune graded "Hoàn thành nhiệm vụ" or whose TTHC or
chính quyền số component is under 75% of its max sends a remediation plan.

Comparisons are exact: ``score × 100 >= pct × max`` (no division, no rounding).
Plain module: no Django import.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from cchc.evaluations.scoring import UnitScore
from cchc.frameworks.spec import Framework, Grade

_HUNDRED = Decimal(100)

GAP_INDEX = "index"
GAP_COMPONENT = "component"


def reaches(
    score: Decimal, max_points: Decimal, percent: Decimal, *, inclusive: bool = True
) -> bool:
    """score / max × 100 >= percent (or > when not inclusive), computed without division."""
    left = score * _HUNDRED
    right = percent * max_points
    return left >= right if inclusive else left > right


def meets(fw: Framework, grade: Grade, unit: UnitScore) -> bool:
    if grade.min_index is not None and not reaches(
        unit.total, unit.max, grade.min_index, inclusive=grade.inclusive
    ):
        return False
    if grade.min_component is not None:
        for component in fw.criteria:
            if not component.graded:
                continue
            node = unit.nodes[component.code]
            if not reaches(node.score, node.max, grade.min_component, inclusive=grade.inclusive):
                return False
    return True


def classify(fw: Framework, unit: UnitScore) -> Grade | None:
    """The first grade (best first) whose conditions all hold; None if the framework has none."""
    for grade in fw.grades:
        if meets(fw, grade, unit):
            return grade
    return None


def classify_percents(
    fw: Framework, index: Decimal, component_percents: Mapping[str, Decimal]
) -> Grade | None:
    """The same rule from percentages alone (e.g. results of a past cycle kept as %)."""
    for grade in fw.grades:
        ok = True
        if grade.min_index is not None:
            ok = reaches(index, _HUNDRED, grade.min_index, inclusive=grade.inclusive)
        if ok and grade.min_component is not None:
            ok = all(
                reaches(
                    component_percents[c.code],
                    _HUNDRED,
                    grade.min_component,
                    inclusive=grade.inclusive,
                )
                for c in fw.criteria
                if c.graded
            )
        if ok:
            return grade
    return None


def remediation_components(fw: Framework, unit: UnitScore) -> tuple[str, ...]:
    """The named components strictly under below_percent of their max (75% itself is fine)."""
    rule = fw.remediation
    if rule is None:
        return ()
    out = []
    for code in rule.components:
        node = unit.nodes[code]
        if not reaches(node.score, node.max, rule.below_percent):
            out.append(code)
    return tuple(out)


def owes_remediation(
    fw: Framework,
    unit: UnitScore,
    grade: Grade | None = None,
    components: tuple[str, ...] | None = None,
) -> bool:
    """Seed 001: a named component under the threshold, or a grade the rule lists.
    ``components``: remediation_components(fw, unit) when the caller has it already."""
    rule = fw.remediation
    if rule is None:
        return False
    if components is None:
        components = remediation_components(fw, unit)
    if components:
        return True
    grade = grade if grade is not None else classify(fw, unit)
    return grade is not None and grade.code in rule.grades


@dataclass(frozen=True)
class GapItem:
    """Points to recover for one condition of the next grade."""

    kind: str  # "component" or "index"
    code: str | None  # the component code; None for the index
    score: Decimal
    max: Decimal
    target_percent: Decimal
    target_score: Decimal  # the score that meets the condition (exclusive bounds: must exceed)
    points_needed: Decimal
    strict: bool  # True when the bound is exclusive: strictly more than points_needed


@dataclass(frozen=True)
class GradeGap:
    """What lifts a unit to the next better grade, smallest first.

    ``extra_index_points``: points still needed for the index after the component
    shortfalls are recovered (they count towards the index too), taken from any deducted
    points. ``total_points``: the least total recovery that reaches the grade.
    """

    current: str | None
    target: str
    items: tuple[GapItem, ...]
    extra_index_points: Decimal
    total_points: Decimal


def grade_gap(fw: Framework, unit: UnitScore, grade: Grade | None = None) -> GradeGap | None:
    """The gap to the next better grade, or None when the unit already has the best grade."""
    grade = grade if grade is not None else classify(fw, unit)
    if not fw.grades:
        return None
    position = fw.grades.index(grade) if grade is not None else len(fw.grades)
    if position == 0:
        return None
    target = fw.grades[position - 1]
    items: list[GapItem] = []
    component_total = Decimal(0)
    if target.min_component is not None:
        for component in fw.criteria:
            if not component.graded:
                continue
            node = unit.nodes[component.code]
            if reaches(node.score, node.max, target.min_component, inclusive=target.inclusive):
                continue
            needed_score = target.min_component * node.max / _HUNDRED
            item = GapItem(
                kind=GAP_COMPONENT,
                code=component.code,
                score=node.score,
                max=node.max,
                target_percent=target.min_component,
                target_score=needed_score,
                points_needed=needed_score - node.score,
                strict=not target.inclusive,
            )
            items.append(item)
            component_total += item.points_needed
    extra = Decimal(0)
    if target.min_index is not None and not reaches(
        unit.total, unit.max, target.min_index, inclusive=target.inclusive
    ):
        needed_total = target.min_index * unit.max / _HUNDRED
        needed = needed_total - unit.total
        items.append(
            GapItem(
                kind=GAP_INDEX,
                code=None,
                score=unit.total,
                max=unit.max,
                target_percent=target.min_index,
                target_score=needed_total,
                points_needed=needed,
                strict=not target.inclusive,
            )
        )
        extra = max(needed - component_total, Decimal(0))
    items.sort(key=lambda i: (i.points_needed, i.kind != GAP_COMPONENT, i.code or ""))
    return GradeGap(
        current=grade.code if grade is not None else None,
        target=target.code,
        items=tuple(items),
        extra_index_points=extra,
        total_points=component_total + extra,
    )
