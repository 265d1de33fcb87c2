"""Write an ``AdministrativeDocument`` as DOCX (A4) laid out per Nghị định 30/2020/NĐ-CP.

Sizes follow ND 30/2020 Phụ lục I: Times New Roman; issuer and national name 12–13 pt
upright caps (issuer bold), motto 13–14 pt bold; place and date italic; kind and title
bold centred; body 13–14 pt justified with a first-line indent; "Nơi nhận:" 12 pt bold
italic and its list 11 pt; page numbers centred in the top margin from page 2 on.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import IO

from docx import Document as new_docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from cchc.documents import charts
from cchc.documents.document import (
    NATIONAL_MOTTO,
    NATIONAL_NAME,
    RECIPIENTS_LABEL,
    AdministrativeDocument,
    Align,
    Chart,
    Heading,
    PageBreak,
    Paragraph,
    Table,
    inline_text,
)

FONT_NAME = "Times New Roman"
HEADER_LEFT_CM = 6.4  # issuer column; the rest of the text width holds the national name

_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


def write_docx(doc: AdministrativeDocument, target: str | Path | IO[bytes]) -> None:
    """Write ``doc`` to a path or a binary file object."""
    build_docx(doc).save(target)


def docx_bytes(doc: AdministrativeDocument) -> bytes:
    buf = io.BytesIO()
    write_docx(doc, buf)
    return buf.getvalue()


def build_docx(doc: AdministrativeDocument) -> DocxDocument:
    out = new_docx()
    _setup_page(out, doc)
    _header(out, doc)
    _title(out, doc)
    _blocks(out, doc, doc.body)
    _closing(out, doc)
    if doc.annexes:
        # Annexes follow the signature block, from a new page.
        out.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _blocks(out, doc, doc.annexes)
    props = out.core_properties
    props.title = doc.full_title
    props.author = doc.author or (doc.issuer[-1] if doc.issuer else "")
    props.language = "vi-VN"
    return out


def _blocks(out: DocxDocument, doc: AdministrativeDocument, blocks: tuple) -> None:
    for block in blocks:
        if isinstance(block, Heading):
            _heading(out, doc, block)
        elif isinstance(block, Paragraph):
            _paragraph(out, doc, block)
        elif isinstance(block, Table):
            _table(out, doc, block)
        elif isinstance(block, Chart):
            _chart(out, doc, block)
        elif isinstance(block, PageBreak):
            out.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


# ---------------------------------------------------------------- page and fonts


def _setup_page(out: DocxDocument, doc: AdministrativeDocument) -> None:
    layout = doc.layout
    section = out.sections[0]
    # python-docx's template is US Letter; ND 30/2020 requires A4.
    # A wide table (a statistics form, a ranking) may be laid out on a landscape page.
    landscape = layout.width_mm > layout.height_mm
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width = Mm(layout.width_mm)
    section.page_height = Mm(layout.height_mm)
    section.top_margin = Mm(layout.top_mm)
    section.bottom_margin = Mm(layout.bottom_mm)
    section.left_margin = Mm(layout.left_mm)
    section.right_margin = Mm(layout.right_mm)
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)
    # ND 30/2020 Phụ lục I mục 1.3: no number on the first page.
    section.different_first_page_header_footer = True
    header_par = section.header.paragraphs[0]
    header_par.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_field(header_par, layout.font_size)

    normal = out.styles["Normal"]
    normal.font.name = FONT_NAME
    normal.font.size = Pt(layout.font_size)
    _east_asian_font(normal.element)
    fmt = normal.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(6)
    fmt.line_spacing = layout.line_spacing
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "vi-VN")
    normal.element.get_or_add_rPr().append(lang)


def _east_asian_font(element: object) -> None:
    rpr = element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT_NAME)


def _page_field(par: DocxParagraph, size: float) -> None:
    run = par.add_run()
    run.font.size = Pt(size)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)


def _run(
    par: DocxParagraph,
    text: str,
    *,
    size: float | None = None,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
) -> None:
    run = par.add_run(text)
    run.font.name = FONT_NAME
    _east_asian_font(run._r)
    if size is not None:
        run.font.size = Pt(size)
    run.bold = bold or None
    run.italic = italic or None
    run.underline = underline or None


def _tight(par: DocxParagraph, align: str = "center", after: float = 0) -> DocxParagraph:
    par.alignment = _ALIGN[align]
    fmt = par.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(after)
    fmt.line_spacing = 1.0
    fmt.first_line_indent = Cm(0)
    return par


def _lines_into(
    cell: _Cell,
    lines: tuple[str, ...] | list[str],
    *,
    size: float,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    align: str = "center",
    first: bool = False,
) -> None:
    for i, line in enumerate(lines):
        par = cell.paragraphs[0] if first and i == 0 else cell.add_paragraph()
        _tight(par, align)
        _run(par, line, size=size, bold=bold, italic=italic, underline=underline)


def _short_rule(cell_or_doc: _Cell | DocxDocument, width_cm: float, line_cm: float) -> None:
    """A centred horizontal line ``line_cm`` long: ND 30/2020 draws one under the issuer
    (1/3 to 1/2 of the name's length) and under the title. A paragraph border clipped by
    equal side indents draws it without a drawing object, in Word and LibreOffice alike."""
    par = cell_or_doc.add_paragraph()
    _tight(par, "center", after=0)
    par.paragraph_format.space_before = Pt(2)  # clear of the descenders above
    side = max((width_cm - line_cm) / 2, 0)
    par.paragraph_format.left_indent = Cm(side)
    par.paragraph_format.right_indent = Cm(side)
    run = par.add_run()
    run.font.size = Pt(2)
    p_pr = par._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    p_pr.append(borders)
    # Word ignores a font size on an empty paragraph's mark; set it on the mark too.
    r_pr = OxmlElement("w:rPr")
    sz = OxmlElement("w:sz")
    sz.set(qn("w:val"), "4")
    r_pr.append(sz)
    p_pr.append(r_pr)


def _no_borders(table: DocxTable) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def _widths(table: DocxTable, widths_cm: list[float]) -> None:
    """Fixed column widths in both the grid (LibreOffice reads it) and each cell (Word)."""
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths_cm, strict=True):
        col.set(qn("w:w"), str(int(Cm(width).twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)


CELL_SIDE_MM = 1.4  # a data table's cell padding left and right, as the PDF's 4 pt


def _cell_margins(table: DocxTable, side_mm: float) -> None:
    """Left and right cell padding (Word's default is 1.9 mm): a number column of 14.5 mm
    keeps 11.7 mm for "22.725" at 10,5 pt, the same room as in the PDF."""
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), str(int(Mm(side_mm).twips)))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    table._tbl.tblPr.append(margins)


def _two_columns(out: DocxDocument, left_cm: float, right_cm: float) -> DocxTable:
    table = out.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(table)
    # No side padding, so the header uses the full text width as the PDF does.
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), "0")
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    table._tbl.tblPr.append(margins)
    _row_flags(table.rows[0], header=False)
    _widths(table, [left_cm, right_cm])
    return table


# ---------------------------------------------------------------- frame


def _header(out: DocxDocument, doc: AdministrativeDocument) -> None:
    width = doc.layout.text_width_mm / 10
    left_cm = HEADER_LEFT_CM
    right_cm = width - left_cm
    table = _two_columns(out, left_cm, right_cm)
    left, right = table.rows[0].cells
    for cell in (left, right):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP

    _lines_into(left, doc.issuer_parent, size=12.5, first=True)
    _lines_into(left, doc.issuer, size=12.5, bold=True, first=not doc.issuer_parent)
    longest = max((len(s) for s in doc.issuer), default=10)
    _short_rule(left, left_cm, min(max(longest * 0.11, 1.5), left_cm / 2))
    number = left.add_paragraph()
    _tight(number, "center")
    number.paragraph_format.space_before = Pt(6)
    _run(number, doc.number_line, size=13)

    _lines_into(right, [NATIONAL_NAME], size=12, bold=True, first=True)
    _lines_into(right, [NATIONAL_MOTTO], size=13, bold=True, underline=True)
    place = right.add_paragraph()
    _tight(place, "center")
    place.paragraph_format.space_before = Pt(12)
    _run(place, doc.place_date_line, size=13, italic=True)


def _title(out: DocxDocument, doc: AdministrativeDocument) -> None:
    size = doc.layout.font_size
    kind = _tight(out.add_paragraph(), "center")
    kind.paragraph_format.space_before = Pt(18)
    _run(kind, doc.kind, size=size, bold=True)
    for line in doc.title:
        par = _tight(out.add_paragraph(), "center")
        _run(par, line, size=size, bold=True)
    width = doc.layout.text_width_mm / 10
    _short_rule(out, width, 3.5)
    spacer = _tight(out.add_paragraph(), "center", after=6)
    spacer.paragraph_format.line_spacing = Pt(6)


def _closing(out: DocxDocument, doc: AdministrativeDocument) -> None:
    # The signature never stands alone on a page: the last paragraph goes with it.
    last = out.paragraphs[-1] if out.paragraphs else None
    if last is not None and last.text:
        last.paragraph_format.keep_with_next = True
    width = doc.layout.text_width_mm / 10
    table = _two_columns(out, width * 0.47, width * 0.53)
    left, right = table.rows[0].cells
    first = _tight(left.paragraphs[0], "left")
    first.paragraph_format.space_before = Pt(6)
    _run(first, RECIPIENTS_LABEL, size=12, bold=True, italic=True)
    _lines_into(left, list(doc.recipient_lines), size=11, align="left")

    sig = doc.signature
    size = doc.layout.font_size
    top = _tight(right.paragraphs[0], "center")
    top.paragraph_format.space_before = Pt(6)
    authority = list(sig.authority)
    if authority:
        _run(top, authority[0], size=size, bold=True)
        _lines_into(right, authority[1:], size=size, bold=True)
        _lines_into(right, [sig.title] if sig.title else [], size=size, bold=True)
    elif sig.title:
        _run(top, sig.title, size=size, bold=True)
    if sig.note:
        _lines_into(right, [sig.note], size=size, italic=True)
    name = _tight(right.add_paragraph(), "center")
    # Room for the signature and the seal.
    name.paragraph_format.space_before = Pt(72 if not sig.note else 36)
    _run(name, sig.name, size=size, bold=True)


# ---------------------------------------------------------------- body


def _body_par(out: DocxDocument, doc: AdministrativeDocument, align: Align, indent: bool):
    par = out.add_paragraph()
    par.alignment = _ALIGN[align]
    fmt = par.paragraph_format
    fmt.first_line_indent = Mm(doc.layout.first_line_indent_mm) if indent else Cm(0)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(6)
    fmt.line_spacing = doc.layout.line_spacing
    return par


def _heading(out: DocxDocument, doc: AdministrativeDocument, block: Heading) -> None:
    par = _body_par(out, doc, "justify", True)
    par.paragraph_format.keep_with_next = True
    if block.level == 1:
        par.paragraph_format.space_before = Pt(6)
    bold = block.level <= 3
    italic = block.level >= 3
    _run(par, block.text, bold=bold, italic=italic)


def _paragraph(out: DocxDocument, doc: AdministrativeDocument, block: Paragraph) -> None:
    par = _body_par(out, doc, block.align, block.indent)
    # A lead-in ("* Đối với cấp xã:") goes to the page of what it introduces, as a heading.
    par.paragraph_format.keep_with_next = block.lead_in or None
    for part in block.parts:
        _run(par, inline_text(part), bold=block.bold, italic=block.italic)


def _cell_text(cell: _Cell, text: str, *, align: str, size: float, bold: bool = False) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    for i, line in enumerate(text.split("\n")):
        par = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        _tight(par, align, after=0)
        par.paragraph_format.space_before = Pt(1)
        par.paragraph_format.space_after = Pt(1)
        _run(par, line, size=size, bold=bold)


def _row_flags(row: object, *, header: bool) -> None:
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    cant = OxmlElement("w:cantSplit")
    tr_pr.append(cant)
    if header:
        # Repeat the header row on every page the table runs over.
        flag = OxmlElement("w:tblHeader")
        tr_pr.append(flag)


def _caption(out: DocxDocument, text: str, *, italic: bool, before: float, after: float) -> None:
    par = _tight(out.add_paragraph(), "center", after=after)
    par.paragraph_format.space_before = Pt(before)
    par.paragraph_format.keep_with_next = not italic
    par.paragraph_format.keep_together = True  # a long note never splits across pages
    _run(par, text, bold=not italic, italic=italic)


def _table(out: DocxDocument, doc: AdministrativeDocument, block: Table) -> None:
    size = block.font_size or doc.layout.table_font_size
    if block.caption:
        _caption(out, block.caption, italic=False, before=6, after=4)
    header = block.header_layout()
    body = block.body_texts()
    totals = block.totals_texts()
    n_rows = len(header) + len(body) + (1 if totals else 0)
    table = out.add_table(rows=n_rows, cols=len(block.columns))
    table.style = out.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    total_weight = sum(c.width for c in block.columns) or 1.0
    width = doc.layout.text_width_mm / 10
    _widths(table, [width * c.width / total_weight for c in block.columns])
    _cell_margins(table, CELL_SIDE_MM)

    for r, header_row in enumerate(header):
        _row_flags(table.rows[r], header=True)
        for spec in header_row:
            cell = table.cell(r, spec.column)
            end = table.cell(r + spec.rowspan - 1, spec.column + spec.colspan - 1)
            if end is not cell and (spec.rowspan > 1 or spec.colspan > 1):
                cell = cell.merge(end)
            _cell_text(cell, spec.text, align="center", size=size, bold=True)
    offset = len(header)
    for r, texts in enumerate(body):
        _row_flags(table.rows[offset + r], header=False)
        for c, text in enumerate(texts):
            align = block.columns[c].align
            _cell_text(table.cell(offset + r, c), text, align=align, size=size)
    if totals:
        last = n_rows - 1
        _row_flags(table.rows[last], header=False)
        for c, text in enumerate(totals):
            align = block.columns[c].align
            _cell_text(table.cell(last, c), text, align=align, size=size, bold=True)
    if block.note:
        # The source note stays on the page of the table's last row.
        for cell in table.rows[n_rows - 1].cells:
            for par in cell.paragraphs:
                par.paragraph_format.keep_with_next = True
        _caption(out, block.note, italic=True, before=3, after=6)
    else:
        _tight(out.add_paragraph(), "left", after=0).paragraph_format.line_spacing = Pt(6)


def _chart(out: DocxDocument, doc: AdministrativeDocument, block: Chart) -> None:
    png = charts.render_png(block)
    width = min(block.width_cm, doc.layout.text_width_mm / 10)
    par = _tight(out.add_paragraph(), "center", after=3)
    par.paragraph_format.space_before = Pt(6)
    par.paragraph_format.keep_with_next = bool(block.caption)
    par.add_run().add_picture(io.BytesIO(png), width=Cm(width))
    if block.caption:
        _caption(out, block.caption, italic=True, before=0, after=6)
