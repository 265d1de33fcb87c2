"""Pieces every report builder uses: the document frame (issuer, number, place and date,
recipients, signature), narrative text as paragraphs, figures and the way changes are said.

Plain module: no Django import. Builders receive plain data and return an
``AdministrativeDocument`` whose every number is a ``Figure`` or a table cell computed
from the data they were given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from cchc.documents.document import (
    AdministrativeDocument,
    Block,
    Figure,
    Inline,
    PageLayout,
    Paragraph,
    Signature,
    Table,
)
from cchc.reports.wording import POINTS_OF_PERCENT

PLACEHOLDER = "(Nội dung do đơn vị bổ sung.)"

# A table on a landscape page (long ranking tables, the statistics form). The margins are
# the law's for every page (ND 30/2020 Phụ lục I: top and bottom 20–25, left 30–35, right
# 15–20 mm), landscape included.
LANDSCAPE = PageLayout(
    width_mm=297.0,
    height_mm=210.0,
    top_mm=20.0,
    bottom_mm=20.0,
    left_mm=30.0,
    right_mm=15.0,
    font_size=13.0,
    table_font_size=10.0,
)


@dataclass(frozen=True)
class Frame:
    """Everything around the body: who issues, number and symbol, place and date, Nơi nhận,
    who signs. Built by the caller from the unit and the Report row."""

    unit_name: str
    unit_kind: str
    issuer: tuple[str, ...]
    issuer_parent: tuple[str, ...] = ()
    level_word: str = "xã"  # "Ủy ban nhân dân xã báo cáo ..."
    place: str = ""
    date: dt.date | None = None
    year: int | None = None
    number: str | None = None
    symbol: str = ""
    recipients: tuple[str, ...] = ()
    archive: str = "VT"
    signature: Signature = field(default_factory=Signature)
    author: str = ""

    @property
    def self_name(self) -> str:
        """How the unit names itself in its own text: 'UBND xã', 'UBND tỉnh', 'Sở Nội vụ'."""
        return f"UBND {self.level_word}" if self.level_word else self.unit_name

    @property
    def full_name(self) -> str:
        """'UBND xã Ninh Giang'; a department by its own name."""
        return f"UBND {self.level_word} {self.place}" if self.level_word else self.unit_name


def make_document(
    frame: Frame,
    *,
    kind: str,
    title: tuple[str, ...],
    body: Iterable[Block],
    layout: PageLayout | None = None,
) -> AdministrativeDocument:
    return AdministrativeDocument(
        issuer_parent=frame.issuer_parent,
        issuer=frame.issuer,
        number=frame.number or None,
        symbol=frame.symbol,
        place=frame.place,
        date=frame.date,
        year=frame.year,
        kind=kind,
        title=title,
        body=tuple(body),
        recipients=frame.recipients,
        archive=frame.archive,
        signature=frame.signature,
        layout=layout or PageLayout(),
        author=frame.author or frame.unit_name,
    )


class Numbering:
    """The running numbers of a report's tables or charts: ``next(text)`` is the caption
    "Bảng 1. text", then "Bảng 2. …"."""

    def __init__(self, word: str) -> None:
        self.word = word
        self.n = 0

    def next(self, text: str) -> str:
        self.n += 1
        return f"{self.word} {self.n}. {text}"


def narrative(text: str | None, *, placeholder: str = PLACEHOLDER) -> list[Paragraph]:
    """The officer's text, one paragraph per non-empty line; an italic placeholder when empty."""
    lines = [line.strip() for line in (text or "").replace("\r", "").split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        return [Paragraph.of(placeholder, italic=True)]
    return [Paragraph.of(line) for line in lines]


# ------------------------------------------------------------------- figures


def count(value: int | None, key: str) -> Figure:
    """A count of dossiers, units, people: 1.086."""
    return Figure(value, 0, key=key)


def points(value: Decimal | int | None, key: str, places: int = 2) -> Figure:
    """Points: 87,75; 6; 1,577 (places=3 for tables that print three decimals)."""
    return Figure(value, places, key=key)


def share(value: Decimal | None, key: str) -> Figure:
    """A percentage: 88,25%; 'không có số liệu' without a denominator."""
    return Figure(value, 2, percent=True, key=key)


def rate_parts(value: Decimal | None, key: str) -> list[Inline]:
    """'đạt 88,25%', or 'chưa có số liệu để tính tỷ lệ' when the denominator is 0."""
    if value is None:
        return ["chưa có số liệu để tính tỷ lệ"]
    return ["đạt ", share(value, key)]


def change_parts(
    delta: Decimal | int | None, key: str, *, unit: str, places: int = 2
) -> list[Inline]:
    """'tăng 20,11 điểm phần trăm' with the amount as a Figure (never a typed number)."""
    if delta is None:
        return ["không so sánh được"]
    if delta == 0:
        return ["không thay đổi"]
    word = "tăng " if delta > 0 else "giảm "
    return [word, Figure(abs(delta), places, key=key), f" {unit}"]


def pp_change_parts(delta: Decimal | None, key: str) -> list[Inline]:
    """A change between two percentages, in percentage points (điểm phần trăm)."""
    return change_parts(delta, key, unit=POINTS_OF_PERCENT)


def names_list(names: Iterable[str]) -> str:
    """'A, B và C' as seed 004 lists units."""
    items = list(names)
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " và " + items[-1]


# ------------------------------------------------------------------- figures snapshot


def _plain(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    return value


def snapshot(doc: AdministrativeDocument) -> dict[str, object]:
    """What a generated file printed, as data: every keyed figure {key: value} and every
    table as its printed cells; a ReportFile keeps it so a printed number can always be
    traced to the data it came from."""
    figures: dict[str, object] = {}
    tables: list[dict[str, object]] = []
    for block in (*doc.body, *doc.annexes):
        if isinstance(block, Paragraph):
            for fig in block.figures:
                if fig.key:
                    figures[fig.key] = _plain(fig.value)
        elif isinstance(block, Table):
            rows = list(block.rows) + ([block.totals] if block.totals is not None else [])
            for row in rows:
                for cell in row:
                    if isinstance(cell, Figure) and cell.key:
                        figures[cell.key] = _plain(cell.value)
            body = block.body_texts()
            totals = block.totals_texts()
            tables.append(
                {
                    "caption": block.caption,
                    "columns": [c.title for c in block.columns],
                    "rows": body + ([totals] if totals else []),
                }
            )
    return {"figures": figures, "tables": tables}
