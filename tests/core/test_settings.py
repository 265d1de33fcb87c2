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
