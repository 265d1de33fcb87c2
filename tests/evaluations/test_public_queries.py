"""The public ranking page does a bounded number of queries when it is rendered (a signed-in
reader, or the first visitor after a publication), the same with N and 2N units ranked
(issue 13: public ranking p95 881 ms under load; >= 300 requests/s wanted)."""

from __future__ import annotations

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.evaluations.models import CycleUnit, PublishedResult
from cchc.units.models import Unit, UnitKind
from tests.evaluations.test_views_results import published  # noqa: F401 (fixture)

MAX_QUERIES = 20


def _more_units(
    cast, cycle, model: PublishedResult, first: int, count: int, block: str | None = None
) -> None:
    """Units published beside the two of the fixture, with Đồng Tâm's figures (bulk: a
    published cycle refuses saves one by one), in Đồng Tâm's block or ``block``."""
    block = model.block if block is None else block
    units = [
        Unit.objects.create(
            scheme="local",
            code=f"XA{n}",
            name=f"Xã Thử {n}",
            kind=UnitKind.COMMUNE,
            parent=cast.district,
        )  # fmt: skip
        for n in range(first, first + count)
    ]
    cycle_units = CycleUnit.objects.bulk_create(
        [CycleUnit(cycle=cycle, unit=u, block=block, status="finalised") for u in units]
    )
    rank_of = model.rank_of + first + count
    PublishedResult.objects.bulk_create(
        [
            PublishedResult(
                cycle=cycle,
                cycle_unit=cu,
                unit=cu.unit,
                block=block,
                rank=rank_of,
                rank_of=rank_of,
                data={**model.data, "unit": cu.unit.name},
                published_at=model.published_at,
            )  # fmt: skip
            for cu in cycle_units
        ]
    )


def _count(client, url: str) -> int:
    cache.clear()  # rendered afresh, as for the first visitor after a publication
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_public_ranking_does_not_grow_with_the_units(
    cast,
    client_for,
    published,  # noqa: F811
    django_assert_max_num_queries,
):
    cycle, dong_tam, _ = published
    model = PublishedResult.objects.get(cycle=cycle, cycle_unit=dong_tam)
    url = reverse("public-cycle", args=[cycle.pk])
    visitor, officer = Client(), client_for(cast.officer)
    for client in (visitor, officer):
        client.get(url)
    _more_units(cast, cycle, model, 0, 5)
    with_n = [_count(visitor, url), _count(officer, url)]
    _more_units(cast, cycle, model, 5, 5)
    with_2n = [_count(visitor, url), _count(officer, url)]
    assert with_2n == with_n
    cache.clear()
    with django_assert_max_num_queries(MAX_QUERIES):
        assert visitor.get(url).status_code == 200
    page = officer.get(url).content.decode()
    assert "Xã Thử 9" in page  # the units added are on the page
