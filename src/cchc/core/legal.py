"""What an official document or a public page may print as a name or a basis: legal
sources only, never notes meant for the people running the system (issue 14: a demo
cycle's "(Đồng Tâm theo báo cáo thật; các đơn vị khác minh họa)" in a notice's trích yếu,
"Căn cứ: Seed 004…" on the public results page).

Plain module: no Django import.
"""

from __future__ import annotations

import re

# Words that mark an internal note: the demo's labels, the test seeds' names.
INTERNAL_MARKS = ("minh họa", "minh hoạ", "seed", "báo cáo thật", "dữ liệu mẫu", "demo", "tự đặt")


def _internal(text: str) -> bool:
    low = text.lower()
    return any(mark in low for mark in INTERNAL_MARKS)


def official_title(text: str) -> str:
    """A name without its bracketed internal notes."""

    def keep(match: re.Match[str]) -> str:
        return "" if _internal(match.group(0)) else match.group(0)

    return " ".join(re.sub(r"\s*\([^()]*\)", keep, text or "").split())


def legal_source(text: str) -> str:
    """A basis with the internal references left out ('' when nothing legal remains):
    'QĐ 3395/QĐ-UBND (điểm tối đa theo seed 003)' -> 'QĐ 3395/QĐ-UBND'; 'Seed 004' -> ''."""
    parts = [official_title(part) for part in re.split(r";", text or "")]
    return "; ".join(p.strip() for p in parts if p.strip() and not _internal(p))
