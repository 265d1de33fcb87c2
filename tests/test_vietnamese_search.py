"""Issue 15: a search finds a name whatever the case of its Vietnamese letters, on SQLite
as on PostgreSQL (SQLite's LIKE folds ASCII letters only: "đại" did not find "Xã Đại
Sơn"), and text typed decomposed (NFD) finds the composed name. cchc.core.folding."""

from __future__ import annotations

import unicodedata

import pytest
from django.urls import reverse

from cchc.units.models import Unit
from tests.test_vietnamese_order_lists import named  # noqa: F401 (a fixture)


@pytest.mark.parametrize(
    "query",
    ["đại", "ĐẠI", "Đại sơn", "XÃ ĐẠI SƠN", unicodedata.normalize("NFD", "đại sơn")],
)
def test_a_search_finds_a_name_in_any_case(cast, named, client_for, query):  # noqa: F811
    found = set(Unit.objects.filter(name__icontains=query).values_list("name", flat=True))
    assert found == {"Xã Đại Sơn"}
    html = client_for(cast.administrator).get(reverse("unit-list"), {"q": query}).content
    page = html.decode()
    assert "Xã Đại Sơn" in page
    assert "Xã An Bình" not in page


def test_exact_names_match_in_any_case(cast, named):  # noqa: F811
    assert Unit.objects.get(name__iexact="xã ứng hoà").name == "Xã Ứng Hoà"
    assert Unit.objects.get(name__iexact="PHƯỜNG ÁI QUỐC").name == "Phường Ái Quốc"
    # a different letter is not a different case: đ is not d, ư is not u
    assert not Unit.objects.filter(name__iexact="xa dai son").exists()
    assert not Unit.objects.filter(name__iexact="Xã Ung Hoà").exists()


def test_like_wildcards_in_a_search_are_plain_characters(cast, named):  # noqa: F811
    assert not Unit.objects.filter(name__icontains="%").exists()
    assert not Unit.objects.filter(name__icontains="Xã _ại").exists()
