"""Bulk import of dossiers (one-stop software exports) and of the procedure catalogue.

docs/dossier-import.md is the user's description: columns, Vietnamese header aliases,
values, what an update changes, and why a bulk import keeps one import record instead of a
history row per dossier.

The dossier import runs in two phases so that a page can follow it and nothing half-done
is ever visible:
1. read and check every row, a batch at a time (bounded memory whatever the file's size),
   reporting progress to the Job: CSV column-wise (polars), with a per-row path that is
   the reference for anything unusual; good rows are spooled as typed Arrow files with
   their share of the monthly summary tallied; a bad row is collected (row, column, value,
   why) and the file is refused whole;
2. in ONE transaction, set-based (no ORM save per row):
   - units that have no dossiers yet (a first import): the rows go straight into the
     table (COPY on PostgreSQL, executemany on SQLite), the summary gets the tally; a big
     first load drops the table's secondary indexes and builds them again after;
   - otherwise: the rows go to a temporary table, the old dossiers' share of the summary is
     subtracted, the rows upserted (INSERT … ON CONFLICT (unit_id, code) DO UPDATE … WHERE
     something changed), the new share added.
"""

from __future__ import annotations

import datetime as dt
import io
import operator
import os
import re
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager, nullcontext
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import reduce
from pathlib import Path
from typing import IO, Any

import numpy as np
import polars as pl
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction
from django.db.models import CheckConstraint
from django.utils import timezone

from cchc.core import reading
from cchc.core.formatting import VIETNAM
from cchc.core.tabular import MAX_REPORTED_ERRORS, RowError, TableErrors, csv_writer
from cchc.dossiers import summary
from cchc.dossiers.calendar import work_calendar
from cchc.dossiers.models import (
    FINISHED_STATUSES,
    Channel,
    Dossier,
    DossierImport,
    IntakeDigitized,
    OnlineClass,
    Procedure,
    ProcedureLevel,
    Rating,
    Status,
)
from cchc.dossiers.periods import vn_today
from cchc.dossiers.workdays import CalendarRangeError
from cchc.units.models import CodeScheme, Unit

# -- messages (Vietnamese first; tests import them) -------------------------------------------

ERR_TIME_LIMIT = (
    "Quá thời gian cho phép ({seconds} giây) khi đọc tệp; không có hồ sơ nào được ghi. "
    "Hãy chia tệp nhỏ hơn hoặc nhập bằng lệnh cchc dossiers import."
)
ERR_MISSING_COLUMN = "Thiếu cột bắt buộc '{column}'"
ERR_EMPTY_FILE = "Tệp không có dòng tiêu đề"
ERR_REQUIRED = "Không được để trống"
ERR_BAD_DATE = "Ngày không hợp lệ: dùng YYYY-MM-DD, YYYY-MM-DD HH:MM hoặc DD/MM/YYYY HH:MM"
ERR_FUTURE_DATE = "Ngày ở tương lai"
ERR_BAD_CHOICE = "Giá trị không hợp lệ; dùng một trong: {expected}"
ERR_BAD_FLAG = "Giá trị không hợp lệ; dùng 0 hoặc 1"
ERR_BAD_NUMBER = "Không phải số nguyên ≥ 0"
ERR_UNKNOWN_UNIT = "Không có đơn vị mã '{value}'"
ERR_AMBIGUOUS_UNIT = "Mã đơn vị '{value}' có ở nhiều hệ mã ({schemes}); ghi rõ, ví dụ {example}"
ERR_UNIT_NOT_ALLOWED = (
    "Bạn không được nhập hồ sơ của đơn vị '{value}': chỉ nhập được hồ sơ của các đơn vị "
    "bạn được phép cập nhật"
)
ERR_UNKNOWN_PROCEDURE = "Không có thủ tục mã '{value}' trong danh mục"
ERR_FINISHED_BEFORE_RECEIVED = "Ngày kết thúc trước ngày tiếp nhận"
ERR_DUE_BEFORE_RECEIVED = "Hạn giải quyết trước ngày tiếp nhận"
ERR_FINISHED_STATUS_NEEDS_DATE = (
    "Trạng thái '{status}' là đã kết thúc nhưng thiếu ngày kết thúc (finished_at)"
)
ERR_OPEN_STATUS_WITH_DATE = "Trạng thái '{status}' là chưa kết thúc nhưng có ngày kết thúc"
ERR_DUPLICATE = "Hồ sơ '{value}' của đơn vị này đã có ở dòng {first}"
ERR_CALENDAR = "Không tính được hạn giải quyết: {error}"
ERR_TOO_LONG = "Dài quá {limit} ký tự"

# -- columns ----------------------------------------------------------------------------------

# Canonical names: the statistics CSV of issue 3 (rows.py), then the optional ones.
REQUIRED_COLUMNS: tuple[str, ...] = ("code", "unit", "procedure", "channel", "received_at")
OPTIONAL_COLUMNS: tuple[str, ...] = (
    "due_at",
    "finished_at",
    "intake_digitized",
    "result_digitized",
    "paid_online",
    "field",
    "applicant",
    "status",
    "supplement_count",
    "late_by_rule",
    "rating",
    "result_electronic",
    "reused_data",
    "e_certified_copy",
    "data_store_linked",
    "synced",
    "complaint",
    "fee",
)
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS

# Header aliases of one-stop software exports (compared lower-cased, spaces collapsed).
ALIASES: dict[str, str] = {
    "mã hồ sơ": "code",
    "số hồ sơ": "code",
    "mã đơn vị": "unit",
    "đơn vị": "unit",
    "mã cơ quan": "unit",
    "mã thủ tục": "procedure",
    "mã tthc": "procedure",
    "mã thủ tục hành chính": "procedure",
    "kênh tiếp nhận": "channel",
    "hình thức tiếp nhận": "channel",
    "hình thức nộp": "channel",
    "ngày tiếp nhận": "received_at",
    "thời điểm tiếp nhận": "received_at",
    "ngày nhận": "received_at",
    "hạn xử lý": "due_at",
    "hạn giải quyết": "due_at",
    "ngày hẹn trả": "due_at",
    "ngày hẹn trả kết quả": "due_at",
    "ngày có kết quả": "finished_at",
    "ngày hoàn thành": "finished_at",
    "ngày kết thúc": "finished_at",
    "ngày trả kết quả": "finished_at",
    "số hóa khi tiếp nhận": "intake_digitized",
    "số hoá khi tiếp nhận": "intake_digitized",
    "số hóa thành phần hồ sơ": "intake_digitized",
    "số hóa kết quả": "result_digitized",
    "số hoá kết quả": "result_digitized",
    "thanh toán trực tuyến": "paid_online",
    "phí": "fee",
    "lệ phí": "fee",
    "phí, lệ phí": "fee",
    "phí lệ phí": "fee",
    "lĩnh vực": "field",
    "người nộp": "applicant",
    "chủ hồ sơ": "applicant",
    "tên người nộp": "applicant",
    "trạng thái": "status",
    "tình trạng": "status",
    "số lần bổ sung": "supplement_count",
    "số lần yêu cầu bổ sung": "supplement_count",
    "quá hạn do bổ sung lần hai": "late_by_rule",
    "đánh giá": "rating",
    "mức độ hài lòng": "rating",
    "kết quả điện tử": "result_electronic",
    "tái sử dụng dữ liệu": "reused_data",
    "bản sao điện tử": "e_certified_copy",
    "kết nối kho dữ liệu": "data_store_linked",
    "đồng bộ": "synced",
    "đồng bộ dvcqg": "synced",
    "phản ánh kiến nghị": "complaint",
    "có phản ánh": "complaint",
}

# Values: the codes, their Vietnamese labels and a few spellings exports use.
CHANNEL_VALUES: dict[str, str] = {
    **{c: c for c in Channel.values},
    **{label.lower(): value for value, label in Channel.choices},
    "trực tiếp": "truc_tiep",
    "truc tiep": "truc_tiep",
    "direct": "truc_tiep",
    "trực tuyến": "truc_tuyen",
    "truc tuyen": "truc_tuyen",
    "online": "truc_tuyen",
    "bưu chính": "buu_chinh",
    "bưu chính công ích": "buu_chinh",
    "bcci": "buu_chinh",
    "postal": "buu_chinh",
}
INTAKE_VALUES: dict[str, str] = {
    **{c: c for c in IntakeDigitized.values},
    **{label.lower(): value for value, label in IntakeDigitized.choices},
    "không": "none",
    "0": "none",
    "một phần": "partial",
    "đầy đủ": "full",
    "toàn bộ": "full",
    "1": "full",
}
STATUS_VALUES: dict[str, str] = {
    **{c: c for c in Status.values},
    **{label.lower(): value for value, label in Status.choices},
    "đang xử lý": "processing",
    "đã tiếp nhận": "received",
    "chờ bổ sung": "supplement_requested",
    "yêu cầu bổ sung": "supplement_requested",
    "đã giải quyết": "resolved",
    "đã trả kết quả": "resolved",
    "hoàn thành": "resolved",
    "trả lại": "returned",
    "từ chối": "returned",
    "rút hồ sơ": "withdrawn",
    "công dân rút hồ sơ": "withdrawn",
}
RATING_VALUES: dict[str, str | None] = {
    **{c: c for c in Rating.values},
    **{label.lower(): value for value, label in Rating.choices},
    "hài lòng": "satisfied",
    "rất hài lòng": "satisfied",
    "không hài lòng": "not_satisfied",
}
FLAG_VALUES: dict[str, bool] = {
    "0": False,
    "1": True,
    "false": False,
    "true": True,
    "không": False,
    "có": True,
    "x": True,
}

# What an import writes for each good row, in this order: the spool (Arrow files between the
# two phases), the staging table of an update, and the typed tuples of the per-row path.
FLAG_COLUMNS: tuple[str, ...] = ("result_digitized", "paid_online", "result_electronic",
                                 "reused_data", "e_certified_copy", "data_store_linked",
                                 "synced", "complaint")  # fmt: skip
UTC = pl.Datetime("us", "UTC")
ROW_SCHEMA: dict[str, Any] = {
    "row_no": pl.Int64,
    "unit_id": pl.Int64,
    "code": pl.String,
    "procedure_id": pl.Int64,
    "applicant": pl.String,
    "channel": pl.String,
    "received_at": UTC,
    "received_on": pl.Date,
    "due_on": pl.Date,
    "status": pl.String,
    "finished_at": UTC,
    "finished_on": pl.Date,
    "intake_digitized": pl.String,
    **{name: pl.Boolean for name in FLAG_COLUMNS},
    "rating": pl.String,
    "supplement_count": pl.Int64,
    "late_by_rule": pl.Boolean,
    "fee": pl.Int64,  # đồng; null: no fee
}
# month indexes (summary.month_index) of the day received, the day finished and the day
# after the due date, computed while reading: the summary needs no date arithmetic per row
MONTH_COLUMNS: tuple[str, ...] = ("m_received", "m_finished", "m_due_passed")
STAGE_COLUMNS: tuple[str, ...] = (*ROW_SCHEMA, *MONTH_COLUMNS)
# The Dossier columns a row fills (the others: clock_stopped_on, the import and the times).
DOSSIER_COLUMNS: tuple[str, ...] = tuple(c for c in ROW_SCHEMA if c != "row_no")
_STAGE_TYPES: dict[str, str] = {
    "row_no": "integer",
    "unit_id": "bigint",
    "code": "varchar(64)",
    "procedure_id": "bigint",
    "applicant": "varchar(300)",
    "channel": "varchar(12)",
    "received_at": "timestamp with time zone",
    "received_on": "date",
    "due_on": "date",
    "status": "varchar(24)",
    "finished_at": "timestamp with time zone",
    "finished_on": "date",
    "intake_digitized": "varchar(8)",
    "rating": "varchar(16)",
    "supplement_count": "smallint",
    "fee": "bigint",
    "m_received": "integer",
    "m_finished": "integer",
    "m_due_passed": "integer",
}  # the others boolean
# Which file column fills which Dossier columns; a column absent from the file leaves the
# existing dossiers' value alone.
_FILLS: dict[str, tuple[str, ...]] = {
    "applicant": ("applicant",),
    "due_at": ("due_on",),
    "intake_digitized": ("intake_digitized",),
    "result_digitized": ("result_digitized",),
    "paid_online": ("paid_online",),
    "fee": ("fee",),
    "result_electronic": ("result_electronic",),
    "reused_data": ("reused_data",),
    "e_certified_copy": ("e_certified_copy",),
    "data_store_linked": ("data_store_linked",),
    "synced": ("synced",),
    "complaint": ("complaint",),
    "rating": ("rating",),
    "supplement_count": ("supplement_count",),
}
_STATE_COLUMNS = ("status", "finished_at", "finished_on")

_CHANNEL_CODES = tuple(Channel.values)
_STATUS_CODES = tuple(Status.values)
_INTAKE_CODES = tuple(IntakeDigitized.values)
_RATING_CODES = tuple(Rating.values)

# The column-wise path reads these date and date-time forms (a naive local time); anything
# else (an offset, fractions of a second, a one-digit hour) goes to the per-row path, which
# reads more forms and names what is wrong.
_MOMENT_PATTERN = (
    r"^(?:\d{4}-\d\d-\d\d(?:[ T]\d\d:\d\d(?::\d\d)?)?|\d\d/\d\d/\d{4}(?: \d\d:\d\d(?::\d\d)?)?)$"
)
# Vietnam has kept UTC+7 since 13/6/1975: the column-wise path turns a local time into UTC
# by taking 7 hours off; earlier dates go to the per-row path (the zone database).
_VIETNAM_ZONES = {"Asia/Ho_Chi_Minh", "Asia/Saigon"}
_VIETNAM_OFFSET = dt.timedelta(hours=7)
_FIXED_OFFSET_SINCE = dt.datetime(1976, 1, 1)

ROW = "__row"  # the row number column the CSV scan adds (the header is row 1)
XLSX_CHUNK = 20_000
# A first import of at least this many rows, into a table not twice its size, drops the
# table's secondary indexes (PostgreSQL: and its unique and foreign-key constraints) and
# builds them again after the load: one sort instead of millions of index insertions.
BULK_ROWS = 100_000
SQLITE_CACHE_KIB = -262_144  # 256 MB (negative: KiB)
SQLITE_BATCH = 50_000


def _normalise_header(name: object) -> str:
    text = " ".join(str(name or "").replace("\ufeff", "").strip().lower().split())
    return ALIASES.get(text, text.replace(" ", "_"))


# -- references ---------------------------------------------------------------------------------


class UnitResolver:
    """Unit codes of a file to unit ids: "2025-10525" (scheme-qualified) or a plain code,
    looked up in the 2025 scheme, then local, then 2008; a plain code found in more than
    one scheme is ambiguous (old and new commune codes overlap, DESIGN.md)."""

    ORDER = (CodeScheme.GSO_2025, CodeScheme.LOCAL, CodeScheme.GSO_2008)

    def __init__(self) -> None:
        self.by_key: dict[tuple[str, str], int] = {}
        self.schemes_of: dict[str, list[str]] = {}
        for pk, scheme, code in Unit.objects.values_list("pk", "scheme", "code"):
            self.by_key[(scheme, code)] = pk
            self.schemes_of.setdefault(code, []).append(scheme)
        self.cache: dict[str, int | str] = {}

    def resolve(self, text: str) -> int | str:
        """The unit id, or an error message."""
        hit = self.cache.get(text)
        if hit is not None:
            return hit
        result: int | str
        scheme, _, rest = text.partition("-")
        if rest and scheme in CodeScheme.values and (scheme, rest) in self.by_key:
            result = self.by_key[(scheme, rest)]
        else:
            schemes = [s for s in self.ORDER if s in self.schemes_of.get(text, ())]
            if len(schemes) == 1:
                result = self.by_key[(schemes[0], text)]
            elif schemes:
                result = ERR_AMBIGUOUS_UNIT.format(
                    value=text, schemes=", ".join(schemes), example=f"{schemes[0]}-{text}"
                )
            else:
                result = ERR_UNKNOWN_UNIT.format(value=text)
        self.cache[text] = result
        return result


# -- values ---------------------------------------------------------------------------------


class _Bad(Exception):
    def __init__(self, column: str, message: str, value: object = None) -> None:
        self.column = column
        self.message = message
        self.value = value


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class _Clock:
    """Parses dates and date-times; a naive one is a local (Vietnam) time."""

    def __init__(self) -> None:
        # Naive times in a file are Vietnam time whatever the server's zone (issue 14).
        self.zone = VIETNAM
        self.now = timezone.now()
        self.today = vn_today()

    def parse(self, value: Any, column: str) -> tuple[dt.datetime, dt.date]:
        """(the moment in UTC, to the second; its local date) of a date, date-time or XLSX
        cell."""
        if isinstance(value, dt.datetime):
            moment = value
        elif isinstance(value, dt.date):
            moment = dt.datetime(value.year, value.month, value.day)
        else:
            text = _text(value)
            try:
                if len(text) == 10 and text[4] == "-":
                    moment = dt.datetime.fromisoformat(text)
                elif len(text) >= 10 and text[2] == "/" and text[5] == "/":
                    moment = _vietnamese_datetime(text)
                else:
                    moment = dt.datetime.fromisoformat(text)
            except (ValueError, IndexError):
                raise _Bad(column, ERR_BAD_DATE, value) from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=self.zone)
        local = moment.astimezone(self.zone)
        if local > self.now + dt.timedelta(days=1):
            raise _Bad(column, ERR_FUTURE_DATE, value)
        return local.astimezone(dt.UTC).replace(microsecond=0), local.date()

    def parse_date(self, value: Any, column: str) -> dt.date:
        """A calendar date (due dates): a date-time counts by its local date."""
        if isinstance(value, dt.datetime):
            if value.tzinfo is not None:
                return value.astimezone(self.zone).date()
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = _text(value)
        try:
            if len(text) == 10 and text[4] == "-":
                return dt.date.fromisoformat(text)
            if len(text) >= 10 and text[2] == "/" and text[5] == "/":
                return _vietnamese_datetime(text).date()
            moment = dt.datetime.fromisoformat(text)
        except (ValueError, IndexError):
            raise _Bad(column, ERR_BAD_DATE, value) from None
        if moment.tzinfo is not None:
            return moment.astimezone(self.zone).date()
        return moment.date()


ERR_BAD_FEE = "Phí, lệ phí không hợp lệ: ghi số tiền bằng đồng, VD 50000 hoặc 50.000"
MAX_FEE = 10**13  # the column holds 14 digits


def _fee_or_bad(text: str) -> int | None:
    """A fee in đồng: '50000', '50.000', '50,000', '50 000' or '50000.0' (a spreadsheet
    number); None when it is not a whole non-negative amount."""
    value = text.strip().replace(" ", "").replace("\u00a0", "")
    if value.endswith(".0"):
        value = value[:-2]
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", value):
        value = value.replace(".", "").replace(",", "")
    if not value.isdigit() or int(value) >= MAX_FEE:
        return None
    return int(value)


def _vietnamese_datetime(text: str) -> dt.datetime:
    """'18/09/2023', '18/09/2023 08:30' or '18/09/2023 08:30:15'."""
    day, month, year = int(text[0:2]), int(text[3:5]), int(text[6:10])
    rest = text[10:].strip()
    hour = minute = second = 0
    if rest:
        parts = rest.split(":")
        if not 2 <= len(parts) <= 3:
            raise ValueError(text)
        hour, minute = int(parts[0]), int(parts[1])
        second = int(parts[2]) if len(parts) == 3 else 0
    return dt.datetime(year, month, day, hour, minute, second)


def _choice(value: object, table: dict, column: str, expected: Sequence[str]) -> Any:
    text = _text(value)
    hit = table.get(text)
    if hit is None:
        hit = table.get(text.lower())
    if hit is None:
        raise _Bad(column, ERR_BAD_CHOICE.format(expected=", ".join(expected)), value)
    return hit


def _flag(value: object, column: str) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if text == "":
        return False
    hit = FLAG_VALUES.get(text)
    if hit is None:
        raise _Bad(column, ERR_BAD_FLAG, value)
    return hit


def _lookup(table: dict[str, Any], text: str) -> Any:
    """The value of a code, label or alias (as written, then lower-cased); None if unknown."""
    hit = table.get(text)
    return table.get(text.lower()) if hit is None else hit


# -- reading --------------------------------------------------------------------------------


class _CsvFile:
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

    def batches(self, column: int | None = None) -> Iterator[pl.DataFrame]:
        """Frames of the rows: the row number (the header is row 1), then the columns c0…
        (or only the column given)."""
        row, carry = 2, b""
        columns = None if column is None else [column]
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


def _xlsx_records(source: str | Path | IO[bytes], filename: str) -> Iterator[Sequence[Any]]:
    # Streamed with the limits of core/reading.py; the sheet's declared range is ignored.
    return reading.xlsx_records(source, filename)


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

    def __str__(self) -> str:
        return (
            f"{self.rows} dòng: {self.created} hồ sơ mới, {self.updated} cập nhật, "
            f"{self.unchanged} không đổi"
        )


def _months(day: pl.Expr) -> pl.Expr:
    """summary.month_index of a date column: the calendar month of (day − 14) plus one."""
    shifted = day - pl.duration(days=14)
    return shifted.dt.year().cast(pl.Int64) * 12 + shifted.dt.month().cast(pl.Int64)


def _with_months(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(
        m_received=_months(pl.col("received_on")),
        m_finished=_months(pl.col("finished_on")),
        m_due_passed=_months(pl.col("due_on") + pl.duration(days=1)),
    )


def tally(frame: pl.DataFrame) -> pl.DataFrame:
    """(unit_id, month, summary.COUNT_COLUMNS…) that the staged rows add to the monthly
    summary: summary.contribution_select(precomputed=True) for a fresh import, column-wise.
    An imported row has no open supplement request (clock_stopped_on is NULL)."""
    col = pl.col
    done = col("finished_on").is_not_null()
    has_due = col("due_on").is_not_null()
    fee = col("fee").fill_null(0) > 0
    early = has_due & ~col("late_by_rule") & (col("finished_on") < col("due_on"))
    late = has_due & (col("late_by_rule") | (col("finished_on") > col("due_on")))
    passed = pl.when(col("late_by_rule")).then(col("m_received")).otherwise(col("m_due_passed"))
    count = pl.len().cast(pl.Int64)

    def total(condition: pl.Expr) -> pl.Expr:
        return condition.cast(pl.Int64).sum()

    parts = [
        frame.group_by("unit_id", col("m_received").alias("month")).agg(
            received_truc_tiep=total(col("channel") == "truc_tiep"),
            received_truc_tuyen=total(col("channel") == "truc_tuyen"),
            received_buu_chinh=total(col("channel") == "buu_chinh"),
            intake_full=total(col("intake_digitized") == "full"),
            paid_online=total(col("paid_online") & fee),
            fee_required=total(fee),
        ),
        frame.filter(done)
        .group_by("unit_id", col("m_finished").alias("month"))
        .agg(
            resolved_early=total(early),
            resolved_on_time=total(~early & ~late),
            resolved_late=total(late),
            result_digitized=total(col("result_digitized")),
        ),
        frame.filter(has_due).group_by("unit_id", passed.alias("month")).agg(due_passed=count),
        frame.filter(has_due & done)
        .group_by("unit_id", pl.max_horizontal(passed, col("m_finished")).alias("month"))
        .agg(due_passed_finished=count),
    ]
    return _sum_tallies(parts)


def _sum_tallies(parts: list[pl.DataFrame]) -> pl.DataFrame:
    columns = list(summary.COUNT_COLUMNS)
    return (
        pl.concat(parts, how="diagonal_relaxed")
        .group_by("unit_id", "month")
        .agg(pl.col(c).fill_null(0).sum() for c in columns)
        .select("unit_id", "month", *columns)
    )


class _Reader:
    """Phase 1: checks every row; the good ones become typed rows (ROW_SCHEMA), the bad ones
    errors naming row, column, value and why.

    CSV rows are checked column-wise, a batch at a time (polars: the per-row work in Rust);
    a row that path does not take (anything unusual: a label instead of a code, a date with
    an offset, and every wrong value) goes through the per-row path (`line`), the reference,
    which reads every accepted form and names every problem. XLSX rows all go per row.
    """

    def __init__(self, header: Sequence[Any], filename: str, by=None) -> None:
        self.filename = filename
        self.by = by
        # unit id -> may `by` import its dossiers (None: no restriction, the command line)
        self.allowed: dict[int, bool] | None = None if by is None else {}
        names = [_normalise_header(h) for h in header]
        self.pos: dict[str, int] = {}
        for i, name in enumerate(names):
            if name in COLUMNS and name not in self.pos:
                self.pos[name] = i
        self.errors: list[RowError] = []
        for column in REQUIRED_COLUMNS:
            if column not in self.pos:
                self.errors.append(RowError(1, column, ERR_MISSING_COLUMN.format(column=column)))
        self.present = frozenset(self.pos)
        self.units = UnitResolver()
        self.procedures: dict[str, tuple[int, int | None]] = {}
        # The catalogue's fee (đồng) per procedure code: a row without its own fee takes it.
        self.procedure_fees: dict[str, int | None] = {}
        for pk, code, days, fee in Procedure.objects.values_list(
            "pk", "code", "processing_days", "fee"
        ):
            self.procedures[code] = (pk, days)
            self.procedure_fees[code] = int(fee) if fee and fee > 0 else None
        self.clock = _Clock()
        self.calendar = None
        self.due_cache: dict[tuple[dt.date, int], dt.date] = {}
        self.error_count = 0
        self.rows = 0
        self.unit_ids: set[int] = set()
        # Duplicate check in bounded memory: 8 bytes per row (a hash of unit and code);
        # only repeated hashes are checked exactly, in a second pass over the spool.
        self.hashes: list[np.ndarray] = []
        self.tallies: list[pl.DataFrame] = []
        self.fast = True  # the clock's zone is always Vietnam time (_Clock)
        self.latest = self.clock.now.astimezone(self.clock.zone).replace(tzinfo=None) + (
            dt.timedelta(days=1)
        )
        self.fast_units: dict[str, int | None] = {}

    def may_import(self, unit_id: int) -> bool:
        """An officer or head imports their own unit's dossiers; an administrator those of
        the units under them (units.permissions.can "edit"); the command line any unit."""
        if self.allowed is None:
            return True
        hit = self.allowed.get(unit_id)
        if hit is None:
            from cchc.units.permissions import can

            hit = self.allowed[unit_id] = can(self.by, "edit", Unit.objects.get(pk=unit_id))
        return hit

    def add_error(self, row: int, column: str | None, message: str, value: object = None) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            shown = None if value is None else _text(value) if not isinstance(value, str) else value
            self.errors.append(RowError(row, column, message, shown))

    def cell(self, record: Sequence[Any], column: str) -> Any:
        i = self.pos.get(column)
        if i is None or i >= len(record):
            return None
        return record[i]

    def due_for(self, received_on: dt.date, days: int) -> dt.date:
        key = (received_on, days)
        hit = self.due_cache.get(key)
        if hit is None:
            if self.calendar is None:
                self.calendar = work_calendar([received_on.year])
            try:
                hit = self.calendar.add_working_days(received_on, days)
            except CalendarRangeError:
                self.calendar = work_calendar([received_on.year, received_on.year + 1])
                hit = self.calendar.add_working_days(received_on, days)
            self.due_cache[key] = hit
        return hit

    # -- the column-wise path ---------------------------------------------------------------

    def _unit(self, text: str) -> int | None:
        if text not in self.fast_units:
            resolved = self.units.resolve(text) if text else ""
            ok = not isinstance(resolved, str) and self.may_import(resolved)
            self.fast_units[text] = resolved if ok else None  # type: ignore[assignment]
        return self.fast_units[text]

    def take(self, batch: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
        """(typed rows, raw rows for the per-row path) of a batch of CSV rows (text columns
        in the file's order after the row number). Blank rows are dropped."""
        names = batch.columns[1:]
        if names:
            blank = pl.all_horizontal(
                pl.col(n).str.strip_chars().fill_null("") == "" for n in names
            )
            batch = batch.filter(~blank)
        if not self.fast or batch.is_empty():
            return pl.DataFrame(schema=ROW_SCHEMA), batch
        text = batch.select(
            pl.col(ROW).cast(pl.Int64).alias("row_no"),
            *(
                pl.col(names[i]).str.strip_chars().fill_null("").alias(c)
                for c, i in self.pos.items()
            ),
        )
        present = self.present
        col = pl.col

        def mapped(column: str, resolve: Callable[[str], Any], dtype: Any) -> pl.Expr:
            values = text.get_column(column).unique().to_list()
            table = {value: resolve(value) for value in values}
            return col(column).replace_strict(table, default=None, return_dtype=dtype)

        def optional(
            column: str, resolve: Callable[[str], Any], dtype: Any, default: Any
        ) -> pl.Expr:
            if column not in present:
                return pl.lit(default, dtype=dtype)
            return mapped(column, lambda v: default if v == "" else resolve(v), dtype)

        def moment(column: str) -> pl.Expr:
            # every accepted form rewritten as "YYYY-MM-DD HH:MM:SS", then parsed once
            value = col(column)
            iso = value.str.replace(r"^(\d\d)/(\d\d)/(\d{4})", "${3}-${2}-${1}").str.replace(
                "T", " ", literal=True
            )
            size = iso.str.len_bytes()
            full = (
                pl.when(size == 10)
                .then(iso + " 00:00:00")
                .when(size == 16)
                .then(iso + ":00")
                .otherwise(iso)
            )
            parsed = full.str.to_datetime("%Y-%m-%d %H:%M:%S", strict=False, time_unit="us")
            return pl.when(value.str.contains(_MOMENT_PATTERN)).then(parsed)

        def is_flag(v: str) -> bool | None:
            return FLAG_VALUES.get(v.lower())

        procedure = mapped("procedure", lambda v: (self.procedures.get(v) or (None,))[0], pl.Int64)
        days = mapped("procedure", lambda v: (self.procedures.get(v) or (None, None))[1], pl.Int64)
        checked = text.with_columns(
            unit_id=mapped("unit", self._unit, pl.Int64),
            procedure_id=procedure,
            days=days,
            channel_v=mapped("channel", lambda v: _lookup(CHANNEL_VALUES, v), pl.String),
            received=moment("received_at"),
            due_given=moment("due_at").dt.date() if "due_at" in present else pl.lit(None, pl.Date),
            finished=moment("finished_at") if "finished_at" in present else pl.lit(None, pl.Datetime("us")),
            status_v=optional("status", lambda v: _lookup(STATUS_VALUES, v), pl.String, ""),
            intake_v=optional("intake_digitized", lambda v: _lookup(INTAKE_VALUES, v), pl.String, "none"),
            rating_v=optional("rating", lambda v: _lookup(RATING_VALUES, v), pl.String, ""),
            late_v=optional("late_by_rule", lambda v: "1" if is_flag(v) else "0" if is_flag(v) is False else None, pl.String, ""),
            fee_v=(
                pl.when(col("fee") == "").then(-1).otherwise(
                    mapped("fee", lambda v: _fee_or_bad(v), pl.Int64))
                if "fee" in present else pl.lit(-1, pl.Int64)
            ),
            catalogue_fee=mapped("procedure", lambda v: self.procedure_fees.get(v), pl.Int64),
            supplements=(
                pl.when(col("supplement_count") == "").then(0).otherwise(
                    col("supplement_count").cast(pl.Int64, strict=False))
                if "supplement_count" in present else pl.lit(0, pl.Int64)
            ),
            **{
                f"{name}_v": optional(name, is_flag, pl.Boolean, False)
                for name in FLAG_COLUMNS
            },
        )  # fmt: skip
        received_day = col("received").dt.date()
        if "due_at" in present:
            checked = checked.with_columns(due=col("due_given"))
            calendar_ok = True
        else:
            checked, calendar_ok = self._due_dates(checked)
        earliest = pl.lit(_FIXED_OFFSET_SINCE)
        latest = pl.lit(self.latest)
        finished_text = col("finished_at") if "finished_at" in present else pl.lit("")
        final = col("status_v").is_in([str(s) for s in FINISHED_STATUSES])
        problems = [
            (col("code") == "") | (col("code").str.len_chars() > 64),
            col("unit_id").is_null(),
            col("procedure_id").is_null(),
            col("channel_v").is_null(),
            col("received").is_null() | (col("received") > latest) | (col("received") < earliest),
            col("due").is_not_null() & (col("due") < received_day),
            (finished_text != "") & col("finished").is_null(),
            col("finished") > latest,
            col("finished") < earliest,
            col("finished").dt.date() < received_day,
            col("status_v").is_null(),
            (col("status_v") != "") & (final != col("finished").is_not_null()),
            col("intake_v").is_null(),
            col("rating_v").is_null(),
            col("late_v").is_null(),
            col("fee_v").is_null(),
            col("supplements").is_null() | (col("supplements") < 0) | (col("supplements") > 32767),
            *(col(f"{name}_v").is_null() for name in FLAG_COLUMNS),
        ]
        if "due_at" in present:
            problems.append((col("due_at") != "") & col("due").is_null())
        if "applicant" in present:
            problems.append(col("applicant").str.len_chars() > 300)
        bad = pl.any_horizontal(p.fill_null(False) for p in problems)
        if not calendar_ok:
            bad = pl.lit(True)
        mask = checked.select(bad).to_series()
        good = checked.filter(~mask)
        status = (
            pl.when(col("status_v") != "")
            .then(col("status_v"))
            .when(col("finished").is_not_null())
            .then(pl.lit(Status.RESOLVED.value))
            .otherwise(pl.lit(Status.PROCESSING.value))
        )
        rows = good.select(
            col("row_no"),
            col("unit_id"),
            col("code"),
            col("procedure_id"),
            (col("applicant") if "applicant" in present else pl.lit("")).alias("applicant"),
            col("channel_v").alias("channel"),
            (col("received") - _VIETNAM_OFFSET).dt.replace_time_zone("UTC").alias("received_at"),
            received_day.alias("received_on"),
            col("due").alias("due_on"),
            status.alias("status"),
            (col("finished") - _VIETNAM_OFFSET).dt.replace_time_zone("UTC").alias("finished_at"),
            col("finished").dt.date().alias("finished_on"),
            col("intake_v").alias("intake_digitized"),
            *(col(f"{name}_v").alias(name) for name in FLAG_COLUMNS),
            pl.when(col("rating_v") == "").then(None).otherwise(col("rating_v")).alias("rating"),
            col("supplements").alias("supplement_count"),
            pl.when(col("late_v") == "")
            .then(col("supplements") >= 2)  # QĐ 766 indicator 2.1: a second request is late
            .otherwise(col("late_v") == "1")
            .alias("late_by_rule"),
            # empty or absent: the procedure's fee where the catalogue knows it (-1 marks it)
            pl.when(col("fee_v") == -1)
            .then(col("catalogue_fee"))
            .otherwise(pl.when(col("fee_v") > 0).then(col("fee_v")))
            .alias("fee"),
        )
        return rows.cast(ROW_SCHEMA), batch.filter(mask)

    def _due_dates(self, checked: pl.DataFrame) -> tuple[pl.DataFrame, bool]:
        """Due dates from the procedures' processing times (no due_at column)."""
        received = checked.get_column("received").dt.date()
        days = checked.get_column("days")
        wanted = received.is_not_null() & days.is_not_null()
        due = np.full(len(checked), np.datetime64("NaT"), dtype="datetime64[D]")
        if wanted.any():
            picked = received.filter(wanted)
            if self.calendar is None:
                self.calendar = work_calendar([picked.min().year])  # type: ignore[union-attr]
            try:
                due[wanted.to_numpy()] = self.calendar.due_dates(
                    picked.to_numpy().astype("datetime64[D]"), days.filter(wanted).to_numpy()
                )
            except (CalendarRangeError, ValueError):
                return checked.with_columns(due=pl.lit(None, pl.Date)), False
        return checked.with_columns(due=pl.Series(due).cast(pl.Date)), True

    # -- the per-row path -------------------------------------------------------------------

    def line(self, row_no: int, record: Sequence[Any]) -> tuple | None:
        """The typed row (ROW_SCHEMA) of one record, or None after recording its errors."""
        problems: list[_Bad] = []

        def get(column: str) -> Any:
            return self.cell(record, column)

        def required(column: str) -> str:
            text = _text(get(column))
            if not text:
                problems.append(_Bad(column, ERR_REQUIRED))
            return text

        code = required("code")
        if len(code) > 64:
            problems.append(_Bad("code", ERR_TOO_LONG.format(limit=64), code))
        unit_text = required("unit")
        procedure_text = required("procedure")
        unit_id: int | None = None
        if unit_text:
            resolved = self.units.resolve(unit_text)
            if isinstance(resolved, str):
                problems.append(_Bad("unit", resolved, unit_text))
            elif not self.may_import(resolved):
                problems.append(
                    _Bad("unit", ERR_UNIT_NOT_ALLOWED.format(value=unit_text), unit_text)
                )
            else:
                unit_id = resolved
        procedure = None
        if procedure_text:
            procedure = self.procedures.get(procedure_text)
            if procedure is None:
                problems.append(
                    _Bad(
                        "procedure",
                        ERR_UNKNOWN_PROCEDURE.format(value=procedure_text),
                        procedure_text,
                    )  # fmt: skip
                )

        def attempt(fn: Callable[[], Any], default: Any = None) -> Any:
            try:
                return fn()
            except _Bad as bad:
                problems.append(bad)
                return default

        raw_channel = get("channel")
        channel = None
        if _text(raw_channel):
            channel = attempt(lambda: _choice(raw_channel, CHANNEL_VALUES, "channel",
                                              _CHANNEL_CODES))  # fmt: skip
        else:
            problems.append(_Bad("channel", ERR_REQUIRED))
        received = None
        raw_received = get("received_at")
        if _text(raw_received):
            received = attempt(lambda: self.clock.parse(raw_received, "received_at"))
        else:
            problems.append(_Bad("received_at", ERR_REQUIRED))
        received_on = received[1] if received else None

        due_on = None
        if "due_at" in self.present:
            raw_due = get("due_at")
            if _text(raw_due):
                due_on = attempt(lambda: self.clock.parse_date(raw_due, "due_at"))
        elif procedure is not None and procedure[1] is not None and received_on is not None:
            try:
                due_on = self.due_for(received_on, procedure[1])
            except CalendarRangeError as error:
                problems.append(_Bad("received_at", ERR_CALENDAR.format(error=error)))

        finished = None
        raw_finished = get("finished_at")
        if _text(raw_finished):
            finished = attempt(lambda: self.clock.parse(raw_finished, "finished_at"))

        status = None
        raw_status = get("status")
        if _text(raw_status):
            status = attempt(lambda: _choice(raw_status, STATUS_VALUES, "status", _STATUS_CODES))
        if status is None and not problems:
            status = Status.RESOLVED if finished else Status.PROCESSING
        if status is not None:
            if status in FINISHED_STATUSES and finished is None and "status" in self.present:
                if _text(raw_finished) == "":
                    problems.append(
                        _Bad("finished_at", ERR_FINISHED_STATUS_NEEDS_DATE.format(status=status))
                    )
            elif status not in FINISHED_STATUSES and finished is not None:
                problems.append(
                    _Bad("status", ERR_OPEN_STATUS_WITH_DATE.format(status=status), raw_status)
                )

        intake = "none"
        raw_intake = get("intake_digitized")
        if _text(raw_intake):
            intake = attempt(
                lambda: _choice(raw_intake, INTAKE_VALUES, "intake_digitized",
                                _INTAKE_CODES),
                "none",
            )  # fmt: skip
        flags = {}
        for name in FLAG_COLUMNS:
            raw = get(name)
            flags[name] = attempt(lambda raw=raw, name=name: _flag(raw, name), False)
        rating = None
        raw_rating = get("rating")
        if _text(raw_rating):
            rating = attempt(lambda: _choice(raw_rating, RATING_VALUES, "rating", _RATING_CODES))
        supplements = 0
        raw_supplements = get("supplement_count")
        if _text(raw_supplements):
            try:
                supplements = int(float(_text(raw_supplements)))
                if supplements < 0 or supplements > 32767:
                    raise ValueError
            except (ValueError, OverflowError):
                problems.append(_Bad("supplement_count", ERR_BAD_NUMBER, raw_supplements))
        late = False
        raw_late = get("late_by_rule")
        if _text(raw_late):
            late = attempt(lambda: _flag(raw_late, "late_by_rule"), False)
        elif supplements >= 2:
            late = True  # QĐ 766 indicator 2.1: a second supplement request makes it late
        fee = self.procedure_fees.get(procedure_text)  # empty or absent: the catalogue's
        raw_fee = get("fee")
        if _text(raw_fee):
            given = _fee_or_bad(_text(raw_fee))
            if given is None:
                problems.append(_Bad("fee", ERR_BAD_FEE, raw_fee))
            else:
                fee = given if given > 0 else None
        applicant = _text(get("applicant"))
        if len(applicant) > 300:
            problems.append(_Bad("applicant", ERR_TOO_LONG.format(limit=300), applicant[:40]))

        if received_on is not None:
            if finished is not None and finished[1] < received_on:
                problems.append(_Bad("finished_at", ERR_FINISHED_BEFORE_RECEIVED, raw_finished))
            if due_on is not None and due_on < received_on:
                problems.append(_Bad("due_at", ERR_DUE_BEFORE_RECEIVED, get("due_at")))

        if problems:
            for bad in problems:
                self.add_error(row_no, bad.column, bad.message, bad.value)
            return None
        assert unit_id is not None and procedure is not None and received is not None
        return (
            row_no,
            unit_id,
            code,
            procedure[0],
            applicant,
            channel,
            received[0],
            received_on,
            due_on,
            status,
            finished[0] if finished else None,
            finished[1] if finished else None,
            intake,
            *(flags[name] for name in FLAG_COLUMNS),
            rating,
            supplements,
            late,
            fee,
        )

    def keep(self, frame: pl.DataFrame, spool: _Spool) -> None:
        """Spool checked rows (with their month indexes), and note what the duplicate check
        and the summary need of them."""
        if frame.is_empty():
            return
        frame = _with_months(frame)
        self.hashes.append(_key_hashes(frame).to_numpy())
        self.tallies.append(tally(frame))
        if len(self.tallies) > 8:
            self.tallies = [_sum_tallies(self.tallies)]
        self.unit_ids.update(frame.get_column("unit_id").unique().to_list())
        spool.add(frame)

    def rows_of(self, rows: list[tuple]) -> pl.DataFrame:
        """The per-row path's typed rows as a frame."""
        return pl.DataFrame(rows, schema=ROW_SCHEMA, orient="row")

    def summary_delta(self) -> dict[tuple[int, int], dict[str, int]]:
        if not self.tallies:
            return {}
        total = _sum_tallies(self.tallies)
        return {
            (unit, month): dict(zip(summary.COUNT_COLUMNS, counts, strict=True))
            for unit, month, *counts in total.iter_rows()
        }

    def repeated_hashes(self) -> np.ndarray:
        if not self.hashes:
            return np.empty(0, dtype=np.uint64)
        every = np.concatenate(self.hashes)
        self.hashes = []
        every.sort()  # in place: 8 bytes per row at the peak, not 24
        return np.unique(every[1:][every[1:] == every[:-1]])


def _key_hashes(frame: pl.DataFrame) -> pl.Series:
    return frame.select(pl.struct("unit_id", "code").hash(seed=0)).to_series()


class _Spool:
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

    def close(self) -> None:
        self.directory.cleanup()


def _read(
    source: str | Path | IO[bytes],
    filename: str,
    spool: _Spool,
    progress: Callable[[float, int], None],
    by=None,
) -> _Reader:
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


def _finish_checks(reader: _Reader, spool: _Spool, filename: str) -> None:
    """The duplicate check, then every error found, or nothing."""
    repeated = reader.repeated_hashes()
    if len(repeated):
        _report_duplicates(reader, spool, repeated)
    if reader.error_count:
        raise TableErrors(filename, sorted(reader.errors, key=lambda e: e.row or 0))


def _read_csv(source, filename: str, spool: _Spool, progress, by) -> _Reader:
    with ExitStack() as stack:
        if isinstance(source, str | Path):
            source = stack.enter_context(open(source, "rb"))  # noqa: SIM115
        csv_file = _CsvFile(source, filename)
        reader = _Reader(csv_file.header, filename, by)
        if reader.errors:
            raise TableErrors(filename, reader.errors)
        _check_csv(csv_file, reader, spool, progress)
    return reader


def _check_csv(
    csv_file: _CsvFile,
    reader: _Reader,
    spool: _Spool,
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
        reader.keep(frame, spool)
        if each is not None and not reader.error_count and not frame.is_empty():
            each(frame)
        reader.rows += good.height + len(slow)
        progress(csv_file.fraction(), reader.rows)


def _read_xlsx(source, filename: str, spool: _Spool, progress, by) -> _Reader:
    records = _xlsx_records(source, filename)
    header = next(records, None)
    if header is None:
        raise TableErrors(filename, [RowError(None, None, ERR_EMPTY_FILE)])
    reader = _Reader(header, filename, by)
    if reader.errors:
        raise TableErrors(filename, reader.errors)
    checked: list[tuple] = []
    width = len(header)
    for row_no, record in enumerate(records, start=2):
        if all(_text(v) == "" for v in record):
            continue
        reader.rows += 1
        extra = next((i for i in range(width, len(record)) if _text(record[i]) != ""), None)
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


def _report_duplicates(reader: _Reader, spool: _Spool, repeated: np.ndarray) -> None:
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


# -- writing --------------------------------------------------------------------------------


def _sql_rows(frame: pl.DataFrame, columns: Sequence[str]) -> Iterator[tuple]:
    """Rows for SQLite: date-times as Django stores them (UTC text), dates as ISO text,
    booleans as 0/1."""
    exprs = []
    for name in columns:
        dtype = frame.schema[name]
        if isinstance(dtype, pl.Datetime):
            exprs.append(pl.col(name).dt.strftime("%Y-%m-%d %H:%M:%S"))
        elif dtype == pl.Date:
            exprs.append(pl.col(name).cast(pl.String))
        elif dtype == pl.Boolean:
            exprs.append(pl.col(name).cast(pl.Int8))
        else:
            exprs.append(pl.col(name))
    return frame.select(exprs).iter_rows()


def _copy_csv(frame: pl.DataFrame) -> bytes:
    """Rows for PostgreSQL's COPY … (FORMAT csv, NULL '\\N'); booleans as 0/1 (shorter)."""
    flags = [name for name, dtype in frame.schema.items() if dtype == pl.Boolean]
    return (
        frame.with_columns(pl.col(flags).cast(pl.Int8))
        .write_csv(include_header=False, null_value="\\N", datetime_format="%Y-%m-%d %H:%M:%S%z")
        .encode()
    )


def _load(cursor, spool: _Spool, table: str, columns: Sequence[str],
          constants: dict[str, str] | None = None, as_defaults: bool = False) -> None:  # fmt: skip
    """Write the spooled rows' `columns` into `table` (COPY on PostgreSQL, executemany on
    SQLite), with the same `constants` in the other columns of every row."""
    constants = constants or {}
    if connection.vendor == "postgresql":
        with _Copy(cursor, table, columns, constants, as_defaults) as copy:
            for frame in spool.frames():
                copy.write(frame)
        return
    names = ", ".join([*columns, *constants])
    marks = ", ".join(["?"] * len(columns) + [f"'{v}'" for v in constants.values()])
    sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"
    for frame in spool.frames():
        for start in range(0, frame.height, SQLITE_BATCH):
            cursor.cursor.executemany(sql, _sql_rows(frame.slice(start, SQLITE_BATCH), columns))


class _Copy:
    """Rows into a PostgreSQL table by COPY, sent by psycopg's queued writer from a thread:
    the server parses one batch while this process prepares the next (the queue holds at
    most 1,024 buffers of 128 kB). `constants` are added to every row; with `as_defaults`
    (the caller holds the table's ACCESS EXCLUSIVE lock) they become the columns' defaults
    for the load instead, which the server does not parse per row."""

    def __init__(self, cursor, table: str, columns: Sequence[str], constants: dict[str, str],
                 as_defaults: bool = False) -> None:  # fmt: skip
        from psycopg.copy import QueuedLibpqWriter

        self.cursor, self.table, self.columns = cursor, table, columns
        self.defaults = list(constants) if as_defaults else []
        for name, value in constants.items() if as_defaults else ():
            cursor.execute(f"ALTER TABLE {table} ALTER COLUMN {name} SET DEFAULT '{value}'")
        constants = {} if as_defaults else constants
        self.constants = [pl.lit(value).alias(name) for name, value in constants.items()]
        names = ", ".join([*columns, *constants])
        self.block = cursor.cursor.copy(
            f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv, NULL '\\N')",
            writer=QueuedLibpqWriter(cursor.cursor),
        )

    def __enter__(self) -> _Copy:
        self.copy = self.block.__enter__()
        return self

    def write(self, frame: pl.DataFrame) -> None:
        self.copy.write(_copy_csv(frame.select(self.columns).with_columns(self.constants)))

    def __exit__(self, kind, error, trace) -> None:
        self.block.__exit__(kind, error, trace)
        if kind is None:
            for name in self.defaults:
                self.cursor.execute(f"ALTER TABLE {self.table} ALTER COLUMN {name} DROP DEFAULT")


def _create_stage(cursor, name: str = "dossier_stage") -> None:
    _drop_temp(cursor)
    if connection.vendor == "postgresql":
        columns = ", ".join(f"{c} {_STAGE_TYPES.get(c, 'boolean')}" for c in STAGE_COLUMNS)
        cursor.execute(f"CREATE TEMP TABLE {name} ({columns}) ON COMMIT DROP")
    else:
        # column types without NUMERIC affinity: no conversion attempt per value
        types = {"bigint": "INTEGER", "integer": "INTEGER", "smallint": "INTEGER",
                 "boolean": "INTEGER"}  # fmt: skip
        columns = ", ".join(
            f"{c} {types.get(_STAGE_TYPES.get(c, 'boolean'), 'TEXT')}" for c in STAGE_COLUMNS
        )
        cursor.execute(f"CREATE TEMP TABLE {name} ({columns})")


def _drop_temp(cursor) -> None:
    # Dropped explicitly too: inside an outer transaction (tests) ON COMMIT comes late.
    for name in ("dossier_stage", "dossier_old", "dossier_stage_known"):
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{name}")
        else:
            cursor.execute(f"DROP TABLE IF EXISTS temp.{name}")


def _any_dossier(cursor, unit_ids: Sequence[int]) -> bool:
    """Has any of these units a dossier already? (An index probe per unit.)"""
    table = Dossier._meta.db_table
    ids = sorted(unit_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join(["%s"] * len(chunk))
        cursor.execute(f"SELECT 1 FROM {table} WHERE unit_id IN ({marks}) LIMIT 1", chunk)
        if cursor.fetchone():
            return True
    return False


@contextmanager
def _indexes_rebuilt(cursor) -> Iterator[None]:
    """Drop the dossier table's indexes but its primary key (the unique (unit, code) one
    included; PostgreSQL: and its foreign keys) for the body, then build them again, each in
    one sort; the foreign keys are checked again by one join each. Inside the caller's transaction: PostgreSQL holds
    the table's ACCESS EXCLUSIVE lock until the commit (readers of dossiers wait); SQLite's
    writer lock is held anyway. An error on rebuilding (a duplicate) rolls everything back."""
    table = Dossier._meta.db_table
    if connection.vendor == "postgresql":
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype IN ('u', 'f') ORDER BY contype DESC",
            [table],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index i "
            "WHERE indrelid = %s::regclass AND NOT indisprimary AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
            [table],
        )
        indexes = cursor.fetchall()
        # ALTER TABLE refuses to run while deferred foreign-key checks are pending in the
        # transaction (an outer one: tests, a command): run them now, defer again after.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for name, _ in constraints:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
        yield
        for _, definition in indexes:
            cursor.execute(definition)
        for name, definition in reversed(constraints):  # unique first, then foreign keys
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        return
    # SQLite: every index, the unique (unit, code) one included (models.Dossier).
    cursor.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
        "AND sql IS NOT NULL",
        [table],
    )
    indexes = cursor.fetchall()
    for name, _ in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    # SQLite's CHECK constraints cost more per row than the insert itself; every row was
    # checked by the reader, and the table's checks are verified below in one scan.
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
    before = cursor.fetchone()[0]
    cursor.execute("PRAGMA ignore_check_constraints = ON")
    try:
        yield
    finally:
        cursor.execute("PRAGMA ignore_check_constraints = OFF")
    checks = [c.condition for c in Dossier._meta.constraints if isinstance(c, CheckConstraint)]
    if Dossier.objects.filter(pk__gt=before).exclude(reduce(operator.and_, checks)).exists():
        raise IntegrityError("CHECK constraint failed: dossiers_dossier (bulk import)")
    for _, definition in indexes:
        cursor.execute(definition)


def _stamps(record: DossierImport) -> dict[str, str]:
    """What every row of a first load gets: the import that made it, and now (as Django
    writes a date-time on this database)."""
    now = str(connection.ops.adapt_datetimefield_value(timezone.now()))
    return {"first_import_id": str(record.pk), "last_import_id": str(record.pk),
            "created_at": now, "updated_at": now}  # fmt: skip


def _write(reader: _Reader, spool: _Spool, record: DossierImport) -> tuple[int, int, int, bool]:
    """Phase 2, inside the caller's transaction: (created, updated, unchanged, bulk)."""
    pg = connection.vendor == "postgresql"
    table = Dossier._meta.db_table
    with connection.cursor() as cursor:
        if pg:
            # No other writer between the check below and the load (readers go on).
            cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
        if _any_dossier(cursor, reader.unit_ids):
            return (*_update(cursor, reader, spool, record), False)
        if not pg:
            # A bigger page cache for this connection while it loads: the indexes of a
            # million-row table do not fit SQLite's default 2 MB, and inserts thrash. Not
            # for an update: SQLite sizes every sort's memory by the page cache, and the
            # update's sorts of millions of rows would then take gigabytes.
            cursor.execute("PRAGMA cache_size")
            cache_size = cursor.fetchone()[0]
            cursor.execute(f"PRAGMA cache_size = {SQLITE_CACHE_KIB}")
        try:
            # The units have no dossiers yet: every row is new, loaded straight into the
            # table, and the summary gets the share the reader tallied.
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
            bulk = spool.rows >= BULK_ROWS and spool.rows * 2 >= cursor.fetchone()[0]
            constants = _stamps(record)
            with _indexes_rebuilt(cursor) if bulk else nullcontext():
                _load(cursor, spool, table, DOSSIER_COLUMNS, constants, as_defaults=bulk)
            summary.apply(reader.summary_delta())
            return spool.rows, 0, 0, bulk
        finally:
            if not pg:
                cursor.execute(f"PRAGMA cache_size = {int(cache_size)}")


def _update(cursor, reader: _Reader, spool: _Spool, record: DossierImport) -> tuple[int, int, int]:
    """Some dossiers may exist already: stage the rows, then upsert by (unit, code) and
    correct the summary for the ones that change."""
    pg = connection.vendor == "postgresql"
    table = Dossier._meta.db_table
    t = summary.true_sql()
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
    _create_stage(cursor)
    _load(cursor, spool, "dossier_stage", STAGE_COLUMNS)
    # The existing dossiers the file names, as they are now.
    summary_columns = (
        "unit_id, code, channel, received_on, due_on, finished_on, intake_digitized, "
        "paid_online, result_digitized, late_by_rule, clock_stopped_on, fee"
    )
    old_columns = ", ".join(
        dict.fromkeys(
            [f"d.{c.strip()}" for c in summary_columns.split(",")]
            + [f"d.{c}" for c in kept]
            + ["d.status"]
        )
    )
    if pg:
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
    stage_columns = [*data_columns, "clock_stopped_on"]
    cursor.execute("ALTER TABLE dossier_stage ADD COLUMN clock_stopped_on date")
    # The share of the summary the reader tallied for every row; the rows that already
    # exist are corrected below (their old share out, their final share in).
    summary.apply(reader.summary_delta())
    if existing:
        cursor.execute("CREATE INDEX dossier_old_key ON dossier_old (unit_id, code)")
        known = (
            "CREATE TEMP TABLE dossier_stage_known AS SELECT s.* FROM dossier_stage s "
            "JOIN dossier_old o ON o.unit_id = s.unit_id AND o.code = s.code"
        )
        cursor.execute(known)
        summary.merge_select(
            summary.contribution_select("dossier_stage_known", sign=-1, precomputed=True)
        )
        summary.merge_select(summary.contribution_select("dossier_old", sign=-1))
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
        cursor.execute("DROP TABLE dossier_stage_known")
        cursor.execute(known)
        summary.merge_select(
            summary.contribution_select("dossier_stage_known", sign=1, precomputed=True)
        )
    distinct = " OR ".join(
        f"{table}.{c} IS DISTINCT FROM excluded.{c}" if pg else f"{table}.{c} IS NOT excluded.{c}"
        for c in stage_columns
    )
    insert_columns = [
        "unit_id", "code", *stage_columns, "first_import_id", "last_import_id",
        "created_at", "updated_at",
    ]  # fmt: skip
    updates = ", ".join(
        f"{c} = excluded.{c}" for c in [*stage_columns, "last_import_id", "updated_at"]
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
        f"DO UPDATE SET {updates} WHERE {distinct}"
    )
    written = cursor.rowcount
    _drop_temp(cursor)
    created = spool.rows - existing
    updated = written - created
    return created, updated, existing - updated


def _stream(source, filename: str, spool: _Spool, record: DossierImport, by, job,
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
        csv_file = _CsvFile(handle, filename)
        reader = _Reader(csv_file.header, filename, by)
        if csv_file.size < BULK_ROWS * 40 or reader.errors or not reader.fast:
            handle.seek(origin)  # too small to gain, or refused anyway: the usual way
            return False
        # A first pass over the unit column: the units are resolved and their permissions
        # checked now, since no other query can run while COPY holds the connection.
        units: set[int] = set()
        rows = 0
        for batch in csv_file.batches(reader.pos["unit"]):
            rows += batch.height
            for text in batch.to_series(1).str.strip_chars().drop_nulls().unique().to_list():
                unit_id = reader._unit(text)
                if unit_id is not None:
                    units.add(unit_id)
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
                    with _Copy(cursor, table, DOSSIER_COLUMNS, constants, as_defaults=True) as copy:
                        _check_csv(csv_file, reader, spool, _progress_aside(job), copy.write)
                    _finish_checks(reader, spool, filename)
                    result.seconds_read = time.perf_counter() - started
                    started = time.perf_counter()
            summary.apply(reader.summary_delta())
            _done(record, result, reader, spool.rows, 0, 0)
            result.bulk = True
        result.seconds_write = time.perf_counter() - started
        return True


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
    (cchc.core.coverage); one indexed MIN/MAX per unit."""
    from django.db.models import Max, Min

    from cchc.core.coverage import DOSSIERS, FLAG_SOURCES
    from cchc.core.services import coverage_record

    sources = [DOSSIERS] + [flag for flag, column in FLAG_SOURCES.items() if column in present]
    rows = (
        Dossier.objects.filter(unit_id__in=list(unit_ids))
        .values("unit_id")
        .annotate(first=Min("received_on"), last=Max("received_on"))
        .order_by()
    )
    for row in rows:
        for source in sources if row["first"] is not None else ():
            coverage_record(
                unit_id=row["unit_id"],
                source=source,
                start=row["first"],
                end=row["last"],
                origin=f"nhập tệp {record.filename}"[:200],
            )


def _done(record: DossierImport, result: ImportResult, reader: _Reader, created: int,
          updated: int, unchanged: int) -> None:  # fmt: skip
    result.rows, result.created, result.updated, result.unchanged = (
        reader.rows, created, updated, unchanged)  # fmt: skip
    result.unit_ids = sorted(reader.unit_ids)
    _record_coverage(result.unit_ids, record, getattr(reader, "present", frozenset()))
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
    by,
    job=None,
) -> ImportResult:
    """Import a one-stop software export: every row or none (TableErrors names each bad row
    and column). Dossiers are matched by (unit, code): new ones are created, changed ones
    updated, identical ones left alone. Reports progress to the core.Job if given."""
    from cchc.core.liveness import HOST
    from cchc.core.reaper import reap_dead_work

    reap_dead_work()  # an import killed before this one is marked failed, not "running"
    record = DossierImport.objects.create(
        filename=filename, by=by, job=job, host=HOST, pid=os.getpid(), heartbeat_at=timezone.now()
    )
    result = ImportResult(import_id=record.pk)
    # Background work has a time limit (issue 13: a 4.8 KB file kept a worker for 300 s);
    # reading stops at the next batch past it, before anything is written. The command
    # line (no job) has none: an administrator there chose to wait.
    limit = settings.JOB_TIME_LIMIT_SECONDS if job is not None else None
    began = time.monotonic()

    def check_time() -> None:
        if limit is not None and time.monotonic() - began > limit:
            message = ERR_TIME_LIMIT.format(seconds=limit)
            raise TableErrors(filename, [RowError(None, None, message)])

    def progress(fraction: float, rows: int) -> None:
        DossierImport.objects.filter(pk=record.pk).update(heartbeat_at=timezone.now())
        check_time()
        if job is not None:
            _reading(job, fraction, rows)

    started = time.perf_counter()
    spool = _Spool()
    try:
        try:
            if _stream(source, filename, spool, record, by, job, result):
                return result
            reader = _read(source, filename, spool, progress, by)
            check_time()
        except TableErrors as error:
            DossierImport.objects.filter(pk=record.pk).update(
                status=DossierImport.ImportStatus.FAILED,
                finished_at=timezone.now(),
                errors=error.as_json()["errors"][:MAX_REPORTED_ERRORS],
            )
            raise
        result.seconds_read = time.perf_counter() - started
        if job is not None:
            job.progress(80, 100, f"Đang ghi {reader.rows:,} hồ sơ…".replace(",", "."))
        started = time.perf_counter()
        with transaction.atomic():
            created, updated, unchanged, result.bulk = _write(reader, spool, record)
            _done(record, result, reader, created, updated, unchanged)
        result.seconds_write = time.perf_counter() - started
    finally:
        spool.close()
    return result


# -- the procedure catalogue ---------------------------------------------------------------

PROCEDURE_COLUMNS: tuple[str, ...] = (
    "code",
    "name",
    "field",
    "level",
    "processing_days",
    "fee",
    "online_class",
    "announcement_no",
    "announced_on",
    "legal_basis_effective_on",
    "published_on",
    "all_parts_published",
    "payment_integrated",
    "paper_result_required",
    "certification",
    "active",
)
PROCEDURE_REQUIRED: tuple[str, ...] = ("code", "name")
PROCEDURE_ALIASES: dict[str, str] = {
    "mã tthc": "code",
    "mã thủ tục": "code",
    "tên thủ tục": "name",
    "tên tthc": "name",
    "lĩnh vực": "field",
    "cấp thực hiện": "level",
    "thời hạn giải quyết": "processing_days",
    "phí, lệ phí": "fee",
    "phí lệ phí": "fee",
    "mức độ dvc": "online_class",
    "dịch vụ công trực tuyến": "online_class",
    "số quyết định công bố": "announcement_no",
    "ngày công bố": "announced_on",
}
ONLINE_VALUES: dict[str, str] = {
    **{c: c for c in OnlineClass.values},
    **{label.lower(): value for value, label in OnlineClass.choices},
    "toàn trình": "full",
    "một phần": "partial",
    "không": "none",
    "": "none",
}
LEVEL_VALUES: dict[str, str] = {
    **{c: c for c in ProcedureLevel.values},
    **{label.lower(): value for value, label in ProcedureLevel.choices},
    "cấp tỉnh": "province",
    "cấp xã": "commune",
    "cấp huyện": "district",
    "": "",
}
_PROCEDURE_FLAGS = (
    "all_parts_published",
    "payment_integrated",
    "paper_result_required",
    "certification",
    "active",
)
_PROCEDURE_FLAG_DEFAULTS = {"paper_result_required": True, "active": True}


def procedures_import(*, source: str | Path | IO[bytes], filename: str, by) -> ImportResult:
    """Load the catalogue (create or update by code), all rows or none."""
    from cchc.core.tabular import iter_rows

    header, rows = iter_rows(source, filename)
    names = [PROCEDURE_ALIASES.get(" ".join(h.split()), h.replace(" ", "_")) for h in header]
    missing = [c for c in PROCEDURE_REQUIRED if c not in names]
    if missing:
        raise TableErrors(
            filename, [RowError(1, c, ERR_MISSING_COLUMN.format(column=c)) for c in missing]
        )
    clock = _Clock()
    errors: list[RowError] = []
    parsed: list[tuple[int, dict[str, Any]]] = []
    seen: dict[str, int] = {}
    for row_no, raw in rows:
        values = {names[i]: v for i, v in enumerate(raw.values()) if names[i] in PROCEDURE_COLUMNS}
        clean: dict[str, Any] = {}
        problems: list[_Bad] = []
        for column in PROCEDURE_COLUMNS:
            if column not in values:
                continue
            text = values[column]
            try:
                if column in PROCEDURE_REQUIRED and not text:
                    raise _Bad(column, ERR_REQUIRED)
                if column == "processing_days":
                    clean[column] = None if text == "" else _whole(text, column)
                elif column == "fee":
                    clean[column] = _money(text, column)
                elif column == "online_class":
                    clean[column] = _choice(text, ONLINE_VALUES, column, OnlineClass.values)
                elif column == "level":
                    clean[column] = _choice(text, LEVEL_VALUES, column, ProcedureLevel.values)
                elif column in ("announced_on", "legal_basis_effective_on", "published_on"):
                    clean[column] = clock.parse_date(text, column) if text else None
                elif column in _PROCEDURE_FLAGS:
                    default = _PROCEDURE_FLAG_DEFAULTS.get(column, False)
                    clean[column] = default if text == "" else _flag(text, column)
                else:
                    clean[column] = text
            except _Bad as bad:
                problems.append(bad)
        code = clean.get("code")
        if code and code in seen:
            problems.append(_Bad("code", ERR_DUPLICATE.format(value=code, first=seen[code]), code))
        elif code:
            seen[code] = row_no
        for bad in problems:
            errors.append(RowError(row_no, bad.column, bad.message, _text(bad.value) or None))
        if not problems:
            parsed.append((row_no, clean))
    if errors:
        raise TableErrors(filename, errors)
    result = ImportResult()
    existing = {p.code: p for p in Procedure.objects.filter(code__in=list(seen))}
    with transaction.atomic():
        for row_no, clean in parsed:
            procedure = existing.get(clean["code"]) or Procedure(code=clean["code"])
            before = {f: getattr(procedure, f) for f in clean}
            for name, value in clean.items():
                setattr(procedure, name, value)
            if procedure.pk and before == {f: getattr(procedure, f) for f in clean}:
                result.unchanged += 1
                continue
            try:
                procedure.full_clean()
            except ValidationError as error:
                for column, messages in error.message_dict.items():
                    errors.append(RowError(row_no, column, "; ".join(messages)))
                continue
            if procedure.pk:
                result.updated += 1
            else:
                result.created += 1
            procedure._history_user = by  # type: ignore[attr-defined]
            procedure._change_reason = f"Nhập danh mục từ {filename}"  # type: ignore[attr-defined]
            procedure.save()
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise TableErrors(filename, errors)
    result.rows = len(parsed)
    return result


def _whole(text: str, column: str) -> int:
    try:
        value = int(float(text))
    except ValueError:
        raise _Bad(column, ERR_BAD_NUMBER, text) from None
    if value < 0 or value != float(text):
        raise _Bad(column, ERR_BAD_NUMBER, text)
    return value


def _money(text: str, column: str) -> Decimal:
    if text == "":
        return Decimal(0)
    try:
        value = Decimal(text.replace(".", "").replace(",", "") if "," in text or
                        text.count(".") > 1 else text)  # fmt: skip
    except InvalidOperation:
        raise _Bad(column, ERR_BAD_NUMBER, text) from None
    if value < 0:
        raise _Bad(column, ERR_BAD_NUMBER, text)
    return value


def procedures_export(handle: IO[str], procedures=None) -> int:
    """Write the catalogue as CSV in the columns procedures_import reads back."""
    writer = csv_writer(handle, lineterminator="\n")
    writer.writerow(PROCEDURE_COLUMNS)
    count = 0
    for p in procedures if procedures is not None else Procedure.objects.order_by("code"):
        writer.writerow([_export_cell(getattr(p, c)) for c in PROCEDURE_COLUMNS])
        count += 1
    return count


def _export_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
