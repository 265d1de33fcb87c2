"""`cchc check-report` on a PDF's pages: what the layout does to the text, not its figures.

Plain module: no Django import. Reads the words of each page with their boxes through
poppler's ``pdftotext -bbox-layout`` (installed with poppler-utils; without it these checks
are skipped, and say so nowhere but here). Poppler groups lines into blocks, which for a
report are its paragraphs, headings and table cells.

- ``keep_with_next``: a heading ("2.1. Cải cách thể chế") or a lead-in ("* Đối với cấp xã:",
  any paragraph of at most 100 characters ending with ":") is the last thing on a page while its content starts the
  next one. CCHC's writers keep both with what follows (Word: keep with next; PDF:
  ``break-after: avoid``).
- ``widow``: a paragraph's last line is one short word (at the margin, or centred as a
  caption's) under a full line (the PDF writer keeps the last two words together).
- ``short_line``: a paragraph breaks early: a short line at the margin or the indent (not a
  centred title line), then a full line of the same paragraph (at the left margin); WeasyPrint did this to a paragraph ending in a
  ``white-space: nowrap`` span.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from cchc.documents.document import LEAD_IN_MAX_CHARS

MSG_KEEP_HEADING = (
    "Đề mục «{text}» nằm ở dòng cuối trang {page}, nội dung của nó sang trang {next}: "
    "đề mục phải đi cùng trang với nội dung."
)
MSG_KEEP_LEAD_IN = (
    "Dòng dẫn «{text}» nằm ở cuối trang {page}, phần nó dẫn (bảng, danh sách) sang trang "
    "{next}: dòng dẫn phải đi cùng trang với phần được dẫn."
)
MSG_SHORT_LINE = (
    "Đoạn «{start}…» (trang {page}) xuống dòng sớm sau «{line}»: dòng sau vẫn là một dòng "
    "đầy của cùng đoạn."
)
MSG_WIDOW = (
    "Dòng cuối của đoạn chỉ có một từ «{word}» (trang {page}): nên để ít nhất hai từ ở dòng "
    "cuối của đoạn."
)

# "I.", "1.", "2.1.", "a)", "Phần thứ hai": the numbering of a report's headings.
HEADING_START = re.compile(r"^(Phần thứ\s|[IVX]+\.\s|\d+(\.\d+)*\.\s|[a-zđ]\)\s)")
_NS = "{http://www.w3.org/1999/xhtml}"
FULL_LINE = 0.85  # a line this share of the text width wide is a full (justified) line
SHORT_WORD = 0.2  # a widow: one word narrower than this share of the text width
EDGE_PT = 3.0  # points of slack at the text's left and right edges
INDENT_PT = 36.0  # a paragraph's first-line indent (12,7 mm); a centred line starts further


@dataclass(frozen=True)
class Line:
    words: tuple[str, ...]
    x0: float
    x1: float
    y1: float
    y0: float = 0.0

    @property
    def text(self) -> str:
        return " ".join(self.words)


@dataclass(frozen=True)
class Block:
    lines: tuple[Line, ...]

    @property
    def text(self) -> str:
        return " ".join(line.text for line in self.lines)

    @property
    def y1(self) -> float:
        return max(line.y1 for line in self.lines)


@dataclass(frozen=True)
class Page:
    number: int
    blocks: tuple[Block, ...]

    @property
    def left(self) -> float:
        return min((ln.x0 for b in self.blocks for ln in b.lines), default=0.0)

    @property
    def right(self) -> float:
        return max((ln.x1 for b in self.blocks for ln in b.lines), default=0.0)


@dataclass(frozen=True)
class LayoutIssue:
    kind: str  # "keep_with_next" | "widow" | "short_line"
    page: int
    text: str  # the heading, lead-in or paragraph
    printed: str  # the line as printed
    message: str


def available() -> bool:
    return shutil.which("pdftotext") is not None


def read_pages(path: str | Path) -> list[Page]:
    """Each page's blocks, lines and words (page numbers in the top margin left out)."""
    out = subprocess.run(
        ["pdftotext", "-bbox-layout", str(path), "-"],
        capture_output=True,
        check=True,
    ).stdout
    root = ET.fromstring(out)
    pages: list[Page] = []
    for number, page in enumerate(root.iter(f"{_NS}page"), start=1):
        blocks: list[Block] = []
        for block in page.iter(f"{_NS}block"):
            lines = []
            for line in block.iter(f"{_NS}line"):
                words = tuple((w.text or "") for w in line.iter(f"{_NS}word"))
                lines.append(
                    Line(
                        words,
                        float(line.get("xMin", 0)),
                        float(line.get("xMax", 0)),
                        float(line.get("yMax", 0)),
                        float(line.get("yMin", 0)),
                    )
                )
            if lines and not re.fullmatch(r"\d{1,3}", " ".join(ln.text for ln in lines)):
                blocks.append(Block(tuple(lines)))
        pages.append(Page(number, tuple(blocks)))
    return pages


def _is_heading(block: Block, page: Page) -> bool:
    width = page.right - page.left
    last = block.lines[-1]
    full = last.x1 - last.x0 >= FULL_LINE * width and last.x1 >= page.right - EDGE_PT
    text = block.text.rstrip()
    candidates = [text, last.text.rstrip()]
    return (
        not full
        and len(block.lines) <= 3
        and any(HEADING_START.match(c) and not c.endswith((".", ";", ",")) for c in candidates)
    )


def keep_with_next_issues(pages: list[Page]) -> list[LayoutIssue]:
    issues: list[LayoutIssue] = []
    for page, following in zip(pages, pages[1:], strict=False):
        if not page.blocks or not following.blocks:
            continue
        last = max(page.blocks, key=lambda b: b.y1)
        text = last.text.strip()
        if text.endswith(":") and len(text) <= LEAD_IN_MAX_CHARS:
            message = MSG_KEEP_LEAD_IN
        elif _is_heading(last, page):
            message = MSG_KEEP_HEADING
        else:
            continue
        issues.append(
            LayoutIssue(
                "keep_with_next",
                page.number,
                text,
                last.lines[-1].text,
                message.format(text=text, page=page.number, next=following.number),
            )
        )
    return issues


def _line_pairs(page: Page) -> list[tuple[Block, Line, Line]]:
    """Each line with the line printed right under it (the next baseline one line height
    down): poppler may put a paragraph's last line in a block of its own."""
    lines = [(block, line) for block in page.blocks for line in block.lines]
    pairs = []
    for (block, above), (_, line) in zip(lines, lines[1:], strict=False):
        height = above.y1 - above.y0
        if 0 < line.y1 - above.y1 <= 1.6 * height:
            pairs.append((block, above, line))
    return pairs


def widow_issues(pages: list[Page]) -> list[LayoutIssue]:
    issues: list[LayoutIssue] = []
    for page in pages:
        width = page.right - page.left
        if width <= 0:
            continue
        for block, above, line in _line_pairs(page):
            full = above.x1 - above.x0 >= FULL_LINE * width
            centred = abs((line.x0 + line.x1) / 2 - (page.left + page.right) / 2) <= 2 * EDGE_PT
            alone = (
                len(line.text.split()) == 1
                and (line.x0 <= page.left + EDGE_PT or centred)
                and line.x1 - line.x0 < SHORT_WORD * width
                and not above.text.rstrip().endswith((".", ":", ";"))
            )
            below_full = line.x1 - line.x0 >= FULL_LINE * width and line.x0 <= page.left + EDGE_PT
            if (
                below_full
                and above.x0 <= page.left + INDENT_PT + EDGE_PT  # not centred: a body line
                and above.x1 - above.x0 < 0.5 * width
                and not above.text.rstrip().endswith((".", ":", ";"))
            ):
                issues.append(
                    LayoutIssue(
                        "short_line",
                        page.number,
                        block.text,
                        above.text,
                        MSG_SHORT_LINE.format(
                            start=" ".join(block.text.split()[:6]),
                            page=page.number,
                            line=above.text,
                        ),
                    )
                )
            if full and alone:
                issues.append(
                    LayoutIssue(
                        "widow",
                        page.number,
                        block.text,
                        line.text,
                        MSG_WIDOW.format(word=line.text, page=page.number),
                    )
                )
    return issues


def layout_issues(path: str | Path) -> list[LayoutIssue]:
    """Every layout finding of a PDF, in page order; none when poppler is not installed."""
    if not available():
        return []
    pages = read_pages(path)
    issues = keep_with_next_issues(pages) + widow_issues(pages)
    return sorted(issues, key=lambda i: i.page)
