"""XLSX files people download: the plan template (also a plan's export, which re-imports as
is) and the staff list template. Columns are those documented in docs/plans.md."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from cchc.core.formatting import vn_date
from cchc.core.tabular import workbook_bytes
from cchc.plans import rules
from cchc.plans.services import PLAN_COLUMNS, STAFF_COLUMNS

HEADER_FILL = PatternFill("solid", fgColor="DDE6F3")

PLAN_HELP = [
    (
        "mã",
        "Bắt buộc. 1 = mục tiêu; 1.2 = nhiệm vụ thuộc mục tiêu 1; 1.2.3 = hoạt động. "
        "Định dạng ô là Văn bản (Text) để 1.10 không thành 1.1.",
    ),
    ("nội dung", "Bắt buộc. Tên mục tiêu, nhiệm vụ, hoạt động."),
    (
        "lĩnh vực",
        "Mã 1–7 hoặc tên lĩnh vực CCHC; bắt buộc ở mục tiêu, mục con để trống thì lấy "
        "theo mục cấp trên.",
    ),
    ("đơn vị chủ trì", "Bộ phận/cơ quan chủ trì; để trống thì lấy theo mục cấp trên."),
    ("người phụ trách", "Họ tên (hoặc tên đăng nhập) công chức phụ trách."),
    ("đơn vị phối hợp", "Các đơn vị phối hợp, cách nhau bởi dấu phẩy."),
    ("sản phẩm", "Sản phẩm, kết quả đầu ra (VD: Kế hoạch, Báo cáo, Quyết định)."),
    ("bắt đầu", "Ngày bắt đầu (không bắt buộc)."),
    (
        "thời hạn",
        "Ngày (31/3/2026), 'Quý I', 'Tháng 6', '6 tháng đầu năm' hoặc 'Cả năm'. "
        "Để trống thì lấy theo mục cấp trên; mọi hoạt động phải có thời hạn.",
    ),
    (
        "trạng thái",
        "Chưa thực hiện / Đang thực hiện / Hoàn thành (để trống: Chưa thực hiện). "
        "'Quá hạn' do hệ thống tự xác định.",
    ),
    (
        "ngày hoàn thành",
        "Khi trạng thái là Hoàn thành (để trống: thời hạn nếu đã qua, nếu không thì ngày nhập).",
    ),
    ("ghi chú", "Không bắt buộc."),
]

EXAMPLE_ROWS = [
    [
        "1",
        "Nâng cao hiệu quả công tác chỉ đạo, điều hành CCHC",
        "1",
        "Văn phòng - Thống kê",
        "",
        "",
        "",
        "",
        "Cả năm",
        "",
        "",
        "",
    ],
    [
        "1.1",
        "Ban hành Kế hoạch CCHC năm",
        "",
        "",
        "Phạm Thị Lan",
        "Các công chức chuyên môn",
        "Kế hoạch",
        "",
        "15/01/{y}",
        "",
        "",
        "",
    ],
    [
        "1.1.1",
        "Xây dựng dự thảo kế hoạch",
        "",
        "",
        "Phạm Thị Lan",
        "",
        "Dự thảo kế hoạch",
        "",
        "10/01/{y}",
        "",
        "",
        "",
    ],
    [
        "3",
        "Nâng cao chất lượng giải quyết TTHC",
        "3",
        "Bộ phận Một cửa",
        "",
        "",
        "",
        "",
        "Cả năm",
        "",
        "",
        "",
    ],
    [
        "3.1",
        "Công khai đầy đủ TTHC tại Bộ phận Một cửa và trên Trang thông tin điện tử",
        "",
        "",
        "",
        "Văn hóa - Xã hội",
        "Danh mục TTHC được niêm yết",
        "",
        "Quý I",
        "",
        "",
        "",
    ],
]


def _sheet_header(sheet, labels: list[str], widths: list[int]) -> None:
    sheet.append(labels)
    for index, width in enumerate(widths, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[cell.column_letter].width = width
    sheet.freeze_panes = "A2"


def _to_bytes(book: Workbook) -> bytes:
    return workbook_bytes(book)  # every cell made safe (no formula from data)


def _help_sheet(book: Workbook, rows: list[tuple[str, str]], components) -> None:
    sheet = book.create_sheet("Hướng dẫn")
    _sheet_header(sheet, ["Cột", "Cách ghi"], [20, 100])
    for row in rows:
        sheet.append(list(row))
    if components:
        sheet.append([])
        sheet.append(["Lĩnh vực CCHC", ""])
        for component in components:
            sheet.append([component.code, component.name])


PLAN_WIDTHS = [8, 60, 9, 24, 22, 24, 28, 12, 14, 16, 14, 20]


def plan_template(year: int, components) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Kế hoạch"
    _sheet_header(sheet, list(PLAN_COLUMNS.values()), PLAN_WIDTHS)
    for row in EXAMPLE_ROWS:
        sheet.append([cell.replace("{y}", str(year)) for cell in row])
    for cells in sheet.iter_rows(min_row=2, max_col=1):
        for cell in cells:
            cell.number_format = "@"
    _help_sheet(book, PLAN_HELP, components)
    return _to_bytes(book)


def plan_export(plan, components) -> bytes:
    """The plan in the import format: it re-imports unchanged (statuses, dates, officers)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Kế hoạch"
    _sheet_header(sheet, list(PLAN_COLUMNS.values()), PLAN_WIDTHS)
    items = plan.items.select_related("component", "lead_officer").order_by("sort_key")
    parents = {i.parent_id for i in items if i.parent_id}
    for item in items:
        status = "" if item.pk in parents else rules.STATUS_LABELS[item.status]
        sheet.append(
            [
                item.code,
                item.title,
                item.component.code if item.component_id else "",
                item.lead_unit_name,
                item.lead_officer_name,
                item.coordinating_units,
                item.product,
                vn_date(item.start_on),
                vn_date(item.due_on),
                status,
                vn_date(item.done_on) if item.pk not in parents else "",
                item.note,
            ]
        )
        sheet.cell(row=sheet.max_row, column=1).number_format = "@"
    _help_sheet(book, PLAN_HELP, components)
    return _to_bytes(book)


STAFF_HELP = [
    ("họ và tên", "Bắt buộc."),
    ("chức vụ", "Chức vụ, chức danh."),
    (
        "trình độ chuyên môn",
        "Tiến sĩ / Thạc sĩ / Đại học / Cao đẳng / Trung cấp / Sơ cấp / Chưa qua đào tạo.",
    ),
    ("lý luận chính trị", "Cao cấp, cử nhân / Trung cấp / Sơ cấp / Chưa qua đào tạo."),
    ("quản lý nhà nước", "Chuyên viên cao cấp / Chuyên viên chính / Chuyên viên / Chưa bồi dưỡng."),
    ("đào tạo, bồi dưỡng", "Các khóa đã học trong năm, cách nhau bởi dấu chấm phẩy (;)."),
    (
        "xếp loại",
        "Hoàn thành xuất sắc / Hoàn thành tốt / Hoàn thành / Không hoàn thành nhiệm vụ; "
        "để trống nếu không đánh giá tại đơn vị.",
    ),
]


def staff_template() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Cán bộ, công chức"
    _sheet_header(sheet, list(STAFF_COLUMNS.values()), [26, 30, 18, 16, 18, 40, 28])
    sheet.append(
        [
            "Nguyễn Văn An",
            "Chủ tịch UBND",
            "Thạc sĩ",
            "Cao cấp, cử nhân",
            "Chuyên viên chính",
            "Bồi dưỡng kiến thức quốc phòng an ninh",
            "Hoàn thành xuất sắc nhiệm vụ",
        ]
    )
    sheet.append(
        [
            "Trần Thị Bình",
            "Công chức Văn phòng - Thống kê",
            "Đại học",
            "Trung cấp",
            "Chuyên viên",
            "",
            "Hoàn thành tốt nhiệm vụ",
        ]
    )
    _help_sheet(book, STAFF_HELP, None)
    return _to_bytes(book)


def staff_export(summary) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Cán bộ, công chức"
    _sheet_header(sheet, list(STAFF_COLUMNS.values()), [26, 30, 18, 16, 18, 40, 28])
    for m in summary.members:
        sheet.append(
            [
                m.full_name,
                m.position,
                m.get_qualification_display() if m.qualification else "",
                m.get_political_theory_display() if m.political_theory else "",
                m.get_state_management_display() if m.state_management else "",
                "; ".join(m.course_list),
                m.get_rating_display() if m.rating else "",
            ]
        )
    _help_sheet(book, STAFF_HELP, None)
    return _to_bytes(book)
