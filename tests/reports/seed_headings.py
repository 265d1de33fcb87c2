"""The section headings of a seed report, read from the seed's text itself (a copy of
/work/shared/seeds in tests/fixtures/seeds), for the tests that a generated report follows
the seed's outline: "I. …", "1. …", "1.1. …", "a) …" and "Phần thứ nhất" with its title.

The seed texts are the reports as extracted from their PDFs: a heading may wrap over two
or three lines; a numbered paragraph ("1. Tiếp tục đẩy mạnh … ." or "1. Công tác chỉ đạo
điều hành.") is not a heading: it runs over full lines or ends with a full stop. Slips of the seeds that the
outlines correct, each said in the outline's ``note``, are applied here (``CORRECTIONS``).
"""

from __future__ import annotations

import re
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"

HEADING = re.compile(r"^(?:[IVX]+\.|\d+(?:\.\d+)*\.|[a-zđ]\))\s+\S")
ITEM = re.compile(r"^(?:[a-zđ][.)]\s|[-+*•])")  # "a. Đối với cấp huyện: …", "- …"
PART = re.compile(r"^Phần thứ (?:nhất|hai|ba|tư)$")
# A heading goes on over the next lines while they start in lower case (in capitals for a
# heading in capitals); a line this long among them is a body line (about 75 characters).
CONTINUATION = 60

# The seeds' slips, corrected by the outlines (see each outline's note).
CORRECTIONS: dict[str, dict[str, str]] = {
    # seed 000 numbers the subsection "1." under "1."; the outline numbers it 1.1
    "000": {"1. Công tác cải cách thủ tục hành chính": "1.1. Công tác cải cách thủ tục hành chính"},
    # seed 004 misspells "CHỈ SỐ" as "CHỈ SỔ" in its heading II
    "004": {
        "II. KẾT QUẢ ĐÁNH GIÁ, XÁC ĐỊNH CHỈ SỔ CCHC VÀ PHÂN LOẠI CCHC NĂM 2021 CỦA UBND CÁC XÃ, "
        "THỊ TRẤN": "II. KẾT QUẢ ĐÁNH GIÁ, XÁC ĐỊNH CHỈ SỐ CCHC VÀ PHÂN LOẠI CCHC NĂM 2021 CỦA "
        "UBND CÁC XÃ, THỊ TRẤN"
    },
}


def seed_path(number: str) -> Path:
    return next(SEEDS.glob(f"{number}_*.txt"))


def _is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def parse_headings(text: str) -> list[str]:
    """The headings of a report's text, in order, each on one line."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if PART.match(line):
            j = i + 1
            while j < len(lines) and not lines[j]:
                j += 1
            out.append(f"{line} – {lines[j]}")
            i = j + 1
            continue
        if not HEADING.match(line):
            i += 1
            continue
        heading, j = line, i
        upper = _is_upper(line)
        continuations: list[str] = []
        while j + 1 < len(lines):
            step = 1
            if not lines[j + 1] and j + 2 < len(lines) and lines[j + 2][:1].islower():
                step = 2  # a page break of the PDF left a blank line inside the heading
            following = lines[j + step]
            if not following or HEADING.match(following) or ITEM.match(following):
                break
            if upper != _is_upper(following) or (not upper and not following[0].islower()):
                break  # the body starts: a capital after a heading in lower case
            continuations.append(following)
            j += step
        heading = " ".join([line, *continuations])
        # A numbered paragraph, not a heading: it runs over a full line or ends a sentence.
        paragraph = any(len(c) >= CONTINUATION for c in continuations) and not upper
        if not paragraph and not heading.endswith((".", ";", ":", ",")):
            out.append(heading)
        i = j + 1
    return out


def seed_headings(number: str) -> list[str]:
    """Seed ``number``'s headings ("000", "004"), with the slips the outlines correct."""
    fixes = CORRECTIONS.get(number, {})
    return [fixes.get(h, h) for h in parse_headings(seed_path(number).read_text("utf-8"))]
