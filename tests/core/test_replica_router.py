"""Without DATABASE_REPLICA_URL every read goes to the primary; the router and middleware
are installed always (issue 18). The standby itself: tests/core/test_replica.py."""

from __future__ import annotations

import pytest
from django.db import connection, router
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver, reverse
from django.utils import timezone

from cchc.core import replica
from cchc.dossiers.models import Dossier
from cchc.units.models import Unit

pytestmark = pytest.mark.django_db


def test_without_a_replica_every_read_is_the_primarys(cast, client_for):
    assert not replica.configured()
    year = timezone.localdate().year
    with CaptureQueriesContext(connection) as on_primary:
        response = client_for(cast.head).get(
            reverse("dossiers:stats-json"), {"unit": cast.dong_tam.pk, "kind": "year", "year": year}
        )
    assert response.status_code == 200
    assert any("dossiers_" in q["sql"] for q in on_primary.captured_queries)
    assert replica.PIN_COOKIE not in response.cookies
    for model in (Dossier, Unit):
        assert router.db_for_read(model) == "default"
        assert router.db_for_write(model) == "default"


def test_every_lagging_view_names_a_route():
    """A renamed route would silently move its page back to the primary."""
    names = set()

    def walk(patterns, prefix=""):
        for entry in patterns:
            if hasattr(entry, "url_patterns"):
                ns = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
                walk(entry.url_patterns, ns)
            elif entry.name:
                names.add(prefix + entry.name)

    walk(get_resolver().url_patterns)
    assert names >= replica.LAGGING_VIEWS, replica.LAGGING_VIEWS - names
