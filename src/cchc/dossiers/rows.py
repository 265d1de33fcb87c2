"""Reading dossier rows from the statistics CSV/XLSX format, streaming and all-or-nothing.

Columns (header names, any order, extra columns ignored, case and spaces ignored):
code, unit, procedure, channel, received_at, due_at, finished_at, intake_digitized,
result_digitized, paid_online, and optionally field (the procedure's lĩnh vực).

- received_at (required), due_at and finished_at (empty = no due date / not finished) are
  ISO dates or date-times (2023-03-01, 2023-03-01T08:30:00, 2023-03-01 08:30+07:00),
  compared by calendar date; an aware date-time is first converted to Vietnam time (UTC+7);
- channel: truc_tiep, truc_tuyen, buu_chinh;
- intake_digitized: none, partial, full; result_digitized and paid_online: 0 or 1.

The readers yield valid rows as they go and collect every error (row, column, value,
why); at the end of the file they raise RowErrors with all of them. Once a bad row is seen
they stop yielding, but keep reading so that the report names every bad row. A consumer
must therefore treat the rows as provisional until the iterator is exhausted (import
inside a transaction; accumulate statistics and print them only at the end): one bad row
rejects the whole file (issue 3, bulk import).

Plain module: no Django import.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any

from cchc.core import reading
from cchc.core.tabular import csv_writer
from cchc.dossiers.stats import CHANNELS, INTAKE_LEVELS, DossierRow

REQUIRED_COLUMNS: tuple[str, ...] = (
    "code",
    "unit",
    "procedure",
    "channel",
    "received_at",
    "due_at",
    "finished_at",
    "intake_digitized",
    "result_digitized",
    "paid_online",
)
# fee: amount in đồng (issue 14); empty or absent: the procedure's fee when the catalogue
# knows it (with_catalogue_fees), else no fee.
OPTIONAL_COLUMNS: tuple[str, ...] = ("field", "fee")
COLUMNS: tuple[str, ...] = REQUIRED_COLUMNS + OPTIONAL_COLUMNS

VIETNAM_TZ = dt.timezone(dt.timedelta(hours=7))

# Error codes (RowError.code) and their messages, in Vietnamese (the interface's language).
MISSING_COLUMN = "missing_column"
EMPTY_FILE = "empty_file"
REQUIRED = "required"
BAD_DATE = "bad_date"
BAD_CHANNEL = "bad_channel"
BAD_INTAKE = "bad_intake"
BAD_FLAG = "bad_flag"
BAD_FEE = "bad_fee"
FINISHED_BEFORE_RECEIVED = "finished_before_received"
DUE_BEFORE_RECEIVED = "due_before_received"
DUPLICATE = "duplicate"
UNSUPPORTED_FILE = "unsupported_file"
UNREADABLE = "unreadable"  # refused by core/reading.py: the message is its own

MESSAGES: dict[str, str] = {
    MISSING_COLUMN: "Thiếu cột bắt buộc '{column}'",
    EMPTY_FILE: "Tệp không có dòng tiêu đề",
    REQUIRED: "Cột '{column}' không được để trống",
    BAD_DATE: ("Ngày '{value}' không hợp lệ, dùng dạng YYYY-MM-DD hoặc YYYY-MM-DDTHH:MM"),
    BAD_CHANNEL: (
        "Kênh tiếp nhận '{value}' không hợp lệ, dùng truc_tiep, truc_tuyen hoặc buu_chinh"
    ),
    BAD_INTAKE: ("Mức số hóa '{value}' không hợp lệ, dùng none, partial hoặc full"),
    BAD_FLAG: "Giá trị '{value}' không hợp lệ, dùng 0 hoặc 1",
    BAD_FEE: "Phí, lệ phí '{value}' không hợp lệ: số tiền bằng đồng, VD 50000",
    FINISHED_BEFORE_RECEIVED: ("Ngày giải quyết '{value}' trước ngày tiếp nhận"),
    DUE_BEFORE_RECEIVED: "Hạn giải quyết '{value}' trước ngày tiếp nhận",
    DUPLICATE: ("Hồ sơ '{value}' của đơn vị này đã có ở dòng {first_row}"),
    UNREADABLE: "{value}",
    UNSUPPORTED_FILE: "Chỉ nhận tệp .csv hoặc .xlsx",
}

_FLAGS = {"0": False, "1": True}


@dataclass(frozen=True)
class RowError:
    row: int  # line in the file, the header being row 1
    column: str
    value: str
    code: str
    message: str

    def __str__(self) -> str:
        where = f"Dòng {self.row}" + (f", cột {self.column}" if self.column else "")
        return f"{where}: {self.message}"


class RowErrors(ValueError):
    """Every bad row and field of a file; the file is rejected as a whole."""

    def __init__(self, errors: list[RowError], *, source: str = "") -> None:
        self.errors = errors
        self.source = source
        head = f"{source}: " if source else ""
        lines = [f"{head}{len(errors)} lỗi, tệp bị từ chối"]
        lines += [str(e) for e in errors[:20]]
        if len(errors) > 20:
            lines.append(f"… và {len(errors) - 20} lỗi khác")
        super().__init__("\n".join(lines))

    @property
    def rows(self) -> list[int]:
        return sorted({e.row for e in self.errors})


def _error(row: int, column: str, value: object, code: str, **extra: object) -> RowError:
    text = "" if code == UNREADABLE else reading.excerpt(value)
    if code == UNREADABLE:
        return RowError(row, column, "", code, str(value))
    return RowError(
        row, column, text, code, MESSAGES[code].format(column=column, value=text, **extra)
    )


def _text(value: Any) -> str:
    if value is None:
        return ""
    return str(value).strip()


def _parse_date(value: Any) -> dt.date | None:
    """A calendar date from an ISO date, an ISO date-time, or an XLSX date cell."""
    if isinstance(value, str):
        text = value.strip()
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        return _local_date(dt.datetime.fromisoformat(text))
    if isinstance(value, dt.datetime):
        return _local_date(value)
    if isinstance(value, dt.date):
        return value
    raise ValueError(value)


def _local_date(value: dt.datetime) -> dt.date:
    if value.tzinfo is not None:
        value = value.astimezone(VIETNAM_TZ)
    return value.date()


def _parse_flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    return _FLAGS[_text(value)]


class _Parser:
    """Turns raw records (sequences of cell values) into DossierRows, collecting errors."""

    def __init__(
        self, header: Sequence[Any], *, check_duplicates: bool, max_errors: int | None
    ) -> None:
        names = [_text(h).lower().lstrip("\ufeff") for h in header]
        self.errors: list[RowError] = []
        self.max_errors = max_errors
        self.index: dict[str, int] = {}
        for position, name in enumerate(names):
            if name in COLUMNS and name not in self.index:
                self.index[name] = position
        missing = [c for c in REQUIRED_COLUMNS if c not in self.index]
        for column in missing:
            self.errors.append(_error(1, column, "", MISSING_COLUMN))
        self.seen: dict[tuple[str, str], int] | None = {} if check_duplicates else None
        self._positions: tuple[int, ...] | None = None

    @property
    def full(self) -> bool:
        return self.max_errors is not None and len(self.errors) >= self.max_errors

    def _cell(self, record: Sequence[Any], column: str) -> Any:
        position = self.index.get(column)
        if position is None or position >= len(record):
            return None
        return record[position]

    def parse(self, line: int, record: Sequence[Any]) -> DossierRow | None:
        # Most rows are good: try the straight path first and only take the slow one, which
        # names every bad field, when something is off.
        try:
            row = self._parse_fast(line, record)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError):
            row = None
        if row is not None:
            return row
        return self._parse_slow(line, record)

    def _parse_fast(self, line: int, record: Sequence[Any]) -> DossierRow | None:
        if self._positions is None:
            self._positions = tuple(self.index[c] for c in REQUIRED_COLUMNS)
        p = self._positions
        code, unit, procedure = record[p[0]].strip(), record[p[1]].strip(), record[p[2]].strip()
        channel = record[p[3]].strip().lower()
        intake = record[p[7]].strip().lower()
        if (
            not (code and unit and procedure)
            or channel not in CHANNELS
            or intake not in INTAKE_LEVELS
        ):
            return None
        received = _parse_date(record[p[4]])
        raw_due, raw_finished = record[p[5]], record[p[6]]
        due = _parse_date(raw_due) if raw_due is not None and str(raw_due).strip() else None
        finished = (
            _parse_date(raw_finished)
            if raw_finished is not None and str(raw_finished).strip()
            else None
        )
        result_digitized = _parse_flag(record[p[8]])
        paid_online = _parse_flag(record[p[9]])
        field_position = self.index.get("field")
        field = None
        if field_position is not None and field_position < len(record):
            field = _text(record[field_position]) or None
        row = DossierRow(
            code, unit, procedure, channel, received, due, finished, intake,
            result_digitized, paid_online, field, fee=_parse_fee(self._cell(record, "fee")),
        )  # fmt: skip
        if self.seen is not None and self.seen.setdefault((unit, code), line) != line:
            return None
        return row

    def _parse_slow(self, line: int, record: Sequence[Any]) -> DossierRow | None:
        errors: list[RowError] = []

        def required_text(column: str) -> str:
            value = _text(self._cell(record, column))
            if not value:
                errors.append(_error(line, column, "", REQUIRED))
            return value

        def date_of(column: str, *, required: bool) -> dt.date | None:
            raw = self._cell(record, column)
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                if required:
                    errors.append(_error(line, column, "", REQUIRED))
                return None
            try:
                return _parse_date(raw)
            except (ValueError, TypeError):
                errors.append(_error(line, column, raw, BAD_DATE))
                return None

        def flag_of(column: str) -> bool:
            raw = self._cell(record, column)
            if _text(raw) == "":
                errors.append(_error(line, column, "", REQUIRED))
                return False
            try:
                return _parse_flag(raw)
            except KeyError:
                errors.append(_error(line, column, raw, BAD_FLAG))
                return False

        code = required_text("code")
        unit = required_text("unit")
        procedure = required_text("procedure")
        channel = _text(self._cell(record, "channel")).lower()
        if not channel:
            errors.append(_error(line, "channel", "", REQUIRED))
        elif channel not in CHANNELS:
            errors.append(_error(line, "channel", self._cell(record, "channel"), BAD_CHANNEL))
        received = date_of("received_at", required=True)
        due = date_of("due_at", required=False)
        finished = date_of("finished_at", required=False)
        intake = _text(self._cell(record, "intake_digitized")).lower()
        if not intake:
            errors.append(_error(line, "intake_digitized", "", REQUIRED))
        elif intake not in INTAKE_LEVELS:
            errors.append(
                _error(line, "intake_digitized", self._cell(record, "intake_digitized"), BAD_INTAKE)
            )
        result_digitized = flag_of("result_digitized")
        paid_online = flag_of("paid_online")
        field = _text(self._cell(record, "field")) or None
        fee = None
        try:
            fee = _parse_fee(self._cell(record, "fee"))
        except ValueError:
            errors.append(_error(line, "fee", self._cell(record, "fee"), BAD_FEE))

        if received is not None:
            if finished is not None and finished < received:
                errors.append(
                    _error(
                        line,
                        "finished_at",
                        self._cell(record, "finished_at"),
                        FINISHED_BEFORE_RECEIVED,
                    )
                )
            if due is not None and due < received:
                errors.append(
                    _error(line, "due_at", self._cell(record, "due_at"), DUE_BEFORE_RECEIVED)
                )
        if self.seen is not None and code and unit:
            first = self.seen.setdefault((unit, code), line)
            if first != line:
                errors.append(_error(line, "code", code, DUPLICATE, first_row=first))

        if errors:
            room = None if self.max_errors is None else self.max_errors - len(self.errors)
            self.errors.extend(errors if room is None else errors[: max(room, 0)])
            return None
        assert received is not None
        return DossierRow(
            code=code,
            unit=unit,
            procedure=procedure,
            channel=channel,
            received=received,
            due=due,
            finished=finished,
            intake_digitized=intake,
            result_digitized=result_digitized,
            paid_online=paid_online,
            field=field,
            fee=fee,
        )


def _parse_fee(value: Any) -> int | None:
    """A fee in đồng: 50000, '50000', '50.000', '50,000'; empty -> None (not given)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if value < 0 or value != int(value):
            raise ValueError(value)
        return int(value)
    text = _text(value).replace(" ", "")
    if not text:
        return None
    if text.endswith(".0"):
        text = text[:-2]
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", text):
        text = text.replace(".", "").replace(",", "")
    if not text.isdigit():
        raise ValueError(value)
    return int(text)


def with_catalogue_fees(
    rows: Iterable[DossierRow], fees: Mapping[str, int]
) -> Iterator[DossierRow]:
    """Rows whose file gave no fee take their procedure's fee from the catalogue (code ->
    đồng); a procedure the catalogue does not know leaves the row without a fee."""
    for row in rows:
        if row.fee is None and row.procedure in fees:
            yield replace(row, fee=fees[row.procedure])
        else:
            yield row


def _is_blank(record: Sequence[Any]) -> bool:
    return all(_text(v) == "" for v in record)


def parse_records(
    records: Iterable[Sequence[Any]],
    *,
    source: str = "",
    check_duplicates: bool = True,
    max_errors: int | None = None,
) -> Iterator[DossierRow]:
    """DossierRows from raw records, the first being the header; see the module docstring.

    check_duplicates keeps one (unit, code) key per row to refuse a dossier listed twice
    (it would be counted twice); turn it off when the database enforces uniqueness and the
    file is too large for the keys to fit in memory. max_errors stops collecting (but the
    file is still rejected) after that many errors.
    """
    iterator = iter(records)
    header = next(iterator, None)
    if header is None:
        raise RowErrors([_error(1, "", "", EMPTY_FILE)], source=source)
    parser = _Parser(header, check_duplicates=check_duplicates, max_errors=max_errors)
    if parser.errors:
        raise RowErrors(parser.errors, source=source)
    for line, record in enumerate(iterator, start=2):
        # a row with a non-empty first cell is not blank: the full test only when it is empty
        first = record[0] if record else None
        if (first is None or not str(first).strip()) and _is_blank(record):
            continue
        row = parser.parse(line, record)
        if parser.full:
            break
        if row is not None and not parser.errors:
            yield row
    if parser.errors:
        raise RowErrors(parser.errors, source=source)


def read_csv(
    source: str | Path | IO[str] | IO[bytes],
    *,
    check_duplicates: bool = True,
    max_errors: int | None = None,
) -> Iterator[DossierRow]:
    """Stream DossierRows from a CSV file (UTF-8, with or without BOM; ',' or ';'), read
    through core/reading.py: its limits hold and a bad file is named (encoding, quotes,
    field size, extra columns) with its row."""
    name = str(source) if isinstance(source, str | Path) else getattr(source, "name", "")
    if isinstance(source, io.TextIOBase):  # already text: the csv module, bounded fields
        csv.field_size_limit(reading.limits().max_cell)
        first = source.readline()
        delimiter = ";" if first.count(";") > first.count(",") else ","
        records: Iterable[Sequence[Any]] = csv.reader(
            _chain_first(first, source), delimiter=delimiter
        )
    else:
        table = reading.csv_table(source, name)  # type: ignore[arg-type]
        records = _chain_first_record(table.header, (v for _, v in table.records))
    yield from _refused_as_row_errors(
        parse_records(
            records, source=name, check_duplicates=check_duplicates, max_errors=max_errors
        ),
        name,
    )


def _refused_as_row_errors(rows: Iterator[DossierRow], name: str) -> Iterator[DossierRow]:
    try:
        yield from rows
    except reading.TableErrors as error:
        raise RowErrors(
            [_error(e.row or 0, e.column or "", e.message, UNREADABLE) for e in error.errors],
            source=name,
        ) from None
    except csv.Error as error:
        raise RowErrors([_error(0, "", str(error), UNREADABLE)], source=name) from None


def _chain_first_record(first: Sequence[Any], rest: Iterable[Sequence[Any]]):
    yield first
    yield from rest


def _chain_first(first: str, rest: Iterable[str]) -> Iterator[str]:
    if first:
        yield first
    yield from rest


def read_xlsx(
    source: str | Path | IO[bytes],
    *,
    sheet: str | None = None,
    check_duplicates: bool = True,
    max_errors: int | None = None,
) -> Iterator[DossierRow]:
    """Stream DossierRows from the first (or the named) sheet of an XLSX workbook, read
    through core/reading.py (limits; the sheet's declared range ignored); date cells
    arrive as datetimes."""
    name = str(source) if isinstance(source, str | Path) else getattr(source, "name", "")
    records = reading.xlsx_records(source, name, sheet=sheet if sheet else 0)
    yield from _refused_as_row_errors(
        parse_records(
            records, source=name, check_duplicates=check_duplicates, max_errors=max_errors
        ),
        name,
    )


def read_rows(
    path: str | Path, *, check_duplicates: bool = True, max_errors: int | None = None
) -> Iterator[DossierRow]:
    """read_csv or read_xlsx by the file's extension."""
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        return read_csv(path, check_duplicates=check_duplicates, max_errors=max_errors)
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path, check_duplicates=check_duplicates, max_errors=max_errors)
    raise RowErrors([_error(0, "", str(path), UNSUPPORTED_FILE)], source=str(path))


def load_rows(path: str | Path, **options: Any) -> list[DossierRow]:
    """All rows of a file, or RowErrors: for small files and tests."""
    return list(read_rows(path, **options))


def write_csv(rows: Iterable[DossierRow], handle: IO[str]) -> None:
    """Write rows in the format read_csv reads (dates as ISO dates)."""
    writer = csv_writer(handle, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in rows:
        writer.writerow(
            [
                r.code,
                r.unit,
                r.procedure,
                r.channel,
                r.received.isoformat(),
                r.due.isoformat() if r.due else "",
                r.finished.isoformat() if r.finished else "",
                r.intake_digitized,
                int(r.result_digitized),
                int(r.paid_online),
                r.field or "",
                "" if r.fee is None else r.fee,
            ]
        )
