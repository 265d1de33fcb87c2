"""What the plans services modules share: the messages they raise, the save-with-history step and
the reading of an uploaded table by column labels."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cchc.core.tabular import RowError, TableErrors, iter_rows
from cchc.plans import rules

PLAN_EXISTS = "Đơn vị {unit} đã có kế hoạch CCHC năm {year}."
PLAN_NOT_DRAFT = "Kế hoạch đã ban hành: không thay thế hoặc xóa được, chỉ cập nhật từng mục."
PLAN_ISSUE_NEEDS_NUMBER = "Cần số, ký hiệu và ngày ban hành để ban hành kế hoạch."
PARENT_STATUS_DERIVED = "Trạng thái của {level} được tính từ các mục con; hãy cập nhật các mục con."
DONE_IN_FUTURE = "Ngày hoàn thành không được sau hôm nay."
DONE_DATE_WITHOUT_DONE = "Chỉ ghi ngày hoàn thành khi trạng thái là Hoàn thành."
TOO_DEEP = "Hoạt động là cấp cuối cùng: không thêm mục con được."
START_AFTER_DUE = "Ngày bắt đầu phải trước hoặc bằng thời hạn."
TARGET_OUTSIDE = "{unit} không thuộc phạm vi của {organiser}: không kiểm tra được."
SELF_INSPECTION_TARGET = "Tự kiểm tra chỉ có một đơn vị được kiểm tra: chính đơn vị tổ chức."
NO_TARGETS = "Chọn ít nhất một đơn vị được kiểm tra."
UNIT_NOT_INSPECTED = "{unit} không có trong danh sách đơn vị được kiểm tra của đợt này."
END_BEFORE_START = "Ngày kết thúc phải sau hoặc bằng ngày bắt đầu."
REPORT_IN_FUTURE = "Ngày báo cáo không được sau hôm nay."
ALREADY_CLOSED = "Kiến nghị đã được xác nhận khắc phục xong."
REGISTER_OUTSIDE = "{unit} không thuộc phạm vi đợt đăng ký của {caller}."
BAD_STATUS = "Trạng thái là một trong: Chưa thực hiện, Đang thực hiện, Hoàn thành."
FILLED_OVER_ALLOTTED = "Số người có mặt ({filled}) vượt biên chế được giao ({allotted})."


def _today() -> dt.date:
    return timezone.localdate()


def _map_header(header: list[str], columns: dict[str, str]) -> dict[str, str]:
    """file header -> our key, comparing without accents ('Ma' == 'Mã')."""
    wanted = {rules._plain(label): key for key, label in columns.items()}
    return {h: wanted[rules._plain(h)] for h in header if rules._plain(h) in wanted}


def _read_table(
    source, filename: str, columns: dict[str, str], required: list[str]
) -> tuple[list[tuple[int, dict[str, str]]], list[RowError]]:
    header, rows = iter_rows(source, filename)
    mapping = _map_header(header, columns)
    missing = [columns[k] for k in required if k not in mapping.values()]
    if missing:
        raise TableErrors(filename, [RowError(1, c, "Thiếu cột bắt buộc.") for c in missing])
    out = []
    for number, raw in rows:
        out.append((number, {mapping[h]: v for h, v in raw.items() if h in mapping}))
    return out, []
