"""The figures CCHC measures itself, by registry key: what an outline's ``measure:`` may name.

Plain module (no Django): the spec validates against these names; ``measures.py`` computes
them through ``cchc.reports.sources`` (one definition per figure, never a second way).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    unit: str  # count | percent | text
    source: str  # what the figure is computed from, printed beside a locked figure


_DOSSIERS = "Thống kê hồ sơ TTHC (Biểu 06/VPCP/KSTT) trên hệ thống CCHC"
_PLAN = "Kế hoạch CCHC năm đã ban hành trên hệ thống CCHC"
_INSPECTIONS = "Các đợt kiểm tra, tự kiểm tra CCHC trên hệ thống CCHC"
_STAFF = "Số liệu công chức, viên chức trên hệ thống CCHC"
_INDEX = "Kết quả Chỉ số CCHC đã công bố gần nhất"

MEASURES: dict[str, Measure] = {
    m.key: m
    for m in (
        Measure("dossiers.received_all", "Tổng số hồ sơ nhận giải quyết", "count", _DOSSIERS),
        Measure("dossiers.carried_over", "Hồ sơ từ kỳ trước chuyển qua", "count", _DOSSIERS),
        Measure("dossiers.received", "Hồ sơ mới tiếp nhận trong kỳ", "count", _DOSSIERS),
        Measure("dossiers.received_online", "Hồ sơ tiếp nhận trực tuyến", "count", _DOSSIERS),
        Measure("dossiers.received_direct", "Hồ sơ tiếp nhận trực tiếp", "count", _DOSSIERS),
        Measure(
            "dossiers.received_postal", "Hồ sơ tiếp nhận qua bưu chính công ích", "count", _DOSSIERS
        ),
        Measure("dossiers.resolved", "Hồ sơ đã giải quyết", "count", _DOSSIERS),
        Measure(
            "dossiers.resolved_in_time", "Hồ sơ giải quyết trước và đúng hạn", "count", _DOSSIERS
        ),
        Measure("dossiers.resolved_late", "Hồ sơ giải quyết quá hạn", "count", _DOSSIERS),
        Measure("dossiers.pending", "Hồ sơ đang giải quyết", "count", _DOSSIERS),
        Measure("dossiers.pending_overdue", "Hồ sơ đang giải quyết quá hạn", "count", _DOSSIERS),
        Measure(
            "dossiers.intake_digitized",
            "Hồ sơ được số hóa thành phần khi tiếp nhận",
            "count",
            _DOSSIERS,
        ),
        Measure(
            "dossiers.result_digitized", "Hồ sơ được số hóa kết quả giải quyết", "count", _DOSSIERS
        ),
        Measure("dossiers.paid_online", "Hồ sơ thanh toán trực tuyến", "count", _DOSSIERS),
        Measure("plan.objectives", "Số mục tiêu của kế hoạch CCHC", "count", _PLAN),
        Measure("plan.tasks", "Số nhiệm vụ của kế hoạch CCHC", "count", _PLAN),
        Measure("plan.activities", "Số hoạt động của kế hoạch CCHC", "count", _PLAN),
        Measure("plan.items", "Số nhiệm vụ, hoạt động phải thực hiện", "count", _PLAN),
        Measure("plan.done", "Số nhiệm vụ, hoạt động đã hoàn thành", "count", _PLAN),
        Measure("plan.late", "Số nhiệm vụ, hoạt động chậm tiến độ", "count", _PLAN),
        Measure("inspections.count", "Số đợt kiểm tra, tự kiểm tra CCHC", "count", _INSPECTIONS),
        Measure("inspections.shortcomings", "Số tồn tại, hạn chế phát hiện", "count", _INSPECTIONS),
        Measure(
            "inspections.open_recommendations", "Số kiến nghị chưa khắc phục", "count", _INSPECTIONS
        ),
        Measure("staff.allotted", "Biên chế được giao", "count", _STAFF),
        Measure("staff.present", "Số cán bộ, công chức có mặt", "count", _STAFF),
        Measure("index.value", "Chỉ số CCHC (%)", "percent", _INDEX),
        Measure("index.rank", "Xếp hạng Chỉ số CCHC", "text", _INDEX),
        Measure("index.grade", "Xếp loại kết quả CCHC", "text", _INDEX),
    )
}
