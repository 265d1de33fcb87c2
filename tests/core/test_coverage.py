"""What data the system holds (issue 14): the plain rules, the recorded runs, the backfill
and the hooks that record entries."""

from __future__ import annotations

import datetime as dt

import pytest

from cchc.core import coverage as C
from cchc.core.coverage import Span, comparable, comparison_flag, coverage_of, merge
from cchc.core.models import DataCoverage
from cchc.core.selectors import coverage_by_unit, data_coverage
from cchc.core.services import coverage_rebuild, coverage_record

D = dt.date


def test_full_partial_and_none():
    full = coverage_of([Span(D(2025, 1, 1), D(2026, 12, 31))], D(2025, 12, 15), D(2026, 12, 14))
    assert full.state == "full" and full.note() == ""
    part = coverage_of([Span(D(2025, 11, 21), D(2026, 12, 6))], D(2024, 12, 15), D(2025, 12, 14))
    assert part.state == "partial"
    assert part.note() == "số liệu từ 21/11/2025"
    none = coverage_of([], D(2024, 12, 15), D(2025, 12, 14))
    assert none.state == "none" and none.note() == "chưa có số liệu"
    ends = coverage_of([Span(D(2025, 1, 1), D(2026, 12, 6))], D(2026, 9, 15), D(2026, 12, 14))
    assert ends.note() == "số liệu đến 06/12/2026"


def test_merge_joins_adjacent_runs_only_within_the_gap():
    runs = [Span(D(2025, 1, 1), D(2025, 1, 31)), Span(D(2025, 2, 1), D(2025, 2, 10))]
    assert merge(runs) == [Span(D(2025, 1, 1), D(2025, 2, 10))]
    apart = [Span(D(2025, 1, 1), D(2025, 1, 31)), Span(D(2025, 3, 1), D(2025, 3, 10))]
    assert len(merge(apart, gap_days=10)) == 2


def test_unequal_coverage_is_flagged_not_compared():
    # The 2026 annual report compared 1.218 dossiers with 89 where 2025 held three weeks.
    runs = [Span(D(2025, 11, 21), D(2026, 12, 6))]
    now = coverage_of(runs, D(2025, 12, 15), D(2026, 12, 6))
    then = coverage_of(runs, D(2024, 12, 15), D(2025, 12, 14))
    assert not comparable(now, then)
    flag = comparison_flag(now, then, then_label="năm 2025")
    assert "không so sánh được" in flag and "21/11/2025" in flag


@pytest.mark.django_db
def test_record_merges_runs_and_lookup_reads_them(cast):
    unit = cast.dong_tam
    coverage_record(unit_id=unit.pk, source=C.DOSSIERS, start=D(2025, 11, 21), end=D(2025, 12, 31))
    coverage_record(unit_id=unit.pk, source=C.DOSSIERS, start=D(2026, 1, 3), end=D(2026, 3, 1))
    assert DataCoverage.objects.filter(unit=unit, source=C.DOSSIERS).count() == 1
    cov = data_coverage(unit, C.DOSSIERS, D(2024, 12, 15), D(2025, 12, 14))
    assert cov.state == "partial" and cov.first == D(2025, 11, 21)
    assert data_coverage(unit, C.FEEDBACK, D(2025, 1, 1), D(2025, 2, 1)).state == "none"
    area = data_coverage(cast.district, C.DOSSIERS, D(2026, 1, 3), D(2026, 3, 1), descendants=True)
    assert area.state == "full"
    by_unit = coverage_by_unit(
        [cast.dong_tam, cast.thanh_xa], C.DOSSIERS, D(2026, 1, 3), D(2026, 3, 1)
    )
    assert by_unit[cast.dong_tam.pk].state == "full"
    assert by_unit[cast.thanh_xa.pk].state == "none"


@pytest.mark.django_db
def test_entries_record_coverage_and_rebuild_derives_it(cast):
    from cchc.plans.models import StaffingYear

    StaffingYear.objects.create(unit=cast.dong_tam, year=2026, positions_allotted=20)
    cov = data_coverage(cast.dong_tam, C.STAFFING, D(2025, 12, 15), D(2026, 12, 14))
    assert cov.state == "full"
    assert data_coverage(cast.dong_tam, C.STAFFING, D(2024, 12, 15), D(2025, 12, 14)).note() == (
        "chưa có số liệu"
    )
    DataCoverage.objects.all().delete()
    assert coverage_rebuild() == 1
    assert data_coverage(cast.dong_tam, C.STAFFING, D(2025, 12, 15), D(2026, 12, 14)).has_data


@pytest.mark.django_db
def test_a_dossier_import_records_its_dates(cast):
    import time_machine

    from cchc.dossiers import imports as I
    from tests.dossiers.test_import import FIXTURE, FROZEN, seed002_catalogue

    with time_machine.travel(FROZEN, tick=False):
        unit = seed002_catalogue(cast.district)
        DataCoverage.objects.all().delete()
        I.dossiers_import(source=FIXTURE, filename=FIXTURE.name, by=cast.administrator)
    row = DataCoverage.objects.get(unit=unit, source=C.DOSSIERS)
    assert "seed002_dossiers.csv" in row.origin
    first, last = row.start, row.end
    from cchc.dossiers.models import Dossier

    assert Dossier.objects.filter(unit=unit, received_on__lt=first).count() == 0
    assert Dossier.objects.filter(unit=unit, received_on__gt=last).count() == 0
