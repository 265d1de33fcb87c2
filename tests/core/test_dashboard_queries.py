"""The dashboard does a bounded number of queries, whatever the number of units and
cycles it lists (issue 13: dashboard p95 885 ms under load)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cchc.units.models import Unit, UnitKind
from tests.evaluations.conftest import (  # noqa: F401 (fixtures)
    demo_framework,
    draft_cycle,
    fake_metrics,
    open_cycle,
)


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    return len(captured)


@pytest.mark.django_db
@pytest.mark.parametrize("person", ["administrator", "officer", "appraiser", "head"])
def test_dashboard_queries_do_not_grow_with_the_units(
    cast,
    open_cycle,  # noqa: F811
    client_for,
    person,
    django_assert_max_num_queries,
):
    client = client_for(getattr(cast, person))
    _queries(client)  # the first request of a session also loads it
    before = _queries(client)
    for n in range(15):
        Unit.objects.create(
            scheme="local", code=f"XA{n}", name=f"Xã thử {n}", kind=UnitKind.COMMUNE,
            parent=cast.district,
        )  # fmt: skip
    after = _queries(client)
    assert after == before
    with django_assert_max_num_queries(40):
        assert client.get("/").status_code == 200
