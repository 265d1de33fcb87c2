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
     subtracted, the rows upserted (SQLite: INSERT … ON CONFLICT (unit_id, code) DO UPDATE
     … WHERE something changed; PostgreSQL, partitioned by year: UPDATE of the matched
     rows, then INSERT of the new ones), the new share added.

The package, by concern: format (the file format, defined once), files (CSV and XLSX
readers), references (unit codes), checking (the row checks), tally (the summary share),
reading (phase 1), writing (phase 2), running (the import as a whole), procedures (the
catalogue).
"""

from cchc.dossiers.imports.checking import (  # noqa: F401
    Reader,
    _key_hashes,
)
from cchc.dossiers.imports.files import (  # noqa: F401
    ROW,
    CsvFile,
    _record_end,
    _unreadable,
    xlsx_records,
)
from cchc.dossiers.imports.format import (  # noqa: F401
    _CHANNEL_CODES,
    _FILLS,
    _FIXED_OFFSET_SINCE,
    _INTAKE_CODES,
    _MOMENT_PATTERN,
    _RATING_CODES,
    _STATE_COLUMNS,
    _STATUS_CODES,
    _VIETNAM_OFFSET,
    _VIETNAM_ZONES,
    ALIASES,
    CHANNEL_VALUES,
    COLUMNS,
    DOSSIER_COLUMNS,
    ERR_AMBIGUOUS_UNIT,
    ERR_BAD_CHOICE,
    ERR_BAD_DATE,
    ERR_BAD_FEE,
    ERR_BAD_FLAG,
    ERR_BAD_NUMBER,
    ERR_CALENDAR,
    ERR_DUE_BEFORE_RECEIVED,
    ERR_DUPLICATE,
    ERR_EMPTY_FILE,
    ERR_FINISHED_BEFORE_RECEIVED,
    ERR_FINISHED_STATUS_NEEDS_DATE,
    ERR_FUTURE_DATE,
    ERR_MISSING_COLUMN,
    ERR_OPEN_STATUS_WITH_DATE,
    ERR_REQUIRED,
    ERR_TIME_LIMIT,
    ERR_TOO_LONG,
    ERR_UNIT_NOT_ALLOWED,
    ERR_UNKNOWN_PROCEDURE,
    ERR_UNKNOWN_UNIT,
    FLAG_COLUMNS,
    FLAG_VALUES,
    INTAKE_VALUES,
    MAX_FEE,
    MONTH_COLUMNS,
    OPTIONAL_COLUMNS,
    RATING_VALUES,
    REQUIRED_COLUMNS,
    ROW_SCHEMA,
    STAGE_COLUMNS,
    STATUS_VALUES,
    UTC,
    BadValue,
    Clock,
    _vietnamese_datetime,
    cell_text,
    choice,
    flag,
    lookup,
    normalise_header,
    parse_fee,
)
from cchc.dossiers.imports.loading import (  # noqa: F401
    _STAGE_TYPES,
    BULK_ROWS,
    SQLITE_BATCH,
    SQLITE_CACHE_KIB,
    _any_dossier,
    _Copy,
    _copy_csv,
    _create_stage,
    _drop_temp,
    _indexes_rebuilt,
    _load,
    _sql_rows,
    _stamps,
)
from cchc.dossiers.imports.procedures import (  # noqa: F401
    _PROCEDURE_FLAG_DEFAULTS,
    _PROCEDURE_FLAGS,
    LEVEL_VALUES,
    ONLINE_VALUES,
    PROCEDURE_ALIASES,
    PROCEDURE_COLUMNS,
    PROCEDURE_REQUIRED,
    _export_cell,
    _money,
    _whole,
    procedures_export,
    procedures_import,
)
from cchc.dossiers.imports.reading import (  # noqa: F401
    XLSX_CHUNK,
    Spool,
    _check_csv,
    _finish_checks,
    _read,
    _read_csv,
    _read_xlsx,
    _report_duplicates,
)
from cchc.dossiers.imports.references import (  # noqa: F401
    UnitResolver,
)
from cchc.dossiers.imports.running import (  # noqa: F401
    ImportResult,
    _done,
    _progress_aside,
    _reading,
    _record_coverage,
    dossiers_import,
    stream_first_load,
)
from cchc.dossiers.imports.tally import (  # noqa: F401
    _months,
    sum_tallies,
    tally,
    with_months,
)
from cchc.dossiers.imports.updating import _update  # noqa: F401
from cchc.dossiers.imports.writing import _write  # noqa: F401
