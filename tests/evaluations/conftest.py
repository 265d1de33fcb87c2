"""Fixtures of the evaluation tests: frameworks loaded from the shipped YAML files, a cycle
of the cast's two communes, a fake metric provider (registered for the test only)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from cchc.core import metrics as metric_registry
from cchc.evaluations import services
from cchc.evaluations.models import Cycle, CycleState, CycleUnit, Score
from cchc.frameworks.services import framework_load

FRAMEWORKS = Path(__file__).resolve().parents[2] / "frameworks"
BLOCK = "Khối xã"

# What the fake dossier provider measures for every unit (percentages).
FAKE_METRICS = {
    "plan_completion_rate": Decimal("100"),
    "on_time_rate": Decimal("97.5"),  # 95% to under 100% -> 0.5 of 1 point
    "online_rate": Decimal("40"),  # full at 50%: 40 × 4 / 50 = 3.2
    "intake_digitized_rate": Decimal("80"),
    "result_digitized_rate": Decimal("95"),
    "paid_online_rate": None,  # no data: never 0 by default
}


@pytest.fixture
def fake_metrics(monkeypatch):
    """A metric provider for this test only (the real one is the dossiers app's)."""
    monkeypatch.setattr(metric_registry, "_PROVIDERS", [])
    calls = []

    def measure(unit, start, end, names):
        calls.append((unit, start, end, frozenset(names)))
        return {name: FAKE_METRICS.get(name) for name in names}

    metric_registry.register_metric_provider(names=FAKE_METRICS, measure=measure, label="test")
    return calls


@pytest.fixture
def hd_framework(db):
    return framework_load(source=FRAMEWORKS / "hd-xa-2022.yaml")


@pytest.fixture
def demo_framework(db):
    return framework_load(source=FRAMEWORKS / "minh-hoa-xa.yaml")


@dataclass
class Setup:
    cycle: Cycle
    dong_tam: CycleUnit
    thanh_xa: CycleUnit

    def refresh(self) -> Setup:
        self.cycle.refresh_from_db()
        self.dong_tam.refresh_from_db()
        self.thanh_xa.refresh_from_db()
        return self


def score_of(cycle_unit: CycleUnit, code: str) -> Score:
    return cycle_unit.scores.select_related("criterion").get(criterion__code=code)


def evidence_scores(cycle_unit: CycleUnit) -> list[Score]:
    return list(
        cycle_unit.scores.select_related("criterion")
        .filter(criterion__method="evidence")
        .order_by("criterion__position")
    )


def fill_self_scores(cycle_unit: CycleUnit, by, share: Decimal = Decimal("0.9")) -> None:
    """Self-score every evidence leaf at share × its max."""
    for score in evidence_scores(cycle_unit):
        services.self_assessment_set_score(
            score=score, value=score.max_points * share, note="Đã thực hiện", by=by
        )


@pytest.fixture
def draft_cycle(cast, demo_framework, fake_metrics) -> Setup:
    cycle = services.cycle_open(
        framework=demo_framework,
        year=2024,
        name="Chỉ số CCHC cấp xã năm 2024",
        organiser=cast.province,
        units={cast.dong_tam: BLOCK, cast.thanh_xa: BLOCK},
        measure_start=dt.date(2023, 12, 15),
        measure_end=dt.date(2024, 12, 14),
        appraising_body=cast.department,
        self_assessment_deadline=dt.date(2025, 1, 15),
        appraisal_deadline=dt.date(2025, 2, 28),
        by=cast.administrator,
    )
    return Setup(
        cycle,
        cycle.cycle_units.get(unit=cast.dong_tam),
        cycle.cycle_units.get(unit=cast.thanh_xa),
    )


@pytest.fixture
def open_cycle(cast, draft_cycle) -> Setup:
    services.cycle_transition(
        cycle=draft_cycle.cycle, to_state=CycleState.SELF_ASSESSMENT, by=cast.administrator
    )
    return draft_cycle.refresh()


def survey_values(cycle, cast, by, dong_tam=("80", "92.8"), thanh_xa=("70", "85")):
    from cchc.surveys.services import survey_result_set

    for unit, (xhh, sipas) in ((cast.dong_tam, dong_tam), (cast.thanh_xa, thanh_xa)):
        survey_result_set(cycle=cycle, unit=unit, survey="dieu_tra_xhh", value=xhh, by=by)
        survey_result_set(cycle=cycle, unit=unit, survey="sipas", value=sipas, by=by)


def appraise_all(setup: Setup, cast) -> None:
    """Both units submitted and appraised as self-scored (metric leaves without data get
    an appraised score)."""
    for cycle_unit in (setup.dong_tam, setup.thanh_xa):
        for score in cycle_unit.scores.select_related("criterion"):
            if score.final_score is None:
                services.appraisal_set_score(
                    score=score, value=0, reason="Không có số liệu", by=cast.appraiser
                )
        services.appraisal_finalise_unit(cycle_unit=cycle_unit, by=cast.appraiser)


def in_a_week() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=7)


@pytest.fixture
def signed_in():
    """signed_in(user) -> a NEW test client for that person (client_for reuses one client,
    so two people in one test need this)."""
    from django.test import Client

    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make
