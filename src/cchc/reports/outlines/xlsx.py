"""The outline as a workbook: export the blank outline, read a filled one back.

Units send Excel today. The exported workbook has two sheets — «Số liệu» (one row per
figure: section, key, label, unit, source, value) and «Phần lời» (one row per narrative
block) — with the figures CCHC measures or computes left blank and marked as such. Reading
goes through :func:`read_workbook` only (openpyxl, read-only, with limits), so it can move
to the shared limited reader; the values then pass the same :func:`rules.check_entries` as
the page.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from cchc.core.tabular import workbook_bytes
from cchc.reports.outlines.registry import MEASURES
from cchc.reports.outlines.spec import UNIT_LABELS, Outline

FIGURES_SHEET = "Số liệu"
NARRATIVES_SHEET = "Phần lời"
FIGURE_HEADER = ("Mục", "Khóa", "Số liệu", "Đơn vị tính", "Nguồn", "Giá trị")
NARRATIVE_HEADER = ("Mục", "Khóa", "Nội dung", "Lời văn")
ENTERED_WORD = "Đơn vị nhập"

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000
MAX_CELL = 20000

ERR_NOT_XLSX = "Không đọc được tệp XLSX: {detail}"
ERR_TOO_BIG = "Tệp lớn quá {limit} MB."
ERR_SHEET = "Thiếu trang tính «{sheet}» (hãy dùng tệp mẫu xuất từ hệ thống)."
ERR_HEADER = "Trang «{sheet}»: dòng tiêu đề phải là {header}."
ERR_TOO_MANY_ROWS = "Trang «{sheet}» có quá {limit} dòng."
ERR_CELL_LONG = "Trang «{sheet}», dòng {row}: ô dài quá {limit} ký tự."
ERR_UNKNOWN_KEY = "Trang «{sheet}», dòng {row}: khóa «{key}» không có trong đề cương {code}."
ERR_DUPLICATE = "Trang «{sheet}», dòng {row}: khóa «{key}» lặp lại (đã có ở dòng {first})."


class WorkbookError(ValueError):
    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("; ".join(errors))


@dataclass
class FilledWorkbook:
    values: dict[str, object] = field(default_factory=dict)
    narratives: dict[str, str] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)  # figure key -> row, for messages


def _source_text(fig) -> str:
    if fig.is_entered:
        return ENTERED_WORD
    if fig.is_computed:
        return f"Hệ thống tính: {fig.numerator} / {fig.denominator} × 100"
    measure = MEASURES[fig.measure]
    return f"Hệ thống CCHC: {measure.source}"


def export_blank(outline: Outline, *, title: str = "") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill, Protection

    book = Workbook()
    sheet = book.active
    sheet.title = FIGURES_SHEET
    sheet.append(FIGURE_HEADER)
    locked_fill = PatternFill("solid", fgColor="EEEEEE")
    for _depth, section in outline.walk():
        for fig in section.figures:
            sheet.append(
                [
                    section.code,
                    fig.key,
                    fig.label,
                    UNIT_LABELS[fig.unit],
                    _source_text(fig),
                    None,
                ]
            )
            cell = sheet.cell(row=sheet.max_row, column=6)
            if fig.is_entered:
                cell.protection = Protection(locked=False)
                if fig.unit == "date":
                    cell.number_format = "DD/MM/YYYY"
            else:
                for col in range(1, 7):
                    sheet.cell(row=sheet.max_row, column=col).fill = locked_fill
    for col, width in zip("ABCDEF", (8, 26, 60, 12, 48, 18), strict=True):
        sheet.column_dimensions[col].width = width
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    text_sheet = book.create_sheet(NARRATIVES_SHEET)
    text_sheet.append(NARRATIVE_HEADER)
    for _depth, section in outline.walk():
        for block in section.narratives:
            text_sheet.append([section.code, block.key, block.label, None])
            text_sheet.cell(row=text_sheet.max_row, column=4).protection = Protection(locked=False)
    for col, width in zip("ABCD", (8, 22, 40, 100), strict=True):
        text_sheet.column_dimensions[col].width = width
    for cell in text_sheet[1]:
        cell.font = Font(bold=True)
    if title:
        book.properties.title = title[:200]
    return workbook_bytes(book)  # formula-like text written as text (core.tabular)


def read_workbook(data: bytes, outline: Outline) -> FilledWorkbook:
    """The one place a filled outline workbook is read. Structural problems (wrong sheets,
    unknown keys, too big) raise WorkbookError listing all of them; the values themselves
    are checked by the caller with rules.check_entries."""
    from openpyxl import load_workbook

    if len(data) > MAX_BYTES:
        raise WorkbookError([ERR_TOO_BIG.format(limit=MAX_BYTES // (1024 * 1024))])
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise WorkbookError([ERR_NOT_XLSX.format(detail=error)]) from None
    errors: list[str] = []
    out = FilledWorkbook()
    try:
        for sheet_name, header, width in (
            (FIGURES_SHEET, FIGURE_HEADER, 6),
            (NARRATIVES_SHEET, NARRATIVE_HEADER, 4),
        ):
            if sheet_name not in book.sheetnames:
                errors.append(ERR_SHEET.format(sheet=sheet_name))
                continue
            rows = book[sheet_name].iter_rows(values_only=True, max_col=width)
            first = next(rows, None)
            got = tuple(str(c or "").strip() for c in (first or ()))[: len(header)]
            if got != header:
                errors.append(ERR_HEADER.format(sheet=sheet_name, header=", ".join(header)))
                continue
            seen: dict[str, int] = {}
            for number, row in enumerate(rows, start=2):
                if number > MAX_ROWS + 1:
                    errors.append(ERR_TOO_MANY_ROWS.format(sheet=sheet_name, limit=MAX_ROWS))
                    break
                cells = list(row) + [None] * (width - len(row))
                key = str(cells[1] or "").strip()
                value = cells[width - 1]
                if not key and value in (None, ""):
                    continue
                if isinstance(value, str) and len(value) > MAX_CELL:
                    errors.append(
                        ERR_CELL_LONG.format(sheet=sheet_name, row=number, limit=MAX_CELL)
                    )
                    continue
                known = (
                    outline.has_figure(key)
                    if sheet_name == FIGURES_SHEET
                    else key in {n.key for n in outline.narratives()}
                )
                if not known:
                    errors.append(
                        ERR_UNKNOWN_KEY.format(
                            sheet=sheet_name, row=number, key=key, code=outline.code
                        )
                    )
                    continue
                if key in seen:
                    errors.append(
                        ERR_DUPLICATE.format(sheet=sheet_name, row=number, key=key, first=seen[key])
                    )
                    continue
                seen[key] = number
                if sheet_name == FIGURES_SHEET:
                    out.values[key] = value
                    out.rows[key] = number
                else:
                    out.narratives[key] = "" if value is None else str(value)
    finally:
        book.close()
    if errors:
        raise WorkbookError(errors)
    return out
