"""The pages: who may see and do what, the figures they show, the zero state."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
import time_machine
from openpyxl import load_workbook

from cchc.service_index.models import Feedback, FeedbackStatus

from .dbdata import NOW

pytestmark = pytest.mark.django_db
OCTOBER = "start=2023-10-02&end=2023-10-31"


def unit_pages(cast, october):
    u = cast.dong_tam.pk
    return [
        f"/service-index/units/{u}/?{OCTOBER}",
        f"/service-index/units/{u}/trend.svg?{OCTOBER}",
        f"/service-index/units/{u}/export.xlsx?{OCTOBER}",
        f"/service-index/units/{u}/feedback/?{OCTOBER}",
        f"/service-index/feedback/{october.feedback['F1'].pk}/",
    ]


def edit_pages(cast, october):
    u = cast.dong_tam.pk
    return [
        f"/service-index/units/{u}/feedback/new/",
        f"/service-index/units/{u}/feedback/import/",
        f"/service-index/units/{u}/feedback/template.csv",
    ]


def test_another_communes_officer_is_refused_everywhere(cast, october, client_for):
    client = client_for(cast.officer_thanh_xa)
    for url in unit_pages(cast, october) + edit_pages(cast, october):
        assert client.get(url).status_code == 404, url
    f3 = october.feedback["F3"]
    response = client.post(
        f"/service-index/feedback/{f3.pk}/answer/",
        {"answer-on": "2023-10-30", "answer-answer": "x"},
    )
    assert response.status_code == 404
    f3.refresh_from_db()
    assert f3.answered_on is None


def test_anonymous_is_sent_to_login_and_sees_nothing(cast, october, client):
    for url in unit_pages(cast, october) + ["/service-index/", "/service-index/feedback/due/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url


def test_appraiser_reads_but_does_not_record(cast, october, client_for):
    client = client_for(cast.appraiser)
    for url in unit_pages(cast, october):
        assert client.get(url).status_code == 200, url
    for url in edit_pages(cast, october):
        assert client.get(url).status_code == 403, url
    html = client.get(f"/service-index/units/{cast.dong_tam.pk}/feedback/").content.decode()
    assert "Ghi sổ phản ánh mới" not in html


def test_index_page_shows_the_figures_known_by_hand(cast, october, client_for):
    html = client_for(cast.head).get(f"/service-index/units/{cast.dong_tam.pk}/?{OCTOBER}")
    text = html.content.decode()
    assert "46,67" in text and "/96 điểm" in text and "48,61/100" in text
    assert "4 điểm của chỉ số 4.5a, 4.5b chỉ Cổng Dịch vụ công quốc gia đo được" in text
    assert "Xếp thứ 1/2" in text
    # what loses the most comes first: 2.1 loses 20 − 20 × 6/9 = 6,67 points
    assert text.index('data-testid="loses-most"') < text.index('data-testid="indicator-table"')
    assert "mất 6,67/20 điểm" in text
    # per-procedure publication: P2 announced and published late, parts incomplete
    assert "hạn 02/10/2023" in text and "hạn 10/10/2023" in text
    assert "Trong kỳ nhận 7 phản ánh, kiến nghị" in text


def test_zero_feedback_is_said_not_scored_as_100(cast, october, client_for):
    client = client_for(cast.officer_thanh_xa)
    html = client.get(f"/service-index/units/{cast.thanh_xa.pk}/?{OCTOBER}").content.decode()
    assert "Chưa nhận được phản ánh, kiến nghị nào trong kỳ" in html
    assert "không phải 100%" in html
    html = client.get(
        f"/service-index/units/{cast.thanh_xa.pk}/feedback/?{OCTOBER}"
    ).content.decode()
    assert 'data-testid="zero-feedback"' in html


def test_xlsx_export_adds_up(cast, october, client_for):
    response = client_for(cast.officer).get(
        f"/service-index/units/{cast.dong_tam.pk}/export.xlsx?{OCTOBER}"
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content))["Chỉ số 766"]
    rows = {r[0]: r for r in sheet.iter_rows(values_only=True) if r and r[0]}
    assert float(rows["Tổng điểm"][1]) == pytest.approx(46.67)
    assert rows["2.1"][4:8] == (6, "Số hồ sơ tiếp nhận, xử lý trong kỳ", 9, pytest.approx(66.67))


def test_trend_is_an_svg(cast, october, client_for):
    response = client_for(cast.officer).get(
        f"/service-index/units/{cast.dong_tam.pk}/trend.svg?{OCTOBER}"
    )
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content


def test_ranking_shows_only_the_units_one_may_see(cast, october, client_for):
    url = f"/service-index/units/{cast.district.pk}/ranking/?{OCTOBER}"
    html = client_for(cast.administrator).get(url).content.decode()
    assert "Xã Đồng Tâm" in html and "Xã Thanh Xá" in html
    html = client_for(cast.officer_thanh_xa).get(url).content.decode()
    assert "Xã Thanh Xá" in html and "Xã Đồng Tâm" not in html
    assert "bạn chỉ xem được 1 đơn vị" in html
    # a unit with no visible commune under it, and not visible itself: refused
    assert (
        client_for(cast.officer)
        .get(f"/service-index/units/{cast.department.pk}/ranking/")
        .status_code
        == 404
    )
    xlsx = client_for(cast.administrator).get(
        f"/service-index/units/{cast.district.pk}/ranking.xlsx?{OCTOBER}"
    )
    assert xlsx.status_code == 200


def test_home_goes_to_ones_own_unit(cast, client_for):
    response = client_for(cast.officer).get("/service-index/")
    assert response.status_code == 302
    assert response["Location"] == f"/service-index/units/{cast.dong_tam.pk}/"
    html = client_for(cast.administrator).get("/service-index/").content.decode()
    assert "Xã Đồng Tâm" in html and "Các xã, phường thuộc Huyện Ninh Giang" in html


def test_period_form_rejects_half_a_range(cast, client_for):
    html = (
        client_for(cast.officer)
        .get(f"/service-index/units/{cast.dong_tam.pk}/?start=2023-10-02")
        .content.decode()
    )
    assert "Nhập cả ngày bắt đầu và ngày kết thúc" in html
    html = (
        client_for(cast.officer)
        .get(f"/service-index/units/{cast.dong_tam.pk}/?period=2023-Q9")
        .content.decode()
    )
    assert "Kỳ quý số 9 không tồn tại" in html or "không tồn tại" in html


def test_officer_records_assigns_answers_and_publishes(cast, client_for):
    client = client_for(cast.officer)
    with time_machine.travel(NOW, tick=False):
        response = client.post(
            f"/service-index/units/{cast.dong_tam.pk}/feedback/new/",
            {
                "received_on": "2023-11-13",
                "channel": "truc_tiep",
                "content": "Đề nghị bố trí thêm ghế chờ",
                "classification": "de_xuat",
                "assigned_to": cast.officer.pk,
            },
        )
        assert response.status_code == 302
        f = Feedback.objects.get(unit=cast.dong_tam)
        assert f.answer_due_on == dt.date(2023, 12, 4) and f.assigned_to == cast.officer
        page = client.get(f"/service-index/feedback/{f.pk}/").content.decode()
        assert "04/12/2023" in page and "Giao người xử lý" in page
        bad = client.post(
            f"/service-index/feedback/{f.pk}/answer/",
            {"answer-on": "2023-11-10", "answer-answer": "Đã bố trí"},
        )
        assert bad.status_code == 400
        assert "trước ngày nhận phản ánh" in bad.content.decode()
        ok = client.post(
            f"/service-index/feedback/{f.pk}/answer/",
            {"answer-on": "2023-11-16", "answer-answer": "Đã bố trí"},
        )
        assert ok.status_code == 302
        client.post(
            f"/service-index/feedback/{f.pk}/publish/",
            {"publish-on": "2023-11-17", "publish-where": "Bảng tin xã"},
        )
        client.post(
            f"/service-index/feedback/{f.pk}/satisfaction/",
            {"satisfaction-satisfaction": "satisfied", "satisfaction-note": ""},
        )
    f.refresh_from_db()
    assert (f.status, f.satisfaction) == (FeedbackStatus.PUBLISHED, "satisfied")
    assert f.history.count() == 4


def test_due_list_and_inbox(cast, october, client_for):
    from cchc.core.navigation import inbox_for

    with time_machine.travel(NOW, tick=False):
        # at 20/11/2023: F3 (answer due 10/11) and F4 (publication due 12/10) are late
        html = client_for(cast.head).get("/service-index/feedback/due/").content.decode()
        # as words: the page's random CSRF token may hold "F1" ("…CaF1Uql…")
        assert re.search(r"\bF3\b", html) and re.search(r"\bF4\b", html)
        assert not re.search(r"\bF1\b", html)
        items = inbox_for(cast.head)
        titles = [i.title for i in items if "Phản ánh" in i.title]
        assert titles == [
            "Phản ánh, kiến nghị F4: hạn công khai kết quả trả lời",
            "Phản ánh, kiến nghị F3: hạn trả lời (xử lý)",
        ]
        assert all(i.overdue for i in items if "Phản ánh" in i.title)
        assert not [i for i in inbox_for(cast.officer_thanh_xa) if "Phản ánh" in i.title]
        html = client_for(cast.head).get("/").content.decode()
        assert "Phản ánh, kiến nghị F3" in html


def test_import_page_reports_errors_by_row(cast, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(cast.officer)
    bad = SimpleUploadedFile("so.csv", b"received_on,channel,content\n2023-13-01,fax,\n")
    html = client.post(
        f"/service-index/units/{cast.dong_tam.pk}/feedback/import/", {"file": bad}, follow=True
    ).content.decode()
    assert 'data-status="failed"' in html  # the job's page
    assert "dòng 2" in html and "received_on" in html and "channel" in html
    assert "không có dữ liệu nào được nhập" in html
    good = SimpleUploadedFile(
        "so.csv", "received_on,channel,content\n2023-10-02,hom_thu,Góp ý\n".encode()
    )
    response = client.post(
        f"/service-index/units/{cast.dong_tam.pk}/feedback/import/", {"file": good}
    )
    assert response["Location"].startswith("/jobs/")
    assert Feedback.objects.filter(unit=cast.dong_tam).count() == 1
