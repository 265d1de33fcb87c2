"""Text of a report as lines with where each came from (line, DOCX paragraph or table row, PDF page).

Plain module: no Django import. DOCX through python-docx, PDF through pypdf (its text layer;
a scanned PDF without one yields no lines), anything else is read as UTF-8 text.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

UNSUPPORTED_FILE = "Không đọc được tệp {name}: chỉ nhận DOCX, PDF hoặc văn bản thuần (TXT)."
EMPTY_PDF = "Tệp PDF {name} không có lớp chữ (bản quét?): không có số liệu nào để kiểm tra."


class ReportReadError(Exception):
    """A file the checker cannot read; `code` names the reason for callers."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Location:
    """Where a sentence starts: a text line, a DOCX paragraph or table row, a PDF page line."""

    line: int | None = None
    paragraph: int | None = None
    page: int | None = None
    table: int | None = None
    row: int | None = None

    def label(self) -> str:
        parts = []
        if self.page is not None:
            parts.append(f"trang {self.page}")
        if self.table is not None:
            parts.append(f"bảng {self.table}, hàng {self.row}")
        if self.paragraph is not None:
            parts.append(f"đoạn {self.paragraph}")
        if self.line is not None:
            parts.append(f"dòng {self.line}")
        return ", ".join(parts) or "không rõ vị trí"


@dataclass(frozen=True)
class SourceLine:
    text: str
    location: Location
    # DOCX paragraphs and table rows are whole paragraphs already; text and PDF lines are
    # wrapped and must be joined back into paragraphs by the checker.
    whole_paragraph: bool = False


def text_lines(text: str) -> list[SourceLine]:
    return [SourceLine(t, Location(line=i)) for i, t in enumerate(text.splitlines(), start=1)]


def docx_lines(path: str | Path) -> list[SourceLine]:
    import docx  # python-docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(path))
    out: list[SourceLine] = []
    paragraph_no = 0
    table_no = 0
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            paragraph_no += 1
            out.append(SourceLine(block.text, Location(paragraph=paragraph_no), True))
        elif isinstance(block, Table):
            table_no += 1
            for row_no, row in enumerate(block.rows, start=1):
                cells: list[str] = []
                for cell in row.cells:
                    if not cells or cells[-1] != cell.text:  # merged cells repeat
                        cells.append(cell.text)
                loc = Location(table=table_no, row=row_no)
                out.append(SourceLine(" | ".join(cells), loc, True))
    return out


def pdf_lines(path: str | Path) -> list[SourceLine]:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    out: list[SourceLine] = []
    for page_no, page in enumerate(reader.pages, start=1):
        text = page.extract_text() or ""
        for line_no, line in enumerate(text.splitlines(), start=1):
            out.append(SourceLine(line, Location(page=page_no, line=line_no)))
        out.append(SourceLine("", Location(page=page_no)))
    if not any(line.text.strip() for line in out):
        raise ReportReadError("pdf_no_text", EMPTY_PDF.format(name=Path(path).name))
    return out


def read_lines(path: str | Path) -> list[SourceLine]:
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".docx":
        return docx_lines(p)
    if suffix == ".pdf":
        return pdf_lines(p)
    try:
        return text_lines(p.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ReportReadError("unsupported", UNSUPPORTED_FILE.format(name=p.name)) from exc
