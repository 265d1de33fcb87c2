"""The index from the database: the SQL path and the plain path agree, on data known by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from cchc.service_index import selectors
from cchc.service_index.compute import score_counts
from cchc.service_index.counts import COUNT_NAMES, compute_counts

from .dbdata import EXPECTED, OCTOBER

pytestmark = pytest.mark.django_db


def test_sql_counts_match_the_hand_counts(cast, october):
    counts = selectors.IndexComputer().counts([cast.dong_tam], OCTOBER)[cast.dong_tam.pk]
    assert set(counts) == set(COUNT_NAMES)
    wrong = {k: (counts[k], v) for k, v in EXPECTED.items() if counts[k] != v}
    assert not wrong


def test_plain_path_from_the_database_gives_the_same_counts(cast, october):
    from cchc.dossiers.calendar import work_calendar

    data = selectors.unit_data(cast.dong_tam, OCTOBER)
    plain = compute_counts(data, OCTOBER, work_calendar([2023]))
    sql = selectors.IndexComputer().counts([cast.dong_tam], OCTOBER)[cast.dong_tam.pk]
    assert plain == sql


def test_the_index_from_the_database_scores_as_the_plain_compute(cast, october):
    from cchc.dossiers.calendar import work_calendar
    from cchc.service_index.compute import compute_index

    definition = selectors.definition()
    plain = compute_index(
        definition, selectors.unit_data(cast.dong_tam, OCTOBER), OCTOBER, work_calendar([2023])
    )
    db = selectors.unit_index(cast.dong_tam, OCTOBER)
    assert [(r.code, r.points, r.status) for r in db.indicators] == [
        (r.code, r.points, r.status) for r in plain.indicators
    ]
    assert db.total == plain.total == score_counts(definition, EXPECTED_FULL()).total
    # 2.1: 20 × 6/9; 5.2: 6 × 4/6; 5.4: 5/9 = 55,56% < 90% → 6 × 55,56/90
    assert db.indicator("2.1").points == Decimal("13.3333333333")
    assert db.indicator("5.2").points == Decimal("4.0000000000")
    assert db.indicator("5.4").points == Decimal("3.7037037037")
    assert db.max_available == 96


def EXPECTED_FULL() -> dict[str, int]:
    counts = dict.fromkeys(COUNT_NAMES, 0)
    counts.update(EXPECTED)
    return counts


def test_a_commune_with_nothing_recorded_scores_only_the_shared_catalogue(cast, october):
    result = selectors.unit_index(cast.thanh_xa, OCTOBER)
    empty = {r.code for r in result.indicators if r.status == "empty"}
    assert {"1.4", "2.1", "3.full", "3.6", "4.1", "4.2", "5.2", "5.3", "5.4"} <= empty
    assert result.max_available == 16  # 1.1, 1.2, 1.3, 3.5, 3.5b
    assert result.indicator("5.2").rate is None  # never 100%


def test_equal_data_share_a_rank(cast, october):
    from cchc.units.models import Unit, UnitKind

    # two communes with nothing recorded, the same catalogue: a tie, sharing rank 2
    other = Unit.objects.create(
        scheme="local", code="KHAC", name="Xã Khác", kind=UnitKind.WARD, parent=cast.district
    )
    rows = selectors.ranking([cast.dong_tam, cast.thanh_xa, other], OCTOBER)
    assert [(r.unit.name, r.ranked.rank) for r in rows] == [
        ("Xã Đồng Tâm", 1),
        ("Xã Thanh Xá", 2),
        ("Xã Khác", 2),
    ]
    assert selectors.rank_of(other, OCTOBER).rank == 2  # peers: communes and wards together
    rows = selectors.ranking([cast.thanh_xa, cast.dong_tam], OCTOBER)
    assert [(r.unit.name, r.ranked.rank, r.ranked.of) for r in rows] == [
        ("Xã Đồng Tâm", 1, 2),
        ("Xã Thanh Xá", 2, 2),
    ]


def test_a_procedure_announced_twice_is_judged_on_both_announcements(cast):
    import time_machine

    from cchc.dossiers import services as dossier_services

    from .dbdata import NOW

    with time_machine.travel(NOW, tick=False):
        save = dossier_services.procedure_save
        common = {"by": cast.officer, "code": "P5", "name": "Thủ tục sửa đổi", "level": "commune"}
        # on time: 5 working days before Mon 16/10 is Mon 9/10
        save(**common, announced_on=dt.date(2023, 10, 2),
             legal_basis_effective_on=dt.date(2023, 10, 16), published_on=dt.date(2023, 10, 3))  # fmt: skip
        # amended: late (5 working days before Wed 18/10 is Wed 11/10 < 16/10)
        save(**common, announced_on=dt.date(2023, 10, 16),
             legal_basis_effective_on=dt.date(2023, 10, 18), published_on=dt.date(2023, 10, 17))  # fmt: skip
    counts = selectors.IndexComputer().counts([cast.dong_tam], OCTOBER)[cast.dong_tam.pk]
    assert (counts["procedures.announced"], counts["procedures.announced_on_time"]) == (1, 0)
    assert (counts["procedures.to_publish"], counts["procedures.published_on_time"]) == (1, 1)
    # before the amendment, only the first announcement existed: on time
    september_to_mid_october = selectors.cut_at(OCTOBER, dt.date(2023, 10, 13))
    counts = selectors.IndexComputer().counts([cast.dong_tam], september_to_mid_october)
    assert counts[cast.dong_tam.pk]["procedures.announced_on_time"] == 1


def test_qd766_metrics_for_frameworks(cast, october):
    from cchc.core.metrics import known_metric, measure

    assert known_metric("qd766.2.1") and known_metric("qd766.score_100")
    values = measure(
        cast.dong_tam,
        OCTOBER.start,
        OCTOBER.end,
        ["qd766.2.1", "qd766.2.1.points", "qd766.total", "qd766.score_100", "qd766.5.2"],
    )
    assert values["qd766.2.1"] == Decimal("66.6666666667")
    assert values["qd766.2.1.points"] == Decimal("13.3333333333")
    assert round(values["qd766.score_100"], 2) == Decimal("48.61")
    # a commune without feedback: 5.2 has no data (None), never 0 or 100
    empty = measure(cast.thanh_xa, OCTOBER.start, OCTOBER.end, ["qd766.5.2", "qd766.2.1"])
    assert empty == {"qd766.5.2": None, "qd766.2.1": None}


def test_periods_not_ended_are_judged_at_today():
    from cchc.dossiers.periods import period_for

    today = dt.date(2026, 11, 22)
    period = selectors.resolve_period(code="2026-Q4", today=today)
    assert (period.start, period.end) == (dt.date(2026, 9, 15), today)
    assert period.label == "Quý IV/2026"
    assert period.as_of_text == "số liệu tính đến ngày 22/11/2026"
    assert selectors.resolve_period(today=today) == period
    past = selectors.resolve_period(code="2023", today=today)
    assert (past.start, past.end) == (period_for("year", 2023).start, period_for("year", 2023).end)
    assert selectors.current_period_code("year", today) == "2026"


def test_publication_rows_put_problems_first(cast, october):
    rows = selectors.publication_rows(cast.dong_tam, OCTOBER)
    assert [r.record.code for r in rows] == ["P2", "P1", "P4"]
    assert rows[0].problems == ["công bố muộn", "công khai muộn", "chưa đủ bộ phận tạo thành"]
    assert rows[1].announced_on_time and rows[1].published_on_time
    assert rows[2].announced_on_time is None and rows[2].complete is True


def test_the_unit_page_reads_each_figure_as_it_reads_alone(cast, october):
    # unit_page reads the period, the months and the peers together and takes the unit's
    # own index from the peers' read (issue 13): the same figures as each asked alone.
    from cchc.dossiers.periods import custom_period

    quarter = custom_period(dt.date(2023, 9, 15), dt.date(2023, 11, 14))
    for unit in (cast.dong_tam, cast.thanh_xa):
        result, trend, rank = selectors.unit_page(unit, quarter)
        alone = selectors.IndexComputer().result(unit, quarter)
        assert result.counts == alone.counts and result.indicators == alone.indicators
        months = selectors.IndexComputer().trend(unit, quarter)
        assert [(t.period, t.counts, t.total) for t in trend] == [
            (m.period, m.counts, m.total) for m in months
        ]
        assert len(trend) == 2
        ranked = selectors.rank_of(unit, quarter)
        assert rank is not None and rank.of == 2  # the two communes of the district
        assert (rank.rank, rank.of, rank.basis_score) == (
            ranked.rank,
            ranked.of,
            ranked.basis_score,
        )
    assert selectors.unit_page(cast.dong_tam, quarter)[0].counts["dossiers.received"] > 0
