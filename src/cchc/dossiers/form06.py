"""Form 06/VPCP/KSTT (Thông tư 01/2020/TT-VPCP): its columns, their definitions, and the
XLSX in the form's layout.

The form's title: *Tình hình, kết quả giải quyết thủ tục hành chính tại cơ quan, đơn vị
trực tiếp giải quyết thủ tục hành chính*. Its numbered columns are (3) received in total
= (4) new online + (5) new in person or by post + (6) carried over from the previous
period; (7) resolved = (8) early + (9) on time + (10) late; (11) pending = (12) in time +
(13) overdue. Column (3) = (7) + (11) by construction (docs/dossier-stats.md).

The rates are not columns of the form; the page, the XLSX and the JSON add them with their
own definitions (docs/dossier-stats.md, "Rates").

Plain module: no Django import. The page, the XLSX and the API all read the labels and
definitions from here, so a figure has the same name and meaning everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from cchc.core.tabular import workbook_bytes
from cchc.dossiers.stats import UnitStats

FORM_CODE = "Biểu số 06/VPCP/KSTT"
FORM_TITLE = (
    "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TẠI CƠ QUAN, ĐƠN VỊ "
    "TRỰC TIẾP GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
)
FORM_BASIS = "Ban hành kèm theo Thông tư số 01/2020/TT-VPCP ngày 21/10/2020 của Văn phòng Chính phủ"
UNIT_OF_COUNT = "Đơn vị tính: Số hồ sơ TTHC"
NO_DATA = "không có số liệu"


@dataclass(frozen=True)
class FigureDef:
    key: str  # attribute of FormRow
    column: str  # the form's column number, "(4)"
    label: str
    definition: str


# The 11 numbered figure columns of the form, in its order (3)…(13).
FIGURES: tuple[FigureDef, ...] = (
    FigureDef(
        "received_all",
        "(3)",
        "Tổng số",
        "Tổng số hồ sơ nhận giải quyết trong kỳ: (3) = (4) + (5) + (6).",
    ),
    FigureDef(
        "received_online",
        "(4)",
        "Trực tuyến",
        "Hồ sơ mới tiếp nhận trong kỳ qua dịch vụ công trực tuyến.",
    ),
    FigureDef(
        "received_direct",
        "(5)",
        "Trực tiếp và dịch vụ bưu chính",
        "Hồ sơ mới tiếp nhận trong kỳ trực tiếp tại Bộ phận Một cửa hoặc qua dịch vụ "
        "bưu chính công ích.",
    ),
    FigureDef(
        "carried_over",
        "(6)",
        "Từ kỳ trước",
        "Hồ sơ tiếp nhận trước ngày đầu kỳ và chưa giải quyết xong trước ngày đầu kỳ.",
    ),
    FigureDef(
        "resolved_total",
        "(7)",
        "Tổng số",
        "Hồ sơ (kỳ trước chuyển qua và mới tiếp nhận) đã giải quyết xong trong kỳ: "
        "(7) = (8) + (9) + (10).",
    ),
    FigureDef(
        "resolved_early",
        "(8)",
        "Trước hạn",
        "Đã trả kết quả trước hạn giải quyết.",
    ),
    FigureDef(
        "resolved_on_time",
        "(9)",
        "Đúng hạn",
        "Đã trả kết quả đúng ngày hạn giải quyết; hồ sơ không có hạn giải quyết được tính "
        "là đúng hạn.",
    ),
    FigureDef(
        "resolved_late",
        "(10)",
        "Quá hạn",
        "Đã trả kết quả sau hạn giải quyết (hạn đã cộng số ngày làm việc dừng để bổ sung "
        "hồ sơ; hồ sơ bị yêu cầu bổ sung lần thứ hai tính là quá hạn; văn bản xin lỗi hẹn "
        "lại ngày trả không làm hồ sơ hết quá hạn).",
    ),
    FigureDef(
        "pending_total",
        "(11)",
        "Tổng số",
        "Hồ sơ chưa giải quyết xong đến hết ngày cuối kỳ: (11) = (12) + (13).",
    ),
    FigureDef(
        "pending_in_time",
        "(12)",
        "Trong hạn",
        "Hạn giải quyết từ ngày cuối kỳ trở về sau, hoặc hồ sơ không có hạn giải quyết.",
    ),
    FigureDef(
        "pending_overdue",
        "(13)",
        "Quá hạn",
        "Hạn giải quyết trước ngày cuối kỳ.",
    ),
)

# The rates (not columns of the form), in the order of issue 3's JSON.
RATES: tuple[FigureDef, ...] = (
    FigureDef(
        "online",
        "(14)",
        "Tỷ lệ tiếp nhận trực tuyến",
        "Hồ sơ tiếp nhận trực tuyến / hồ sơ mới tiếp nhận trong kỳ, (4) / ((4) + (5)). "
        "QĐ 766/QĐ-TTg chỉ tiêu 3.3.",
    ),
    FigureDef(
        "on_time",
        "(15)",
        "Tỷ lệ giải quyết đúng hạn",
        "Hồ sơ giải quyết trước hạn và đúng hạn / hồ sơ đã giải quyết, ((8) + (9)) / (7). "
        "QĐ 766/QĐ-TTg chỉ tiêu 2.1.",
    ),
    FigureDef(
        "intake_digitized",
        "(16)",
        "Tỷ lệ số hóa hồ sơ khi tiếp nhận",
        "Hồ sơ mới tiếp nhận được số hóa đầy đủ thành phần / hồ sơ mới tiếp nhận "
        "(NĐ 107/2021/NĐ-CP).",
    ),
    FigureDef(
        "result_digitized",
        "(17)",
        "Tỷ lệ số hóa kết quả",
        "Hồ sơ đã giải quyết có kết quả được số hóa / hồ sơ đã giải quyết "
        "(QĐ 766/QĐ-TTg chỉ tiêu 4.1).",
    ),
    FigureDef(
        "paid_online",
        "(18)",
        "Tỷ lệ thanh toán trực tuyến",
        "Hồ sơ mới tiếp nhận phải nộp phí, lệ phí và đã nộp trực tuyến / hồ sơ mới tiếp "
        "nhận phải nộp phí, lệ phí; không có hồ sơ nào phải nộp phí: không có số liệu "
        "(cùng định nghĩa với QĐ 766/QĐ-TTg chỉ tiêu 3.6).",
    ),
)
RATE_NOTE = (
    "Tỷ lệ (%) làm tròn nửa lên 2 chữ số thập phân; «không có số liệu» khi mẫu số bằng 0. "
    "Kỳ báo cáo tính từ ngày 15 tháng trước đến ngày 14 của tháng cuối kỳ; ngày đầu và ngày "
    "cuối kỳ đều được tính."
)


@dataclass(frozen=True)
class FormRow:
    """One row of the form as printed: the numbered columns and the rates."""

    label: str
    received_all: int
    received_online: int
    received_direct: int
    carried_over: int
    resolved_total: int
    resolved_early: int
    resolved_on_time: int
    resolved_late: int
    pending_total: int
    pending_in_time: int
    pending_overdue: int
    online: Decimal | None
    on_time: Decimal | None
    intake_digitized: Decimal | None
    result_digitized: Decimal | None
    paid_online: Decimal | None
    key: str = ""  # what the row is (unit id, field name), for links
    is_total: bool = False

    @classmethod
    def of(cls, label: str, stats: UnitStats, *, key: str = "", is_total: bool = False):
        rates = stats.rates
        return cls(
            label=label,
            received_all=stats.carried_over + stats.received_total,
            received_online=stats.received_truc_tuyen,
            # Form 06 puts in-person and postal (bưu chính công ích) in one column (5).
            received_direct=stats.received_truc_tiep + stats.received_buu_chinh,
            carried_over=stats.carried_over,
            resolved_total=stats.resolved_total,
            resolved_early=stats.resolved_early,
            resolved_on_time=stats.resolved_on_time,
            resolved_late=stats.resolved_late,
            pending_total=stats.pending_total,
            pending_in_time=stats.pending_in_time,
            pending_overdue=stats.pending_overdue,
            online=rates.online,
            on_time=rates.on_time,
            intake_digitized=rates.intake_digitized,
            result_digitized=rates.result_digitized,
            paid_online=rates.paid_online,
            key=key,
            is_total=is_total,
        )

    def figures(self) -> list[int]:
        return [getattr(self, f.key) for f in FIGURES]

    def rates(self) -> list[Decimal | None]:
        return [getattr(self, r.key) for r in RATES]


# ------------------------------------------------------------------------------- XLSX


@dataclass(frozen=True)
class Sheet:
    """One table of the workbook: a title line and rows (the last may be the total)."""

    name: str
    first_column: str  # "Đơn vị", "Lĩnh vực", "Tháng"
    rows: Sequence[FormRow]
    # Why the table has no rows, printed where they would be (an archived year: "Chưa có
    # số liệu (đã lưu trữ)…"), never a table of zeros.
    absent: str = ""


def xlsx_bytes(
    *,
    unit_name: str,
    period_label: str,
    period_range: str,
    sheets: Sequence[Sheet],
    issuer: str = "",
) -> bytes:
    """The workbook: one sheet per table, each in the layout of form 06 (three header rows
    with merged cells, the column numbers row, the rates after the form's columns)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for sheet in sheets:
        _write_sheet(
            wb.create_sheet(sheet.name[:31]),
            sheet,
            unit_name=unit_name,
            period_label=period_label,
            period_range=period_range,
            issuer=issuer,
        )
    wb.properties.title = FORM_TITLE
    wb.properties.creator = "CCHC"
    return workbook_bytes(wb)  # every cell made safe (no formula from data)


INT_FORMAT = "#,##0"
RATE_FORMAT = "0.00"


def _write_sheet(ws, sheet: Sheet, *, unit_name, period_label, period_range, issuer) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    ncols = 2 + len(FIGURES) + len(RATES)
    last = get_column_letter(ncols)
    bold = Font(name="Times New Roman", bold=True, size=11)
    plain = Font(name="Times New Roman", size=11)
    italic = Font(name="Times New Roman", italic=True, size=10)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    thin = Side(style="thin", color="000000")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    head_fill = PatternFill("solid", fgColor="EEF2F8")

    ws["A1"] = FORM_CODE
    ws["A1"].font = bold
    ws["A2"] = FORM_BASIS
    ws["A2"].font = italic
    ws.merge_cells(f"A4:{last}4")
    ws["A4"] = FORM_TITLE
    ws["A4"].font = Font(name="Times New Roman", bold=True, size=13)
    ws["A4"].alignment = center
    ws.row_dimensions[4].height = 36
    ws.merge_cells(f"A5:{last}5")
    ws["A5"] = f"Kỳ báo cáo: {period_label} ({period_range})"
    ws["A5"].alignment = center
    ws["A5"].font = plain
    ws["A6"] = f"Đơn vị báo cáo: {issuer or unit_name}"
    ws["A6"].font = plain
    ws["A7"] = UNIT_OF_COUNT
    ws["A7"].font = italic

    top, mid, low, numbers = 9, 10, 11, 12
    # (header text, first column, last column, first row, last row); columns 1-based.
    f = 3  # first figure column
    r = f + len(FIGURES)  # first rate column
    cells = [
        ("STT", 1, 1, top, low),
        (sheet.first_column, 2, 2, top, low),
        ("Số hồ sơ nhận giải quyết", f, f + 3, top, top),
        ("Kết quả giải quyết", f + 4, f + 10, top, top),
        ("Tỷ lệ (%) — chỉ tiêu bổ sung, không thuộc biểu", r, r + len(RATES) - 1, top, mid),
        ("Tổng số", f, f, mid, low),
        ("Trong đó", f + 1, f + 3, mid, mid),
        ("Số hồ sơ đã giải quyết", f + 4, f + 7, mid, mid),
        ("Số hồ sơ đang giải quyết", f + 8, f + 10, mid, mid),
        ("Số mới tiếp nhận trực tuyến", f + 1, f + 1, low, low),
        ("Số mới tiếp nhận trực tiếp và qua dịch vụ bưu chính", f + 2, f + 2, low, low),
        ("Số từ kỳ trước chuyển qua", f + 3, f + 3, low, low),
        ("Tổng số", f + 4, f + 4, low, low),
        ("Trả trước hạn", f + 5, f + 5, low, low),
        ("Trả đúng thời hạn", f + 6, f + 6, low, low),
        ("Trả quá hạn", f + 7, f + 7, low, low),
        ("Tổng số", f + 8, f + 8, low, low),
        ("Trong hạn", f + 9, f + 9, low, low),
        ("Quá hạn", f + 10, f + 10, low, low),
    ]
    cells += [(rate.label, r + i, r + i, low, low) for i, rate in enumerate(RATES)]
    for text, c1, c2, r1, r2 in cells:
        if (c1, r1) != (c2, r2):
            ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
        cell = ws.cell(row=r1, column=c1, value=text)
        cell.font = bold
        cell.alignment = center
    for row in range(top, numbers + 1):
        for col in range(1, ncols + 1):
            cell = ws.cell(row=row, column=col)
            cell.border = box
            cell.fill = head_fill
    for col in range(1, ncols + 1):
        cell = ws.cell(row=numbers, column=col, value=f"({col})")
        cell.font = italic
        cell.alignment = center
    ws.row_dimensions[low].height = 62

    row_no = numbers
    number = 0
    if sheet.absent:
        row_no += 1
        ws.merge_cells(start_row=row_no, start_column=1, end_row=row_no, end_column=ncols)
        cell = ws.cell(row=row_no, column=1, value=sheet.absent)
        cell.font = italic
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[row_no].height = 48
    for item in sheet.rows:
        row_no += 1
        font = bold if item.is_total else plain
        if item.is_total:
            ws.cell(row=row_no, column=1, value="")
        else:
            number += 1
            ws.cell(row=row_no, column=1, value=number).alignment = center
        ws.cell(row=row_no, column=2, value=item.label)
        for i, value in enumerate(item.figures()):
            ws.cell(row=row_no, column=f + i, value=value).number_format = INT_FORMAT
        for i, value in enumerate(item.rates()):
            cell = ws.cell(row=row_no, column=r + i)
            if value is None:
                cell.value = NO_DATA
                cell.alignment = Alignment(horizontal="right")
            else:
                cell.value = float(value)  # exact: 2-place Decimal, shown with 2 places
                cell.number_format = RATE_FORMAT
        for col in range(1, ncols + 1):
            cell = ws.cell(row=row_no, column=col)
            cell.border = box
            cell.font = font
    note_row = row_no + 2
    ws.cell(row=note_row, column=1, value="Ghi chú:").font = bold
    for i, item in enumerate((*FIGURES, *RATES), start=1):
        ws.cell(row=note_row + i, column=1, value=f"{item.column} {item.label}: {item.definition}")
        ws.cell(row=note_row + i, column=1).font = italic
    ws.cell(row=note_row + len(FIGURES) + len(RATES) + 1, column=1, value=RATE_NOTE).font = italic

    ws.column_dimensions["A"].width = 5
    ws.column_dimensions["B"].width = 34
    for col in range(3, ncols + 1):
        ws.column_dimensions[get_column_letter(col)].width = 11
    ws.freeze_panes = f"C{numbers + 1}"  # by name: the cell may be merged (a note row)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
