"""Every page carries a Content-Security-Policy that allows no inline script, and no
template contains one (issue 12, finding 6)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import cchc

SRC = Path(cchc.__file__).resolve().parent
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=|\shx-on[:-]", re.IGNORECASE)
JS_URL = re.compile(r"javascript:", re.IGNORECASE)


def test_policy_forbids_inline_script_and_eval(client, db):
    policy = client.get("/login/")["Content-Security-Policy"]
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
    )
    assert directives["script-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]


@pytest.mark.parametrize("path", ["/", "/login/", "/api/docs", "/api/openapi.json"])
def test_every_answer_has_the_header(client, db, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_api_docs_use_the_apps_own_assets(client, db):
    # Government networks are closed: Swagger UI comes from the app, not from a CDN.
    text = client.get("/api/docs").content.decode()
    assert "cdn." not in text
    assert "/static/ninja/swagger-ui-bundle.js" in text


@pytest.mark.parametrize(
    "template", sorted(SRC.rglob("templates/**/*.html")), ids=lambda p: str(p.relative_to(SRC))
)
def test_no_template_has_inline_script(template):
    text = template.read_text(encoding="utf-8")
    assert not INLINE_SCRIPT.search(text), "inline <script>: move it to a static file"
    assert not INLINE_HANDLER.search(text), "inline handler: use a data- attribute"
    assert not JS_URL.search(text)
