"""An administrative document as plain data, laid out per Nghị định 30/2020/NĐ-CP.

The report builders fill an ``AdministrativeDocument``; ``docx_writer`` and ``pdf_writer``
print it. Nothing here knows about Django or about a particular report: figures arrive
already computed (``Figure`` marks a figure the officer may not edit), narrative arrives as
text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from cchc.core.formatting import vn_date_long, vn_number, vn_percent

Align = Literal["left", "center", "right", "justify"]
ChartKind = Literal["bar", "hbar", "radar", "line"]
CHART_KINDS: tuple[str, ...] = ("bar", "hbar", "radar", "line")

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"
RECIPIENTS_LABEL = "Nơi nhận:"
# A paragraph this short ending with ":" is a lead-in ("* Đối với các xã, thị trấn (chưa gửi
# báo cáo: Xã Hưng Thái):"): at most two lines of body text.
LEAD_IN_MAX_CHARS = 100

ERR_HEADING_LEVEL = "Cấp đề mục phải từ 1 đến 4."
ERR_ROW_WIDTH = "Dòng {row} của bảng có {got} ô, bảng có {expected} cột."
ERR_GROUP_SPAN = "Tổng số cột của các nhóm tiêu đề ({got}) khác số cột của bảng ({expected})."
ERR_CHART_KIND = "Loại biểu đồ không hợp lệ: {kind}."
ERR_SERIES_LENGTH = "Dãy số liệu «{name}» có {got} giá trị, biểu đồ có {expected} nhãn."
ERR_RADAR_CATEGORIES = "Biểu đồ radar cần ít nhất 3 nhãn."


class DocumentError(ValueError):
    """A document that cannot be laid out; ``code`` names the rule, ``where`` the block."""

    def __init__(self, message: str, *, code: str, where: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.where = where


# ---------------------------------------------------------------- inline content


@dataclass(frozen=True)
class Figure:
    """A figure computed from stored data, printed the Vietnamese way and locked in the editor.

    ``key`` names where the figure comes from (``"total_score"``, ``"dossiers.received"``),
    so the editor can show it read-only and a test can trace it back.
    """

    value: Decimal | int | None
    places: int | None = 2
    percent: bool = False
    suffix: str = ""
    key: str = ""
    trim: bool = True  # False keeps trailing zeros: an index prints 83,30%

    @property
    def text(self) -> str:
        if self.percent:
            places = self.places if self.places is not None else 2
            if self.trim or self.value is None:
                return vn_percent(self.value, places)
            return vn_number(self.value, places, trim=False) + "%"
        return vn_number(self.value, self.places, trim=self.trim) + self.suffix


Inline = str | Figure


def inline_text(part: Inline) -> str:
    return part.text if isinstance(part, Figure) else part


# ---------------------------------------------------------------- blocks


@dataclass(frozen=True)
class Heading:
    """A section title ("I. KẾT QUẢ ...", "1. Kết quả đạt được", "2.1. Ưu điểm")."""

    level: int
    text: str

    def __post_init__(self) -> None:
        if not 1 <= self.level <= 4:
            raise DocumentError(ERR_HEADING_LEVEL, code="heading_level", where=self.text)


@dataclass(frozen=True)
class Paragraph:
    """Body text; ``parts`` mixes narrative strings and locked ``Figure``s."""

    parts: tuple[Inline, ...]
    align: Align = "justify"
    indent: bool = True
    bold: bool = False
    italic: bool = False
    # A lead-in ("* Đối với cấp xã:") stays on the page of what it introduces; a short
    # paragraph ending with ":" is one by default (``lead_in``).
    keep_with_next: bool = False

    @classmethod
    def of(cls, *parts: Inline, **options: object) -> Paragraph:
        return cls(tuple(parts), **options)  # type: ignore[arg-type]

    @property
    def text(self) -> str:
        return "".join(inline_text(p) for p in self.parts)

    @property
    def figures(self) -> tuple[Figure, ...]:
        return tuple(p for p in self.parts if isinstance(p, Figure))

    @property
    def lead_in(self) -> bool:
        """Never the last line of a page with its content on the next one (a heading's rule).

        A long paragraph ending with ":" ("… như sau:") is not one: kept with a table that
        cannot split, it would leave most of a page empty."""
        text = self.text.rstrip()
        return self.keep_with_next or (text.endswith(":") and len(text) <= LEAD_IN_MAX_CHARS)


Cell = str | int | Decimal | Figure | None


@dataclass(frozen=True)
class Column:
    """A table column. ``width`` is a relative weight; ``places`` rounds Decimal cells and
    ``trim=False`` keeps their trailing zeros so a column of shares lines up (95,00)."""

    title: str
    align: Align = "left"
    width: float = 1.0
    places: int | None = 2
    trim: bool = True


@dataclass(frozen=True)
class HeaderGroup:
    """A header cell spanning ``span`` columns above their titles; ``title=""`` for none."""

    title: str
    span: int = 1


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    groups: tuple[HeaderGroup, ...] = ()
    totals: tuple[Cell, ...] | None = None
    caption: str = ""
    note: str = ""
    font_size: float | None = None

    def __post_init__(self) -> None:
        expected = len(self.columns)
        rows = list(self.rows) + ([self.totals] if self.totals is not None else [])
        for number, row in enumerate(rows, start=1):
            if len(row) != expected:
                raise DocumentError(
                    ERR_ROW_WIDTH.format(row=number, got=len(row), expected=expected),
                    code="row_width",
                    where=self.caption,
                )
        if self.groups:
            spans = sum(g.span for g in self.groups)
            if spans != expected:
                raise DocumentError(
                    ERR_GROUP_SPAN.format(got=spans, expected=expected),
                    code="group_span",
                    where=self.caption,
                )

    def cell_text(self, column: int, value: Cell) -> str:
        spec = self.columns[column]
        return format_cell(value, spec.places, trim=spec.trim)

    def body_texts(self) -> list[list[str]]:
        return [[self.cell_text(i, v) for i, v in enumerate(row)] for row in self.rows]

    def totals_texts(self) -> list[str] | None:
        if self.totals is None:
            return None
        return [self.cell_text(i, v) for i, v in enumerate(self.totals)]

    def header_layout(self) -> list[list[HeaderCellLayout]]:
        """Header rows with spans, the same for HTML and DOCX.

        Without groups: one row of column titles. With groups: a grouped column prints its
        group title on the first row and its own title on the second; an ungrouped column
        (group title "") prints its title once, spanning both rows.
        """
        if not self.groups:
            return [[HeaderCellLayout(c.title, i, 1, 1) for i, c in enumerate(self.columns)]]
        top: list[HeaderCellLayout] = []
        bottom: list[HeaderCellLayout] = []
        start = 0
        for group in self.groups:
            if group.title:
                top.append(HeaderCellLayout(group.title, start, group.span, 1))
                for i in range(start, start + group.span):
                    bottom.append(HeaderCellLayout(self.columns[i].title, i, 1, 1))
            else:
                for i in range(start, start + group.span):
                    top.append(HeaderCellLayout(self.columns[i].title, i, 1, 2))
            start += group.span
        return [top, bottom]


@dataclass(frozen=True)
class HeaderCellLayout:
    text: str
    column: int
    colspan: int
    rowspan: int


def format_cell(value: Cell, places: int | None = 2, *, trim: bool = True) -> str:
    """Decimal/int cells print the Vietnamese way (87,75; 1.086); None prints '–'."""
    if isinstance(value, Figure):
        return value.text
    if isinstance(value, str):
        return value
    if isinstance(value, bool):  # bool is an int; a table never means True as 1
        return "Có" if value else "Không"
    return vn_number(value, places, trim=trim)


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[Decimal | int | None, ...]


@dataclass(frozen=True)
class Chart:
    """A chart of one or more series over ``categories``.

    bar: component percentages; hbar: a ranking (``highlight`` marks the unit reported on);
    radar: component percentages around a circle; line: a monthly trend.
    """

    kind: ChartKind
    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    value_label: str = ""
    max_value: Decimal | int | None = None
    percent: bool = False
    places: int = 2
    highlight: str | None = None
    caption: str = ""
    width_cm: float = 16.0
    height_cm: float = 9.0

    def __post_init__(self) -> None:
        if self.kind not in CHART_KINDS:
            raise DocumentError(ERR_CHART_KIND.format(kind=self.kind), code="chart_kind")
        for s in self.series:
            if len(s.values) != len(self.categories):
                raise DocumentError(
                    ERR_SERIES_LENGTH.format(
                        name=s.name, got=len(s.values), expected=len(self.categories)
                    ),
                    code="series_length",
                    where=self.title,
                )
        if self.kind == "radar" and len(self.categories) < 3:
            raise DocumentError(ERR_RADAR_CATEGORIES, code="radar_categories", where=self.title)


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Heading | Paragraph | Table | Chart | PageBreak


# ---------------------------------------------------------------- frame


@dataclass(frozen=True)
class Signature:
    """Signature block, ND 30/2020 Phụ lục I mục 8: authority (TM., KT., Q., TL., TUQ.),
    position, then the signer's name. ``authority`` may hold two lines (TM. ... / KT. ...)."""

    authority: tuple[str, ...] = ()
    title: str = ""
    name: str = ""
    note: str = ""  # e.g. "(Đã ký)" on a copy made from the signed original


@dataclass(frozen=True)
class PageLayout:
    """A4 and margins in mm; ND 30/2020 Phụ lục I: top and bottom 20–25, left 30–35,
    right 15–20; Times New Roman 13–14 pt."""

    width_mm: float = 210.0
    height_mm: float = 297.0
    top_mm: float = 20.0
    bottom_mm: float = 20.0
    left_mm: float = 30.0
    right_mm: float = 20.0
    font_size: float = 14.0
    table_font_size: float = 12.0
    line_spacing: float = 1.15
    first_line_indent_mm: float = 12.7

    @property
    def text_width_mm(self) -> float:
        return self.width_mm - self.left_mm - self.right_mm


@dataclass(frozen=True)
class AdministrativeDocument:
    issuer: tuple[str, ...]
    kind: str
    title: tuple[str, ...]
    body: tuple[Block, ...]
    place: str
    date: dt.date | None = None
    year: int | None = None
    issuer_parent: tuple[str, ...] = ()
    number: str | None = None
    symbol: str = ""
    recipients: tuple[str, ...] = ()
    archive: str = "VT"
    signature: Signature = field(default_factory=Signature)
    layout: PageLayout = field(default_factory=PageLayout)
    author: str = ""
    show_number: bool = True  # False for a statistics form, which has no number/symbol
    # Annexes (phụ lục) printed after the signature block, from a new page.
    annexes: tuple[Block, ...] = ()

    @property
    def number_line(self) -> str:
        """ "Số: 12/BC-UBND"; left blank before signing ("Số:      /BC-UBND")."""
        if not self.show_number:
            return ""
        number = self.number if self.number else "\u00a0" * 6
        if not self.symbol:
            return f"Số: {number}"
        return f"Số: {number}/{self.symbol}"

    @property
    def place_date_line(self) -> str:
        return place_date(self.place, self.date, year=self.year)

    @property
    def recipient_lines(self) -> tuple[str, ...]:
        return recipient_lines(self.recipients, self.archive)

    @property
    def full_title(self) -> str:
        return " ".join((self.kind, *self.title))


def place_date(place: str, date: dt.date | None, *, year: int | None = None) -> str:
    """ "Đồng Tâm, ngày 20 tháng 3 năm 2023".

    ND 30/2020 Phụ lục I mục 4: days below 10 and months 1 and 2 take a leading zero
    (ngày 05 tháng 02), the rule of every date CCHC prints (cchc.core.formatting.vn_date_long).
    Without a date (to be filled at signing) the day and month stay blank.
    """
    if date is None:
        blank = "\u00a0" * 4
        return f"{place}, ngày{blank} tháng{blank} năm {year if year else ''}".rstrip()
    return f"{place}, {vn_date_long(date)}"


def recipient_lines(recipients: tuple[str, ...], archive: str = "VT") -> tuple[str, ...]:
    """ND 30/2020 Phụ lục I mục 9: each line starts with "-" and ends with ";", the last one
    is "- Lưu: VT, ..." ending with "."."""
    lines = []
    for raw in recipients:
        text = raw.strip().lstrip("-+ ").rstrip(" ;.,")
        if text:
            lines.append(f"- {text};")
    archive_text = archive.strip().rstrip(".")
    if not archive_text.lower().startswith("lưu"):
        archive_text = f"Lưu: {archive_text}"
    lines.append(f"- {archive_text}.")
    return tuple(lines)


def plain_text(doc: AdministrativeDocument) -> str:
    """The document as text, in reading order; for search, checks and tests."""
    out: list[str] = [*doc.issuer_parent, *doc.issuer, doc.number_line]
    out += [NATIONAL_NAME, NATIONAL_MOTTO, doc.place_date_line, doc.kind, *doc.title]
    out += _blocks_text(doc.body)
    out += [RECIPIENTS_LABEL, *doc.recipient_lines]
    sig = doc.signature
    out += [*sig.authority, sig.title, sig.note, sig.name]
    out += _blocks_text(doc.annexes)
    return "\n".join(line for line in out if line)


def _blocks_text(blocks: tuple[Block, ...]) -> list[str]:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Heading | Paragraph):
            out.append(block.text)
        elif isinstance(block, Table):
            if block.caption:
                out.append(block.caption)
            for row in block.header_layout():
                out.append("\t".join(c.text for c in row))
            out += ["\t".join(r) for r in block.body_texts()]
            totals = block.totals_texts()
            if totals:
                out.append("\t".join(totals))
            if block.note:
                out.append(block.note)
        elif isinstance(block, Chart):
            out.append(block.title)
    return out
