"""A later year's file for units that have dossiers already (issue 18): when none of its
(unit, code) is stored it is loaded the way a first load is (imports.writing._path: FRESH;
PostgreSQL's partitioned table, big enough: YEARS, the year's partition built beside the
table and swapped in), with the same dossiers, summary and history as the update path
would give; a file naming a stored code takes the update path, as before. Both databases."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection, transaction

from cchc.core.tabular import TableErrors
from cchc.dossiers import partitions, summary
from cchc.dossiers.imports import dossiers_import, running, writing
from cchc.dossiers.models import Dossier, DossierEvent, DossierImport, DossierMonthStat
from tests.dossiers.conftest import at

pytestmark = pytest.mark.django_db

PG = "postgresql"


def year_rows(year: int, count: int, prefix: str = "HS") -> list[tuple[str, str, str, str]]:
    """(unit, code, received_at, finished_at): codes growing with time, as a one-stop
    software numbers them, spread over the two communes and the year's months."""
    rows = []
    for i in range(count):
        unit = ("DONGTAM", "THANHXA")[i % 2]
        month, day = 1 + i % 12, 1 + i % 27
        finished = f"{day + 1:02d}/{month:02d}/{year} 10:00" if i % 5 else ""
        rows.append((unit, f"{prefix}{year}-{i:05d}", f"{day:02d}/{month:02d}/{year} 08:00",
                     finished))  # fmt: skip
    return rows


def csv_of(rows) -> io.BytesIO:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["code", "unit", "procedure", "channel", "received_at", "finished_at"])
    for unit, code, received, finished in rows:
        writer.writerow([code, f"local-{unit}", "1.001193", "Trực tuyến", received, finished])
    return io.BytesIO(out.getvalue().encode())


@pytest.fixture
def paths(monkeypatch) -> list[str]:
    """The paths _path chose, in order; BULK_ROWS small, so that a file of tens of rows
    counts as big (YEARS on PostgreSQL's partitioned table)."""
    monkeypatch.setattr(writing, "BULK_ROWS", 10)
    monkeypatch.setattr(running, "BULK_ROWS", 10)
    chosen: list[str] = []
    decide = writing._path
    monkeypatch.setattr(writing, "_path", lambda *a: chosen.append((path := decide(*a))[0]) or path)
    return chosen


def run(rows, name: str = "f.csv"):
    return dossiers_import(source=csv_of(rows), filename=name, by=None)


def state() -> tuple:
    """Everything an import writes but ids, import ids and times: the dossiers, the
    summary, the codes table (PostgreSQL, partitioned) and the import's counts."""
    skip = {"id", "first_import", "last_import", "created_at", "updated_at"}
    fields = [f.attname for f in Dossier._meta.concrete_fields if f.name not in skip]
    dossiers = sorted(Dossier.objects.values_list(*fields))
    cols = ["unit_id", "month", *[f.name for f in DossierMonthStat._meta.fields[3:]]]
    months = sorted(r for r in DossierMonthStat.objects.values_list(*cols) if any(r[2:]))
    last = DossierImport.objects.order_by("-pk").values_list(
        "status", "rows", "created", "updated", "unchanged", "errors"
    )[0]
    codes: list = []
    if connection.vendor == PG:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.unit_id, c.code, c.received_on, d.id = c.dossier_id "
                "FROM dossiers_dossiercode c LEFT JOIN dossiers_dossier d "
                "ON d.unit_id = c.unit_id AND d.code = c.code ORDER BY 1, 2"
            )
            codes = cursor.fetchall()
    return dossiers, months, last, codes


class _Undo(Exception):
    pass


def state_through(path: str | None, rows) -> tuple:
    """The state after importing `rows` (through `path` if given), then undone."""
    result = None
    try:
        with transaction.atomic():
            if path is not None:
                forced = path
                original = writing._path
                writing._path = lambda *a: (forced, [])
            try:
                result = run(rows, "2023.csv")
            finally:
                if path is not None:
                    writing._path = original
            after = state()
            raise _Undo
    except _Undo:
        pass
    assert result is not None
    return after


def test_a_later_year_file_takes_the_first_load_way_with_the_update_path_s_result(
    cast, procedures, paths
):
    run(year_rows(2022, 40), "2022.csv")
    assert paths in ([writing.FIRST], [])  # PostgreSQL: streamed, another function
    # a reporting year from mid December: a few rows for the 2022 partition (bigger than
    # them: its rows go in through the table) and the rest for 2023 (built again)
    later = year_rows(2023, 27) + [
        (unit, code, f"{17 + i}/12/2022 08:00", "")
        for i, (unit, code, *_) in enumerate(year_rows(2023, 3, prefix="HT"))
    ]
    by_update = state_through(writing.UPDATE, later)
    paths.clear()
    result = run(later, "2023.csv")
    pg_partitioned = connection.vendor == PG
    assert paths == [writing.YEARS if pg_partitioned else writing.FRESH]
    assert (result.created, result.updated, result.unchanged) == (30, 0, 0)
    assert state() == by_update
    before = state()[1]
    summary.rebuild()
    assert state()[1] == before  # the summary exact
    # sent again: every row unchanged, through the update path
    paths.clear()
    again = run(later, "2023.csv")
    assert paths == [writing.UPDATE]
    assert (again.created, again.updated, again.unchanged) == (0, 0, 30)
    if pg_partitioned:
        with connection.cursor() as cursor:
            rows = {p.year: p.rows for p in partitions.partitions(cursor)}
            assert rows[2022] == 43 and rows[2023] == 27 and rows[None] == 0
            # the swapped-in partition is like the others: its indexes named after the
            # parent's, every parent index valid, no loading table left
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'dossiers_dossier_2023'"
            )
            names = {row[0] for row in cursor.fetchall()}
            assert {"dossier_unit_code_unique_2023", "dossier_unit_received_2023",
                    "dossier_content_hash_2023", "dossiers_dossier_2023_pkey"} <= names  # fmt: skip
            cursor.execute(
                "SELECT bool_and(indisvalid) FROM pg_index WHERE indrelid = %s::regclass",
                [partitions.TABLE],
            )
            assert cursor.fetchone()[0]
            cursor.execute("SELECT to_regclass('dossiers_dossier_2023_load')")
            assert cursor.fetchone()[0] is None


def test_a_file_naming_a_stored_code_takes_the_update_path_as_before(cast, procedures, paths):
    run(year_rows(2022, 40), "2022.csv")
    # a code of 2022 sent again with its finishing corrected, among new codes of 2023:
    # that dossier is the same dossier, updated, the others created
    moved = year_rows(2022, 40)[6]
    mixed = [*year_rows(2023, 20), (moved[0], moved[1], moved[2], "20/07/2022 10:00")]
    by_update = state_through(writing.UPDATE, mixed)
    paths.clear()
    result = run(mixed, "2023.csv")
    assert paths == [writing.UPDATE]
    assert (result.created, result.updated, result.unchanged) == (20, 1, 0)
    assert state() == by_update
    assert Dossier.objects.get(code=moved[1]).finished_on == dt.date(2022, 7, 20)


def test_a_new_code_between_stored_ones_takes_the_update_path(cast, procedures, paths):
    """The check looks at each unit's span of codes in the file: a new code inside the
    span of stored ones cannot be told new without looking it up, so the update path."""
    run(year_rows(2022, 40), "2022.csv")
    paths.clear()
    late = [("THANHXA", f"HS2022-000{i}b", "05/05/2023 08:00", "") for i in (13, 21)]
    result = run(late, "late.csv")  # HS2022-00015, -17, -19 stored between them
    assert paths == [writing.UPDATE] and result.created == 2
    # alone, a code's span is itself: found not stored, loaded as new
    paths.clear()
    result = run([("THANHXA", "HS2022-00003b", "05/05/2023 08:00", "")], "late2.csv")
    assert paths == [writing.FRESH] and result.created == 1


def test_a_code_twice_in_a_year_file_is_refused_and_nothing_changes(cast, procedures, paths):
    run(year_rows(2022, 40), "2022.csv")
    before = state()[:2]
    rows = year_rows(2023, 30)
    rows.append(rows[4])
    with pytest.raises(TableErrors) as error:
        run(rows, "2023.csv")
    assert "dòng 32" in str(error.value) and "HS2023-00004' của đơn vị này đã có ở dòng 6" in str(
        error.value
    )
    assert state()[:2] == before
    assert DossierImport.objects.order_by("-pk")[0].status == "failed"


def test_a_year_partition_with_a_few_dossiers_is_rebuilt_with_them(cast, procedures, paths):
    """PostgreSQL: the 2023 partition holds a dossier entered at the desk (and its event);
    a 2023 file ten times bigger is loaded beside it with that dossier copied in: the
    dossier, its id, its code and its event stay. A failure before the swap leaves the
    partition as it was."""
    if connection.vendor != PG:
        pytest.skip("partitions are PostgreSQL's")
    from cchc.dossiers import services

    run(year_rows(2022, 40), "2022.csv")
    desk = services.dossier_create(
        unit=cast.thanh_xa, procedure=procedures["birth"], code="QUAY-1", applicant="Người nộp",
        channel="truc_tiep", received_at=at("2023-03-03"), by=cast.officer,
    )  # fmt: skip
    DossierEvent.objects.create(dossier=desk, kind="note", at=at("2023-03-03"), reason="x")
    events = desk.events.count()
    before = state()
    monkey = pytest.MonkeyPatch()
    monkey.setattr(summary, "apply", lambda delta: (_ for _ in ()).throw(RuntimeError("x")))
    with pytest.raises(RuntimeError):
        run(year_rows(2023, 30), "2023.csv")
    monkey.undo()
    assert state()[:2] == before[:2] and state()[3] == before[3]
    paths.clear()
    run(year_rows(2023, 30), "2023.csv")
    assert paths == [writing.YEARS]
    kept = Dossier.objects.get(pk=desk.pk)
    assert kept.code == "QUAY-1" and kept.events.count() == events
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the events' key checked now
        cursor.execute("SELECT COUNT(*) FROM dossiers_dossier_2023")
        assert cursor.fetchone()[0] == 31
    codes = state()[3]
    assert len(codes) == 71 and all(same for *_, same in codes)
    # the codes table still refuses a second QUAY-1, in any year
    twin = Dossier.objects.get(pk=desk.pk)
    twin.pk, twin.received_at = None, at("2022-06-01")
    with pytest.raises(Exception, match="duplicate|unique"), transaction.atomic():
        twin.save()
