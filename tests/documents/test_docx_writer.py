from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document
from docx.shared import Mm, Pt

from cchc.documents.document import NATIONAL_MOTTO, NATIONAL_NAME
from cchc.documents.docx_writer import docx_bytes, write_docx
from tests.documents.document_sample import sample_document


@pytest.fixture(scope="module")
def data() -> bytes:
    return docx_bytes(sample_document())


@pytest.fixture(scope="module")
def docx(data):
    return Document(io.BytesIO(data))


def _all_text(docx) -> str:
    parts = [p.text for p in docx.paragraphs]
    for table in docx.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.append(cell.text)
    return "\n".join(parts)


def _runs_with(docx, text: str):
    for table in docx.tables:
        for row in table.rows:
            for cell in row.cells:
                for par in cell.paragraphs:
                    for run in par.runs:
                        if run.text == text:
                            yield run
    for par in docx.paragraphs:
        for run in par.runs:
            if run.text == text:
                yield run


def test_page_is_a4_with_nd30_margins(docx):
    section = docx.sections[0]
    # DOCX stores twentieths of a point, so millimetres come back within a hair.
    for value, mm in (
        (section.page_width, 210),
        (section.page_height, 297),
        (section.top_margin, 20),
        (section.bottom_margin, 20),
        (section.left_margin, 30),
        (section.right_margin, 20),
    ):
        assert abs(value.mm - mm) < 0.05


def test_font_is_times_new_roman_14(docx):
    normal = docx.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size == Pt(14)


def test_header_has_issuer_number_emblem_lines_and_place_date(docx):
    header = docx.tables[0]
    left, right = header.rows[0].cells
    assert left.text.split("\n")[:3] == ["UBND HUYỆN NINH GIANG", "ỦY BAN NHÂN DÂN", "XÃ ĐỒNG TÂM"]
    assert "Số: 12/BC-UBND" in left.text
    lines = [line for line in right.text.split("\n") if line]
    assert lines == [NATIONAL_NAME, NATIONAL_MOTTO, "Đồng Tâm, ngày 20 tháng 3 năm 2023"]
    (motto,) = _runs_with(docx, NATIONAL_MOTTO)
    assert motto.underline and motto.bold
    (place,) = _runs_with(docx, "Đồng Tâm, ngày 20 tháng 3 năm 2023")
    assert place.italic
    (issuer,) = _runs_with(docx, "XÃ ĐỒNG TÂM")
    assert issuer.bold


def test_title_is_centred_bold(docx):
    pars = {p.text: p for p in docx.paragraphs}
    kind = pars["BÁO CÁO"]
    assert kind.alignment == 1  # centre
    assert all(run.bold for run in kind.runs)
    assert "Kết quả đánh giá Chỉ số cải cách hành chính năm 2022" in pars


def test_body_is_justified_with_first_line_indent(docx):
    par = next(p for p in docx.paragraphs if p.text.startswith("Theo kết quả công bố"))
    assert "UBND xã đạt 87,75/100 điểm, xếp thứ 9/20" in par.text
    assert par.alignment == 3  # justify
    assert par.paragraph_format.first_line_indent == Mm(12.7)


def test_component_table_prints_seed_003_figures(docx):
    table = next(t for t in docx.tables if t.cell(0, 1).text == "Lĩnh vực đánh giá")
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0][2:4] == ["Điểm", "Điểm"]  # merged group header
    assert rows[1][2:4] == ["Tối đa", "Đạt được"]
    assert ["3", "Cải cách thủ tục hành chính", "18,5", "16,62", "89,84", "2/20"] in rows
    assert rows[-1] == ["", "Tổng cộng", "100", "87,75", "87,75", "9/20"]
    assert len(rows) == 2 + 10 + 1
    assert table.style.name == "Table Grid"
    xml = table._tbl.xml
    assert "w:tblHeader" in xml  # header repeats on each page


def test_recipients_and_signature(docx):
    closing = docx.tables[-1]
    left, right = closing.rows[0].cells
    lines = left.text.split("\n")
    assert lines[0] == "Nơi nhận:"
    assert lines[-1] == "- Lưu: VT, NV."
    assert "- BTV Đảng ủy (để b/c);" in lines
    (label,) = _runs_with(docx, "Nơi nhận:")
    assert label.bold and label.italic and label.font.size == Pt(12)
    (archive,) = _runs_with(docx, "- Lưu: VT, NV.")
    assert archive.font.size == Pt(11)
    sig = [line for line in right.text.split("\n") if line]
    assert sig == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Đinh Văn Châu"]


def test_text_contains_every_required_part(docx):
    text = _all_text(docx)
    for needle in (NATIONAL_NAME, NATIONAL_MOTTO, "Nơi nhận:", "Cải cách thủ tục hành chính"):
        assert needle in text


def test_chart_embedded_as_png(data, docx):
    assert len(docx.inline_shapes) == 1
    shape = docx.inline_shapes[0]
    assert shape.width <= Mm(160) + 1
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
        assert len(media) == 1
        assert z.read(media[0])[:8] == b"\x89PNG\r\n\x1a\n"


def test_page_numbers_from_page_two(docx):
    section = docx.sections[0]
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml
    assert "PAGE" not in section.first_page_header._element.xml


def test_core_properties(docx):
    assert docx.core_properties.title.startswith("BÁO CÁO Kết quả đánh giá")
    assert docx.core_properties.author == "UBND xã Đồng Tâm"


def test_write_to_path(tmp_path):
    path = tmp_path / "bao-cao.docx"
    write_docx(sample_document(), path)
    assert zipfile.is_zipfile(path)
