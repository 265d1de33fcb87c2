"""The PAR-index results of many units (a cycle's block or all of a province's units):
index bands, grades with the lists of units, the units held back by a component, the
comparison with last year, the ranking table and charts. Used by the province/district
annual report (seed 004) and by the published results notice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from cchc.core.formatting import percent, round_half_up, vn_number
from cchc.documents.document import (
    Block,
    Chart,
    Column,
    Figure,
    Inline,
    Paragraph,
    Series,
    Table,
)
from cchc.evaluations.classification import reaches
from cchc.evaluations.results import UnitResult
from cchc.frameworks.spec import Framework, Grade
from cchc.reports.builders.common import count, names_list
from cchc.reports.builders.index_section import ranking_charts
from cchc.reports.wording import in_sentence


@dataclass(frozen=True)
class AreaIndex:
    framework: Framework
    year: int
    cycle_name: str
    results: Sequence[UnitResult]  # unit = the unit's name
    decision: str = ""
    unit_word: str = "đơn vị"  # "xã, thị trấn"
    previous: Sequence[UnitResult] = ()
    previous_framework: Framework | None = None
    previous_year: int | None = None


def blocks(results: Sequence[UnitResult]) -> list[tuple[str | None, list[UnitResult]]]:
    out: dict[str | None, list[UnitResult]] = {}
    for r in results:
        out.setdefault(r.block, []).append(r)
    return [(b, sorted(rs, key=lambda r: (r.rank.rank, r.unit))) for b, rs in out.items()]


# ------------------------------------------------------------------ bands and grades


@dataclass(frozen=True)
class Band:
    label: str
    low: Decimal | None  # None: no lower bound
    high: Decimal | None  # None: up to 100%
    inclusive: bool = True


def index_bands(fw: Framework) -> list[Band]:
    """Bands of the index from the grades' thresholds, best first (seed 004: from 80% to
    under 90%, from 65% to under 80%)."""
    lows = sorted(
        {(g.min_index, g.inclusive) for g in fw.grades if g.min_index is not None},
        key=lambda x: x[0],
        reverse=True,
    )
    out: list[Band] = []
    high: Decimal | None = None
    for low, inclusive in lows:
        word = "từ" if inclusive else "trên"
        if high is None:
            label = f"{word} {vn_number(low)}% trở lên"
        else:
            label = f"{word} {vn_number(low)}% đến dưới {vn_number(high)}%"
        out.append(Band(label, low, high, inclusive))
        high = low
    if high is not None:
        out.append(Band(f"dưới {vn_number(high)}%", None, high))
    return out


def band_of(bands: list[Band], r: UnitResult) -> Band | None:
    for band in bands:
        if band.low is None or reaches(r.total, r.max, band.low, inclusive=band.inclusive):
            return band
    return None


def grade_rule_text(fw: Framework, grade: Grade) -> str:
    parts = []
    word = "từ" if grade.inclusive else "trên"
    if grade.min_index is not None:
        parts.append(f"có Chỉ số đạt {word} {vn_number(grade.min_index)}% trở lên")
    if grade.min_component is not None:
        parts.append(
            f"các lĩnh vực CCHC đạt {word} {vn_number(grade.min_component)}% số điểm trở lên"
        )
    return ", đồng thời ".join(parts)


def grade_counts(fw: Framework, results: Sequence[UnitResult]) -> list[tuple[Grade, list[str]]]:
    out = []
    for grade in fw.grades:
        names = [r.unit for r in results if r.grade and r.grade.code == grade.code]
        out.append((grade, names))
    return out


def area_paragraphs(area: AreaIndex, *, key: str = "area") -> list[Block]:
    fw = area.framework
    results = list(area.results)
    n = len(results)
    out: list[Block] = []
    if not results:
        out.append(Paragraph.of("Chưa có kết quả Chỉ số CCHC được công bố cho các đơn vị."))
        return out
    where = f" ({area.decision})" if area.decision else ""
    out.append(
        Paragraph.of(
            f"Kết quả xác định Chỉ số CCHC năm {area.year}{where} của ",
            count(n, f"{key}.units"),
            f" {area.unit_word}, xếp theo nhóm điểm như sau:",
        )
    )
    bands = index_bands(fw)
    by_band: dict[str, list[str]] = {b.label: [] for b in bands}
    for r in sorted(results, key=lambda r: (-r.index, r.unit)):
        band = band_of(bands, r)
        if band is not None:
            by_band[band.label].append(r.unit)
    for i, band in enumerate(bands):
        names = by_band[band.label]
        if not names:
            out.append(
                Paragraph.of(f"- Nhóm đạt Chỉ số {band.label} so với điểm tối đa: Không có.")
            )
            continue
        out.append(
            Paragraph.of(
                f"- Nhóm đạt Chỉ số {band.label} so với điểm tối đa, gồm ",
                count(len(names), f"{key}.bands.{i}"),
                f" đơn vị: {names_list(in_sentence(n) for n in names)}.",
            )
        )
    out.append(Paragraph.of("Xếp loại kết quả CCHC của các đơn vị:"))
    for grade, names in grade_counts(fw, results):
        rule = grade_rule_text(fw, grade)
        head = f"- Nhóm {grade.label}" + (f", {rule}" if rule else "")
        if not names:
            out.append(Paragraph.of(head + ": Không có."))
            continue
        out.append(
            Paragraph.of(
                head + ": gồm ",
                count(len(names), f"{key}.grades.{grade.code}"),
                f" đơn vị: {names_list(in_sentence(n) for n in names)}.",
            )
        )
    # Seed 004: 9 communes in the 80–90% band were graded lower because of a component.
    for j, (reached, got, names) in enumerate(_held_back(fw, results)):
        out.append(
            Paragraph.of(
                "Trong đó ",
                count(len(names), f"{key}.held_back.{j}"),
                f" đơn vị có Chỉ số đạt ngưỡng {reached.label.lower()} nhưng chỉ được xếp loại "
                f"{got.label.lower()} do có lĩnh vực CCHC chưa đạt tỷ lệ điểm quy định: "
                f"{names_list(in_sentence(n) for n in names)}.",
            )
        )
    summary: list[Inline] = [f"Năm {area.year}, "]
    counted = [(g, names) for g, names in grade_counts(fw, results) if names]
    for i, (grade, names) in enumerate(counted):
        summary += [
            count(len(names), f"{key}.grades.{grade.code}"),
            "/",
            count(n, f"{key}.units"),
            f" đơn vị đạt mức {grade.label}",
            "; " if i < len(counted) - 1 else "",
        ]
    if area.previous and area.previous_framework is not None:
        prev = list(area.previous)
        summary.append(f" (năm {area.previous_year or area.year - 1}: ")
        prev_counted = [
            (g, names) for g, names in grade_counts(area.previous_framework, prev) if names
        ]
        for i, (grade, names) in enumerate(prev_counted):
            summary += [
                count(len(names), f"{key}.previous.grades.{grade.code}"),
                "/",
                count(len(prev), f"{key}.previous.units"),
                f" đơn vị đạt mức {grade.label}",
                "; " if i < len(prev_counted) - 1 else "",
            ]
        summary.append(")")
    summary.append(".")
    out.append(Paragraph.of(*summary))
    return out


def _held_back(
    fw: Framework, results: Sequence[UnitResult]
) -> list[tuple[Grade, Grade, list[str]]]:
    """(grade whose index threshold the unit reaches, grade it got, units) where the two
    differ: a component under the grade's floor held the unit back."""
    out: dict[tuple[str, str], list[str]] = {}
    order = {g.code: i for i, g in enumerate(fw.grades)}
    for r in results:
        if r.grade is None:
            continue
        for g in fw.grades:
            if order[g.code] >= order[r.grade.code]:
                break
            if g.min_index is not None and reaches(
                r.total, r.max, g.min_index, inclusive=g.inclusive
            ):
                out.setdefault((g.code, r.grade.code), []).append(r.unit)
                break
    return [(fw.grade(a), fw.grade(b), names) for (a, b), names in out.items()]


# ------------------------------------------------------------------ tables and charts


def ranking_table(
    area: AreaIndex,
    block: str | None,
    results: Sequence[UnitResult],
    *,
    caption: str,
    key: str = "area",
) -> Table:
    prev = {r.unit: r for r in area.previous} if area.previous else {}
    with_prev = bool(prev)
    rows = []
    for r in results:
        row: list = [
            f"{r.rank.rank}",
            r.unit,
            r.total,
            round_half_up(r.index, 2),
            r.grade.label if r.grade else "",
        ]
        if with_prev:
            old = prev.get(r.unit)
            row += [
                round_half_up(old.index, 2) if old else None,
                # the difference of the printed figures, so the row adds up as printed
                round_half_up(r.index, 2) - round_half_up(old.index, 2) if old else None,
            ]
        rows.append(tuple(row))
    columns = [
        Column("Hạng", "center", 0.9),
        Column("Đơn vị", "left", 3.0),
        Column("Điểm", "right", 1.0, places=3),
        Column("Chỉ số (%)", "right", 1.0, trim=False),
        Column("Xếp loại", "left", 2.6),
    ]
    if with_prev:
        y = area.previous_year or area.year - 1
        columns += [
            Column(f"Chỉ số {y} (%)", "right", 1.0, trim=False),
            Column("Thay đổi (điểm %)", "right", 1.0, trim=False),
        ]
    return Table(
        columns=tuple(columns),
        rows=tuple(rows),
        caption=caption,
        note="Xếp hạng cạnh tranh trong khối: các đơn vị đồng điểm cùng hạng. Thay đổi của "
        "Chỉ số tính bằng điểm phần trăm.",
        font_size=10.5,
    )


def component_average_chart(area: AreaIndex, *, caption: str) -> Chart | None:
    """Share of the maximum reached per component over all units (sum of scores / sum of
    maxima), so a component is not averaged over percentages of different weights."""
    results = list(area.results)
    if not results:
        return None
    comps = list(results[0].components.values())
    values = []
    for c in comps:
        got = sum((r.components[c.code].score for r in results), Decimal(0))
        mx = sum((r.components[c.code].max for r in results), Decimal(0))
        values.append(percent(got, mx))
    return Chart(
        # bars lying down: a component's whole title reads on one or two lines beside it
        kind="hbar",
        title=f"Tỷ lệ điểm đạt được bình quân theo lĩnh vực, năm {area.year}",
        categories=tuple(c.title for c in comps),
        series=(Series(f"Năm {area.year}", tuple(values)),),
        max_value=Decimal(100),
        percent=True,
        value_label="Tỷ lệ điểm đạt được (%)",
        caption=caption,
        height_cm=8.5,
    )


def area_ranking_charts(area: AreaIndex, *, caption: str) -> list[Chart]:
    out = []
    for block, rs in blocks(area.results):
        title = "Chỉ số CCHC" + (f" — {block}" if block else "") + f", năm {area.year}"
        out += ranking_charts(
            [(r.unit, r.index) for r in rs],
            title=title,
            caption=caption + (f" — {block}" if block else ""),
        )
    return out


def own_index_paragraph(
    *,
    name: str,
    year: int,
    index: Decimal,
    previous_index: Decimal | None,
    previous_year: int | None,
    rank: str | None = None,
    grade: str | None = None,
    key: str = "own",
) -> Paragraph:
    """Seed 004: 'Chỉ số CCHC của UBND huyện Tứ Kỳ đạt 83,30% (năm 2020: 63,19%): tăng
    20,11 điểm phần trăm' — the report printed '19,69%'."""
    now = round_half_up(index, 2)
    parts: list[Inline] = [
        f"Năm {year}, Chỉ số CCHC của {name} đạt ",
        Figure(now, 2, percent=True, trim=False, key=f"{key}.index"),
    ]
    if previous_index is not None:
        then = round_half_up(previous_index, 2)
        delta = now - then
        parts += [
            f" (năm {previous_year}: ",
            Figure(then, 2, percent=True, trim=False, key=f"{key}.previous_index"),
            "): ",
        ]
        if delta == 0:
            parts.append("không thay đổi")
        else:
            parts += [
                "tăng " if delta > 0 else "giảm ",
                Figure(abs(delta), 2, key=f"{key}.change_pp"),
                " điểm phần trăm",
            ]
    if rank:
        parts.append(f", xếp thứ {rank}")
    if grade:
        parts.append(f", xếp loại {grade}")
    parts.append(".")
    return Paragraph.of(*parts)
