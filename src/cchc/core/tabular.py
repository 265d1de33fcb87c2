"""Reading CSV and XLSX files row by row, and reporting what is wrong with them.

Plain module. Every import in the project (units, dossiers, surveys, plans, scores) reads
through here so that a bad file is always reported the same way: file, row, column, why.
Rows are streamed through core/reading.py, which holds the limits (rows, columns, cell
length, uncompressed size) and names every fault of a file.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

# The limits and the errors live with the one reader (core/reading.py); imported here too
# because every import in the project names them from this module.
from cchc.core.reading import (  # noqa: F401
    MAX_REPORTED_ERRORS,
    RowError,
    TableErrors,
    csv_table,
    refuse,
    xlsx_rows,
)


def _normalise(name: object) -> str:
    return str(name or "").strip().lower().lstrip("\ufeff")


def cell_text(value: object) -> str:
    """A cell as text: "" for an empty cell, a whole number stored as a float (XLSX) without
    its ".0", anything else stripped. Every reader of a file's cells uses this one."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _cell(value: object) -> str:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return cell_text(value)


def iter_rows(
    source: str | Path | IO[bytes], filename: str | None = None
) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """(header, rows): header names lower-cased; each row a dict of stripped strings.

    source is a path or a binary file object; filename decides the format (.csv or .xlsx).
    """
    name = filename or (
        str(source) if isinstance(source, str | Path) else getattr(source, "name", "")
    )
    suffix = Path(name).suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        return _iter_xlsx(source, name)
    if suffix in {".csv", ".txt", ""}:
        return _iter_csv(source, name)
    raise TableErrors(
        name,
        [RowError(None, None, f"Định dạng tệp '{suffix}' không được hỗ trợ; dùng CSV hoặc XLSX.")],
    )


def _iter_csv(source, name):
    table = csv_table(source, name)
    header = [_normalise(h) for h in table.header]

    def rows():
        for number, values in table.records:
            if not any(v.strip() for v in values):
                continue
            yield (
                number,
                {h: (values[i].strip() if i < len(values) else "") for i, h in enumerate(header)},
            )

    return header, rows()


def _iter_xlsx(source, name):
    records = xlsx_rows(source, name)
    first = next(records, None)
    if first is None:
        raise refuse(name, "Tệp rỗng, không có dòng tiêu đề.")
    header = [_normalise(h) for h in first[1]]

    def rows():
        for number, row in records:
            cells = [_cell(v) for v in row]
            if not any(cells):
                continue
            if len(cells) > len(header) and any(cells[len(header) :]):
                extra = next(i for i in range(len(header), len(cells)) if cells[i])
                raise refuse(
                    name,
                    f"Dòng có giá trị ở cột {extra + 1}, ngoài {len(header)} cột của dòng tiêu đề.",
                    row=number,
                    column=str(extra + 1),
                    value=cells[extra],
                )
            yield (
                number,
                {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header) if h},
            )

    return header, rows()


def require_columns(filename: str, header: list[str], required: list[str]) -> None:
    missing = [c for c in required if c not in header]
    if missing:
        raise TableErrors(
            filename,
            [RowError(1, c, "Thiếu cột bắt buộc.") for c in missing],
        )


# -- exports --------------------------------------------------------------------------------
# OWASP "CSV injection": a cell starting with = + - @ (or a tab or carriage return, which
# some spreadsheets skip before reading one of those) is run as a formula when the file is
# opened: a staff member named =HYPERLINK("http://…","Nguyễn A") became a live link in the
# staffing workbook (issue 13). Every CSV and XLSX export writes through the helpers below,
# which prefix such text with a single quote (and mark XLSX cells as text). Numbers stay
# numbers: a negative number, given as a number or as the plain text of one, is not touched.

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?%?")


def safe_value(value: Any) -> Any:
    """The value as it may be written to a cell: formula-like text prefixed with "'"."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        if _PLAIN_NUMBER.fullmatch(value.strip()):
            return value
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_value(v) for v in values]


class SafeCsvWriter:
    """csv.writer whose every cell goes through safe_value."""

    def __init__(self, handle: IO[str], *args: Any, **kwargs: Any) -> None:
        self._writer = csv.writer(handle, *args, **kwargs)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class SafeCsvDictWriter(csv.DictWriter):
    """csv.DictWriter whose every value goes through safe_value."""

    def writerow(self, rowdict: Mapping[str, Any]) -> Any:
        return super().writerow({k: safe_value(v) for k, v in rowdict.items()})

    def writerows(self, rowdicts: Iterable[Mapping[str, Any]]) -> None:
        for row in rowdicts:
            self.writerow(row)


def csv_writer(handle: IO[str], *args: Any, **kwargs: Any) -> SafeCsvWriter:
    return SafeCsvWriter(handle, *args, **kwargs)


def csv_dict_writer(handle: IO[str], fieldnames: Sequence[str], **kwargs: Any):
    return SafeCsvDictWriter(handle, fieldnames, **kwargs)


def make_safe(book: Any) -> Any:
    """Every text cell of a (not write-only) workbook made safe: formula-like text gets its
    quote and the cell is typed as text, so no cell of an export is ever a formula."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str) and (
                    cell.data_type == "f" or value.startswith(FORMULA_START)
                ):
                    safe = safe_value(value)
                    if safe is not value:
                        cell.value = safe
                        cell.data_type = "s"
    return book


def workbook_bytes(book: Any) -> bytes:
    """The XLSX bytes of a workbook, made safe first (write-only workbooks are made safe
    row by row with safe_row, since their cells cannot be read back)."""
    if not getattr(book, "write_only", False):
        make_safe(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
