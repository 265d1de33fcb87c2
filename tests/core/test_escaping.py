"""Selectors built from data (criterion codes, unit names) go through one escape (issue 15:
``#c-1.5`` matched nothing, so "Lưu" sent no request for every dotted criterion)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cchc.core.escaping import css_escape, css_selector_id

SRC = Path(__file__).resolve().parents[2] / "src" / "cchc"


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("c-1.5", "c-1\\.5"),
        ("c-1.1.2", "c-1\\.1\\.2"),
        ("1.5", "\\31 \\.5"),
        ("-1", "-\\31 "),
        ("-", "\\-"),
        ("a b", "a\\ b"),
        ("Xã Đồng Tâm", "Xã\\ Đồng\\ Tâm"),
        ('x"]', 'x\\"\\]'),
        ("a\x01", "a\\1 "),
        ("a\x00", "a\ufffd"),
    ],
)
def test_css_escape_follows_cssom(raw, escaped):
    assert css_escape(raw) == escaped


def test_selector_id():
    assert css_selector_id("a-3.2.1") == "#a-3\\.2\\.1"


# An attribute whose value is a selector, written with a template variable inside but not
# through the css_id filter: the bug of issue 15 coming back.
SELECTOR_ATTRS = re.compile(
    r'hx-(?:target|select|include|indicator|disabled-elt)="([^"]*\{\{[^"]*)"'
)


def test_no_template_builds_a_selector_from_data_unescaped():
    offenders = []
    for path in SRC.rglob("*.html"):
        for match in SELECTOR_ATTRS.finditer(path.read_text(encoding="utf-8")):
            if "|css_id" not in match.group(1):
                offenders.append(f"{path.relative_to(SRC)}: {match.group(0)}")
    assert offenders == []
