"""The desk pages: who may see and act, recording a dossier, its moves, its papers."""

from __future__ import annotations

import datetime as dt
import html as htmllib
import io

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from cchc.dossiers import services as S
from cchc.dossiers.models import Dossier, EventKind, Status
from cchc.dossiers.views.common import WHY_WAITING
from tests.dossiers.conftest import at

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2025, 3, 20, 3, 0, tzinfo=dt.UTC)  # Thursday 20/3/2025, 10:00 in Vietnam
frozen = time_machine.travel(NOW, tick=False)


def make(cast, procedures, code="HS-1", received="2025-03-03", kind="land", **kw):
    return S.dossier_create(
        unit=kw.pop("unit", cast.dong_tam),
        procedure=procedures[kind],
        code=code,
        applicant=kw.pop("applicant", "Nguyễn Văn Đức"),
        channel=kw.pop("channel", "truc_tiep"),
        received_at=at(received),
        by=kw.pop("by", cast.officer),
        **kw,
    )


def urls(cast, dossier=None) -> dict[str, str]:
    unit = cast.dong_tam.pk
    out = {
        "desk": reverse("dossiers:desk", args=[unit]),
        "new": reverse("dossiers:dossier-new", args=[unit]),
        "due": reverse("dossiers:due-preview", args=[unit]),
    }
    if dossier is not None:
        args = [unit, dossier.pk]
        out |= {
            "dossier": reverse("dossiers:dossier", args=args),
            "move": reverse("dossiers:dossier-move", args=args),
            "receipt": reverse("dossiers:receipt", args=args),
            "receipt-pdf": reverse("dossiers:receipt-pdf", args=args),
            "apology-new": reverse("dossiers:apology-new", args=args),
        }
    return out


# -- who may see and act ----------------------------------------------------------------------


@frozen
def test_anonymous_is_sent_to_login(cast, procedures, client):
    dossier = make(cast, procedures)
    for url in [reverse("dossiers:index"), *urls(cast, dossier).values()]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/login/"), url


@frozen
def test_officer_of_thanh_xa_gets_403_on_dong_tam_desk(cast, procedures, client_for):
    dossier = make(cast, procedures)
    client = client_for(cast.officer_thanh_xa)
    for name, url in urls(cast, dossier).items():
        if name not in {"move", "apology-new"}:  # POST only
            assert client.get(url).status_code == 404, name
    assert client.post(urls(cast)["new"], {}).status_code == 404
    assert client.post(urls(cast, dossier)["move"], {"action": "resolve"}).status_code == 404
    assert client.post(urls(cast, dossier)["apology-new"], {}).status_code == 404
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED
    # their own desk is open to them
    own = reverse("dossiers:desk", args=[cast.thanh_xa.pk])
    assert client.get(own).status_code == 200


@frozen
def test_a_dossier_is_not_reachable_through_another_units_desk(cast, procedures, client_for):
    other = make(cast, procedures, unit=cast.thanh_xa, by=cast.officer_thanh_xa, code="TX-1")
    client = client_for(cast.officer)
    url = reverse("dossiers:dossier", args=[cast.dong_tam.pk, other.pk])
    assert client.get(url).status_code == 404


@frozen
def test_appraiser_reads_the_desk_but_cannot_act(cast, procedures, client_for):
    dossier = make(cast, procedures)
    client = client_for(cast.appraiser)
    page = urls(cast, dossier)
    assert client.get(page["desk"]).status_code == 200
    html = client.get(page["dossier"]).content.decode()
    assert "Xử lý hồ sơ" not in html
    assert client.get(page["new"]).status_code == 403
    assert client.post(page["move"], {"action": "processing"}).status_code == 403


# -- recording a dossier -------------------------------------------------------------------------


@frozen
def test_officer_records_a_walk_in_dossier_with_its_due_date(cast, procedures, client_for):
    client = client_for(cast.officer)
    page = urls(cast)
    html = client.get(page["new"]).content.decode()
    assert "Hộ tịch" in html and "1.001193" in html  # procedures grouped by field
    # the due date is shown before saving (HTMX preview and the no-script button)
    data = {
        "procedure": procedures["land"].pk,
        "applicant": "Trần Thị Mai",
        "channel": "truc_tiep",
        "received_at": "2025-03-20T09:30",
        "intake_digitized": "full",
    }
    preview = client.get(page["due"], data, HTTP_HX_REQUEST="true").content.decode()
    # 10 working days after Thursday 20/3/2025: Thursday 03/4/2025
    assert "thứ Năm, 03/4/2025" in preview
    preview = client.post(page["new"], data | {"preview": "1"}).content.decode()
    assert "thứ Năm, 03/4/2025" in preview
    assert not Dossier.objects.exists()

    response = client.post(page["new"], data)
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("dossiers:dossier", args=[cast.dong_tam.pk, dossier.pk])
    assert dossier.code == "DONGTAM-250320-0001"  # given by the desk
    assert dossier.due_on == dt.date(2025, 4, 3)
    assert dossier.applicant == "Trần Thị Mai"
    html = as_text(client.get(response["Location"]))
    assert "thứ Năm, 03/4/2025" in html and "Tiếp nhận hồ sơ" in html

    # the next one of the day gets the next number
    client.post(page["new"], data | {"applicant": "Lê Văn Hùng"})
    assert Dossier.objects.filter(code="DONGTAM-250320-0002").exists()


@frozen
def test_recording_refuses_a_future_time_and_a_taken_code(cast, procedures, client_for):
    make(cast, procedures, code="HS-9")
    client = client_for(cast.officer)
    data = {
        "procedure": procedures["birth"].pk,
        "applicant": "A",
        "channel": "truc_tiep",
        "received_at": "2025-03-21T09:30",
        "intake_digitized": "full",
    }
    html = client.post(urls(cast)["new"], data).content.decode()
    assert "tương lai" in html
    html = client.post(
        urls(cast)["new"], data | {"received_at": "2025-03-20T08:00", "code": "HS-9"}
    )
    assert S.ERR_CODE_TAKEN.format(code="HS-9") in htmllib.unescape(html.content.decode())
    assert Dossier.objects.count() == 1


# -- moves -----------------------------------------------------------------------------------


@frozen
def test_moves_through_supplement_and_resolution_with_the_timeline(cast, procedures, client_for):
    dossier = make(cast, procedures, received="2025-03-03")  # due 17/3/2025 (10 working days)
    client = client_for(cast.officer)
    page = urls(cast, dossier)
    assert client.post(page["move"], {"action": "processing"}).status_code == 302
    client.post(
        page["move"],
        {"action": "supplement", "reason": "Thiếu trích lục", "at": "2025-03-05T09:00"},
    )
    dossier.refresh_from_db()
    assert dossier.status == Status.SUPPLEMENT_REQUESTED
    # a forbidden move is refused with its reason, and the page says it before a click
    html = client.get(page["dossier"]).content.decode()
    assert WHY_WAITING in html
    response = client.post(page["move"], {"action": "resolve"})
    assert response.status_code == 409
    assert "nhận bổ sung trước khi trả kết quả" in response.content.decode()
    client.post(page["move"], {"action": "supplied", "at": "2025-03-10T09:00"})
    dossier.refresh_from_db()
    # stopped Thu 6, Fri 7, Mon 10 = 3 working days: 17/3 -> 20/3
    assert dossier.due_on == dt.date(2025, 3, 20)
    client.post(page["move"], {"action": "resolve", "result_digitized": "on"})
    dossier.refresh_from_db()
    assert dossier.status == Status.RESOLVED and dossier.result_digitized
    html = client.get(page["dossier"]).content.decode()
    for text in ["Yêu cầu bổ sung", "Thiếu trích lục", "Đã nhận bổ sung", "Trả đúng hạn"]:
        assert text in html
    # finished: no more moves
    assert client.post(page["move"], {"action": "withdraw", "reason": "x"}).status_code == 409


@frozen
def test_return_needs_a_reason(cast, procedures, client_for):
    dossier = make(cast, procedures)
    client = client_for(cast.head)  # a head of the unit may act too
    response = client.post(urls(cast, dossier)["move"], {"action": "return"})
    assert response.status_code == 400
    assert S.ERR_REASON_REQUIRED in response.content.decode()
    client.post(
        urls(cast, dossier)["move"], {"action": "return", "reason": "Không thuộc thẩm quyền"}
    )
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED


@frozen
def test_desk_filters_overdue_soon_and_late(cast, procedures, client_for):
    make(cast, procedures, code="OVERDUE", received="2025-03-03")  # due 17/3, open
    make(cast, procedures, code="SOON", received="2025-03-07")  # due 21/3, open
    late = make(cast, procedures, code="LATE", received="2025-03-03")
    S.dossier_finish(dossier=late, at=at("2025-03-19"), by=cast.officer)
    client = client_for(cast.officer)
    desk = urls(cast)["desk"]

    def codes(query):
        html = client.get(desk, query).content.decode()
        return {c for c in ("OVERDUE", "SOON", "LATE") if f">{c}<" in html}

    assert codes({}) == {"OVERDUE", "SOON", "LATE"}
    assert codes({"due": "overdue"}) == {"OVERDUE"}
    assert codes({"due": "soon"}) == {"SOON"}
    assert codes({"due": "late"}) == {"LATE"}
    assert codes({"status": "resolved"}) == {"LATE"}
    assert codes({"q": "soon"}) == {"SOON"}
    # HTMX gets the results fragment only
    fragment = client.get(desk, {"due": "overdue"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and "OVERDUE" in fragment


@frozen
def test_home_inbox_lists_the_overdue_dossiers(cast, procedures, client_for):
    make(cast, procedures, code="OVERDUE", received="2025-03-03")
    html = client_for(cast.officer).get("/").content.decode()
    assert "1 hồ sơ TTHC đang quá hạn" in html
    assert "1 hồ sơ TTHC" not in client_for(cast.officer_thanh_xa).get("/").content.decode()


# -- papers ----------------------------------------------------------------------------------


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@frozen
def test_receipt_page_and_pdf(cast, procedures, client_for):
    dossier = make(cast, procedures, code="HS-2025-0042", received="2025-03-03")
    client = client_for(cast.officer)
    page = urls(cast, dossier)
    html = as_text(client.get(page["receipt"]))
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in html
    assert "HS-2025-0042" in html and "Nguyễn Văn Đức" in html
    assert "ngày 17/3/2025" in html  # the promised date
    assert "Phạm Thị Lan" in html  # the officer who received it signs
    assert "@media print" in html
    response = client.get(page["receipt-pdf"])
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "HẸN TRẢ KẾT QUẢ" in text and "Nguyễn Văn Đức" in text


@frozen
def test_late_dossier_gets_an_apology_letter(cast, procedures, client_for):
    dossier = make(cast, procedures, code="HS-LATE", received="2025-03-03")  # due 17/3
    client = client_for(cast.officer)
    page = urls(cast, dossier)
    html = client.get(page["dossier"]).content.decode()
    assert "Lập văn bản xin lỗi" in html and "Quá hạn" in html
    bad = client.post(page["apology-new"], {"new_due_on": "2025-03-10", "reason": "Xác minh"})
    assert bad.status_code == 400
    response = client.post(
        page["apology-new"], {"new_due_on": "2025-03-25", "reason": "Cần xác minh nguồn gốc đất"}
    )
    event = dossier.events.get(kind=EventKind.APOLOGY)
    assert response["Location"] == reverse(
        "dossiers:apology", args=[cast.dong_tam.pk, dossier.pk, event.pk]
    )
    html = as_text(client.get(response["Location"]))
    assert "VĂN BẢN XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in html
    assert "25/3/2025" in html and "Cần xác minh nguồn gốc đất" in html
    assert "Đinh Văn Châu" in html  # the head signs
    pdf = client.get(reverse("dossiers:apology-pdf", args=[cast.dong_tam.pk, dossier.pk, event.pk]))
    text = pdf_text(pdf.content)
    assert "xin lỗi" in text and "25/3/2025" in text
    # the promise does not make it on time
    client.post(page["move"], {"action": "resolve"})
    dossier.refresh_from_db()
    html = client.get(page["dossier"]).content.decode()
    assert "Trả quá hạn" in html
    # another commune's officer cannot read the letter
    other = client_for(cast.officer_thanh_xa).get(response["Location"])
    assert other.status_code == 404


def test_unit_links_do_not_underline_the_trees_indentation(cast, client_for):
    # Issue 15: "  Xã Đồng Tâm" was the link's text, so the underline started with spaces.
    import re as _re

    html = client_for(cast.administrator).get("/dossiers/").content.decode()
    links = _re.findall(r'<a href="/dossiers/units/\d+/">([^<]*)</a>', html)
    assert "Xã Đồng Tâm" in links
    assert all(text == text.strip() for text in links), links


def as_text(response) -> str:
    """A printed document's HTML with its no-break spaces (a paragraph's last two words are
    joined by one, cchc.documents.pdf_writer.join_last_words) read as spaces."""
    return response.content.decode().replace("\xa0", " ").replace("&nbsp;", " ")
