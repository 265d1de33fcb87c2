"""The dossier file format, defined once: columns, header aliases, values and their
spellings, messages, the typed row every reader produces, and the parsers of one value
(docs/dossier-import.md)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import Any

import polars as pl
from django.utils import timezone

from cchc.core import jobs
from cchc.core.formatting import VIETNAM
from cchc.core.tabular import cell_text
from cchc.dossiers.models import (
    Channel,
    IntakeDigitized,
    Rating,
    Status,
)
from cchc.dossiers.periods import vn_today

# -- messages (Vietnamese first; tests import them) -------------------------------------------

ERR_TIME_LIMIT = jobs.ERR_TIME_LIMIT  # a background job's time limit: core.jobs, for every job
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
# The content hash of each row (content_hashes), spooled, staged and stored with the dossier.
HASH = "content_hash"
STAGE_COLUMNS: tuple[str, ...] = (*ROW_SCHEMA, *MONTH_COLUMNS, HASH)
# The Dossier columns a row fills (the others: clock_stopped_on, the import and the times).
DOSSIER_COLUMNS: tuple[str, ...] = tuple(c for c in ROW_SCHEMA if c != "row_no")
LOADED_COLUMNS: tuple[str, ...] = (*DOSSIER_COLUMNS, HASH)  # what a first load writes
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
# The file columns whose presence changes what an update sets (_FILLS, the state, the
# late-by-rule mark): part of the content hash, in this order.
PRESENCE_COLUMNS: tuple[str, ...] = (*_FILLS, "status", "finished_at", "late_by_rule")
HASH_SEED = 0xC4C


def content_hashes(frame: pl.DataFrame, present: Iterable[str]) -> pl.Series:
    """The content hash of each typed row (ROW_SCHEMA's DOSSIER_COLUMNS) of a file whose
    columns are `present`: 64 bits (signed, as the database stores them) over the row's
    values, its unit and code included, and over which of PRESENCE_COLUMNS the file has
    (a column absent from the file leaves the dossier's value alone, so the same values
    with another set of columns are another content).

    A re-import finds an unchanged row by this hash alone; a row whose hash is not found is
    compared column by column, so a hash that changes (another polars version hashes
    differently) costs one slower import, never a wrong one."""
    present = frozenset(present)
    mask = sum(1 << i for i, name in enumerate(PRESENCE_COLUMNS) if name in present)
    values = [pl.col(c).cast(ROW_SCHEMA[c]) for c in DOSSIER_COLUMNS]
    return frame.select(
        pl.struct(*values, pl.lit(mask, pl.Int64).alias("present"))
        .hash(seed=HASH_SEED)
        .reinterpret(signed=True)
        .alias(HASH)
    ).to_series()


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


def normalise_header(name: object) -> str:
    text = " ".join(str(name or "").replace("\ufeff", "").strip().lower().split())
    return ALIASES.get(text, text.replace(" ", "_"))


# -- values ---------------------------------------------------------------------------------


class BadValue(Exception):
    def __init__(self, column: str, message: str, value: object = None) -> None:
        self.column = column
        self.message = message
        self.value = value


class Clock:
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
            text = cell_text(value)
            try:
                if len(text) == 10 and text[4] == "-":
                    moment = dt.datetime.fromisoformat(text)
                elif _VIETNAMESE_MOMENT.match(text):
                    moment = _vietnamese_datetime(text)
                else:
                    moment = dt.datetime.fromisoformat(text)
            except (ValueError, IndexError):
                raise BadValue(column, ERR_BAD_DATE, value) from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=self.zone)
        local = moment.astimezone(self.zone)
        if local > self.now + dt.timedelta(days=1):
            raise BadValue(column, ERR_FUTURE_DATE, value)
        return local.astimezone(dt.UTC).replace(microsecond=0), local.date()

    def parse_date(self, value: Any, column: str) -> dt.date:
        """A calendar date (due dates): a date-time counts by its local date."""
        if isinstance(value, dt.datetime):
            if value.tzinfo is not None:
                return value.astimezone(self.zone).date()
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = cell_text(value)
        try:
            if len(text) == 10 and text[4] == "-":
                return dt.date.fromisoformat(text)
            if _VIETNAMESE_MOMENT.match(text):
                return _vietnamese_datetime(text).date()
            moment = dt.datetime.fromisoformat(text)
        except (ValueError, IndexError):
            raise BadValue(column, ERR_BAD_DATE, value) from None
        if moment.tzinfo is not None:
            return moment.astimezone(self.zone).date()
        return moment.date()


ERR_BAD_FEE = "Phí, lệ phí không hợp lệ: ghi số tiền bằng đồng, VD 50000 hoặc 50.000"
MAX_FEE = 10**13  # the column holds 14 digits


def parse_fee(text: str) -> int | None:
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


# A day and month padded or not: 18/09/2023 as exports write it, 05/9/2023 as CCHC and the
# documents print it (NĐ 30/2020), 5/9/2023 as a person may type it.
_VIETNAMESE_MOMENT = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?!\d)")


def _vietnamese_datetime(text: str) -> dt.datetime:
    """'18/09/2023', '5/9/2023 08:30' or '05/9/2023 08:30:15'."""
    m = _VIETNAMESE_MOMENT.match(text)
    if m is None:
        raise ValueError(text)
    day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    rest = text[m.end() :].strip()
    hour = minute = second = 0
    if rest:
        parts = rest.split(":")
        if not 2 <= len(parts) <= 3:
            raise ValueError(text)
        hour, minute = int(parts[0]), int(parts[1])
        second = int(parts[2]) if len(parts) == 3 else 0
    return dt.datetime(year, month, day, hour, minute, second)


def choice(value: object, table: dict, column: str, expected: Sequence[str]) -> Any:
    text = cell_text(value)
    hit = table.get(text)
    if hit is None:
        hit = table.get(text.lower())
    if hit is None:
        raise BadValue(column, ERR_BAD_CHOICE.format(expected=", ".join(expected)), value)
    return hit


def flag(value: object, column: str) -> bool:
    if isinstance(value, bool):
        return value
    text = cell_text(value).lower()
    if text == "":
        return False
    hit = FLAG_VALUES.get(text)
    if hit is None:
        raise BadValue(column, ERR_BAD_FLAG, value)
    return hit


def lookup(table: dict[str, Any], text: str) -> Any:
    """The value of a code, label or alias (as written, then lower-cased); None if unknown."""
    hit = table.get(text)
    return table.get(text.lower()) if hit is None else hit
