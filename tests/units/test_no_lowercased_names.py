"""Issue 15: a PDF printed "Tổ kiểm tra công tác CCHC xã ninh giang": the unit's name was
lower-cased into a sentence. A unit is named in text by units/naming (authority_name,
in_sentence), which keep the place's capitals; no f-string lower-cases a name."""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "cchc"
LOWERED = re.compile(r"\{[\w.]*name(\[:1\])?\.lower\(\)")


def test_no_name_is_lower_cased_into_text():
    found = [
        f"{path.relative_to(SRC)}:{n}"
        for path in SRC.rglob("*.py")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if LOWERED.search(line)
    ]
    assert found == []


def test_the_pattern_finds_the_old_forms():
    assert LOWERED.search('f"Tổ kiểm tra công tác CCHC {commune.name.lower()}"')
    assert LOWERED.search('f"của UBND {unit.name[:1].lower()}{unit.name[1:]}"')
