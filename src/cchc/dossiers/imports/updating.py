"""The update path of phase 2: the rows whose content hash no dossier has are staged,
compared with the dossiers of the same (unit, code), and upserted; the summary is
corrected for the ones that change (writing._write sends a file here when some of its
dossiers may exist already)."""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Iterator, Sequence

import numpy as np
import polars as pl
from django.db import connection

from cchc.dossiers import partitions, summary
from cchc.dossiers.imports.checking import Reader
from cchc.dossiers.imports.format import (
    _FILLS,
    _STATE_COLUMNS,
    HASH,
    MONTH_COLUMNS,
    STAGE_COLUMNS,
)
from cchc.dossiers.imports.loading import (
    SQLITE_CACHE_KIB,
    _analyze,
    _Clock,
    _copy_csv,
    _create_stage,
    _drop_temp,
    _load,
)
from cchc.dossiers.imports.reading import Spool
from cchc.dossiers.imports.tally import sum_tallies, tally, with_months
from cchc.dossiers.models import (
    Dossier,
    DossierImport,
)


def _update(
    cursor, reader: Reader, spool: Spool, record: DossierImport
) -> tuple[int, int, int, int]:
    """Some dossiers may exist already. The rows whose content hash a dossier has already
    are unchanged and left alone, unread; the others are staged, then upserted by (unit,
    code), and the summary is corrected for the ones that change."""
    pg = connection.vendor == "postgresql"
    table = Dossier._meta.db_table
    data_columns = [c for c in STAGE_COLUMNS if c not in ("row_no", "unit_id", "code",
                                                          *MONTH_COLUMNS)]  # fmt: skip
    # Columns absent from the file keep the existing dossiers' values.
    kept: list[str] = []
    for column, targets in _FILLS.items():
        if column not in reader.present:
            kept.extend(targets)
    if "status" not in reader.present and "finished_at" not in reader.present:
        kept.extend(_STATE_COLUMNS)
    if "late_by_rule" not in reader.present and "supplement_count" not in reader.present:
        kept.append("late_by_rule")
    clock = _Clock()
    _settings_for_update(cursor)
    known = _known_hashes(cursor, spool)
    clock("known hashes")
    changed = _Changed(spool, known)
    clock("changed rows")
    if not changed.rows:
        return 0, 0, spool.rows, 0
    _create_stage(cursor)
    _load(cursor, changed, "dossier_stage", STAGE_COLUMNS)
    if pg:
        # A temporary table has no statistics: without them PostgreSQL joins the staged
        # rows with the dossiers by scanning the whole table instead of probing its index.
        cursor.execute("ANALYZE dossier_stage")
    clock("stage")
    # The existing dossiers the file names, as they are now.
    summary_columns = (
        "unit_id, code, channel, received_on, due_on, finished_on, intake_digitized, "
        "paid_online, result_digitized, late_by_rule, clock_stopped_on, fee"
    )
    stage_columns = [*data_columns, "clock_stopped_on"]
    compared = [c for c in stage_columns if c != HASH]
    # Every column the staged rows are compared on, so that "equal" below is counted on
    # this small snapshot: joining the staged rows with the whole table again took 40 s of
    # a 300,000-row monthly export into 5,000,000 dossiers on PostgreSQL.
    old_columns = ", ".join(
        dict.fromkeys(
            ["d.id"]
            + [f"d.{c.strip()}" for c in summary_columns.split(",")]
            + [f"d.{c}" for c in (*kept, "status", *compared)]
        )
    )
    if pg and partitions.is_partitioned(cursor):
        # Each staged row's dossier looked up in the partition of the staged received day,
        # by (unit, code) in its index: a LIMIT 1 subquery that PostgreSQL runs per row,
        # pruned to that one partition at run time. A row not found there (a new dossier,
        # or one whose received day moved to another year) is then looked up through the
        # codes table ((unit, code) → id and received_on), then that partition by (id,
        # received_on). A plain join was planned as a hash join over a scan of every
        # partition: 2.2 s for 30,000 rows at 5,000,000 dossiers (load 3 on 2 cores),
        # against 0.4-0.6 s through the codes table and 0.25-0.3 s this way.
        year = "extract(year FROM s.received_on)::int"
        cursor.execute(
            f"CREATE TEMP TABLE dossier_old ON COMMIT DROP AS SELECT {old_columns} "
            f"FROM dossier_stage s CROSS JOIN LATERAL (SELECT * FROM {table} d "
            f"WHERE d.unit_id = s.unit_id AND d.code = s.code "
            f"AND d.received_on >= make_date({year}, 1, 1) "
            f"AND d.received_on < make_date({year} + 1, 1, 1) LIMIT 1) d"
        )
        cursor.execute(
            f"INSERT INTO dossier_old SELECT {old_columns} "
            f"FROM (SELECT * FROM dossier_stage s WHERE NOT EXISTS (SELECT 1 FROM dossier_old o "
            f"WHERE o.unit_id = s.unit_id AND o.code = s.code)) s "
            f"CROSS JOIN LATERAL (SELECT c.dossier_id, c.received_on "
            f"FROM {partitions.CODES} c WHERE c.unit_id = s.unit_id AND c.code = s.code "
            f"LIMIT 1) c CROSS JOIN LATERAL (SELECT * FROM {table} d WHERE d.id = c.dossier_id "
            f"AND d.received_on = c.received_on LIMIT 1) d"
        )
    elif pg:
        cursor.execute(
            f"CREATE TEMP TABLE dossier_old ON COMMIT DROP AS SELECT {old_columns} "
            f"FROM dossier_stage s JOIN {table} d ON d.unit_id = s.unit_id AND d.code = s.code"
        )
    else:
        cursor.execute(
            f"CREATE TEMP TABLE dossier_old AS SELECT {old_columns} "
            f"FROM dossier_stage s JOIN {table} d ON d.unit_id = s.unit_id AND d.code = s.code"
        )
    cursor.execute("SELECT COUNT(*) FROM dossier_old")
    existing = cursor.fetchone()[0]
    if pg:
        cursor.execute("ANALYZE dossier_old")
    cursor.execute("ALTER TABLE dossier_stage ADD COLUMN clock_stopped_on date")
    clock("old rows")
    if existing:
        cursor.execute("CREATE INDEX dossier_old_key ON dossier_old (unit_id, code)")
        # Keep what the file does not say; the clock of an open supplement stays
        # stopped only while the dossier still waits for the applicant.
        fills = [*kept, "clock_stopped_on"]
        sets = ", ".join(f"{c} = o.{c}" for c in fills)
        cursor.execute(
            f"UPDATE dossier_stage SET {sets} FROM dossier_old o "
            f"WHERE dossier_stage.unit_id = o.unit_id AND dossier_stage.code = o.code"
        )
        cursor.execute(
            "UPDATE dossier_stage SET clock_stopped_on = NULL "
            "WHERE clock_stopped_on IS NOT NULL AND status <> 'supplement_requested'"
        )
        if "due_on" in kept or "finished_on" in kept:
            # dates taken from the existing dossiers: their months again
            cursor.execute(
                f"UPDATE dossier_stage SET "
                f"m_finished = {summary.month_sql('finished_on')}, "
                f"m_due_passed = {summary.month_sql(summary.plus_one_day_sql('due_on'))} "
                f"WHERE EXISTS (SELECT 1 FROM dossier_old o "
                f"WHERE o.unit_id = dossier_stage.unit_id AND o.code = dossier_stage.code)"
            )
    clock("fills")
    # The summary: every staged row's final share in, the existing ones' old share out,
    # only the unit-months whose counts change written.
    _apply(_summary_delta(cursor, existing))
    clock("summary")
    equal = 0
    if existing:
        # Staged but equal column by column (a dossier saved at the desk since, or hashed
        # by another version): unchanged, only its hash is brought up to date below.
        cursor.execute(
            f"SELECT COUNT(*) FROM dossier_stage s JOIN dossier_old d "
            f"ON d.unit_id = s.unit_id AND d.code = s.code WHERE {_same('d', 's', compared)}"
        )
        equal = cursor.fetchone()[0]
    clock("equal")
    _upsert(cursor, record, stage_columns, compared)
    clock("upsert")
    _drop_temp(cursor)
    created = changed.rows - existing
    updated = existing - equal
    return created, updated, changed.skipped + equal, changed.rows


# What the summary reads of a staged or old row (summary.contribution_select's columns),
# as numbers and ISO dates on both databases.
_FACT_SQL = {
    "unit_id": "unit_id",
    "channel": "channel",
    "intake_digitized": "intake_digitized",
    "fee": "CASE WHEN fee > 0 THEN 1 ELSE 0 END",
    "due_on": "CAST(due_on AS TEXT)",
    "finished_on": "CAST(finished_on AS TEXT)",
    "received_on": "CAST(received_on AS TEXT)",
    "paid_online": "CASE WHEN paid_online = {t} THEN 1 ELSE 0 END",
    "result_digitized": "CASE WHEN result_digitized = {t} THEN 1 ELSE 0 END",
    "late_by_rule": "CASE WHEN late_by_rule = {t} THEN 1 ELSE 0 END",
    "clock_stopped": "CASE WHEN clock_stopped_on IS NULL THEN 0 ELSE 1 END",
}
_FACT_TYPES = {
    "unit_id": pl.Int64, "channel": pl.String, "intake_digitized": pl.String,
    "fee": pl.Int64, "due_on": pl.String, "finished_on": pl.String,
    "received_on": pl.String, "paid_online": pl.Int8, "result_digitized": pl.Int8,
    "late_by_rule": pl.Int8, "clock_stopped": pl.Int8, "m_received": pl.Int64,
    "m_finished": pl.Int64, "m_due_passed": pl.Int64,
}  # fmt: skip


# Rows of a staging snapshot per text value read by _facts on PostgreSQL (about 8 MB).
FACT_CHUNK = 100_000


def _facts(cursor, table: str, months: bool) -> pl.DataFrame:
    """The rows of `table` as tally.tally reads them; `months`: the table has the month
    indexes already (the staging table, its fills applied), else they are computed."""
    names = [*_FACT_SQL, *(MONTH_COLUMNS if months else ())]
    t = summary.true_sql()
    exprs = [_FACT_SQL[n].format(t=t) if n in _FACT_SQL else n for n in names]
    schema = {n: _FACT_TYPES[n] for n in names}
    if connection.vendor == "postgresql":
        # The rows as CSV text made on the server, FACT_CHUNK rows to a value: a row at a
        # time through the driver (fetchall, or COPY, which hands out a row per call) took
        # 0.07-0.2 s per 30,000 rows; in chunks, a file of millions of changed rows never
        # builds a value near PostgreSQL's 1 GB limit. The values are numbers, ISO dates
        # and channel codes: no comma, no quote.
        line = " || ',' || ".join(f"COALESCE(CAST({e} AS TEXT), '')" for e in exprs)
        cursor.execute(
            f"SELECT string_agg(line, E'\\n') FROM (SELECT {line} AS line, "
            f"(row_number() OVER ()) / %s AS part FROM {table}) AS t GROUP BY part",
            [FACT_CHUNK],
        )
        frame = pl.concat(
            [
                pl.DataFrame(schema=schema),
                *(
                    pl.read_csv(io.StringIO(text), has_header=False, schema=schema)
                    for (text,) in cursor.fetchall()
                ),
            ]
        )
    else:
        cursor.execute(f"SELECT {', '.join(exprs)} FROM {table}")
        frame = pl.DataFrame(cursor.fetchall(), schema=schema, orient="row")
    frame = frame.with_columns(
        pl.col("due_on", "finished_on", "received_on").str.to_date("%Y-%m-%d"),
        pl.col("paid_online", "result_digitized", "late_by_rule", "clock_stopped").cast(pl.Boolean),
    )
    return frame if months else with_months(frame)


def _summary_delta(cursor, existing: int) -> pl.DataFrame:
    """What the update changes in the summary, as (unit_id, month, the counts) sorted: the
    staged rows' share (after the fills) minus the old dossiers' share, counted
    column-wise (tally.tally, the same rules as summary.contribution_select). Reading the
    2 × 30,000 rows of a monthly export and counting them here takes a fraction of what
    the SQL's eight grouped unions did (2.5–9.6 s under load on either database at
    1,000,000 dossiers)."""
    parts = [tally(_facts(cursor, "dossier_stage", months=True))]
    if existing:
        old = tally(_facts(cursor, "dossier_old", months=False))
        parts.append(old.with_columns(-pl.col(c) for c in summary.COUNT_COLUMNS))
    return (
        sum_tallies(parts)
        .filter(pl.any_horizontal(pl.col(c) != 0 for c in summary.COUNT_COLUMNS))
        .sort("unit_id", "month")
    )


def _apply(delta: pl.DataFrame) -> None:
    summary.apply_columns(
        delta.get_column("unit_id").to_list(),
        delta.get_column("month").to_list(),
        {c: delta.get_column(c).to_list() for c in summary.COUNT_COLUMNS},
    )


def _differ(left: str, right: str, columns: Sequence[str]) -> str:
    """SQL: some of the columns differs between the rows `left` and `right`, NULL equal to
    NULL (PostgreSQL's IS DISTINCT FROM, SQLite's IS NOT)."""
    op = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    return "(" + " OR ".join(f"{left}.{c} {op} {right}.{c}" for c in columns) + ")"


def _same(left: str, right: str, columns: Sequence[str]) -> str:
    """SQL: every one of the columns is equal between the rows, NULL equal to NULL."""
    op = "IS NOT DISTINCT FROM" if connection.vendor == "postgresql" else "IS"
    return " AND ".join(f"{left}.{c} {op} {right}.{c}" for c in columns)


def _upsert(cursor, record: DossierImport, stage_columns: list[str], compared: list[str]) -> None:
    """The staged rows into the dossiers: the ones `dossier_old` holds (the existing
    dossiers, with their id) updated where a compared column or the hash differs, the
    others inserted. The last import and the update time change only with the content."""
    if connection.vendor == "postgresql" and partitions.is_partitioned(cursor):
        _update_then_insert(cursor, record, stage_columns, compared)
    elif connection.vendor == "postgresql":
        _insert_on_conflict(cursor, record, stage_columns, compared)
    else:
        # A bigger page cache for these statements only: the pages of the table and of
        # its indexes that 30,000 scattered updates dirty stay in memory until the commit
        # instead of being spilled to the WAL and read back. No big sort runs here (the
        # reason _write keeps the default cache for an update).
        cursor.execute("PRAGMA cache_size")
        cache_size = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = {SQLITE_CACHE_KIB}")
        try:
            if sqlite3.sqlite_version_info >= (3, 33):  # UPDATE … FROM
                _update_in_place(cursor, record, stage_columns, compared)
            else:
                _insert_on_conflict(cursor, record, stage_columns, compared)
        finally:
            cursor.execute(f"PRAGMA cache_size = {int(cache_size)}")


def _indexed_columns() -> set[str]:
    """The dossier table's columns that some index (its key or its condition) reads."""
    names: set[str] = set()

    def condition(q) -> None:
        for child in q.children:
            if isinstance(child, tuple):
                names.add(child[0].split("__")[0])
            else:
                condition(child)

    for index in Dossier._meta.indexes:
        names.update(f.lstrip("-") for f in index.fields)
        if index.condition is not None:
            condition(index.condition)
    for constraint in Dossier._meta.constraints:
        names.update(getattr(constraint, "fields", ()))
        names.update(e.name for e in getattr(constraint, "expressions", ()) if hasattr(e, "name"))
    return {getattr(Dossier._meta.get_field(n), "column", n) for n in names}


def _update_in_place(cursor, record: DossierImport, stage_columns: list[str],
                     compared: list[str]) -> None:  # fmt: skip
    """SQLite: the existing dossiers whose indexed columns (but the hash) stay as they
    are updated by one UPDATE that does not name those columns, so that SQLite maintains
    only the content-hash index for them (it maintains every index that reads a column
    the UPDATE sets, whether the value changes or not); the others, and the new rows, by
    INSERT … ON CONFLICT. With the bigger page cache (_upsert), the upsert's CPU time at
    5,000,000 dossiers went from 1.14-1.54 s to 0.67-0.89 s for 30,000 changed rows
    (load 3-4 on 2 cores, alternating on one database)."""
    table = Dossier._meta.db_table
    indexed = _indexed_columns()
    keys = [c for c in stage_columns if c in indexed and c != HASH]

    def same(stage: str) -> str:
        return _same("o", stage, keys) if keys else "1"

    differs = _differ(table, "s", compared)
    sets = ", ".join(
        [f"{c} = s.{c}" for c in stage_columns if c not in keys]
        + [f"last_import_id = CASE WHEN {differs} THEN {record.pk} ELSE last_import_id END"]
        + [
            f"updated_at = CASE WHEN {differs} THEN strftime('%Y-%m-%d %H:%M:%f', 'now') "
            f"ELSE updated_at END"
        ]
    )
    cursor.execute(
        f"UPDATE {table} SET {sets} FROM dossier_old o JOIN dossier_stage s "
        f"ON s.unit_id = o.unit_id AND s.code = o.code "
        f"WHERE {table}.id = o.id AND {same('s')} "
        f"AND ({differs} OR {_differ(table, 's', [HASH])})"
    )
    cursor.execute(
        f"DELETE FROM dossier_stage WHERE EXISTS (SELECT 1 FROM dossier_old o "
        f"WHERE o.unit_id = dossier_stage.unit_id AND o.code = dossier_stage.code "
        f"AND {same('dossier_stage')})"
    )
    _insert_on_conflict(cursor, record, stage_columns, compared)


def _insert_on_conflict(cursor, record: DossierImport, stage_columns: list[str],
                        compared: list[str]) -> None:  # fmt: skip
    """One INSERT … ON CONFLICT (unit_id, code) DO UPDATE (SQLite; PostgreSQL before the
    table was partitioned: a partitioned table has no unique (unit, code) index to name)."""
    pg = connection.vendor == "postgresql"
    table = Dossier._meta.db_table
    t = summary.true_sql()
    distinct = _differ(table, "excluded", compared)
    insert_columns = [
        "unit_id", "code", *stage_columns, "first_import_id", "last_import_id",
        "created_at", "updated_at",
    ]  # fmt: skip
    updates = ", ".join(
        [f"{c} = excluded.{c}" for c in stage_columns]
        + [
            f"{c} = CASE WHEN {distinct} THEN excluded.{c} ELSE {table}.{c} END"
            for c in ("last_import_id", "updated_at")
        ]
    )
    now = "CURRENT_TIMESTAMP" if pg else "strftime('%Y-%m-%d %H:%M:%f', 'now')"
    select = ", ".join(
        ["unit_id", "code", *stage_columns, str(record.pk), str(record.pk), now, now]
    )
    order = " ORDER BY unit_id, code" if pg else ""
    cursor.execute(
        f"INSERT INTO {table} ({', '.join(insert_columns)}) "
        f"SELECT {select} FROM dossier_stage WHERE {t}{order} "
        f"ON CONFLICT (unit_id, code) "
        f"DO UPDATE SET {updates} WHERE {distinct} OR {_differ(table, 'excluded', [HASH])}"
    )


def _update_then_insert(cursor, record: DossierImport, stage_columns: list[str],
                        compared: list[str]) -> None:  # fmt: skip
    """PostgreSQL, the dossiers partitioned by year (partitions.py): an UPDATE of the
    existing dossiers found by (id, received_on) through the snapshot, which prunes to
    their partitions (a changed received_on moves the row), then an INSERT of the new ones.
    The table's SHARE ROW EXCLUSIVE lock (taken by _write) keeps other writers out between
    the snapshot and these two statements, so no (unit, code) can appear meanwhile and two
    imports never lock rows in crossed order; the codes table's triggers raise a unique
    violation on a duplicate anyway."""
    table = Dossier._meta.db_table
    differs = _differ("d", "s", compared)
    sets = ", ".join(
        [f"{c} = s.{c}" for c in stage_columns]
        + [f"last_import_id = CASE WHEN {differs} THEN {record.pk} ELSE d.last_import_id END"]
        + [f"updated_at = CASE WHEN {differs} THEN CURRENT_TIMESTAMP ELSE d.updated_at END"]
    )
    cursor.execute(
        f"UPDATE {table} d SET {sets} FROM dossier_stage s "
        f"JOIN dossier_old o ON o.unit_id = s.unit_id AND o.code = s.code "
        f"WHERE d.id = o.id AND d.received_on = o.received_on "
        f"AND ({differs} OR {_differ('d', 's', [HASH])})"
    )
    insert_columns = [
        "unit_id", "code", *stage_columns, "first_import_id", "last_import_id",
        "created_at", "updated_at",
    ]  # fmt: skip
    select = ", ".join(
        [f"s.{c}" for c in ("unit_id", "code", *stage_columns)]
        + [str(record.pk), str(record.pk), "CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP"]
    )
    cursor.execute(
        f"INSERT INTO {table} ({', '.join(insert_columns)}) "
        f"SELECT {select} FROM dossier_stage s WHERE NOT EXISTS (SELECT 1 FROM dossier_old o "
        f"WHERE o.unit_id = s.unit_id AND o.code = s.code) ORDER BY s.unit_id, s.code"
    )


# A file of at least a quarter of the table's size reads every stored hash (one scan of
# the table); a smaller one looks its own up in the content-hash index, in one statement.
HASH_SCAN = 1_000_000


def _known_hashes(cursor, spool: Spool) -> np.ndarray:
    """The spooled rows' content hashes that some dossier has already, sorted."""
    table = Dossier._meta.db_table
    pg = connection.vendor == "postgresql"
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
    top = cursor.fetchone()[0]
    joined = f"string_agg({HASH}::text, ',')" if pg else f"group_concat({HASH}, ',')"
    if spool.rows * 4 >= top:
        # Every stored hash, as text joined on the server a million ids at a time: one
        # value per row through the driver would cost more than the rest of the update.
        parts = []
        for start in range(0, top, HASH_SCAN):
            cursor.execute(
                f"SELECT {joined} FROM {table} WHERE id > %s AND id <= %s AND {HASH} IS NOT NULL",
                [start, start + HASH_SCAN],
            )
            text = cursor.fetchone()[0]
            if text:
                parts.append(np.fromstring(text, dtype=np.int64, sep=","))
        return np.sort(np.concatenate(parts)) if parts else np.empty(0, dtype=np.int64)
    return _probe_hashes(cursor, spool)


def _probe_hashes(cursor, spool: Spool) -> np.ndarray:
    """The spooled rows' hashes found in the content-hash index, for a file much smaller
    than the table: its distinct hashes, sorted, go to a temporary table, and one
    statement probes the index once per hash, in the index's order (a subquery with LIMIT
    is run per row: neither database turns it into a scan of the whole table).

    It used to send the hashes 10,000 at a time as `= ANY(array)`: PostgreSQL planned each
    of those as a scan of the whole table whenever the table had no statistics (right
    after a first load) or was not much bigger than the file: 30 scans of 5,000,000 rows
    for a monthly export of 300,000 (51–54 s)."""
    pg = connection.vendor == "postgresql"
    table = Dossier._meta.db_table
    clock = _Clock()
    if pg and partitions.is_partitioned(cursor):
        return _probe_partitions(cursor, spool)
    hashes = np.unique(np.concatenate([c.to_numpy() for c in spool.column(HASH)]))
    clock("  file's hashes")
    if pg:
        _ensure_statistics(cursor)
        clock("  statistics")
        cursor.execute(f"CREATE TEMP TABLE dossier_hashes ({HASH} bigint) ON COMMIT DROP")
        with cursor.cursor.copy(f"COPY dossier_hashes ({HASH}) FROM STDIN") as copy:
            copy.write("\n".join(map(str, hashes.tolist())) + "\n")
    else:
        # INTEGER PRIMARY KEY: the rowid itself, written in order; the hashes sent as one
        # JSON array read by json_each (one statement instead of an INSERT per hash).
        cursor.execute(f"CREATE TEMP TABLE dossier_hashes ({HASH} INTEGER PRIMARY KEY)")
        if sqlite3.sqlite_version_info >= (3, 38):  # JSON built in
            cursor.execute(
                f"INSERT INTO dossier_hashes ({HASH}) SELECT value FROM json_each(%s)",
                ["[" + ",".join(map(str, hashes.tolist())) + "]"],
            )
        else:
            cursor.cursor.executemany(
                f"INSERT INTO dossier_hashes ({HASH}) VALUES (?)", ((h,) for h in hashes.tolist())
            )
    clock("  hashes staged")
    joined = f"string_agg(h.{HASH}::text, ',')" if pg else f"group_concat(h.{HASH}, ',')"
    cursor.execute(
        f"SELECT {joined} FROM dossier_hashes h WHERE (SELECT 1 FROM {table} d "
        f"WHERE d.{HASH} = h.{HASH} LIMIT 1) IS NOT NULL"
    )
    text = cursor.fetchone()[0]
    clock("  index probed")
    cursor.execute(f"DROP TABLE {'pg_temp' if pg else 'temp'}.dossier_hashes")
    return np.sort(np.fromstring(text, dtype=np.int64, sep=",")) if text else hashes[:0]


def _probe_partitions(cursor, spool: Spool) -> np.ndarray:
    """_probe_hashes on PostgreSQL's table partitioned by year: each hash is looked up only
    in the partition of its row's received day. The received day is part of the hashed
    content (format.content_hashes), so a dossier with the same hash has the same day and
    is in that partition. A probe of the parent table visits every year's index in turn
    until one has the hash: at 5,000,000 dossiers over two years that was 543,000 index
    probes for 300,000 hashes, and it grows with the years kept. One statement per year
    the file names (the partition read directly; years without a partition of their own
    are in the default one)."""
    clock = _Clock()
    pairs = (
        pl.concat(
            pl.DataFrame({HASH: h, "year": d.dt.year()})
            for h, d in zip(spool.column(HASH), spool.column("received_on"), strict=True)
        )
        .unique()
        .sort(HASH)
    )
    clock("  file's hashes")
    _ensure_statistics(cursor)
    clock("  statistics")
    cursor.execute(f"CREATE TEMP TABLE dossier_hashes ({HASH} bigint, year integer) ON COMMIT DROP")
    with cursor.cursor.copy(
        f"COPY dossier_hashes ({HASH}, year) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
    ) as copy:
        copy.write(_copy_csv(pairs))
    clock("  hashes staged")
    own = {p.year: p.name for p in partitions.partitions(cursor, count=False)}
    years = pairs.get_column("year").unique().to_list()
    targets: dict[str, list[int]] = {}
    for year in years:
        targets.setdefault(own.get(year, partitions.DEFAULT), []).append(year)
    found = []
    for name, in_it in sorted(targets.items()):
        if name not in own.values():
            continue  # no default partition: no dossier of those years
        cursor.execute(
            f"SELECT string_agg(h.{HASH}::text, ',') FROM dossier_hashes h "
            f"WHERE h.year = ANY(%s) AND (SELECT 1 FROM {name} d "
            f"WHERE d.{HASH} = h.{HASH} LIMIT 1) IS NOT NULL",
            [in_it],
        )
        text = cursor.fetchone()[0]
        if text:
            found.append(np.fromstring(text, dtype=np.int64, sep=","))
    clock("  index probed")
    cursor.execute("DROP TABLE pg_temp.dossier_hashes")
    return np.unique(np.concatenate(found)) if found else np.empty(0, dtype=np.int64)


def _settings_for_update(cursor) -> None:
    """PostgreSQL, for this transaction only: no JIT compilation (the update's statements
    are many and short; compiling them cost 20–150 ms each) and memory enough for its
    sorts and aggregates over the staged rows, which spilled to disk with 4 MB."""
    if connection.vendor == "postgresql":
        cursor.execute("SET LOCAL jit = off")
        cursor.execute("SET LOCAL work_mem = '64MB'")


def _ensure_statistics(cursor) -> None:
    """PostgreSQL: analyse the dossier table if it never was (a first load that did not
    take the bulk path, autovacuum turned off or not come yet): the index probes above
    are planned as scans when the planner guesses."""
    table = Dossier._meta.db_table
    cursor.execute(
        "SELECT 1 FROM pg_stats WHERE tablename = %s AND attname = %s LIMIT 1", [table, HASH]
    )
    if cursor.fetchone() is None:
        _analyze(cursor)


class _Changed:
    """The spooled rows whose content hash no dossier has (new or changed rows), a frame
    at a time like the spool; `skipped` counts the others, `rows` these."""

    def __init__(self, spool: Spool, known: np.ndarray) -> None:
        self.spool = spool
        self.masks: list[np.ndarray] = []
        for column in spool.column(HASH):
            hashes = column.to_numpy()
            if len(known):
                # Looked up in sorted order: each search then starts near the last one in
                # `known` (millions of values), 5x faster than in the file's order.
                order = np.argsort(hashes)
                wanted = hashes[order]
                at = np.minimum(np.searchsorted(known, wanted), len(known) - 1)
                mask = np.empty(len(hashes), dtype=bool)
                mask[order] = known[at] != wanted
                self.masks.append(mask)
            else:
                self.masks.append(np.ones(len(hashes), dtype=bool))
        self.rows = int(sum(mask.sum() for mask in self.masks))
        self.skipped = spool.rows - self.rows

    def frames(self) -> Iterator[pl.DataFrame]:
        for frame, mask in zip(self.spool.frames(), self.masks, strict=True):
            if mask.any():
                yield frame.filter(pl.Series(mask))
