"""Every file the system reads goes through here, with limits.

Plain module (Django only to read the configured limits). A hostile or broken file must be
refused quickly, in bounded memory, with a message that names the limit or the fault and
where it is: a 4.8 KB XLSX claiming the range A1:XFD1048576 once held a worker for minutes,
a 2.8 MB one expanding to 980 MB of rows took gigabytes, a CSV header of a million columns
took 8 GB (issue 13). So:

- the file size is checked before anything is read;
- an XLSX is a zip: the declared size of every member is checked (total and ratio to the
  compressed size) before openpyxl opens it. Python's zipfile never inflates a member past
  its declared size (a member that lies fails its CRC), so the declared sizes bound the
  work. The sheet's declared dimension is ignored: rows are streamed (read-only mode,
  dimensions reset) and counted, and reading stops at the limit;
- a CSV's header is read with a bounded line length and its width checked before any
  parser sees it; every field is bounded (csv's field size limit); its encoding is detected
  and named when it is not UTF-8;
- values quoted in messages are cut to a short excerpt, so a 10 MB cell is never echoed
  into stdout or a stored error report.
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

MAX_REPORTED_ERRORS = 1000
EXCERPT = 80  # characters of a value shown in a message


def excerpt(value: object, length: int = EXCERPT) -> str:
    """The value as text, cut to `length` characters with "…" when longer."""
    text = "" if value is None else str(value)
    return text if len(text) <= length else text[:length] + "…"


def vn_int(value: int) -> str:
    """1048576 → "1.048.576" (Vietnamese thousands separator)."""
    return f"{value:,}".replace(",", ".")


@dataclass(frozen=True)
class RowError:
    row: int | None  # 1-based line/row number in the file as a spreadsheet shows it; None: the file
    column: str | None
    message: str
    value: str | None = None

    def __post_init__(self) -> None:
        # One place cuts what a message quotes: stdout, pages and stored reports alike.
        if self.value is not None and len(str(self.value)) > EXCERPT:
            object.__setattr__(self, "value", excerpt(self.value))
        if len(self.message) > 400:
            object.__setattr__(self, "message", excerpt(self.message, 400))
        if self.column is not None and len(str(self.column)) > EXCERPT:
            object.__setattr__(self, "column", excerpt(self.column))

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


def refuse(
    filename: str,
    message: str,
    row: int | None = None,
    column: str | None = None,
    value: object = None,
) -> TableErrors:
    return TableErrors(
        filename, [RowError(row, column, message, None if value is None else str(value))]
    )


# -- limits ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Limits:
    """What a file may hold. Settings CCHC_FILE_* (see settings.py) override the defaults."""

    max_bytes: int = 2 << 30  # a CSV of 5 million dossiers is ~1 GB
    max_rows: int = 10_000_000
    max_columns: int = 1_000  # the widest import has ~30 columns
    max_cell: int = 32_767  # characters; Excel's own limit for a cell
    max_uncompressed: int = 256 << 20  # bytes of XML in an XLSX; bigger imports go by CSV
    max_ratio: int = 100  # uncompressed / compressed of one zip member; real sheets: 5–20
    max_sheets: int = 50
    max_members: int = 1_000  # files inside an XLSX zip

    @property
    def max_header_bytes(self) -> int:
        # A header line: every column named in at most 256 bytes.
        return self.max_columns * 256


def limits() -> Limits:
    """The configured limits (Django settings when configured, else the defaults)."""
    try:
        from django.conf import settings

        configured = getattr(settings, "CCHC_FILE_LIMITS", None)
    except Exception:  # settings not configured: a plain script
        configured = None
    return Limits(**configured) if configured else Limits()


def _too_many_rows(limit: Limits) -> str:
    return f"Tệp có hơn {vn_int(limit.max_rows)} dòng (giới hạn CCHC_FILE_MAX_ROWS)."


def _too_many_columns(limit: Limits, found: int | None = None) -> str:
    seen = f" ({vn_int(found)} cột)" if found else ""
    return f"Tệp có hơn {vn_int(limit.max_columns)} cột{seen} (giới hạn CCHC_FILE_MAX_COLUMNS)."


def _cell_too_long(limit: Limits) -> str:
    return f"Ô dài hơn {vn_int(limit.max_cell)} ký tự (giới hạn CCHC_FILE_MAX_CELL)."


ERR_EMPTY = "Tệp rỗng, không có dòng tiêu đề."
ERR_EXTRA_COLUMN = "Dòng có giá trị ngoài {width} cột của dòng tiêu đề."


def source_name(source: object, filename: str | None = None) -> str:
    if filename:
        return filename
    if isinstance(source, str | Path):
        return str(source)
    return str(getattr(source, "name", "") or "")


def source_size(source: str | Path | IO[bytes] | bytes) -> int | None:
    if isinstance(source, bytes | bytearray):
        return len(source)
    if isinstance(source, str | Path):
        return os.stat(source).st_size
    size = getattr(source, "size", None)
    if isinstance(size, int):
        return size
    try:
        here = source.tell()
        end = source.seek(0, io.SEEK_END)
        source.seek(here)
        return end - here
    except (AttributeError, OSError, ValueError):
        return None


def check_size(source: Any, filename: str, limit: Limits | None = None) -> None:
    limit = limit or limits()
    size = source_size(source)
    if size is not None and size > limit.max_bytes:
        raise refuse(
            filename,
            f"Tệp lớn hơn {vn_int(limit.max_bytes)} byte ({vn_int(size)} byte; "
            "giới hạn CCHC_FILE_MAX_BYTES).",
        )


# -- encodings ------------------------------------------------------------------------------

# Letters and tone marks that only Vietnamese text in Windows-1258 produces when decoded:
# ă â đ ê ô ơ ư and the combining tones (cp1258 writes tones as combining marks).
_CP1258_HINTS = set("ăâđêôơưĂÂĐÊÔƠƯ\u0300\u0301\u0303\u0309\u0323")


def detect_encoding(head: bytes, *, at_start: bool = True) -> str:
    """The encoding of the file's first bytes (or of bytes inside it, at_start=False: no
    byte-order mark there): "utf-8", "utf-8-sig", "utf-16", "utf-32", "windows-1258" or
    "không rõ" (unknown)."""
    if not at_start:
        pass
    elif head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "utf-32"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if at_start and len(head) >= 4 and head[1:4:2] == b"\x00\x00" and head[0] and head[2]:
        return "utf-16"  # UTF-16LE without a BOM: every other byte is zero
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as error:
        if error.start >= len(head) - 3:  # cut in the middle of a character
            return "utf-8"
    try:
        text = head.decode("cp1258")
    except UnicodeDecodeError:
        return "không rõ"
    return "windows-1258" if any(c in _CP1258_HINTS for c in text) else "không rõ"


def encoding_message(found: str) -> str:
    names = {
        "utf-16": "UTF-16 (Excel 'Unicode Text')",
        "utf-32": "UTF-32",
        "windows-1258": "Windows-1258 (cp1258, bảng mã Windows tiếng Việt)",
        "không rõ": "không phải UTF-8 và không nhận ra được",
    }
    return (
        f"Tệp không phải văn bản UTF-8: bảng mã {names.get(found, found)}. "
        "Hãy lưu lại tệp dưới dạng 'CSV UTF-8'."
    )


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """(line, column) of a byte offset, both 1-based."""
    line = data.count(b"\n", 0, offset) + 1
    start = data.rfind(b"\n", 0, offset) + 1
    return line, len(data[start:offset].decode("utf-8", "replace")) + 1


def check_utf8(data: bytes, filename: str, first_line: int = 1) -> None:
    """Refuse bytes that are not UTF-8, naming the encoding detected and where."""
    found = detect_encoding(data[:65536], at_start=first_line == 1)
    if found not in ("utf-8", "utf-8-sig"):
        raise refuse(filename, encoding_message(found))
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start >= len(data) - 3 and error.reason == "unexpected end of data":
            return
        line, column = _position(data, error.start)
        guess = detect_encoding(data[max(0, error.start - 64) : error.start + 64])
        raise refuse(
            filename,
            encoding_message("không rõ" if guess.startswith("utf") else guess)
            + f" Byte lạ ở vị trí {column}.",
            row=first_line + line - 1,
        ) from None


# -- CSV ------------------------------------------------------------------------------------


def read_header_line(handle: IO[bytes], filename: str, limit: Limits | None = None) -> bytes:
    """The first line of a CSV, read with a bounded length, checked for its encoding and
    its width before any parser sees it."""
    limit = limit or limits()
    first = handle.readline(limit.max_header_bytes + 1)
    if len(first) > limit.max_header_bytes and not first.endswith(b"\n"):
        raise refuse(
            filename,
            f"Dòng tiêu đề dài hơn {vn_int(limit.max_header_bytes)} byte: "
            + _too_many_columns(limit),
            row=1,
        )
    found = detect_encoding(first[:4096] or b"")
    if found.startswith(("utf-16", "utf-32")) or found in ("windows-1258", "không rõ"):
        raise refuse(filename, encoding_message(found), row=1)
    check_utf8(first, filename)
    body = first.removeprefix(b"\xef\xbb\xbf")
    separator = b";" if body.count(b";") > body.count(b",") else b","
    width = max(body.count(separator), body.count(b"\t")) + 1
    if width > limit.max_columns:
        raise refuse(filename, _too_many_columns(limit, width), row=1)
    return first


@dataclass
class CsvTable:
    """A CSV's header and its records, read with limits. `records` yields (row, values):
    row is the record's number as a spreadsheet shows it (the header is row 1)."""

    filename: str
    header: list[str]
    delimiter: str
    records: Iterator[tuple[int, list[str]]]


def csv_table(
    source: str | Path | IO[bytes],
    filename: str | None = None,
    limit: Limits | None = None,
    *,
    extra_columns: bool = False,
) -> CsvTable:
    """Open a CSV with limits. `extra_columns=True` allows rows longer than the header
    (files whose trailing columns are free notes); otherwise such a row is refused."""
    limit = limit or limits()
    name = source_name(source, filename)
    check_size(source, name, limit)
    raw = open(source, "rb") if isinstance(source, str | Path) else source  # noqa: SIM115
    try:
        first = read_header_line(raw, name, limit)
    except BaseException:
        if raw is not source:
            raw.close()
        raise
    if not first.strip(b"\xef\xbb\xbf \r\n\t"):
        if raw is not source:
            raw.close()
        raise refuse(name, ERR_EMPTY)
    head = first.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    try:
        dialect: Any = csv.Sniffer().sniff(head, delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    text = io.TextIOWrapper(raw, encoding="utf-8", errors="strict", newline="")

    def lines() -> Iterator[str]:
        yield head
        for line in text:  # noqa: UP028 (yield from would close the caller's file)
            yield line

    csv.field_size_limit(limit.max_cell)
    reader = csv.reader(lines(), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except csv.Error as error:
        raise _csv_error(name, error, 1, limit) from None
    width = len(header)

    def records() -> Iterator[tuple[int, list[str]]]:
        try:
            for number, values in _csv_rows(reader, name, 2, limit):
                if not extra_columns:
                    _check_width(name, values, width, number)
                if number - 1 > limit.max_rows:
                    raise refuse(name, _too_many_rows(limit))
                yield number, values
        finally:
            if raw is not source:
                raw.close()
            else:
                text.detach()

    return CsvTable(name, header, delimiter, records())


def _csv_rows(
    reader: Iterator[list[str]], name: str, first_row: int, limit: Limits
) -> Iterator[tuple[int, list[str]]]:
    """(row number, values) from first_row on; a line the csv module or the decoder refuses
    is refused with its row number."""
    number = first_row - 1
    while True:
        number += 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise _csv_error(name, error, number, limit) from None
        except UnicodeDecodeError as error:
            found = detect_encoding(error.object[max(0, error.start - 64) : error.start + 64])
            raise refuse(
                name,
                encoding_message("không rõ" if found.startswith("utf") else found),
                row=number,
            ) from None
        yield number, values


def _check_width(name: str, values: list[str], width: int, number: int) -> None:
    """Refuse a line with a filled cell past the header's columns (empty ones are harmless)."""
    extra = next((i for i in range(width, len(values)) if values[i].strip()), None)
    if extra is not None:
        raise refuse(
            name,
            f"Dòng có {len(values)} cột, nhiều hơn {width} cột của dòng tiêu đề "
            f"(thừa từ cột {extra + 1}).",
            row=number,
            column=str(extra + 1),
            value=values[extra],
        )


def _csv_error(name: str, error: csv.Error, row: int, limit: Limits) -> TableErrors:
    text = str(error)
    if "field larger than field limit" in text:
        return refuse(
            name,
            _cell_too_long(limit) + " Có thể một dấu ngoặc kép mở ở đây chưa được đóng.",
            row=row,
        )
    if "unexpected end of data" in text or "EOF" in text:
        return refuse(name, "Dấu ngoặc kép mở nhưng không đóng đến hết tệp.", row=row)
    if "expected after" in text:
        return refuse(
            name, "Dấu ngoặc kép sai chỗ: sau dấu đóng ngoặc kép phải là dấu phân cách.", row=row
        )
    return refuse(name, f"Không đọc được dòng CSV: {text}", row=row)


def scan_csv_block(
    data: bytes,
    filename: str,
    first_row: int,
    width: int,
    delimiter: str,
    limit: Limits | None = None,
) -> None:
    """Find and name the first fault of a block of CSV records that a fast parser refused
    or could not place (the slow path, for bad files only)."""
    limit = limit or limits()
    check_utf8(data, filename, first_row)
    csv.field_size_limit(limit.max_cell)
    reader = csv.reader(
        io.StringIO(data.decode("utf-8"), newline=""), delimiter=delimiter, strict=True
    )
    for number, values in _csv_rows(reader, filename, first_row, limit):
        _check_width(filename, values, width, number)
        for i, value in enumerate(values):
            if len(value) > limit.max_cell:
                raise refuse(filename, _cell_too_long(limit), row=number, column=str(i + 1))


def cell_too_long(
    filename: str, row: int | None, column: str | None, limit: Limits | None = None
) -> TableErrors:
    return refuse(filename, _cell_too_long(limit or limits()), row=row, column=column)


def too_many_rows(filename: str, limit: Limits | None = None) -> TableErrors:
    return refuse(filename, _too_many_rows(limit or limits()))


# -- XLSX -----------------------------------------------------------------------------------


def check_zip(source: str | Path | IO[bytes], filename: str, limit: Limits | None = None) -> None:
    """Refuse an XLSX whose zip declares more than the limits allow, before it is opened."""
    limit = limit or limits()
    here = None if isinstance(source, str | Path) else _tell(source)
    try:
        with zipfile.ZipFile(source) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise refuse(
            filename, f"Không đọc được tệp XLSX (không phải tệp zip hợp lệ): {error}"
        ) from None
    finally:
        if here is not None:
            source.seek(here)  # type: ignore[union-attr]
    if len(members) > limit.max_members:
        raise refuse(
            filename,
            f"Tệp XLSX chứa hơn {vn_int(limit.max_members)} tệp con (CCHC_FILE_MAX_MEMBERS).",
        )
    sheets = [
        m
        for m in members
        if m.filename.startswith("xl/worksheets/") and m.filename.endswith(".xml")
    ]
    if len(sheets) > limit.max_sheets:
        raise refuse(
            filename,
            f"Tệp có hơn {vn_int(limit.max_sheets)} trang tính ({len(sheets)}; "
            "giới hạn CCHC_FILE_MAX_SHEETS).",
        )
    total = sum(m.file_size for m in members)
    if total > limit.max_uncompressed:
        raise refuse(
            filename,
            f"Tệp XLSX khi giải nén lớn hơn {vn_int(limit.max_uncompressed)} byte "
            f"({vn_int(total)} byte; giới hạn CCHC_FILE_MAX_UNCOMPRESSED). "
            "Tệp lớn hãy nhập dưới dạng CSV.",
        )
    for member in members:
        # Small members (the styles, the shared strings of a short list) compress very
        # well and are harmless; the ratio matters for the big ones.
        if member.file_size > (1 << 20) and member.file_size > limit.max_ratio * max(
            member.compress_size, 1
        ):
            raise refuse(
                filename,
                f"Tệp XLSX có phần '{excerpt(member.filename)}' nén hơn {limit.max_ratio} lần "
                "(giới hạn CCHC_FILE_MAX_RATIO): có thể là tệp độc hại (zip bomb).",
            )


def _tell(source: Any) -> int | None:
    try:
        return source.tell()
    except (AttributeError, OSError, ValueError):
        return None


def xlsx_rows(
    source: str | Path | IO[bytes],
    filename: str | None = None,
    limit: Limits | None = None,
    *,
    sheet: str | int = 0,
) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, values) of one sheet of an XLSX, streamed with limits. The sheet's
    declared range is ignored (a file may claim A1:XFD1048576); trailing empty cells are
    dropped; empty rows and rows missing from the file are not produced (their numbers are
    skipped)."""
    from openpyxl import load_workbook

    limit = limit or limits()
    name = source_name(source, filename)
    check_size(source, name, limit)
    check_zip(source, name, limit)
    try:
        book = load_workbook(source, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise refuse(name, f"Không đọc được tệp XLSX: {excerpt(error, 200)}") from None
    try:
        try:
            worksheet = book[sheet] if isinstance(sheet, str) else book.worksheets[sheet]
        except (KeyError, IndexError):
            raise refuse(name, f"Tệp không có trang tính '{sheet}'.") from None
        # Distrust the declared dimension: openpyxl pads every row to its width and adds
        # empty rows up to its height.
        worksheet.reset_dimensions()
        try:
            for number, row in _numbered_rows(worksheet):
                if number > limit.max_rows:
                    raise refuse(name, _too_many_rows(limit))
                if not row:
                    continue
                end = len(row)
                while end and (row[end - 1] is None or row[end - 1] == ""):
                    end -= 1
                if not end:  # empty (styled cells only): not a row of data
                    continue
                if end > limit.max_columns:
                    raise refuse(name, _too_many_columns(limit, end), row=number)
                values = tuple(row[:end])
                for index, value in enumerate(values):
                    if isinstance(value, str) and len(value) > limit.max_cell:
                        raise refuse(
                            name, _cell_too_long(limit), row=number, column=_column_letter(index)
                        )
                yield number, values
        except TableErrors:
            raise
        except Exception as error:  # a broken sheet: bad XML, a member failing its CRC
            raise refuse(name, f"Không đọc được tệp XLSX: {excerpt(error, 200)}") from None
    finally:
        book.close()


def _numbered_rows(worksheet) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, values) of the rows present in the sheet's XML. openpyxl's iter_rows
    yields an empty row for every number missing between two rows, so a sheet with a cell
    in row 1,048,576 costs a million iterations; its own parser (the same one iter_rows
    uses, openpyxl 3.1) gives the numbers instead."""
    try:
        from openpyxl.worksheet._reader import WorkSheetParser

        book = worksheet.parent
        source = worksheet._get_source()
        parser = WorkSheetParser(
            source,
            worksheet._shared_strings,
            data_only=book.data_only,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
    except (ImportError, AttributeError, TypeError):  # another openpyxl: the public way
        yield from enumerate(worksheet.iter_rows(values_only=True), start=1)
        return
    with source:
        for number, cells in parser.parse():
            if cells:
                yield number, worksheet._get_row(cells, 1, None, True)


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def xlsx_records(
    source: str | Path | IO[bytes],
    filename: str | None = None,
    limit: Limits | None = None,
    *,
    sheet: str | int = 0,
) -> Iterator[Sequence[Any]]:
    """The rows of a sheet as value tuples, one per row number up to the last row with
    data (empty or missing rows come as empty tuples, so enumerate() numbers them as a
    spreadsheet does)."""
    expected = 1
    for number, values in xlsx_rows(source, filename, limit, sheet=sheet):
        while expected < number:
            yield ()
            expected += 1
        yield values
        expected += 1


# -- YAML -----------------------------------------------------------------------------------


MAX_YAML_BYTES = 5 << 20  # a framework file is a few tens of KB


def yaml_text(data: bytes | str, filename: str = "") -> str:
    """The text of a YAML file, refused when too big or not UTF-8."""
    if isinstance(data, str):
        if len(data) > MAX_YAML_BYTES:
            raise refuse(filename, f"Tệp YAML lớn hơn {vn_int(MAX_YAML_BYTES)} byte.")
        return data
    if len(data) > MAX_YAML_BYTES:
        raise refuse(filename, f"Tệp YAML lớn hơn {vn_int(MAX_YAML_BYTES)} byte.")
    check_utf8(data, filename)
    return data.decode("utf-8-sig")
