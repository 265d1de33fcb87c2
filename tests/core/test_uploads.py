"""The one upload check (core/uploads.py): size, type by content, cleaned name."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile

from cchc.core.uploads import UploadRefused, check_upload, clean_name, sniff

PDF = b"%PDF-1.4\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 16
HTML = b"<!DOCTYPE html><html><script>alert(1)</script></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64
TEXT = "Báo cáo CCHC quý I".encode()


def docx_bytes() -> bytes:
    from docx import Document

    buffer = io.BytesIO()
    Document().save(buffer)
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def odt_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.pdf", PDF)
    return buffer.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("ke-hoach.pdf", PDF, "pdf"),
        ("anh.png", PNG, "png"),
        ("anh.jpg", JPEG, "jpeg"),
        ("bao-cao.docx", None, "docx"),
        ("bang.xlsx", None, "xlsx"),
        ("van-ban.odt", None, "odt"),
        ("nhieu-tep.zip", None, "zip"),
    ],
)
def test_documents_are_accepted_by_content(name, data, kind):
    data = (
        data or {"docx": docx_bytes, "xlsx": xlsx_bytes, "odt": odt_bytes, "zip": zip_bytes}[kind]()
    )
    checked = check_upload(upload(name, data))
    assert checked.kind == kind and checked.name == name


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("trang.html", HTML),
        ("hinh.svg", SVG),
        ("chuong-trinh.exe", EXE),
        ("ghi-chu.txt", TEXT),
        ("van-ban.pdf", TEXT),  # a text file renamed .pdf
        ("bao-cao.pdf", EXE),  # an executable renamed .pdf
        ("ke-hoach.pdf", HTML),  # an HTML page renamed .pdf
    ],
)
def test_other_content_is_refused_whatever_its_name(name, data):
    with pytest.raises(UploadRefused, match="kiểm tra theo nội dung"):
        check_upload(upload(name, data))


# The OLE2 container of Word 97–2003 and Excel 97–2003 (its first sector's signature).
OLE2_DOCUMENT = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


@pytest.mark.parametrize(("name", "kind"), [("to-trinh.doc", "doc"), ("bang-diem.xls", "xls")])
def test_word_and_excel_97_files_are_accepted(name, kind):
    # offices still keep much of their paperwork in .doc and .xls
    checked = check_upload(upload(name, OLE2_DOCUMENT))
    assert checked.kind == kind and checked.name == name


def test_an_ole2_file_named_pdf_is_refused():
    with pytest.raises(UploadRefused, match="đuôi .pdf nhưng nội dung là DOC"):
        check_upload(upload("bao-cao.pdf", OLE2_DOCUMENT))


def test_a_zip_named_docx_is_refused():
    with pytest.raises(UploadRefused, match="đuôi .docx nhưng nội dung là ZIP"):
        check_upload(upload("bao-cao.docx", zip_bytes()))


def test_a_kind_not_allowed_here_is_refused():
    with pytest.raises(UploadRefused, match="không nhận tệp ZIP"):
        check_upload(upload("a.zip", zip_bytes()), kinds={"pdf"})


def test_100_mb_is_refused_before_reading(tmp_path):
    big = TemporaryUploadedFile("lon.pdf", "application/pdf", 100 << 20, "utf-8")
    big.file.truncate(100 << 20)  # sparse: nothing written
    with pytest.raises(UploadRefused, match="lớn hơn 20 MB"):
        check_upload(big)


def test_the_limit_is_a_setting(settings):
    settings.UPLOAD_MAX_BYTES = 10
    with pytest.raises(UploadRefused, match="CCHC_UPLOAD_MAX_BYTES"):
        check_upload(upload("a.pdf", PDF))


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\a\\Kế hoạch CCHC.pdf", "Kế hoạch CCHC.pdf"),
        ("Báo\x00cáo\u202e\r\n quý I.pdf", "Báocáo quý I.pdf"),
        ("Nguye\u0302\u0303n.pdf", "Nguyễn.pdf"),  # NFC
        (".htaccess", "htaccess"),
        ("", "tep"),
    ],
)
def test_names_are_cleaned_keeping_vietnamese(raw, clean):
    assert clean_name(raw) == clean


def test_a_pdf_without_extension_gets_one():
    assert check_upload(upload("quyet-dinh", PDF)).name == "quyet-dinh.pdf"


def test_sniff_needs_the_content_not_the_name():
    assert sniff(PDF) == "pdf" and sniff(HTML) is None and sniff(EXE) is None
