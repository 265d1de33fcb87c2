"""Survey result pages: administrators enter or import results per unit; units read theirs."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc.surveys.models import SurveyResult
from tests.evaluations.conftest import score_of  # fixtures: tests/surveys/conftest.py

pytestmark = pytest.mark.django_db


def test_administrator_enters_a_result_and_the_leaf_takes_it(cast, client_for, open_cycle):
    url = reverse("survey-results", args=[open_cycle.cycle.pk])
    admin = client_for(cast.administrator)
    page = admin.get(url).content.decode()
    assert "Chỉ số hài lòng (SIPAS)" in page and "Nhập từ tệp" in page
    response = admin.post(
        url, {"unit": cast.dong_tam.pk, "survey": "sipas", "value": "92,8", "respondents": "120"}
    )
    assert response.status_code == 302
    score = score_of(open_cycle.dong_tam, "10")
    assert str(score.measured_value.normalize()) == "92.8"
    html = admin.get(url).content.decode()
    assert "92,8" in html and "120 phiếu" in html
    too_high = admin.post(url, {"unit": cast.dong_tam.pk, "survey": "sipas", "value": "120"})
    assert too_high.status_code == 400 and "Kết quả phải từ 0 đến 100" in too_high.content.decode()


def test_import_reports_rows_and_imports_nothing_on_error(cast, client_for, open_cycle):
    url = reverse("survey-import", args=[open_cycle.cycle.pk])
    admin = client_for(cast.administrator)
    bad = "unit,survey,value\nXã Đồng Tâm,sipas,92.8\nXã Không Có,sipas,80\nXã Thanh Xá,sipas,abc\n"
    response = admin.post(url, {"file": SimpleUploadedFile("sipas.csv", bad.encode())}, follow=True)
    html = response.content.decode()
    assert 'data-status="failed"' in html
    assert "dòng 3" in html and "cột &#x27;unit&#x27;" in html and "dòng 4" in html
    assert not SurveyResult.objects.exists()
    good = "unit,survey,value,respondents\nXã Đồng Tâm,sipas,92.8,100\nXã Thanh Xá,dieu_tra_xhh,81,60\n"
    response = admin.post(url, {"file": SimpleUploadedFile("sipas.csv", good.encode())})
    assert response["Location"].startswith("/jobs/")
    assert "Đã nhập 2 kết quả điều tra" in admin.get(response["Location"]).content.decode()
    assert SurveyResult.objects.count() == 2
    template = admin.get(reverse("survey-template", args=[open_cycle.cycle.pk]))
    assert template.content.decode("utf-8-sig").startswith("unit,survey,value")


def test_units_read_only_their_own_results(cast, client, client_for, open_cycle):
    url = reverse("survey-results", args=[open_cycle.cycle.pk])
    assert client.get(url).status_code == 302
    officer = client_for(cast.officer)
    page = officer.get(url).content.decode()
    assert "Xã Đồng Tâm" in page and "Xã Thanh Xá" not in page and "Nhập một kết quả" not in page
    refused = officer.post(url, {"unit": cast.dong_tam.pk, "survey": "sipas", "value": "99"})
    assert refused.status_code == 403
    assert not SurveyResult.objects.exists()
    assert officer.get(reverse("survey-import", args=[open_cycle.cycle.pk])).status_code == 403
    assert (
        client_for(cast.officer_thanh_xa)
        .get(reverse("survey-template", args=[open_cycle.cycle.pk]))
        .status_code
        == 403
    )
