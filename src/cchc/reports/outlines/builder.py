"""An outline report as an administrative document (Nghị định 30/2020/NĐ-CP), over plain
data (no Django): the sections and their headings in the outline's order and wording, each
section's figures as sentences, the unit's narrative, and — for an upper unit — the
compilation of its units' reports with those that have not filed named, and a per-unit
annex "(Kèm theo Báo cáo số … ngày …)" whose total row is the compiled figure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from cchc.core.formatting import vn_date
from cchc.documents.document import (
    AdministrativeDocument,
    Block,
    Cell,
    Column,
    Figure,
    Heading,
    Paragraph,
    Table,
)
from cchc.reports.builders.common import Frame, make_document, narrative
from cchc.reports.outlines.rules import Aggregate, compiled_sentence, sentence
from cchc.reports.outlines.spec import (
    AGG_SUM,
    UNIT_COUNT,
    UNIT_DONG,
    UNIT_PERCENT,
    Outline,
    OutlineFigure,
    fill_title,
)

ANNEX_COLUMNS = 5  # figure columns per annex table: a portrait page stays readable
PLACEHOLDER = "(Nội dung do đơn vị bổ sung.)"


@dataclass(frozen=True)
class OutlineDocumentData:
    outline: Outline
    context: Mapping[str, object]  # year, next_year, previous_year, period, unit
    period_range: str  # "từ ngày 15/12/2022 đến ngày 30/3/2023"
    values: Mapping[str, object]  # the unit's own figures, computed ones included
    narratives: Mapping[str, str]
    index_year: int | None = None
    plan_cite: str = ""  # "Kế hoạch số 645/KH-UBND ngày 30/12/2022 của UBND xã Đồng Tâm về …"
    # An upper unit: its last compilation (None for a unit that compiles nothing).
    compiled: Mapping[str, Aggregate] | None = None
    filed: Sequence[str] = ()
    missing: Sequence[str] = ()
    per_unit: Sequence[tuple[str, Mapping[str, object]]] = ()
    unit_word: str = "đơn vị"  # "xã" in "2/3 xã"
    compiled_at: dt.datetime | None = None
    extra_annexes: Sequence[Block] = field(default_factory=tuple)
    # Figure key -> "số liệu từ 21/11/2025": measured figures the data covers in part.
    notes: Mapping[str, str] = field(default_factory=dict)


def figure_note(data_notes: Mapping[str, str], fig: OutlineFigure) -> str:
    """A figure's coverage note; a percentage carries its numerator's or denominator's."""
    note = data_notes.get(fig.key, "")
    if not note and fig.is_computed:
        note = data_notes.get(fig.numerator or "", "") or data_notes.get(fig.denominator or "", "")
    return note


def _figure_sentence(data: OutlineDocumentData, fig: OutlineFigure) -> str:
    text = sentence(data.outline, fig, data.values)
    if fig.measure and fig.measure.startswith("index.") and data.index_year:
        # Seed 003 cites the 2022 index in its 2023 report: say which year it is.
        text = text.replace(fig.label, f"{fig.label} (Chỉ số CCHC năm {data.index_year})", 1)
    note = figure_note(data.notes, fig) if data.values.get(fig.key) is not None else ""
    if note:
        text = f"{text.removesuffix('.')} ({note})."
    return text


def _with_figure(text: str, fig: OutlineFigure, value: object, key: str) -> Paragraph:
    """The sentence with its number as a keyed Figure, so the file's snapshot traces it."""
    if value is None or fig.unit not in (UNIT_COUNT, UNIT_DONG, UNIT_PERCENT):
        return Paragraph.of(text)
    if fig.unit == UNIT_PERCENT:
        figure = Figure(Decimal(str(value)), 2, percent=True, key=key)
    else:
        suffix = " đồng" if fig.unit == UNIT_DONG else ""
        figure = Figure(int(value), 0, suffix=suffix, key=key)  # type: ignore[arg-type]
    before, found, after = text.partition(figure.text)
    if not found:
        return Paragraph.of(text)
    return Paragraph.of(*(p for p in (before, figure, after) if p != ""))


def _own_has_value(data: OutlineDocumentData, fig: OutlineFigure) -> bool:
    return data.values.get(fig.key) is not None


def build_outline_document(
    frame: Frame, data: OutlineDocumentData, *, kind: str = "BÁO CÁO"
) -> AdministrativeDocument:
    outline = data.outline
    title = fill_title(outline.title, data.context)
    body: list[Block] = []
    opening = (
        f"Thực hiện {data.plan_cite}, {frame.full_name} báo cáo"
        if data.plan_cite
        else f"{frame.full_name} báo cáo"
    )
    body.append(
        Paragraph.of(
            f"{opening} kết quả thực hiện công tác cải cách hành chính "
            f"(kỳ báo cáo {data.period_range}) như sau:"
        )
    )
    if data.compiled is not None:
        total = len(data.filed) + len(data.missing)
        line = f"Báo cáo tổng hợp từ báo cáo của {len(data.filed)}/{total} {data.unit_word} đã gửi"
        if data.missing:
            line += f"; chưa gửi báo cáo: {', '.join(data.missing)}"
        body.append(Paragraph.of(line + ".", italic=True))
    for depth, section in outline.walk():
        body.append(Heading(min(depth, 4), section.heading(**data.context)))
        own = [f for f in section.figures if _own_has_value(data, f)]
        if data.compiled is not None and section.figures:
            if own:
                body.append(Paragraph.of(f"* Đối với {frame.self_name}:", bold=True))
            body += [
                _with_figure(
                    _figure_sentence(data, f), f, data.values.get(f.key), f"outline.{f.key}"
                )
                for f in own
            ]
            units_line = f"* Đối với các {data.unit_word}"
            if data.missing:
                units_line += f" (chưa gửi báo cáo: {', '.join(data.missing)})"
            body.append(Paragraph.of(units_line + ":", bold=True))
            for fig in section.figures:
                agg = data.compiled.get(fig.key)
                if agg is not None:
                    body.append(
                        _with_figure(
                            compiled_sentence(
                                outline, fig, agg, unit_word=data.unit_word, name_missing=False
                            ),
                            fig,
                            agg.value if fig.aggregate != "count_units" else None,
                            f"outline.compiled.{fig.key}",
                        )
                    )
        else:
            body += [
                _with_figure(
                    _figure_sentence(data, f), f, data.values.get(f.key), f"outline.{f.key}"
                )
                for f in section.figures
            ]
        for block in section.narratives:
            text = data.narratives.get(block.key, "")
            if section.narratives and len(section.narratives) > 1 and text:
                body.append(Paragraph.of(f"{block.label}:", italic=True))
            if text or not section.figures:
                body += narrative(text, placeholder=PLACEHOLDER)
    doc = make_document(frame, kind=kind, title=(title,), body=body)
    annexes = annex_blocks(frame, data) if data.compiled is not None else []
    annexes += list(data.extra_annexes)
    if annexes:
        from dataclasses import replace

        doc = replace(doc, annexes=tuple(annexes))
    return doc


def annex_reference(frame: Frame) -> str:
    """'(Kèm theo Báo cáo số 12/BC-UBND ngày 20/3/2023 của UBND huyện Ninh Giang)'; before
    signing the number and date are left blank, as on the report itself."""
    number = frame.number or "\u00a0" * 6
    symbol = f"/{frame.symbol}" if frame.symbol else ""
    when = (
        f"ngày {vn_date(frame.date)}"
        if frame.date
        else f"ngày{chr(0xA0) * 4} tháng{chr(0xA0) * 4} năm {frame.year or ''}".rstrip()
    )
    return f"(Kèm theo Báo cáo số {number}{symbol} {when} của {frame.full_name})"


def _annex_figures(outline: Outline) -> list[OutlineFigure]:
    return [
        f
        for f in outline.figures()
        if f.unit in (UNIT_COUNT, UNIT_DONG, UNIT_PERCENT)
        and (f.is_computed or f.aggregate == AGG_SUM)
    ]


def _cell(fig: OutlineFigure, value: object, key: str) -> Cell:
    if value is None:
        return None
    if fig.unit == UNIT_PERCENT:
        # The column title says "(%)": cells print the number only, as the other reports'
        # tables do (a "%" sign in a flattened row reads as a sentence's share).
        return Figure(Decimal(str(value)), 2, key=key, trim=False)
    return Figure(int(value), 0, key=key)  # type: ignore[arg-type]


# Annex tables: a smaller type and a wider column for amounts in đồng, so neither a
# number ("23.348.000.000") nor a header word is cut across lines on a portrait page.
ANNEX_FONT_PT = 10
DONG_WIDTH = 2.2
COLUMN_WIDTH = 1.2


def _width(fig: OutlineFigure) -> float:
    return DONG_WIDTH if fig.unit == UNIT_DONG else COLUMN_WIDTH


def annex_chunks(figures: Sequence[OutlineFigure]) -> list[list[OutlineFigure]]:
    """The annex's figures in tables as wide as ANNEX_COLUMNS ordinary columns: a table
    with amounts in đồng takes fewer of them."""
    budget = ANNEX_COLUMNS * COLUMN_WIDTH + 1e-9
    chunks: list[list[OutlineFigure]] = []
    for fig in figures:
        if not chunks or sum(map(_width, chunks[-1])) + _width(fig) > budget:
            chunks.append([])
        chunks[-1].append(fig)
    return chunks


def annex_blocks(frame: Frame, data: OutlineDocumentData) -> list[Block]:
    """Phụ lục: each unit's figures, a row per unit (those that have not filed named and
    left empty, never zero), the total row being the compiled figure itself."""
    figures = _annex_figures(data.outline)
    if not figures or data.compiled is None:
        return []
    out: list[Block] = [
        Paragraph.of("Phụ lục", align="center", indent=False, bold=True),
        Paragraph.of(
            f"SỐ LIỆU CỦA CÁC {data.unit_word.upper()} THEO BÁO CÁO ĐÃ GỬI",
            align="center",
            indent=False,
            bold=True,
        ),
        Paragraph.of(annex_reference(frame), align="center", indent=False, italic=True),
    ]
    rows_units: list[tuple[str, Mapping[str, object] | None]] = [
        (name, values) for name, values in data.per_unit
    ] + [(name, None) for name in data.missing]
    for table_no, chunk in enumerate(annex_chunks(figures), start=1):
        columns = (
            Column("STT", "center", 0.7),
            Column("Đơn vị", "left", 2.2),
            *(
                Column(
                    f.label + (" (%)" if f.unit == UNIT_PERCENT else ""),
                    "right",
                    # an amount in đồng ("23.348.000.000") on one line, never cut
                    _width(f),
                )
                for f in chunk
            ),
        )
        rows: list[tuple[Cell, ...]] = []
        for number, (name, values) in enumerate(rows_units, start=1):
            label = name if values is not None else f"{name} (chưa gửi báo cáo)"
            cells = [
                _cell(f, values.get(f.key), f"annex.{name}.{f.key}") if values is not None else None
                for f in chunk
            ]
            rows.append((number, label, *cells))
        totals = (
            "",
            "Tổng cộng",
            *(
                _cell(f, data.compiled[f.key].value, f"annex.total.{f.key}")
                if f.key in data.compiled
                else None
                for f in chunk
            ),
        )
        out.append(
            Table(
                columns=columns,
                rows=tuple(rows),
                totals=totals,
                caption=f"Biểu {table_no}",
                font_size=ANNEX_FONT_PT,
                note=(
                    "Tỷ lệ của dòng tổng cộng tính từ tổng tử số và tổng mẫu số của các đơn vị có số liệu."
                    if any(f.unit == UNIT_PERCENT for f in chunk)
                    else ""
                ),
            )
        )
    return out
