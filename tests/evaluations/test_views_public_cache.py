"""Public result pages are frozen, so they answer If-Modified-Since with 304 before
rendering (issue 13: public ranking p95 881 ms under load)."""

from __future__ import annotations

import datetime as dt
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
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


def test_a_visitor_gets_the_public_ranking_from_the_cache_with_its_own_csrf_token(
    client,
    published,  # noqa: F811
    django_assert_max_num_queries,
):
    """Issue 13: >= 300 requests/s on the public ranking. A visitor's page is rendered once
    per publication; the next visitor gets it for one query, with their own CSRF token
    (base.html carries one), never the first visitor's."""
    from django.middleware.csrf import _unmask_cipher_token
    from django.test import Client

    cycle, dong_tam, _ = published
    url = reverse("public-cycle", args=[cycle.pk])
    first = client.get(url)
    assert first.status_code == 200
    other = Client()
    with CaptureQueriesContext(connection) as cached:
        again = other.get(url)
    assert len(cached) == 1
    assert again.status_code == 200
    assert "Xã Đồng Tâm" in again.content.decode()

    def token(response) -> str:
        found = re.search(r'"X-CSRFToken": "([A-Za-z0-9]{64})"', response.content.decode())
        return _unmask_cipher_token(found.group(1))

    assert token(first) == client.cookies["csrftoken"].value
    assert token(again) == other.cookies["csrftoken"].value != token(first)
    # The rest of the page is the same bytes.
    strip = lambda r: re.sub(r'"X-CSRFToken": "[^"]+"', "", r.content.decode())  # noqa: E731
    assert strip(first) == strip(again)

    # A correction republishes: rendered afresh.
    later = timezone.now() + dt.timedelta(minutes=5)
    PublishedResult.objects.filter(cycle=cycle).update(published_at=later)
    with CaptureQueriesContext(connection) as fresh:
        other.get(url)
    assert len(fresh) > 1


def test_a_signed_in_person_gets_a_fresh_page_with_their_name(
    client_for,
    cast,
    client,
    published,  # noqa: F811
):
    from django.test import Client

    cycle, _, _ = published
    url = reverse("public-cycle", args=[cycle.pk])
    visitor = Client()
    visitor.get(url)  # a visitor fills the cache
    page = client_for(cast.officer).get(url).content.decode()
    assert cast.officer.profile.full_name in page
    assert cast.officer.profile.full_name not in visitor.get(url).content.decode()


def test_public_pages_carry_an_etag_and_answer_if_none_match_with_304(
    client,
    client_for,
    cast,
    published,  # noqa: F811
    django_assert_max_num_queries,
):
    """Issue 13: a browser or proxy that holds the page asks with If-None-Match and gets a
    304 before anything is rendered; a correction, or another reader, changes the tag."""
    from django.test import Client

    cycle, dong_tam, _ = published
    urls = [
        reverse("public-results"),
        reverse("public-cycle", args=[cycle.pk]),
        reverse("public-unit", args=[cycle.pk, dong_tam.unit_id]),
        reverse("public-cycle-xlsx", args=[cycle.pk]),
        reverse("public-framework", args=[cycle.pk]),
    ]
    tags = {}
    for url in urls:
        first = client.get(url)
        assert first.status_code == 200, url
        tag = first["ETag"]
        assert tag.startswith('"') and len(tag) > 10, url
        assert first["Cache-Control"] == "private, no-cache", url
        with django_assert_max_num_queries(2):
            again = client.get(url, headers={"If-None-Match": tag})
        assert again.status_code == 304, url
        assert again.content == b"" and again["ETag"] == tag
        tags[url] = tag
        # another tag: the page
        assert client.get(url, headers={"If-None-Match": '"autre"'}).status_code == 200

    # Another visitor holds the same visitor's page; a signed-in person's page is theirs.
    url = reverse("public-cycle", args=[cycle.pk])
    assert Client().get(url, headers={"If-None-Match": tags[url]}).status_code == 304
    assert (
        client_for(cast.officer).get(url, headers={"If-None-Match": tags[url]}).status_code == 200
    )

    # A correction republishes: the tag changes and the page is sent again.
    later = timezone.now() + dt.timedelta(minutes=5)
    PublishedResult.objects.filter(cycle=cycle).update(published_at=later)
    fresh = Client().get(url, headers={"If-None-Match": tags[url]})
    assert fresh.status_code == 200 and fresh["ETag"] != tags[url]
