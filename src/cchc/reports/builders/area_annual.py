"""The annual CCHC report of a province (or, before 7/2025, a district) on all its units,
like seed 004 (Tứ Kỳ, 2021): plan and filing, inspections, dossiers, the PAR index of the
issuer and of its units (bands, grades with the lists of units), assessment, next year's
plan. Dossier figures per unit follow as an annex table that adds up to the text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from cchc.core.formatting import percent
from cchc.documents.document import (
    AdministrativeDocument,
    Block,
    Heading,
    Inline,
    Paragraph,
)
from cchc.dossiers.periods import Period
from cchc.reports.builders.area_index import (
    AreaIndex,
    area_paragraphs,
    area_ranking_charts,
    blocks,
    component_average_chart,
    own_index_paragraph,
    ranking_table,
)
from cchc.reports.builders.common import (
    Frame,
    Numbering,
    count,
    make_document,
    narrative,
    rate_parts,
)
from cchc.reports.builders.dossier_section import (
    DossierFigures,
    dossier_paragraphs,
    dossier_table,
    trend_chart,
)
from cchc.reports.builders.plan_section import (
    InspectionFigures,
    PlanFigures,
    inspection_paragraphs,
    plan_paragraphs,
)
from cchc.reports.builders.unit_periodic import PLAN_NO_DATA


@dataclass(frozen=True)
class FilingLine:
    label: str  # "Quý I"
    on_time: int
    late: int
    missing: int  # past due, not filed
    not_due: int
    expected: int

    @property
    def on_time_share(self) -> Decimal | None:
        return percent(self.on_time, self.expected)


@dataclass(frozen=True)
class OwnIndex:
    index: Decimal
    previous_index: Decimal | None = None
    previous_year: int | None = None
    rank: str | None = None
    grade: str | None = None


@dataclass(frozen=True)
class AreaAnnualData:
    period: Period
    dossiers: DossierFigures
    units_total: int
    unit_word: str = "đơn vị"
    area_index: AreaIndex | None = None
    own_index: OwnIndex | None = None
    inspections: InspectionFigures | None = None
    filing: Sequence[FilingLine] = ()
    plan: PlanFigures | None = None
    next_plan: PlanFigures | None = None


def filing_paragraphs(lines: Sequence[FilingLine], *, key: str = "filing") -> list[Block]:
    if not lines:
        return []
    parts: list[Inline] = ["Chế độ báo cáo CCHC định kỳ của các đơn vị trực thuộc: "]
    shown = [line for line in lines if line.expected and line.not_due < line.expected]
    if not shown:
        return []
    if not any(line.on_time or line.late for line in shown):
        return [
            Paragraph.of(
                "Chế độ báo cáo CCHC định kỳ: chưa có đơn vị trực thuộc nào nộp báo cáo trên "
                "hệ thống (",
                count(shown[0].expected, f"{key}.expected"),
                " đơn vị phải nộp).",
            )
        ]
    for i, line in enumerate(shown):
        parts += [
            f"{line.label}: ",
            count(line.on_time, f"{key}.{i}.on_time"),
            "/",
            count(line.expected, f"{key}.{i}.expected"),
            " đơn vị nộp đúng hạn (",
            *rate_parts(line.on_time_share, f"{key}.{i}.on_time_share"),
            "), ",
            count(line.late, f"{key}.{i}.late"),
            " nộp muộn, ",
            count(line.missing, f"{key}.{i}.missing"),
            " chưa nộp",
            "; " if i < len(shown) - 1 else ".",
        ]
    return [Paragraph.of(*parts)]


def build_area_annual(
    frame: Frame, text: Mapping[str, str], data: AreaAnnualData
) -> AdministrativeDocument:
    year = data.period.end.year
    body: list[Block] = []
    basis = (text.get("basis") or "").strip()
    if basis:
        body += narrative(basis)
    body.append(
        Paragraph.of(
            f"{frame.full_name} báo cáo kết quả tổng kết công tác cải cách hành chính năm "
            f"{year} và triển khai nhiệm vụ cải cách hành chính năm {year + 1}, cụ thể như sau:"
        )
    )
    tables = Numbering("Bảng")
    charts = Numbering("Biểu đồ")
    body.append(Heading(1, f"I. KẾT QUẢ THỰC HIỆN CÔNG TÁC CCHC NĂM {year}"))
    body.append(Heading(2, "1. Công tác chỉ đạo, điều hành"))
    if data.plan is not None:
        body += plan_paragraphs(data.plan)
    else:
        body.append(Paragraph.of(PLAN_NO_DATA.format(year=year)))
    body += filing_paragraphs(data.filing)
    activities = (text.get("activities") or "").strip()
    if activities or (data.plan is None and not data.filing):
        body += narrative(activities)
    body.append(Heading(2, "2. Công tác kiểm tra cải cách hành chính"))
    body += inspection_paragraphs(data.inspections or InspectionFigures())
    body.append(Heading(2, "3. Kết quả tiếp nhận, giải quyết thủ tục hành chính"))
    body.append(
        Paragraph.of(
            "Trên địa bàn có ",
            count(data.units_total, "units.total"),
            f" {data.unit_word} thuộc phạm vi báo cáo. Số liệu tổng hợp của toàn địa bàn:",
        )
    )
    body += dossier_paragraphs(data.dossiers, key="dossiers")
    chart = trend_chart(data.dossiers, caption=charts.next("Số hồ sơ toàn địa bàn theo tháng"))
    if chart is not None:
        body.append(chart)
    if data.dossiers.rows:
        body.append(
            Paragraph.of("Số liệu của từng đơn vị tại Phụ lục kèm theo báo cáo này.", italic=True)
        )

    body.append(Heading(1, f"II. KẾT QUẢ ĐÁNH GIÁ, XÁC ĐỊNH CHỈ SỐ CCHC VÀ XẾP LOẠI NĂM {year}"))
    if data.own_index is not None:
        own = data.own_index
        body.append(Heading(2, f"1. Chỉ số CCHC của {frame.full_name}"))
        body.append(
            own_index_paragraph(
                name=frame.full_name,
                year=year,
                index=own.index,
                previous_index=own.previous_index,
                previous_year=own.previous_year,
                rank=own.rank,
                grade=own.grade,
            )
        )
    area = data.area_index
    number = 2 if data.own_index is not None else 1
    body.append(Heading(2, f"{number}. Chỉ số CCHC của các đơn vị"))
    if area is None:
        body.append(
            Paragraph.of(
                f"Chưa có kết quả Chỉ số CCHC năm {year} của các đơn vị được công bố trên hệ thống."
            )
        )
    else:
        body += area_paragraphs(area)
        for block, results in blocks(area.results):
            label = f" — {block}" if block else ""
            body.append(
                ranking_table(
                    area,
                    block,
                    results,
                    caption=tables.next(f"Xếp hạng Chỉ số CCHC năm {year}{label}"),
                )
            )
        body += area_ranking_charts(area, caption=charts.next("Chỉ số CCHC của các đơn vị"))
        avg = component_average_chart(
            area, caption=charts.next("Tỷ lệ điểm bình quân theo lĩnh vực")
        )
        if avg is not None:
            body.append(avg)

    body.append(Heading(1, "III. ĐÁNH GIÁ CHUNG"))
    body.append(Heading(2, "1. Ưu điểm"))
    body += narrative(text.get("strengths"))
    body.append(Heading(2, "2. Tồn tại, hạn chế"))
    body += narrative(text.get("weaknesses"))
    body.append(Heading(2, "3. Nguyên nhân của những tồn tại, hạn chế"))
    body += narrative(text.get("causes"))
    body.append(Heading(1, f"IV. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {year + 1}"))
    if data.next_plan is not None:
        body += plan_paragraphs(data.next_plan, key="next_plan")
    body += narrative(text.get("directions"))
    body.append(
        Paragraph.of(
            f"Trên đây là Báo cáo tổng kết công tác cải cách hành chính năm {year} và triển "
            f"khai nhiệm vụ CCHC năm {year + 1} của {frame.full_name}./."
        )
    )
    annex = dossier_table(
        data.dossiers,
        caption=f"Phụ lục. Kết quả tiếp nhận, giải quyết hồ sơ TTHC năm {year} của các đơn vị",
        font_size=9.5,
    )
    doc = make_document(
        frame,
        kind="BÁO CÁO",
        title=(
            f"Tổng kết công tác cải cách hành chính năm {year}",
            f"và triển khai nhiệm vụ cải cách hành chính năm {year + 1}",
        ),
        body=body,
    )
    if annex is None:
        return doc
    from dataclasses import replace

    return replace(doc, annexes=(annex,))
