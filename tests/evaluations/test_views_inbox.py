"""The home page's waiting items and the menu entries of the evaluation."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from cchc.core.navigation import inbox_for
from cchc.evaluations import services
from cchc.evaluations.models import CycleState
from tests.evaluations.conftest import fill_self_scores, in_a_week, score_of

pytestmark = pytest.mark.django_db


def titles(user):
    return [item.title for item in inbox_for(user)]


@time_machine.travel("2025-01-05 09:00 +0700")
def test_officer_sees_the_self_assessment_with_its_deadline(cast, client_for, open_cycle):
    assert "Tự đánh giá Chỉ số CCHC 2024 — hạn 15/01/2025" in titles(cast.officer)
    assert "Tự đánh giá Chỉ số CCHC 2024 — hạn 15/01/2025" in titles(cast.head)
    html = client_for(cast.officer).get(reverse("home")).content.decode()
    assert "Tự đánh giá Chỉ số CCHC 2024" in html
    item = next(i for i in inbox_for(cast.officer) if i.title.startswith("Tự đánh giá"))
    assert not item.overdue
    assert item.url == reverse("self-assessment", args=[open_cycle.dong_tam.pk])
    # Thanh Xá's officer sees Thanh Xá's, not Đồng Tâm's.
    other = next(i for i in inbox_for(cast.officer_thanh_xa) if i.title.startswith("Tự đánh giá"))
    assert other.url == reverse("self-assessment", args=[open_cycle.thanh_xa.pk])


@time_machine.travel("2025-01-20 09:00 +0700")
def test_overdue_self_assessment_and_administrator_prompt(cast, open_cycle):
    item = next(i for i in inbox_for(cast.officer) if i.title.startswith("Tự đánh giá"))
    assert item.overdue
    assert any("chuyển sang thẩm định" in t for t in titles(cast.administrator))


def test_appraiser_and_returned_items(cast, open_cycle):
    fill_self_scores(open_cycle.dong_tam, cast.officer)
    services.self_assessment_submit(cycle_unit=open_cycle.dong_tam, by=cast.head)
    assert "1 đơn vị chờ thẩm định Chỉ số CCHC 2024" in titles(cast.appraiser)
    services.cycle_transition(
        cycle=open_cycle.cycle, to_state=CycleState.APPRAISAL, by=cast.administrator
    )
    services.appraisal_set_score(
        score=score_of(open_cycle.dong_tam, "2"), value="4", reason="Thiếu", by=cast.appraiser
    )
    services.appraisal_return(
        cycle_unit=open_cycle.dong_tam,
        message="Giải trình lĩnh vực 2",
        deadline=in_a_week(),
        by=cast.appraiser,
    )
    assert any(t.startswith("Giải trình Chỉ số CCHC 2024") for t in titles(cast.officer))
    assert not any(t.startswith("Giải trình") for t in titles(cast.officer_thanh_xa))


def test_draft_cycle_prompts_the_administrator(cast, draft_cycle):
    assert any("còn là dự thảo" in t for t in titles(cast.administrator))
    assert not any("dự thảo" in t for t in titles(cast.officer))


def test_public_menu_entry_for_visitors(client):
    html = client.get(reverse("home")).content.decode()
    assert "Kết quả Chỉ số CCHC" in html
    assert reverse("public-results") in html
