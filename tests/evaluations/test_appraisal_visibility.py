"""During appraisal the unit does not read the council's work, on the page, through the API
(`/api/evaluations/cycle-units/{id}` and `/history`) or on its result card alike (issue 12,
finding 4: the API returned `appraised_score` and the reasons to the unit's officer)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cchc.evaluations import services
from cchc.evaluations.models import CycleState
from tests.evaluations.conftest import evidence_scores, fill_self_scores

API = "/api/evaluations"
REASON = "Văn bản ban hành chậm 12 ngày"


@pytest.fixture
def under_appraisal(cast, open_cycle):
    cu = open_cycle.dong_tam
    fill_self_scores(cu, cast.officer)
    services.self_assessment_submit(cycle_unit=cu, by=cast.head)
    services.cycle_transition(
        cycle=open_cycle.cycle, to_state=CycleState.APPRAISAL, by=cast.administrator
    )
    score = evidence_scores(cu)[0]
    services.appraisal_set_score(score=score, value=0, reason=REASON, by=cast.appraiser)
    return cu, score


def test_the_units_officer_reads_no_appraisal_through_the_api(cast, signed_in, under_appraisal):
    cu, score = under_appraisal
    for person in (cast.officer, cast.head):
        client = signed_in(person)
        sheet = client.get(f"{API}/cycle-units/{cu.pk}").json()
        rows = [r for r in sheet["rows"] if r["score"] and r["score"]["id"] == score.pk]
        assert rows[0]["score"]["appraised_score"] is None
        assert rows[0]["score"]["appraisal_reason"] == ""
        assert rows[0]["final"] is None and sheet["final_total"] is None
        assert REASON not in str(sheet)
        history = str(client.get(f"{API}/cycle-units/{cu.pk}/history").json())
        assert REASON not in history and "appraised_score" not in history
        page = client.get(reverse("unit-history", args=[cu.pk])).content.decode()
        assert REASON not in page
        assert client.get(reverse("unit-result", args=[cu.pk])).status_code == 403


def test_the_appraiser_and_the_administrator_read_it(cast, signed_in, under_appraisal):
    cu, score = under_appraisal
    for person in (cast.appraiser, cast.administrator):
        client = signed_in(person)
        sheet = client.get(f"{API}/cycle-units/{cu.pk}").json()
        rows = [r for r in sheet["rows"] if r["score"] and r["score"]["id"] == score.pk]
        assert rows[0]["score"]["appraised_score"] == 0
        assert rows[0]["score"]["appraisal_reason"] == REASON
        assert REASON in str(client.get(f"{API}/cycle-units/{cu.pk}/history").json())


def test_returned_for_explanation_the_unit_reads_it(cast, signed_in, under_appraisal):
    cu, score = under_appraisal
    from tests.evaluations.conftest import in_a_week

    services.appraisal_return(
        cycle_unit=cu, message="Giải trình tiêu chí", deadline=in_a_week(), by=cast.appraiser
    )
    sheet = signed_in(cast.officer).get(f"{API}/cycle-units/{cu.pk}").json()
    rows = [r for r in sheet["rows"] if r["score"] and r["score"]["id"] == score.pk]
    assert rows[0]["score"]["appraisal_reason"] == REASON
