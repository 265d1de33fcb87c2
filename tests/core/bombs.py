"""Hostile files, built small on disk by the tests (issue 13). Each once stopped a worker:

- claimed_range: a 5 KB XLSX whose sheet declares the range A1:XFD1048576;
- expanded_rows: a few MB of XLSX that inflates to 980 MB of rows;
- huge_cell: an XLSX with one cell of 1 GiB (written in streaming, never held);
- wide_header: a CSV whose header has 1,000,000 columns.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<dimension ref="{ref}"/><sheetData>'
)
SHEET_TAIL = "</sheetData></worksheet>"


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def header_row(columns: list[str]) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return (
        '<row r="1">'
        + "".join(_cell(f"{letters[i]}1", c) for i, c in enumerate(columns))
        + "</row>"
    )


def _deflated(parts) -> tuple[bytes, int, int]:
    """(raw deflate stream, CRC-32, size) of parts given as (bytes, repeat count). A part is
    compressed once after a full flush and its output repeated: identical input from a reset
    state compresses identically, so a gigabyte costs one CRC pass, not a compression."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    out, crc, size = [], 0, 0
    for data, count in parts:
        block = compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)
        out.append(block * count)
        for _ in range(count):
            crc = zlib.crc32(data, crc)
        size += len(data) * count
    out.append(compressor.flush())
    return b"".join(out), crc, size


def write_xlsx(path: Path, sheet_parts, ref: str = "A1:B2") -> Path:
    """An XLSX whose sheet XML is the parts (bytes or text, each with a repeat count),
    written as a raw deflate stream (never held inflated)."""
    head = SHEET_HEAD.format(ref=ref).encode()
    parts = [(head, 1)]
    parts += [(p.encode() if isinstance(p, str) else p, n) for p, n in sheet_parts]
    parts.append((SHEET_TAIL.encode(), 1))
    stream, crc, size = _deflated(parts)
    small = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": RELS,
        "xl/workbook.xml": WORKBOOK,
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
    }
    members = []
    for name, text in small.items():
        data, member_crc, member_size = _deflated([(text.encode(), 1)])
        members.append((name, data, member_crc, member_size))
    members.append(("xl/worksheets/sheet1.xml", stream, crc, size))
    with path.open("wb") as handle:
        central = []
        for name, data, member_crc, member_size in members:
            offset = handle.tell()
            encoded = name.encode()
            handle.write(
                struct.pack(
                    "<4s5H3L2H",
                    b"PK\x03\x04",
                    20,
                    0,
                    8,
                    0,
                    0x21,
                    member_crc,
                    len(data),
                    member_size,
                    len(encoded),
                    0,
                )
            )
            handle.write(encoded)
            handle.write(data)
            central.append(
                struct.pack(
                    "<4s6H3L5H2L",
                    b"PK\x01\x02",
                    20,
                    20,
                    0,
                    8,
                    0,
                    0x21,
                    member_crc,
                    len(data),
                    member_size,
                    len(encoded),
                    0,
                    0,
                    0,
                    0,
                    0,
                    offset,
                )
                + encoded
            )
        start = handle.tell()
        directory = b"".join(central)
        handle.write(directory)
        handle.write(
            struct.pack(
                "<4s4H2LH",
                b"PK\x05\x06",
                0,
                0,
                len(central),
                len(central),
                len(directory),
                start,
                0,
            )
        )
    return path


def claimed_range(path: Path, columns: list[str]) -> Path:
    """Two real rows; the sheet claims A1:XFD1048576 and has a cell in its last row."""
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    row2 = (
        '<row r="2">'
        + "".join(_cell(f"{letters[i]}2", "x") for i in range(len(columns)))
        + "</row>"
    )
    last = '<row r="1048576"><c r="XFD1048576" s="0"/></row>'
    parts = [(header_row(columns), 1), (row2, 1), (last, 1)]
    return write_xlsx(path, parts, ref="A1:XFD1048576")


def expanded_rows(path: Path, columns: list[str], megabytes: int = 980) -> Path:
    """Rows until the sheet holds `megabytes` MB of XML. The rows carry no numbers (the
    format allows it), so they compress hundreds of times and build in seconds."""
    row = (
        "<row>"
        + "".join(
            f'<c t="inlineStr"><is><t>Nguyen Van A {i}</t></is></c>' for i in range(len(columns))
        )
        + "</row>"
    )
    block = (row * (1_000_000 // len(row) + 1)).encode()
    count = megabytes * 1_000_000 // len(block) + 1
    return write_xlsx(path, [(header_row(columns), 1), (block, count)], ref="A1:Z2")


def huge_cell(path: Path, columns: list[str], size: int = 1 << 30) -> Path:
    """One cell of `size` characters, streamed."""
    piece = b"A" * (1 << 20)
    parts = [
        (header_row(columns), 1),
        ('<row r="2"><c r="A2" t="inlineStr"><is><t>', 1),
        (piece, size // len(piece)),
        ("</t></is></c></row>", 1),
    ]
    return write_xlsx(path, parts)


def wide_header(path: Path, columns: int = 1_000_000) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        handle.write(",".join(f"c{i}" for i in range(columns)))
        handle.write("\n")
        handle.write(",".join("1" for _ in range(10)))
        handle.write("\n")
    return path
