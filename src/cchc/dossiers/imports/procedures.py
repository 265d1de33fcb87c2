"""Import and export of the procedure catalogue (all or nothing, by code)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction

from cchc.core.history import mark_change
from cchc.core.people import Person
from cchc.core.tabular import RowError, TableErrors, csv_writer
from cchc.dossiers.imports.format import (
    ERR_BAD_NUMBER,
    ERR_DUPLICATE,
    ERR_MISSING_COLUMN,
    ERR_REQUIRED,
    BadValue,
    Clock,
    cell_text,
    choice,
    flag,
)
from cchc.dossiers.imports.running import ImportResult
from cchc.dossiers.models import (
    OnlineClass,
    Procedure,
    ProcedureLevel,
)

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


def procedures_import(
    *, source: str | Path | IO[bytes], filename: str, by: Person | None
) -> ImportResult:
    """Load the catalogue (create or update by code), all rows or none."""
    from cchc.core.tabular import iter_rows

    header, rows = iter_rows(source, filename)
    names = [PROCEDURE_ALIASES.get(" ".join(h.split()), h.replace(" ", "_")) for h in header]
    missing = [c for c in PROCEDURE_REQUIRED if c not in names]
    if missing:
        raise TableErrors(
            filename, [RowError(1, c, ERR_MISSING_COLUMN.format(column=c)) for c in missing]
        )
    clock = Clock()
    errors: list[RowError] = []
    parsed: list[tuple[int, dict[str, Any]]] = []
    seen: dict[str, int] = {}
    for row_no, raw in rows:
        values = {names[i]: v for i, v in enumerate(raw.values()) if names[i] in PROCEDURE_COLUMNS}
        clean: dict[str, Any] = {}
        problems: list[BadValue] = []
        for column in PROCEDURE_COLUMNS:
            if column not in values:
                continue
            text = values[column]
            try:
                if column in PROCEDURE_REQUIRED and not text:
                    raise BadValue(column, ERR_REQUIRED)
                if column == "processing_days":
                    clean[column] = None if text == "" else _whole(text, column)
                elif column == "fee":
                    clean[column] = _money(text, column)
                elif column == "online_class":
                    clean[column] = choice(text, ONLINE_VALUES, column, OnlineClass.values)
                elif column == "level":
                    clean[column] = choice(text, LEVEL_VALUES, column, ProcedureLevel.values)
                elif column in ("announced_on", "legal_basis_effective_on", "published_on"):
                    clean[column] = clock.parse_date(text, column) if text else None
                elif column in _PROCEDURE_FLAGS:
                    default = _PROCEDURE_FLAG_DEFAULTS.get(column, False)
                    clean[column] = default if text == "" else flag(text, column)
                else:
                    clean[column] = text
            except BadValue as bad:
                problems.append(bad)
        code = clean.get("code")
        if code and code in seen:
            problems.append(
                BadValue("code", ERR_DUPLICATE.format(value=code, first=seen[code]), code)
            )
        elif code:
            seen[code] = row_no
        for bad in problems:
            errors.append(RowError(row_no, bad.column, bad.message, cell_text(bad.value) or None))
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
            mark_change(procedure, f"Nhập danh mục từ {filename}", by)
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
        raise BadValue(column, ERR_BAD_NUMBER, text) from None
    if value < 0 or value != float(text):
        raise BadValue(column, ERR_BAD_NUMBER, text)
    return value


def _money(text: str, column: str) -> Decimal:
    if text == "":
        return Decimal(0)
    try:
        value = Decimal(text.replace(".", "").replace(",", "") if "," in text or
                        text.count(".") > 1 else text)  # fmt: skip
    except InvalidOperation:
        raise BadValue(column, ERR_BAD_NUMBER, text) from None
    if value < 0:
        raise BadValue(column, ERR_BAD_NUMBER, text)
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
