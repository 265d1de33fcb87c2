"""Cycle pages: opening a cycle with its units and blocks, the state machine with
confirmation (reopening needs a reason), the per-unit progress table, publication."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from cchc.evaluations import services
from cchc.evaluations.models import Cycle, CycleState, CycleTransition
from tests.evaluations.conftest import appraise_all, fill_self_scores

pytestmark = pytest.mark.django_db


def test_administrator_opens_a_cycle_with_the_communes_in_their_block(
    cast, client_for, demo_framework, fake_metrics
):
    admin = client_for(cast.administrator)
    form = admin.get(reverse("cycle-create"))
    assert form.status_code == 200
    html = form.content.decode()
    assert "Khối phường / Khối xã, đặc khu" in html and "Khối sở, ngành" in html
    response = admin.post(
        reverse("cycle-create"),
        {
            "framework": demo_framework.pk,
            "year": 2025,
            "name": "Chỉ số CCHC năm 2025",
            "include_communes": "on",
            "appraising_body": cast.department.pk,
            "measure_start": "2024-12-15",
            "measure_end": "2025-12-14",
            "self_assessment_deadline": "2026-01-10",
            "appraisal_deadline": "2026-02-10",
        },
    )
    assert response.status_code == 302
    cycle = Cycle.objects.get(year=2025)
    assert cycle.state == CycleState.DRAFT and cycle.organiser == cast.province
    assert {(cu.unit.name, cu.block) for cu in cycle.cycle_units.select_related("unit")} == {
        ("Xã Đồng Tâm", "Khối xã, đặc khu"),
        ("Xã Thanh Xá", "Khối xã, đặc khu"),
    }


def test_opening_needs_units_and_ordered_dates(cast, client_for, demo_framework):
    response = client_for(cast.administrator).post(
        reverse("cycle-create"),
        {
            "framework": demo_framework.pk,
            "year": 2025,
            "name": "x",
            "measure_start": "2025-12-15",
            "measure_end": "2025-01-14",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Hãy chọn ít nhất một nhóm đơn vị" in html
    assert not Cycle.objects.exists()


def test_only_administrators_open_and_move_cycles(cast, client, client_for, draft_cycle):
    assert client.get(reverse("cycle-create")).status_code == 302
    for person in (cast.officer, cast.head, cast.appraiser):
        assert client_for(person).get(reverse("cycle-create")).status_code == 403
    url = reverse("cycle-transition", args=[draft_cycle.cycle.pk, "self_assessment"])
    # Drafts are invisible to the units; later states are refused to non-administrators.
    assert client_for(cast.officer).get(url).status_code == 404
    services.cycle_transition(
        cycle=draft_cycle.cycle, to_state=CycleState.SELF_ASSESSMENT, by=cast.administrator
    )
    back = reverse("cycle-transition", args=[draft_cycle.cycle.pk, "draft"])
    assert client_for(cast.officer).post(back, {"reason": "x"}).status_code == 403
    assert client_for(cast.appraiser).post(back, {"reason": "x"}).status_code == 403
    assert (
        client_for(cast.officer_thanh_xa)
        .get(reverse("cycle-publish", args=[draft_cycle.cycle.pk]))
        .status_code
        == 403
    )


def test_transition_is_confirmed_then_done(cast, client_for, draft_cycle):
    admin = client_for(cast.administrator)
    url = reverse("cycle-transition", args=[draft_cycle.cycle.pk, "self_assessment"])
    confirm = admin.get(url)
    assert confirm.status_code == 200 and "Bắt đầu tự đánh giá" in confirm.content.decode()
    assert admin.post(url, {"reason": ""}).status_code == 302
    draft_cycle.refresh()
    assert draft_cycle.cycle.state == CycleState.SELF_ASSESSMENT


def test_reopening_requires_a_reason(cast, client_for, open_cycle):
    admin = client_for(cast.administrator)
    url = reverse("cycle-transition", args=[open_cycle.cycle.pk, "draft"])
    page = admin.get(url).content.decode()
    assert "Lý do (bắt buộc)" in page
    refused = admin.post(url, {"reason": "  "})
    assert refused.status_code == 400
    assert "Phải nêu lý do" in refused.content.decode()
    assert admin.post(url, {"reason": "Thiếu xã Hồng Dụ"}).status_code == 302
    last = CycleTransition.objects.filter(cycle=open_cycle.cycle).latest("at")
    assert last.reopening and last.reason == "Thiếu xã Hồng Dụ"
    detail = admin.get(reverse("cycle-detail", args=[open_cycle.cycle.pk])).content.decode()
    assert "Thiếu xã Hồng Dụ" in detail and "mở lại" in detail


def test_cycle_page_shows_state_and_progress_per_unit(cast, client_for, open_cycle):
    fill_self_scores(open_cycle.dong_tam, cast.officer)
    page = client_for(cast.administrator).get(reverse("cycle-detail", args=[open_cycle.cycle.pk]))
    html = page.content.decode()
    assert "Xã Đồng Tâm" in html and "Xã Thanh Xá" in html
    assert "Đang tự chấm" in html and "Chưa chấm" in html
    assert "Chuyển sang thẩm định" in html
    # An officer sees the cycle but only their own unit's row.
    officer = client_for(cast.officer).get(reverse("cycle-detail", args=[open_cycle.cycle.pk]))
    assert officer.status_code == 200
    text = officer.content.decode()
    assert "Xã Đồng Tâm" in text and "Xã Thanh Xá" not in text
    assert "Chuyển sang thẩm định" not in text


def test_cycle_list_links_each_person_to_their_work(cast, client_for, open_cycle):
    html = client_for(cast.officer).get(reverse("cycle-list")).content.decode()
    assert "Tự đánh giá: Xã Đồng Tâm" in html
    html = client_for(cast.administrator).get(reverse("cycle-list")).content.decode()
    assert "Mở kỳ đánh giá" in html


def _finalised(cast, setup):
    for cu, by in ((setup.dong_tam, cast.officer), (setup.thanh_xa, cast.officer_thanh_xa)):
        fill_self_scores(cu, by)
    services.cycle_transition(
        cycle=setup.cycle, to_state=CycleState.APPRAISAL, by=cast.administrator
    )
    appraise_all(setup, cast)
    services.cycle_transition(
        cycle=setup.cycle, to_state=CycleState.FINALISED, by=cast.administrator
    )
    return setup.refresh()


def test_publication_with_decision(cast, client, client_for, open_cycle):
    setup = _finalised(cast, open_cycle)
    url = reverse("cycle-publish", args=[setup.cycle.pk])
    assert client.get(reverse("public-cycle", args=[setup.cycle.pk])).status_code == 404
    admin = client_for(cast.administrator)
    assert admin.get(url).status_code == 200
    bad = admin.post(url, {"decision_no": "", "decision_date": ""})
    assert bad.status_code == 400
    response = admin.post(url, {"decision_no": "766/QĐ-UBND", "decision_date": "2025-03-16"})
    assert response.status_code == 302
    assert response["Location"] == reverse("public-cycle", args=[setup.cycle.pk])
    setup.refresh()
    assert setup.cycle.state == CycleState.PUBLISHED
    assert setup.cycle.decision_date == dt.date(2025, 3, 16)
