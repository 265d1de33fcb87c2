"""The desk's papers: the receipt and the apology letter, as a printable page and as PDF.

One document (cchc.dossiers.printouts) gives both: the page is the PDF writer's own HTML
(A4, Nghị định 30/2020 layout, print CSS) with a toolbar that does not print.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import escape

from cchc.core.formatting import vn_local
from cchc.documents.document import AdministrativeDocument
from cchc.documents.pdf_writer import pdf_bytes, render_html
from cchc.dossiers.models import Dossier, DossierEvent, EventKind, Status
from cchc.dossiers.printouts import DeskFacts, apology_document, receipt_document
from cchc.dossiers.views.common import desk_unit, unit_dossier
from cchc.units import roles as R
from cchc.units.models import Profile

SCREEN_CSS = """
@media screen {
  html { background: #e9edf3; }
  body { background: #fff; max-width: 210mm; margin: 0 auto 2rem; padding: 20mm 20mm 20mm 30mm;
         box-shadow: 0 1px 6px rgba(0,0,0,.2); box-sizing: border-box; }
  .paper-toolbar { font: 15px/1.4 "Noto Sans", "Liberation Sans", Arial, sans-serif;
         max-width: 210mm; margin: 0 auto; padding: .75rem 0; display: flex; gap: .5rem;
         flex-wrap: wrap; align-items: center; }
  .paper-toolbar a, .paper-toolbar button { background: #1f4f96; color: #fff; border: 0;
         border-radius: 6px; padding: .45rem .9rem; font: inherit; font-weight: 600;
         text-decoration: none; cursor: pointer; }
  .paper-toolbar a.ghost { background: #fff; color: #1f4f96; border: 1px solid #1f4f96; }
  .paper-toolbar a:focus-visible, .paper-toolbar button:focus-visible {
         outline: 3px solid #ffb300; outline-offset: 2px; }
}
@media screen and (max-width: 700px) {
  body { padding: 6mm; max-width: none; margin: 0; box-shadow: none; }
  .paper-toolbar { padding: .5rem; }
  table.doc-header td, table.closing td { display: block; width: auto !important; }
  table.closing td.signature { margin-top: 1rem; }
}
@media print { .paper-toolbar { display: none; } }
"""


def _facts(dossier: Dossier) -> DeskFacts:
    received_event = (
        dossier.events.filter(kind=EventKind.STATUS, to_status=Status.RECEIVED)
        .select_related("by__profile")
        .first()
    )
    officer = ""
    if received_event and received_event.by:
        profile = getattr(received_event.by, "profile", None)
        officer = profile.full_name if profile else received_event.by.get_username()
    head = (
        Profile.objects.filter(unit=dossier.unit, roles__role=R.HEAD)
        .values_list("full_name", flat=True)
        .first()
    )
    return DeskFacts(
        unit_name=dossier.unit.name,
        code=dossier.code,
        applicant=dossier.applicant or "(không ghi tên)",
        procedure_name=dossier.procedure.name,
        procedure_code=dossier.procedure.code,
        processing_days=dossier.procedure.processing_days,
        received_at=vn_local(dossier.received_at),
        due_on=dossier.due_on,
        channel_label=dossier.get_channel_display(),
        officer_name=officer,
        head_name=head or "",
    )


def _page(doc: AdministrativeDocument, *, back: str, pdf: str, testid: str) -> HttpResponse:
    html = render_html(doc)
    toolbar = (
        f'<nav class="paper-toolbar" aria-label="Bản in" data-testid="{testid}-toolbar">'
        f'<a class="ghost" href="{escape(back)}">← Về hồ sơ</a>'
        f'<a href="{escape(pdf)}" data-testid="{testid}-pdf">Tải PDF</a>'
        '<button type="button" data-print>In</button></nav>'
    )
    html = html.replace("</style>", SCREEN_CSS + "</style>", 1)
    html = html.replace("<body>", f'<body data-testid="{testid}">' + toolbar, 1)
    # printing is a behaviour of the static script (no inline handler under the CSP)
    html = html.replace(
        "</body>", f'<script src="{static("cchc/behaviours.js")}"></script></body>', 1
    )
    html = html.replace(
        '<meta charset="utf-8">',
        '<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
        1,
    )
    return HttpResponse(html)


def _pdf(doc: AdministrativeDocument, filename: str) -> HttpResponse:
    response = HttpResponse(pdf_bytes(doc), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _apology(dossier: Dossier, event_pk: int) -> DossierEvent:
    try:
        return dossier.events.get(pk=event_pk, kind=EventKind.APOLOGY)
    except DossierEvent.DoesNotExist:
        raise Http404("Không tìm thấy văn bản xin lỗi.") from None


def _safe(code: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in code)


@login_required
def receipt(request: HttpRequest, unit_pk: int, pk: int, fmt: str = "html") -> HttpResponse:
    unit = desk_unit(request, unit_pk, "view")
    dossier = unit_dossier(unit, pk)
    doc = receipt_document(_facts(dossier))
    if fmt == "pdf":
        return _pdf(doc, f"giay-tiep-nhan-{_safe(dossier.code)}.pdf")
    return _page(
        doc,
        back=reverse("dossiers:dossier", args=[unit.pk, dossier.pk]),
        pdf=reverse("dossiers:receipt-pdf", args=[unit.pk, dossier.pk]),
        testid="receipt",
    )


@login_required
def apology(
    request: HttpRequest, unit_pk: int, pk: int, event_pk: int, fmt: str = "html"
) -> HttpResponse:
    unit = desk_unit(request, unit_pk, "view")
    dossier = unit_dossier(unit, pk)
    event = _apology(dossier, event_pk)
    doc = apology_document(
        _facts(dossier),
        new_due_on=event.new_due_on,
        reason=event.reason,
        letter_date=vn_local(event.at).date(),
    )
    if fmt == "pdf":
        return _pdf(doc, f"van-ban-xin-loi-{_safe(dossier.code)}.pdf")
    return _page(
        doc,
        back=reverse("dossiers:dossier", args=[unit.pk, dossier.pk]),
        pdf=reverse("dossiers:apology-pdf", args=[unit.pk, dossier.pk, event.pk]),
        testid="apology",
    )
