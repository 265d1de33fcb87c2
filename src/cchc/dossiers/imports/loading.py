"""What both ways of writing the spooled rows use: the staging table's types, COPY and
batched inserts, the indexes dropped and built again around a big load, the temporary
tables (writing.py chooses the way; updating.py is the update path)."""

from __future__ import annotations

import logging
import operator
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import reduce
from typing import Protocol

import polars as pl
from django.db import IntegrityError, connection
from django.db.models import CheckConstraint
from django.utils import timezone

from cchc.dossiers import partitions
from cchc.dossiers.imports.format import (
    STAGE_COLUMNS,
)
from cchc.dossiers.models import (
    Dossier,
    DossierImport,
)

_STAGE_TYPES: dict[str, str] = {
    "row_no": "integer",
    "unit_id": "bigint",
    "code": "varchar(64)",
    "procedure_id": "bigint",
    "applicant": "varchar(300)",
    "channel": "varchar(12)",
    "received_at": "timestamp with time zone",
    "received_on": "date",
    "due_on": "date",
    "status": "varchar(24)",
    "finished_at": "timestamp with time zone",
    "finished_on": "date",
    "intake_digitized": "varchar(8)",
    "rating": "varchar(16)",
    "supplement_count": "smallint",
    "fee": "bigint",
    "m_received": "integer",
    "m_finished": "integer",
    "m_due_passed": "integer",
    "content_hash": "bigint",
}  # the others boolean

# A first import of at least this many rows, into a table not twice its size, drops the
# table's secondary indexes (PostgreSQL: and its unique and foreign-key constraints) and
# builds them again after the load: one sort instead of millions of index insertions.
BULK_ROWS = 100_000
SQLITE_CACHE_KIB = -262_144  # 256 MB (negative: KiB)
SQLITE_BATCH = 50_000

# Per-phase times of an update, at DEBUG (benchmarks/monthly.py --phases shows them).
log = logging.getLogger(__name__)


class _Clock:
    """`clock("phase")` logs the time since the previous call (or since it was made), and
    this process's CPU time in it: on a loaded machine the wall time is several times the
    work, the CPU time is not (on SQLite it is all of the work; on PostgreSQL the server's
    is not in it)."""

    def __init__(self) -> None:
        self.last, self.cpu = time.perf_counter(), time.process_time()

    def __call__(self, name: str) -> None:
        now, cpu = time.perf_counter(), time.process_time()
        log.debug("%s %.3f s (cpu %.3f s)", name, now - self.last, cpu - self.cpu)
        self.last, self.cpu = now, cpu


# -- writing --------------------------------------------------------------------------------


def _sql_rows(frame: pl.DataFrame, columns: Sequence[str]) -> Iterator[tuple]:
    """Rows for SQLite: date-times as Django stores them (UTC text), dates as ISO text,
    booleans as 0/1."""
    exprs = []
    for name in columns:
        dtype = frame.schema[name]
        if isinstance(dtype, pl.Datetime):
            exprs.append(pl.col(name).dt.strftime("%Y-%m-%d %H:%M:%S"))
        elif dtype == pl.Date:
            exprs.append(pl.col(name).cast(pl.String))
        elif dtype == pl.Boolean:
            exprs.append(pl.col(name).cast(pl.Int8))
        else:
            exprs.append(pl.col(name))
    return frame.select(exprs).iter_rows()


def _copy_csv(frame: pl.DataFrame) -> bytes:
    """Rows for PostgreSQL's COPY … (FORMAT csv, NULL '\\N'); booleans as 0/1 (shorter)."""
    flags = [name for name, dtype in frame.schema.items() if dtype == pl.Boolean]
    return (
        frame.with_columns(pl.col(flags).cast(pl.Int8))
        .write_csv(include_header=False, null_value="\\N", datetime_format="%Y-%m-%d %H:%M:%S%z")
        .encode()
    )


class Frames(Protocol):
    """What _load reads: a spool, or the changed rows of one (updating._Changed)."""

    def frames(self) -> Iterator[pl.DataFrame]: ...


def _load(cursor, spool: Frames, table: str, columns: Sequence[str],
          constants: dict[str, str] | None = None, as_defaults: bool = False) -> None:  # fmt: skip
    """Write the spooled rows' `columns` into `table` (COPY on PostgreSQL, executemany on
    SQLite), with the same `constants` in the other columns of every row."""
    constants = constants or {}
    if connection.vendor == "postgresql":
        with _Copy(cursor, table, columns, constants, as_defaults) as copy:
            for frame in spool.frames():
                copy.write(frame)
        return
    names = ", ".join([*columns, *constants])
    marks = ", ".join(["?"] * len(columns) + [f"'{v}'" for v in constants.values()])
    sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"
    for frame in spool.frames():
        for start in range(0, frame.height, SQLITE_BATCH):
            cursor.cursor.executemany(sql, _sql_rows(frame.slice(start, SQLITE_BATCH), columns))


class _Copy:
    """Rows into a PostgreSQL table by COPY, sent by psycopg's queued writer from a thread:
    the server parses one batch while this process prepares the next (the queue holds at
    most 1,024 buffers of 128 kB). `constants` are added to every row; with `as_defaults`
    (the caller holds the table's ACCESS EXCLUSIVE lock) they become the columns' defaults
    for the load instead, which the server does not parse per row."""

    def __init__(self, cursor, table: str, columns: Sequence[str], constants: dict[str, str],
                 as_defaults: bool = False) -> None:  # fmt: skip
        from psycopg.copy import QueuedLibpqWriter

        self.cursor, self.table, self.columns = cursor, table, columns
        self.defaults = list(constants) if as_defaults else []
        for name, value in constants.items() if as_defaults else ():
            cursor.execute(f"ALTER TABLE {table} ALTER COLUMN {name} SET DEFAULT '{value}'")
        constants = {} if as_defaults else constants
        self.constants = [pl.lit(value).alias(name) for name, value in constants.items()]
        names = ", ".join([*columns, *constants])
        self.block = cursor.cursor.copy(
            f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv, NULL '\\N')",
            writer=QueuedLibpqWriter(cursor.cursor),
        )

    def __enter__(self) -> _Copy:
        self.copy = self.block.__enter__()
        return self

    def write(self, frame: pl.DataFrame) -> None:
        self.copy.write(_copy_csv(frame.select(self.columns).with_columns(self.constants)))

    def __exit__(self, kind, error, trace) -> None:
        self.block.__exit__(kind, error, trace)
        if kind is None:
            for name in self.defaults:
                self.cursor.execute(f"ALTER TABLE {self.table} ALTER COLUMN {name} DROP DEFAULT")


def _create_stage(cursor, name: str = "dossier_stage") -> None:
    _drop_temp(cursor)
    if connection.vendor == "postgresql":
        columns = ", ".join(f"{c} {_STAGE_TYPES.get(c, 'boolean')}" for c in STAGE_COLUMNS)
        cursor.execute(f"CREATE TEMP TABLE {name} ({columns}) ON COMMIT DROP")
    else:
        # column types without NUMERIC affinity: no conversion attempt per value
        types = {"bigint": "INTEGER", "integer": "INTEGER", "smallint": "INTEGER",
                 "boolean": "INTEGER"}  # fmt: skip
        columns = ", ".join(
            f"{c} {types.get(_STAGE_TYPES.get(c, 'boolean'), 'TEXT')}" for c in STAGE_COLUMNS
        )
        cursor.execute(f"CREATE TEMP TABLE {name} ({columns})")


def _drop_temp(cursor) -> None:
    # Dropped explicitly too: inside an outer transaction (tests) ON COMMIT comes late.
    for name in ("dossier_stage", "dossier_old", "dossier_hashes"):
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{name}")
        else:
            cursor.execute(f"DROP TABLE IF EXISTS temp.{name}")


def _any_dossier(cursor, unit_ids: Sequence[int]) -> bool:
    """Has any of these units a dossier already? (An index probe per unit.)"""
    table = Dossier._meta.db_table
    ids = sorted(unit_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join(["%s"] * len(chunk))
        cursor.execute(f"SELECT 1 FROM {table} WHERE unit_id IN ({marks}) LIMIT 1", chunk)
        if cursor.fetchone():
            return True
    return False


@contextmanager
def _indexes_rebuilt(cursor) -> Iterator[None]:
    """Drop the dossier table's indexes but its primary key (the unique (unit, code) one
    included; PostgreSQL: and its foreign keys) for the body, then build them again, each in
    one sort; the foreign keys are checked again by one join each. Inside the caller's transaction: PostgreSQL holds
    the table's ACCESS EXCLUSIVE lock until the commit (readers of dossiers wait); SQLite's
    writer lock is held anyway. An error on rebuilding (a duplicate) rolls everything back."""
    table = Dossier._meta.db_table
    if connection.vendor == "postgresql":
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype IN ('u', 'f') ORDER BY contype DESC",
            [table],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index i "
            "WHERE indrelid = %s::regclass AND NOT indisprimary AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
            [table],
        )
        indexes = cursor.fetchall()
        partitioned = partitions.is_partitioned(cursor)
        if partitioned:
            indexes += partitions.own_indexes(cursor)
        # ALTER TABLE refuses to run while deferred foreign-key checks are pending in the
        # transaction (an outer one: tests, a command): run them now, defer again after.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for name, _ in constraints:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
        yield
        for name, definition in indexes:
            if partitioned:  # each partition's index named after the parent's
                partitions.build_index(cursor, name, definition)
            else:
                cursor.execute(definition)
        for name, definition in reversed(constraints):  # unique first, then foreign keys
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        _analyze(cursor)
        return
    # SQLite: every index, the unique (unit, code) one included (models.Dossier).
    cursor.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
        "AND sql IS NOT NULL",
        [table],
    )
    indexes = cursor.fetchall()
    for name, _ in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    # SQLite's CHECK constraints cost more per row than the insert itself; every row was
    # checked by the reader, and the table's checks are verified below in one scan.
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
    before = cursor.fetchone()[0]
    cursor.execute("PRAGMA ignore_check_constraints = ON")
    try:
        yield
    finally:
        cursor.execute("PRAGMA ignore_check_constraints = OFF")
    checks = [c.condition for c in Dossier._meta.constraints if isinstance(c, CheckConstraint)]
    if Dossier.objects.filter(pk__gt=before).exclude(reduce(operator.and_, checks)).exists():
        raise IntegrityError("CHECK constraint failed: dossiers_dossier (bulk import)")
    for _, definition in indexes:
        cursor.execute(definition)


def _analyze(cursor) -> None:
    """PostgreSQL: statistics of the dossier table after a big load (a sample of 30,000
    rows, under a second at 5,000,000). Without them the planner guesses, and the next
    update's lookups and joins can turn into scans of the whole table; autovacuum would
    come later, or never where it is turned off."""
    cursor.execute(f"ANALYZE {Dossier._meta.db_table}")


def _stamps(record: DossierImport) -> dict[str, str]:
    """What every row of a first load gets: the import that made it, and now (as Django
    writes a date-time on this database)."""
    now = str(connection.ops.adapt_datetimefield_value(timezone.now()))
    return {"first_import_id": str(record.pk), "last_import_id": str(record.pk),
            "created_at": now, "updated_at": now}  # fmt: skip
