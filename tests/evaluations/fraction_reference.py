"""The results as computed before issue 18, kept as the reference the fast path must equal:
exact ``Fraction`` ratios (score / max) ranked by ``ranks_within_blocks`` (a dict and a hash
per value), classification, remediation and gap through the rule modules, and percentages
rounded half-up from the exact fraction. benchmarks/scoring.py times it beside the fast path
in the same process (the ratio holds on a shared machine)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from cchc.evaluations.ranking import ranks_within_blocks
from cchc.evaluations.results import ComponentResult, UnitInput, UnitResult
from cchc.evaluations.scoring import UnitScore, score_unit
from cchc.frameworks.spec import Framework, Grade

_100 = Fraction(100)


def reaches(score: Decimal, max_points: Decimal, percent: Decimal, inclusive: bool = True) -> bool:
    value = ratio(score, max_points) * _100
    return value >= Fraction(percent) if inclusive else value > Fraction(percent)


def classify(fw: Framework, unit: UnitScore) -> Grade | None:
    for grade in fw.grades:
        if grade.min_index is not None and not reaches(
            unit.total, unit.max, grade.min_index, grade.inclusive
        ):
            continue
        if grade.min_component is not None and not all(
            reaches(unit.nodes[c.code].score, c.max, grade.min_component, grade.inclusive)
            for c in fw.criteria
            if c.graded
        ):
            continue
        return grade
    return None


def remediation_components(fw: Framework, unit: UnitScore) -> tuple[str, ...]:
    rule = fw.remediation
    if rule is None:
        return ()
    return tuple(
        code
        for code in rule.components
        if not reaches(unit.nodes[code].score, fw.node(code).max, rule.below_percent)
    )


def owes_remediation(fw: Framework, unit: UnitScore, grade: Grade | None) -> bool:
    rule = fw.remediation
    if rule is None:
        return False
    if remediation_components(fw, unit):
        return True
    return grade is not None and grade.code in rule.grades


def ratio(score: Decimal, max_points: Decimal) -> Fraction:
    return Fraction(score) / Fraction(max_points)


def half_up(value: Fraction, places: int = 2) -> Decimal:
    """An exact fraction rounded half-up (away from zero for a positive value) to places."""
    scaled = value * 10**places
    whole = scaled.numerator // scaled.denominator
    if scaled - whole >= Fraction(1, 2):
        whole += 1
    return (Decimal(whole) / Decimal(10) ** places).quantize(
        Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP
    )


def reference_results(fw: Framework, inputs: Sequence[UnitInput]) -> list[UnitResult]:
    scored = [
        (
            item.unit,
            item.block,
            score_unit(
                fw,
                item.scores,
                metric_values=item.metric_values,
                survey_values=item.survey_values,
            ),
        )
        for item in inputs
    ]
    return reference_from_scores(fw, scored)


def reference_from_scores(
    fw: Framework, scored: Sequence[tuple[str, str | None, UnitScore]]
) -> list[UnitResult]:
    keys = list(range(len(scored)))
    blocks = {i: scored[i][1] for i in keys}
    overall = ranks_within_blocks(
        {i: ratio(scored[i][2].total, scored[i][2].max) for i in keys}, blocks
    )
    per_component = {
        c.code: ranks_within_blocks(
            {
                i: ratio(scored[i][2].nodes[c.code].score, scored[i][2].nodes[c.code].max)
                for i in keys
            },
            blocks,
            dense=True,
        )
        for c in fw.criteria
    }
    out: list[UnitResult] = []
    for i in keys:
        unit, block, score = scored[i]
        grade = classify(fw, score)
        components = {
            c.code: ComponentResult(
                code=c.code,
                title=c.title,
                score=score.nodes[c.code].score,
                max=c.max,
                percent=score.nodes[c.code].score * 100 / c.max,
                rank=per_component[c.code][i],
                graded=c.graded,
            )
            for c in fw.criteria
        }
        out.append(
            UnitResult(
                unit=unit,
                block=block,
                total=score.total,
                max=score.max,
                index=score.total * 100 / score.max,
                rank=overall[i],
                grade=grade,
                components=components,
                remediation=remediation_components(fw, score),
                owes_remediation=owes_remediation(fw, score, grade),
                score=score,
                framework=fw,
            )
        )
    block_order: dict[str | None, int] = {}
    for _, block, _ in scored:
        block_order.setdefault(block, len(block_order))
    order = sorted(keys, key=lambda i: (block_order[out[i].block], out[i].rank.rank, i))
    return [out[i] for i in order]
