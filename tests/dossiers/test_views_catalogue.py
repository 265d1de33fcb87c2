"""The procedure catalogue pages: everyone signed in reads it, administrators change it."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from cchc.dossiers import imports
from cchc.dossiers.models import Procedure
from tests.dossiers.view_helpers import text

pytestmark = pytest.mark.django_db
LIST = reverse("dossiers:procedures")
NEW = reverse("dossiers:procedure-new")
IMPORT = reverse("dossiers:procedure-import")


def test_anonymous_is_sent_to_login(cast, procedures, client):
    for url in (LIST, NEW, IMPORT, reverse("dossiers:procedure", args=[procedures["birth"].pk])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_officers_read_but_only_administrators_change(cast, procedures, client_for):
    birth = procedures["birth"]
    officer = client_for(cast.officer_thanh_xa)
    assert officer.get(LIST).status_code == 200
    html = text(officer.get(reverse("dossiers:procedure", args=[birth.pk])))
    assert "Đăng ký khai sinh" in html and "Sửa" not in html
    for url in (NEW, IMPORT, reverse("dossiers:procedure-edit", args=[birth.pk])):
        assert officer.get(url).status_code == 403, url
    assert officer.post(NEW, {"code": "9.999999", "name": "X"}).status_code == 403
    assert not Procedure.objects.filter(code="9.999999").exists()


def test_search_and_filters(cast, procedures, client_for):
    client = client_for(cast.officer)

    def codes(query):
        html = text(client.get(LIST, query))
        return {p.code for p in procedures.values() if f">{p.code}<" in html}

    assert codes({}) == {"1.001193", "1.001035", "1.004873", "2.000884"}
    assert codes({"q": "khai sinh"}) == {"1.001193"}
    assert codes({"q": "1.0048"}) == {"1.004873"}
    assert codes({"field": "Chứng thực"}) == {"1.001035"}
    assert codes({"online_class": "full"}) == {"1.001193"}
    fragment = text(client.get(LIST, {"q": "khai sinh"}, HTTP_HX_REQUEST="true"))
    assert "<html" not in fragment and "1.001193" in fragment


def test_administrator_creates_and_edits_with_publication_fields(cast, client_for):
    client = client_for(cast.administrator)
    data = {
        "code": "1.000894",
        "name": "Đăng ký kết hôn",
        "field": "Hộ tịch",
        "level": "commune",
        "processing_days": "1",
        "fee": "0",
        "online_class": "partial",
        "announcement_no": "1812/QĐ-UBND",
        "announced_on": "2025-07-01",
        "legal_basis_effective_on": "2025-07-01",
        "published_on": "2025-07-05",
        "all_parts_published": "on",
        "paper_result_required": "on",
        "active": "on",
        "reason": "Quyết định công bố 1812/QĐ-UBND",
    }
    response = client.post(NEW, data)
    procedure = Procedure.objects.get(code="1.000894")
    assert response["Location"] == reverse("dossiers:procedure", args=[procedure.pk])
    assert procedure.published_on == dt.date(2025, 7, 5) and procedure.all_parts_published
    assert procedure.announcement_no == "1812/QĐ-UBND"
    # edit: the code stays, the change is in the history with its reason
    edit = reverse("dossiers:procedure-edit", args=[procedure.pk])
    client.post(edit, data | {"code": "CHANGED", "processing_days": "3", "reason": "Sửa thời hạn"})
    procedure.refresh_from_db()
    assert procedure.code == "1.000894" and procedure.processing_days == 3
    html = text(client.get(reverse("dossiers:procedure", args=[procedure.pk])))
    assert "Sửa thời hạn" in html and "Nguyễn Thị Hạnh" in html
    # a bad value names its field
    html = text(client.post(NEW, data | {"code": "1.000895", "fee": "-5"}))
    assert "errorlist" in html and not Procedure.objects.filter(code="1.000895").exists()


def test_export_then_import_round_trip_and_a_bad_file(cast, procedures, client_for):
    client = client_for(cast.administrator)
    csv_bytes = client.get(reverse("dossiers:procedure-export", args=["csv"])).content
    assert csv_bytes.startswith("\ufeff".encode())
    header = csv_bytes.decode("utf-8-sig").splitlines()[0].split(",")
    assert header == list(imports.PROCEDURE_COLUMNS)
    changed = csv_bytes.decode("utf-8-sig").replace("Đăng ký khai sinh", "Đăng ký khai sinh (sửa)")
    upload = SimpleUploadedFile("danh-muc.csv", changed.encode())
    response = client.post(IMPORT, {"file": upload})
    assert response["Location"].startswith("/jobs/")  # the upload ran as a job
    assert Procedure.objects.get(code="1.001193").name == "Đăng ký khai sinh (sửa)"

    bad = "code,name,processing_days,online_class\n1.001193,Khai sinh,abc,full\n2.1,,3,maybe\n"
    html = text(
        client.post(IMPORT, {"file": SimpleUploadedFile("bad.csv", bad.encode())}, follow=True)
    )
    assert 'data-status="failed"' in html
    assert "không có dữ liệu nào được nhập" in html
    assert "dòng 2, cột 'processing_days'" in html
    assert "dòng 3, cột 'name'" in html and "dòng 3, cột 'online_class'" in html
    assert Procedure.objects.get(code="1.001193").name == "Đăng ký khai sinh (sửa)"
    assert not Procedure.objects.filter(code="2.1").exists()

    xlsx = client.get(reverse("dossiers:procedure-export", args=["xlsx"]), {"field": "Hộ tịch"})
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == list(imports.PROCEDURE_COLUMNS) and len(rows) == 2
    assert rows[1][0] == "1.001193" and rows[1][4] == 1
