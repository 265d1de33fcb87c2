"""Reading CSV and XLSX files row by row, and reporting what is wrong with them.

Plain module. Every import in the project (units, dossiers, surveys, plans, scores) reads
through here so that a bad file is always reported the same way: file, row, column, why.
Rows are streamed (XLSX in read-only mode), so a large file is never held in memory twice.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

MAX_REPORTED_ERRORS = 1000


@dataclass(frozen=True)
class RowError:
    row: int | None  # 1-based line/row number in the file as a spreadsheet shows it; None: the file
    column: str | None
    message: str
    value: str | None = None

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"dòng {self.row}")
        if self.column:
            where.append(f"cột '{self.column}'")
        prefix = ", ".join(where)
        shown = f" (giá trị: {self.value!r})" if self.value not in (None, "") else ""
        return f"{prefix}: {self.message}{shown}" if prefix else f"{self.message}{shown}"


@dataclass
class TableErrors(Exception):
    """All that is wrong with a file; nothing has been imported."""

    filename: str
    errors: list[RowError] = field(default_factory=list)

    def __str__(self) -> str:
        lines = [f"Tệp {self.filename}: {len(self.errors)} lỗi, không có dữ liệu nào được nhập."]
        lines += [f"  - {error}" for error in self.errors[:50]]
        if len(self.errors) > 50:
            lines.append(f"  … và {len(self.errors) - 50} lỗi khác")
        return "\n".join(lines)

    def as_json(self) -> dict:
        return {
            "file": self.filename,
            "errors": [
                {"row": e.row, "column": e.column, "message": e.message, "value": e.value}
                for e in self.errors
            ],
        }


def _normalise(name: object) -> str:
    return str(name or "").strip().lower().lstrip("\ufeff")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


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
    raw = open(source, "rb") if isinstance(source, str | Path) else source  # noqa: SIM115
    text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
    try:
        sample = text.read(4096)
    except UnicodeDecodeError:
        raise TableErrors(name, [RowError(None, None, "Tệp không phải văn bản UTF-8.")]) from None
    text.seek(0)
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(text, dialect)
    try:
        header = [_normalise(h) for h in next(reader)]
    except StopIteration:
        raise TableErrors(
            name, [RowError(None, None, "Tệp rỗng, không có dòng tiêu đề.")]
        ) from None
    except UnicodeDecodeError:
        raise TableErrors(name, [RowError(None, None, "Tệp không phải văn bản UTF-8.")]) from None

    def rows():
        try:
            for number, values in enumerate(reader, start=2):
                if not any(v.strip() for v in values):
                    continue
                yield (
                    number,
                    {
                        h: (values[i].strip() if i < len(values) else "")
                        for i, h in enumerate(header)
                    },
                )
        except UnicodeDecodeError:
            raise TableErrors(
                name, [RowError(None, None, "Tệp không phải văn bản UTF-8.")]
            ) from None
        finally:
            if isinstance(source, str | Path):
                raw.close()

    return header, rows()


def _iter_xlsx(source, name):
    from openpyxl import load_workbook

    try:
        book = load_workbook(source, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise TableErrors(
            name, [RowError(None, None, f"Không đọc được tệp XLSX: {error}")]
        ) from None
    sheet = book.worksheets[0]
    values = sheet.iter_rows(values_only=True)
    try:
        header = [_normalise(h) for h in next(values)]
    except StopIteration:
        raise TableErrors(
            name, [RowError(None, None, "Tệp rỗng, không có dòng tiêu đề.")]
        ) from None

    def rows():
        try:
            for number, row in enumerate(values, start=2):
                cells = [_cell(v) for v in row]
                if not any(cells):
                    continue
                yield (
                    number,
                    {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header) if h},
                )
        finally:
            book.close()

    return header, rows()


def require_columns(filename: str, header: list[str], required: list[str]) -> None:
    missing = [c for c in required if c not in header]
    if missing:
        raise TableErrors(
            filename,
            [RowError(1, c, "Thiếu cột bắt buộc.") for c in missing],
        )
