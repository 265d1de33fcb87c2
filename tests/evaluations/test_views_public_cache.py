"""Public result pages are frozen, so they answer If-Modified-Since with 304 before
rendering (issue 13: public ranking p95 881 ms under load)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from cchc.evaluations.models import PublishedResult
from tests.evaluations.test_views_results import published  # noqa: F401 (fixture)


def test_public_pages_carry_last_modified_and_answer_304(
    client,
    published,  # noqa: F811
    django_assert_max_num_queries,
):
    cycle, dong_tam, _ = published
    urls = [
        reverse("public-results"),
        reverse("public-cycle", args=[cycle.pk]),
        reverse("public-unit", args=[cycle.pk, dong_tam.unit_id]),
        reverse("public-cycle-xlsx", args=[cycle.pk]),
    ]
    for url in urls:
        first = client.get(url)
        assert first.status_code == 200, url
        stamp = first["Last-Modified"]
        with django_assert_max_num_queries(2):
            again = client.get(url, headers={"If-Modified-Since": stamp})
        assert again.status_code == 304, url
        assert again.content == b""

    # A correction republishes: the pages are fresh again.
    url = reverse("public-cycle", args=[cycle.pk])
    stamp = client.get(url)["Last-Modified"]
    later = timezone.now() + dt.timedelta(minutes=5)
    PublishedResult.objects.filter(cycle=cycle).update(published_at=later)
    assert client.get(url, headers={"If-Modified-Since": stamp}).status_code == 200


def test_an_unpublished_cycle_is_still_a_404(client, published):  # noqa: F811
    cycle, _, _ = published
    assert client.get(reverse("public-cycle", args=[cycle.pk + 999])).status_code == 404
