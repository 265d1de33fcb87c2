"""Phase 1: a file read and checked whole, its good rows spooled as typed Arrow files."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import IO

import numpy as np
import polars as pl
from django.db import connection

from cchc.core import reading
from cchc.core.people import Person
from cchc.core.tabular import RowError, TableErrors
from cchc.dossiers.imports.checking import Reader, _key_hashes
from cchc.dossiers.imports.files import CsvFile, xlsx_records
from cchc.dossiers.imports.format import ERR_DUPLICATE, ERR_EMPTY_FILE, cell_text

XLSX_CHUNK = 20_000


class Spool:
    """The checked rows between the two phases: Arrow files (LZ4) in a temporary directory,
    one per batch (sorted by (unit, code) for SQLite), so that memory holds one batch whatever
    the size of the file."""

    def __init__(self) -> None:
        self.directory = tempfile.TemporaryDirectory(prefix="cchc-import-")
        self.paths: list[Path] = []
        self.rows = 0

    def add(self, frame: pl.DataFrame) -> None:
        path = Path(self.directory.name) / f"{len(self.paths):06d}.arrow"
        if connection.vendor == "sqlite":  # a load with live indexes goes in their order
            frame = frame.sort("unit_id", "code")
        frame.write_ipc(path, compression="lz4")
        self.paths.append(path)
        self.rows += frame.height

    def frames(self) -> Iterator[pl.DataFrame]:
        for path in self.paths:
            yield pl.read_ipc(path, memory_map=False)

    def column(self, name: str) -> Iterator[pl.Series]:
        """One column of each batch, reading only that column's part of the files."""
        for path in self.paths:
            yield pl.read_ipc(path, columns=[name], memory_map=False).to_series()

    def rows_by_year(self, exclude: Sequence[int] = ()) -> dict[int, int]:
        """How many spooled rows were received in each year (their partitions), but the
        years of `exclude`; reads only the received_on column of each batch."""
        counts: dict[int, int] = {}
        for column in self.column("received_on"):
            years = column.dt.year().drop_nulls()
            for year, rows in years.filter(~years.is_in(list(exclude))).value_counts().iter_rows():
                counts[year] = counts.get(year, 0) + rows
        return counts

    def close(self) -> None:
        self.directory.cleanup()


def _read(
    source: str | Path | IO[bytes],
    filename: str,
    spool: Spool,
    progress: Callable[[float, int], None],
    by: Person | None = None,
) -> Reader:
    suffix = Path(filename).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        reader = _read_xlsx(source, filename, spool, progress, by)
    elif suffix in (".csv", ".txt", ""):
        reader = _read_csv(source, filename, spool, progress, by)
    else:
        raise TableErrors(
            filename,
            [
                RowError(
                    None, None, f"Định dạng tệp '{suffix}' không được hỗ trợ; dùng CSV hoặc XLSX."
                )
            ],
        )
    _finish_checks(reader, spool, filename)
    return reader


def _finish_checks(reader: Reader, spool: Spool, filename: str) -> None:
    """The duplicate check, then every error found, or nothing."""
    repeated = reader.repeated_hashes()
    if len(repeated):
        _report_duplicates(reader, spool, repeated)
    if reader.error_count:
        raise TableErrors(filename, sorted(reader.errors, key=lambda e: e.row or 0))


def _read_csv(source, filename: str, spool: Spool, progress, by: Person | None) -> Reader:
    with ExitStack() as stack:
        if isinstance(source, str | Path):
            source = stack.enter_context(open(source, "rb"))  # noqa: SIM115
        csv_file = CsvFile(source, filename)
        reader = Reader(csv_file.header, filename, by)
        if reader.errors:
            raise TableErrors(filename, reader.errors)
        _check_csv(csv_file, reader, spool, progress)
    return reader


def _check_csv(
    csv_file: CsvFile,
    reader: Reader,
    spool: Spool,
    progress: Callable[[float, int], None],
    each: Callable[[pl.DataFrame], None] | None = None,
) -> None:
    """Check every row of the CSV, spool the good ones; `each` gets every batch of checked
    rows as long as no error has been found."""
    for batch in csv_file.batches():
        good, rest = reader.take(batch)
        slow = [reader.line(row[0], row[1:]) for row in rest.iter_rows()]
        checked = [r for r in slow if r is not None]
        frame = pl.concat([good, reader.rows_of(checked)]) if checked else good
        frame = reader.keep(frame, spool)
        if each is not None and not reader.error_count and not frame.is_empty():
            each(frame)
        reader.rows += good.height + len(slow)
        progress(csv_file.fraction(), reader.rows)


def _read_xlsx(source, filename: str, spool: Spool, progress, by: Person | None) -> Reader:
    records = xlsx_records(source, filename)
    header = next(records, None)
    if header is None:
        raise TableErrors(filename, [RowError(None, None, ERR_EMPTY_FILE)])
    reader = Reader(header, filename, by)
    if reader.errors:
        raise TableErrors(filename, reader.errors)
    checked: list[tuple] = []
    width = len(header)
    for row_no, record in enumerate(records, start=2):
        if all(cell_text(v) == "" for v in record):
            continue
        reader.rows += 1
        extra = next((i for i in range(width, len(record)) if cell_text(record[i]) != ""), None)
        if extra is not None:  # a value outside the header's columns: never dropped silently
            reader.add_error(
                row_no,
                str(extra + 1),
                reading.ERR_EXTRA_COLUMN.format(width=width),
                reading.excerpt(record[extra]),
            )
            continue
        values = reader.line(row_no, record)
        if values is not None:
            checked.append(values)
        if len(checked) >= XLSX_CHUNK:
            reader.keep(reader.rows_of(checked), spool)
            checked = []
            progress(0.0, reader.rows)
    reader.keep(reader.rows_of(checked), spool)
    return reader


def _report_duplicates(reader: Reader, spool: Spool, repeated: np.ndarray) -> None:
    """Second pass over the spool: the rows whose (unit, code) hash repeats, checked
    exactly; every row after the first of a (unit, code) is an error."""
    wanted = pl.Series(repeated, dtype=pl.UInt64)
    suspects = pl.concat(
        [
            frame.filter(_key_hashes(frame).is_in(wanted.implode())).select(
                "row_no", "unit_id", "code"
            )
            for frame in spool.frames()
        ]
    ).sort("row_no")
    first: dict[tuple[int, str], int] = {}
    for row_no, unit_id, code in suspects.iter_rows():
        seen = first.setdefault((unit_id, code), row_no)
        if seen != row_no:
            reader.add_error(row_no, "code", ERR_DUPLICATE.format(value=code, first=seen), code)
