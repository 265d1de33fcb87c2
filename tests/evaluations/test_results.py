"""Full results of a set of units: ranks within blocks, grades, remediation, comparison."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from cchc.evaluations.ranking import Rank
from cchc.evaluations.results import (
    CHANGE_CRITERIA,
    CHANGE_MAX,
    CHANGE_NEW,
    CHANGE_REMOVED,
    CHANGE_SAME,
    ResultsError,
    UnitInput,
    compare_cycles,
    compare_with_previous,
    compute_results,
)
from cchc.frameworks.spec import dump_framework, load_framework

FRAMEWORKS = Path(__file__).resolve().parents[2] / "frameworks"
HD = load_framework(FRAMEWORKS / "hd-xa-2022.yaml")
DEMO = load_framework(FRAMEWORKS / "minh-hoa-xa.yaml")
CODES = [str(i) for i in range(1, 11)]
DONG_TAM = dict(
    zip(
        CODES,
        ["11.84", "4.75", "16.62", "6", "11", "5", "10.19", "1.577", "11.49", "9.28"],
        strict=True,
    )
)


def shifted(delta: str) -> dict[str, Decimal]:
    """Đồng Tâm's row with the SIPAS component moved by delta points."""
    row = {k: Decimal(v) for k, v in DONG_TAM.items()}
    row["10"] += Decimal(delta)
    return row


def test_dong_tam_ninth_of_twenty():
    # 8 communes above, 11 below: "xếp thứ 9/20 xã, thị trấn"
    units = [UnitInput(f"Xã trên {i}", shifted(f"0.0{i}")) for i in range(1, 9)]
    units.append(UnitInput("Đồng Tâm", DONG_TAM))
    units += [UnitInput(f"Xã dưới {i}", shifted(f"-0.{i:02d}")) for i in range(1, 12)]
    results = compute_results(HD, units)
    dong_tam = next(r for r in results if r.unit == "Đồng Tâm")
    assert dong_tam.rank == Rank(9, 20)
    assert results[8] is dong_tam  # rank order
    assert dong_tam.total == Decimal("87.747")
    assert dong_tam.index_display == Decimal("87.75")
    assert dong_tam.grade.code == "tot"
    assert dong_tam.remediation == ()
    assert dong_tam.components["1"].percent_display == Decimal("78.93")
    # every unit has 11.84 in component 1: one distinct value
    assert dong_tam.components["1"].rank == Rank(1, 1)
    assert dong_tam.components["10"].rank == Rank(9, 20)
    assert dong_tam.gap.target == "xuat_sac"


def test_ties_blocks_and_order():
    base = {c: Decimal(0) for c in CODES}
    high = {c.code: c.max for c in HD.criteria}
    units = [
        UnitInput("Xã A", base, block="xã"),
        UnitInput("Phường B", high, block="phường"),
        UnitInput("Xã C", high, block="xã"),
        UnitInput("Xã D", high, block="xã"),
        UnitInput("Phường E", base, block="phường"),
    ]
    results = compute_results(HD, units)
    assert [(r.block, r.unit, str(r.rank)) for r in results] == [
        ("xã", "Xã C", "1/3"),
        ("xã", "Xã D", "1/3"),
        ("xã", "Xã A", "3/3"),
        ("phường", "Phường B", "1/2"),
        ("phường", "Phường E", "2/2"),
    ]
    assert results[2].components["3"].rank == Rank(2, 2)
    assert results[2].grade.code == "khong_hoan_thanh"
    assert results[2].remediation == ("3", "7")
    assert results[2].owes_remediation
    assert results[0].gap is None


def test_duplicate_unit():
    with pytest.raises(ResultsError):
        compute_results(HD, [UnitInput("Xã A", DONG_TAM), UnitInput("Xã A", DONG_TAM)])


def test_scores_from_dossier_metrics():
    scores = {leaf.code: leaf.max for leaf in DEMO.leaves() if leaf.method == "evidence"}
    metrics = {
        name: 100
        for name in (
            "on_time_rate",
            "online_rate",
            "intake_digitized_rate",
            "result_digitized_rate",
            "paid_online_rate",
            "plan_completion_rate",
        )
    }
    results = compute_results(
        DEMO,
        [
            UnitInput(
                "Xã A",
                scores,
                metric_values=metrics,
                survey_values={"sipas": 90, "dieu_tra_xhh": 50},
            )
        ],
    )
    assert results[0].total == Decimal(100) - 1 - 7
    assert results[0].nodes["3.2"].origin == "metric"


def test_comparison_same_framework():
    previous = compute_results(HD, [UnitInput("Đồng Tâm", shifted("-1")), UnitInput("X", DONG_TAM)])
    current = compute_results(HD, [UnitInput("Đồng Tâm", DONG_TAM), UnitInput("X", shifted("-1"))])
    comparison = compare_cycles(HD, current, HD, previous)["Đồng Tâm"]
    assert comparison.same_framework
    assert comparison.delta_total == 1
    assert (comparison.previous_rank, comparison.rank) == (Rank(2, 2), Rank(1, 2))
    sipas = next(c for c in comparison.components if c.code == "10")
    assert sipas.status == CHANGE_SAME
    assert sipas.delta_score == 1 and sipas.delta_percent == 10
    assert all(c.status == CHANGE_SAME for c in comparison.components)


def test_comparison_flags_framework_changes():
    text = dump_framework(HD)
    # previous framework: component 9 worth 15 and 10 worth 9; component 8 absent, "11" extra
    old_text = (
        text.replace("max: 14\n", "max: 15\n")
        .replace("max: 10\n", "max: 9\n")
        .replace("- code: '8'\n", "- code: '11'\n")
    )
    old = load_framework(old_text)
    old_scores = {c.code: c.max for c in old.criteria}
    previous = compute_results(old, [UnitInput("Đồng Tâm", old_scores)])
    current = compute_results(HD, [UnitInput("Đồng Tâm", DONG_TAM)])
    comparison = compare_with_previous(HD, current[0], old, previous[0])
    status = {c.code: c.status for c in comparison.components}
    assert status["9"] == CHANGE_MAX
    assert status["10"] == CHANGE_MAX
    assert status["8"] == CHANGE_NEW
    assert status["11"] == CHANGE_REMOVED
    assert status["1"] == CHANGE_SAME
    nine = next(c for c in comparison.components if c.code == "9")
    assert nine.delta_score is None and nine.delta_percent is not None
    assert not comparison.same_framework


def test_comparison_flags_changed_criteria_under_same_max():
    text = dump_framework(DEMO).replace("- code: '1.5'\n", "- code: '1.6'\n")
    old = load_framework(text)
    scores = {c.code: c.max for c in DEMO.criteria}
    current = compute_results(DEMO, [UnitInput("A", scores)])
    previous = compute_results(old, [UnitInput("A", scores)])
    comparison = compare_with_previous(DEMO, current[0], old, previous[0])
    status = {c.code: c.status for c in comparison.components}
    assert status["1"] == CHANGE_CRITERIA and status["3"] == CHANGE_SAME


def test_comparison_without_previous():
    current = compute_results(HD, [UnitInput("Đồng Tâm", DONG_TAM)])
    comparison = compare_cycles(HD, current, None, [])["Đồng Tâm"]
    assert comparison.previous_rank is None
    assert {c.status for c in comparison.components} == {CHANGE_NEW}
