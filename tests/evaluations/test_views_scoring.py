"""Self-assessment pages: the tree, saving a row (HTMX and plain), evidence, submission,
and the wall between communes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc.evaluations import services
from cchc.evaluations.models import CycleUnitStatus, Evidence
from tests.evaluations.conftest import evidence_scores, fill_self_scores, score_of

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def pdf(name="ke-hoach.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


def test_officer_sees_the_tree_with_maxima_and_measured_leaves(cast, client_for, open_cycle):
    page = client_for(cast.officer).get(reverse("self-assessment", args=[open_cycle.dong_tam.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Tự đánh giá Chỉ số CCHC 2024 — Xã Đồng Tâm" in html
    assert "Công tác chỉ đạo, điều hành CCHC" in html
    # A text field that takes the decimal comma ("6,5") as well as the point (issue 15).
    assert 'name="value"' in html and 'inputmode="decimal"' in html and "0 – 3" in html
    # Metric leaf 3.2 (on_time_rate 97.5%): 95% to under 100% gives 0.5 point, read-only.
    assert "97,5%" in html and "0,5" in html
    assert 'id="v-3.2"' not in html
    # Survey leaves without results say so instead of counting 0.
    assert "Chưa có kết quả điều tra" in html


def test_wrong_people_are_refused(cast, client, client_for, open_cycle):
    url = reverse("self-assessment", args=[open_cycle.dong_tam.pk])
    assert client.get(url).status_code == 302  # anonymous: to the login page
    assert "/login/" in client.get(url)["Location"]
    assert client_for(cast.officer_thanh_xa).get(url).status_code == 404
    score = score_of(open_cycle.dong_tam, "1.1")
    save = reverse("score-self-save", args=[score.pk])
    assert client_for(cast.officer_thanh_xa).post(save, {"value": "1"}).status_code == 404
    # The appraiser reads the unit's self-assessment but does not score it.
    appraiser = client_for(cast.appraiser)
    assert appraiser.get(url).status_code == 200
    assert appraiser.post(save, {"value": "1"}).status_code == 403
    score.refresh_from_db()
    assert score.self_score is None
    submit = reverse("self-assessment-submit", args=[open_cycle.dong_tam.pk])
    assert client_for(cast.officer).get(submit).status_code == 403  # only the head submits
    assert client_for(cast.officer_thanh_xa).post(submit).status_code == 404


def test_saving_a_row_with_htmx_returns_the_row_and_the_bars(cast, client_for, open_cycle):
    score = score_of(open_cycle.dong_tam, "1.1")
    response = client_for(cast.officer).post(
        reverse("score-self-save", args=[score.pk]),
        {"value": "2,5", "note": "Kế hoạch 1332/KH-UBND"},
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="c-1.1"' in html and "Đã lưu điểm tiêu chí 1.1" in html
    assert 'hx-swap-oob="true"' in html  # completeness bars updated too
    assert "<html" not in html
    score.refresh_from_db()
    assert score.self_score == Decimal("2.5") and score.self_note == "Kế hoạch 1332/KH-UBND"


def test_a_score_above_max_is_refused_naming_the_criterion(cast, client_for, open_cycle):
    score = score_of(open_cycle.dong_tam, "1.1")
    client = client_for(cast.officer)
    response = client.post(reverse("score-self-save", args=[score.pk]), {"value": "3.5"}, **HTMX)
    html = response.content.decode()
    assert "tiêu chí 1.1" in html and "vượt điểm tối đa 3" in html
    negative = client.post(reverse("score-self-save", args=[score.pk]), {"value": "-1"})
    assert negative.status_code == 400  # plain form: the whole page with the message
    assert "tiêu chí 1.1: điểm không được âm" in negative.content.decode()
    score.refresh_from_db()
    assert score.self_score is None


def test_plain_form_fallback_redirects_back_to_the_row(cast, client_for, open_cycle):
    score = score_of(open_cycle.dong_tam, "1.3")
    response = client_for(cast.officer).post(
        reverse("score-self-save", args=[score.pk]), {"value": "3", "note": ""}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/evaluations/units/{open_cycle.dong_tam.pk}/#c-1.3")


def test_evidence_is_added_downloaded_by_those_who_see_it_and_removed(
    cast, client_for, open_cycle, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    cu = open_cycle.dong_tam
    officer = client_for(cast.officer)
    response = officer.post(
        reverse("evidence-add", args=[cu.pk]),
        {
            "criterion": "1.1",
            "title": "Kế hoạch CCHC năm 2024",
            "number_symbol": "1332/KH-UBND",
            "issued_on": "2023-12-31",
            "issuer": "UBND xã Đồng Tâm",
            "file": pdf(),
        },
        **HTMX,
    )
    assert response.status_code == 200
    assert "Kế hoạch CCHC năm 2024" in response.content.decode()
    evidence = Evidence.objects.get(cycle_unit=cu)
    assert evidence.number_symbol == "1332/KH-UBND" and evidence.issued_on.day == 31
    file_url = reverse("evidence-file", args=[evidence.pk])
    assert officer.get(file_url).status_code == 200
    assert client_for(cast.appraiser).get(file_url).status_code == 200
    assert client_for(cast.officer_thanh_xa).get(file_url).status_code == 404
    assert (
        client_for(cast.officer_thanh_xa)
        .post(reverse("evidence-remove", args=[evidence.pk]))
        .status_code
        == 404
    )
    officer = client_for(cast.officer)
    removed = officer.post(reverse("evidence-remove", args=[evidence.pk]), **HTMX)
    assert removed.status_code == 200
    assert not Evidence.objects.filter(cycle_unit=cu).exists()


def test_evidence_without_title_or_with_a_bad_file_is_refused(cast, client_for, open_cycle):
    cu = open_cycle.dong_tam
    response = client_for(cast.officer).post(
        reverse("evidence-add", args=[cu.pk]),
        {"criterion": "1.1", "title": "", "file": pdf("virus.exe")},
        **HTMX,
    )
    html = response.content.decode()
    assert "Tài liệu chưa được thêm" in html
    assert not Evidence.objects.exists()


def test_head_submits_after_confirmation(cast, client_for, open_cycle):
    cu = open_cycle.dong_tam
    head = client_for(cast.head)
    confirm = head.get(reverse("self-assessment-submit", args=[cu.pk]))
    assert confirm.status_code == 200
    assert "Chưa chấm các tiêu chí" in confirm.content.decode()
    refused = head.post(reverse("self-assessment-submit", args=[cu.pk]))
    assert refused.status_code == 400 and "Chưa chấm điểm các tiêu chí" in refused.content.decode()
    fill_self_scores(cu, cast.officer)
    done = head.post(reverse("self-assessment-submit", args=[cu.pk]))
    assert done.status_code == 302
    cu.refresh_from_db()
    assert cu.status == CycleUnitStatus.SUBMITTED
    # After submission the officer's page is read-only.
    page = client_for(cast.officer).get(reverse("self-assessment", args=[cu.pk])).content.decode()
    assert "Bản tự đánh giá đã gửi Tổ thẩm định" in page and 'name="value"' not in page


def test_returned_items_are_shown_to_the_unit(cast, client_for, open_cycle):
    from cchc.evaluations.models import CycleState
    from tests.evaluations.conftest import in_a_week

    cu = open_cycle.dong_tam
    fill_self_scores(cu, cast.officer)
    services.self_assessment_submit(cycle_unit=cu, by=cast.head)
    services.cycle_transition(
        cycle=open_cycle.cycle, to_state=CycleState.APPRAISAL, by=cast.administrator
    )
    services.appraisal_set_score(
        score=score_of(cu, "6"), value="5", reason="Thiếu báo cáo quyết toán", by=cast.appraiser
    )
    services.appraisal_return(
        cycle_unit=cu,
        message="Bổ sung quyết toán ngân sách",
        deadline=in_a_week(),
        by=cast.appraiser,
    )
    html = client_for(cast.officer).get(reverse("self-assessment", args=[cu.pk])).content.decode()
    assert "Tổ thẩm định trả lại để giải trình" in html
    assert "Bổ sung quyết toán ngân sách" in html and "Thiếu báo cáo quyết toán" in html
    assert 'id="v-6"' in html  # the unit may answer (edit) while returned
    assert len(evidence_scores(cu)) > 0
