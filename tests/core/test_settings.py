from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from cchc import settings


def test_bad_boolean_fails_loudly(monkeypatch):
    monkeypatch.setenv("CCHC_DEBUG", "yes please")
    with pytest.raises(ImproperlyConfigured, match="CCHC_DEBUG=yes please"):
        settings.env_bool("CCHC_DEBUG", False)


def test_secret_may_come_from_a_file(monkeypatch, tmp_path):
    secret = tmp_path / "key"
    secret.write_text("s3cret\n")
    monkeypatch.setenv("CCHC_SECRET_KEY_FILE", str(secret))
    assert settings.env("CCHC_SECRET_KEY") == "s3cret"


def _settings_with(monkeypatch, tmp_path, **environ) -> dict:
    """settings.py evaluated afresh under the given environment (the running one is untouched)."""
    import runpy

    monkeypatch.setenv("CCHC_SECRET_KEY", "test")
    monkeypatch.setenv("CCHC_VAR_DIR", str(tmp_path))
    for name in ("CCHC_SECURE_COOKIES", "CCHC_HSTS_SECONDS", "CCHC_BEHIND_PROXY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(settings.__file__)


def test_plain_http_has_no_hsts_and_trusts_no_proxy_header(monkeypatch, tmp_path):
    values = _settings_with(monkeypatch, tmp_path)
    assert values["SECURE_HSTS_SECONDS"] == 0
    assert values["SECURE_PROXY_SSL_HEADER"] is None
    assert values["SESSION_COOKIE_SECURE"] is False


def test_secure_cookies_bring_hsts_and_the_proxy_header(monkeypatch, tmp_path):
    values = _settings_with(monkeypatch, tmp_path, CCHC_SECURE_COOKIES="true")
    assert values["SECURE_HSTS_SECONDS"] == 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert values["CSRF_COOKIE_SECURE"] is True


def test_hsts_and_proxy_are_configurable(monkeypatch, tmp_path):
    values = _settings_with(
        monkeypatch,
        tmp_path,
        CCHC_SECURE_COOKIES="true",
        CCHC_HSTS_SECONDS="3600",
        CCHC_HSTS_INCLUDE_SUBDOMAINS="false",
        CCHC_BEHIND_PROXY="false",
    )
    assert values["SECURE_HSTS_SECONDS"] == 3600
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is False
    assert values["SECURE_PROXY_SSL_HEADER"] is None


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CCHC_HSTS_SECONDS", "a year"),
        ("CCHC_HSTS_SECONDS", "-1"),
        ("CCHC_LOGIN_FAILURE_LIMIT", "0"),
        ("CCHC_LOGIN_LOCKOUT_MINUTES", "soon"),
    ],
)
def test_bad_numbers_fail_loudly(monkeypatch, tmp_path, name, value):
    with pytest.raises(ImproperlyConfigured, match=f"{name}={value}"):
        _settings_with(monkeypatch, tmp_path, CCHC_SECURE_COOKIES="true", **{name: value})


def test_login_throttle_limits_come_from_the_environment(monkeypatch, tmp_path):
    values = _settings_with(
        monkeypatch, tmp_path, CCHC_LOGIN_FAILURE_LIMIT="5", CCHC_LOGIN_LOCKOUT_MINUTES="15"
    )
    assert values["AXES_FAILURE_LIMIT"] == 5
    assert values["AXES_COOLOFF_TIME"].total_seconds() == 15 * 60
    assert values["AXES_LOCKOUT_PARAMETERS"] == ["username", "ip_address"]
