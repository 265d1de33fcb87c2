"""The file readers of the import: a CSV a block of bytes at a time (polars), an XLSX
streamed, both with the limits of core/reading.py."""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import polars as pl

from cchc.core import reading
from cchc.core.tabular import RowError, TableErrors
from cchc.dossiers.imports.format import ERR_EMPTY_FILE

ROW = "__row"  # the row number column the CSV scan adds (the header is row 1)
# -- reading --------------------------------------------------------------------------------


class CsvFile:
    """A CSV read a block of bytes at a time, each block parsed by polars: bounded memory
    whatever the file's size. A block ends at the last line break outside quotes (a quoted
    field may hold line breaks; quotes inside one are doubled, so the count of quote
    characters before a break is even exactly when the break ends a record)."""

    BLOCK = 16 << 20

    def __init__(self, handle: IO[bytes], filename: str) -> None:
        self.handle = handle
        self.filename = filename
        try:
            start = handle.tell()
            self.size = handle.seek(0, io.SEEK_END) - start
            handle.seek(start)
        except (AttributeError, OSError, io.UnsupportedOperation):
            self.size = getattr(handle, "size", 0) or 0
        # The header is read bounded and its width and encoding checked before polars
        # sees it: a header of a million columns once took this import past 8 GB.
        self.limits = reading.limits()
        reading.check_size(handle, filename, self.limits)
        first = reading.read_header_line(handle, filename, self.limits)
        self.done = self.header_bytes = len(first)
        try:
            self.start: int | None = handle.tell()
        except (AttributeError, OSError, io.UnsupportedOperation):
            self.start = None
        first = first.removeprefix(b"\xef\xbb\xbf")
        if not first.strip():
            raise TableErrors(filename, [RowError(None, None, ERR_EMPTY_FILE)])
        self.separator = ";" if first.count(b";") > first.count(b",") else ","
        header = self._parse(first, None)
        self.header = ["" if v is None else v for v in header.row(0)] if header.height else []
        self.schema = {f"c{i}": pl.String for i in range(len(self.header))}

    def _parse(
        self, data: bytes, schema: dict | None, columns=None, first_row: int = 1
    ) -> pl.DataFrame:
        try:
            frame = self._polars(data, schema, columns, ragged=False)
        except pl.exceptions.PolarsError:
            # Not UTF-8, a broken quote, extra columns, a field over the limit: the slow
            # reader names the fault and its row. A row whose extra fields are all empty
            # (a trailing separator) is no fault: read it again without them.
            width = len(schema) if schema else 1
            reading.scan_csv_block(
                data, self.filename, first_row, width, self.separator, self.limits
            )
            try:
                frame = self._polars(data, schema, columns, ragged=True)
            except pl.exceptions.PolarsError as error:
                raise _unreadable(self.filename, error) from None
        if frame.height and frame.width:
            longest = frame.select(pl.all().str.len_chars().max()).row(0)
            for index, length in enumerate(longest):
                if length is not None and length > self.limits.max_cell:
                    reading.scan_csv_block(
                        data,
                        self.filename,
                        first_row,
                        len(frame.columns),
                        self.separator,
                        self.limits,
                    )
                    raise reading.cell_too_long(
                        self.filename, None, frame.columns[index], self.limits
                    )
        return frame

    def _polars(self, data: bytes, schema: dict | None, columns, *, ragged: bool):
        try:
            return pl.read_csv(
                io.BytesIO(data),
                has_header=False,
                separator=self.separator,
                schema=schema,
                columns=columns,
                infer_schema=False,
                truncate_ragged_lines=ragged,
            )
        except pl.exceptions.NoDataError:
            return pl.DataFrame(schema=schema)

    def fraction(self) -> float:
        return min(self.done / self.size, 1.0) if self.size else 0.0

    def batches(self, column: int | list[int] | None = None) -> Iterator[pl.DataFrame]:
        """Frames of the rows: the row number (the header is row 1), then the columns c0…
        (or only the column(s) given)."""
        row, carry = 2, b""
        columns = None if column is None else [column] if isinstance(column, int) else column
        # A record longer than every field at its limit can only be an unclosed quote or
        # a hostile file: refused rather than carried into the next block forever.
        longest = max(len(self.header) * (self.limits.max_cell * 4 + 3), 1 << 20)
        while True:
            block = self.handle.read(self.BLOCK)
            data = carry + block
            cut = len(data) if not block else _record_end(data)
            carry = data[cut:]
            if block and not cut and len(data) > longest:
                reading.scan_csv_block(
                    data[: longest + 1],
                    self.filename,
                    row,
                    len(self.header),
                    self.separator,
                    self.limits,
                )
                raise reading.cell_too_long(self.filename, row, None, self.limits)
            if cut:
                frame = self._parse(data[:cut], self.schema, columns, row)
                self.done += cut
                yield frame.with_row_index(ROW, offset=row)
                row += frame.height
                if row - 2 > self.limits.max_rows:
                    raise reading.too_many_rows(self.filename, self.limits)
            if not block:
                return

    def rewind(self) -> None:
        """Back to the first row, for another pass."""
        self.handle.seek(self.start)
        self.done = self.header_bytes


def _record_end(data: bytes) -> int:
    """The end of the last whole record in the data (0 if none). The quotes are counted
    once, then backwards line by line: an unclosed quote early in a block must not make
    this quadratic."""
    end = data.rfind(b"\n")
    quotes = data.count(b'"', 0, end) if end >= 0 else 0
    while end >= 0:
        if quotes % 2 == 0:
            return end + 1
        previous = data.rfind(b"\n", 0, end)
        quotes -= data.count(b'"', previous + 1 if previous >= 0 else 0, end)
        end = previous
    return 0


def _unreadable(filename: str, error: Exception) -> TableErrors:
    if "utf-8" in str(error).lower() or "utf8" in str(error).lower():
        return TableErrors(filename, [RowError(None, None, "Tệp không phải văn bản UTF-8.")])
    return TableErrors(filename, [RowError(None, None, f"Không đọc được tệp CSV: {error}")])


def xlsx_records(source: str | Path | IO[bytes], filename: str) -> Iterator[Sequence[Any]]:
    # Streamed with the limits of core/reading.py; the sheet's declared range is ignored.
    return reading.xlsx_records(source, filename)
