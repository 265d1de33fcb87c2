"""The evaluation routes that no wrong-person test named (issue 12, finding 5)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc.evaluations.models import RemediationDuty
from cchc.units.permissions import NOT_FOUND
from tests.evaluations.test_views_results import build_2022


def test_remediation_plan_file_is_404_for_another_commune(
    cast, client_for, hd_framework, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    _, _, thanh_xa = build_2022(cast, hd_framework)
    duty = RemediationDuty.objects.get(cycle_unit=thanh_xa)
    plan = SimpleUploadedFile("ke-hoach-khac-phuc.pdf", b"%PDF-1.4\n%%EOF\n")
    client_for(cast.officer_thanh_xa).post(
        reverse("remediation-submit", args=[duty.pk]), {"plan_file": plan, "note": "x"}
    )
    url = reverse("remediation-plan", args=[duty.pk])
    assert client_for(cast.officer_thanh_xa).get(url).status_code == 200
    response = client_for(cast.officer).get(url)
    assert response.status_code == 404 and NOT_FOUND in response.content.decode()


def test_public_ranking_chart_of_an_unpublished_cycle_is_404_for_everyone(
    cast, client, client_for, hd_framework
):
    cycle, _, _ = build_2022(cast, hd_framework, publish=False)
    url = reverse("public-ranking-chart", args=[cycle.pk]) + "?block=Khối xã"
    assert client.get(url).status_code == 404
    assert client_for(cast.officer).get(url).status_code == 404
