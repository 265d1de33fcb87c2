"""Grades (seed 004), remediation duty (seed 001), gap to the next grade."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from cchc.evaluations.classification import (
    GAP_COMPONENT,
    GAP_INDEX,
    classify,
    classify_percents,
    grade_gap,
    owes_remediation,
    remediation_components,
)
from cchc.evaluations.scoring import score_unit
from cchc.frameworks.spec import dump_framework, load_framework

FRAMEWORKS = Path(__file__).resolve().parents[2] / "frameworks"
HD = load_framework(FRAMEWORKS / "hd-xa-2022.yaml")
CODES = [str(i) for i in range(1, 11)]
DONG_TAM = dict(
    zip(
        CODES,
        ["11.84", "4.75", "16.62", "6", "11", "5", "10.19", "1.577", "11.49", "9.28"],
        strict=True,
    )
)


def at_percent(pct: str, **overrides: str) -> dict[str, Decimal]:
    """Every component at pct% of its max, some components overridden (points)."""
    scores = {c.code: c.max * Decimal(pct) / 100 for c in HD.criteria}
    scores.update({k.removeprefix("c"): Decimal(v) for k, v in overrides.items()})
    return scores


def grade_of(scores) -> str:
    grade = classify(HD, score_unit(HD, scores))
    assert grade is not None
    return grade.code


def test_dong_tam_is_tot():
    assert grade_of(DONG_TAM) == "tot"


def test_seed_004_band_80_90_with_a_component_under_70_is_hoan_thanh():
    # others at 88%, tài chính công 4.8/7 = 68.57%: index 86.64 but only "Hoàn thành"
    scores = at_percent("88", c6="4.8")
    unit = score_unit(HD, scores)
    assert Decimal(80) < unit.index < Decimal(90)
    assert grade_of(scores) == "hoan_thanh"


@pytest.mark.parametrize(
    "pct, grade",
    [
        ("90", "xuat_sac"),
        ("89.999", "tot"),
        ("80", "tot"),
        ("79.999", "hoan_thanh"),
        ("65", "hoan_thanh"),
        ("64.999", "khong_hoan_thanh"),
        ("0", "khong_hoan_thanh"),
    ],
)
def test_index_boundaries_are_inclusive(pct, grade):
    assert grade_of(at_percent(pct)) == grade


def test_component_boundary_exactly_70_is_tot():
    scores = at_percent("90", c6="4.9")  # 4.9 / 7 = 70% exactly
    assert grade_of(scores) == "tot"
    assert grade_of(at_percent("90", c6="4.899")) == "hoan_thanh"


def test_survey_and_impact_components_do_not_grade():
    scores = at_percent("100", c8="0", c9="0")  # index 84, graded components 100%
    assert grade_of(scores) == "tot"


def test_inclusive_false_is_data():
    text = dump_framework(HD).replace(
        "min_component: 70\n", "min_component: 70\n  inclusive: false\n"
    )
    strict = load_framework(text)
    assert strict.grade("tot").inclusive is False
    unit = score_unit(strict, at_percent("80"))
    assert classify(strict, unit).code == "hoan_thanh"
    assert classify(strict, score_unit(strict, at_percent("80.01"))).code == "tot"


def test_classify_from_percents():
    percents = {c: Decimal(90) for c in CODES}
    assert classify_percents(HD, Decimal(90), percents).code == "xuat_sac"
    percents["6"] = Decimal("69.99")
    assert classify_percents(HD, Decimal(85), percents).code == "hoan_thanh"


def test_remediation_exactly_75_percent_is_not_owed():
    # TTHC 13.875/18.5 = 75% exactly; chính quyền số 8.624/11.5 = 74.99%
    unit = score_unit(HD, at_percent("90", c3="13.875", c7="8.624"))
    assert remediation_components(HD, unit) == ("7",)
    assert owes_remediation(HD, unit)
    unit = score_unit(HD, at_percent("90", c3="13.875", c7="8.625"))
    assert remediation_components(HD, unit) == ()
    assert not owes_remediation(HD, unit)


def test_remediation_of_other_components_is_not_listed():
    unit = score_unit(HD, at_percent("90", c1="5"))
    assert remediation_components(HD, unit) == ()


def test_hoan_thanh_grade_owes_remediation_seed_001():
    unit = score_unit(HD, at_percent("70"))
    assert classify(HD, unit).code == "hoan_thanh"
    assert remediation_components(HD, unit) == ("3", "7")
    unit = score_unit(HD, at_percent("88", c6="4.8"))
    assert remediation_components(HD, unit) == ()
    assert owes_remediation(HD, unit)  # graded hoan_thanh


def test_gap_dong_tam_to_xuat_sac():
    gap = grade_gap(HD, score_unit(HD, DONG_TAM))
    assert gap is not None
    assert (gap.current, gap.target) == ("tot", "xuat_sac")
    assert [(i.kind, i.code, i.points_needed) for i in gap.items] == [
        (GAP_COMPONENT, "1", Decimal("0.16")),
        (GAP_COMPONENT, "6", Decimal("0.6")),
        (GAP_INDEX, None, Decimal("2.253")),
    ]
    # components recovered give 0.76; the index still needs 1.493 from other deductions
    assert gap.extra_index_points == Decimal("1.493")
    assert gap.total_points == Decimal("2.253")


def test_gap_component_only():
    gap = grade_gap(HD, score_unit(HD, at_percent("88", c6="4.8")))
    assert gap.target == "tot"
    assert [(i.code, i.points_needed) for i in gap.items] == [("6", Decimal("0.1"))]
    assert gap.total_points == Decimal("0.1")


def test_no_gap_at_the_top():
    assert grade_gap(HD, score_unit(HD, at_percent("95"))) is None
