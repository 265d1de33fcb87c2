"""From a report (kind, unit, period, narrative, frame) to a document and its bytes.

One path for pages, API, batches and the ``cchc report`` command: gather the figures
(``sources``), lay them out (``builders``), print them (``docx_writer``, ``pdf_writer``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Mapping

from cchc.documents.document import AdministrativeDocument
from cchc.dossiers.periods import Period, vn_today
from cchc.reports import kinds, sources
from cchc.reports.builders.area_annual import build_area_annual
from cchc.reports.builders.index_results import build_index_results
from cchc.reports.builders.self_inspection import build_self_inspection
from cchc.reports.builders.tt01_form import build_tt01_form
from cchc.reports.builders.unit_periodic import build_unit_periodic
from cchc.units.models import Unit

FORMATS = ("docx", "pdf")
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "zip": "application/zip",
}
ERR_FORMAT = "Định dạng '{fmt}' không hỗ trợ; dùng docx hoặc pdf."


def build(
    kind: kinds.ReportKind,
    unit: Unit,
    period: Period,
    *,
    text: Mapping[str, str] | None = None,
    fields: sources.FrameFields | None = None,
    cycle=None,
    inspection=None,
    today: dt.date | None = None,
) -> AdministrativeDocument:
    """The document of a report; raises sources.SourceError when its data is missing."""
    kinds.check_period_kind(kind, period.kind, period.code)
    today = today or vn_today()
    text = text or {}
    if fields is None:
        fields = sources.FrameFields(**sources.frame_defaults(unit, kind))
    data = sources.gather(
        sources.Inputs(
            kind=kind, unit=unit, period=period, cycle=cycle, inspection=inspection, today=today
        )
    )
    # An undated document is dated when signed, i.e. now: its year is this year.
    frame = sources.make_frame(unit, fields, year=today.year)
    if kind.code in ("unit_quarterly", "unit_half_year", "unit_annual"):
        return build_unit_periodic(frame, text, data)
    if kind.code == "province_annual":
        return build_area_annual(frame, text, data)
    if kind.code == "index_results":
        return build_index_results(frame, text, data)
    if kind.code == "self_inspection":
        return build_self_inspection(frame, text, data)
    if kind.code == "tt01_form":
        return build_tt01_form(frame, data)
    raise sources.SourceError(f"Chưa hỗ trợ loại báo cáo {kind.code}.", code="kind")


def fields_of(report) -> sources.FrameFields:
    return sources.FrameFields(
        number=report.number,
        symbol=report.symbol,
        issued_on=report.issued_on,
        place=report.place,
        recipients=report.recipients,
        archive=report.archive,
        signer_authority=report.signer_authority,
        signer_title=report.signer_title,
        signer_name=report.signer_name,
    )


def period_of(report) -> Period:
    from cchc.dossiers.periods import custom_period, parse_period

    try:
        return parse_period(report.period_code)
    except ValueError:
        return custom_period(report.period_start, report.period_end)


def document_for(
    report, *, text: Mapping[str, str] | None = None, today: dt.date | None = None
) -> AdministrativeDocument:
    """The document of a stored report (``text`` overrides the stored narrative: preview)."""
    return build(
        report.kind_spec,
        report.unit,
        period_of(report),
        text=text if text is not None else report.narrative(),
        fields=fields_of(report),
        cycle=report.cycle,
        inspection=report.inspection,
        today=today,
    )


def render(doc: AdministrativeDocument, fmt: str) -> bytes:
    if fmt == "docx":
        from cchc.documents.docx_writer import docx_bytes

        return docx_bytes(doc)
    if fmt == "pdf":
        from cchc.documents.pdf_writer import pdf_bytes

        return pdf_bytes(doc)
    raise ValueError(ERR_FORMAT.format(fmt=fmt))


def checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def ascii_slug(text: str) -> str:
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in plain if unicodedata.category(c) != "Mn")
    return re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-").lower() or "bao-cao"


def file_name(kind: kinds.ReportKind, unit: Unit, period_code: str, fmt: str) -> str:
    """'bao-cao-cchc-quy_xa-ninh-giang_2023-Q1.pdf': ASCII, so every system can store it."""
    safe_period = re.sub(r"[^0-9A-Za-z-]+", "_", period_code)
    return f"{ascii_slug(kind.label)}_{ascii_slug(unit.name)}_{safe_period}.{fmt}"
