"""Every main page of the PAR index evaluation, on a laptop and a phone, filled with a
published 2022 cycle (seed 003's Đồng Tâm) and an open cycle with scores and evidence.
Screenshots go to test-artifacts/ (look at them); the checks are what a reader must see."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from cchc.evaluations import services
from cchc.evaluations.models import CycleState
from tests.browser.conftest import check_both_widths
from tests.evaluations.conftest import (  # noqa: F401 (fixtures)
    demo_framework,
    fake_metrics,
    hd_framework,
    score_of,
)
from tests.evaluations.test_views_results import build_2022

pytestmark = pytest.mark.django_db(transaction=True)


def both(page, name: str) -> None:
    check_both_widths(page, f"evaluation-{name}")


def sign_in(page, login, username: str) -> None:
    page.context.clear_cookies()
    login(username)


@pytest.fixture
def filled(cast, hd_framework, demo_framework, fake_metrics, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path
    published, dong_tam_2022, _ = build_2022(cast, hd_framework)
    cycle = services.cycle_open(
        framework=demo_framework,
        year=2024,
        name="Chỉ số CCHC năm 2024 của UBND các xã (minh họa)",
        organiser=cast.province,
        units={cast.dong_tam: "Khối xã", cast.thanh_xa: "Khối xã"},
        measure_start=dt.date(2023, 12, 15),
        measure_end=dt.date(2024, 12, 14),
        appraising_body=cast.department,
        self_assessment_deadline=dt.date(2030, 1, 15),
        appraisal_deadline=dt.date(2030, 2, 28),
        by=cast.administrator,
    )
    services.cycle_transition(
        cycle=cycle, to_state=CycleState.SELF_ASSESSMENT, by=cast.administrator
    )
    dong_tam = cycle.cycle_units.get(unit=cast.dong_tam)
    for code, value, note in (
        ("1.1", "3", "Kế hoạch 645/KH-UBND ngày 30/12/2023"),
        ("1.3", "2.5", "Thiếu báo cáo quý I"),
        ("2", "4.5", ""),
    ):
        services.self_assessment_set_score(
            score=score_of(dong_tam, code), value=value, note=note, by=cast.officer
        )
    services.evidence_add(
        cycle_unit=dong_tam,
        criterion=score_of(dong_tam, "1.1").criterion,
        title="Kế hoạch cải cách hành chính năm 2024",
        number_symbol="645/KH-UBND",
        issued_on=dt.date(2023, 12, 30),
        issuer="UBND xã Đồng Tâm",
        file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="645-KH-UBND.pdf"),
        by=cast.officer,
    )
    return published, dong_tam_2022, cycle, dong_tam


def test_every_page_on_a_laptop_and_a_phone(cast, page, login, filled):
    published, dong_tam_2022, cycle, dong_tam = filled

    sign_in(page, login, "congchuc.dongtam")
    expect(page.locator(".inbox")).to_contain_text("Tự đánh giá Chỉ số CCHC 2024")
    both(page, "home-officer")
    page.goto("/evaluations/")
    both(page, "cycle-list-officer")
    page.goto(f"/evaluations/units/{dong_tam.pk}/")
    expect(page.locator("#c-3\\.2 [data-testid=measured]")).to_contain_text("97,5%")
    both(page, "self-assessment-open")
    page.goto(f"/evaluations/units/{dong_tam_2022.pk}/result/")
    expect(page.locator("[data-testid=rank]")).to_have_text("1/2")
    both(page, "unit-result")
    page.goto(f"/evaluations/units/{dong_tam.pk}/result/")
    expect(page.locator("[data-testid=comparison]")).to_contain_text("Bộ chỉ số thay đổi")
    both(page, "unit-result-provisional")
    page.goto(f"/evaluations/units/{dong_tam_2022.pk}/history/")
    expect(page.locator("[data-testid=history]")).to_contain_text("Điểm thẩm định")
    both(page, "history")

    sign_in(page, login, "thamdinh")
    page.goto("/evaluations/appraisal/")
    both(page, "appraisal-list")

    sign_in(page, login, "quantri")
    page.goto("/frameworks/")
    both(page, "framework-list")
    page.goto("/frameworks/minh-hoa-xa/")
    expect(page.locator("[data-testid=criteria-tree]")).to_contain_text("từ 100%: 1 điểm")
    both(page, "framework-detail")
    page.goto("/frameworks/upload/")
    both(page, "framework-upload")
    page.goto("/evaluations/")
    both(page, "cycle-list-admin")
    page.goto("/evaluations/new/")
    both(page, "cycle-new")
    page.goto(f"/evaluations/{cycle.pk}/")
    expect(page.locator("[data-testid=progress]")).to_contain_text("Đang tự chấm")
    both(page, "cycle-open")
    page.goto(f"/evaluations/{cycle.pk}/results/")
    both(page, "results-provisional")
    page.goto(f"/evaluations/{published.pk}/results/")
    both(page, "results-published")
    page.goto(f"/surveys/{cycle.pk}/")
    both(page, "surveys-admin")
    page.goto("/evaluations/remediation/")
    expect(page.locator("[data-testid=duties]")).to_contain_text("Xã Thanh Xá")
    both(page, "remediation")

    page.context.clear_cookies()
    page.goto("/evaluations/public/")
    both(page, "public-list")
    page.goto(f"/evaluations/public/{published.pk}/")
    expect(page.locator("[data-testid=grades]")).to_contain_text("Hoàn thành xuất sắc nhiệm vụ")
    both(page, "public-cycle-full")
    page.goto(f"/evaluations/public/{published.pk}/units/{cast.dong_tam.pk}/")
    page.locator("img.chart").first.scroll_into_view_if_needed()
    both(page, "public-unit-full")
    # The open cycle is nowhere on the public side.
    response = page.goto(f"/evaluations/public/{cycle.pk}/")
    assert response.status == 404
