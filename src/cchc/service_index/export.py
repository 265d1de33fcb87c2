"""The index as XLSX: one unit's indicators (with the groups and the total), or a ranking.

Figures are written as numbers (rounded half-up to 2 places, as printed on the page) with a
Vietnamese number format, so the sheet adds up the same way the page does.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from cchc.core.formatting import round_half_up
from cchc.core.tabular import workbook_bytes
from cchc.service_index.compute import IndexResult, RankedResult, loses_most
from cchc.service_index.counts import COUNT_LABELS

NUMBER = "#,##0.00"
BOLD = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="EEF2F8")
CONFIDENCE_LABELS = {
    "V": "V: đã đối chiếu nguồn",
    "S": "S: nguồn thứ cấp",
    "U": "U: chưa xác nhận",
}
DATA_LABELS = {
    "system": "Hệ thống ghi nhận",
    "import": "Chỉ có khi tệp nhập có cột này",
    "not_available": "Chỉ Cổng DVCQG có",
}


def _n(value: Decimal | None) -> Decimal | None:
    return None if value is None else round_half_up(value, 2)


def _header(ws, row: int, titles: Sequence[str]) -> None:
    for col, title in enumerate(titles, start=1):
        cell = ws.cell(row=row, column=col, value=title)
        cell.font = BOLD
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _widths(ws, widths: Sequence[int]) -> None:
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width


def index_xlsx(
    unit_name: str,
    result: IndexResult,
    rank: RankedResult | None = None,
    publication: Sequence = (),
) -> bytes:
    definition = result.definition
    book = Workbook()
    ws = book.active
    ws.title = "Chỉ số 766"
    period = result.period
    ws.append([definition.title])
    ws["A1"].font = Font(bold=True, size=12)
    ws.append([f"Đơn vị: {unit_name}"])
    if period is not None:
        ws.append([f"Kỳ: {period.label} ({period.range_text})"])
    ws.append(
        [
            "Tổng điểm",
            _n(result.total),
            "trên số điểm tính được",
            _n(result.max_available),
            "quy đổi thang 100",
            _n(result.score_100),
        ]
    )
    if rank is not None and rank.rank is not None:
        ws.append(["Xếp hạng", rank.rank, "trên", rank.of])
    ws.append([])
    start = ws.max_row + 1
    titles = [
        "Mã",
        "Chỉ số",
        "Nhóm",
        "Tử số",
        "Giá trị tử số",
        "Mẫu số",
        "Giá trị mẫu số",
        "Tỷ lệ (%)",
        "Cách tính điểm",
        "Điểm tối đa",
        "Điểm đạt",
        "Điểm bị mất",
        "Tình trạng",
        "Nguồn số liệu",
        "Độ tin cậy",
        "Căn cứ",
    ]
    _header(ws, start, titles)
    for r in result.indicators:
        i = r.indicator
        ws.append(
            [
                i.code,
                i.title,
                i.group,
                COUNT_LABELS.get(i.numerator or "", ""),
                r.numerator,
                COUNT_LABELS.get(i.denominator or "", ""),
                r.denominator,
                _n(r.rate),
                i.rule.describe() if i.data != "not_available" else "",
                _n(i.max_points),
                _n(r.points),
                _n(r.points_lost),
                r.status_label,
                DATA_LABELS[i.data],
                CONFIDENCE_LABELS[i.confidence],
                i.source,
            ]
        )
    for row in ws.iter_rows(min_row=start + 1, max_row=ws.max_row):
        for cell in row[7:12]:
            cell.number_format = NUMBER
    ws.append([])
    groups = ws.max_row + 1
    _header(ws, groups, ["Nhóm", "Tên nhóm", "Điểm tối đa", "Điểm tính được", "Điểm đạt", "Mất"])
    for g in result.groups:
        ws.append(
            [
                g.code,
                g.title,
                _n(g.max_points),
                _n(g.max_available),
                _n(g.points),
                _n(g.points_lost),
            ]
        )
    ws.append(
        [
            "",
            "Tổng",
            _n(result.max_points),
            _n(result.max_available),
            _n(result.total),
            _n(result.max_available - result.total),
        ]
    )
    for cell in ws[ws.max_row]:
        cell.font = BOLD
    _widths(ws, [8, 48, 6, 36, 10, 36, 10, 10, 40, 10, 10, 10, 28, 24, 22, 40])

    losing = book.create_sheet("Mất nhiều điểm nhất")
    _header(losing, 1, ["Mã", "Chỉ số", "Tỷ lệ (%)", "Điểm đạt", "Điểm tối đa", "Điểm bị mất"])
    for r in loses_most(result):
        losing.append(
            [
                r.code,
                r.indicator.title,
                _n(r.rate),
                _n(r.points),
                _n(r.max_points),
                _n(r.points_lost),
            ]
        )
    _widths(losing, [8, 60, 10, 10, 10, 12])

    if publication:
        pub = book.create_sheet("Công khai TTHC")
        _header(
            pub,
            1,
            ["Mã TTHC", "Tên thủ tục", "Số QĐ công bố", "Ngày công bố", "Hạn công bố",
             "Công bố đúng hạn", "Ngày công khai", "Hạn công khai", "Công khai đúng hạn",
             "Đủ bộ phận tạo thành", "Vấn đề"],
        )  # fmt: skip
        yes_no = {True: "Có", False: "Không", None: ""}
        for row in publication:
            pub.append(
                [
                    row.record.code,
                    row.name,
                    row.record.announcement_no,
                    row.record.announced,
                    row.announce_deadline,
                    yes_no[row.announced_on_time],
                    row.record.published,
                    row.publish_deadline,
                    yes_no[row.published_on_time],
                    yes_no[row.complete],
                    "; ".join(row.problems),
                ]
            )
        for cells in pub.iter_rows(min_row=2):
            for cell in (cells[3], cells[4], cells[6], cells[7]):
                cell.number_format = "dd/mm/yyyy"
        _widths(pub, [12, 50, 18, 12, 12, 10, 12, 12, 10, 10, 40])
    return _bytes(book)


def ranking_xlsx(parent_name: str, rows: Sequence[tuple[str, RankedResult]], label: str) -> bytes:
    book = Workbook()
    ws = book.active
    ws.title = "Xếp hạng"
    ws.append([f"Xếp hạng Chỉ số 766 các đơn vị thuộc {parent_name}"])
    ws["A1"].font = Font(bold=True, size=12)
    ws.append([f"Kỳ: {label}"])
    ws.append([])
    _header(
        ws,
        4,
        ["Hạng", "Đơn vị", "Điểm đạt", "Điểm tính được", "Quy đổi thang 100", "Nhóm 1", "Nhóm 2",
         "Nhóm 3", "Nhóm 4", "Nhóm 5"],
    )  # fmt: skip
    for name, ranked in rows:
        r = ranked.result
        ws.append(
            [
                ranked.rank if ranked.rank is not None else "Không có số liệu",
                name,
                _n(r.total),
                _n(r.max_available),
                _n(r.score_100),
                *[_n(g.points) for g in r.groups],
            ]
        )
    _widths(ws, [10, 36, 10, 14, 16, 9, 9, 9, 9, 9])
    return _bytes(book)


def _bytes(book: Workbook) -> bytes:
    return workbook_bytes(book)  # every cell made safe (no formula from data)
