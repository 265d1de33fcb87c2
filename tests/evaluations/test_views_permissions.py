"""The wall, page by page: the officer of Thanh Xá gets 403 on every page and action of Đồng
Tâm's evaluation and on the cycle's administration; a visitor is sent to the login page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cchc.evaluations import services
from cchc.evaluations.models import Evidence
from tests.evaluations.conftest import score_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def targets(cast, open_cycle):
    cu = open_cycle.dong_tam
    evidence = services.evidence_add(
        cycle_unit=cu,
        criterion=score_of(cu, "1.1").criterion,
        title="Kế hoạch CCHC",
        by=cast.officer,
    )
    score = score_of(cu, "1.1").pk
    cycle = open_cycle.cycle.pk
    unit_pages = [
        ("get", "self-assessment", [cu.pk]),
        ("post", "evidence-add", [cu.pk]),
        ("get", "self-assessment-submit", [cu.pk]),
        ("post", "unit-refresh-measures", [cu.pk]),
        ("get", "appraisal", [cu.pk]),
        ("get", "appraisal-return", [cu.pk]),
        ("get", "appraisal-finalise", [cu.pk]),
        ("get", "appraisal-reopen", [cu.pk]),
        ("get", "unit-result", [cu.pk]),
        ("get", "unit-chart", [cu.pk, "bar"]),
        ("get", "unit-history", [cu.pk]),
        ("post", "score-self-save", [score]),
        ("post", "score-appraise-save", [score]),
        ("post", "evidence-remove", [evidence.pk]),
        ("get", "evidence-file", [evidence.pk]),
        ("post", "cycle-unit-remove", [cu.pk]),
    ]
    cycle_pages = [
        ("get", "cycle-transition", [cycle, "appraisal"]),
        ("get", "cycle-publish", [cycle]),
        ("post", "cycle-refresh-measures", [cycle]),
        ("post", "cycle-unit-add", [cycle]),
        ("get", "cycle-results", [cycle]),
        ("get", "cycle-results-xlsx", [cycle]),
        ("get", "cycle-ranking-chart", [cycle]),
        ("get", "survey-import", [cycle]),
        ("get", "survey-template", [cycle]),
        ("post", "survey-results", [cycle]),
        ("get", "framework-upload", []),
        ("get", "cycle-create", []),
    ]
    return unit_pages, cycle_pages, evidence


def test_officer_of_another_commune_is_refused_everywhere(cast, client_for, targets):
    unit_pages, cycle_pages, evidence = targets
    client = client_for(cast.officer_thanh_xa)
    # Đồng Tâm's pages do not exist for them (404); the cycle they take part in is seen,
    # and acting on it is the organiser's (403 with the reason).
    for method, name, args in unit_pages:
        response = getattr(client, method)(reverse(name, args=args))
        assert response.status_code == 404, (name, response.status_code)
    for method, name, args in cycle_pages:
        response = getattr(client, method)(reverse(name, args=args))
        assert response.status_code in (403, 404), (name, response.status_code)
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_visitors_are_sent_to_the_login_page(client, targets):
    unit_pages, cycle_pages, _ = targets
    for method, name, args in unit_pages + cycle_pages:
        response = getattr(client, method)(reverse(name, args=args))
        assert response.status_code == 302, name
        assert response["Location"].startswith("/login/"), name


def test_the_officer_of_the_unit_is_let_in(cast, client_for, targets):
    unit_pages, _, _ = targets
    client = client_for(cast.officer)
    for name in ("self-assessment", "unit-result", "unit-history", "unit-chart"):
        args = next(a for _, n, a in unit_pages if n == name)
        assert client.get(reverse(name, args=args)).status_code == 200, name
