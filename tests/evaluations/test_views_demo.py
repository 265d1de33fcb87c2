"""The demo a newcomer opens: the published 2022 cycle reproduces seed 003 for Đồng Tâm (every
rank it prints), the open cycle is partly filled, and loading twice changes nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from cchc.dossiers import demo as dossiers_demo
from cchc.evaluations import demo
from cchc.evaluations.models import Cycle, CycleState, Evidence, PublishedResult
from cchc.surveys import services as surveys
from cchc.units import demo as units_demo

pytestmark = pytest.mark.django_db
# what the demo command hands in (cchc.demo)
PARTS = demo.Parts(
    survey_result_set=surveys.survey_result_set,
    survey_results_import=surveys.survey_results_import,
    former_dossiers=dossiers_demo.load_former_dossiers,
)

SEED_003_RANKS = {
    "1": (9, 19), "2": (2, 3), "3": (2, 20), "4": (1, 5), "5": (1, 14),
    "6": (12, 12), "7": (9, 16), "8": (14, 20), "9": (5, 19), "10": (12, 18),
}  # fmt: skip


def test_demo_cycles(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ctx = units_demo.load()
    # the former communes' dossiers (loaded with the 2022 cycle) need the catalogue, which
    # the demo command loads first
    dossiers_demo.load_catalogue(get_user_model().objects.get(username="quantri"))
    demo.load(ctx, PARTS)
    old = Cycle.objects.get(year=2022)
    assert old.state == CycleState.PUBLISHED and old.decision_no == "766/QĐ-UBND"
    dong_tam = PublishedResult.objects.get(cycle=old, unit__code="HD-NG-DONGTAM")
    assert (dong_tam.rank, dong_tam.rank_of) == (9, 20)
    assert dong_tam.data["score"] == "87.747" and dong_tam.data["grade"] == "tot"
    ranks = {k: (v["rank"], v["rank_of"]) for k, v in dong_tam.data["components"].items()}
    assert ranks == SEED_003_RANKS
    current = Cycle.objects.exclude(pk=old.pk).get()
    assert current.state == CycleState.SELF_ASSESSMENT
    assert {cu.block for cu in current.cycle_units.all()} == {"Khối phường", "Khối xã, đặc khu"}
    own = current.cycle_units.get(unit=ctx.account("congchuc").unit)
    assert own.status == "in_progress"
    assert Evidence.objects.filter(cycle_unit=own).count() == 5
    counts = (Cycle.objects.count(), Evidence.objects.count(), PublishedResult.objects.count())
    demo.load(units_demo.load(), PARTS)
    assert counts == (
        Cycle.objects.count(),
        Evidence.objects.count(),
        PublishedResult.objects.count(),
    )
