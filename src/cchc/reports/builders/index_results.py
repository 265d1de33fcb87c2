"""The published results of a PAR-index cycle: method, ranking table per block with every
component's points, grades with the lists of units, ranking and component charts.

Figures are the cycle's results (``cchc.evaluations.results``), the same ones the
publication froze; ranks are competition ranks within a block, ties share a rank.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from cchc.core.formatting import SCORE_PLACES, TOTAL_PLACES, round_half_up, vn_number
from cchc.documents.document import (
    AdministrativeDocument,
    Block,
    Column,
    Figure,
    HeaderGroup,
    Heading,
    Paragraph,
    Table,
)
from cchc.evaluations.results import UnitResult
from cchc.reports.builders.area_index import (
    AreaIndex,
    area_paragraphs,
    area_ranking_charts,
    blocks,
    component_average_chart,
    grade_rule_text,
)
from cchc.reports.builders.common import LANDSCAPE, Frame, make_document, narrative


@dataclass(frozen=True)
class IndexResultsData:
    area: AreaIndex
    published_on: object | None = None


def results_table(
    area: AreaIndex, block: str | None, results: Sequence[UnitResult], *, caption: str
) -> Table:
    comps = list(results[0].components.values()) if results else []
    rows = []
    for r in results:
        rows.append(
            (
                str(r.rank.rank),
                r.unit,
                *(r.components[c.code].score for c in comps),
                r.total,
                Figure(round_half_up(r.index, 2), 2, key=f"results.{r.unit}.index"),
                r.grade.label if r.grade else "",
            )
        )
    columns = [Column("Hạng", "center", 0.6), Column("Đơn vị", "left", 2.6)]
    columns += [
        Column(f"{c.code}\n({vn_number(c.max)})", "right", 0.75, places=SCORE_PLACES) for c in comps
    ]
    columns += [
        Column("Tổng điểm", "right", 0.9, places=TOTAL_PLACES),
        Column("Chỉ số (%)", "right", 0.85, trim=False),
        Column("Xếp loại", "left", 2.2),
    ]
    groups = (
        HeaderGroup("", 2),
        HeaderGroup("Điểm theo lĩnh vực (điểm tối đa)", len(comps)),
        HeaderGroup("", 3),
    )
    legend = "; ".join(f"{c.code} — {c.title}" for c in comps)
    return Table(
        columns=tuple(columns),
        groups=groups if comps else (),
        rows=tuple(rows),
        caption=caption,
        note="Lĩnh vực: " + legend + ".",
        font_size=9,
    )


def build_index_results(
    frame: Frame, text: Mapping[str, str], data: IndexResultsData
) -> AdministrativeDocument:
    area = data.area
    fw = area.framework
    body: list[Block] = []
    basis = (text.get("basis") or "").strip()
    if basis:
        body += narrative(basis)
    elif area.decision:
        body.append(
            Paragraph.of(f"Căn cứ {area.decision} về việc phê duyệt và công bố {area.cycle_name};")
        )
    body.append(Paragraph.of(f"{frame.full_name} thông báo kết quả {area.cycle_name} như sau:"))
    body.append(Heading(1, "I. PHƯƠNG PHÁP ĐÁNH GIÁ"))
    body.append(
        Paragraph.of(
            f"Bộ chỉ số: {fw.name}; tổng điểm tối đa ",
            Figure(fw.max, 2, key="framework.max"),
            " điểm, gồm ",
            Figure(len(fw.criteria), 0, key="framework.components"),
            " lĩnh vực, thành phần. Chỉ số = tổng điểm đạt được / điểm tối đa × 100%. Xếp "
            "hạng trong từng khối theo Chỉ số (đồng điểm cùng hạng).",
        )
    )
    for grade in fw.grades:
        rule = grade_rule_text(fw, grade)
        body.append(Paragraph.of(f"- {grade.label}: {rule or 'các trường hợp còn lại'}."))
    body.append(Heading(1, "II. KẾT QUẢ"))
    for number, (block, results) in enumerate(blocks(area.results), start=1):
        label = f" — {block}" if block else ""
        body.append(
            results_table(
                area,
                block,
                results,
                caption=f"Bảng {number}. Kết quả Chỉ số CCHC năm {area.year}{label}",
            )
        )
    body += area_paragraphs(area, key="results")
    body += area_ranking_charts(area, caption="Biểu đồ. Chỉ số CCHC của các đơn vị")
    avg = component_average_chart(area, caption="Biểu đồ. Tỷ lệ điểm bình quân theo lĩnh vực")
    if avg is not None:
        body.append(avg)
    directions = (text.get("directions") or "").strip()
    if directions:
        body.append(Heading(1, "III. YÊU CẦU ĐỐI VỚI CÁC ĐƠN VỊ"))
        body += narrative(directions)
    return make_document(
        frame,
        kind="THÔNG BÁO",
        title=(f"Kết quả {area.cycle_name}",),
        body=body,
        layout=LANDSCAPE,
    )
