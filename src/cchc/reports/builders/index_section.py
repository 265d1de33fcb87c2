"""The PAR-index part of a report: a unit's published result (total, index, rank, grade,
components), its comparison with the previous year, and charts.

Figures come from ``cchc.evaluations.results`` (exact Decimals; rounded once, here, for
print). When the framework changed between the two years, only percentages are compared
(a component whose maximum changed cannot be compared in points), and the report says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from cchc.core.formatting import TOTAL_PLACES, round_half_up
from cchc.documents.document import (
    Block,
    Chart,
    Column,
    Figure,
    HeaderGroup,
    Inline,
    Paragraph,
    Series,
    Table,
)
from cchc.evaluations.results import (
    CHANGE_CRITERIA,
    CHANGE_MAX,
    CHANGE_NEW,
    CHANGE_REMOVED,
    Comparison,
    UnitResult,
)
from cchc.frameworks.spec import Framework
from cchc.reports.builders.common import (
    names_list,
    points,
    pp_change_parts,
    share,
)


@dataclass(frozen=True)
class IndexFigures:
    """A unit's published result and what it is compared with."""

    framework: Framework
    result: UnitResult
    year: int
    cycle_name: str
    decision: str = ""  # "Quyết định số 766/QĐ-UBND ngày 16/3/2023"
    block_label: str = ""  # "xã, thị trấn" — what the rank counts
    comparison: Comparison | None = None  # with the previous published cycle
    previous_year: int | None = None
    # Every result of the unit's block, for the ranking chart (unit label, index).
    block_results: Sequence[tuple[str, Decimal]] = ()
    unit_label: str = ""


def index_paragraphs(fig: IndexFigures, *, key: str = "index") -> list[Block]:
    r = fig.result
    grade = r.grade.label.lower() if r.grade else "chưa xếp loại"
    where = f" ({fig.decision})" if fig.decision else ""
    block = f" {fig.block_label}" if fig.block_label else ""
    out: list[Block] = [
        Paragraph.of(
            f"Theo kết quả công bố Chỉ số cải cách hành chính năm {fig.year}{where}, đơn vị đạt ",
            points(r.total, f"{key}.total", TOTAL_PLACES),  # "87,75/100", as seed 003 prints it
            "/",
            points(r.max, f"{key}.max"),
            " điểm, Chỉ số đạt ",
            Figure(round_half_up(r.index, 2), 2, percent=True, trim=False, key=f"{key}.index"),
            ", xếp thứ ",
            Figure(r.rank.rank, 0, key=f"{key}.rank"),
            "/",
            Figure(r.rank.of, 0, key=f"{key}.rank_of"),
            f"{block}, thuộc nhóm {grade}, cụ thể:",
        )
    ]
    for comp in r.components.values():
        out.append(
            Paragraph.of(
                f"- {comp.title}: đạt ",
                points(comp.score, f"{key}.components.{comp.code}.score", _places(comp.score)),
                "/",
                points(comp.max, f"{key}.components.{comp.code}.max", _places(comp.max)),
                " điểm (",
                share(comp.percent_display, f"{key}.components.{comp.code}.percent"),
                "), xếp hạng ",
                Figure(comp.rank.rank, 0, key=f"{key}.components.{comp.code}.rank"),
                "/",
                Figure(comp.rank.of, 0, key=f"{key}.components.{comp.code}.rank_of"),
                " hạng;",
            )
        )
    comparison = fig.comparison
    if comparison is not None and comparison.previous_rank is not None:
        out += comparison_paragraphs(fig, comparison, key=key)
    if r.remediation:
        titles = [r.components[c].title for c in r.remediation if c in r.components]
        rem = fig.framework.remediation
        below = rem.below_percent if rem else None
        text = (
            f"Lĩnh vực đạt dưới {round_half_up(below, 0)}% số điểm tối đa: "
            if below is not None
            else "Lĩnh vực phải khắc phục: "
        )
        out.append(
            Paragraph.of(
                text + names_list(titles) + "; đơn vị phải xây dựng kế hoạch khắc phục.",
            )
        )
    elif r.owes_remediation:
        out.append(
            Paragraph.of(
                "Theo mức xếp loại, đơn vị phải xây dựng kế hoạch khắc phục tồn tại, hạn chế."
            )
        )
    return out


def _places(value: Decimal) -> int:
    return 3 if _needs_three(value) else 2


def _needs_three(value: Decimal) -> bool:
    # Published tables print up to three decimals (1,577): keep them, never round a score.
    return value != round_half_up(value, 2)


def printed_delta(now: Decimal | None, delta: Decimal | None) -> Decimal | None:
    """The change as the difference of the two printed (rounded) figures, so that a reader
    subtracting the printed numbers gets the printed change (rounding happens once, for
    display, on each figure)."""
    if now is None or delta is None:
        return None
    return round_half_up(now, 2) - round_half_up(now - delta, 2)


def comparison_paragraphs(fig: IndexFigures, cmp: Comparison, *, key: str) -> list[Block]:
    prev_year = fig.previous_year or fig.year - 1
    parts: list[Inline] = [f"So với năm {prev_year}: Chỉ số "]
    parts += pp_change_parts(
        printed_delta(fig.result.index, cmp.delta_index), f"{key}.change.index_pp"
    )
    if cmp.previous_rank is not None and cmp.previous_rank == cmp.rank:
        parts += [
            "; giữ nguyên thứ hạng ",
            Figure(cmp.rank.rank, 0, key=f"{key}.rank"),
            "/",
            Figure(cmp.rank.of, 0, key=f"{key}.rank_of"),
        ]
    elif cmp.previous_rank is not None:
        parts += [
            "; thứ hạng từ ",
            Figure(cmp.previous_rank.rank, 0, key=f"{key}.previous.rank"),
            "/",
            Figure(cmp.previous_rank.of, 0, key=f"{key}.previous.rank_of"),
            " thành ",
            Figure(cmp.rank.rank, 0, key=f"{key}.rank"),
            "/",
            Figure(cmp.rank.of, 0, key=f"{key}.rank_of"),
        ]
    parts.append(".")
    out: list[Block] = [Paragraph.of(*parts)]
    changed = [c for c in cmp.components if c.status in (CHANGE_MAX, CHANGE_CRITERIA)]
    new = [c for c in cmp.components if c.status == CHANGE_NEW]
    removed = [c for c in cmp.components if c.status == CHANGE_REMOVED]
    if not cmp.same_framework or changed or new or removed:
        notes = []
        if changed:
            notes.append(
                "thay đổi tiêu chí hoặc điểm tối đa ở lĩnh vực "
                + names_list(c.title for c in changed)
            )
        if new:
            notes.append("thêm lĩnh vực " + names_list(c.title for c in new))
        if removed:
            notes.append("bỏ lĩnh vực " + names_list(c.title for c in removed))
        detail = ("; ".join(notes) + "; ") if notes else ""
        out.append(
            Paragraph.of(
                f"Bộ chỉ số năm {fig.year} có điều chỉnh so với năm {prev_year} ({detail}"
                "vì vậy chỉ so sánh tỷ lệ điểm đạt được, tính bằng điểm phần trăm).",
                italic=True,
            )
        )
    return out


def component_table(fig: IndexFigures, *, caption: str, key: str = "index") -> Table:
    r = fig.result
    cmp = fig.comparison if fig.comparison and fig.comparison.previous_rank else None
    by_code = {c.code: c for c in cmp.components} if cmp else {}
    rows = []
    for i, comp in enumerate(r.components.values(), start=1):
        row: list = [
            str(i),
            comp.title,
            comp.max,
            comp.score,
            comp.percent_display,
            f"{comp.rank.rank}/{comp.rank.of}",
        ]
        if cmp:
            c = by_code.get(comp.code)
            prev = c.previous_percent if c else None
            delta = c.delta_percent if c else None
            row += [
                round_half_up(prev, 2) if prev is not None else None,
                printed_delta(comp.percent, delta),
            ]
        rows.append(tuple(row))
    totals: list = [
        "",
        "Tổng cộng",
        r.max,
        r.total,
        round_half_up(r.index, 2),
        f"{r.rank.rank}/{r.rank.of}",
    ]
    columns = [
        Column("TT", "center", 0.7),
        Column("Lĩnh vực đánh giá", "left", 4.2),
        Column("Tối đa", "right", 1.0, places=3),
        Column("Đạt được", "right", 1.1, places=3),
        Column("Tỷ lệ (%)", "right", 1.1, trim=False),
        Column("Xếp hạng", "center", 1.1),
    ]
    groups = [HeaderGroup("", 2), HeaderGroup("Điểm", 2), HeaderGroup("", 2)]
    if cmp:
        prev_year = fig.previous_year or fig.year - 1
        columns += [
            Column(f"Tỷ lệ năm {prev_year} (%)", "right", 1.1, trim=False),
            Column("Thay đổi (điểm %)", "right", 1.1, trim=False),
        ]
        groups.append(HeaderGroup("So sánh", 2))
        prev_index = (
            round_half_up(r.index - cmp.delta_index, 2) if cmp.delta_index is not None else None
        )
        totals += [prev_index, printed_delta(r.index, cmp.delta_index)]
    return Table(
        columns=tuple(columns),
        groups=tuple(groups),
        rows=tuple(rows),
        totals=tuple(totals),
        caption=caption,
        note=(
            "Xếp hạng tổng: thứ hạng cạnh tranh trong khối (đồng điểm cùng hạng); xếp hạng "
            "lĩnh vực: hạng theo các mức điểm khác nhau. Thay đổi tính bằng điểm phần trăm."
        ),
        font_size=10.5,
    )


def component_chart(fig: IndexFigures, *, caption: str, kind: str = "radar") -> Chart:
    r = fig.result
    comps = list(r.components.values())
    series = [Series(f"Năm {fig.year}", tuple(c.percent_display for c in comps))]
    cmp = fig.comparison
    if cmp and cmp.previous_rank is not None:
        by_code = {c.code: c for c in cmp.components}
        prev = tuple(
            round_half_up(by_code[c.code].previous_percent, 2)
            if c.code in by_code and by_code[c.code].previous_percent is not None
            else None
            for c in comps
        )
        series.append(Series(f"Năm {fig.previous_year or fig.year - 1}", prev))
    if kind == "radar" and len(comps) < 3:
        kind = "bar"
    return Chart(
        kind=kind,  # type: ignore[arg-type]
        title="Tỷ lệ điểm đạt được theo lĩnh vực",
        # whole titles: the chart wraps them, a label is never cut short
        categories=tuple(c.title for c in comps),
        series=tuple(series),
        max_value=Decimal(100),
        percent=True,
        value_label="Tỷ lệ điểm đạt được (%)",
        caption=caption,
        height_cm=9.5 if kind == "radar" else 8.5,
    )


def ranking_charts(
    items: Sequence[tuple[str, Decimal]],
    *,
    title: str,
    caption: str,
    highlight: str | None = None,
    chunk: int = 40,
) -> list[Chart]:
    """Horizontal bars of the index, rank 1 on top; long blocks split into parts."""
    out = []
    parts = [items[i : i + chunk] for i in range(0, len(items), chunk)] or [[]]
    for n, part in enumerate(parts, start=1):
        if not part:
            continue
        suffix = f" (phần {n}/{len(parts)})" if len(parts) > 1 else ""
        out.append(
            Chart(
                kind="hbar",
                title=title + suffix,
                categories=tuple(label for label, _ in part),
                series=(Series("Chỉ số (%)", tuple(round_half_up(v, 2) for _, v in part)),),
                max_value=Decimal(100),
                percent=True,
                value_label="Chỉ số CCHC (%)",
                highlight=highlight,
                caption=caption + suffix,
                height_cm=min(24.0, 1.6 + 0.5 * len(part)),
            )
        )
    return out
