"""The dossier import as a whole: the two phases, the streamed first load on PostgreSQL,
progress, the import record and its coverage."""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.db import DatabaseError, connection, connections, transaction
from django.utils import timezone

from cchc.core import stamps
from cchc.core.formatting import vn_date
from cchc.core.jobs import ERR_SYSTEM, time_limit_text
from cchc.core.models import TimeLimitExceeded
from cchc.core.people import Person, author
from cchc.core.reading import RowError
from cchc.core.tabular import MAX_REPORTED_ERRORS, TableErrors
from cchc.dossiers import partitions, summary
from cchc.dossiers.calendar import work_calendar
from cchc.dossiers.imports.checking import Reader
from cchc.dossiers.imports.files import CsvFile
from cchc.dossiers.imports.format import _FIXED_OFFSET_SINCE, LOADED_COLUMNS
from cchc.dossiers.imports.loading import (
    BULK_ROWS,
    _any_dossier,
    _Copy,
    _indexes_rebuilt,
    _stamps,
)
from cchc.dossiers.imports.reading import Spool, _check_csv, _finish_checks, _read
from cchc.dossiers.imports.writing import _write
from cchc.dossiers.models import (
    ArchivedYear,
    Dossier,
    DossierImport,
)


@dataclass
class ImportResult:
    import_id: int | None = None
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    unit_ids: list[int] = field(default_factory=list)
    seconds_read: float = 0.0
    seconds_write: float = 0.0
    bulk: bool = False
    # rows of an update that no stored content hash matched: staged, compared column by
    # column with their dossier (new ones inserted); the others were not touched
    staged: int = 0

    def __str__(self) -> str:
        return (
            f"{self.rows} dòng: {self.created} hồ sơ mới, {self.updated} cập nhật, "
            f"{self.unchanged} không đổi"
        )


def stream_first_load(source, filename: str, spool: Spool, record: DossierImport, by: Person | None, job,
            result: ImportResult) -> bool:  # fmt: skip
    """PostgreSQL, a CSV that is a big first load (BULK_ROWS rows or more, for units without
    dossiers, into a table not twice its size): check and load in one pass, inside one
    transaction, each checked batch sent by COPY while the next one is read and checked
    (the server works on the second core). Any error, found in any row, rolls it all back.
    Returns False, having changed nothing, when the file is not such a load."""
    if connection.vendor != "postgresql" or Path(filename).suffix.lower() not in (
        ".csv", ".txt", ""):  # fmt: skip
        return False
    with ExitStack() as stack:
        handle = source
        if isinstance(source, str | Path):
            handle = stack.enter_context(open(source, "rb"))  # noqa: SIM115
        if not getattr(handle, "seekable", lambda: False)():
            return False
        origin = handle.tell()
        csv_file = CsvFile(handle, filename)
        reader = Reader(csv_file.header, filename, by)
        if csv_file.size < BULK_ROWS * 40 or reader.errors or not reader.fast:
            handle.seek(origin)  # too small to gain, or refused anyway: the usual way
            return False
        # A first pass over the unit column: the units are resolved and their permissions
        # checked now, since no other query can run while COPY holds the connection.
        units: set[int] = set()
        years: set[int] = set()  # PostgreSQL's partitions (partitions.py), made before
        rows = 0
        unit_at, received_at = reader.pos["unit"], reader.pos["received_at"]
        for batch in csv_file.batches([unit_at, received_at]):
            rows += batch.height
            column = batch.get_column(f"c{unit_at}")
            for text in column.str.strip_chars().drop_nulls().unique().to_list():
                unit_id = reader._unit(text)
                if unit_id is not None:
                    units.add(unit_id)
            years.update(_years_written(batch.get_column(f"c{received_at}")))
        if units and _archived(years):
            handle.seek(origin)  # the usual way, which names the rows of archived years
            return False
        if units:
            partitions.ensure_years(years)
        reader.tallying = True  # the server loads meanwhile
        reader.calendar = work_calendar([_FIXED_OFFSET_SINCE.year])  # every year a row may have
        table = Dossier._meta.db_table
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
                big = rows >= BULK_ROWS and rows * 2 >= cursor.fetchone()[0]
                if not units or not big or _any_dossier(cursor, units):
                    handle.seek(origin)
                    return False
                csv_file.rewind()
                started = time.perf_counter()
                constants = _stamps(record)
                with _indexes_rebuilt(cursor):
                    with (
                        partitions.codes_written_after(cursor),
                        _Copy(cursor, table, LOADED_COLUMNS, constants, as_defaults=True) as copy,
                    ):
                        _check_csv(csv_file, reader, spool, _progress_aside(job), copy.write)
                    _finish_checks(reader, spool, filename)
                    result.seconds_read = time.perf_counter() - started
                    started = time.perf_counter()
            summary.apply(reader.summary_delta(spool))
            _done(record, result, reader, spool.rows, 0, 0)
            result.bulk = True
        result.seconds_write = time.perf_counter() - started
        return True


def _years_written(column) -> list[int]:
    """The years a column of date-times, as written, names (the first four-digit number of
    each: 2023 in '02/01/2023 07:30' and in '2023-01-02T07:30'), and the next ones (a
    time late on 31/12 in UTC is the next day in Vietnam). Only for making partitions
    beforehand: a year missed sends its rows to the default partition, correct still."""
    found = column.str.extract(r"(\d{4})").drop_nulls().unique().cast(int, strict=False)
    years = {int(y) for y in found.drop_nulls().to_list()}
    return sorted(years | {y + 1 for y in years})


def _spool_years(spool: Spool) -> set[int]:
    """The years the spooled rows were received in (their partitions, partitions.py)."""
    if connection.vendor != "postgresql":
        return set()
    return set(spool.rows_by_year())


def _archived(years: set[int]) -> list[int]:
    """The years among these whose dossiers are archived (partitions.archive_year)."""
    if not years:
        return []
    return list(ArchivedYear.objects.filter(year__in=years).values_list("year", flat=True))


def _refuse_archived(spool: Spool, filename: str, years: set[int]) -> None:
    """A file with rows received in an archived year is refused, its rows named: their
    dossiers are out of the table, the monthly summary has their figures already."""
    archived = _archived(years)
    if not archived:
        return
    errors: list[RowError] = []
    for frame in spool.frames():
        rows = frame.filter(frame.get_column("received_on").dt.year().is_in(archived))
        for row_no, received in rows.select("row_no", "received_on").iter_rows():
            errors.append(RowError(row_no, "received_at", ERR_ARCHIVED.format(
                year=received.year), vn_date(received)))  # fmt: skip
            if len(errors) >= MAX_REPORTED_ERRORS:
                raise TableErrors(filename, errors)
    raise TableErrors(filename, errors)


ERR_ARCHIVED = (
    "Hồ sơ tiếp nhận năm {year}: hồ sơ năm này đã lưu trữ (tách khỏi bảng hồ sơ), không "
    "nhập thêm được; gắn lại bằng `cchc dossiers unarchive-year {year}` rồi nhập."
)


def _progress_aside(job) -> Callable[[float, int], None]:
    """Progress written from a thread of its own (its own connection, its own commit): the
    importing connection is busy with COPY, and its transaction would hide the progress."""

    def progress(fraction: float, rows: int) -> None:
        if job is None:
            return

        def write() -> None:
            try:
                _reading(job, fraction, rows)
            finally:
                connections.close_all()  # this thread's connections

        thread = threading.Thread(target=write)
        thread.start()
        thread.join()

    return progress


def _reading(job, fraction: float, rows: int) -> None:
    # Reading is 80% of the bar; the write is one transaction, invisible until done.
    job.progress(int(fraction * 80), 100, f"Đã kiểm tra {rows:,} dòng".replace(",", "."))


def _record_coverage(
    unit_ids: Sequence[int], record: DossierImport, present: frozenset[str] = frozenset()
) -> None:
    """The import's units now hold dossiers from their first to their last received day
    (cchc.core.coverage): two index probes per unit, one read of the coverage and the changed
    runs written."""
    from cchc.core.coverage import DOSSIERS, FLAG_SOURCES
    from cchc.core.services import coverage_record_many

    sources = [DOSSIERS] + [flag for flag, column in FLAG_SOURCES.items() if column in present]
    rows = _received_spans(unit_ids)
    coverage_record_many(
        (
            (unit_id, source, first, last)
            for unit_id, first, last in rows
            if first is not None
            for source in sources
        ),
        origin=f"nhập tệp {record.filename}"[:200],
    )


def _received_spans(unit_ids: Sequence[int]) -> list[tuple[int, dt.date | None, dt.date | None]]:
    """(unit id, first, last received day) of each unit's dossiers, each an index probe on
    (unit, received_on) rather than a scan of the unit's rows."""
    table = Dossier._meta.db_table
    first = f"(SELECT MIN(received_on) FROM {table} WHERE unit_id = %s)"
    last = f"(SELECT MAX(received_on) FROM {table} WHERE unit_id = %s)"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT u, {first % 'u'}, {last % 'u'} FROM unnest(%s::bigint[]) AS u",
                [list(unit_ids)],
            )
            return cursor.fetchall()
        spans = []
        for unit_id in unit_ids:
            cursor.execute(f"SELECT {first}, {last}", [unit_id, unit_id])
            a, b = (
                dt.date.fromisoformat(v) if isinstance(v, str) else v for v in cursor.fetchone()
            )
            spans.append((unit_id, a, b))
        return spans


def _done(record: DossierImport, result: ImportResult, reader: Reader, created: int,
          updated: int, unchanged: int) -> None:  # fmt: skip
    result.rows, result.created, result.updated, result.unchanged = (
        reader.rows, created, updated, unchanged)  # fmt: skip
    result.unit_ids = sorted(reader.unit_ids)
    _record_coverage(result.unit_ids, record, getattr(reader, "present", frozenset()))
    # Written in bulk (no signal): the units' stamps move in the import's transaction, so
    # no figure kept from their old rows is served after the commit (cchc.core.stamps).
    stamps.touch(result.unit_ids)
    DossierImport.objects.filter(pk=record.pk).update(
        status=DossierImport.ImportStatus.DONE,
        finished_at=timezone.now(),
        rows=reader.rows,
        created=created,
        updated=updated,
        unchanged=unchanged,
    )


def dossiers_import(
    *,
    source: str | Path | IO[bytes],
    filename: str,
    by: Person | None,
    job=None,
) -> ImportResult:
    """Import a one-stop software export: every row or none (TableErrors names each bad row
    and column). Dossiers are matched by (unit, code): new ones are created, changed ones
    updated, identical ones left alone. Reports progress to the core.Job if given."""
    from cchc.core.liveness import HOST
    from cchc.core.reaper import reap_dead_work

    reap_dead_work()  # an import killed before this one is marked failed, not "running"
    record = DossierImport.objects.create(
        filename=filename,
        by=author(by),
        job=job,
        host=HOST,
        pid=os.getpid(),
        heartbeat_at=timezone.now(),
    )
    result = ImportResult(import_id=record.pk)

    def check_time() -> None:
        # A background job's time limit (core.jobs.run_upload; issue 13: a 4.8 KB file kept
        # a worker for 300 s), checked between batches and before writing. The command
        # line (no job) has none: an administrator there chose to wait.
        if job is not None:
            job.check_time()

    def progress(fraction: float, rows: int) -> None:
        DossierImport.objects.filter(pk=record.pk).update(heartbeat_at=timezone.now())
        check_time()
        if job is not None:
            _reading(job, fraction, rows)

    started = time.perf_counter()
    spool = Spool()
    try:
        if stream_first_load(source, filename, spool, record, by, job, result):
            return result
        reader = _read(source, filename, spool, progress, by)
        check_time()
        result.seconds_read = time.perf_counter() - started
        if job is not None:
            job.progress(80, 100, f"Đang ghi {reader.rows:,} hồ sơ…".replace(",", "."))
        started = time.perf_counter()
        years = _spool_years(spool)
        _refuse_archived(spool, filename, years)
        partitions.ensure_years(years)
        with transaction.atomic():
            created, updated, unchanged, result.bulk, result.staged = _write(reader, spool, record)
            _done(record, result, reader, created, updated, unchanged)
        result.seconds_write = time.perf_counter() - started
    except BaseException as error:
        _failed(record, error, job)
        raise
    finally:
        spool.close()
    return result


def _failed(record: DossierImport, error: BaseException, job) -> None:
    """The import record ends failed with why, whatever stopped the import: its process
    lives on, so the reaper would never mark it. Nothing was written (one transaction)."""
    if isinstance(error, TableErrors):
        errors = error.as_json()["errors"][:MAX_REPORTED_ERRORS]
    else:
        if isinstance(error, TimeLimitExceeded):
            message = time_limit_text(job.time_limit if job is not None else 0)
        else:
            message = ERR_SYSTEM.format(name=type(error).__name__)
        errors = [{"row": None, "column": None, "message": message, "value": None}]
    still_running = DossierImport.objects.filter(
        pk=record.pk, status=DossierImport.ImportStatus.RUNNING
    )
    fields = {
        "status": DossierImport.ImportStatus.FAILED,
        "finished_at": timezone.now(),
        "errors": errors,
    }
    try:
        still_running.update(**fields)
    except DatabaseError:
        # stopped inside a query (a time limit): the connection is left mid-command
        if connection.in_atomic_block:
            raise
        connection.close()
        still_running.update(**fields)
