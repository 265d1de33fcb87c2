"""Issue 18: the fast results (ranks on exact Decimals by one sort per block, thresholds
compared without fractions, rounding once) equal the Fraction reference they replaced
(tests/evaluations/fraction_reference.py) on random frameworks and scores, with ties in
every rank and percentages that fall on a rounding half."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc.evaluations import batch
from cchc.evaluations.classification import grade_gap
from cchc.evaluations.ranking import block_ranks, ranks_within_blocks
from cchc.evaluations.results import UnitInput, compute_results
from cchc.frameworks.spec import Criterion, Framework, Grade, Remediation
from tests.evaluations.fraction_reference import half_up, ratio, reference_results

# Maxima as frameworks write them (15, 18.5, 1.577, 2.25) and awkward ones (3, 7: their
# percentages never end).
MAXIMA = [Decimal(m) for m in ("15", "5", "18.5", "6", "1.577", "2.25", "3", "7", "10", "0.5")]
PERCENTS = st.decimals(min_value=0, max_value=100, places=1) | st.sampled_from(
    [Decimal(p) for p in ("50", "65", "70", "75", "80", "90", "100", "87.5", "66.6", "0.1")]
)


@st.composite
def frameworks(draw) -> Framework:
    count = draw(st.integers(1, 5))
    maxima = draw(st.lists(st.sampled_from(MAXIMA), min_size=count, max_size=count))
    criteria = tuple(
        Criterion(
            code=str(n + 1),
            title=f"Lĩnh vực {n + 1}",
            max=m,
            graded=draw(st.booleans()),
            method="evidence",
        )
        for n, m in enumerate(maxima)
    )
    grades = []
    floor_index, floor_component = Decimal(101), Decimal(101)
    for n in range(draw(st.integers(0, 3))):
        min_index = draw(st.none() | PERCENTS.filter(lambda p, f=floor_index: p < f))
        min_component = draw(st.none() | PERCENTS.filter(lambda p, f=floor_component: p < f))
        floor_index = min_index if min_index is not None else floor_index
        floor_component = min_component if min_component is not None else floor_component
        grades.append(
            Grade(
                code=f"g{n}",
                label=f"Mức {n}",
                min_index=min_index,
                min_component=min_component,
                inclusive=draw(st.booleans()),
            )
        )
    if grades and draw(st.booleans()):
        grades.append(Grade(code="san", label="Mức sàn"))
    remediation = None
    if draw(st.booleans()):
        codes = draw(st.lists(st.sampled_from([c.code for c in criteria]), unique=True))
        remediation = Remediation(
            below_percent=draw(PERCENTS.filter(lambda p: p > 0)),
            components=tuple(codes),
            grades=tuple(g.code for g in grades if draw(st.booleans())),
        )
    return Framework(
        code="ngau-nhien",
        name="Bộ chỉ số ngẫu nhiên",
        criteria=criteria,
        grades=tuple(grades),
        remediation=remediation,
    )


def points(max_points: Decimal):
    """A score within the max: random two- or three-decimal points, a percentage of the max
    that ends in 5 at the third decimal (87.745% rounds half up to 87.75%), or the bounds."""
    halves = (
        st.integers(0, 9999)
        .map(lambda k: max_points * (Decimal(k) * 10 + 5) / Decimal(100000))
        .filter(lambda v: v <= max_points)
    )
    plain = st.integers(0, int(max_points * 1000)).map(lambda k: Decimal(k) / 1000)
    return st.one_of(plain, halves, st.just(max_points), st.just(Decimal(0)))


@st.composite
def cases(draw) -> tuple[Framework, list[UnitInput]]:
    fw = draw(frameworks())
    # a few values per component, drawn again and again: ties in every rank
    pools = {c.code: draw(st.lists(points(c.max), min_size=1, max_size=4)) for c in fw.criteria}
    blocks = draw(
        st.lists(st.none() | st.sampled_from(["Khối xã", "Khối phường"]), min_size=1, max_size=3)
    )
    count = draw(st.integers(1, 30))
    units = [
        UnitInput(
            unit=f"Xã {n:02d}",
            block=draw(st.sampled_from(blocks)),
            scores={code: draw(st.sampled_from(pool)) for code, pool in pools.items()},
        )
        for n in range(count)
    ]
    return fw, units


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_fast_results_equal_the_fraction_reference(case):
    fw, units = case
    fast = compute_results(fw, units)
    reference = reference_results(fw, units)
    assert [(r.block, r.unit) for r in fast] == [(r.block, r.unit) for r in reference]
    for new, old in zip(fast, reference, strict=True):
        assert new.rank == old.rank
        assert (new.total, new.max, new.index) == (old.total, old.max, old.index)
        assert new.index_display == half_up(ratio(old.total, old.max) * 100)
        assert new.grade == old.grade
        assert new.remediation == old.remediation
        assert new.owes_remediation == old.owes_remediation
        assert new.gap == grade_gap(fw, old.score, old.grade)
        for code, component in new.components.items():
            reference_component = old.components[code]
            assert component.rank == reference_component.rank
            assert component.score == reference_component.score
            assert component.percent == reference_component.percent
            assert component.percent_display == half_up(ratio(component.score, component.max) * 100)
    rows = batch.result_rows(fw, fast)
    for row, old in zip(rows, reference, strict=True):
        assert row["index"] == half_up(ratio(old.total, old.max) * 100)
        assert row["rank"] == old.rank.rank and row["rank_of"] == old.rank.of
        for code, component in row["components"].items():
            exact = ratio(old.components[code].score, old.components[code].max)
            assert component["percent"] == half_up(exact * 100)
            assert component["rank"] == old.components[code].rank.rank


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(
                [Decimal("1.5"), Decimal("1.50"), Decimal("2"), Decimal("0"), Decimal("87.746")]
            ),
            st.sampled_from([None, "A", "B"]),
        ),
        max_size=40,
    ),
    st.booleans(),
)
def test_block_ranks_equal_the_dictionary_ranks(pairs, dense):
    values = [v for v, _ in pairs]
    blocks = [b for _, b in pairs]
    expected = ranks_within_blocks(dict(enumerate(values)), dict(enumerate(blocks)), dense=dense)
    assert block_ranks(values, blocks, dense=dense) == [expected[i] for i in range(len(values))]
    as_fractions = [Fraction(v) for v in values]
    assert block_ranks(as_fractions, blocks, dense=dense) == block_ranks(
        values, blocks, dense=dense
    )
