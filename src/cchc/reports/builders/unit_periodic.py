"""The quarterly, six-month and annual CCHC report of a unit (seed 003, part II; seed 000).

Sections: I. results (plan, dossiers, inspections; the PAR index and civil service in the
annual report), II. general assessment (strengths, shortcomings, causes: the officer's
text), III. directions for the next period (the officer's text). Every number in I is a
``Figure`` computed from the data given.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from cchc.documents.document import AdministrativeDocument, Block, Heading, Paragraph
from cchc.dossiers.periods import Period
from cchc.reports.builders.common import Frame, Numbering, make_document, narrative
from cchc.reports.builders.dossier_section import (
    DossierFigures,
    dossier_paragraphs,
    dossier_table,
    trend_chart,
)
from cchc.reports.builders.index_section import (
    IndexFigures,
    component_chart,
    component_table,
    index_paragraphs,
    ranking_charts,
)
from cchc.reports.builders.plan_section import (
    InspectionFigures,
    PlanFigures,
    StaffFigures,
    inspection_paragraphs,
    plan_paragraphs,
    plan_table,
    staff_paragraphs,
)
from cchc.reports.wording import next_period_phrase, period_phrase, period_range

ROMAN = ("I", "II", "III", "IV", "V", "VI")
INSPECTION_NO_DATA = (
    "Trong kỳ ({range}): chưa có số liệu về các đợt kiểm tra, tự kiểm tra công tác cải cách "
    "hành chính tại đơn vị trên hệ thống."
)
PLAN_NO_DATA = (
    "Kế hoạch CCHC năm {year}: chưa có số liệu (chưa có kế hoạch ban hành trên hệ thống)."
)


@dataclass(frozen=True)
class UnitPeriodData:
    period: Period
    dossiers: DossierFigures
    plan: PlanFigures | None = None
    inspections: InspectionFigures | None = None
    index: IndexFigures | None = None
    staff: StaffFigures | None = None


def title_lines(period: Period) -> tuple[str, ...]:
    phrase = period_phrase(period)
    first = f"Kết quả thực hiện công tác cải cách hành chính {phrase}"
    if period.kind == "year":
        return (first, f"và phương hướng, nhiệm vụ năm {period.end.year + 1}")
    return (first, f"và nhiệm vụ trọng tâm {next_period_phrase(period)}")


def build_unit_periodic(
    frame: Frame, text: Mapping[str, str], data: UnitPeriodData
) -> AdministrativeDocument:
    period = data.period
    phrase = period_phrase(period)
    body: list[Block] = []
    basis = (text.get("basis") or "").strip()
    if basis:
        body += narrative(basis)
    body.append(
        Paragraph.of(
            f"Ủy ban nhân dân {frame.level_word} báo cáo kết quả thực hiện công tác cải cách "
            f"hành chính {phrase} như sau:"
            if frame.level_word
            else f"{frame.unit_name} báo cáo kết quả thực hiện công tác cải cách hành chính "
            f"{phrase} như sau:"
        )
    )
    body.append(Heading(1, f"I. KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH {phrase.upper()}"))
    n = 0
    tables = Numbering("Bảng")
    charts = Numbering("Biểu đồ")

    def section(title: str) -> None:
        nonlocal n
        n += 1
        body.append(Heading(2, f"{n}. {title}"))

    section("Công tác chỉ đạo, điều hành và thực hiện kế hoạch")
    if data.plan is not None:
        body += plan_paragraphs(data.plan)
        table = plan_table(
            data.plan, caption=tables.next("Tiến độ thực hiện kế hoạch CCHC theo lĩnh vực")
        )
        if table is not None:
            body.append(table)
    else:
        body.append(Paragraph.of(PLAN_NO_DATA.format(year=period.end.year)))
    activities = (text.get("activities") or "").strip()
    if activities or data.plan is None:
        body += narrative(activities)

    section("Kết quả tiếp nhận, giải quyết thủ tục hành chính")
    body += dossier_paragraphs(data.dossiers)
    table = dossier_table(
        data.dossiers,
        caption=tables.next("Kết quả tiếp nhận, giải quyết hồ sơ TTHC theo lĩnh vực"),
    )
    if table is not None:
        body.append(table)
    chart = trend_chart(data.dossiers, caption=charts.next("Số hồ sơ theo tháng báo cáo"))
    if chart is not None:
        body.append(chart)

    section("Công tác kiểm tra cải cách hành chính")
    if data.inspections is not None:
        body += inspection_paragraphs(data.inspections)
    else:
        # No inspection on record is not "no inspection took place": the section says what
        # the system lacks instead of disappearing (issue 14).
        body.append(Paragraph.of(INSPECTION_NO_DATA.format(range=period_range(period))))

    annual = period.kind == "year"
    if data.index is None and annual:
        # A section without data says so instead of disappearing (issue 14).
        section(f"Kết quả Chỉ số cải cách hành chính năm {period.end.year}")
        body.append(
            Paragraph.of(
                f"Chưa có số liệu: kết quả Chỉ số CCHC năm {period.end.year} của đơn vị chưa "
                "được công bố trên hệ thống."
            )
        )
    if data.index is not None:
        section(f"Kết quả Chỉ số cải cách hành chính năm {data.index.year}")
        body += index_paragraphs(data.index)
        body.append(
            component_table(
                data.index,
                caption=tables.next(f"Kết quả Chỉ số CCHC năm {data.index.year} theo lĩnh vực"),
            )
        )
        body.append(
            component_chart(
                data.index,
                caption=charts.next("Tỷ lệ điểm đạt được so với điểm tối đa của từng lĩnh vực"),
            )
        )
        if len(data.index.block_results) > 1:
            body += ranking_charts(
                data.index.block_results,
                title=f"Chỉ số CCHC năm {data.index.year} của các đơn vị cùng khối",
                caption=charts.next("Vị trí của đơn vị trong khối"),
                highlight=data.index.unit_label,
            )

    if data.staff is not None:
        section("Cải cách chế độ công vụ: đội ngũ cán bộ, công chức")
        body += staff_paragraphs(data.staff)
    elif annual:
        section("Cải cách chế độ công vụ: đội ngũ cán bộ, công chức")
        body.append(
            Paragraph.of(
                f"Chưa có số liệu: số liệu đội ngũ cán bộ, công chức năm {period.end.year} "
                "chưa được nhập trên hệ thống."
            )
        )

    body.append(Heading(1, "II. ĐÁNH GIÁ CHUNG"))
    body.append(Heading(2, "1. Ưu điểm"))
    body += narrative(text.get("strengths"))
    body.append(Heading(2, "2. Tồn tại, hạn chế"))
    body += narrative(text.get("weaknesses"))
    body.append(Heading(2, "3. Nguyên nhân"))
    body += narrative(text.get("causes"))
    upcoming = f"năm {period.end.year + 1}" if period.kind == "year" else next_period_phrase(period)
    body.append(Heading(1, f"III. PHƯƠNG HƯỚNG, NHIỆM VỤ {upcoming.upper()}"))
    body += narrative(text.get("directions"))
    body.append(
        Paragraph.of(
            f"Trên đây là báo cáo kết quả thực hiện công tác cải cách hành chính {phrase} "
            f"của {frame.full_name}./."
        )
    )
    return make_document(frame, kind="BÁO CÁO", title=title_lines(period), body=body)
