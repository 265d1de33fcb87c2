"""Bulk import of dossiers (one-stop software exports) and of the procedure catalogue.

docs/dossier-import.md is the user's description: columns, Vietnamese header aliases,
values, what an update changes, and why a bulk import keeps one import record instead of a
history row per dossier.

The dossier import runs in two phases so that a page can follow it and nothing half-done
is ever visible:
1. read and check every row, streaming (one row in memory), reporting progress to the
   Job; good rows are spooled to a temporary file in PostgreSQL's COPY text format;
   a bad row is collected (row, column, value, why) and the file is refused whole;
2. in ONE transaction: load the spool into a temporary table (COPY on PostgreSQL, batched
   executemany on SQLite), subtract the old dossiers' share of the monthly summary, upsert
   (INSERT … ON CONFLICT (unit_id, code) DO UPDATE … WHERE something changed), add the new
   share. Set-based: no ORM save per row.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from cchc.core.tabular import MAX_REPORTED_ERRORS, RowError, TableErrors
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
from cchc.dossiers.workdays import CalendarRangeError
from cchc.units.models import CodeScheme, Unit

# -- messages (Vietnamese first; tests import them) -------------------------------------------

ERR_MISSING_COLUMN = "Thiếu cột bắt buộc '{column}' (missing required column)"
ERR_EMPTY_FILE = "Tệp không có dòng tiêu đề (the file has no header row)"
ERR_REQUIRED = "Không được để trống (required value missing)"
ERR_BAD_DATE = (
    "Ngày không hợp lệ: dùng YYYY-MM-DD, YYYY-MM-DD HH:MM hoặc DD/MM/YYYY HH:MM "
    "(not a date or date-time)"
)
ERR_FUTURE_DATE = "Ngày ở tương lai (a date in the future)"
ERR_BAD_CHOICE = "Giá trị không hợp lệ; dùng một trong: {expected} (unknown value)"
ERR_BAD_FLAG = "Giá trị không hợp lệ; dùng 0 hoặc 1 (expected 0 or 1)"
ERR_BAD_NUMBER = "Không phải số nguyên ≥ 0 (not a whole number ≥ 0)"
ERR_UNKNOWN_UNIT = "Không có đơn vị mã '{value}' (unknown unit code)"
ERR_AMBIGUOUS_UNIT = (
    "Mã đơn vị '{value}' có ở nhiều hệ mã ({schemes}); ghi rõ, ví dụ {example} "
    "(ambiguous unit code)"
)
ERR_UNIT_NOT_ALLOWED = (
    "Bạn không được nhập hồ sơ của đơn vị '{value}' (not your unit: you may import the "
    "dossiers of the units you may edit)"
)
ERR_UNKNOWN_PROCEDURE = "Không có thủ tục mã '{value}' trong danh mục (unknown procedure code)"
ERR_FINISHED_BEFORE_RECEIVED = "Ngày kết thúc trước ngày tiếp nhận (finished before received)"
ERR_DUE_BEFORE_RECEIVED = "Hạn giải quyết trước ngày tiếp nhận (due before received)"
ERR_FINISHED_STATUS_NEEDS_DATE = (
    "Trạng thái '{status}' là đã kết thúc nhưng thiếu ngày kết thúc (finished_at) "
    "(a final status needs finished_at)"
)
ERR_OPEN_STATUS_WITH_DATE = "Trạng thái '{status}' là chưa kết thúc nhưng có ngày kết thúc (an open status with finished_at)"
ERR_DUPLICATE = "Hồ sơ '{value}' của đơn vị này đã có ở dòng {first} (same unit and code twice)"
ERR_CALENDAR = "Không tính được hạn giải quyết: {error} (cannot compute the due date)"
ERR_TOO_LONG = "Dài quá {limit} ký tự (longer than {limit} characters)"

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

# Spool/staging columns, in COPY order (the Dossier columns an import writes).
STAGE_COLUMNS: tuple[str, ...] = (
    "row_no",
    "unit_id",
    "code",
    "procedure_id",
    "applicant",
    "channel",
    "received_at",
    "received_on",
    "due_on",
    "status",
    "finished_at",
    "finished_on",
    "intake_digitized",
    "result_digitized",
    "paid_online",
    "result_electronic",
    "reused_data",
    "e_certified_copy",
    "data_store_linked",
    "synced",
    "complaint",
    "rating",
    "supplement_count",
    "late_by_rule",
    # month indexes (summary.month_index) computed while reading: received, finished,
    # and of (due date + 1 day)
    "m_received",
    "m_finished",
    "m_due_passed",
)
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

NULL = "\\N"
_CHANNEL_CODES = tuple(Channel.values)
_STATUS_CODES = tuple(Status.values)
_INTAKE_CODES = tuple(IntakeDigitized.values)
_RATING_CODES = tuple(Rating.values)
# The fast path of the reader takes only the plain codes; anything else takes the slow path,
# which knows the labels and aliases and names what is wrong.
_FAST_CHANNEL = {c: c for c in _CHANNEL_CODES}
_FAST_STATUS = {c: c for c in _STATUS_CODES}
_FAST_INTAKE = {"": "none", **{c: c for c in _INTAKE_CODES}}
_FAST_RATING = {"": None, **{c: c for c in _RATING_CODES}}
_FAST_FLAG = {"": "0", "0": "0", "1": "1"}
_FAST_COUNT = {"": 0, **{str(n): n for n in range(10)}}
_FLAG_COLUMNS = ("result_digitized", "paid_online", "result_electronic", "reused_data",
                 "e_certified_copy", "data_store_linked", "synced", "complaint")  # fmt: skip
# Vietnam has kept UTC+7 since 13/6/1975: a naive local time gets the suffix +07:00, which
# PostgreSQL (timestamptz) and SQLite (datetime()) both turn into UTC themselves.
_VIETNAM_ZONES = {"Asia/Ho_Chi_Minh", "Asia/Saigon"}
_VIETNAM_OFFSET = "+07:00"


_SLOTS = len(summary.COUNT_COLUMNS)
_CHANNEL_SLOT = {"truc_tiep": 0, "truc_tuyen": 1, "buu_chinh": 2}


_MOMENT = re.compile(r"\d{4}-\d\d-\d\d(?:[ T]\d\d:\d\d(?::\d\d)?)?\Z").match
_DAY = re.compile(r"\d{4}-\d\d-\d\d\Z").match


def _not_moment(text: str) -> bool:
    return _MOMENT(text) is None


def _not_day(text: str) -> bool:
    return text != "" and _DAY(text) is None


def _blank(texts: list[str], mask: np.ndarray) -> list[str]:
    if not mask.any():
        return texts
    return ["" if masked else text for text, masked in zip(texts, mask.tolist(), strict=True)]


def _moment_text(text: str) -> str:
    """A checked naive ISO date or date-time as local time with Vietnam's offset."""
    size = len(text)
    if size == 10:
        return text + " 00:00:00" + _VIETNAM_OFFSET
    if size == 16:
        return text[:10] + " " + text[11:] + ":00" + _VIETNAM_OFFSET
    return text[:10] + " " + text[11:] + _VIETNAM_OFFSET


class _Slow(Exception):
    """The fast path gives up on a record: the slow path reads it (and names any error)."""


CHUNK = 20_000  # rows checked column-wise at once (and progress reported)
SQLITE_BATCH = 20_000
SQLITE_CACHE_KIB = -262_144  # 256 MB (negative: KiB)


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
    """Parses date-times in Vietnam time; writes them as local text with the UTC offset."""

    def __init__(self) -> None:
        self.zone = ZoneInfo(settings.TIME_ZONE)
        self.now = timezone.now()
        self.today = timezone.localdate()

    def parse(self, value: Any, column: str) -> tuple[str, dt.date]:
        """('YYYY-MM-DD HH:MM:SS+07:00' local, local date) of a date, date-time or XLSX cell."""
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
        offset = local.strftime("%z")
        text = local.strftime("%Y-%m-%d %H:%M:%S") + offset[:3] + ":" + offset[3:]
        return text, local.date()

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


def _flag(value: object, column: str) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    text = _text(value).lower()
    if text == "":
        return "0"
    hit = FLAG_VALUES.get(text)
    if hit is None:
        raise _Bad(column, ERR_BAD_FLAG, value)
    return "1" if hit else "0"


def _escape(text: str) -> str:
    # COPY text format: backslash, tab, newline and carriage return are escaped.
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = (
            text.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return text


def _unescape(text: str) -> str | None:
    if text == NULL:
        return None
    if "\\" not in text:
        return text
    out, i = [], 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            out.append({"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}.get(nxt, nxt))
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


# -- reading --------------------------------------------------------------------------------


def _records(source: str | Path | IO[bytes], filename: str) -> tuple[Iterator[Sequence[Any]],
                                                                      Callable[[], float]]:  # fmt: skip
    """Raw records (header first) and a function giving the fraction of the file read."""
    suffix = Path(filename).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(source, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a broken file
            raise TableErrors(
                filename, [RowError(None, None, f"Không đọc được tệp XLSX: {error}")]
            ) from None
        sheet = book.worksheets[0]
        total = max(sheet.max_row or 0, 1)
        state = {"row": 0}

        def xlsx_rows() -> Iterator[Sequence[Any]]:
            try:
                for record in sheet.iter_rows(values_only=True):
                    state["row"] += 1
                    yield record
            finally:
                book.close()

        return xlsx_rows(), lambda: min(state["row"] / total, 1.0)
    if suffix not in (".csv", ".txt", ""):
        raise TableErrors(
            filename,
            [
                RowError(
                    None, None, f"Định dạng tệp '{suffix}' không được hỗ trợ; dùng CSV hoặc XLSX."
                )
            ],
        )
    raw = open(source, "rb") if isinstance(source, str | Path) else source  # noqa: SIM115
    try:
        size = os.fstat(raw.fileno()).st_size
    except (AttributeError, OSError, io.UnsupportedOperation):
        size = getattr(raw, "size", 0) or 0
    text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
    first = text.readline()
    delimiter = ";" if first.count(";") > first.count(",") else ","

    def csv_rows() -> Iterator[Sequence[Any]]:
        try:
            yield from csv.reader(_chain(first, text), delimiter=delimiter)
        except UnicodeDecodeError:
            raise TableErrors(
                filename, [RowError(None, None, "Tệp không phải văn bản UTF-8.")]
            ) from None
        finally:
            if isinstance(source, str | Path):
                raw.close()

    def fraction() -> float:
        if not size:
            return 0.0
        try:
            return min(raw.tell() / size, 1.0)
        except (OSError, ValueError):
            return 0.0

    return csv_rows(), fraction


def _chain(first: str, rest: IO[str]) -> Iterator[str]:
    if first:
        yield first
    yield from rest


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

    def __str__(self) -> str:
        return (
            f"{self.rows} dòng: {self.created} hồ sơ mới, {self.updated} cập nhật, "
            f"{self.unchanged} không đổi"
        )


class _Reader:
    """Phase 1: checks each record and spools the good ones as COPY text lines."""

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
        self.procedures: dict[str, tuple[int, int | None]] = {
            code: (pk, days)
            for pk, code, days in Procedure.objects.values_list("pk", "code", "processing_days")
        }
        self.clock = _Clock()
        self.calendar = None
        self.due_cache: dict[tuple[dt.date, int], dt.date] = {}
        self.error_count = 0
        self.rows = 0
        self.unit_ids: set[int] = set()
        # Duplicate check in bounded memory: 8 bytes per row (a hash of unit and code),
        # sorted at the end; only colliding hashes are checked exactly (second pass).
        self.hashes: list[np.ndarray] = []
        self._hash_buf: list[int] = []
        # {(unit_id, month): counts in summary.COUNT_COLUMNS order}
        self.tally: dict[tuple[int, int], list[int]] = {}

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

    def _setup_fast(self) -> None:
        pos = self.pos
        self.fast = settings.TIME_ZONE in _VIETNAM_ZONES
        self.p_required = tuple(pos[c] for c in REQUIRED_COLUMNS)
        self.p_due = pos.get("due_at", -1)
        self.p_finished = pos.get("finished_at", -1)
        self.p_status = pos.get("status", -1)
        self.p_intake = pos.get("intake_digitized", -1)
        self.p_flags = tuple(pos.get(c, -1) for c in _FLAG_COLUMNS)
        self.p_rating = pos.get("rating", -1)
        self.p_supplements = pos.get("supplement_count", -1)
        self.p_late = pos.get("late_by_rule", -1)
        self.p_applicant = pos.get("applicant", -1)
        self.width = max(pos.values()) + 1
        self.unit_fast: dict[str, int] = {}
        self.proc_fast = {code: (str(pk), days) for code, (pk, days) in self.procedures.items()}
        self.day_ok: dict[str, bool] = {}
        self.clock_ok: dict[str, bool] = {}
        self.months: dict[str, tuple[int, str]] = {}
        self.passed_months: dict[str, tuple[int, str]] = {}
        self.due_text: dict[tuple[str, int], str] = {}
        self.latest_day = (self.clock.today + dt.timedelta(days=1)).isoformat()

    def line(self, row_no: int, record: Sequence[Any]) -> tuple[str, ...] | None:
        """The staged values of one row (NULL for none), or None after recording its
        errors."""
        if self.fast:
            try:
                return self._line_fast(record)
            except (_Slow, KeyError, ValueError, AttributeError, IndexError, TypeError):
                pass
        return self._line_slow(row_no, record)

    def _day(self, text: str) -> str:
        ok = self.day_ok.get(text)
        if ok is None:
            try:
                dt.date.fromisoformat(text)
                ok = text[4] == "-" and text >= "1976"
            except ValueError:
                ok = False
            self.day_ok[text] = ok
        if not ok:
            raise _Slow
        return text

    def _moment(self, text: str) -> tuple[str, str]:
        """(local text with offset, local date text) of a naive ISO date or date-time."""
        size = len(text)
        if size == 10:
            self._day(text)
            if text > self.latest_day:
                raise _Slow
            return text + " 00:00:00" + _VIETNAM_OFFSET, text
        if size == 19:
            if text[13] != ":" or text[16] != ":":
                raise _Slow
            tail = text[11:] + _VIETNAM_OFFSET
        elif size == 16:
            if text[13] != ":":
                raise _Slow
            tail = text[11:] + ":00" + _VIETNAM_OFFSET
        else:
            raise _Slow
        day = self._day(text[:10])
        separator = text[10]
        if separator != " " and separator != "T":
            raise _Slow
        clock = self.clock_ok.get(tail)
        if clock is None:
            try:
                dt.time.fromisoformat(tail[:8])
                clock = True
            except ValueError:
                clock = False
            self.clock_ok[tail] = clock
        if not clock or day > self.latest_day:
            raise _Slow
        return day + " " + tail, day

    def _month(self, day: str) -> tuple[int, str]:
        hit = self.months.get(day)
        if hit is None:
            index = summary.month_index(dt.date.fromisoformat(day))
            hit = self.months[day] = (index, str(index))
        return hit

    def _passed_month(self, due: str) -> tuple[int, str]:
        """Month index of (due date + 1 day): from then on the dossier is past due."""
        hit = self.passed_months.get(due)
        if hit is None:
            index = summary.month_index(dt.date.fromisoformat(due) + dt.timedelta(days=1))
            hit = self.passed_months[due] = (index, str(index))
        return hit

    def _line_fast(self, record: Sequence[str]) -> tuple[str, ...]:
        if len(record) < self.width:
            raise _Slow
        pc, pu, pp, pch, pr = self.p_required
        code = record[pc].strip()
        if not code or len(code) > 64:
            raise _Slow
        unit_text = record[pu].strip()
        unit_id = self.unit_fast.get(unit_text)
        if unit_id is None:
            resolved = self.units.resolve(unit_text) if unit_text else ""
            if isinstance(resolved, str) or not self.may_import(resolved):
                raise _Slow
            unit_id = self.unit_fast[unit_text] = resolved
        procedure_id, days = self.proc_fast[record[pp].strip()]
        channel = _FAST_CHANNEL[record[pch].strip()]
        received_at, received_on = self._moment(record[pr].strip())
        if self.p_due >= 0:
            due = record[self.p_due].strip()
            if due:
                self._day(due)
                if due < received_on:
                    raise _Slow
            else:
                due = NULL
        elif days is not None:
            key = (received_on, days)
            due = self.due_text.get(key)  # type: ignore[assignment]
            if due is None:
                due = self.due_text[key] = self.due_for(
                    dt.date.fromisoformat(received_on), days
                ).isoformat()
        else:
            due = NULL
        finished_at = finished_on = NULL
        if self.p_finished >= 0:
            text = record[self.p_finished].strip()
            if text:
                finished_at, finished_on = self._moment(text)
                if finished_on < received_on:
                    raise _Slow
        if self.p_status >= 0:
            status = _FAST_STATUS[record[self.p_status].strip()]
            if (status in FINISHED_STATUSES) != (finished_on != NULL):
                raise _Slow
        else:
            status = "resolved" if finished_on != NULL else "processing"
        intake = _FAST_INTAKE[record[self.p_intake].strip()] if self.p_intake >= 0 else "none"
        flags = [_FAST_FLAG[record[p].strip()] if p >= 0 else "0" for p in self.p_flags]
        rating = _FAST_RATING[record[self.p_rating].strip()] if self.p_rating >= 0 else None
        supplements = (
            _FAST_COUNT[record[self.p_supplements].strip()] if self.p_supplements >= 0 else 0
        )
        if self.p_late >= 0 and record[self.p_late].strip():
            late = _FAST_FLAG[record[self.p_late].strip()]
        else:
            late = "1" if supplements >= 2 else "0"
        applicant = record[self.p_applicant].strip() if self.p_applicant >= 0 else ""
        if len(applicant) > 300:
            raise _Slow
        self.unit_ids.add(unit_id)
        self._hash_buf.append(hash((unit_id, code)))
        if len(self._hash_buf) >= 100_000:
            self.hashes.append(np.array(self._hash_buf, dtype=np.int64))
            self._hash_buf = []
        m_received = self._month(received_on)
        m_finished = None if finished_on == NULL else self._month(finished_on)
        m_passed = None if due == NULL else self._passed_month(due)
        self._tally(unit_id, channel, intake, flags[1], flags[0], received_on, due,
                    finished_on, late, m_received, m_finished, m_passed)  # fmt: skip
        return (
            "0",  # row number: filled by the caller
            str(unit_id),
            code,
            procedure_id,
            applicant,
            channel,
            received_at,
            received_on,
            due,
            status,
            finished_at,
            finished_on,
            intake,
            *flags,
            rating or NULL,
            str(supplements),
            late,
            m_received[1],
            NULL if m_finished is None else m_finished[1],
            NULL if m_passed is None else m_passed[1],
        )

    def take_chunk(
        self, row_nos: list[int], records: list[list[str]]
    ) -> tuple[list[tuple], list[int]]:
        """Column-wise fast path for a chunk of CSV records: (staged rows, indexes of the
        records it did not take, for the per-row path). The per-row path gives the same
        result for every record (tests); this one moves the per-row work into C (map over
        dicts, regex, numpy), which is what makes a million rows a minute's work."""
        count = len(records)
        width = self.width
        if not self.fast or any(len(r) < width for r in records):
            return [], list(range(count))
        columns = list(zip(*records))  # noqa: B905 (every record is at least `width` long)
        strip = str.strip

        def col(position: int) -> list[str]:
            return list(map(strip, columns[position]))

        pc, pu, pp, pch, pr = self.p_required
        codes = col(pc)
        unit_texts = col(pu)
        for text in set(unit_texts) - self.unit_fast.keys():
            resolved = self.units.resolve(text) if text else ""
            if not isinstance(resolved, str) and self.may_import(resolved):
                self.unit_fast[text] = resolved
        unit_ids = list(map(self.unit_fast.get, unit_texts))
        procedures = list(map(self.proc_fast.get, col(pp)))
        channels = list(map(_FAST_CHANNEL.get, col(pch)))
        received_texts = col(pr)
        bad = np.fromiter(
            (
                u is None or pr_ is None or ch is None or not c or len(c) > 64
                for u, pr_, ch, c in zip(unit_ids, procedures, channels, codes, strict=True)
            ),
            dtype=bool,
            count=count,
        )
        not_moment = np.fromiter(map(_not_moment, received_texts), dtype=bool, count=count)
        bad |= not_moment
        try:
            # texts that are not ISO are blanked (NaT): their rows are already marked bad
            received = np.array(_blank(received_texts, not_moment), dtype="datetime64[s]")
        except ValueError:
            return [], list(range(count))
        received_day = received.astype("datetime64[D]")
        latest = np.datetime64(self.latest_day, "D")
        bad |= received_day > latest
        bad |= received_day < np.datetime64("1976-01-01", "D")

        if self.p_due >= 0:
            due_texts = col(self.p_due)
            not_day = np.fromiter(map(_not_day, due_texts), dtype=bool, count=count)
            bad |= not_day
            try:
                due = np.array(_blank(due_texts, not_day), dtype="datetime64[D]")
            except ValueError:
                return [], list(range(count))
        else:
            days = np.array(
                [-1 if p is None or p[1] is None else p[1] for p in procedures], dtype=np.int64
            )
            has_days = days >= 0
            due = np.full(count, np.datetime64("NaT"), dtype="datetime64[D]")
            if has_days.any():
                if self.calendar is None:
                    self.calendar = work_calendar([int(str(received_day.min())[:4])])
                try:
                    due[has_days] = self.calendar.due_dates(received_day[has_days], days[has_days])
                except CalendarRangeError:
                    return [], list(range(count))
            due_texts = None
        has_due = ~np.isnat(due)
        bad |= has_due & (due < received_day)

        if self.p_finished >= 0:
            finished_texts = col(self.p_finished)
            not_moment = np.fromiter(
                (t != "" and _not_moment(t) for t in finished_texts), dtype=bool, count=count
            )
            bad |= not_moment
            try:
                finished = np.array(_blank(finished_texts, not_moment), dtype="datetime64[s]")
            except ValueError:
                return [], list(range(count))
            finished_day = finished.astype("datetime64[D]")
            is_finished = ~np.isnat(finished_day)
            bad |= is_finished & (
                (finished_day < received_day)
                | (finished_day > latest)
                | (finished_day < np.datetime64("1976-01-01", "D"))
            )
        else:
            finished_texts = [""] * count
            finished_day = np.full(count, np.datetime64("NaT"), dtype="datetime64[D]")
            is_finished = np.zeros(count, dtype=bool)

        if self.p_status >= 0:
            statuses = list(map(_FAST_STATUS.get, col(self.p_status)))
            final = np.fromiter((st in FINISHED_STATUSES for st in statuses), bool, count)
            bad |= np.fromiter((st is None for st in statuses), bool, count)
            bad |= final != is_finished
        else:
            statuses = np.where(is_finished, "resolved", "processing").tolist()
        if self.p_intake >= 0:
            intakes = list(map(_FAST_INTAKE.get, col(self.p_intake)))
            bad |= np.fromiter((v is None for v in intakes), bool, count)
        else:
            intakes = ["none"] * count
        flags = []
        for position in self.p_flags:
            if position >= 0:
                values = list(map(_FAST_FLAG.get, col(position)))
                bad |= np.fromiter((v is None for v in values), bool, count)
            else:
                values = ["0"] * count
            flags.append(values)
        if self.p_rating >= 0:
            rating_texts = col(self.p_rating)
            ratings = [_FAST_RATING.get(t, "?") for t in rating_texts]
            bad |= np.fromiter((v == "?" for v in ratings), bool, count)
            ratings = [NULL if v is None or v == "?" else v for v in ratings]
        else:
            ratings = [NULL] * count
        if self.p_supplements >= 0:
            supplements = list(map(_FAST_COUNT.get, col(self.p_supplements)))
            bad |= np.fromiter((v is None for v in supplements), bool, count)
            supplements = [0 if v is None else v for v in supplements]
        else:
            supplements = [0] * count
        if self.p_late >= 0:
            late_texts = col(self.p_late)
            lates = [
                (_FAST_FLAG.get(t, "?") if t else ("1" if n >= 2 else "0"))
                for t, n in zip(late_texts, supplements, strict=True)
            ]
            bad |= np.fromiter((v == "?" for v in lates), bool, count)
        else:
            lates = ["1" if n >= 2 else "0" for n in supplements]
        if self.p_applicant >= 0:
            applicants = col(self.p_applicant)
            bad |= np.fromiter((len(a) > 300 for a in applicants), bool, count)
        else:
            applicants = [""] * count

        good = np.flatnonzero(~bad)
        fallback = np.flatnonzero(bad).tolist()
        if not len(good):
            return [], fallback

        # month indexes (summary.month_index): the calendar month of (day − 14) plus one
        def month_of(days: np.ndarray) -> np.ndarray:
            shifted = (days - np.timedelta64(14, "D")).astype("datetime64[M]")
            return shifted.astype(np.int64) + (1970 * 12 + 1)

        late = np.array([v == "1" for v in lates], dtype=bool)
        m_received = month_of(received_day)
        m_finished = np.where(is_finished, month_of(np.where(is_finished, finished_day,
                                                             received_day)), -1)  # fmt: skip
        safe_due = np.where(has_due, due, received_day)
        m_due_passed = month_of(safe_due + np.timedelta64(1, "D"))
        m_passed = np.where(late, m_received, m_due_passed)  # late by rule: past due at once
        self._tally_chunk(
            good, unit_ids, channels, intakes, flags[1], flags[0], has_due, late, is_finished,
            finished_day, due, m_received, m_finished, m_passed,
        )  # fmt: skip

        received_on = [t[:10] for t in received_texts]
        due_out = (
            [t if t else NULL for t in due_texts]
            if due_texts is not None
            else np.where(has_due, np.datetime_as_string(safe_due, unit="D"), NULL).tolist()
        )
        staged = []
        m_received_list = m_received.tolist()
        m_finished_list = m_finished.tolist()
        m_passed_list = m_due_passed.tolist()
        for i in good.tolist():
            unit_id = unit_ids[i]
            code = codes[i]
            procedure_id = procedures[i][0]
            received_text = received_texts[i]
            finished_text = finished_texts[i]
            due_text = due_out[i]
            self._hash_buf.append(hash((unit_id, code)))
            staged.append(
                (
                    row_nos[i], unit_id, code, procedure_id, applicants[i], channels[i],
                    _moment_text(received_text), received_on[i], due_text, statuses[i],
                    _moment_text(finished_text) if finished_text else NULL,
                    finished_text[:10] if finished_text else NULL,
                    intakes[i], flags[0][i], flags[1][i], flags[2][i], flags[3][i],
                    flags[4][i], flags[5][i], flags[6][i], flags[7][i], ratings[i],
                    supplements[i], lates[i], m_received_list[i],
                    m_finished_list[i] if finished_text else NULL,
                    m_passed_list[i] if due_text != NULL else NULL,
                )
            )  # fmt: skip
            self.unit_ids.add(unit_id)
        if len(self._hash_buf) >= 100_000:
            self.hashes.append(np.array(self._hash_buf, dtype=np.int64))
            self._hash_buf = []
        return staged, fallback

    def _tally_chunk(self, good, unit_ids, channels, intakes, paid, result, has_due, late,
                     is_finished, finished_day, due, m_received, m_finished,
                     m_passed) -> None:  # fmt: skip
        """Vectorised _tally over the chunk's good rows."""
        units = np.array(unit_ids, dtype=object)[good].astype(np.int64)
        shift = np.int64(1 << 20)  # months fit in 20 bits (year 9999 * 12 < 2**17)
        channel_slot = np.array([_CHANNEL_SLOT[c] for c in np.array(channels, dtype=object)[good]])
        full = np.array([v == "full" for v in intakes], dtype=bool)[good]
        paid_ = np.array([v == "1" for v in paid], dtype=bool)[good]
        result_ = np.array([v == "1" for v in result], dtype=bool)[good]
        has_due, late, is_finished = has_due[good], late[good], is_finished[good]
        finished_day, due = finished_day[good], due[good]
        m_received, m_finished, m_passed = m_received[good], m_finished[good], m_passed[good]
        keys, slots = [], []

        def add(mask, months, slot) -> None:
            keys.append(units[mask] * shift + months[mask])
            slots.append(np.broadcast_to(slot, (int(mask.sum()),)) if np.isscalar(slot)
                         else slot[mask])  # fmt: skip

        every = np.ones(len(units), dtype=bool)
        add(every, m_received, channel_slot)
        add(full, m_received, 3)
        add(paid_, m_received, 4)
        outcome = np.select(
            [~has_due, late, finished_day < due, finished_day == due], [6, 7, 5, 6], default=7
        )
        add(is_finished, m_finished, outcome)
        add(is_finished & result_, m_finished, 8)
        add(has_due, m_passed, 9)
        add(has_due & is_finished, np.maximum(m_passed, m_finished), 10)
        combined = np.concatenate(keys) * 16 + np.concatenate(slots).astype(np.int64)
        values, counts = np.unique(combined, return_counts=True)
        tally = self.tally
        for value, n in zip(values.tolist(), counts.tolist(), strict=True):
            key_value, slot = divmod(value, 16)
            unit_id, month = divmod(key_value, int(shift))
            key = (unit_id, month)
            bucket = tally.get(key)
            if bucket is None:
                bucket = tally[key] = [0] * _SLOTS
            bucket[slot] += n

    def _tally(self, unit_id: int, channel: str, intake: str, paid: str, result: str,
               received_on: str, due: str, finished_on: str, late: str,
               m_received: tuple[int, str], m_finished: tuple[int, str] | None,
               m_passed: tuple[int, str] | None) -> None:  # fmt: skip
        """Add the row's share of the monthly summary (summary.contribution, here so that a
        fresh import needs no aggregate query over millions of staged rows)."""
        tally = self.tally
        key = (unit_id, m_received[0])
        counts = tally.get(key)
        if counts is None:
            counts = tally[key] = [0] * _SLOTS
        counts[_CHANNEL_SLOT[channel]] += 1
        if intake == "full":
            counts[3] += 1
        if paid == "1":
            counts[4] += 1
        if m_finished is not None:
            if due == NULL:
                slot = 6
            elif late == "1":
                slot = 7
            elif finished_on < due:
                slot = 5
            elif finished_on == due:
                slot = 6
            else:
                slot = 7
            key = (unit_id, m_finished[0])
            counts = tally.get(key)
            if counts is None:
                counts = tally[key] = [0] * _SLOTS
            counts[slot] += 1
            if result == "1":
                counts[8] += 1
        if m_passed is not None:
            passed = m_received[0] if late == "1" else m_passed[0]
            key = (unit_id, passed)
            counts = tally.get(key)
            if counts is None:
                counts = tally[key] = [0] * _SLOTS
            counts[9] += 1
            if m_finished is not None:
                key = (unit_id, max(passed, m_finished[0]))
                counts = tally.get(key)
                if counts is None:
                    counts = tally[key] = [0] * _SLOTS
                counts[10] += 1

    def _line_slow(self, row_no: int, record: Sequence[Any]) -> tuple[str, ...] | None:
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
        for name in _FLAG_COLUMNS:
            raw = get(name)
            flags[name] = attempt(lambda raw=raw, name=name: _flag(raw, name), "0")
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
            except ValueError:
                problems.append(_Bad("supplement_count", ERR_BAD_NUMBER, raw_supplements))
        late = "0"
        raw_late = get("late_by_rule")
        if _text(raw_late):
            late = attempt(lambda: _flag(raw_late, "late_by_rule"), "0")
        elif supplements >= 2:
            late = "1"  # QĐ 766 indicator 2.1: a second supplement request makes it late
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
        self.unit_ids.add(unit_id)
        self._hash_buf.append(hash((unit_id, code)))
        if len(self._hash_buf) >= 100_000:
            self.hashes.append(np.array(self._hash_buf, dtype=np.int64))
            self._hash_buf = []
        received_text = received_on.isoformat()
        due_text = due_on.isoformat() if due_on else NULL
        finished_text = finished[1].isoformat() if finished else NULL
        m_received = self._month(received_text)
        m_finished = self._month(finished_text) if finished else None
        m_passed = self._passed_month(due_text) if due_on else None
        self._tally(unit_id, channel, intake, flags["paid_online"], flags["result_digitized"],
                    received_text, due_text, finished_text, late, m_received, m_finished,
                    m_passed)  # fmt: skip
        return (
            str(row_no),
            str(unit_id),
            code,
            str(procedure[0]),
            applicant,
            channel,
            received[0],
            received_text,
            due_text,
            status,
            finished[0] if finished else NULL,
            finished_text,
            intake,
            flags["result_digitized"],
            flags["paid_online"],
            flags["result_electronic"],
            flags["reused_data"],
            flags["e_certified_copy"],
            flags["data_store_linked"],
            flags["synced"],
            flags["complaint"],
            rating or NULL,
            str(supplements),
            late,
            m_received[1],
            NULL if m_finished is None else m_finished[1],
            NULL if m_passed is None else m_passed[1],
        )

    def duplicate_hashes(self) -> set[int]:
        if self._hash_buf:
            self.hashes.append(np.array(self._hash_buf, dtype=np.int64))
            self._hash_buf = []
        if not self.hashes:
            return set()
        every = np.sort(np.concatenate(self.hashes))
        self.hashes = []
        same = every[1:] == every[:-1]
        return set(every[1:][same].tolist())


class _CopySpool:
    """PostgreSQL: staged rows as CSV (COPY's CSV format, NULL written \\N) in a
    temporary file; csv.writer quotes what needs quoting."""

    def __init__(self) -> None:
        # closed by close(), called in dossiers_import's finally
        self.file = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")  # noqa: SIM115
        self.writer = csv.writer(self.file, lineterminator="\n")

    def add_many(self, rows: Sequence[Sequence[object]]) -> None:
        self.writer.writerows(rows)

    def staged_keys(self) -> Iterator[tuple[int, int, str]]:
        self.file.flush()
        self.file.seek(0)
        for row in csv.reader(self.file):
            yield int(row[0]), int(row[1]), row[2]
        self.file.seek(0, os.SEEK_END)

    def load(self, cursor) -> None:
        self.file.flush()
        self.file.seek(0)
        columns = ", ".join(STAGE_COLUMNS)
        with cursor.cursor.copy(
            f"COPY dossier_stage ({columns}) FROM STDIN WITH (FORMAT csv, NULL '{NULL}')"
        ) as copy:
            while chunk := self.file.read(1 << 20):
                copy.write(chunk)

    def close(self) -> None:
        self.file.close()


class _SqliteStage:
    """SQLite: staged rows inserted into the connection's TEMP table while reading.

    The temp database is the connection's own: filling it takes no lock on the main
    database, so the all-or-nothing write still happens in one short transaction.
    """

    NULLABLE = {"due_on", "finished_at", "finished_on", "rating", "m_finished", "m_due_passed"}

    def __init__(self) -> None:
        with connection.cursor() as cursor:
            _create_stage(cursor)
        marks = ", ".join(
            f"NULLIF(?, '{NULL}')" if c in self.NULLABLE else "?" for c in STAGE_COLUMNS
        )
        self.sql = f"INSERT INTO dossier_stage VALUES ({marks})"
        self.batch: list[Sequence[str]] = []

    def add_many(self, rows: Sequence[Sequence[object]]) -> None:
        self.batch.extend(rows)
        if len(self.batch) >= SQLITE_BATCH:
            self.flush()

    def flush(self) -> None:
        if self.batch:
            with connection.cursor() as cursor:
                cursor.cursor.executemany(self.sql, self.batch)
            self.batch = []

    def staged_keys(self) -> Iterator[tuple[int, int, str]]:
        self.flush()
        with connection.cursor() as cursor:
            cursor.execute("SELECT row_no, unit_id, code FROM dossier_stage")
            yield from cursor.fetchall()

    def load(self, cursor) -> None:
        self.flush()

    def close(self) -> None:
        self.batch = []
        with connection.cursor() as cursor:
            _drop_temp(cursor)


def _read(
    source: str | Path | IO[bytes],
    filename: str,
    sink: _CopySpool | _SqliteStage,
    progress: Callable[[float, int], None],
    by=None,
) -> _Reader:
    records, fraction = _records(source, filename)
    header = next(records, None)
    if header is None:
        raise TableErrors(filename, [RowError(None, None, ERR_EMPTY_FILE)])
    reader = _Reader(header, filename, by)
    if reader.errors:
        raise TableErrors(filename, reader.errors)
    reader._setup_fast()
    line = reader.line
    rows = 0
    chunk_rows: list[int] = []
    chunk: list[Sequence[Any]] = []

    def flush() -> None:
        # Rows are staged even after an error: the duplicate check reads them.
        if not chunk:
            return
        columnar = all(type(r) is list for r in chunk[:1])  # CSV records; XLSX: per row
        staged, fallback = reader.take_chunk(chunk_rows, chunk) if columnar else (
            [], range(len(chunk)))  # fmt: skip
        sink.add_many(staged)
        for i in fallback:
            values = line(chunk_rows[i], chunk[i])
            if values is not None:
                if values[0] == "0":
                    values = (chunk_rows[i], *values[1:])
                sink.add_many([values])
        chunk_rows.clear()
        chunk.clear()

    for row_no, record in enumerate(records, start=2):
        if not record or (not record[0] and all(_text(v) == "" for v in record)):
            continue
        chunk_rows.append(row_no)
        chunk.append(record)
        rows += 1
        if len(chunk) >= CHUNK:
            flush()
            reader.rows = rows
            progress(fraction(), rows)
    flush()
    reader.rows = rows
    candidates = reader.duplicate_hashes()
    if candidates:
        _report_duplicates(reader, sink, candidates)
    if reader.error_count:
        raise TableErrors(filename, sorted(reader.errors, key=lambda e: e.row or 0))
    return reader


def _report_duplicates(
    reader: _Reader, sink: _CopySpool | _SqliteStage, candidates: set[int]
) -> None:
    """Second pass over the staged rows whose (unit, code) hash repeats."""
    first: dict[tuple[int, str], int] = {}
    for row_no, unit_id, code in sink.staged_keys():
        if hash((unit_id, code)) not in candidates:
            continue
        seen = first.setdefault((unit_id, code), row_no)
        if seen != row_no:
            reader.add_error(row_no, "code", ERR_DUPLICATE.format(value=code, first=seen), code)


# -- writing --------------------------------------------------------------------------------

# SQLite column types without NUMERIC affinity (no conversion attempt per value).
_SQLITE_TYPES = {"bigint": "INTEGER", "integer": "INTEGER", "smallint": "INTEGER",
                 "boolean": "INTEGER"}  # fmt: skip


def _create_stage(cursor, name: str = "dossier_stage") -> None:
    _drop_temp(cursor)
    if connection.vendor == "postgresql":
        columns = ", ".join(f"{c} {_STAGE_TYPES.get(c, 'boolean')}" for c in STAGE_COLUMNS)
        cursor.execute(f"CREATE TEMP TABLE {name} ({columns}) ON COMMIT DROP")
    else:
        columns = ", ".join(
            f"{c} {_SQLITE_TYPES.get(_STAGE_TYPES.get(c, 'boolean'), 'TEXT')}"
            for c in STAGE_COLUMNS
        )
        cursor.execute(f"CREATE TEMP TABLE {name} ({columns})")


def _drop_temp(cursor) -> None:
    # Dropped explicitly too: inside an outer transaction (tests) ON COMMIT comes late.
    for name in ("dossier_stage", "dossier_old", "dossier_stage_known"):
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{name}")
        else:
            cursor.execute(f"DROP TABLE IF EXISTS temp.{name}")


def _write(
    reader: _Reader, sink: _CopySpool | _SqliteStage, record: DossierImport
) -> tuple[int, int, int]:
    """Phase 2, inside the caller's transaction: (created, updated, unchanged)."""
    pg = connection.vendor == "postgresql"
    table = Dossier._meta.db_table
    t = summary.true_sql()
    months = ("m_received", "m_finished", "m_due_passed")
    data_columns = [c for c in STAGE_COLUMNS if c not in ("row_no", "unit_id", "code", *months)]
    # Columns absent from the file keep the existing dossiers' values.
    kept: list[str] = []
    for column, targets in _FILLS.items():
        if column not in reader.present:
            kept.extend(targets)
    if "status" not in reader.present and "finished_at" not in reader.present:
        kept.extend(_STATE_COLUMNS)
    if "late_by_rule" not in reader.present and "supplement_count" not in reader.present:
        kept.append("late_by_rule")
    with connection.cursor() as cursor:
        if not pg:
            # A bigger page cache for this connection while it writes: the indexes of a
            # million-row table do not fit SQLite's default 2 MB, and inserts thrash.
            cursor.execute("PRAGMA cache_size")
            cache_size = cursor.fetchone()[0]
            cursor.execute(f"PRAGMA cache_size = {SQLITE_CACHE_KIB}")
        if pg:
            _create_stage(cursor)
        sink.load(cursor)
        # The existing dossiers the file names, as they are now.
        summary_columns = (
            "unit_id, code, channel, received_on, due_on, finished_on, intake_digitized, "
            "paid_online, result_digitized, late_by_rule, clock_stopped_on"
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
        summary.apply(
            {key: dict(zip(summary.COUNT_COLUMNS, counts, strict=True))
             for key, counts in reader.tally.items()}
        )  # fmt: skip
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
            f"{table}.{c} IS DISTINCT FROM excluded.{c}"
            if pg
            else f"{table}.{c} IS NOT excluded.{c}"
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

        def value(column: str) -> str:
            # SQLite: the local time with its offset becomes the UTC text Django stores
            if not pg and column in ("received_at", "finished_at"):
                return f"datetime({column})"
            return column

        select = ", ".join(
            ["unit_id", "code", *map(value, stage_columns), str(record.pk), str(record.pk),
             now, now]
        )  # fmt: skip
        order = " ORDER BY unit_id, code" if pg else ""
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(insert_columns)}) "
            f"SELECT {select} FROM dossier_stage WHERE {t}{order} "
            f"ON CONFLICT (unit_id, code) DO UPDATE SET {updates} WHERE {distinct}"
        )
        written = cursor.rowcount
        _drop_temp(cursor)
        if not pg:
            cursor.execute(f"PRAGMA cache_size = {int(cache_size)}")
    created = reader.rows - existing
    updated = written - created
    return created, updated, existing - updated


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
    import time

    record = DossierImport.objects.create(filename=filename, by=by, job=job)
    result = ImportResult(import_id=record.pk)

    def progress(fraction: float, rows: int) -> None:
        if job is not None:
            # Reading is 80% of the bar; the write is one transaction, invisible until done.
            job.progress(int(fraction * 80), 100, f"Đã kiểm tra {rows:,} dòng".replace(",", "."))

    started = time.perf_counter()
    sink = _CopySpool() if connection.vendor == "postgresql" else _SqliteStage()
    try:
        try:
            reader = _read(source, filename, sink, progress, by)
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
            created, updated, unchanged = _write(reader, sink, record)
            result.rows, result.created, result.updated, result.unchanged = (
                reader.rows, created, updated, unchanged,
            )  # fmt: skip
            result.unit_ids = sorted(reader.unit_ids)
            DossierImport.objects.filter(pk=record.pk).update(
                status=DossierImport.ImportStatus.DONE,
                finished_at=timezone.now(),
                rows=reader.rows,
                created=created,
                updated=updated,
                unchanged=unchanged,
            )
        result.seconds_write = time.perf_counter() - started
    finally:
        sink.close()
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
                    clean[column] = default if text == "" else _flag(text, column) == "1"
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
    writer = csv.writer(handle, lineterminator="\n")
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
