"""Issue 15: every list of names a person reads comes out in Vietnamese alphabetical order
(a < ă < â < b < c < d < đ < e < ê …), on SQLite and on PostgreSQL alike: the units list,
the unit selectors of forms, the desk's unit selector, the people list, a cycle's ranking
where equal scores are listed by name, its XLSX export, and the querysets ordered by their
Meta.ordering (the code path) once they are shown by name.

The expected orders are written out by hand, not computed with cchc.core.collation: the
test checks the collation as well as every place that uses it. Run it on both databases
(DATABASE_URL=postgres://…); the database's own order differs between them.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.urls import reverse

from cchc.core.collation import tree_order, vn_order
from cchc.evaluations import services
from cchc.frameworks.services import framework_load
from cchc.units import roles as R
from cchc.units.models import Profile, Unit, UnitKind
from cchc.units.services import person_create
from tests.conftest import PASSWORD
from tests.evaluations.conftest import FRAMEWORKS

# Vietnamese alphabetical order, by hand. "Hải An" before "Hưng Đạo" (a < ư), "Đ" after
# "D" and before "E", "Ô Chợ" before "Ông" (a space before any letter), a < ă < â,
# e < ê, u < ư; names without "Xã"/"Phường" among the others by their first letter.
EXPECTED = [
    "Hải An",
    "Hưng Đạo",
    "Phường Ái Quốc",
    "Phường Ba Đình",
    "Phường Đông Hải",
    "Phường Ô Chợ Dừa",
    "Phường Ông Ích Khiêm",
    "Xã An Bình",
    "Xã Ẳng Nưa",
    "Xã Âu Lâu",
    "Xã Đại Sơn",
    "Xã Ea Kao",
    "Xã Êa Súp",
    "Xã Uy Nỗ",
    "Xã Ứng Hoà",
]
# Created in an order that is neither the expected one nor the code point order.
CREATED = [
    "Xã Đại Sơn",
    "Phường Ái Quốc",
    "Hưng Đạo",
    "Xã Ứng Hoà",
    "Hải An",
    "Phường Đông Hải",
    "Xã Êa Súp",
    "Xã An Bình",
    "Phường Ông Ích Khiêm",
    "Phường Ba Đình",
    "Xã Âu Lâu",
    "Xã Uy Nỗ",
    "Phường Ô Chợ Dừa",
    "Xã Ea Kao",
    "Xã Ẳng Nưa",
]
PEOPLE = ["Ái Thị Chi", "Dương Thị Bình", "Đỗ Văn An", "Hà Văn Em", "Hồ Thị Gấm", "Ưng Văn Út"]


def _kind(name: str) -> str:
    return UnitKind.WARD if name.startswith("Phường") else UnitKind.COMMUNE


@pytest.fixture
def named(cast) -> list[Unit]:
    """The units under a new district "Huyện An Lão" of the cast's province, codes in the
    order created (so the code order is not the name order)."""
    district = Unit.objects.create(
        scheme="local", code="ANLAO", name="Huyện An Lão", kind=UnitKind.DISTRICT,
        parent=cast.province,
    )  # fmt: skip
    units = [
        Unit.objects.create(
            scheme="local", code=f"U{i:02d}", name=name, kind=_kind(name), parent=district
        )
        for i, name in enumerate(CREATED)
    ]
    for i, full_name in enumerate(reversed(PEOPLE)):
        person_create(
            username=f"nguoi{i}", password=PASSWORD, full_name=full_name,
            unit=units[0], roles=[R.OFFICER],
        )  # fmt: skip
    return units


def _in_order(text: str, names: list[str]) -> list[str]:
    """The names as they first appear in the text (an HTML cell or option: ">name<")."""
    found = []
    for name in names:
        match = re.search(rf">\s*(?:&nbsp;|\xa0)*{re.escape(name)}\s*<", text)
        assert match, f"{name!r} not on the page"
        found.append((match.start(), name))
    return [name for _, name in sorted(found)]


def test_the_units_list_is_a_tree_in_vietnamese_order(cast, named, client_for):
    html = client_for(cast.administrator).get(reverse("unit-list")).content.decode()
    assert _in_order(html, EXPECTED) == EXPECTED
    # The district before its units; the province's two districts by name (A < N).
    assert _in_order(html, ["Huyện An Lão", "Huyện Ninh Giang", "Xã Đồng Tâm"]) == [
        "Huyện An Lão",
        "Huyện Ninh Giang",
        "Xã Đồng Tâm",
    ]
    assert _in_order(html, ["Huyện An Lão", EXPECTED[0], "Huyện Ninh Giang"]) == [
        "Huyện An Lão",
        EXPECTED[0],
        "Huyện Ninh Giang",
    ]


def test_the_home_pages_first_units_are_the_tree_in_vietnamese_order(cast, named, client_for):
    html = client_for(cast.administrator).get(reverse("home")).content.decode()
    first = ["Tỉnh Hải Dương", "Huyện An Lão", *EXPECTED[:10]]
    assert _in_order(html, first) == first
    assert EXPECTED[10] not in html  # twelve shown


def test_unit_selectors_of_forms_are_in_vietnamese_order(cast, named, client_for):
    client = client_for(cast.administrator)
    person_form = client.get(reverse("person-create")).content.decode()
    assert _in_order(person_form, EXPECTED) == EXPECTED
    desk = client.get(reverse("dossiers:index")).content.decode()
    assert _in_order(desk, EXPECTED) == EXPECTED
    reports = client.get(reverse("reports:index")).content.decode()
    assert _in_order(reports, EXPECTED) == EXPECTED


def test_the_people_list_is_in_vietnamese_order(cast, named, client_for):
    html = client_for(cast.administrator).get(reverse("people-list")).content.decode()
    assert _in_order(html, PEOPLE) == PEOPLE


def test_meta_ordering_querysets_shown_by_name(cast, named):
    # Meta.ordering is the code path (a tree, by numbers nobody reads); shown by name, a
    # queryset goes through vn_order or tree_order, and both give the order by hand.
    under = Unit.objects.filter(parent__code="ANLAO")
    assert [u.name for u in under] != EXPECTED  # the code order is not the name order
    assert [u.name for u in vn_order(under)] == EXPECTED
    assert [u.name for u in tree_order(under)] == EXPECTED
    tree = [u.name for u in tree_order(Unit.objects.all())]
    assert tree[:3] == ["Tỉnh Hải Dương", "Huyện An Lão", EXPECTED[0]]
    people = Profile.objects.filter(unit__code="U00")
    assert [p.full_name for p in vn_order(people, "full_name")] == PEOPLE


@pytest.fixture
def tied_cycle(cast, named):
    """A cycle of the named units in one block, nobody scored yet: every score is equal,
    so the ranking lists them by name."""
    return services.cycle_open(
        framework=framework_load(source=FRAMEWORKS / "minh-hoa-xa.yaml"),
        year=2024,
        name="Chỉ số CCHC cấp xã năm 2024",
        organiser=cast.province,
        units={unit: "Khối xã" for unit in named},
        measure_start=dt.date(2023, 12, 15),
        measure_end=dt.date(2024, 12, 14),
        appraising_body=cast.department,
        self_assessment_deadline=dt.date(2025, 1, 15),
        appraisal_deadline=dt.date(2025, 2, 28),
        by=cast.administrator,
    )


def test_equal_scores_rank_by_name_on_the_page_and_in_the_xlsx(cast, tied_cycle, client_for):
    from openpyxl import load_workbook

    client = client_for(cast.administrator)
    html = client.get(reverse("cycle-results", args=[tied_cycle.pk])).content.decode()
    assert _in_order(html, EXPECTED) == EXPECTED
    response = client.get(reverse("cycle-results-xlsx", args=[tied_cycle.pk]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    cells = [
        c for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row
    ]
    in_xlsx = [c for c in cells if c in EXPECTED]
    assert in_xlsx[: len(EXPECTED)] == EXPECTED
