"""Results as pages, charts and spreadsheets show them.

One display shape (ResultView) is built either from a live computation (UnitResult, for the
organiser and the unit before publication) or from the figures frozen at publication
(PublishedResult.data, for the public page), so both look and export the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from cchc.core.formatting import TOTAL_PLACES, round_half_up, vn_number
from cchc.core.tabular import workbook_bytes
from cchc.evaluations.classification import GAP_COMPONENT, GradeGap, grade_gap
from cchc.evaluations.results import (
    CHANGE_CRITERIA,
    CHANGE_MAX,
    CHANGE_NEW,
    CHANGE_REMOVED,
    Comparison,
    UnitResult,
)
from cchc.evaluations.scoring import score_unit
from cchc.frameworks.spec import Framework

_HUNDRED = Decimal(100)


@dataclass(frozen=True)
class ComponentView:
    code: str
    title: str
    score: Decimal
    max: Decimal
    percent: Decimal  # rounded half-up to 2 places, for display
    rank: int
    rank_of: int
    graded: bool
    remediation: bool = False

    @property
    def bar_width(self) -> Decimal:
        return min(max(self.percent, Decimal(0)), _HUNDRED)


@dataclass(frozen=True)
class GapLine:
    text: str
    points: Decimal


@dataclass(frozen=True)
class GapView:
    target_code: str
    target_label: str
    lines: tuple[GapLine, ...]
    summary: str


@dataclass
class ResultView:
    unit_name: str
    unit_id: int | None
    cycle_unit_id: int | None
    block: str
    total: Decimal
    max: Decimal
    index: Decimal  # rounded half-up to 2 places
    rank: int
    rank_of: int
    grade_code: str | None
    grade_label: str | None
    components: list[ComponentView]
    remediation: tuple[str, ...]
    owes_remediation: bool
    gap: GapView | None = None
    comparison: list[ComparisonLine] = field(default_factory=list)
    missing: tuple[str, ...] = ()  # leaves without any score yet (counted 0, provisional)

    @property
    def total_display(self) -> Decimal:
        # As the decisions print it ("87,75/100 điểm"); the exact total is in the XLSX.
        return round_half_up(self.total, TOTAL_PLACES)


@dataclass(frozen=True)
class ComparisonLine:
    code: str
    title: str
    score: Decimal | None
    previous_score: Decimal | None
    percent: Decimal | None
    previous_percent: Decimal | None
    delta_score: Decimal | None
    delta_percent: Decimal | None
    note: str


def _dec(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _pts(value: Decimal) -> str:
    """Points as printed in the decisions: up to 3 decimals, trailing zeros dropped."""
    return vn_number(round_half_up(value, 3))


def gap_view(fw: Framework, gap: GradeGap | None) -> GapView | None:
    """The gap to the next grade in words, smallest recovery first:
    'Khôi phục 0,6 điểm ở lĩnh vực 6 (Cải cách tài chính công) để lĩnh vực đạt 70%'."""
    if gap is None:
        return None
    target = fw.grade(gap.target)
    lines = []
    component_items = [i for i in gap.items if i.kind == GAP_COMPONENT]
    index_items = [i for i in gap.items if i.kind != GAP_COMPONENT]
    for item in gap.items:
        more = "hơn " if item.strict else ""
        if item.kind == GAP_COMPONENT:
            title = fw.node(item.code).title if item.code else ""
            text = (
                f"Khôi phục {more}{_pts(item.points_needed)} điểm ở lĩnh vực {item.code} "
                f"({title}) để lĩnh vực đạt {vn_number(item.target_percent)}% điểm tối đa"
            )
        else:
            text = (
                f"Tổng điểm thêm {more}{_pts(item.points_needed)} điểm để chỉ số đạt "
                f"{vn_number(item.target_percent)}%"
            )
            if component_items:
                text += (
                    f" (điểm khôi phục ở các lĩnh vực trên được tính vào; còn thiếu "
                    f"{_pts(gap.extra_index_points)} điểm từ các nội dung bị trừ điểm khác)"
                )
        lines.append(GapLine(text, item.points_needed))
    if len(component_items) == 1 and not index_items:
        item = component_items[0]
        summary = (
            f"Khôi phục {_pts(item.points_needed)} điểm ở lĩnh vực {item.code} sẽ đạt "
            f"“{target.label}”."
        )
    else:
        summary = f"Cần khôi phục ít nhất {_pts(gap.total_points)} điểm để đạt “{target.label}”."
    return GapView(target.code, target.label, tuple(lines), summary)


def from_unit_result(
    fw: Framework,
    result: UnitResult,
    *,
    unit_id: int | None = None,
    cycle_unit_id: int | None = None,
    block: str | None = None,
) -> ResultView:
    remediation = set(result.remediation)
    components = [
        ComponentView(
            code=c.code,
            title=c.title,
            score=c.score,
            max=c.max,
            percent=c.percent_display,
            rank=c.rank.rank,
            rank_of=c.rank.of,
            graded=c.graded,
            remediation=c.code in remediation,
        )
        for c in result.components.values()
    ]
    return ResultView(
        unit_name=result.unit,
        unit_id=unit_id,
        cycle_unit_id=cycle_unit_id,
        block=block if block is not None else (result.block or ""),
        total=result.total,
        max=result.max,
        index=result.index_display,
        rank=result.rank.rank,
        rank_of=result.rank.of,
        grade_code=result.grade.code if result.grade else None,
        grade_label=result.grade.label if result.grade else None,
        components=components,
        remediation=result.remediation,
        owes_remediation=result.owes_remediation,
        gap=gap_view(fw, result.gap),
        missing=tuple(result.score.missing),
    )


def from_published(fw: Framework, published, *, with_gap: bool = True) -> ResultView:
    """The result as frozen in PublishedResult.data (strings for decimals)."""
    data = published.data
    remediation = tuple(data.get("remediation") or ())
    components = []
    for code, comp in (data.get("components") or {}).items():
        title = comp.get("title") or (fw.node(code).title if fw.has(code) else code)
        graded = comp.get("graded", fw.node(code).graded if fw.has(code) else False)
        components.append(
            ComponentView(
                code=code,
                title=title,
                score=_dec(comp["score"]),
                max=_dec(comp["max"]),
                percent=_dec(comp["percent"]),
                rank=int(comp["rank"]),
                rank_of=int(comp["rank_of"]),
                graded=bool(graded),
                remediation=code in remediation,
            )
        )
    grade_code = data.get("grade")
    grade_label = data.get("grade_label")
    if grade_code and not grade_label:
        grade_label = fw.grade(grade_code).label
    gap = None
    if with_gap and grade_code:
        # The gap is a reading of the frozen component scores under the frozen framework.
        score = score_unit(fw, {c.code: c.score for c in components})
        gap = gap_view(fw, grade_gap(fw, score, fw.grade(grade_code)))
    return ResultView(
        unit_name=data.get("unit") or published.unit.name,
        unit_id=published.unit_id,
        cycle_unit_id=published.cycle_unit_id,
        block=published.block,
        total=_dec(data["score"]),
        max=_dec(data["max"]),
        index=_dec(data["index"]),
        rank=published.rank,
        rank_of=published.rank_of,
        grade_code=grade_code,
        grade_label=grade_label,
        components=components,
        remediation=remediation,
        owes_remediation=bool(data.get("owes_remediation")),
        gap=gap,
    )


CHANGE_NOTES = {
    CHANGE_MAX: "Bộ chỉ số thay đổi điểm tối đa của lĩnh vực: chỉ so sánh tỷ lệ %",
    CHANGE_CRITERIA: "Bộ chỉ số thay đổi tiêu chí của lĩnh vực",
    CHANGE_NEW: "Lĩnh vực mới trong bộ chỉ số năm nay",
    CHANGE_REMOVED: "Lĩnh vực không còn trong bộ chỉ số năm nay",
}


def comparison_lines(comparison: Comparison | None) -> list[ComparisonLine]:
    if comparison is None:
        return []
    out = []
    for c in comparison.components:
        out.append(
            ComparisonLine(
                code=c.code,
                title=c.title,
                score=c.score,
                previous_score=c.previous_score,
                percent=None if c.percent is None else round_half_up(c.percent, 2),
                previous_percent=(
                    None if c.previous_percent is None else round_half_up(c.previous_percent, 2)
                ),
                delta_score=c.delta_score,
                delta_percent=(
                    None if c.delta_percent is None else round_half_up(c.delta_percent, 2)
                ),
                note=CHANGE_NOTES.get(c.status, ""),
            )
        )
    return out


def blocks(results: Iterable[ResultView]) -> list[tuple[str, list[ResultView]]]:
    """Results grouped by block, in the order the blocks first appear."""
    groups: dict[str, list[ResultView]] = {}
    for r in results:
        groups.setdefault(r.block or "", []).append(r)
    return list(groups.items())


def grade_counts(results: Sequence[ResultView]) -> list[tuple[str, str, int]]:
    counts: dict[tuple[str, str], int] = {}
    for r in results:
        key = (r.grade_code or "", r.grade_label or "–")
        counts[key] = counts.get(key, 0) + 1
    return [(code, label, n) for (code, label), n in counts.items()]


# --------------------------------------------------------------------------- charts


def _short(title: str, width: int = 26) -> str:
    return title if len(title) <= width else title[: width - 1].rstrip() + "…"


def component_chart(result: ResultView, *, kind: str = "bar", previous=None):
    """Component percentages of one unit (bars or radar); optionally against last cycle."""
    from cchc.documents.document import Chart, Series

    if kind == "radar":
        categories = tuple(f"{c.code}. {_short(c.title, 24)}" for c in result.components)
    else:
        categories = tuple(f"LV {c.code}" for c in result.components)
    series = [Series(result.unit_name, tuple(c.percent for c in result.components))]
    if previous:
        series.append(Series(previous[0], previous[1]))
    return Chart(
        kind=kind,  # type: ignore[arg-type]
        title="",
        categories=categories,
        series=tuple(series),
        value_label="% điểm tối đa",
        max_value=100,
        percent=True,
        places=1 if kind == "bar" else 2,
        width_cm=16.0 if kind == "bar" else 15.0,
        height_cm=8.0 if kind == "bar" else 12.0,
    )


def ranking_chart(results: Sequence[ResultView], highlight: str | None = None):
    """The block's ranking: index per unit, best first; the unit reported on in red."""
    from cchc.documents.document import Chart, Series

    n = len(results)
    return Chart(
        kind="hbar",
        title="",
        categories=tuple(r.unit_name for r in results),
        series=(Series("Chỉ số CCHC", tuple(r.index for r in results)),),
        value_label="Chỉ số (%)",
        max_value=100,
        percent=True,
        highlight=highlight,
        width_cm=16.0,
        height_cm=max(6.0, 0.5 * n + 2.0),
    )


def svg(chart) -> str:
    from cchc.documents.charts import render_svg

    return render_svg(chart)


# --------------------------------------------------------------------------- XLSX


def results_xlsx(
    *,
    title: str,
    facts: Sequence[tuple[str, str]],
    fw: Framework,
    results: Sequence[ResultView],
) -> bytes:
    """Ranking with every component (score, %, rank r/k) and a sheet of the components."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Xếp hạng"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    for label, value in facts:
        sheet.append([label, value])
    sheet.append([])
    header = [
        "Khối",
        "Hạng",
        "Trên tổng số",
        "Đơn vị",
        "Tổng điểm",
        "Điểm tối đa",
        "Chỉ số (%)",
        "Xếp loại",
    ]
    for c in fw.criteria:
        header += [
            f"LV {c.code} điểm",
            f"LV {c.code} %",
            f"LV {c.code} hạng",
            f"LV {c.code} số hạng",
        ]
    header += ["Lĩnh vực phải khắc phục", "Phải nộp kế hoạch khắc phục"]
    sheet.append(header)
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for r in results:
        by_code = {c.code: c for c in r.components}
        row: list[Any] = [
            r.block,
            r.rank,
            r.rank_of,
            r.unit_name,
            r.total,
            r.max,
            r.index,
            r.grade_label or "",
        ]
        for c in fw.criteria:
            comp = by_code.get(c.code)
            row += (
                [comp.score, comp.percent, comp.rank, comp.rank_of]
                if comp
                else [None, None, None, None]
            )
        row += ["; ".join(r.remediation), "có" if r.owes_remediation else ""]
        sheet.append(row)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=5)
    widths = {1: 18, 2: 7, 3: 8, 4: 28, 5: 10, 6: 9, 7: 10, 8: 26}
    for col in range(1, len(header) + 1):
        sheet.column_dimensions[get_column_letter(col)].width = widths.get(col, 9)

    comps = book.create_sheet("Lĩnh vực")
    comps.append(["Mã", "Lĩnh vực", "Điểm tối đa", "Tính khi xếp loại"])
    for cell in comps[1]:
        cell.font = Font(bold=True)
    for c in fw.criteria:
        comps.append([c.code, c.title, c.max, "có" if c.graded else "không"])
    comps.column_dimensions["B"].width = 70
    return workbook_bytes(book)  # every cell made safe (no formula from data)
