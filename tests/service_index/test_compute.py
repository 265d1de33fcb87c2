from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from decimal import Decimal

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc.core.formatting import percent, round_half_up
from cchc.dossiers.periods import custom_period
from cchc.dossiers.workdays import WorkCalendar
from cchc.service_index.compute import (
    compute_index,
    exact,
    loses_most,
    metrics_for_framework,
    monthly_trend,
    rank_results,
    score_counts,
)
from cchc.service_index.counts import COUNT_NAMES, UnitData, compute_counts
from cchc.service_index.definition import DEFAULT_PATH, IndexDefinition, parse_definition

from .conftest import OCTOBER, dossier

D = dt.date

# Unit X, October 2023 (conftest fixtures), every indicator worked out by hand:
# (numerator, denominator, points)
EXPECTED_X = {
    "1.1": (1, 3, "2"),  # 6 × 1/3
    "1.2": (3, 4, "3"),  # 4 × 3/4
    "1.3": (3, 4, "1.5"),  # 2 × 3/4
    "1.4": (4, 5, "4.8"),  # 6 × 4/5
    "2.1": (4, 5, "16"),  # 20 × 4/5
    "3.full": (2, 3, "8"),  # 12 × 2/3
    "3.5": (1, 2, "1.25"),  # 50% < 80%: 50 × 2 / 80
    "3.5b": (1, 2, "1"),  # 2 × 1/2
    "3.6": (1, 3, "2"),  # 6 × 1/3
    "4.1": (3, 3, "6"),
    "4.2": (3, 5, "3"),  # 60% < 80%: 60 × 4 / 80
    "4.ecopy": (1, 1, "2"),
    "4.3": (1, 5, "0.5"),  # 20% < 80%: 20 × 2 / 80
    "4.4": (1, 5, "0.8"),  # 4 × 1/5
    "5.2": (4, 8, "3"),  # 6 × 4/8
    "5.3": (2, 8, "1.5"),  # 6 × 2/8
    "5.4": (3, 5, "4"),  # 60% < 90%: 60 × 6 / 90
}
# The portal's six groups: online service (3) and online payment (4) apart (issue 14).
GROUPS_X = {"1": "11.3", "2": "16", "3": "8", "4": "4.25", "5": "12.3", "6": "8.5"}


def test_every_indicator_by_hand(
    definition: IndexDefinition, unit_x: UnitData, calendar: WorkCalendar
) -> None:
    result = compute_index(definition, unit_x, OCTOBER, calendar)
    got = {
        r.code: (r.numerator, r.denominator, r.points)
        for r in result.indicators
        if r.status == "measured"
    }
    assert got == {k: (n, d, Decimal(p)) for k, (n, d, p) in EXPECTED_X.items()}
    assert {g.code: g.points for g in result.groups} == {k: Decimal(v) for k, v in GROUPS_X.items()}
    assert result.total == Decimal("60.35")
    # 4.5a and 4.5b (4 points) only the national portal can measure
    assert result.not_available_points == 4
    assert result.max_available == 96
    assert result.group("5").max_available == 18
    assert result.score_100 == exact(Decimal("60.35") * 100 / 96)
    assert round_half_up(result.score_100) == Decimal("62.86")
    assert result.total_display == "60,35/96"
    # tracking indicators show a rate and score nothing
    online = result.indicator("3.1")
    assert (online.status, online.rate, online.points) == ("tracking", Decimal(60), None)
    assert result.indicator("3.3").rate == Decimal(40)
    assert result.indicator("4.5a").status == "not_available"


def test_loses_most_first(
    definition: IndexDefinition, unit_x: UnitData, calendar: WorkCalendar
) -> None:
    result = compute_index(definition, unit_x, OCTOBER, calendar)
    order = [(r.code, r.points_lost) for r in loses_most(result)]
    assert order == [
        ("5.3", Decimal("4.5")),
        ("1.1", Decimal(4)),  # ties keep the definition's order
        ("2.1", Decimal(4)),
        ("3.full", Decimal(4)),
        ("3.6", Decimal(4)),
        ("4.4", Decimal("3.2")),
        ("5.2", Decimal(3)),
        ("5.4", Decimal(2)),
        ("4.3", Decimal("1.5")),
        ("1.4", Decimal("1.2")),
        ("1.2", Decimal(1)),
        ("3.5b", Decimal(1)),
        ("4.2", Decimal(1)),
        ("3.5", Decimal("0.75")),
        ("1.3", Decimal("0.5")),
    ]
    total_lost = sum((r.points_lost for r in loses_most(result)), Decimal(0))
    assert total_lost == result.max_available - result.total


def test_zero_denominators_are_no_data_not_full_marks(
    definition: IndexDefinition, calendar: WorkCalendar
) -> None:
    # Seed 000: "chưa nhận được ý kiến, kiến nghị nào" — no feedback is no data, not 100%.
    only_dossiers = UnitData("X", dossiers=[dossier()])
    result = compute_index(definition, only_dossiers, OCTOBER, calendar)
    for code in ("5.2", "5.3", "1.1", "1.2", "1.3", "3.full", "3.5", "3.5b", "3.6", "4.ecopy"):
        r = result.indicator(code)
        assert (r.status, r.rate, r.points, r.points_lost) == ("empty", None, None, None), code
        assert r.rate_display == "không có số liệu"
    assert result.indicator("2.1").points == 20
    # 1.4, 2.1, 4.1, 4.2, 4.3, 4.4, 5.4 were measurable
    assert result.max_available == 6 + 20 + 6 + 4 + 2 + 4 + 6
    assert result.empty_points == 100 - 4 - result.max_available

    nothing = compute_index(definition, UnitData("Z"), OCTOBER, calendar)
    assert nothing.total == 0
    assert nothing.max_available == 0
    assert nothing.score_100 is None
    assert loses_most(nothing) == []
    assert metrics_for_framework(nothing) == {}


def _definition_with(**when_empty: str) -> IndexDefinition:
    raw = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    raw = copy.deepcopy(raw)
    for group in raw["groups"]:
        for indicator in group["indicators"]:
            key = indicator["code"].replace(".", "_")
            if key in when_empty:
                indicator["when_empty"] = when_empty[key]
    return parse_definition(raw)


def test_when_empty_zero_and_full_are_stated(calendar: WorkCalendar) -> None:
    definition = _definition_with(**{"5_2": "zero", "5_3": "full"})
    result = compute_index(definition, UnitData("X", dossiers=[dossier()]), OCTOBER, calendar)
    zero, full = result.indicator("5.2"), result.indicator("5.3")
    assert (zero.status, zero.rate, zero.points, zero.points_lost) == ("empty_zero", None, 0, 6)
    assert (full.status, full.rate, full.points, full.points_lost) == ("empty_full", None, 6, 0)
    assert full.status_label == "Không có số liệu (tính đủ điểm theo quy ước)"
    assert result.group("6").max_available == 18


def _counts(on_time: int, processed: int = 10) -> dict[str, int]:
    counts = dict.fromkeys(COUNT_NAMES, 0)
    counts["dossiers.received_or_processed"] = processed
    counts["dossiers.on_time_766"] = on_time
    counts["dossiers.satisfaction_766"] = processed
    return counts


def test_ranking_is_competition_rank(definition: IndexDefinition) -> None:
    results = [
        score_counts(definition, _counts(9), unit="A"),  # 18 + 6 = 24 of 26
        score_counts(definition, _counts(9), unit="B"),  # tie with A
        score_counts(definition, _counts(10), unit="C"),  # 26 of 26
        score_counts(definition, _counts(0, processed=0), unit="D"),  # nothing to score
        score_counts(definition, _counts(5), unit="E"),  # 10 + 6 = 16 of 26
    ]
    ranked = [(r.result.unit, r.rank, r.of) for r in rank_results(results)]
    assert ranked == [("C", 1, 4), ("A", 2, 4), ("B", 2, 4), ("E", 4, 4), ("D", None, 4)]
    assert results[2].score_100 == 100


def test_monthly_trend(definition: IndexDefinition, calendar: WorkCalendar) -> None:
    data = UnitData(
        "X",
        dossiers=[
            dossier(received=D(2023, 9, 20), due=D(2023, 9, 29), finished=D(2023, 9, 25)),
            dossier(received=D(2023, 10, 20), due=D(2023, 10, 25), finished=D(2023, 10, 30)),
        ],
    )
    period = custom_period(D(2023, 9, 15), D(2023, 11, 14))
    points = monthly_trend(definition, data, period, calendar)
    assert [(p.period.start, p.period.end) for p in points] == [
        (D(2023, 9, 15), D(2023, 10, 14)),
        (D(2023, 10, 15), D(2023, 11, 14)),
    ]
    assert [p.rates["2.1"] for p in points] == [Decimal(100), Decimal(0)]
    # month 1: 2.1 = 20 and 5.4 = 6; month 2: the only dossier is late, both 0
    assert [p.total for p in points] == [Decimal(26), Decimal(0)]
    # 1.4, 2.1, 4.1, 4.2, 4.3, 4.4, 5.4 measurable in both months
    assert [p.max_available for p in points] == [Decimal(48), Decimal(48)]


def test_metrics_for_framework(
    definition: IndexDefinition, unit_x: UnitData, calendar: WorkCalendar
) -> None:
    metrics = metrics_for_framework(compute_index(definition, unit_x, OCTOBER, calendar))
    assert metrics["qd766.2.1"] == Decimal(80)
    assert metrics["qd766.2.1.points"] == Decimal(16)
    assert metrics["qd766.3.1"] == Decimal(60)  # tracking: a rate, no points
    assert "qd766.3.1.points" not in metrics
    assert "qd766.4.5a" not in metrics  # not measurable: absent, never 0
    assert metrics["qd766.total"] == Decimal("60.35")
    assert metrics["qd766.group.3.points"] == Decimal("8")
    assert all(isinstance(v, Decimal) for v in metrics.values())


def test_seed_003_dong_tam_first_quarter_2023(
    definition: IndexDefinition, calendar: WorkCalendar
) -> None:
    """Seed 003: 192 dossiers 15/12/2022–30/3/2023 (3 carried over), 190 early or on time,
    1 late, 1 in progress; 167 of the 191 resolved have a digitised result (87,4%)."""
    carried = [
        dossier(received=D(2022, 12, 12), due=D(2022, 12, 26), finished=D(2022, 12, 20))
        for _ in range(3)
    ]
    early = [
        dossier(
            received=D(2023, 1, 5),
            due=D(2023, 1, 13),
            finished=D(2023, 1, 10),
            channel="online",
            intake_digitized="full",
        )
        for _ in range(187)
    ]
    late = [dossier(received=D(2023, 1, 5), due=D(2023, 1, 10), finished=D(2023, 1, 12))]
    pending = [dossier(received=D(2023, 3, 28), due=D(2023, 4, 10), finished=None)]
    finished = carried + early + late
    with_result = [dataclasses.replace(d, result_digitized=True) for d in finished[:167]]
    records = with_result + finished[167:] + pending
    period = custom_period(D(2022, 12, 15), D(2023, 3, 30))
    counts = compute_counts(UnitData("DT", dossiers=records), period, calendar)
    assert counts["dossiers.received_or_processed"] == 192
    assert counts["dossiers.on_time_766"] == 191
    assert counts["dossiers.finished_paper_result"] == 191
    assert counts["dossiers.finished_result_electronic"] == 167
    assert percent(167, 191, 1) == Decimal("87.4")
    result = score_counts(definition, counts)
    assert result.indicator("2.1").points == exact(Decimal(191) * 20 / 192)
    assert round_half_up(result.indicator("2.1").points or 0) == Decimal("19.90")
    assert round_half_up(result.indicator("4.1").points or 0) == Decimal("5.25")


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_totals_always_add_up(definition: IndexDefinition, data: st.DataObject) -> None:
    counts = dict.fromkeys(COUNT_NAMES, 0)
    for indicator in definition.indicators:
        if indicator.denominator is None or indicator.numerator is None:
            continue
        den = counts[indicator.denominator] or data.draw(st.integers(0, 50))
        counts[indicator.denominator] = den
        counts[indicator.numerator] = data.draw(st.integers(0, den))
    result = score_counts(definition, counts)
    scored = [r for r in result.indicators if r.points is not None]
    assert result.total == sum((r.points or Decimal(0) for r in scored), Decimal(0))
    for r in scored:
        assert 0 <= r.points <= r.max_points  # type: ignore[operator]
    for g in result.groups:
        assert 0 <= g.points <= g.max_available <= g.max_points
    assert result.max_available + result.empty_points + result.not_available_points == 100
    if result.score_100 is not None:
        assert 0 <= result.score_100 <= 100


def test_scores_worked_out_once_are_the_same_for_every_unit_and_period(
    definition: IndexDefinition, unit_x: UnitData, calendar: WorkCalendar
) -> None:
    # score_counts keeps the scores of counts it has seen (issue 13: every officer of a
    # province ranks the same communes): the same counts give equal scores, each result
    # keeps its own unit, period and counts, and other counts are scored anew.
    counts = compute_counts(unit_x, OCTOBER, calendar)
    first = score_counts(definition, counts, unit="X", period=OCTOBER)
    again = score_counts(definition, dict(counts), unit="Y", period=None)
    assert (again.unit, again.period, first.unit, first.period) == ("Y", None, "X", OCTOBER)
    assert again.indicators == first.indicators and again.total == first.total
    fewer = {**counts, "dossiers.on_time_766": counts["dossiers.on_time_766"] - 1}
    other = score_counts(definition, fewer, unit="X", period=OCTOBER)
    assert other.indicator("2.1").points < first.indicator("2.1").points
    assert other.counts["dossiers.on_time_766"] == first.counts["dossiers.on_time_766"] - 1
    unknown = score_counts(
        definition, counts, unknown={"dossiers.received_synced"}, unit="X", period=OCTOBER
    )
    assert first.indicator("1.4").status == "measured"
    assert unknown.indicator("1.4").status == "no_column"
    # A definition scoring the same counts another way is not answered from the first's.
    lenient = _definition_with(**{"5_2": "full"})
    empty = dict.fromkeys(COUNT_NAMES, 0)
    assert score_counts(definition, empty).indicator("5.2").status == "empty"
    assert score_counts(lenient, empty).indicator("5.2").status == "empty_full"
