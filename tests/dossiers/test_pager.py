"""The pager of the procedure catalogue and the desk (dossiers/_pager.html)."""

from __future__ import annotations

import pytest

from cchc.dossiers.models import Procedure

pytestmark = pytest.mark.django_db


def test_the_catalogue_pages_keep_the_filters(cast, client_for):
    Procedure.objects.bulk_create(
        Procedure(code=f"9.{i:06}", name=f"Thủ tục {i}", field="Hộ tịch", level="commune")
        for i in range(60)
    )
    client = client_for(cast.officer)
    first = client.get("/dossiers/procedures/", {"field": "Hộ tịch"}).content.decode()
    assert "Trang 1 / 2" in first
    assert 'href="?field=H%E1%BB%99+t%E1%BB%8Bch&page=2" rel="next"' in first
    assert 'rel="prev"' not in first
    second = client.get("/dossiers/procedures/", {"field": "Hộ tịch", "page": 2}).content
    assert "Trang 2 / 2" in second.decode() and 'rel="next"' not in second.decode()
    assert 'href="?field=H%E1%BB%99+t%E1%BB%8Bch&page=1" rel="prev"' in second.decode()


def test_one_page_has_no_pager(cast, client_for):
    html = client_for(cast.officer).get("/dossiers/procedures/").content.decode()
    assert 'class="pager"' not in html
