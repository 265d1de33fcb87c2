"""Scores of a unit: seed 003's Đồng Tâm row, metric and survey leaves, errors."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc.core.formatting import round_half_up
from cchc.evaluations import scoring
from cchc.evaluations.scoring import ScoreError, metric_points, score_unit, survey_points
from cchc.frameworks.spec import load_framework

FRAMEWORKS = Path(__file__).resolve().parents[2] / "frameworks"
HD = load_framework(FRAMEWORKS / "hd-xa-2022.yaml")
DEMO = load_framework(FRAMEWORKS / "minh-hoa-xa.yaml")

# Seed 003: Đồng Tâm commune, 2022, component by component.
DONG_TAM = dict(
    zip(
        [str(i) for i in range(1, 11)],
        ["11.84", "4.75", "16.62", "6", "11", "5", "10.19", "1.577", "11.49", "9.28"],
        strict=True,
    )
)


def test_dong_tam_seed_003():
    unit = score_unit(HD, DONG_TAM)
    assert unit.total == Decimal("87.747")
    assert unit.max == 100
    assert unit.index == Decimal("87.747")
    assert round_half_up(unit.index) == Decimal("87.75")
    percents = {c.code: round_half_up(c.percent) for c in unit.component_scores()}
    assert percents["1"] == Decimal("78.93")
    assert percents["3"] == Decimal("89.84")
    assert percents["6"] == Decimal("71.43")
    assert percents["8"] == Decimal("78.85")
    assert unit.nodes["6"].deducted == 2
    assert unit.nodes["1"].origin == "given"


def test_floats_keep_their_decimal_value():
    as_floats = {k: float(v) for k, v in DONG_TAM.items()}
    assert score_unit(HD, as_floats).total == Decimal("87.747")


@pytest.mark.parametrize(
    "rate, points",
    [("100", "1"), ("99.99", "0.5"), ("95", "0.5"), ("94.99", "0"), ("0", "0")],
)
def test_on_time_thresholds(rate, points):
    assert metric_points(DEMO.node("3.2"), rate) == Decimal(points)


@pytest.mark.parametrize("rate, points", [("50", "4"), ("60", "4"), ("25", "2"), ("0", "0")])
def test_full_at_rule(rate, points):
    # online_rate, max 4, full points at 50%: below, rate × max / 50
    assert metric_points(DEMO.node("3.3"), rate) == Decimal(points)


def test_survey_points():
    assert survey_points(HD.node("10"), "92.8") == Decimal("9.28")
    assert survey_points(HD.node("9"), "82.07142857142857142857142857") == pytest.approx(
        Decimal("11.49"), abs=Decimal("0.0001")
    )
    with pytest.raises(ScoreError) as caught:
        survey_points(HD.node("10"), "101")
    assert caught.value.code == "10"


def _demo_scores(**overrides):
    scores = {leaf.code: leaf.max for leaf in DEMO.leaves() if leaf.method == "evidence"}
    scores.update(overrides)
    return scores


def test_metric_and_survey_leaves_from_measured_values():
    unit = score_unit(
        DEMO,
        _demo_scores(),
        metric_values={
            "on_time_rate": "97.5",
            "online_rate": "88.25",
            "intake_digitized_rate": "97.9",
            "result_digitized_rate": "87.5",
            "paid_online_rate": "40",
            "plan_completion_rate": "100",
        },
        survey_values={"sipas": "92.8", "dieu_tra_xhh": "82.5"},
    )
    assert unit.nodes["3.2"].score == Decimal("0.5")
    assert unit.nodes["3.2"].measured == Decimal("97.5")
    assert unit.nodes["3.2"].origin == "metric"
    assert unit.nodes["3.5"].score == 1
    assert unit.nodes["3.6"].score == 1  # 40 × 2 / 80
    assert unit.nodes["10"].score == Decimal("9.28")
    assert unit.nodes["9"].score == Decimal("11.55")
    # 3 = 3 + 0.5 + 4 + 3 + 1 + 1 + 2.5
    assert unit.nodes["3"].score == Decimal("15")
    assert unit.nodes["3"].origin == "sum"
    assert unit.total == sum(unit.nodes[c].score for c in unit.components)


def test_given_score_overrides_measured_value():
    scores = _demo_scores(**{"3.2": 1, "9": 10, "10": 9})
    unit = score_unit(DEMO, scores, metric_values={"on_time_rate": 90}, allow_missing=True)
    assert unit.nodes["3.2"].score == 1 and unit.nodes["3.2"].origin == "given"


def test_node_given_replaces_subtree():
    scores = {c.code: c.max for c in DEMO.criteria}
    scores["3"] = Decimal("16.62")
    unit = score_unit(DEMO, scores)
    assert unit.nodes["3"].score == Decimal("16.62")
    assert "3.2" not in unit.nodes
    assert unit.total == Decimal("98.12")


def test_node_and_its_descendant_both_given():
    with pytest.raises(ScoreError) as caught:
        score_unit(DEMO, {"3": 10, "3.1": 2}, allow_missing=True)
    assert caught.value.code == "3.1"


@pytest.mark.parametrize(
    "code, value, message",
    [
        ("1", "15.01", scoring.ERR_ABOVE_MAX.format(score="15,01", max="15")),
        ("3", "-0.5", scoring.ERR_NEGATIVE),
        ("11", "1", scoring.ERR_UNKNOWN_CODE),
        ("2", "năm", scoring.ERR_NOT_NUMBER),
        ("2", "NaN", scoring.ERR_NOT_NUMBER),
    ],
)
def test_bad_scores_name_the_code(code, value, message):
    scores = dict(DONG_TAM)
    scores[code] = value
    with pytest.raises(ScoreError) as caught:
        score_unit(HD, scores)
    assert (caught.value.code, caught.value.message) == (code, message)


def test_missing_leaf():
    scores = dict(DONG_TAM)
    del scores["7"]
    with pytest.raises(ScoreError) as caught:
        score_unit(HD, scores)
    assert caught.value.code == "7" and caught.value.message == scoring.ERR_MISSING
    partial = score_unit(HD, scores, allow_missing=True)
    assert partial.missing == ("7",)
    assert partial.total == Decimal("77.557")


@settings(max_examples=80, deadline=None)
@given(st.data())
def test_totals_add_up(data):
    scores = {}
    for leaf in DEMO.leaves():
        scores[leaf.code] = data.draw(
            st.decimals(min_value=0, max_value=leaf.max, places=3), label=leaf.code
        )
    unit = score_unit(DEMO, scores)
    for node in DEMO.walk():
        if node.children:
            assert unit.nodes[node.code].score == sum(
                unit.nodes[c.code].score for c in node.children
            )
    assert unit.total == sum(scores.values())
    assert 0 <= unit.index <= 100
