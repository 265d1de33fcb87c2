"""One check for every uploaded document (evidence, plans, reports), on pages, API and
commands alike: its size, its type read from its content (magic bytes, not its name), and
its name cleaned. The audit of issue 13 found the self-assessment page alone checking, and
by extension only: .html, .svg, .exe and 100 MB files went through the API and the plans'
forms, and an HTML page renamed .pdf went through everywhere.

The check is plain Python (file-like objects with .name, .size, .read, .seek); serving a
stored file as an attachment, with its type and `X-Content-Type-Options: nosniff`, is the
one Django helper at the end.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

# kind -> (extensions accepted for it, Content-Type served)
KINDS: dict[str, tuple[tuple[str, ...], str]] = {
    "pdf": ((".pdf",), "application/pdf"),
    "docx": (
        (".docx",),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": (
        (".xlsx",),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "odt": ((".odt",), "application/vnd.oasis.opendocument.text"),
    "ods": ((".ods",), "application/vnd.oasis.opendocument.spreadsheet"),
    "jpeg": ((".jpg", ".jpeg"), "image/jpeg"),
    "png": ((".png",), "image/png"),
    "zip": ((".zip",), "application/zip"),
    # Word 97–2003 and Excel 97–2003: offices still keep much of their paperwork in these
    # (one OLE2 container format; the name's ending tells which of the two it is)
    "doc": ((".doc",), "application/msword"),
    "xls": ((".xls",), "application/vnd.ms-excel"),
}
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Evidence and reports: documents, scans, a zip of several.
DOCUMENTS = frozenset(KINDS)

ERR_TOO_BIG = "Tệp '{name}' lớn hơn {limit} MB (giới hạn CCHC_UPLOAD_MAX_BYTES)."
ERR_EMPTY = "Tệp '{name}' rỗng."
ERR_TYPE = (
    "Tệp '{name}' không phải là PDF, Word (DOC, DOCX), Excel (XLS, XLSX), OpenDocument, ảnh JPG/PNG "
    "hoặc ZIP (kiểm tra theo nội dung tệp, không theo tên)."
)
ERR_NOT_ALLOWED = "Ở đây không nhận tệp {kind}."
ERR_MISMATCH = "Tệp '{name}' có đuôi {suffix} nhưng nội dung là {kind}."

DEFAULT_MAX_BYTES = 20 << 20


class UploadRefused(ValueError):
    """An upload that is refused; str() is the Vietnamese message."""


@dataclass(frozen=True)
class CheckedUpload:
    name: str  # cleaned
    kind: str
    content_type: str


def max_bytes() -> int:
    try:
        from django.conf import settings

        return int(getattr(settings, "UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))
    except Exception:  # settings not configured: a plain script
        return DEFAULT_MAX_BYTES


def clean_name(name: str, *, length: int = 150) -> str:
    """The file's own name: no folders (either slash), no control or format characters,
    no leading dots; Vietnamese letters kept (NFC), spaces collapsed."""
    base = PureWindowsPath(PurePosixPath(str(name or "")).name).name
    base = unicodedata.normalize("NFC", base)
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C")
    base = re.sub(r'[<>:"|?*\\/]', "_", base)
    base = re.sub(r"\s+", " ", base).strip().lstrip(".").strip()
    if not base:
        base = "tep"
    if len(base) > length:
        stem, dot, suffix = base.rpartition(".")
        base = (stem[: length - len(suffix) - 1] + dot + suffix) if dot else base[:length]
    return base


def sniff(head: bytes, handle: Any = None, name: str = "") -> str | None:
    """The kind of a file from its first bytes (and, for a zip, its members)."""
    if head.startswith(OLE2):
        return "xls" if PurePosixPath(name).suffix.lower() == ".xls" else "doc"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04") and handle is not None:
        return _zip_kind(handle)
    return None


def _zip_kind(handle: Any) -> str | None:
    try:
        handle.seek(0)
        with zipfile.ZipFile(handle) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                if info.file_size < 200:
                    mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                    if mimetype == KINDS["odt"][1]:
                        return "odt"
                    if mimetype == KINDS["ods"][1]:
                        return "ods"
            if "[Content_Types].xml" in names:
                info = archive.getinfo("[Content_Types].xml")
                if info.file_size < (1 << 20):
                    types = archive.read("[Content_Types].xml")
                    if b"wordprocessingml.document.main+xml" in types:
                        return "docx"
                    if b"spreadsheetml.sheet.main+xml" in types:
                        return "xlsx"
            return "zip"
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, KeyError):
        return None
    finally:
        handle.seek(0)


def check_upload(
    upload: Any, *, kinds: frozenset[str] | set[str] = DOCUMENTS, limit: int | None = None
) -> CheckedUpload:
    """Check an uploaded file (size, content, name) and give it its cleaned name.
    Raises UploadRefused with the reason."""
    name = clean_name(getattr(upload, "name", "") or "")
    limit = limit or max_bytes()
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
    if size > limit:
        raise UploadRefused(ERR_TOO_BIG.format(name=name, limit=limit >> 20))
    if size == 0:
        raise UploadRefused(ERR_EMPTY.format(name=name))
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = sniff(head, upload, name)
    if kind is None:
        raise UploadRefused(ERR_TYPE.format(name=name))
    if kind not in kinds:
        raise UploadRefused(ERR_NOT_ALLOWED.format(kind=kind.upper()))
    extensions, content_type = KINDS[kind]
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in extensions:
        if suffix in {e for exts, _ in KINDS.values() for e in exts}:
            raise UploadRefused(ERR_MISMATCH.format(name=name, suffix=suffix, kind=kind.upper()))
        # no or an unknown extension: the content decides the name's ending
        name = f"{name}{extensions[0]}"
    with contextlib.suppress(AttributeError):  # a read-only name: the caller names it
        upload.name = name
    return CheckedUpload(name, kind, content_type)


def serve(field: Any, filename: str | None = None):
    """A stored upload as an attachment: its type from its content, never sniffed by the
    browser (nosniff), never shown inline."""
    from django.http import FileResponse, Http404

    if not field:
        raise Http404("Không có tệp.")
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404("Tệp không còn trên máy chủ.") from None
    head = handle.read(16)
    handle.seek(0)
    kind = sniff(head, handle, filename or field.name)
    content_type = KINDS[kind][1] if kind else "application/octet-stream"
    name = clean_name(filename or field.name.rsplit("/", 1)[-1])
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def form_check(upload: Any, **options: Any) -> Any:
    """check_upload for a Django form's clean_<field>: the refusal as the field's error."""
    from django import forms

    if upload is None or upload is False:
        return upload
    try:
        check_upload(upload, **options)
    except UploadRefused as error:
        raise forms.ValidationError(str(error)) from None
    return upload
