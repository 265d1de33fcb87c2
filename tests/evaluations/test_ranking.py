"""Competition and dense ranks on exact values, within blocks (seed 003's "9/20", "9/19 hạng")."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from cchc.evaluations.ranking import Rank, competition_ranks, dense_ranks, ranks_within_blocks


def test_ties_share_competition_ranks():
    ranks = competition_ranks({"a": 10, "b": 9, "c": 9, "d": 8})
    assert ranks == {"a": Rank(1, 4), "b": Rank(2, 4), "c": Rank(2, 4), "d": Rank(4, 4)}
    assert str(ranks["d"]) == "4/4"


def test_ties_share_dense_ranks_of_distinct_values():
    ranks = dense_ranks({"a": 10, "b": 9, "c": 9, "d": 8})
    assert ranks == {"a": Rank(1, 3), "b": Rank(2, 3), "c": Rank(2, 3), "d": Rank(3, 3)}


def test_seed_003_component_rank_six_of_six():
    # "Cải cách tổ chức bộ máy đạt 6/6 điểm, xếp hạng 1/5 hạng": full marks share rank 1
    scores = [6, 6, 6, 5.5, 5, 5, 4.5, 4]
    ranks = dense_ranks({i: Decimal(str(s)) for i, s in enumerate(scores)})
    assert ranks[0] == Rank(1, 5) and ranks[7] == Rank(5, 5)


def test_ranks_use_exact_values_not_rounded_ones():
    # both print as 87,75; they are not tied
    ranks = competition_ranks({"a": Decimal("87.746"), "b": Decimal("87.747")})
    assert ranks == {"b": Rank(1, 2), "a": Rank(2, 2)}


def test_blocks_rank_apart():
    values = {"p1": 90, "p2": 80, "x1": 85, "x2": 85, "x3": 70}
    blocks = {"p1": "phường", "p2": "phường", "x1": "xã", "x2": "xã", "x3": "xã"}
    ranks = ranks_within_blocks(values, blocks)
    assert ranks == {
        "p1": Rank(1, 2),
        "p2": Rank(2, 2),
        "x1": Rank(1, 3),
        "x2": Rank(1, 3),
        "x3": Rank(3, 3),
    }
    dense = ranks_within_blocks(values, blocks, dense=True)
    assert dense["x3"] == Rank(2, 2)
    assert ranks_within_blocks(values)["x3"] == Rank(5, 5)


def test_lower_is_better():
    assert competition_ranks({"a": 1, "b": 2}, higher_is_better=False)["a"] == Rank(1, 2)


_scores = st.dictionaries(
    st.integers(0, 60), st.decimals(min_value=0, max_value=100, places=2), min_size=1, max_size=40
)


@settings(max_examples=200, deadline=None)
@given(_scores)
def test_ranks_consistent_with_scores(values):
    comp = competition_ranks(values)
    dense = dense_ranks(values)
    for a in values:
        for b in values:
            if values[a] > values[b]:
                assert comp[a].rank < comp[b].rank and dense[a].rank < dense[b].rank
            if values[a] == values[b]:
                assert comp[a] == comp[b] and dense[a] == dense[b]
        # competition rank = 1 + number of strictly better units
        assert comp[a].rank == 1 + sum(1 for v in values.values() if v > values[a])
        assert comp[a].of == len(values)
    distinct = len(set(values.values()))
    assert all(r.of == distinct for r in dense.values())
    assert {r.rank for r in dense.values()} == set(range(1, distinct + 1))
