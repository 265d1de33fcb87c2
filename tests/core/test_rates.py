"""One "full points at X%" rule for the PAR index (scoring) and the service index
(definition), compared exactly."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from cchc.core.rates import full_at_points
from cchc.evaluations.scoring import survey_points
from cchc.frameworks.spec import Criterion
from cchc.service_index.definition import Rule


def test_full_from_the_threshold_on_and_proportional_below():
    assert full_at_points(Decimal(9), Decimal(10), Decimal(5), Decimal(90)) == 5
    assert full_at_points(Decimal(899), Decimal(1000), Decimal(5), Decimal(90)) == Decimal(
        "4.994444444444444444444444444"
    )
    assert full_at_points(Decimal(1), Decimal(2), Decimal(5)) == Decimal("2.5")


# Before, scoring divided first (rate, then × max / X) and the service index multiplied
# first: the same rate could differ in the last digits between the two indexes.
@given(
    st.integers(min_value=0, max_value=10_000),
    st.integers(min_value=1, max_value=10_000),
    st.integers(min_value=1, max_value=100),
)
def test_both_indexes_give_the_same_points(numerator, denominator, full_at):
    rule = Rule(kind="full_at", full_at=Decimal(full_at))
    expected = full_at_points(
        Decimal(numerator), Decimal(denominator), Decimal(5), Decimal(full_at)
    )
    assert rule.points(numerator, denominator, Decimal(5)) == expected
    if numerator <= denominator:
        node = Criterion(
            code="9",
            title="Khảo sát",
            max=Decimal(5),
            method="survey",
            survey="s",
            full_at=Decimal(full_at),
            scale=Decimal(denominator),
        )
        assert survey_points(node, str(numerator)) == min(expected, Decimal(5))
