"""Issue 15: wide tables were clipped (columns LV 9, LV 10 and "Khắc phục" hidden). Every
table of a page sits in a .table-wrap, which scrolls sideways with its first column
sticky (static/cchc/app.css); a table outside one fails here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "cchc"
TAG = re.compile(r"<(/?)(div|section|figure|table)\b([^>]*)>", re.IGNORECASE)


def unwrapped_tables(text: str) -> list[int]:
    """Line numbers of the <table> tags not inside an element of class table-wrap."""
    open_elements: list[str] = []
    out = []
    for match in TAG.finditer(text):
        closing, name, attrs = match.group(1), match.group(2).lower(), match.group(3)
        if name == "table":
            if not closing and not any("table-wrap" in a for a in open_elements):
                out.append(text.count("\n", 0, match.start()) + 1)
            continue
        if closing:
            if open_elements:
                open_elements.pop()
        else:
            open_elements.append(attrs)
    return out


def test_the_check_finds_a_bare_table():
    assert unwrapped_tables('<section><table class="data"></table></section>') == [1]
    assert unwrapped_tables('<div class="table-wrap">\n<table></table></div>') == []
    assert unwrapped_tables('<div class="table-wrap"></div>\n<table></table>') == [2]


@pytest.mark.parametrize(
    "template", sorted(SRC.rglob("templates/**/*.html")), ids=lambda p: str(p.relative_to(SRC))
)
def test_every_table_is_in_a_table_wrap(template):
    assert unwrapped_tables(template.read_text(encoding="utf-8")) == []
