"""Issue 15: every list of names in Vietnamese order, the same on SQLite and PostgreSQL
(the database's own order is the code point on SQLite and the server's locale on
PostgreSQL; neither puts "Ân" after "Anh" and "Đông" after "Dương" as Vietnamese does)."""

from __future__ import annotations

import datetime as dt

import pytest

from cchc.core.collation import vn_order
from cchc.plans.forms import InspectionForm
from cchc.reports.filing import filing_units
from cchc.units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db
# Stored in an order that is neither Vietnamese nor code point order.
NAMES = ["Xã Đức", "Xã Bà", "Xã Anh", "Xã Đông", "Xã Ba", "Xã Ân", "Xã Dương"]
VIETNAMESE = ["Xã Anh", "Xã Ân", "Xã Ba", "Xã Bà", "Xã Dương", "Xã Đông", "Xã Đức"]


@pytest.fixture
def communes(cast):
    for i, name in enumerate(NAMES):
        Unit.objects.create(
            scheme="local",
            code=f"VN{i}",
            name=name,
            kind=UnitKind.COMMUNE,
            parent=cast.department,
        )
    return cast.department


def test_vn_order_of_a_queryset(communes):
    assert [u.name for u in vn_order(communes.children.all())] == VIETNAMESE
    # Several fields, one descending, text and numbers mixed.
    ordered = vn_order(communes.children.all(), "-kind", "name")
    assert [u.name for u in ordered] == VIETNAMESE


def test_unit_page_lists_its_units_in_vietnamese_order(cast, communes, client_for):
    html = client_for(cast.administrator).get(f"/units/{communes.pk}/").content.decode()
    positions = [html.index(name) for name in VIETNAMESE]
    assert positions == sorted(positions)


def test_documents_and_exports_list_filing_units_in_vietnamese_order(communes):
    year = dt.date.today().year
    assert [u.name for u in filing_units(communes, year)] == VIETNAMESE


def test_form_choices_in_vietnamese_order(cast, communes):
    form = InspectionForm(organiser=communes, kind="inspection")
    labels = [label for _, label in form.fields["targets"].choices]
    assert labels == VIETNAMESE
