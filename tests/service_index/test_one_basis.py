"""Issue 14, QĐ 766: a flag the import file did not carry is "không có số liệu", not 0%;
units are ranked on the indicators measurable for all of them."""

from __future__ import annotations

import pytest

from cchc.service_index.compute import (
    common_basis,
    loses_most,
    rank_results,
    score_counts,
)
from cchc.service_index.counts import COUNT_NAMES


def _counts(**given: int) -> dict[str, int]:
    counts = {name: 0 for name in COUNT_NAMES}
    counts.update(
        {
            "dossiers.received": 10,
            "dossiers.received_or_processed": 10,
            "dossiers.on_time_766": 10,
        }
    )
    counts.update({k.replace("__", "."): v for k, v in given.items()})
    return counts


def test_a_flag_column_missing_from_the_file_is_no_data_not_zero(definition):
    unknown = {"dossiers.received_synced", "dossiers.data_store_linked"}
    result = score_counts(definition, _counts(), unknown=unknown)
    for code in ("1.4", "4.4"):
        r = result.indicator(code)
        assert r.status == "no_column" and r.points is None and r.rate is None
        assert "tệp nhập không có cột" in r.status_label
    assert "synced" in result.indicator("1.4").status_label
    # excluded from the reachable maximum, and never among the indicators losing most
    assert {r.code for r in loses_most(result)}.isdisjoint({"1.4", "4.4"})
    known = score_counts(definition, _counts())
    assert known.indicator("1.4").status == "measured"
    assert result.max_available == known.max_available - 10


def test_units_are_ranked_on_the_indicators_every_unit_has(definition):
    # A measured 1.4 at 100% (6 points) lifts A's rescaled total above B's, though on the
    # indicators both have (2.1) B is better: ranked on one basis, B comes first.
    a = score_counts(
        definition,
        _counts(dossiers__received_synced=10, dossiers__on_time_766=8),
        unit="A",
    )
    b = score_counts(
        definition,
        _counts(dossiers__on_time_766=9),
        unit="B",
        unknown={"dossiers.received_synced"},
    )
    assert a.score_100 > b.score_100  # the old basis would rank A first
    basis = common_basis([a, b])
    assert "2.1" in basis and "1.4" not in basis
    ranked = rank_results([a, b])
    assert [r.result.unit for r in ranked] == ["B", "A"]
    assert ranked[0].rank == 1 and ranked[0].basis == basis
    assert ranked[0].basis_score > ranked[1].basis_score


@pytest.mark.django_db
def test_an_import_without_the_flag_columns_leaves_1_4_and_4_4_unmeasured(cast):
    # Issue 14: the seed 002 file has no synced / data_store_linked column; indicators 1.4
    # and 4.4 read 0% and topped "mất nhiều điểm nhất".
    import time_machine

    from cchc.dossiers import imports as I
    from cchc.dossiers.periods import period_for
    from cchc.service_index.selectors import unit_index
    from tests.dossiers.test_import import FIXTURE, FROZEN, seed002_catalogue

    with time_machine.travel(FROZEN, tick=False):
        unit = seed002_catalogue(cast.district)
        I.dossiers_import(source=FIXTURE, filename=FIXTURE.name, by=cast.administrator)
        result = unit_index(unit, period_for("year", 2023))
    assert result.indicator("1.4").status == "no_column"
    assert result.indicator("4.4").status == "no_column"
    assert result.indicator("2.1").status == "measured"
    assert {r.code for r in loses_most(result)}.isdisjoint({"1.4", "4.4"})
