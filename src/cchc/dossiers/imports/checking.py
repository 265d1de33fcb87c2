"""Phase 1's checks: every row of a file to a typed row (format.ROW_SCHEMA) or to errors
naming row, column, value and why."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from cchc.core.people import Person
from cchc.core.tabular import MAX_REPORTED_ERRORS, RowError
from cchc.dossiers.calendar import work_calendar
from cchc.dossiers.imports.files import ROW
from cchc.dossiers.imports.format import (
    _CHANNEL_CODES,
    _FIXED_OFFSET_SINCE,
    _INTAKE_CODES,
    _MOMENT_PATTERN,
    _RATING_CODES,
    _STATUS_CODES,
    _VIETNAM_OFFSET,
    CHANNEL_VALUES,
    COLUMNS,
    ERR_BAD_FEE,
    ERR_BAD_NUMBER,
    ERR_CALENDAR,
    ERR_DUE_BEFORE_RECEIVED,
    ERR_FINISHED_BEFORE_RECEIVED,
    ERR_FINISHED_STATUS_NEEDS_DATE,
    ERR_MISSING_COLUMN,
    ERR_OPEN_STATUS_WITH_DATE,
    ERR_REQUIRED,
    ERR_TOO_LONG,
    ERR_UNIT_NOT_ALLOWED,
    ERR_UNKNOWN_PROCEDURE,
    FLAG_COLUMNS,
    FLAG_VALUES,
    INTAKE_VALUES,
    RATING_VALUES,
    REQUIRED_COLUMNS,
    ROW_SCHEMA,
    STATUS_VALUES,
    BadValue,
    Clock,
    cell_text,
    choice,
    content_hashes,
    flag,
    lookup,
    normalise_header,
    parse_fee,
)
from cchc.dossiers.imports.references import UnitResolver
from cchc.dossiers.imports.tally import delta, sum_tallies, tally, with_months
from cchc.dossiers.models import (
    FINISHED_STATUSES,
    Procedure,
    Status,
)
from cchc.dossiers.workdays import CalendarRangeError
from cchc.units.models import Unit

if TYPE_CHECKING:
    from cchc.dossiers.imports.reading import Spool


class Reader:
    """Phase 1: checks every row; the good ones become typed rows (ROW_SCHEMA), the bad ones
    errors naming row, column, value and why.

    CSV rows are checked column-wise, a batch at a time (polars: the per-row work in Rust);
    a row that path does not take (anything unusual: a label instead of a code, a date with
    an offset, and every wrong value) goes through the per-row path (`line`), the reference,
    which reads every accepted form and names every problem. XLSX rows all go per row.
    """

    def __init__(self, header: Sequence[Any], filename: str, by: Person | None = None) -> None:
        self.filename = filename
        self.by = by
        # unit id -> may `by` import its dossiers (None: no restriction, the command line)
        self.allowed: dict[int, bool] | None = None if by is None else {}
        names = [normalise_header(h) for h in header]
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
        self.clock = Clock()
        self.calendar = None
        self.due_cache: dict[tuple[dt.date, int], dt.date] = {}
        self.error_count = 0
        self.rows = 0
        self.unit_ids: set[int] = set()
        # Duplicate check in bounded memory: 8 bytes per row (a hash of unit and code);
        # only repeated hashes are checked exactly, in a second pass over the spool.
        self.hashes: list[np.ndarray] = []
        self.tallies: list[pl.DataFrame] = []
        # The summary's share tallied while reading (a streamed first load, where the
        # server is busy loading meanwhile); otherwise from the spool when it is needed:
        # an update tallies only the rows it stages.
        self.tallying = False
        self.fast = True  # the clock's zone is always Vietnam time (Clock)
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
            shown = (
                None if value is None else cell_text(value) if not isinstance(value, str) else value
            )
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
            channel_v=mapped("channel", lambda v: lookup(CHANNEL_VALUES, v), pl.String),
            received=moment("received_at"),
            due_given=moment("due_at").dt.date() if "due_at" in present else pl.lit(None, pl.Date),
            finished=moment("finished_at") if "finished_at" in present else pl.lit(None, pl.Datetime("us")),
            status_v=optional("status", lambda v: lookup(STATUS_VALUES, v), pl.String, ""),
            intake_v=optional("intake_digitized", lambda v: lookup(INTAKE_VALUES, v), pl.String, "none"),
            rating_v=optional("rating", lambda v: lookup(RATING_VALUES, v), pl.String, ""),
            late_v=optional("late_by_rule", lambda v: "1" if is_flag(v) else "0" if is_flag(v) is False else None, pl.String, ""),
            fee_v=(
                pl.when(col("fee") == "").then(-1).otherwise(
                    mapped("fee", lambda v: parse_fee(v), pl.Int64))
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
        problems: list[BadValue] = []

        def get(column: str) -> Any:
            return self.cell(record, column)

        def required(column: str) -> str:
            text = cell_text(get(column))
            if not text:
                problems.append(BadValue(column, ERR_REQUIRED))
            return text

        code = required("code")
        if len(code) > 64:
            problems.append(BadValue("code", ERR_TOO_LONG.format(limit=64), code))
        unit_text = required("unit")
        procedure_text = required("procedure")
        unit_id: int | None = None
        if unit_text:
            resolved = self.units.resolve(unit_text)
            if isinstance(resolved, str):
                problems.append(BadValue("unit", resolved, unit_text))
            elif not self.may_import(resolved):
                problems.append(
                    BadValue("unit", ERR_UNIT_NOT_ALLOWED.format(value=unit_text), unit_text)
                )
            else:
                unit_id = resolved
        procedure = None
        if procedure_text:
            procedure = self.procedures.get(procedure_text)
            if procedure is None:
                problems.append(
                    BadValue(
                        "procedure",
                        ERR_UNKNOWN_PROCEDURE.format(value=procedure_text),
                        procedure_text,
                    )  # fmt: skip
                )

        def attempt(fn: Callable[[], Any], default: Any = None) -> Any:
            try:
                return fn()
            except BadValue as bad:
                problems.append(bad)
                return default

        raw_channel = get("channel")
        channel = None
        if cell_text(raw_channel):
            channel = attempt(lambda: choice(raw_channel, CHANNEL_VALUES, "channel",
                                              _CHANNEL_CODES))  # fmt: skip
        else:
            problems.append(BadValue("channel", ERR_REQUIRED))
        received = None
        raw_received = get("received_at")
        if cell_text(raw_received):
            received = attempt(lambda: self.clock.parse(raw_received, "received_at"))
        else:
            problems.append(BadValue("received_at", ERR_REQUIRED))
        received_on = received[1] if received else None

        due_on = None
        if "due_at" in self.present:
            raw_due = get("due_at")
            if cell_text(raw_due):
                due_on = attempt(lambda: self.clock.parse_date(raw_due, "due_at"))
        elif procedure is not None and procedure[1] is not None and received_on is not None:
            try:
                due_on = self.due_for(received_on, procedure[1])
            except CalendarRangeError as error:
                problems.append(BadValue("received_at", ERR_CALENDAR.format(error=error)))

        finished = None
        raw_finished = get("finished_at")
        if cell_text(raw_finished):
            finished = attempt(lambda: self.clock.parse(raw_finished, "finished_at"))

        status = None
        raw_status = get("status")
        if cell_text(raw_status):
            status = attempt(lambda: choice(raw_status, STATUS_VALUES, "status", _STATUS_CODES))
        if status is None and not problems:
            status = Status.RESOLVED if finished else Status.PROCESSING
        if status is not None:
            if status in FINISHED_STATUSES and finished is None and "status" in self.present:
                if cell_text(raw_finished) == "":
                    problems.append(
                        BadValue(
                            "finished_at", ERR_FINISHED_STATUS_NEEDS_DATE.format(status=status)
                        )
                    )
            elif status not in FINISHED_STATUSES and finished is not None:
                problems.append(
                    BadValue("status", ERR_OPEN_STATUS_WITH_DATE.format(status=status), raw_status)
                )

        intake = "none"
        raw_intake = get("intake_digitized")
        if cell_text(raw_intake):
            intake = attempt(
                lambda: choice(raw_intake, INTAKE_VALUES, "intake_digitized",
                                _INTAKE_CODES),
                "none",
            )  # fmt: skip
        flags = {}
        for name in FLAG_COLUMNS:
            raw = get(name)
            flags[name] = attempt(lambda raw=raw, name=name: flag(raw, name), False)
        rating = None
        raw_rating = get("rating")
        if cell_text(raw_rating):
            rating = attempt(lambda: choice(raw_rating, RATING_VALUES, "rating", _RATING_CODES))
        supplements = 0
        raw_supplements = get("supplement_count")
        if cell_text(raw_supplements):
            try:
                supplements = int(float(cell_text(raw_supplements)))
                if supplements < 0 or supplements > 32767:
                    raise ValueError
            except (ValueError, OverflowError):
                problems.append(BadValue("supplement_count", ERR_BAD_NUMBER, raw_supplements))
        late = False
        raw_late = get("late_by_rule")
        if cell_text(raw_late):
            late = attempt(lambda: flag(raw_late, "late_by_rule"), False)
        elif supplements >= 2:
            late = True  # QĐ 766 indicator 2.1: a second supplement request makes it late
        fee = self.procedure_fees.get(procedure_text)  # empty or absent: the catalogue's
        raw_fee = get("fee")
        if cell_text(raw_fee):
            given = parse_fee(cell_text(raw_fee))
            if given is None:
                problems.append(BadValue("fee", ERR_BAD_FEE, raw_fee))
            else:
                fee = given if given > 0 else None
        applicant = cell_text(get("applicant"))
        if len(applicant) > 300:
            problems.append(BadValue("applicant", ERR_TOO_LONG.format(limit=300), applicant[:40]))

        if received_on is not None:
            if finished is not None and finished[1] < received_on:
                problems.append(BadValue("finished_at", ERR_FINISHED_BEFORE_RECEIVED, raw_finished))
            if due_on is not None and due_on < received_on:
                problems.append(BadValue("due_at", ERR_DUE_BEFORE_RECEIVED, get("due_at")))

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

    def keep(self, frame: pl.DataFrame, spool: Spool) -> pl.DataFrame:
        """Spool checked rows (with their month indexes and content hashes), and note what
        the duplicate check and the summary need of them; returns the rows as spooled."""
        if frame.is_empty():
            return frame
        frame = with_months(frame)
        frame = frame.with_columns(content_hashes(frame, self.present))
        self.hashes.append(_key_hashes(frame).to_numpy())
        if self.tallying:
            self.tallies = _folded(self.tallies, tally(frame))
        self.unit_ids.update(frame.get_column("unit_id").unique().to_list())
        spool.add(frame)
        return frame

    def rows_of(self, rows: list[tuple]) -> pl.DataFrame:
        """The per-row path's typed rows as a frame."""
        return pl.DataFrame(rows, schema=ROW_SCHEMA, orient="row")

    def summary_delta(self, spool: Spool) -> dict[tuple[int, int], dict[str, int]]:
        """What every spooled row adds to the summary (a first load)."""
        tallies = self.tallies
        if not self.tallying:
            for frame in spool.frames():
                tallies = _folded(tallies, tally(frame))
        return delta(tallies)

    def repeated_hashes(self) -> np.ndarray:
        if not self.hashes:
            return np.empty(0, dtype=np.uint64)
        every = np.concatenate(self.hashes)
        self.hashes = []
        every.sort()  # in place: 8 bytes per row at the peak, not 24
        return np.unique(every[1:][every[1:] == every[:-1]])


def _folded(tallies: list[pl.DataFrame], new: pl.DataFrame) -> list[pl.DataFrame]:
    """The tallies with a batch's added, summed every 8: a batch's tally has a row per
    (unit, month) it touches, up to 3,321 × 14 rows of 15 counts (5 MB) in a country file,
    so keeping one per batch held 300 MB more at 6,000,000 rows."""
    tallies = [*tallies, new]
    return [sum_tallies(tallies)] if len(tallies) > 8 else tallies


def _key_hashes(frame: pl.DataFrame) -> pl.Series:
    return frame.select(pl.struct("unit_id", "code").hash(seed=0)).to_series()
