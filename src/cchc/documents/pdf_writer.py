"""Write an ``AdministrativeDocument`` as PDF through HTML + CSS and WeasyPrint.

The HTML is self-contained: the stylesheet is inlined, charts are SVG data URIs, and the
fetcher refuses every URL that is not ``data:``, so a document never reaches the network or
the file system. Fonts come from the system (see ``cchc.documents.fonts``).
"""

from __future__ import annotations

import base64
import html
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import IO

from cchc.documents import charts
from cchc.documents.document import (
    NATIONAL_MOTTO,
    NATIONAL_NAME,
    RECIPIENTS_LABEL,
    AdministrativeDocument,
    Chart,
    Figure,
    Heading,
    Inline,
    PageBreak,
    Paragraph,
    Table,
    inline_text,
)


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _lines(text: str) -> str:
    return "<br>".join(_e(line) for line in text.split("\n"))


@lru_cache(maxsize=1)
def stylesheet() -> str:
    return resources.files("cchc.documents").joinpath("assets/report.css").read_text("utf-8")


def _page_css(doc: AdministrativeDocument) -> str:
    lay = doc.layout
    return (
        f"@page {{ size: {lay.width_mm}mm {lay.height_mm}mm; "
        f"margin: {lay.top_mm}mm {lay.right_mm}mm {lay.bottom_mm}mm {lay.left_mm}mm; }}\n"
        f"html, main p, main h1, main h2, main h3, main h4 {{ font-size: {lay.font_size}pt; }}\n"
        f"main p, main h1, main h2, main h3, main h4 {{ line-height: {lay.line_spacing + 0.05}; "
        f"text-indent: {lay.first_line_indent_mm}mm; }}\n"
        f"table.data {{ font-size: {lay.table_font_size}pt; }}\n"
    )


def render_html(doc: AdministrativeDocument, *, embed_stylesheet: bool = True) -> str:
    """The document as one self-contained HTML page (also usable as a browser preview).

    ``embed_stylesheet=False`` leaves the styles out: write_pdf passes them itself, the
    shared stylesheet parsed once for a whole batch, in the same order and origin."""
    style = f"<style>{stylesheet()}\n{_page_css(doc)}</style>" if embed_stylesheet else ""
    parts: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="vi"><head><meta charset="utf-8">',
        f"<title>{_e(doc.full_title)}</title>",
        f'<meta name="author" content="{_e(doc.author or " ".join(doc.issuer))}">',
        style,
        "</head><body>",
        _header(doc),
        _title(doc),
        "<main>",
    ]
    parts += _blocks(doc.body, doc)
    parts += ["</main>", _closing(doc)]
    if doc.annexes:
        # Annexes follow the signature block, each document part from a new page.
        parts += ['<div class="page-break"></div>', '<main class="annex">']
        parts += _blocks(doc.annexes, doc)
        parts.append("</main>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _blocks(blocks: tuple, doc: AdministrativeDocument) -> list[str]:
    parts: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            tag = f"h{block.level}"
            # A heading's last line is never one word either ("… CẢI CÁCH HÀNH / CHÍNH").
            parts.append(f"<{tag}>{_e(_joined(block.text))}</{tag}>")
        elif isinstance(block, Paragraph):
            parts.append(_paragraph(block))
        elif isinstance(block, Table):
            parts.append(_table(block))
        elif isinstance(block, Chart):
            parts.append(_chart(block, doc))
        elif isinstance(block, PageBreak):
            parts.append('<div class="page-break"></div>')
    return parts


def _header(doc: AdministrativeDocument) -> str:
    left = [f'<p class="parent">{_e(line)}</p>' for line in doc.issuer_parent]
    left += [f'<p class="issuer-name">{_e(line)}</p>' for line in doc.issuer]
    left += ['<div class="rule"></div>', f'<p class="number">{_e(doc.number_line)}</p>']
    right = [
        f'<p class="national-name">{_e(NATIONAL_NAME)}</p>',
        f'<p class="motto"><span>{_e(NATIONAL_MOTTO)}</span></p>',
        f'<p class="place-date">{_e(doc.place_date_line)}</p>',
    ]
    return (
        '<table class="doc-header"><tr>'
        f'<td class="issuer">{"".join(left)}</td>'
        f'<td class="nation">{"".join(right)}</td>'
        "</tr></table>"
    )


def _title(doc: AdministrativeDocument) -> str:
    lines = [f'<p class="kind">{_e(doc.kind)}</p>']
    lines += [f"<p>{_e(_joined(line))}</p>" for line in doc.title]
    return f'<div class="doc-title">{"".join(lines)}<div class="rule"></div></div>'


def _paragraph(block: Paragraph) -> str:
    classes = []
    if not block.indent:
        classes.append("no-indent")
    if block.align != "justify":
        classes.append(f"align-{block.align}")
    if block.bold:
        classes.append("bold")
    if block.italic:
        classes.append("italic")
    if block.lead_in:
        classes.append("lead-in")
    attr = f' class="{" ".join(classes)}"' if classes else ""
    # The last two words never part: a paragraph's last line is never one short word.
    inner = _inline_html(join_last_words(block.parts))
    return f"<p{attr}>{inner}</p>"


_GAP = re.compile(r"\s+")
NBSP = "\u00a0"
TAIL_MAX_CHARS = 30  # a longer pair of last words may part rather than overflow a line


@dataclass(frozen=True)
class JoinedFigure:
    """A figure printed right after a no-break space (inside its span): the last two words
    of a paragraph whose last word is a figure."""

    figure: Figure


def join_last_words(parts: Sequence[Inline]) -> list[Inline | JoinedFigure]:
    """``parts`` with the space between the last two words made non-breaking (U+00A0); as
    they are when the paragraph has fewer than two words or its last two are long. A
    figure is one word whatever it contains (it never breaks: ``span.figure``); before a
    figure the space becomes a ``JoinedFigure``.

    (A ``white-space: nowrap`` span around the last two words, or a figure's span joined to
    the word before it, made WeasyPrint 70 break a paragraph after its first word when the
    rest fitted one unindented line: ``cchc check-report`` reports it as ``short_line``.)"""
    gaps: list[tuple[int, int, int]] = []  # (part index, start, end) of each space run
    for index, part in enumerate(parts):
        if isinstance(part, str):
            for m in _GAP.finditer(part):
                leading = index == 0 and m.start() == 0
                trailing = index == len(parts) - 1 and m.end() == len(part)
                if not (leading or trailing):
                    gaps.append((index, m.start(), m.end()))
    if not gaps:
        return list(parts)
    index, start, end = gaps[-1]
    cut = parts[index]
    assert isinstance(cut, str)
    before = "".join(inline_text(p) for p in parts[:index]) + cut[:start]
    after = cut[end:] + "".join(inline_text(p) for p in parts[index + 1 :])
    later = parts[index + 1 :]
    if end == len(cut) and later and isinstance(later[0], Figure):
        # Before a figure the no-break space goes inside its span: "trấn):␣<span>2.000.000
        # đồng</span>" made WeasyPrint 70 break the paragraph after its first word.
        if not cut[:start].strip() or len(before.split()[-1]) + 1 + len(after) > TAIL_MAX_CHARS:
            return list(parts)
        head = [cut[:start]] if cut[:start] else []
        return [*parts[:index], *head, JoinedFigure(later[0]), *later[1:]]
    if any(isinstance(p, Figure) for p in later):
        return list(parts)
    if not before.split() or len(before.split()[-1]) + 1 + len(after) > TAIL_MAX_CHARS:
        return list(parts)
    return [*parts[:index], cut[:start] + NBSP + cut[end:], *parts[index + 1 :]]


def _joined(text: str) -> str:
    """Text (a heading, a title line, a table's caption or note) whose last two words never
    part."""
    return str(join_last_words([text])[0])


def _inline_html(parts: list[Inline | JoinedFigure]) -> str:
    out: list[str] = []
    i = 0
    while i < len(parts):
        part = parts[i]
        figure = part.figure if isinstance(part, JoinedFigure) else part
        nbsp = NBSP if isinstance(part, JoinedFigure) else ""
        if (
            isinstance(figure, Figure)
            and i + 2 < len(parts)
            and parts[i + 1] == "/"
            and isinstance(parts[i + 2], Figure)
        ):
            # "12/23", "1/2 hạng": a ratio of two figures never breaks at its slash.
            other = parts[i + 2]
            assert isinstance(other, Figure)
            out.append(f'<span class="ratio">{nbsp}{_figure(figure)}/{_figure(other)}</span>')
            i += 3
            continue
        if isinstance(figure, Figure):
            out.append(_figure(figure, nbsp))
        else:
            out.append(_e(str(figure)))
        i += 1
    return "".join(out)


def _figure(part: Figure, lead: str = "") -> str:
    key = f' data-key="{_e(part.key)}"' if part.key else ""
    return f'<span class="figure"{key}>{lead}{_e(part.text)}</span>'


def _table(block: Table) -> str:
    out: list[str] = []
    if block.caption:
        out.append(f'<p class="caption">{_e(_joined(block.caption))}</p>')
    style = f' style="font-size: {block.font_size}pt"' if block.font_size else ""
    # A short table is kept on one page (with its caption) rather than split by a break.
    keep = " keep" if len(block.rows) <= KEEP_ROWS else ""
    out.append(f'<table class="data{keep}"{style}>')
    total = sum(c.width for c in block.columns) or 1.0
    out.append("<colgroup>")
    out += [f'<col style="width: {100 * c.width / total:.3f}%">' for c in block.columns]
    out.append("</colgroup><thead>")
    for row in block.header_layout():
        cells = []
        for spec in row:
            span = ""
            if spec.colspan > 1:
                span += f' colspan="{spec.colspan}"'
            if spec.rowspan > 1:
                span += f' rowspan="{spec.rowspan}"'
            cells.append(f"<th{span}>{_lines(spec.text)}</th>")
        out.append(f"<tr>{''.join(cells)}</tr>")
    out.append("</thead><tbody>")
    for texts in block.body_texts():
        out.append(_row(block, texts, ""))
    totals = block.totals_texts()
    if totals:
        out.append(_row(block, totals, ' class="totals"'))
    out.append("</tbody></table>")
    if block.note:
        out.append(f'<p class="note">{_e(_joined(block.note))}</p>')
    return "".join(out)


KEEP_ROWS = 12


def _row(block: Table, texts: list[str], attr: str) -> str:
    cells = [
        f'<td class="a-{block.columns[i].align}">{_lines(text)}</td>'
        for i, text in enumerate(texts)
    ]
    return f"<tr{attr}>{''.join(cells)}</tr>"


def _chart(block: Chart, doc: AdministrativeDocument) -> str:
    svg = charts.render_svg(block).encode("utf-8")
    data = base64.b64encode(svg).decode("ascii")
    drawn_width, drawn_height = charts.figure_size_cm(block)
    width = min(drawn_width, doc.layout.text_width_mm / 10)
    height = drawn_height * width / drawn_width
    img = (
        f'<img src="data:image/svg+xml;base64,{data}" alt="{_e(block.title)}" '
        f'style="width: {width:.2f}cm; height: {height:.2f}cm">'
    )
    caption = f"<figcaption>{_e(block.caption)}</figcaption>" if block.caption else ""
    return f'<figure class="chart">{img}{caption}</figure>'


def _closing(doc: AdministrativeDocument) -> str:
    left = [f'<p class="label">{_e(RECIPIENTS_LABEL)}</p>']
    left += [f"<p>{_e(line)}</p>" for line in doc.recipient_lines]
    sig = doc.signature
    right = [f"<p>{_e(line)}</p>" for line in sig.authority]
    if sig.title:
        right.append(f"<p>{_e(sig.title)}</p>")
    if sig.note:
        right.append(f'<p class="sign-note">{_e(sig.note)}</p>')
    right.append(f'<p class="signer">{_e(sig.name)}</p>')
    return (
        '<table class="closing"><tr>'
        f'<td class="recipients">{"".join(left)}</td>'
        f'<td class="signature">{"".join(right)}</td>'
        "</tr></table>"
    )


@lru_cache(maxsize=1)
def _parsed_stylesheet():
    from weasyprint import CSS

    return CSS(string=stylesheet())


def write_pdf(doc: AdministrativeDocument, target: str | Path | IO[bytes]) -> None:
    """Write ``doc`` as PDF to a path or a binary file object."""
    from weasyprint import HTML, URLFetcher

    # data: only, so text in a document can never make the renderer fetch anything.
    fetcher = URLFetcher(allowed_protocols=("data",))
    document = HTML(string=render_html(doc, embed_stylesheet=False), url_fetcher=fetcher)
    if isinstance(target, Path):
        target = str(target)
    from weasyprint import CSS

    page = CSS(string=_page_css(doc))
    document.write_pdf(target, stylesheets=[_parsed_stylesheet(), page])


def pdf_bytes(doc: AdministrativeDocument) -> bytes:
    buf = io.BytesIO()
    write_pdf(doc, buf)
    return buf.getvalue()
