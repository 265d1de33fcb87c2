"""PostgreSQL only: the dossier table partitioned by the year of `received_on` (issue 18;
docs/scaling.md, "The dossier table partitioned by year"). SQLite keeps one plain table.

`dossiers_dossier` is `PARTITION BY RANGE (received_on)`: `dossiers_dossier_2024` holds
the dossiers received in 2024, `dossiers_dossier_default` any date without a partition of
its own. What a partitioned table cannot enforce itself is kept by a small table,
`dossiers_dossiercode (unit_id, code) PRIMARY KEY → dossier_id UNIQUE, received_on`,
written by triggers on the parent (INSERT and DELETE: statement-level with transition
tables, one set-based statement each; UPDATE: row-level BEFORE, only when a key changes,
which PostgreSQL also fires for a row that moves to another partition): the (unit, code) uniqueness across years, the uniqueness of
`id`, and the target of the events' foreign key (`dossiers_dossierevent.dossier_id →
dossiers_dossiercode.dossier_id`). Writes must go through the parent (the ORM and the
imports do): a statement on a partition itself does not run the parent's triggers.

Every partition's index is named after the parent's (`dossier_unit_code_unique_2024`), so
a plan names the index it uses whatever the partition.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

TABLE = "dossiers_dossier"
CODES = "dossiers_dossiercode"
EVENTS = "dossiers_dossierevent"
DEFAULT = f"{TABLE}_default"
# The model's unique (unit, code) index: on SQLite the table's, on PostgreSQL each
# partition's own (own_indexes).
UNIT_CODE = "dossier_unit_code_unique"
# Years a partition may be made for: a date outside stays in the default partition.
FIRST_YEAR, LAST_YEAR = 1990, 2200
# Waiting for a lock to add a partition before an import: past this the import goes on
# and its rows of the new year land in the default partition (moved by the command).
LOCK_WAIT = "3s"

log = logging.getLogger(__name__)


class PartitionError(Exception):
    """A partition operation refused, with a message for the user (Vietnamese)."""


@dataclass(frozen=True)
class Partition:
    name: str
    year: int | None  # None: the default partition
    rows: int


def partition_name(year: int) -> str:
    return f"{TABLE}_{year}"


def _bounds(year: int) -> str:
    return f"FROM ('{year}-01-01') TO ('{year + 1}-01-01')"


def is_partitioned(cursor) -> bool:
    cursor.execute(
        "SELECT EXISTS (SELECT 1 FROM pg_partitioned_table WHERE partrelid = to_regclass(%s))",
        [TABLE],
    )
    return bool(cursor.fetchone()[0])


def _exists(cursor, name: str) -> bool:
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
    return bool(cursor.fetchone()[0])


def _foreign_keys(cursor) -> list[tuple[str, str]]:
    """(name, definition) of each foreign key of the dossier table."""
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
        [TABLE],
    )
    return cursor.fetchall()


def _year_of(bound: str) -> int | None:
    # pg_get_expr of a partition bound: "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')"
    if bound == "DEFAULT":
        return None
    return int(bound.split("('", 1)[1][:4])


def partitions(cursor, *, count: bool = True) -> list[Partition]:
    """The partitions attached, by year (the default one last), with their row counts."""
    cursor.execute(
        "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
        "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = %s::regclass",
        [TABLE],
    )
    found = []
    for name, bound in cursor.fetchall():
        rows = -1
        if count:
            cursor.execute(f'SELECT COUNT(*) FROM "{name}"')
            rows = cursor.fetchone()[0]
        found.append(Partition(name, _year_of(bound), rows))
    return sorted(found, key=lambda p: (p.year is None, p.year or 0))


def _parent_indexes(cursor) -> list[tuple[str, str]]:
    """(name, definition) of the parent's indexes but its primary key."""
    cursor.execute(
        "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "JOIN pg_class c ON c.oid = i.indexrelid "
        "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary ORDER BY c.relname",
        [TABLE],
    )
    return cursor.fetchall()


def child_index_sql(definition: str, parent_index: str, child: str, suffix: str) -> str:
    """The parent's index definition written for one partition, named after it."""
    head, tail = definition.split(" ON ", 1)
    head = head.replace(f"INDEX {parent_index}", f"INDEX {parent_index}_{suffix}", 1)
    tail = tail.replace(f"ONLY public.{TABLE} ", f"public.{child} ", 1)
    tail = tail.replace(f"public.{TABLE} ", f"public.{child} ", 1)
    return f"{head} ON {tail}"


def _index_partition(cursor, child: str, suffix: str) -> None:
    """The parent's indexes built on a table about to become its partition (ATTACH then
    adopts them instead of building its own, unnamed), and the partition's own unique
    (unit, code) index."""
    for name, definition in _parent_indexes(cursor):
        cursor.execute(child_index_sql(definition, name, child, suffix))
    cursor.execute(f"CREATE UNIQUE INDEX {UNIT_CODE}_{suffix} ON {child} (unit_id, code)")


def own_indexes(cursor) -> list[tuple[str, str]]:
    """(name, definition) of the partitions' own unique (unit, code) indexes: the parent
    cannot have one (a partitioned table's unique index must hold received_on), so each
    partition has it, unique within the partition (the codes table across them): lookups
    and joins by (unit, code) are planned as one row a partition."""
    cursor.execute(
        "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_inherits p ON p.inhrelid = i.indrelid "
        "WHERE p.inhparent = %s::regclass AND c.relname LIKE %s ORDER BY c.relname",
        [TABLE, UNIT_CODE + r"\_%"],
    )
    return cursor.fetchall()


def build_index(cursor, name: str, definition: str) -> None:
    """An index of the dossiers dropped for a bulk load built again: a partition's own
    as it was, a parent's partition by partition (create_index)."""
    if f" ON public.{TABLE} " in definition or f" ON ONLY public.{TABLE} " in definition:
        create_index(cursor, definition, name)
    else:
        cursor.execute(definition)


def create_index(cursor, definition: str, name: str) -> None:
    """A parent index (its definition as pg_get_indexdef writes it) built partition by
    partition, each named after it, then attached: what `CREATE INDEX` on the parent would
    do, with names a plan shows."""
    cursor.execute(definition.replace(f" ON public.{TABLE} ", f" ON ONLY public.{TABLE} ", 1))
    for part in partitions(cursor, count=False):
        suffix = "default" if part.year is None else str(part.year)
        cursor.execute(child_index_sql(definition, name, part.name, suffix))
        cursor.execute(f"ALTER INDEX {name} ATTACH PARTITION {name}_{suffix}")


def _add_partition(cursor, year: int | None, source: str | None, fill=None) -> int:
    """A partition for `year` (None: the default one): a table like the parent, filled
    from `source` (a table holding the rows; they are moved when it is the default
    partition), indexed, then attached. Returns the rows it received."""
    name = DEFAULT if year is None else partition_name(year)
    cursor.execute(
        f"CREATE TABLE {name} (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING CONSTRAINTS "
        f"INCLUDING STORAGE)"
    )
    rows = 0
    if source is not None:
        where = (
            "TRUE"
            if year is None
            else f"received_on >= '{year}-01-01' AND received_on < '{year + 1}-01-01'"
        )
        columns = _columns(cursor)
        if source == DEFAULT:
            cursor.execute(
                f"WITH moved AS (DELETE FROM {DEFAULT} WHERE {where} RETURNING {columns}) "
                f"INSERT INTO {name} ({columns}) SELECT {columns} FROM moved"
            )
        else:
            cursor.execute(
                f"INSERT INTO {name} ({columns}) SELECT {columns} FROM {source} WHERE {where}"
            )
        rows = cursor.rowcount
    if fill is not None:
        fill(name)
    _index_partition(cursor, name, "default" if year is None else str(year))
    bound = "DEFAULT" if year is None else f"FOR VALUES {_bounds(year)}"
    cursor.execute(f"ALTER TABLE {TABLE} ATTACH PARTITION {name} {bound}")
    return rows


def _columns(cursor) -> str:
    cursor.execute(
        "SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute "
        "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
        [TABLE],
    )
    return cursor.fetchone()[0]


def create_year(cursor, year: int) -> int | None:
    """The partition of `year`, with the rows of that year the default partition held
    moved into it. None when it exists already; else the rows moved. Holds the default
    partition's ACCESS EXCLUSIVE lock until the end of the transaction."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PartitionError(f"Năm {year} ngoài khoảng {FIRST_YEAR}–{LAST_YEAR}.")
    if archived_table(cursor, year):
        raise PartitionError(
            f"Năm {year} đã lưu trữ (bảng {partition_name(year)} đã tách): gắn lại bằng "
            f"`cchc dossiers unarchive-year {year}`."
        )
    if any(p.year == year for p in partitions(cursor, count=False)):
        return None
    return _add_partition(cursor, year, DEFAULT)


def archived_table(cursor, year: int) -> bool:
    """Does the table of `year` exist without being a partition (detached)?"""
    cursor.execute(
        "SELECT NOT c.relispartition FROM pg_class c WHERE c.oid = to_regclass(%s)",
        [partition_name(year)],
    )
    row = cursor.fetchone()
    return bool(row and row[0])


def ensure_years(years: Iterable[int]) -> list[int]:
    """Before an import writes: a partition for each year of its rows that has none, each
    in a transaction (or savepoint) of its own that waits at most LOCK_WAIT for the locks.
    A year that cannot get one now keeps its rows in the default partition: correct, only
    not partitioned (`cchc dossiers partitions --create YEAR` moves them later). Returns
    the years created. Nothing on SQLite or an unpartitioned table."""
    from django.db import DatabaseError, connection, transaction

    if connection.vendor != "postgresql":
        return []
    created = []
    with connection.cursor() as cursor:
        if not is_partitioned(cursor):
            return []
        have = {p.year for p in partitions(cursor, count=False)}
        wanted = sorted(
            {y for y in years if FIRST_YEAR <= y <= LAST_YEAR} - have,
        )
        for year in wanted:
            if archived_table(cursor, year):
                continue  # refused by the import's check, not here
            cursor.execute("SELECT current_setting('lock_timeout')")
            before = cursor.fetchone()[0]
            try:
                with transaction.atomic():
                    cursor.execute("SELECT set_config('lock_timeout', %s, true)", [LOCK_WAIT])
                    create_year(cursor, year)
                created.append(year)
            except DatabaseError as error:
                log.warning("no partition for %s yet (%s): rows go to the default one", year,
                            error)  # fmt: skip
            finally:
                cursor.execute("SELECT set_config('lock_timeout', %s, true)", [before])
    return created


@contextmanager
def codes_written_after(cursor) -> Iterator[None]:
    """A load by COPY into the dossiers (the caller holds the table's SHARE ROW EXCLUSIVE
    lock: no other writer): the codes table's insert trigger off during it (COPY into a
    partitioned table that has a transition-table trigger writes row by row, not in
    batches), then the new rows' codes in one INSERT … SELECT, which raises a unique
    violation as the trigger would. Nothing on SQLite or an unpartitioned table."""
    from django.db import connection

    if connection.vendor != "postgresql" or not is_partitioned(cursor):
        yield
        return
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {TABLE}")
    before = cursor.fetchone()[0]
    cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER {INSERT_TRIGGER}")
    yield  # an error rolls the ALTER back with the rest
    cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER {INSERT_TRIGGER}")
    cursor.execute(
        f"INSERT INTO {CODES} (unit_id, code, dossier_id, received_on) "
        f"SELECT unit_id, code, id, received_on FROM {TABLE} WHERE id > %s",
        [before],
    )


# -- the migration ---------------------------------------------------------------------

_CODES_SQL = f"""
CREATE TABLE {CODES} (
    unit_id bigint NOT NULL,
    code varchar(64) NOT NULL,
    dossier_id bigint NOT NULL,
    received_on date NOT NULL,
    CONSTRAINT {CODES}_pkey PRIMARY KEY (unit_id, code),
    CONSTRAINT {CODES}_dossier_unique UNIQUE (dossier_id)
);
CREATE FUNCTION dossier_codes_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {CODES} (unit_id, code, dossier_id, received_on)
    SELECT unit_id, code, id, received_on FROM new_rows;
    RETURN NULL;
END $$;
CREATE FUNCTION dossier_codes_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE {CODES} SET unit_id = NEW.unit_id, code = NEW.code, dossier_id = NEW.id,
        received_on = NEW.received_on
    WHERE dossier_id = OLD.id;
    RETURN NEW;
END $$;
CREATE FUNCTION dossier_codes_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM {CODES} c USING old_rows o WHERE c.dossier_id = o.id;
    RETURN NULL;
END $$;
CREATE FUNCTION dossier_codes_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM {CODES};
    RETURN NULL;
END $$;
CREATE TRIGGER dossier_codes_insert AFTER INSERT ON {TABLE}
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dossier_codes_insert();
CREATE TRIGGER dossier_codes_update BEFORE UPDATE ON {TABLE} FOR EACH ROW
    WHEN (OLD.unit_id IS DISTINCT FROM NEW.unit_id OR OLD.code IS DISTINCT FROM NEW.code
          OR OLD.received_on IS DISTINCT FROM NEW.received_on OR OLD.id IS DISTINCT FROM NEW.id)
    EXECUTE FUNCTION dossier_codes_update();
CREATE TRIGGER dossier_codes_delete AFTER DELETE ON {TABLE}
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION dossier_codes_delete();
CREATE TRIGGER dossier_codes_truncate AFTER TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION dossier_codes_truncate();
"""

# Triggers that keep the codes table, disabled while a first load copies rows in (COPY
# into a partitioned table with such a trigger writes row by row) and replaced by one
# INSERT … SELECT after it (imports.writing).
INSERT_TRIGGER = "dossier_codes_insert"


def partition_table(cursor) -> None:
    """Make the plain dossier table partitioned by year, in the caller's transaction:
    the parent with the same columns, checks, foreign keys and indexes; a partition per
    year present and a default one; the rows copied; the codes table and its triggers;
    the events' foreign key onto the codes table. ACCESS EXCLUSIVE on the dossiers until
    the commit (minutes at tens of millions of rows: run it in a maintenance window)."""
    if is_partitioned(cursor):
        return
    old = f"{TABLE}_unpartitioned"
    cursor.execute(f"LOCK TABLE {TABLE} IN ACCESS EXCLUSIVE MODE")
    foreign = _foreign_keys(cursor)
    cursor.execute(
        "SELECT conname, conrelid::regclass::text, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE confrelid = %s::regclass AND contype = 'f' ORDER BY conname",
        [TABLE],
    )
    incoming = cursor.fetchall()
    indexes = _parent_indexes(cursor)
    cursor.execute(
        "SELECT pg_get_serial_sequence(%s, 'id'), "
        "(SELECT attidentity FROM pg_attribute WHERE attrelid = %s::regclass AND attname = 'id')",
        [TABLE, TABLE],
    )
    sequence, identity = cursor.fetchone()
    for name, table, _ in incoming:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    cursor.execute(f"ALTER TABLE {TABLE} RENAME TO {old}")
    cursor.execute(f"ALTER TABLE {old} RENAME CONSTRAINT {TABLE}_pkey TO {old}_pkey")
    cursor.execute(
        f"CREATE TABLE {TABLE} (LIKE {old} INCLUDING DEFAULTS INCLUDING CONSTRAINTS "
        f"INCLUDING STORAGE) PARTITION BY RANGE (received_on)"
    )
    cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey PRIMARY KEY (id, received_on)")
    for name, definition in foreign:
        cursor.execute(f'ALTER TABLE {TABLE} ADD CONSTRAINT "{name}" {definition}')
    for name, definition in indexes:
        # a unique index of a partitioned table must hold received_on: (unit, code) is
        # unique by the codes table, and by an index of each partition's own
        if name != UNIT_CODE:
            cursor.execute(definition)
    cursor.execute(f"SELECT DISTINCT extract(year FROM received_on)::int FROM {old} ORDER BY 1")
    for (year,) in cursor.fetchall():
        if FIRST_YEAR <= year <= LAST_YEAR:
            _add_partition(cursor, year, old)
    _add_partition(cursor, None, None)
    cursor.execute(
        f"INSERT INTO {DEFAULT} SELECT * FROM {old} WHERE extract(year FROM received_on) "
        f"NOT BETWEEN {FIRST_YEAR} AND {LAST_YEAR}"
    )
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {old}")
    top = cursor.fetchone()[0]
    if sequence:
        cursor.execute(f"SELECT last_value FROM {sequence}")
        top = max(top, cursor.fetchone()[0])
    cursor.execute(_CODES_SQL)
    cursor.execute(
        f"INSERT INTO {CODES} (unit_id, code, dossier_id, received_on) "
        f"SELECT unit_id, code, id, received_on FROM {TABLE}"
    )
    for name, table, _ in incoming:
        cursor.execute(
            f'ALTER TABLE {table} ADD CONSTRAINT "{name}" FOREIGN KEY (dossier_id) '
            f"REFERENCES {CODES} (dossier_id) DEFERRABLE INITIALLY DEFERRED"
        )
    cursor.execute(f"DROP TABLE {old}")
    # ids from the same sequence on: an identity column of the parent
    seq = (sequence or f"{TABLE}_id_seq").split(".")[-1]
    kind = "ALWAYS" if identity == "a" else "BY DEFAULT"
    cursor.execute(
        f"ALTER TABLE {TABLE} ALTER COLUMN id ADD GENERATED {kind} AS IDENTITY "
        f"(SEQUENCE NAME {seq} START WITH {top + 1})"
    )
    cursor.execute(f"ANALYZE {TABLE}")


def rows_outside(cursor) -> list[tuple[int, int]]:
    """(year, rows) the default partition holds: years without a partition of their own."""
    cursor.execute(
        f"SELECT extract(year FROM received_on)::int, COUNT(*) FROM {DEFAULT} GROUP BY 1 ORDER BY 1"
    )
    return cursor.fetchall()


# -- archiving a year ------------------------------------------------------------------

ERR_NOT_PARTITIONED = (
    "Bảng hồ sơ không chia theo năm (chỉ PostgreSQL, sau migration dossiers 0008): "
    "không lưu trữ được theo năm."
)


def _require_partitioned(cursor) -> None:
    from django.db import connection

    if connection.vendor != "postgresql" or not is_partitioned(cursor):
        raise PartitionError(ERR_NOT_PARTITIONED)


def archive_year(year: int, *, to: str | None = None, drop: bool = False):
    """Take the dossiers received in `year` out of the dossier table: its partition
    detached (a plain DETACH, in a short transaction holding the dossiers' ACCESS
    EXCLUSIVE lock: readers wait for it; `DETACH … CONCURRENTLY` cannot run in a
    transaction nor beside a default partition), then written to `to` as CSV with a
    header (COPY; `.gz`: compressed), then dropped if `drop`. The year is recorded
    (models.ArchivedYear). Refused for this year or later, for a year with a dossier not
    finished, and for one without a partition of its own. Returns the record."""
    from django.db import connection, transaction
    from django.utils import timezone

    from cchc.dossiers.models import ArchivedYear, local_date

    if drop and not to:
        raise PartitionError("--drop cần --to TỆP: không xoá hồ sơ khi chưa ghi ra tệp.")
    name = partition_name(year)
    with transaction.atomic(), connection.cursor() as cursor:
        _require_partitioned(cursor)
        if year >= local_date(timezone.now()).year:
            raise PartitionError(f"Năm {year} chưa qua: chỉ lưu trữ được năm đã kết thúc.")
        if ArchivedYear.objects.filter(year=year).exists():
            raise PartitionError(f"Hồ sơ năm {year} đã lưu trữ rồi.")
        if not any(p.year == year for p in partitions(cursor, count=False)):
            raise PartitionError(
                f"Năm {year} không có phân vùng riêng: tạo bằng "
                f"`cchc dossiers partitions --create {year}` rồi lưu trữ."
            )
        cursor.execute(f"LOCK TABLE {TABLE} IN ACCESS EXCLUSIVE MODE")
        # DETACH and DROP refuse a table with foreign-key checks pending in the transaction
        # (an outer one: tests, a command): run them now, defer again after.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            f"SELECT COUNT(*) FROM {DEFAULT} WHERE received_on >= %s AND received_on < %s",
            [f"{year}-01-01", f"{year + 1}-01-01"],
        )
        if cursor.fetchone()[0]:
            raise PartitionError(f"Phân vùng mặc định còn hồ sơ năm {year}.")  # cannot be
        cursor.execute(f"SELECT COUNT(*) FROM {name} WHERE finished_at IS NULL")
        still_open = cursor.fetchone()[0]
        if still_open:
            raise PartitionError(
                f"Năm {year} còn {still_open} hồ sơ chưa kết thúc: số liệu hiện tại cần "
                f"chúng, chưa lưu trữ được."
            )
        cursor.execute(f"SELECT COUNT(*), MAX(finished_on) FROM {name}")
        rows, last_finished = cursor.fetchone()
        cursor.execute(f"ALTER TABLE {TABLE} DETACH PARTITION {name}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        record = ArchivedYear.objects.create(
            year=year, table=name, rows=rows, last_finished_on=last_finished
        )
    if to:
        with connection.cursor() as cursor:
            _dump(cursor, name, to)
        record.file = str(to)
        record.save(update_fields=["file"])
        if drop:
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(f"DROP TABLE {name}")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            record.table = ""
            record.save(update_fields=["table"])
    return record


def _open(path: str, mode: str):
    import gzip

    return gzip.open(path, mode) if str(path).endswith(".gz") else open(path, mode)  # noqa: SIM115


def _dump(cursor, table: str, path: str) -> None:
    with (
        _open(path, "wb") as out,
        cursor.cursor.copy(f"COPY {table} TO STDOUT (FORMAT csv, HEADER)") as copy,
    ):
        for block in copy:
            out.write(block)


def unarchive_year(year: int, *, source: str | None = None):
    """Bring an archived year back: its detached table attached again, or, dropped, the
    table made again from the file `archive_year` wrote (`source`). Its dossiers' codes
    never left the codes table. The record goes."""
    from django.db import connection, transaction

    from cchc.dossiers.models import ArchivedYear

    name = partition_name(year)
    with transaction.atomic(), connection.cursor() as cursor:
        _require_partitioned(cursor)
        record = ArchivedYear.objects.filter(year=year).first()
        if record is None:
            raise PartitionError(f"Hồ sơ năm {year} không có trong danh sách đã lưu trữ.")
        stray = dict(rows_outside(cursor)).get(year)
        if stray:  # entered at the desk meanwhile: they would overlap the year's table
            raise PartitionError(
                f"Phân vùng mặc định có {stray} hồ sơ năm {year} nhập sau khi lưu trữ: "
                f"chuyển hoặc xoá chúng trước khi gắn lại năm {year}."
            )
        if archived_table(cursor, year):
            cursor.execute(
                f"ALTER TABLE {TABLE} ATTACH PARTITION {name} FOR VALUES {_bounds(year)}"
            )
        elif source:
            _add_partition(cursor, year, None, fill=lambda table: _restore(cursor, table, source))
        else:
            where = f" (tệp đã ghi khi lưu trữ: {record.file})" if record.file else ""
            raise PartitionError(f"Bảng {name} đã xoá: cần --from TỆP{where}.")
        record.delete()
    return record


def _restore(cursor, table: str, path: str) -> None:
    with _open(path, "rb") as source:
        header = source.readline().decode().strip()
        with cursor.cursor.copy(f"COPY {table} ({header}) FROM STDIN (FORMAT csv)") as copy:
            while block := source.read(1 << 20):
                copy.write(block)


# -- a year's rows loaded beside the table, then swapped in ------------------------------


def _load_table(year: int) -> str:
    return f"{partition_name(year)}_load"


def year_rows(cursor, year: int, limit: int) -> int | None:
    """The rows of `year`'s partition, counted up to `limit` + 1 (an index-only scan at
    most that long); None when the year has no partition of its own."""
    name = partition_name(year)
    cursor.execute(
        "SELECT 1 FROM pg_inherits WHERE inhparent = %s::regclass AND inhrelid = to_regclass(%s)",
        [TABLE, name],
    )
    if cursor.fetchone() is None:
        return None
    cursor.execute(f"SELECT COUNT(*) FROM (SELECT 1 FROM {name} LIMIT {int(limit) + 1}) AS r")
    return int(cursor.fetchone()[0])


@contextmanager
def years_rebuilt(
    cursor, years: Iterable[int], clock: Callable[[str], None] = lambda phase: None
) -> Iterator[dict[int, str]]:
    """A load of rows whose (unit, code) none is stored yet (the caller made sure, under
    its SHARE ROW EXCLUSIVE lock on the dossiers) into the partitions of `years`, the way
    a first load goes, without touching the other years: for each year a plain table
    beside the dossiers (yielded: year → table; the caller COPYs that year's rows into it,
    ids from the dossiers' sequence) holding first the partition's rows, if any; then its
    indexes, primary key and foreign keys built once each, the new rows' codes written in
    one INSERT (a code stored meanwhile or twice: a unique violation, everything
    rolled back), and the table swapped in for the partition.

    Locks: the readers of the dossiers go on through the load and the index builds (the
    new tables are invisible to them until the commit; the old partition is only read).
    The foreign keys' checks take SHARE ROW EXCLUSIVE on the units and procedures (their
    writers wait) until the commit. The swap takes ACCESS EXCLUSIVE on the dossiers (the
    detach) and on the default partition (the attach scans it) from there to the commit:
    every reader of dossiers waits for those last seconds, not for the load. `clock(phase)`
    is called after each phase (imports.writing logs their times)."""
    cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [TABLE])
    sequence = cursor.fetchone()[0]
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {TABLE}")
    before = cursor.fetchone()[0]
    columns = _columns(cursor)
    tables: dict[int, str] = {}
    for year in sorted(set(years)):
        name, load = partition_name(year), _load_table(year)
        cursor.execute(f"DROP TABLE IF EXISTS {load}")  # none: a failed load rolled back
        cursor.execute(
            f"CREATE TABLE {load} (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING CONSTRAINTS "
            f"INCLUDING STORAGE)"
        )
        cursor.execute(f"ALTER TABLE {load} ALTER COLUMN id SET DEFAULT nextval('{sequence}')")
        # the partition's bounds as a check: ATTACH then trusts it instead of a scan
        cursor.execute(
            f"ALTER TABLE {load} ADD CONSTRAINT {load}_bounds CHECK (received_on IS NOT NULL "
            f"AND received_on >= '{year}-01-01' AND received_on < '{year + 1}-01-01')"
        )
        if year_rows(cursor, year, 0):
            cursor.execute(f"INSERT INTO {load} ({columns}) SELECT {columns} FROM {name}")
        tables[year] = load
    clock("tables")
    yield tables
    foreign = _foreign_keys(cursor)
    for year, load in tables.items():
        cursor.execute(f"ALTER TABLE {load} ALTER COLUMN id DROP DEFAULT")
        cursor.execute(
            f"ALTER TABLE {load} ADD CONSTRAINT {load}_pkey PRIMARY KEY (id, received_on)"
        )
        # a code twice in the year: a unique violation here
        _index_partition(cursor, load, f"{year}_load")
        clock(f"  {year}: indexes")
        for constraint, definition in foreign:  # ATTACH takes them as the parent's own
            cursor.execute(f'ALTER TABLE {load} ADD CONSTRAINT "{constraint}" {definition}')
        clock(f"  {year}: foreign keys")
        cursor.execute(f"ANALYZE {load}")
        clock(f"  {year}: analyze")
    # The new codes in the order of their ids, as each table holds them (copied in that
    # order after the partition's old rows): the unique dossier_id index then takes them
    # at its right end, and the (unit, code) key at the end of each unit's codes, where
    # codes grow with time. Sorted by (unit, code) instead, the ids came at random over
    # the new range of the dossier_id index, larger than the server's buffers: this one
    # INSERT was half the write of a 10,000,000-row year at 40,000,000 dossiers.
    union = " UNION ALL ".join(
        f"SELECT unit_id, code, id, received_on FROM {load} WHERE id > {before}"
        for load in tables.values()
    )
    cursor.execute(
        f"INSERT INTO {CODES} (unit_id, code, dossier_id, received_on) "
        f"SELECT * FROM ({union}) AS new"
    )
    clock("codes")
    _swap_in(cursor, tables)
    clock("swap")


def _swap_in(cursor, tables: dict[int, str]) -> None:
    """Each loaded table in place of its year's partition (dropped: its rows were copied
    into the table), under its name and its indexes'; the last statements of the load."""
    indexes = [name for name, _ in _parent_indexes(cursor)] + [UNIT_CODE]
    # DETACH refuses to run while deferred foreign-key checks are pending in the
    # transaction (an outer one: tests, a command): run them now, defer again after.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for year, load in tables.items():
        name = partition_name(year)
        if year_rows(cursor, year, 0) is not None:
            cursor.execute(f"ALTER TABLE {TABLE} DETACH PARTITION {name}")
            cursor.execute(f"DROP TABLE {name}")
        cursor.execute(f"ALTER TABLE {load} RENAME TO {name}")
        cursor.execute(f"ALTER TABLE {name} RENAME CONSTRAINT {load}_pkey TO {name}_pkey")
        for index in indexes:
            cursor.execute(f"ALTER INDEX {index}_{year}_load RENAME TO {index}_{year}")
        cursor.execute(f"ALTER TABLE {TABLE} ATTACH PARTITION {name} FOR VALUES {_bounds(year)}")
        cursor.execute(f"ALTER TABLE {name} DROP CONSTRAINT {load}_bounds")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
