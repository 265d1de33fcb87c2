"""Published means frozen at the model and service layer, whatever the path (issue 12,
finding 2: a score of the published 2022 cycle was changed through /admin/ while the
public page kept the old total). A correction is an explicit act with a decision and a
reason, kept in history, that republishes."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from cchc.evaluations import services
from cchc.evaluations.models import CycleTransition, Evidence, PublishedFrozen, PublishedResult
from tests.evaluations.conftest import score_of
from tests.evaluations.test_views_results import build_2022


@pytest.fixture
def published(cast, hd_framework):
    return build_2022(cast, hd_framework)


def total(cycle_unit) -> Decimal:
    return Decimal(str(PublishedResult.objects.get(cycle_unit=cycle_unit).data["score"]))


def test_no_path_changes_a_published_score_evidence_or_result(cast, published):
    cycle, dong_tam, _ = published
    score = score_of(dong_tam, "1")
    score.appraised_score = Decimal("15")
    with pytest.raises(PublishedFrozen):
        score.save()  # what /admin/, a shell or an import would do
    with pytest.raises(PublishedFrozen):
        score.delete()
    result = PublishedResult.objects.get(cycle_unit=dong_tam)
    result.rank = 99
    with pytest.raises(PublishedFrozen):
        result.save()
    with pytest.raises(PublishedFrozen):
        Evidence(cycle_unit=dong_tam, criterion=score.criterion, title="Thêm sau").save()
    with pytest.raises(services.EvaluationError):
        services.appraisal_set_score(score=score, value=15, reason="x", by=cast.appraiser)
    score.refresh_from_db()
    assert score.appraised_score != Decimal("15")
    assert total(dong_tam) == Decimal("87.747")


def test_a_correction_needs_a_decision_and_a_reason_and_republishes(cast, published):
    cycle, dong_tam, _ = published
    score = score_of(dong_tam, "1")
    before = total(dong_tam)
    kwargs = dict(cycle=cycle, corrections={score: 10}, by=cast.administrator)
    with pytest.raises(services.EvaluationError):
        services.cycle_correct(
            **kwargs, decision_no="", decision_date=dt.date(2023, 4, 1), reason="x"
        )
    with pytest.raises(services.EvaluationError):
        services.cycle_correct(
            **kwargs, decision_no="9/QĐ", decision_date=dt.date(2023, 4, 1), reason=""
        )
    with pytest.raises(PermissionDenied):
        services.cycle_correct(
            cycle=cycle,
            corrections={score: 10},
            decision_no="9/QĐ",
            decision_date=dt.date(2023, 4, 1),
            reason="x",
            by=cast.officer,
        )
    services.cycle_correct(
        **kwargs, decision_no="801/QĐ-UBND", decision_date=dt.date(2023, 4, 1), reason="Sai số liệu"
    )
    score.refresh_from_db()
    assert score.appraised_score == 10
    assert "801/QĐ-UBND" in score.appraisal_reason and "Sai số liệu" in score.appraisal_reason
    assert score.history.first().history_user == cast.administrator
    assert total(dong_tam) < before
    act = CycleTransition.objects.filter(cycle=cycle).last()
    assert act.from_state == act.to_state == "published" and "Sai số liệu" in act.reason


def test_the_correction_page_is_the_administrators(cast, client_for, published):
    cycle, dong_tam, _ = published
    url = reverse("cycle-correct", args=[cycle.pk])
    assert client_for(cast.officer).get(url).status_code == 403
    client = client_for(cast.administrator)
    assert "Đính chính" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "cycle_unit": dong_tam.pk,
            "criterion": "1",
            "value": "10",
            "decision_no": "801/QĐ-UBND",
            "decision_date": "2023-04-01",
            "reason": "Sai số liệu",
        },
    )
    assert response.status_code == 302
    assert score_of(dong_tam, "1").appraised_score == 10
    assert "Sai số liệu" in client.get(url).content.decode()


def test_a_correction_is_shown_on_the_public_pages_with_its_decision(cast, client, published):
    """A correction after publication is public: the cycle's page, the unit's page and the
    public API name the decision (number and date) and the reason; the unit's page also
    says what was published before."""
    from cchc.evaluations.models import ResultCorrection

    cycle, dong_tam, _ = published
    before = total(dong_tam)
    cycle_url = reverse("public-cycle", args=[cycle.pk])
    unit_url = reverse("public-unit", args=[cycle.pk, dong_tam.unit_id])
    assert "Đã đính chính" not in client.get(cycle_url).content.decode()
    services.cycle_correct(
        cycle=cycle,
        corrections={score_of(dong_tam, "1"): 10},
        decision_no="801/QĐ-UBND",
        decision_date=dt.date(2023, 4, 1),
        reason="Sai số liệu tiêu chí 1",
        by=cast.administrator,
    )
    correction = ResultCorrection.objects.get(cycle=cycle)
    assert list(correction.units.all()) == [dong_tam.unit]
    assert Decimal(str(correction.previous[str(dong_tam.unit_id)]["score"])) == before
    said = "Đã đính chính theo Quyết định số <strong>801/QĐ-UBND</strong> ngày 01/4/2023"
    page = client.get(cycle_url).content.decode()
    assert said in page and "Sai số liệu tiêu chí 1" in page and dong_tam.unit.name in page
    unit_page = client.get(unit_url).content.decode()
    assert said in unit_page and "Trước đính chính, đơn vị được công bố" in unit_page
    from openpyxl import load_workbook

    book = load_workbook(
        io.BytesIO(client.get(reverse("public-cycle-xlsx", args=[cycle.pk])).content)
    )
    facts = {row[0]: row[1] for row in book["Xếp hạng"].iter_rows(max_col=2, values_only=True)}
    assert facts["Đính chính"] == (
        f"Quyết định số 801/QĐ-UBND ngày 01/4/2023: Sai số liệu tiêu chí 1"
        f" (đơn vị được đính chính: {dong_tam.unit.name})"
    )
    data = client.get(f"/api/evaluations/public/cycles/{cycle.pk}/results").json()
    assert data["corrections"] == [
        {
            "decision_no": "801/QĐ-UBND",
            "decision_date": "2023-04-01",
            "reason": "Sai số liệu tiêu chí 1",
            "units": [dong_tam.unit.name],
        }
    ]
