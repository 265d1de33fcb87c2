"""The fixed cast of every test (STYLE.md §9): a province with two communes, and one
person per role: officer of Đồng Tâm, officer of Thanh Xá, head of Đồng Tâm, appraiser
of both communes, administrator of the province, and an anonymous visitor."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from cchc.units import roles as R
from cchc.units.models import AppraisalAssignment, Unit, UnitKind
from cchc.units.services import person_create

PASSWORD = "mat-khau-thu-nghiem"


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """PBKDF2 at production strength costs ~0.3 s per login or new person; tests need
    passwords to work, not to resist cracking."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_tmp_and_a_clean_cache(settings, tmp_path):
    """Uploads (a job's input file, evidence) go to a folder of the test, never var/media;
    the cache (public pages, charts) starts empty: ids repeat from one test to the next."""
    from django.core.cache import cache

    from cchc.core import stamps

    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    # Figures kept under the data's stamps start empty too (a rolled-back test moves the
    # counters back), and each one served is computed again and compared: a write that
    # does not move the stamps of the data it changes fails the test that made it.
    stamps.clear_all()
    settings.CCHC_STAMPS_VERIFY = True


@dataclass
class Cast:
    province: Unit
    district: Unit
    dong_tam: Unit
    thanh_xa: Unit
    department: Unit
    officer: object
    officer_thanh_xa: object
    head: object
    appraiser: object
    administrator: object


@pytest.fixture
def cast(db) -> Cast:
    province = Unit.objects.create(
        scheme="2008", code="30", name="Tỉnh Hải Dương", kind=UnitKind.PROVINCE
    )
    district = Unit.objects.create(
        scheme="2008", code="299", name="Huyện Ninh Giang", kind=UnitKind.DISTRICT, parent=province
    )
    dong_tam = Unit.objects.create(
        scheme="local", code="DONGTAM", name="Xã Đồng Tâm", kind=UnitKind.COMMUNE, parent=district
    )
    thanh_xa = Unit.objects.create(
        scheme="local", code="THANHXA", name="Xã Thanh Xá", kind=UnitKind.COMMUNE, parent=district
    )
    department = Unit.objects.create(
        scheme="local", code="SNV", name="Sở Nội vụ", kind=UnitKind.DEPARTMENT, parent=province
    )

    def person(username, name, unit, roles):
        return person_create(
            username=username, password=PASSWORD, full_name=name, unit=unit, roles=roles
        )

    appraiser = person("thamdinh", "Trần Văn Minh", department, [R.APPRAISER])
    for unit in (dong_tam, thanh_xa):
        AppraisalAssignment.objects.create(appraiser=appraiser, unit=unit)
    return Cast(
        province=province,
        district=district,
        dong_tam=dong_tam,
        thanh_xa=thanh_xa,
        department=department,
        officer=person("congchuc.dongtam", "Phạm Thị Lan", dong_tam, [R.OFFICER]),
        officer_thanh_xa=person("congchuc.thanhxa", "Vũ Đức Thắng", thanh_xa, [R.OFFICER]),
        head=person("chutich.dongtam", "Đinh Văn Châu", dong_tam, [R.HEAD]),
        appraiser=appraiser,
        administrator=person("quantri", "Nguyễn Thị Hạnh", province, [R.ADMINISTRATOR]),
    )


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client signed in as that person."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
