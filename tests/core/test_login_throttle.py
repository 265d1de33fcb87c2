"""Failed logins are throttled per account and per address (django-axes), with a clear
message and an administrator's unlock (issue 12: 30 wrong passwords used to be answered
and the right one still worked)."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from cchc.core.security import client_ip
from cchc.units import roles as R
from cchc.units.models import Unit, UnitKind
from cchc.units.services import person_create
from tests.conftest import PASSWORD

LIMIT = 3


@pytest.fixture(autouse=True)
def _small_limit(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT


def attempt(client, username, password, address="10.0.0.1"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in_as(client):
    user = client.get("/account/").wsgi_request.user
    return user.username if user.is_authenticated else None


def test_the_right_password_is_refused_once_the_account_is_locked(client, cast):
    for _ in range(LIMIT):
        response = attempt(client, "congchuc.dongtam", "sai-mat-khau")
    assert response.status_code == 429
    response = attempt(client, "congchuc.dongtam", PASSWORD)
    assert response.status_code == 429
    text = response.content.decode()
    assert "Đăng nhập tạm bị khóa" in text
    assert "quản trị viên" in text
    assert signed_in_as(client) is None


def test_an_account_is_locked_from_every_address(client, cast):
    for n in range(LIMIT):
        attempt(client, "congchuc.dongtam", "sai", address=f"10.0.1.{n}")
    assert attempt(client, "congchuc.dongtam", PASSWORD, address="10.9.9.9").status_code == 429


def test_an_address_guessing_many_accounts_is_locked_for_all(client, cast):
    for name in ("a", "b", "c")[:LIMIT]:
        attempt(client, name, "sai", address="10.0.0.7")
    assert attempt(client, "congchuc.thanhxa", PASSWORD, address="10.0.0.7").status_code == 429
    # the same account from another address is not locked
    response = attempt(client, "congchuc.thanhxa", PASSWORD, address="10.0.0.8")
    assert response.status_code == 302
    assert signed_in_as(client) == "congchuc.thanhxa"


def test_fewer_failures_than_the_limit_do_not_lock(client, cast):
    for _ in range(LIMIT - 1):
        assert attempt(client, "congchuc.dongtam", "sai").status_code == 200
    assert attempt(client, "congchuc.dongtam", PASSWORD).status_code == 302


def test_administrator_of_the_unit_unlocks_the_account(client, client_for, cast):
    for _ in range(LIMIT):
        attempt(client, "congchuc.dongtam", "sai", address="10.0.2.1")
    admin = client_for(cast.administrator)
    page = admin.get("/units/login-locks/")
    assert page.status_code == 200
    assert "congchuc.dongtam" in page.content.decode()
    assert "Phạm Thị Lan" in page.content.decode()
    response = admin.post(
        "/units/login-locks/", {"kind": "username", "value": "congchuc.dongtam"}, follow=True
    )
    assert "Đã mở khóa đăng nhập cho tài khoản congchuc.dongtam" in response.content.decode()
    client.logout()
    assert attempt(client, "congchuc.dongtam", PASSWORD, address="10.0.2.2").status_code == 302


def test_administrator_of_another_district_cannot_unlock_or_see(client, client_for, cast):
    other = Unit.objects.create(
        scheme="2008",
        code="288",
        name="Huyện Gia Lộc",
        kind=UnitKind.DISTRICT,
        parent=cast.province,
    )
    other_admin = person_create(
        username="noivu.gialoc",
        password=PASSWORD,
        full_name="Lê Văn Tùng",
        unit=other,
        roles=[R.ADMINISTRATOR],
    )
    for _ in range(LIMIT):
        attempt(client, "congchuc.dongtam", "sai", address="10.0.3.1")
    admin = client_for(other_admin)
    assert "congchuc.dongtam" not in admin.get("/units/login-locks/").content.decode()
    response = admin.post("/units/login-locks/", {"kind": "username", "value": "congchuc.dongtam"})
    assert response.status_code == 403
    # an address lock belongs to no unit: only a superuser lifts it early
    response = admin.post("/units/login-locks/", {"kind": "address", "value": "10.0.3.1"})
    assert response.status_code == 403
    assert attempt(client, "congchuc.dongtam", PASSWORD, address="10.0.3.9").status_code == 429


def test_superuser_unlocks_an_address(client, client_for, cast, django_user_model):
    for name in ("x", "y", "z")[:LIMIT]:
        attempt(client, name, "sai", address="10.0.4.1")
    root = django_user_model.objects.create_superuser("vanhanh", password=PASSWORD)
    operator = client_for(root)
    assert "10.0.4.1" in operator.get("/units/login-locks/").content.decode()
    operator.post("/units/login-locks/", {"kind": "address", "value": "10.0.4.1"})
    operator.logout()
    assert attempt(client, "congchuc.dongtam", PASSWORD, address="10.0.4.1").status_code == 302


@pytest.mark.parametrize("who", ["officer", "head", "appraiser"])
def test_people_who_administer_nothing_cannot_open_the_page(client_for, cast, who):
    assert client_for(getattr(cast, who)).get("/units/login-locks/").status_code == 403


def test_anonymous_is_sent_to_login(client, cast):
    response = client.get("/units/login-locks/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_address_behind_the_proxy_is_the_last_forwarded_hop(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9"
    )
    settings.BEHIND_PROXY = False
    assert client_ip(request) == "10.1.1.1"
    settings.BEHIND_PROXY = True
    # the first hop is whatever the client wrote; the last is our proxy's
    assert client_ip(request) == "203.0.113.9"
