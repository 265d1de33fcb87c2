"""Appraisal pages: only the appraiser of the unit; a reason whenever the score differs;
return for explanation; finalising the unit."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from cchc.evaluations import services
from cchc.evaluations.models import CycleState, CycleUnitStatus
from cchc.units import roles as R
from cchc.units.services import person_create
from tests.conftest import PASSWORD
from tests.evaluations.conftest import fill_self_scores, in_a_week, score_of

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def in_appraisal(cast, open_cycle):
    fill_self_scores(open_cycle.dong_tam, cast.officer)
    services.self_assessment_submit(cycle_unit=open_cycle.dong_tam, by=cast.head)
    services.cycle_transition(
        cycle=open_cycle.cycle, to_state=CycleState.APPRAISAL, by=cast.administrator
    )
    return open_cycle.refresh()


@pytest.fixture
def other_appraiser(cast):
    return person_create(
        username="thamdinh2",
        password=PASSWORD,
        full_name="Lê Thị Thu",
        unit=cast.department,
        roles=[R.APPRAISER],
    )


def test_appraiser_sees_self_score_note_and_evidence_side_by_side(cast, client_for, in_appraisal):
    page = client_for(cast.appraiser).get(reverse("appraisal", args=[in_appraisal.dong_tam.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Thẩm định Chỉ số CCHC 2024 — Xã Đồng Tâm" in html
    assert "Đơn vị tự đánh giá" in html and "Đã thực hiện" in html  # the unit's note
    assert 'name="reason"' in html and "Giữ điểm tự chấm" in html


def test_only_the_assigned_appraiser(cast, client, client_for, in_appraisal, other_appraiser):
    url = reverse("appraisal", args=[in_appraisal.dong_tam.pk])
    assert client.get(url).status_code == 302
    assert client_for(other_appraiser).get(url).status_code == 404
    assert client_for(cast.officer).get(url).status_code == 403
    assert client_for(cast.officer_thanh_xa).get(url).status_code == 404
    save = reverse("score-appraise-save", args=[score_of(in_appraisal.dong_tam, "6").pk])
    assert client_for(other_appraiser).post(save, {"value": "1", "reason": "x"}).status_code == 404
    assert client_for(cast.officer).post(save, {"value": "1", "reason": "x"}).status_code == 403
    for name in ("appraisal-return", "appraisal-finalise"):
        target = reverse(name, args=[in_appraisal.dong_tam.pk])
        assert client_for(other_appraiser).post(target).status_code == 404
    listing = client_for(other_appraiser).get(reverse("appraisal-list")).content.decode()
    assert "Xã Đồng Tâm" not in listing


def test_appraisal_list_shows_assigned_units_with_status(cast, client_for, in_appraisal):
    html = client_for(cast.appraiser).get(reverse("appraisal-list")).content.decode()
    assert "Xã Đồng Tâm" in html and "Xã Thanh Xá" in html
    assert "Đã gửi thẩm định" in html


def test_a_different_score_needs_a_reason(cast, client_for, in_appraisal):
    score = score_of(in_appraisal.dong_tam, "6")  # self 6.3 (0.9 × 7)
    url = reverse("score-appraise-save", args=[score.pk])
    appraiser = client_for(cast.appraiser)
    refused = appraiser.post(url, {"value": "5", "reason": ""}, **HTMX)
    assert "tiêu chí 6: điểm thẩm định 5 khác điểm tự chấm 6,3, phải nêu lý do" in (
        refused.content.decode()
    )
    score.refresh_from_db()
    assert score.appraised_score is None
    above = appraiser.post(url, {"value": "7.5", "reason": "x"}, **HTMX)
    assert "tiêu chí 6" in above.content.decode() and "vượt điểm tối đa 7" in above.content.decode()
    ok = appraiser.post(url, {"value": "5", "reason": "Thiếu quyết toán"}, **HTMX)
    assert "Đã lưu điểm thẩm định tiêu chí 6" in ok.content.decode()
    assert 'hx-swap-oob="true"' in ok.content.decode()
    score.refresh_from_db()
    assert score.appraised_score == Decimal("5") and score.appraisal_reason == "Thiếu quyết toán"
    kept = appraiser.post(
        reverse("score-appraise-save", args=[score_of(in_appraisal.dong_tam, "2").pk]),
        {"keep": "1", "value": "", "reason": ""},
    )
    assert kept.status_code == 302
    assert score_of(in_appraisal.dong_tam, "2").appraised_score == Decimal("4.5")


def test_return_for_explanation_then_finalise(cast, client_for, in_appraisal):
    cu = in_appraisal.dong_tam
    appraiser = client_for(cast.appraiser)
    assert appraiser.get(reverse("appraisal-return", args=[cu.pk])).status_code == 200
    missing = appraiser.post(reverse("appraisal-return", args=[cu.pk]), {"message": "x"})
    assert missing.status_code == 400
    done = appraiser.post(
        reverse("appraisal-return", args=[cu.pk]),
        {"message": "Bổ sung tài liệu lĩnh vực 6", "deadline": in_a_week().isoformat()},
    )
    assert done.status_code == 302
    cu.refresh_from_db()
    assert cu.status == CycleUnitStatus.RETURNED and cu.return_message.startswith("Bổ sung")
    # The unit answers and the head sends again.
    services.self_assessment_set_score(
        score=score_of(cu, "6"), value="6", note="Đã bổ sung quyết toán", by=cast.officer
    )
    client_for(cast.head).post(reverse("self-assessment-submit", args=[cu.pk]))
    cu.refresh_from_db()
    assert cu.status == CycleUnitStatus.SUBMITTED
    appraiser = client_for(cast.appraiser)  # one test client: sign the appraiser in again
    # Metric leaves without data must get an appraised score before finalising.
    confirm = appraiser.get(reverse("appraisal-finalise", args=[cu.pk]))
    assert "3.6" in confirm.content.decode()  # paid_online_rate: no data
    refused = appraiser.post(reverse("appraisal-finalise", args=[cu.pk]))
    assert refused.status_code == 400
    for score in cu.scores.all():
        if score.final_score is None:
            services.appraisal_set_score(
                score=score, value=0, reason="Không có số liệu", by=cast.appraiser
            )
    assert appraiser.post(reverse("appraisal-finalise", args=[cu.pk])).status_code == 302
    cu.refresh_from_db()
    assert cu.status == CycleUnitStatus.APPRAISED
    page = appraiser.get(reverse("appraisal", args=[cu.pk])).content.decode()
    assert "Mở lại thẩm định" in page and 'name="reason"' not in page
    reopen = appraiser.post(reverse("appraisal-reopen", args=[cu.pk]), {"reason": ""})
    assert reopen.status_code == 400
    again = appraiser.post(reverse("appraisal-reopen", args=[cu.pk]), {"reason": "Soát lại"})
    assert again.status_code == 302
