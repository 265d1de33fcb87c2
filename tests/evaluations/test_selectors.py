"""Reads: results from stored scores (seed 003 through the database), ties, boundaries,
blocks, comparison with the previous cycle, scoping, completeness."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc.evaluations import selectors, services
from cchc.evaluations.models import CycleState, Score
from cchc.units.models import Unit, UnitKind
from tests.evaluations.conftest import fill_self_scores

CODES = [str(i) for i in range(1, 11)]
MAXIMA = ["15", "5", "18.5", "6", "11", "7", "11.5", "2", "14", "10"]
DONG_TAM = ["11.84", "4.75", "16.62", "6", "11", "5", "10.19", "1.577", "11.49", "9.28"]


def hd_cycle(cast, framework, units, year=2022, state=CycleState.APPRAISAL):
    cycle = services.cycle_open(
        framework=framework,
        year=year,
        name=f"Chỉ số CCHC cấp xã năm {year}",
        organiser=cast.province,
        units=units,
        measure_start=dt.date(year - 1, 12, 15),
        measure_end=dt.date(year, 12, 14),
        by=cast.administrator,
    )
    extra = {}
    if state == CycleState.PUBLISHED:
        extra = {"decision_no": f"1/QĐ-UBND-{year}", "decision_date": dt.date(year + 1, 3, 1)}
    type(cycle).objects.filter(pk=cycle.pk).update(state=state, **extra)
    cycle.refresh_from_db()
    return cycle


def set_scores(cycle, unit, values):
    """The appraised score of each leaf (set directly: these tests are about reading)."""
    cycle_unit = cycle.cycle_units.get(unit=unit)
    for code, value in values.items():
        Score.objects.filter(cycle_unit=cycle_unit, criterion__code=code).update(
            appraised_score=Decimal(value)
        )
    return cycle_unit


def at_share(share: str) -> dict[str, Decimal]:
    return {c: Decimal(m) * Decimal(share) for c, m in zip(CODES, MAXIMA, strict=True)}


def test_seed_003_through_the_database(cast, hd_framework):
    cycle = hd_cycle(cast, hd_framework, {cast.dong_tam: "xã", cast.thanh_xa: "xã"})
    cu = set_scores(cycle, cast.dong_tam, dict(zip(CODES, DONG_TAM, strict=True)))
    set_scores(cycle, cast.thanh_xa, at_share("0.5"))
    result = selectors.unit_result(cu)
    assert result.total == Decimal("87.747") and result.index_display == Decimal("87.75")
    assert result.grade.code == "tot" and str(result.rank) == "1/2"
    assert result.remediation == () and not result.owes_remediation
    # Gap to "xuất sắc": component 1 +0.16 (to 80%), component 6 +0.6, index +2.253.
    needs = [(i.kind, i.code, i.points_needed) for i in result.gap.items]
    assert needs == [
        ("component", "1", Decimal("0.16")),
        ("component", "6", Decimal("0.6")),
        ("index", None, Decimal("2.253")),
    ]
    assert result.gap.extra_index_points == Decimal("1.493")
    sheet = selectors.score_sheet(cu)
    assert sheet.final_total == Decimal("87.747") and sheet.index == Decimal("87.75")
    rows = selectors.result_json_rows(cycle)
    assert rows[0]["unit"] == "Xã Đồng Tâm" and rows[0]["index"] == Decimal("87.75")
    assert rows[0]["unit_code"] == "local-DONGTAM"


def test_ties_share_ranks(cast, hd_framework):
    cycle = hd_cycle(cast, hd_framework, {cast.dong_tam: "xã", cast.thanh_xa: "xã"})
    seed = dict(zip(CODES, DONG_TAM, strict=True))
    set_scores(cycle, cast.dong_tam, seed)
    set_scores(cycle, cast.thanh_xa, seed)
    results = selectors.cycle_results(cycle)
    assert [str(r.rank) for r in results] == ["1/2", "1/2"]
    assert {str(r.components["1"].rank) for r in results} == {"1/1"}
    # 87.746 and 87.747 both print 87,75 but are not tied.
    set_scores(cycle, cast.thanh_xa, {"8": "1.576"})
    results = selectors.cycle_results(cycle)
    assert [(r.unit, str(r.rank), r.index_display) for r in results] == [
        ("Xã Đồng Tâm", "1/2", Decimal("87.75")),
        ("Xã Thanh Xá", "2/2", Decimal("87.75")),
    ]


@pytest.mark.parametrize(
    ("share", "grade"),
    [("0.9", "xuat_sac"), ("0.8", "tot"), ("0.65", "hoan_thanh"), ("0.6499", "khong_hoan_thanh")],
)
def test_grade_boundaries_are_inclusive(cast, hd_framework, share, grade):
    cycle = hd_cycle(cast, hd_framework, {cast.dong_tam: "xã"})
    cu = set_scores(cycle, cast.dong_tam, at_share(share))
    result = selectors.unit_result(cu)
    assert result.grade.code == grade
    # Seed 001: "Hoàn thành nhiệm vụ" owes a remediation plan.
    assert result.owes_remediation == (grade in ("hoan_thanh", "khong_hoan_thanh"))


def test_seed_004_component_under_70_is_hoan_thanh(cast, hd_framework):
    cycle = hd_cycle(cast, hd_framework, {cast.dong_tam: "xã"})
    values = at_share("0.86")
    values["6"] = Decimal("4.8")  # 68.57% of 7; the index stays over 80
    values["1"] = Decimal("15")
    cu = set_scores(cycle, cast.dong_tam, values)
    result = selectors.unit_result(cu)
    assert result.index > 80
    assert result.grade.code == "hoan_thanh"


def test_remediation_at_exactly_75_percent(cast, hd_framework):
    cycle = hd_cycle(cast, hd_framework, {cast.dong_tam: "xã", cast.thanh_xa: "xã"})
    values = at_share("0.9")
    values["3"] = Decimal("13.875")  # exactly 75% of 18.5: no plan owed
    cu = set_scores(cycle, cast.dong_tam, values)
    values = dict(values, **{"3": Decimal("13.8749")})
    other = set_scores(cycle, cast.thanh_xa, values)
    assert selectors.unit_result(cu).remediation == ()
    assert selectors.unit_result(other).remediation == ("3",)


def test_units_are_ranked_within_their_block(cast, hd_framework):
    ward = Unit.objects.create(
        scheme="local", code="P1", name="Phường Một", kind=UnitKind.WARD, parent=cast.district
    )
    cycle = hd_cycle(
        cast,
        hd_framework,
        {cast.dong_tam: "Khối xã", cast.thanh_xa: "Khối xã", ward: "Khối phường"},
    )
    set_scores(cycle, cast.dong_tam, at_share("0.9"))
    set_scores(cycle, cast.thanh_xa, at_share("0.8"))
    set_scores(cycle, ward, at_share("0.7"))
    ranks = {r.unit: (r.block, str(r.rank)) for r in selectors.cycle_results(cycle)}
    assert ranks == {
        "Xã Đồng Tâm": ("Khối xã", "1/2"),
        "Xã Thanh Xá": ("Khối xã", "2/2"),
        "Phường Một": ("Khối phường", "1/1"),
    }


def test_comparison_with_the_previous_cycle(cast, hd_framework, demo_framework, fake_metrics):
    old = hd_cycle(cast, hd_framework, {cast.dong_tam: "xã"}, year=2022, state=CycleState.PUBLISHED)
    set_scores(old, cast.dong_tam, dict(zip(CODES, DONG_TAM, strict=True)))
    same = hd_cycle(cast, hd_framework, {cast.dong_tam: "xã"}, year=2023)
    cu = set_scores(same, cast.dong_tam, at_share("0.9"))
    comparison = selectors.unit_comparison(cu)
    assert comparison.same_framework
    first = comparison.components[0]
    assert first.status == "same" and first.delta_score == Decimal("13.5") - Decimal("11.84")
    # A new framework: the components' criteria changed, and the comparison says so.
    new = hd_cycle(cast, demo_framework, {cast.dong_tam: "xã"}, year=2024)
    cycle_unit = new.cycle_units.get()
    comparison = selectors.unit_comparison(cycle_unit)
    assert not comparison.same_framework
    assert selectors.previous_cycle_unit(cycle_unit).cycle == old  # 2023 is not finalised
    statuses = {c.code: c.status for c in comparison.components}
    assert statuses["1"] == "criteria_changed" and statuses["2"] == "same"
    assert selectors.unit_comparison(old.cycle_units.get()) is None


def test_cycles_for_scopes_by_role(cast, open_cycle, demo_framework):
    other_district = Unit.objects.create(
        scheme="2008", code="298", name="Huyện Tứ Kỳ", kind=UnitKind.DISTRICT, parent=cast.province
    )
    commune = Unit.objects.create(
        scheme="local",
        code="DAIDUC",
        name="Xã Đại Đức",
        kind=UnitKind.COMMUNE,
        parent=other_district,
    )
    other = services.cycle_open(
        framework=demo_framework,
        year=2024,
        name="Kỳ của Tứ Kỳ",
        organiser=cast.province,
        units={commune: "xã"},
        measure_start=dt.date(2024, 1, 1),
        measure_end=dt.date(2024, 12, 31),
        by=cast.administrator,
    )
    services.cycle_transition(cycle=other, to_state="self_assessment", by=cast.administrator)
    assert list(selectors.cycles_for(cast.officer)) == [open_cycle.cycle]
    assert list(selectors.cycles_for(cast.appraiser)) == [open_cycle.cycle]
    assert set(selectors.cycles_for(cast.administrator)) == {open_cycle.cycle, other}
    assert set(selectors.cycle_units_for(cast.appraiser, open_cycle.cycle)) == {
        open_cycle.dong_tam,
        open_cycle.thanh_xa,
    }
    assert list(selectors.cycle_units_for(cast.officer, open_cycle.cycle)) == [open_cycle.dong_tam]


def test_completeness_and_sheet(cast, open_cycle):
    cu = open_cycle.dong_tam
    before = selectors.completeness(cu)
    assert before.scored == 5  # the measured leaves (one metric has no data)
    assert before.evidence_leaves == len(before.missing) and not before.complete
    fill_self_scores(cu, cast.officer, Decimal("1"))
    after = selectors.completeness(cu)
    assert after.complete and after.with_evidence == 0
    assert len(after.without_evidence) == after.evidence_leaves
    sheet = selectors.score_sheet(cu)
    component_1 = sheet.rows[0]
    assert component_1.criterion.code == "1" and component_1.final == component_1.self_total
    # 1.2 is measured: plan_completion_rate 100% -> 4 of 4 points.
    assert component_1.final == Decimal("15")


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(
        st.lists(st.integers(min_value=0, max_value=100), min_size=10, max_size=10),
        min_size=2,
        max_size=2,
    )
)
def test_totals_add_up_and_ranks_follow_scores(cast, hd_framework, shares):
    cycle = hd_cycle(cast, hd_framework, {cast.dong_tam: "xã", cast.thanh_xa: "xã"})
    for unit, row in zip((cast.dong_tam, cast.thanh_xa), shares, strict=True):
        values = {
            c: (Decimal(m) * p / 100).quantize(Decimal("0.0001"))
            for c, m, p in zip(CODES, MAXIMA, row, strict=True)
        }
        set_scores(cycle, unit, values)
    results = selectors.cycle_results(cycle)
    for result in results:
        assert result.total == sum(c.score for c in result.components.values())
        assert 0 <= result.total <= 100
    a, b = results
    assert (a.total > b.total) == (a.rank.rank < b.rank.rank)
    assert (a.total == b.total) == (a.rank.rank == b.rank.rank)
    cycle.delete()
