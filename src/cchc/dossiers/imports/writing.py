"""Phase 2: the spooled rows written in the caller's transaction, set-based. The way is
chosen here (_write, _path): a first load (COPY or batched inserts), a later year's file
loaded like one, or the update path (updating.py); the shared pieces are in loading.py."""

from __future__ import annotations

from contextlib import nullcontext

import polars as pl
from django.db import connection

from cchc.dossiers import partitions, summary
from cchc.dossiers.imports.checking import Reader
from cchc.dossiers.imports.format import (
    LOADED_COLUMNS,
)
from cchc.dossiers.imports.loading import (
    BULK_ROWS,
    SQLITE_CACHE_KIB,
    _any_dossier,
    _Clock,
    _Copy,
    _indexes_rebuilt,
    _load,
    _stamps,
)
from cchc.dossiers.imports.reading import Spool
from cchc.dossiers.imports.updating import _update
from cchc.dossiers.models import (
    Dossier,
    DossierImport,
)


def _write(reader: Reader, spool: Spool, record: DossierImport) -> tuple[int, int, int, bool, int]:
    """Phase 2, inside the caller's transaction: (created, updated, unchanged, bulk,
    staged: the rows of an update that no stored content hash matched)."""
    pg = connection.vendor == "postgresql"
    table = Dossier._meta.db_table
    with connection.cursor() as cursor:
        if pg:
            # No other writer between the check below and the load (readers go on).
            cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
        path, years = _path(cursor, reader, spool)
        if path == UPDATE:
            created, updated, unchanged, staged = _update(cursor, reader, spool, record)
            return created, updated, unchanged, False, staged
        if path == YEARS:
            _load_years(cursor, reader, spool, record, years)
            return spool.rows, 0, 0, True, 0
        if not pg:
            # A bigger page cache for this connection while it loads: the indexes of a
            # million-row table do not fit SQLite's default 2 MB, and inserts thrash. Not
            # for an update: SQLite sizes every sort's memory by the page cache, and the
            # update's sorts of millions of rows would then take gigabytes.
            cursor.execute("PRAGMA cache_size")
            cache_size = cursor.fetchone()[0]
            cursor.execute(f"PRAGMA cache_size = {SQLITE_CACHE_KIB}")
        try:
            # Every row is new (the units have no dossiers yet, or none of the file's
            # codes): loaded straight into the table, and the summary gets the share the
            # reader tallied. Not the whole partitioned table's indexes rebuilt for rows
            # of some years (_path chose YEARS where that pays).
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
            bulk = spool.rows >= BULK_ROWS and spool.rows * 2 >= cursor.fetchone()[0]
            bulk = bulk and (path == FIRST or not (pg and partitions.is_partitioned(cursor)))
            constants = _stamps(record)
            with (
                _indexes_rebuilt(cursor) if bulk else nullcontext(),
                partitions.codes_written_after(cursor),
            ):
                _load(cursor, spool, table, LOADED_COLUMNS, constants, as_defaults=bulk)
            summary.apply(reader.summary_delta(spool))
            return spool.rows, 0, 0, bulk, 0
        finally:
            if not pg:
                cursor.execute(f"PRAGMA cache_size = {int(cache_size)}")


# The ways an import's rows are written (_path).
FIRST, FRESH, YEARS, UPDATE = "first", "fresh", "years", "update"


def _path(cursor, reader: Reader, spool: Spool) -> tuple[str, list[int]]:
    """How the rows go in, decided here only, by index probes (the caller holds the lock
    that keeps other writers out until the commit), and the years whose partitions are
    built again:
    FIRST: the units have no dossiers yet; every row is new, loaded as a first load.
    FRESH: the units have dossiers, but none of the file's (unit, code) (a later year's
    file): every row is new too, loaded as a first load is (no staging, no lookups).
    YEARS: FRESH, on PostgreSQL's partitioned table, big enough (BULK_ROWS), with rows for
    years whose partition holds no more rows than the file brings it (empty: a new year):
    those partitions built again beside the table and swapped in (partitions.years_rebuilt),
    the file's other rows (the end of the year before, in a reporting year from mid
    December) copied into the table as in FRESH.
    UPDATE: some of the file's dossiers may exist (_update)."""
    clock = _Clock()
    if not _any_dossier(cursor, reader.unit_ids):
        return FIRST, []
    absent = _codes_absent(cursor, spool)
    clock("path: codes probed")
    if not absent:
        return UPDATE, []
    if spool.rows < BULK_ROWS or connection.vendor != "postgresql":
        return FRESH, []
    if not partitions.is_partitioned(cursor):
        return FRESH, []
    rebuilt = []
    for year, rows in sorted(spool.rows_by_year().items()):
        if partitions.FIRST_YEAR <= year <= partitions.LAST_YEAR:
            stored = partitions.year_rows(cursor, year, rows)
            # copying the partition's rows costs no more than loading the file's
            if stored is not None and stored <= rows:
                rebuilt.append(year)
    clock("path: partitions counted")
    return (YEARS, rebuilt) if rebuilt else (FRESH, [])


# Collations that order text as the bytes of its UTF-8 (polars' order of strings).
_BYTE_ORDER = {"C", "POSIX", "C.UTF-8", "C.utf8", "ucs_basic"}


def _codes_absent(cursor, spool: Spool) -> bool:
    """Is none of the spooled rows' (unit, code) stored? Without looking up each row: the
    span of each unit's codes in the file (lowest, highest), then one index probe per unit
    for a stored code inside it, in the (unit, code) key that holds every year's codes
    (PostgreSQL partitioned: the codes table; else the dossiers' unique index). Codes
    that grow with time (the next year's file) give spans with nothing stored in them; a
    file whose codes lie between stored ones gets False, and the update path, as before.
    The spans are in byte order: a database ordering text otherwise gets False."""
    pg = connection.vendor == "postgresql"
    table = Dossier._meta.db_table
    if pg:
        cursor.execute(
            "SELECT datlocprovider = 'c' AND datcollate = ANY(%s) FROM pg_database "
            "WHERE datname = current_database()",
            [sorted(_BYTE_ORDER)],
        )
        if not cursor.fetchone()[0]:
            return False
        if partitions.is_partitioned(cursor):
            table = partitions.CODES
    spans = (
        pl.concat(
            pl.DataFrame([unit, code])
            .group_by("unit_id")
            .agg(lo=pl.col("code").min(), hi=pl.col("code").max())
            for unit, code in zip(spool.column("unit_id"), spool.column("code"), strict=True)
        )
        .group_by("unit_id")
        .agg(pl.col("lo").min(), pl.col("hi").max())
        .sort("unit_id")
    )
    rows = spans.rows()
    for start in range(0, len(rows), 500):
        chunk = rows[start : start + 500]
        values = ", ".join(["(%s, %s, %s)"] * len(chunk))
        # a subquery with LIMIT is run per unit: an index probe each, never a scan
        cursor.execute(
            f"SELECT 1 FROM (VALUES {values}) AS r WHERE (SELECT 1 FROM {table} c "
            f"WHERE c.unit_id = r.column1 AND c.code >= r.column2 AND c.code <= r.column3 "
            f"LIMIT 1) IS NOT NULL LIMIT 1",
            [value for row in chunk for value in row],
        )
        if cursor.fetchone():
            return False
    return True


def _load_years(
    cursor, reader: Reader, spool: Spool, record: DossierImport, years: list[int]
) -> None:
    """YEARS (_path): each of `years`' rows by COPY into a table beside the dossiers, then
    swapped in for that year's partition (partitions.years_rebuilt: the locks it takes);
    the file's other rows by COPY into the dossiers, their codes written after in one
    statement (partitions.codes_written_after). The summary gets the share the reader
    tallied, as in a first load."""
    clock = _Clock()
    constants = _stamps(record)
    year = pl.col("received_on").dt.year()
    with partitions.years_rebuilt(cursor, years, clock) as tables:
        for rebuilt, table in tables.items():
            with _Copy(cursor, table, LOADED_COLUMNS, constants, as_defaults=True) as copy:
                for frame in spool.frames():
                    part = frame.filter(year == rebuilt)
                    if part.height:
                        copy.write(part)
        clock("copy")
        if sum(spool.rows_by_year(exclude=years).values()):
            with (
                partitions.codes_written_after(cursor),
                _Copy(cursor, Dossier._meta.db_table, LOADED_COLUMNS, constants) as copy,
            ):
                for frame in spool.frames():
                    part = frame.filter(~year.is_in(years))
                    if part.height:
                        copy.write(part)
            clock("copy of the other years' rows")
        # before the swap: the dossiers' ACCESS EXCLUSIVE lock is then held only for it
        summary.apply(reader.summary_delta(spool))
        clock("summary")
