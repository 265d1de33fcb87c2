"""Stored frameworks: loading materialises the criteria tree; a framework in use is kept."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from cchc.frameworks import services
from cchc.frameworks.models import Criterion, Framework
from cchc.frameworks.spec import FrameworkError, load_framework

FRAMEWORKS = Path(__file__).resolve().parents[2] / "frameworks"
HD = FRAMEWORKS / "hd-xa-2022.yaml"
DEMO = FRAMEWORKS / "minh-hoa-xa.yaml"


@pytest.mark.django_db
def test_load_materialises_the_tree_in_order():
    row = services.framework_load(source=DEMO)
    assert row.code == "minh-hoa-xa" and row.max_points == Decimal("100")
    assert row.is_illustrative
    assert row.source_file == str(DEMO)
    components = list(row.criteria.filter(parent=None).order_by("position"))
    assert [c.code for c in components] == [str(i) for i in range(1, 11)]
    assert [c.max_points for c in components] == [
        Decimal(v) for v in ("15", "5", "18.5", "6", "11", "7", "11.5", "2", "14", "10")
    ]
    one = components[0]
    assert one.graded and not one.is_leaf and one.method == "" and one.depth == 0
    assert [c.code for c in one.children.order_by("position")] == [
        "1.1",
        "1.2",
        "1.3",
        "1.4",
        "1.5",
    ]
    on_time = row.criteria.get(code="3.2")
    assert on_time.method == "metric" and on_time.metric == "on_time_rate"
    assert on_time.thresholds[0] == {"min": "100", "points": "1"}
    assert on_time.parent.code == "3" and on_time.depth == 1
    assert row.criteria.get(code="3.3").full_at == Decimal("50")
    sipas = row.criteria.get(code="10")
    assert sipas.is_leaf and sipas.method == "survey" and sipas.survey == "sipas"
    assert not sipas.graded
    # Pre-order positions print the tree as the YAML lists it.
    codes = list(row.criteria.order_by("position").values_list("code", flat=True))
    assert codes == [node.code for node in row.spec().walk()]


@pytest.mark.django_db
def test_spec_is_the_stored_yaml_and_round_trips():
    row = services.framework_load(source=HD)
    assert row.spec() == load_framework(HD)
    assert row.spec() is row.spec()  # cached
    assert services.framework_export("hd-xa-2022") == row.yaml_text
    assert load_framework(services.framework_export("hd-xa-2022")) == load_framework(HD)


@pytest.mark.django_db
def test_reload_replaces_an_unused_framework():
    services.framework_load(source=HD)
    text = HD.read_text(encoding="utf-8").replace(
        "name: Bộ chỉ số CCHC của UBND cấp xã", "name: Bộ chỉ số CCHC (sửa) của UBND cấp xã", 1
    )
    row = services.framework_load(source=text)
    assert Framework.objects.count() == 1
    assert "(sửa)" in row.name
    assert row.criteria.count() == len(list(row.spec().walk()))
    assert row.history.first().history_change_reason == "Nạp lại bộ chỉ số"


@pytest.mark.django_db
def test_a_framework_in_use_is_never_replaced(cast):
    from cchc.evaluations.services import cycle_open

    row = services.framework_load(source=HD)
    cycle_open(
        framework=row,
        year=2022,
        name="Chỉ số CCHC cấp xã 2022",
        organiser=cast.district,
        units={cast.dong_tam: "xã"},
        measure_start=dt.date(2021, 12, 15),
        measure_end=dt.date(2022, 12, 14),
        by=cast.administrator,
    )
    before = list(row.criteria.values_list("pk", flat=True))
    with pytest.raises(services.FrameworkInUse, match="Chỉ số CCHC cấp xã 2022"):
        services.framework_load(source=HD)
    assert list(row.criteria.values_list("pk", flat=True)) == before


@pytest.mark.django_db
def test_invalid_framework_names_the_problem_and_stores_nothing():
    text = DEMO.read_text(encoding="utf-8").replace("max: 15", "max: 16", 1)
    with pytest.raises(FrameworkError) as info:
        services.framework_load(source=text)
    assert info.value.code == "1" and info.value.field == "max"
    assert not Framework.objects.exists() and not Criterion.objects.exists()


@pytest.mark.django_db
def test_unknown_metric_is_refused():
    text = DEMO.read_text(encoding="utf-8").replace("metric: on_time_rate", "metric: ti_le_xyz")
    with pytest.raises(FrameworkError, match="ti_le_xyz"):
        services.framework_load(source=text)


def test_only_administrators_load(cast):
    for person in (cast.officer, cast.head, cast.appraiser):
        with pytest.raises(PermissionDenied):
            services.framework_load(source=HD, by=person)
    row = services.framework_load(source=HD, by=cast.administrator)
    assert row.loaded_by == cast.administrator


@pytest.mark.django_db
def test_database_keeps_leaf_and_max_invariants():
    row = services.framework_load(source=HD)
    with pytest.raises(IntegrityError), transaction.atomic():
        Criterion.objects.filter(framework=row, code="1").update(max_points=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        Criterion.objects.filter(framework=row, code="1").update(method="")
    with pytest.raises(IntegrityError), transaction.atomic():
        Criterion.objects.create(
            framework=row, code="1", title="x", max_points=1, method="evidence"
        )
