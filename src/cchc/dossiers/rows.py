"""Reading dossier rows for the statistics of a file (`cchc dossiers stats FILE`),
streaming and all-or-nothing, in the one dossier file format (imports.format): the same
columns and Vietnamese header aliases, the same value spellings (codes, labels, có/không),
the same date forms (ISO, DD/MM/YYYY, with or without a time, XLSX cells) and fee forms,
and the same messages as the import (docs/dossier-import.md).

What this reader needs of a file: the import's required columns (code, unit, procedure,
channel, received_at) and due_at, since the statistics judge on time by the file's due
dates (the import computes a missing one from the catalogue); finished_at, intake_digitized,
result_digitized, paid_online, field and fee are optional, with the import's defaults
(not finished, none, 0, 0, none, the catalogue's fee via with_catalogue_fees). Dates are
compared as calendar dates in Vietnam time.

The readers yield valid rows as they go and collect every error (row, column, value,
why); at the end of the file they raise RowErrors with all of them. Once a bad row is seen
they stop yielding, but keep reading so that the report names every bad row. A consumer
must therefore treat the rows as provisional until the iterator is exhausted (import
inside a transaction; accumulate statistics and print them only at the end): one bad row
rejects the whole file (issue 3, bulk import).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any

from cchc.core import reading
from cchc.core.tabular import csv_writer
from cchc.dossiers.imports import format as F
from cchc.dossiers.stats import DossierRow

REQUIRED_COLUMNS: tuple[str, ...] = (*F.REQUIRED_COLUMNS, "due_at")
OPTIONAL_COLUMNS: tuple[str, ...] = (
    "finished_at",
    "intake_digitized",
    "result_digitized",
    "paid_online",
    "field",
    "fee",
)
COLUMNS: tuple[str, ...] = REQUIRED_COLUMNS + OPTIONAL_COLUMNS

# Error codes (RowError.code); the messages are the import's (imports.format).
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

_CHANNELS = tuple(dict.fromkeys(F.CHANNEL_VALUES.values()))
_INTAKES = tuple(dict.fromkeys(F.INTAKE_VALUES.values()))
MESSAGES: dict[str, str] = {
    MISSING_COLUMN: F.ERR_MISSING_COLUMN,
    EMPTY_FILE: F.ERR_EMPTY_FILE,
    REQUIRED: F.ERR_REQUIRED,
    BAD_DATE: F.ERR_BAD_DATE,
    BAD_CHANNEL: F.ERR_BAD_CHOICE.format(expected=", ".join(_CHANNELS)),
    BAD_INTAKE: F.ERR_BAD_CHOICE.format(expected=", ".join(_INTAKES)),
    BAD_FLAG: F.ERR_BAD_FLAG,
    BAD_FEE: F.ERR_BAD_FEE,
    FINISHED_BEFORE_RECEIVED: F.ERR_FINISHED_BEFORE_RECEIVED,
    DUE_BEFORE_RECEIVED: F.ERR_DUE_BEFORE_RECEIVED,
    DUPLICATE: F.ERR_DUPLICATE,
    UNREADABLE: "{value}",
    UNSUPPORTED_FILE: "Chỉ nhận tệp .csv hoặc .xlsx",
}


@dataclass(frozen=True)
class RowError:
    row: int  # line in the file, the header being row 1
    column: str
    value: str
    code: str
    message: str

    def __str__(self) -> str:
        where = f"Dòng {self.row}" + (f", cột {self.column}" if self.column else "")
        shown = f" (giá trị '{self.value}')" if self.value and self.code != UNREADABLE else ""
        return f"{where}: {self.message}{shown}"


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
    if code == UNREADABLE:
        return RowError(row, column, "", code, str(value))
    text = reading.excerpt(value)
    first = extra.get("first_row")
    return RowError(
        row, column, text, code, MESSAGES[code].format(column=column, value=text, first=first)
    )


def _text(value: Any) -> str:
    return F.cell_text(value)


_CLOCK: F.Clock | None = None


def _parse_date(value: Any) -> dt.date:
    """A calendar date in Vietnam time, in any form the import reads (format.Clock)."""
    global _CLOCK
    if _CLOCK is None:
        _CLOCK = F.Clock()
    try:
        return _CLOCK.parse_date(value, "")
    except F.BadValue:
        raise ValueError(value) from None


def _parse_flag(value: Any) -> bool:
    if isinstance(value, int | float) and not isinstance(value, bool) and value in (0, 1):
        return bool(value)
    try:
        return F.flag(value, "")
    except F.BadValue:
        raise KeyError(value) from None


class _Parser:
    """Turns raw records (sequences of cell values) into DossierRows, collecting errors."""

    def __init__(
        self, header: Sequence[Any], *, check_duplicates: bool, max_errors: int | None
    ) -> None:
        names = [F.normalise_header(h) for h in header]
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

    @property
    def full(self) -> bool:
        return self.max_errors is not None and len(self.errors) >= self.max_errors

    def _cell(self, record: Sequence[Any], column: str) -> Any:
        position = self.index.get(column)
        if position is None or position >= len(record):
            return None
        return record[position]

    def parse(self, line: int, record: Sequence[Any]) -> DossierRow | None:
        """The row, or None after recording every error of the record."""
        errors: list[RowError] = []

        def required_text(column: str) -> str:
            value = _text(self._cell(record, column))
            if not value:
                errors.append(_error(line, column, "", REQUIRED))
            return value

        def date_of(column: str, *, required: bool) -> dt.date | None:
            raw = self._cell(record, column)
            if _text(raw) == "":
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
            try:
                return _parse_flag(raw)
            except KeyError:
                errors.append(_error(line, column, raw, BAD_FLAG))
                return False

        def choice_of(column: str, table: Mapping[str, str], code: str, default: str) -> str:
            raw = self._cell(record, column)
            text = _text(raw)
            if not text:
                if column in REQUIRED_COLUMNS:
                    errors.append(_error(line, column, "", REQUIRED))
                return default
            value = F.lookup(dict(table), text)
            if value is None:
                errors.append(_error(line, column, raw, code))
                return default
            return value

        code = required_text("code")
        unit = required_text("unit")
        procedure = required_text("procedure")
        channel = choice_of("channel", F.CHANNEL_VALUES, BAD_CHANNEL, "")
        received = date_of("received_at", required=True)
        due = date_of("due_at", required=False)
        finished = date_of("finished_at", required=False)
        intake = choice_of("intake_digitized", F.INTAKE_VALUES, BAD_INTAKE, "none")
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
    """A fee in đồng in any form the import reads (format.parse_fee) or an XLSX number;
    empty -> None (not given)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if value < 0 or value != int(value):
            raise ValueError(value)
        return int(value)
    text = _text(value)
    if not text:
        return None
    fee = F.parse_fee(text)
    if fee is None:
        raise ValueError(value)
    return fee


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
