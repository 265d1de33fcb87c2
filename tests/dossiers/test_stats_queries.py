"""The statistics page (form 06/VPCP/KSTT) of a province or district with its sub-units does
a bounded number of queries, the same with N and 2N sub-units (issue 13: pages under load
need p95 < 300 ms)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.dossiers import services
from cchc.units.models import Unit, UnitKind
from tests.dossiers.conftest import at

pytestmark = pytest.mark.django_db
STATS = reverse("dossiers:stats")
CHARTS = reverse("dossiers:stats-charts")
# the table; the monthly trend (loaded after the page) reads each month: 32 measured
MAX_QUERIES = {"table": 25, "monthly-trend": 35}
MAX_AS_OPENED = 20  # 18 measured


def _communes(cast, procedures, first: int, count: int) -> None:
    for n in range(first, first + count):
        unit = Unit.objects.create(
            scheme="local", code=f"XA{n}", name=f"Xã Thử {n}", kind=UnitKind.COMMUNE,
            parent=cast.district,
        )  # fmt: skip
        services.dossier_create(
            unit=unit, procedure=procedures["birth"], code=f"T-{n}", applicant="Nguyễn Văn An",
            channel="truc_tuyen", received_at=at(dt.date(2025, 3, 3 + n % 20)),
            by=cast.administrator,
        )  # fmt: skip


def _count(client, url: str, data: dict) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, data)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("page", [STATS, CHARTS], ids=list(MAX_QUERIES))
@pytest.mark.parametrize("level", ["province", "district"])
def test_statistics_with_sub_units_do_not_grow_with_them(
    cast, procedures, client_for, django_assert_max_num_queries, page, level
):
    query = {
        "unit": getattr(cast, level).pk,
        "kind": "year",
        "year": 2025,
        "subunits": "on",
    }
    with time_machine.travel(dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC), tick=False):
        client = client_for(cast.administrator)
        client.get(page, query)  # the first request of a session also loads it
        _communes(cast, procedures, 0, 4)
        with_n = _count(client, page, query)
        _communes(cast, procedures, 4, 4)
        with_2n = _count(client, page, query)
        assert with_2n == with_n
        with django_assert_max_num_queries(
            MAX_QUERIES["table" if page == STATS else "monthly-trend"]
        ):
            client.get(page, query)


@pytest.mark.parametrize("day", [dt.date(2025, 6, 1), dt.date(2025, 12, 10)], ids=["june", "dec"])
def test_the_province_page_as_the_administrator_opens_it_does_not_grow(
    cast, procedures, client_for, django_assert_max_num_queries, day
):
    """/dossiers/stats/ with no query (as the load script asks it): the administrator's
    province, the current reporting year to today, with its sub-units and the fields; the
    same queries with N and 2N communes, and with six months or twelve."""
    with time_machine.travel(dt.datetime.combine(day, dt.time(12), dt.UTC), tick=False):
        client = client_for(cast.administrator)
        client.get(STATS)
        _communes(cast, procedures, 0, 4)
        with_n = _count(client, STATS, {})
        _communes(cast, procedures, 4, 4)
        with_2n = _count(client, STATS, {})
        assert with_2n == with_n
        with django_assert_max_num_queries(MAX_AS_OPENED):
            client.get(STATS)


def _row_reads(captured) -> int:
    return sum(1 for q in captured if "FROM dossiers_dossier d" in q["sql"])


@pytest.mark.parametrize("subunits", ["on", ""], ids=["with-sub-units", "own"])
def test_the_page_reads_the_dossier_rows_once_for_its_two_tables(
    cast, procedures, client_for, subunits
):
    """The table by unit, the unit's own desk and the table by field are sums of the same
    rows: one grouped read serves them (it read them three times), and they agree."""
    _communes(cast, procedures, 0, 6)
    unit = cast.province if subunits else Unit.objects.get(code="XA2")
    query = {"unit": unit.pk, "kind": "custom", "start": "2025-03-02",
             "end": "2025-05-20", "subunits": subunits}  # fmt: skip
    client = client_for(cast.administrator)
    with (
        time_machine.travel(dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC), tick=False),
        CaptureQueriesContext(connection) as captured,
    ):
        response = client.get(STATS, query)
    assert response.status_code == 200
    assert _row_reads(captured) == 1
    by_unit, by_field = response.context["report"].rows[-1], response.context["fields"][-1]
    assert by_field.is_total and (by_unit.is_total or not subunits)
    assert by_field.received_all > 0

    def figures(row):
        return {
            k: v
            for k, v in dataclasses.asdict(row).items()
            if k not in ("label", "key", "is_total")
        }

    assert figures(by_unit) == figures(by_field)


def test_the_province_page_reads_the_unit_tree_once(cast, procedures, client_for):
    """The subtree of the unit is read once per page: the table by unit (each child with
    everything under it), the unit's own desk and the table by field take it from there
    (they asked for it three times, once as one condition per child)."""
    _communes(cast, procedures, 0, 6)
    query = {"unit": cast.province.pk, "kind": "custom", "start": "2025-03-02",
             "end": "2025-05-20", "subunits": "on"}  # fmt: skip
    client = client_for(cast.administrator)
    client.get(STATS, query)
    with (
        time_machine.travel(dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC), tick=False),
        CaptureQueriesContext(connection) as captured,
    ):
        assert client.get(STATS, query).status_code == 200
    trees = [q["sql"] for q in captured if '"path" AS "path" FROM "units_unit"' in q["sql"]]
    assert len(trees) == 1, trees


def test_units_with_everything_under_them(cast):
    from cchc.dossiers.selectors import _with_descendants

    def commune(code: str, parent: Unit) -> Unit:
        return Unit.objects.create(
            scheme="local", code=code, name=f"Xã {code}", kind=UnitKind.COMMUNE, parent=parent
        )

    # codes that begin alike ("X1" is a prefix of "X10"), and a unit of another province
    x1, x10 = commune("X1", cast.district), commune("X10", cast.district)
    other = Unit.objects.create(
        scheme="local", code="T99", name="Tỉnh khác", kind=UnitKind.PROVINCE
    )
    far = commune("Y1", other)
    got = _with_descendants([x1, x10, cast.district, other])
    assert got[x1.pk] == [x1.pk] and got[x10.pk] == [x10.pk]
    assert set(got[cast.district.pk]) >= {cast.district.pk, x1.pk, x10.pk}
    assert far.pk not in got[cast.district.pk]
    assert sorted(got[other.pk]) == sorted([other.pk, far.pk])
    assert _with_descendants([x1, x10]) == {x1.pk: [x1.pk], x10.pk: [x10.pk]}
