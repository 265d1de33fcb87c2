"""The dossier metrics feed `method: metric` criteria: a framework scores a unit from its
dossiers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine

from cchc.core import metrics
from cchc.dossiers import services as S
from cchc.dossiers.metrics import METRICS
from cchc.evaluations.scoring import score_unit
from cchc.frameworks.spec import load_framework
from tests.dossiers.conftest import at

D = dt.date
pytestmark = pytest.mark.django_db
FRAMEWORK = Path(__file__).resolve().parents[2] / "frameworks" / "minh-hoa-xa.yaml"
YEAR = (D(2024, 12, 15), D(2025, 12, 14))  # reporting year 2025


def desk(cast, procedures, *, on_time: int, late: int, online: int) -> None:
    """Dossiers of Đồng Tâm received in March 2025: some finished in time, some late."""
    for i in range(on_time + late):
        dossier = S.dossier_create(
            unit=cast.dong_tam, procedure=procedures["land"], code=f"M{i}", applicant="A",
            channel="truc_tuyen" if i < online else "truc_tiep", received_at=at("2025-03-03"),
            by=cast.officer, intake_digitized="full" if i % 2 else "none",
        )  # fmt: skip
        finished = "2025-03-10" if i < on_time else "2025-03-20"  # due 17/3
        S.dossier_finish(dossier=dossier, at=at(finished), by=cast.officer,
                         result_digitized=True)  # fmt: skip


@time_machine.travel(dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC), tick=False)
def test_metrics_are_registered_and_measured(cast, procedures):
    assert all(metrics.known_metric(name) for name in METRICS)
    desk(cast, procedures, on_time=39, late=1, online=30)
    values = metrics.measure(cast.dong_tam, *YEAR, ["on_time_rate", "online_rate",
                                                     "received_count", "late_count",
                                                     "pending_overdue_count"])  # fmt: skip
    assert values == {
        "on_time_rate": Decimal("97.5"),
        "online_rate": Decimal("75"),
        "received_count": Decimal(40),
        "late_count": Decimal(1),
        "pending_overdue_count": Decimal(0),
    }
    # the district: the unit and everything under it; no dossier: no data, never 0 or 100
    assert metrics.measure(cast.district, *YEAR, ["on_time_rate"])["on_time_rate"] == Decimal(
        "97.5"
    )
    assert metrics.measure(cast.thanh_xa, *YEAR, ["on_time_rate", "received_count"]) == {
        "on_time_rate": None,
        "received_count": Decimal(0),
    }
    # a period that ends before the late one finished
    assert metrics.measure(cast.dong_tam, D(2025, 3, 1), D(2025, 3, 19), ["on_time_rate"]) == {
        "on_time_rate": Decimal(100)
    }


@pytest.mark.parametrize(("late", "points"), [(0, Decimal(1)), (1, Decimal("0.5")),
                                               (5, Decimal(0))])  # fmt: skip
def test_framework_scores_a_unit_from_its_dossiers(cast, procedures, late, points):
    with time_machine.travel(dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC), tick=False):
        desk(cast, procedures, on_time=40 - late, late=late, online=40)
        framework = load_framework(FRAMEWORK, metrics=metrics.known_metric)
        names = {
            leaf.metric
            for leaf in _leaves(framework.criteria)
            if leaf.method == "metric" and leaf.metric in METRICS
        }
        assert "on_time_rate" in names
        measured = metrics.measure(cast.dong_tam, *YEAR, names)
        score = score_unit(
            framework,
            {},
            metric_values={k: v for k, v in measured.items() if v is not None},
            allow_missing=True,
        )
    leaf = next(n for n in _leaves(framework.criteria) if n.metric == "on_time_rate")
    node = score.nodes[leaf.code]
    assert node.measured == measured["on_time_rate"]
    assert node.score == points
    online = next(n for n in _leaves(framework.criteria) if n.metric == "online_rate")
    assert score.nodes[online.code].measured == Decimal(100)


def _leaves(nodes):
    for node in nodes:
        if node.children:
            yield from _leaves(node.children)
        else:
            yield node
