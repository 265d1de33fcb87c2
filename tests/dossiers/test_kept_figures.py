"""Figures kept under the data's stamps (cchc.core.stamps, issue 13): every write that a
kept figure reads moves the stamps of its units in its own transaction, and a figure is
never served from before a write that committed. These tests turn the suite's check
(CCHC_STAMPS_VERIFY: compute again and compare) off, to see what is served."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from cchc.core import stamps
from cchc.core.services import coverage_record
from cchc.dossiers import imports, services
from cchc.dossiers.models import ArchivedYear, SwapKind
from cchc.dossiers.periods import custom_period
from cchc.dossiers.selectors import RowRead
from cchc.service_index import selectors as index
from cchc.service_index.services import feedback_record
from cchc.units.models import Unit, UnitKind
from tests.dossiers.conftest import at
from tests.dossiers.test_import import FIXTURE, seed002_catalogue

pytestmark = pytest.mark.django_db
EVERYTHING = stamps.EVERYTHING


@pytest.fixture
def served(settings):
    settings.CCHC_STAMPS_VERIFY = False


def test_counters_move_per_unit_and_for_everything(cast):
    a, b = cast.dong_tam.pk, cast.thanh_xa.pk
    before = stamps.serials([a, b])
    assert before[a] == before[b] == 0  # never touched
    stamps.touch([a])
    stamps.touch([a, a])
    after = stamps.serials([a, b])
    assert (after[a], after[b], after[EVERYTHING]) == (2, 0, before[EVERYTHING])
    assert stamps.version(after, [a, b]) != stamps.version(before, [a, b])
    assert stamps.version(after, [b]) == stamps.version(before, [b])
    stamps.touch(None)
    assert stamps.serials([b])[EVERYTHING] == before[EVERYTHING] + 1
    many = list(range(10_000, 11_200))  # more than one chunk of 500
    stamps.touch(many)
    assert set(stamps.serials(many).values()) >= {1}
    assert stamps.version(stamps.serials(many), many)[1] == len(many)


def test_a_kept_figure_is_served_until_its_units_are_touched(cast, served, settings):
    kept = stamps.Kept(size=2)
    computed: list[int] = []

    def compute(missing: list[int]) -> list[int]:
        computed.extend(missing)
        return [len(computed)] * len(missing)

    units = [cast.dong_tam.pk]
    assert kept.many([("x", units), ("y", [cast.thanh_xa.pk])], compute) == [2, 2]
    assert kept.many([("x", units)], compute) == [2] and computed == [0, 1]
    stamps.touch([cast.thanh_xa.pk])  # another unit: x is still good
    assert kept.many([("x", units)], compute) == [2] and computed == [0, 1]
    stamps.touch(units)
    assert kept.many([("x", units)], compute) == [3]
    # bounded: the least recently used goes first
    kept.many([("z", units)], compute)
    assert len(kept._items) == 2
    # the suite's check: a kept figure whose data changed without a touch is an error
    settings.CCHC_STAMPS_VERIFY = True
    with pytest.raises(stamps.StaleFigure):
        kept.many([("x", units)], compute)


def _moved(units, write) -> tuple[bool, bool]:
    """(did the units' version move, did everything's) across the write."""
    before = stamps.serials(units)
    write()
    after = stamps.serials(units)
    return (
        stamps.version(after, units)[1] != stamps.version(before, units)[1],
        after[EVERYTHING] != before[EVERYTHING],
    )


def test_every_write_a_figure_reads_moves_its_stamps(cast, procedures):
    unit = cast.dong_tam
    with time_machine.travel(dt.datetime(2025, 6, 2, 3, tzinfo=dt.UTC), tick=False):
        dossier = None

        def create():
            nonlocal dossier
            dossier = services.dossier_create(
                unit=unit, procedure=procedures["birth"], code="K-1", applicant="Lê Thị Hoa",
                channel="truc_tuyen", received_at=at(dt.date(2025, 6, 2)), by=cast.officer,
            )  # fmt: skip

        assert _moved([unit.pk], create)[0]  # the desk
        assert _moved(
            [unit.pk],
            lambda: services.dossier_update(dossier=dossier, by=cast.officer, reused_data=True),
        )[0]
        assert _moved(
            [unit.pk],
            lambda: feedback_record(
                unit=unit,
                by=cast.officer,
                received_on=dt.date(2025, 6, 2),
                channel="truc_tiep",
                content="Phản ánh thử",
                sender_name="Nguyễn Văn Bình",
            ),  # fmt: skip
        )[0]
        assert _moved(
            [unit.pk],
            lambda: coverage_record(
                unit_id=unit.pk,
                source="dossiers",
                start=dt.date(2025, 1, 1),
                end=dt.date(2025, 1, 31),
            ),  # fmt: skip
        )[0]
        for everything in (
            lambda: services.procedure_save(by=cast.administrator, code="9.9", name="Thử"),
            lambda: services.calendar_swap_set(
                date=dt.date(2025, 6, 6),
                kind=SwapKind.DAY_OFF,
                note="nghỉ bù",
                by=cast.administrator,
            ),  # fmt: skip
            lambda: Unit.objects.create(
                scheme="local",
                code="XA-MOI",
                name="Xã Mới",
                kind=UnitKind.COMMUNE,
                parent=cast.district,
            ),  # fmt: skip
            lambda: ArchivedYear.objects.create(year=2019, last_finished_on=dt.date(2020, 1, 3)),
        ):
            assert _moved([unit.pk], everything)[1]
    # the dossier import (bulk SQL, no signal): every unit of the file
    thanh_xa = seed002_catalogue(cast.district)
    assert _moved(
        [thanh_xa.pk], lambda: imports.dossiers_import(source=FIXTURE, filename="x.csv", by=None)
    )[0]


def test_the_qd766_page_and_the_statistics_after_a_desk_write(cast, procedures, served):
    """What the officer's QĐ 766 page and the statistics serve after a dossier is received
    at a peer's desk: the new counts, not the kept ones."""
    june = custom_period(dt.date(2025, 5, 15), dt.date(2025, 6, 14))
    with time_machine.travel(dt.datetime(2025, 6, 10, 3, tzinfo=dt.UTC), tick=False):
        result, _, rank = index.unit_page(cast.dong_tam, june)
        rows = RowRead([cast.dong_tam.pk, cast.thanh_xa.pk], june.start, june.end)
        assert index.unit_page(cast.dong_tam, june)[0].counts == result.counts  # kept
        services.dossier_create(
            unit=cast.thanh_xa, procedure=procedures["birth"], code="K-2",
            applicant="Trần Văn Nam", channel="truc_tuyen",
            received_at=at(dt.date(2025, 6, 9)), by=cast.officer_thanh_xa,
        )  # fmt: skip
        peers = index.ranking([cast.dong_tam, cast.thanh_xa], june)
        received = {row.unit.pk: row.result.counts["dossiers.received"] for row in peers}
        assert received[cast.thanh_xa.pk] == 1
        again = RowRead([cast.dong_tam.pk, cast.thanh_xa.pk], june.start, june.end)
        assert sum(sum(row[1:4]) for row in again.cells.values()) == 1 + sum(
            sum(row[1:4]) for row in rows.cells.values()
        )


def test_a_figure_counted_before_its_transaction_commits_is_not_kept(cast, served):
    # A transaction that moved counters and then counts a figure sees its own writes; if
    # it rolled back, the counters would go back and the figure would outlive its data.
    from django.db import transaction

    kept = stamps.Kept()
    computed: list[int] = []

    def compute(missing: list[int]) -> list[int]:
        computed.append(1)
        return [len(computed)]

    units = [cast.dong_tam.pk]
    with transaction.atomic():
        stamps.touch(units)
        assert kept.many([("x", units)], compute) == [1]
        assert kept.many([("x", units)], compute) == [2]  # not kept: counted again
        transaction.set_rollback(True)
    assert kept.many([("x", units)], compute) == [3]
    assert kept.many([("x", units)], compute) == [3]  # outside: kept
    with transaction.atomic():  # a transaction that only reads keeps what it counts
        assert kept.many([("y", units)], compute) == [4]
        assert kept.many([("y", units)], compute) == [4]
