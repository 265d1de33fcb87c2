"""The QĐ 766 pages do a bounded number of queries, whatever the number of units ranked
(issue 13: the officer's page made ~48 queries; the pages under load need p95 < 300 ms).

The real assertion: with N peers and with 2N peers (each with dossiers and feedback of its
own) the page makes the same number of queries. The maximum keeps the number low."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cchc.dossiers.models import Channel, Dossier, Status
from cchc.service_index.models import Feedback, FeedbackChannel
from cchc.units.models import Unit, UnitKind

from .dbdata import at

pytestmark = pytest.mark.django_db
OCTOBER = "start=2023-10-02&end=2023-10-31"
QUARTER = "period=2023-Q4"
MAX_UNIT_PAGE = 30
MAX_RANKING_PAGE = 25


def _peers(cast, october, first: int, count: int) -> None:
    """Communes beside Đồng Tâm, each with a dossier (one waiting for a supplement) and a
    feedback in October 2023."""
    procedure = october.procedures["P1"]
    for n in range(first, first + count):
        unit = Unit.objects.create(
            scheme="local", code=f"XA{n}", name=f"Xã Thử {n}", kind=UnitKind.COMMUNE,
            parent=cast.district,
        )  # fmt: skip
        day = dt.date(2023, 10, 2 + n % 20)
        Dossier.objects.create(
            unit=unit, procedure=procedure, code=f"T-{n}", applicant="Nguyễn Văn An",
            channel=Channel.TRUC_TUYEN, received_at=at(day),
            due_on=day + dt.timedelta(days=7), status=Status.SUPPLEMENT_REQUESTED,
            clock_stopped_on=day + dt.timedelta(days=1),
        )  # fmt: skip
        Feedback.objects.create(
            unit=unit, code=f"PA-{n}", received_on=day, channel=FeedbackChannel.PHONE,
            content="Phản ánh thử", answer_due_on=day + dt.timedelta(days=10),
            refuse_due_on=day + dt.timedelta(days=2), supplement_due_on=day + dt.timedelta(days=2),
        )  # fmt: skip


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("query", [OCTOBER, QUARTER], ids=["month", "quarter"])
def test_the_officers_index_page_does_not_grow_with_the_units(
    cast, october, client_for, django_assert_max_num_queries, query
):
    client = client_for(cast.officer)
    url = f"/service-index/units/{cast.dong_tam.pk}/?{query}"
    client.get(url)  # the first request of a session also loads it
    _peers(cast, october, 0, 4)
    with_n = _count(client, url)
    _peers(cast, october, 4, 4)
    with_2n = _count(client, url)
    assert with_2n == with_n
    with django_assert_max_num_queries(MAX_UNIT_PAGE):
        client.get(url)


def test_the_ranking_page_does_not_grow_with_the_units(
    cast, october, client_for, django_assert_max_num_queries
):
    client = client_for(cast.administrator)
    url = f"/service-index/units/{cast.district.pk}/ranking/?{QUARTER}"
    client.get(url)
    _peers(cast, october, 0, 4)
    with_n = _count(client, url)
    _peers(cast, october, 4, 4)
    with_2n = _count(client, url)
    assert with_2n == with_n
    with django_assert_max_num_queries(MAX_RANKING_PAGE):
        client.get(url)
