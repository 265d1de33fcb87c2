"""Monthly updates (issue 18): a re-import finds its unchanged rows by their content hash
and leaves them unread and unwritten; the changed ones are updated, and only they; the
summary stays exact and the import record counts them."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.db import connection

from cchc.dossiers import imports, services
from cchc.dossiers.imports.backfill import backfill_content_hashes
from cchc.dossiers.models import Dossier, DossierImport
from cchc.dossiers.summary import rebuild
from tests.dossiers.test_import import FIXTURE, FROZEN, seed002_catalogue, summary_rows

pytestmark = pytest.mark.django_db


def _rows() -> tuple[list[str], list[dict]]:
    with open(FIXTURE, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _file(header: list[str], rows: list[dict]) -> io.BytesIO:
    out = io.StringIO()
    writer = csv.DictWriter(out, header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return io.BytesIO(out.getvalue().encode())


def _import(source, name: str = "export.csv"):
    return imports.dossiers_import(source=source, filename=name, by=None)


def _stamps() -> list[tuple]:
    return list(
        Dossier.objects.order_by("pk").values_list(
            "pk", "updated_at", "last_import", "content_hash"
        )
    )


def _row_versions() -> list[tuple]:
    """PostgreSQL: each row's version (xmin changes with any write, even of equal values)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, xmin::text FROM {Dossier._meta.db_table} ORDER BY id")
        return cursor.fetchall()


def _exact_summary() -> None:
    kept = summary_rows()
    rebuild()
    assert summary_rows() == kept


def _indexes_agree() -> None:
    """SQLite: every index holds exactly the table's rows (the update leaves the indexes
    whose columns do not change alone: updating._update_in_place). PostgreSQL: the
    index scans of the (unit, received_on) and open-due indexes find what a scan finds."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA integrity_check")
            assert cursor.fetchall() == [("ok",)]
        return
    by_index = sorted(Dossier.objects.filter(finished_at__isnull=True).values_list("pk", "due_on"))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        by_scan = sorted(
            Dossier.objects.filter(finished_at__isnull=True).values_list("pk", "due_on")
        )
        cursor.execute("SET LOCAL enable_indexscan = on")
        cursor.execute("SET LOCAL enable_bitmapscan = on")
    assert by_index == by_scan


@time_machine.travel(FROZEN, tick=False)
def test_unchanged_reimport_stages_no_row_and_writes_none(cast):
    seed002_catalogue(cast.district)
    first = _import(FIXTURE, FIXTURE.name)
    assert first.created == 1277
    assert Dossier.objects.filter(content_hash__isnull=True).count() == 0
    before, stamps = summary_rows(), _stamps()
    versions = _row_versions() if connection.vendor == "postgresql" else None
    again = _import(FIXTURE, FIXTURE.name)
    assert (again.created, again.updated, again.unchanged, again.staged) == (0, 0, 1277, 0)
    assert _stamps() == stamps and summary_rows() == before
    if versions is not None:
        assert _row_versions() == versions  # not one dossier was written
    record = DossierImport.objects.get(pk=again.import_id)
    assert (record.rows, record.created, record.updated, record.unchanged) == (1277, 0, 0, 1277)


@time_machine.travel(FROZEN, tick=False)
def test_monthly_export_with_a_tenth_changed_updates_exactly_those(cast):
    seed002_catalogue(cast.district)
    header, rows = _rows()
    first = _import(FIXTURE, FIXTURE.name)
    stamps = {pk: rest for pk, *rest in _stamps()}
    # this month's export: 400 of the dossiers, one in ten changed (the channel, which
    # moves a count of the summary; a few finish later), the rest as they were
    month = [dict(row) for row in rows[100:500]]
    changed = set()
    for i, row in enumerate(month):
        if i % 10 == 0:
            row["channel"] = "truc_tiep" if row["channel"] != "truc_tiep" else "truc_tuyen"
            changed.add(row["code"])
    unfinished = [row for row in month if not row["finished_at"] and row["code"] not in changed]
    for row in unfinished[:3]:
        row["finished_at"] = "2023-12-28 10:00"
        changed.add(row["code"])
    result = _import(_file(header, month))
    assert (result.created, result.updated, result.unchanged) == (
        0,
        len(changed),
        400 - len(changed),
    )
    assert result.staged == len(changed)
    record = DossierImport.objects.get(pk=result.import_id)
    assert (record.updated, record.unchanged) == (len(changed), 400 - len(changed))
    for pk, code, last_import, updated_at, content_hash in Dossier.objects.values_list(
        "pk", "code", "last_import", "updated_at", "content_hash"
    ):
        if code in changed:  # the import's own record: which export changed it
            assert last_import == result.import_id != first.import_id
            assert content_hash != stamps[pk][2]
        else:
            assert [updated_at, last_import, content_hash] == stamps[pk]
    assert Dossier.objects.filter(code__in=changed, channel="truc_tiep").exists()
    _indexes_agree()
    _exact_summary()
    # the same export again: nothing staged, nothing written
    again = _import(_file(header, month))
    assert (again.updated, again.unchanged, again.staged) == (0, 400, 0)


@time_machine.travel(FROZEN, tick=False)
def test_a_small_export_looks_its_hashes_up_in_the_index(cast):
    """A file under a quarter of the table does not read every stored hash: its own are
    probed in the content-hash index (updating._probe_hashes). Same counts, same summary."""
    seed002_catalogue(cast.district)
    header, rows = _rows()
    _import(FIXTURE, FIXTURE.name)
    month = [dict(row) for row in rows[600:880]]  # 280 * 4 < 1,277: the index is probed
    for row in month[::7]:
        row["channel"] = "truc_tiep" if row["channel"] != "truc_tiep" else "truc_tuyen"
    new = [dict(row, code=f"{row['code']}-M") for row in rows[:20]]
    stamps = {pk: rest for pk, *rest in _stamps()}
    for i in (3, 23, 45):  # received a day earlier: an indexed column changes
        day = dt.date.fromisoformat(month[i]["received_at"][:10]) - dt.timedelta(days=1)
        month[i]["received_at"] = f"{day.isoformat()} 07:05"
    result = _import(_file(header, month + new))
    assert (result.created, result.updated, result.unchanged, result.staged) == (20, 43, 237, 63)
    for i in (3, 23, 45):
        moved = Dossier.objects.get(code=month[i]["code"])
        assert moved.received_on.isoformat() == month[i]["received_at"][:10]
        assert Dossier.objects.filter(unit=moved.unit, received_on=moved.received_on).contains(
            moved
        )
    _indexes_agree()
    kept = {pk: rest for pk, *rest in _stamps() if pk in stamps}
    assert sum(kept[pk] != stamps[pk] for pk in stamps) == 43
    _exact_summary()
    again = _import(_file(header, month + new))
    assert (again.created, again.updated, again.unchanged, again.staged) == (0, 0, 300, 0)


@time_machine.travel(FROZEN, tick=False)
def test_each_hash_is_found_in_its_year_s_partition_and_in_the_default_one(cast):
    """PostgreSQL probes each hash in the partition of its row's received year only
    (updating._probe_partitions), the default partition for a year without one of its
    own; the old rows are read through the codes table. Rows of 2022, 2023 and of 1985 (no
    partition is made for it: the default one) are all found unchanged, the changed
    ones of each year updated, the summary exact. SQLite: the same counts."""
    seed002_catalogue(cast.district)
    header, rows = _rows()
    for row in rows[:6]:  # received in 1985, the rest of the row as it was
        row["received_at"] = "1985" + row["received_at"][4:]
    _import(_file(header, rows))
    old = Dossier.objects.filter(received_on__year=1985)
    assert old.count() == 6
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT DISTINCT tableoid::regclass::text FROM dossiers_dossier "
                           "WHERE received_on < '1990-01-01'")  # fmt: skip
            assert cursor.fetchall() == [("dossiers_dossier_default",)]
    month = [dict(row) for row in rows[:300]]  # 300 * 4 < 1,277: the index is probed
    changed = {0, 3, 50, 250}  # two of 1985, one of 2022, one of 2023
    assert {month[i]["received_at"][:4] for i in changed} == {"1985", "2022", "2023"}
    for i in changed:
        row = month[i]
        row["channel"] = "truc_tiep" if row["channel"] != "truc_tiep" else "truc_tuyen"
    result = _import(_file(header, month))
    assert (result.created, result.updated, result.unchanged, result.staged) == (0, 4, 296, 4)
    assert old.filter(last_import_id=result.import_id).count() == 2
    _exact_summary()
    again = _import(_file(header, month))
    assert (again.updated, again.unchanged, again.staged) == (0, 300, 0)


@time_machine.travel(FROZEN, tick=False)
def test_a_big_first_load_leaves_statistics_for_the_planner(cast):
    """PostgreSQL: the big first load analyses the dossier table; without statistics the
    next update's lookups were planned as scans of the whole table."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's planner statistics")
    from cchc.dossiers.imports import loading

    seed002_catalogue(cast.district)
    _import(FIXTURE, FIXTURE.name)  # too small for the bulk path: no statistics from it
    with connection.cursor() as cursor, loading._indexes_rebuilt(cursor):
        pass  # what a big first load does around its COPY
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stats WHERE tablename = %s AND attname = 'content_hash'",
            [Dossier._meta.db_table],
        )
        assert cursor.fetchone()[0] == 1


@time_machine.travel(FROZEN, tick=False)
def test_a_desk_change_is_compared_in_full_and_the_file_wins(cast):
    seed002_catalogue(cast.district)
    _import(FIXTURE, FIXTURE.name)
    dossier = Dossier.objects.get(code="H33.12.00001")
    services.dossier_update(dossier=dossier, by=cast.administrator, intake_digitized="partial")
    assert Dossier.objects.get(pk=dossier.pk).content_hash is None
    other = Dossier.objects.get(code="H33.12.00002")
    # a column the file does not have: kept by the import
    services.dossier_update(dossier=other, by=cast.administrator, applicant="Nguyễn Văn A")
    result = _import(FIXTURE, FIXTURE.name)
    assert (result.updated, result.unchanged, result.staged) == (1, 1276, 2)
    dossier.refresh_from_db()
    other.refresh_from_db()
    assert dossier.intake_digitized == "full" and dossier.last_import_id == result.import_id
    # equal in every column the file says: unchanged, its hash brought up to date only
    assert other.applicant == "Nguyễn Văn A" and other.last_import_id != result.import_id
    assert other.content_hash is not None
    _exact_summary()
    assert _import(FIXTURE, FIXTURE.name).staged == 0


@time_machine.travel(FROZEN, tick=False)
def test_hashes_of_another_version_cost_a_comparison_not_a_wrong_count(cast):
    """Hashes that no longer match (another polars version hashes differently): every row
    is compared column by column, none counted as updated, the hashes are renewed."""
    seed002_catalogue(cast.district)
    _import(FIXTURE, FIXTURE.name)
    stamps = {pk: rest[:2] for pk, *rest in _stamps()}
    Dossier.objects.update(content_hash=1)
    result = _import(FIXTURE, FIXTURE.name)
    assert (result.created, result.updated, result.unchanged, result.staged) == (
        0, 0, 1277, 1277)  # fmt: skip
    assert {pk: rest[:2] for pk, *rest in _stamps()} == stamps
    assert _import(FIXTURE, FIXTURE.name).staged == 0


@time_machine.travel(FROZEN, tick=False)
def test_backfill_gives_existing_dossiers_the_hash_of_a_full_export(cast):
    """The migration's backfill computes, from the stored columns, the hash an import of an
    export with every column gives (format.content_hashes, the one definition)."""
    seed002_catalogue(cast.district)
    header, rows = _rows()
    extra = [c for c in imports.COLUMNS if c not in header]
    full = [
        dict(row, status="resolved" if row["finished_at"] else "processing", applicant="",
             intake_digitized=row["intake_digitized"], supplement_count="0", late_by_rule="0",
             rating="", result_electronic="0", reused_data="0", e_certified_copy="0",
             data_store_linked="0", synced="0", complaint="0")
        for row in rows
    ]  # fmt: skip
    _import(_file(header + extra, full))
    imported = dict(Dossier.objects.values_list("pk", "content_hash"))
    Dossier.objects.update(content_hash=None)
    assert backfill_content_hashes(Dossier, connection) == 1277
    assert dict(Dossier.objects.values_list("pk", "content_hash")) == imported
    result = _import(_file(header + extra, full))
    assert (result.unchanged, result.staged) == (1277, 0)


def test_the_hash_is_one_definition_over_values_and_columns_present():
    import datetime as dt

    import polars as pl

    from cchc.dossiers.imports.format import DOSSIER_COLUMNS, ROW_SCHEMA, content_hashes

    values = {
        "unit_id": 1, "code": "A", "procedure_id": 2, "applicant": "", "channel": "truc_tiep",
        "received_at": dt.datetime(2025, 1, 2, 1, tzinfo=dt.UTC), "received_on": dt.date(2025, 1, 2),
        "due_on": None, "status": "processing", "finished_at": None, "finished_on": None,
        "intake_digitized": "none", "rating": None, "supplement_count": 0,
        "late_by_rule": False, "fee": None,
    }  # fmt: skip
    schema = {c: ROW_SCHEMA[c] for c in DOSSIER_COLUMNS}
    frame = pl.DataFrame(
        [{**{c: False for c in DOSSIER_COLUMNS}, **values}], schema=schema, orient="row"
    )
    base = content_hashes(frame, ["code"]).item()
    assert content_hashes(frame, ["code"]).item() == base  # deterministic
    assert content_hashes(frame, ["code", "applicant"]).item() != base  # columns present
    assert content_hashes(frame.with_columns(code=pl.lit("B")), ["code"]).item() != base
    assert content_hashes(frame.with_columns(unit_id=pl.lit(9, pl.Int64)), ["code"]).item() != base


@time_machine.travel(FROZEN, tick=False)
def test_the_summary_reads_the_staged_rows_in_chunks_and_stays_exact(cast, monkeypatch):
    """PostgreSQL reads the staged and old rows' facts as CSV text, FACT_CHUNK rows to a
    value (updating._facts): chunks of 7 rows, a remainder, and the summary still exact."""
    from cchc.dossiers.imports import updating

    monkeypatch.setattr(updating, "FACT_CHUNK", 7)
    seed002_catalogue(cast.district)
    header, rows = _rows()
    _import(FIXTURE, FIXTURE.name)
    month = [dict(row) for row in rows[:60]]
    for row in month[::3]:  # 20 changed: two chunks of 7 and one of 6, both tables
        row["channel"] = "truc_tiep" if row["channel"] != "truc_tiep" else "truc_tuyen"
    result = _import(_file(header, month))
    assert (result.created, result.updated, result.unchanged) == (0, 20, 40)
    _exact_summary()
