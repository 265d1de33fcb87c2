"""Which installed font can print Vietnamese, for PDF documents and charts.

Vietnamese needs every precomposed letter (134 with tone marks, plus Đ/đ). Debian's
``fonts-croscore`` (Tinos) and ``fonts-liberation2`` (Liberation Serif 2.x) have them all;
the old ``fonts-liberation`` (1.x) lacks most, and a missing glyph silently falls back to
another face, so the app checks before printing.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# Metric-compatible with Times New Roman, the face ND 30/2020 prescribes, in preference order.
SERIF_FAMILIES: tuple[str, ...] = ("Tinos", "Liberation Serif", "Times New Roman")
CSS_FONT_STACK = '"Tinos", "Liberation Serif", "Times New Roman", serif'
INSTALL_HINT = "apt-get install -y fonts-croscore fonts-liberation2"

MSG_NO_FONTCONFIG = "Không tìm thấy fc-match (fontconfig); không kiểm tra được phông chữ."
MSG_NO_FONT = (
    "Chưa cài phông chữ có đủ dấu tiếng Việt (Tinos hoặc Liberation Serif 2); "
    "bản PDF sẽ in sai chữ. Cài bằng: " + INSTALL_HINT
)
MSG_OK = "Phông chữ {family} có đủ các chữ tiếng Việt."

_VOWELS = "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY"
_TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng


def vietnamese_letters() -> str:
    """Every letter Vietnamese writes beyond ASCII, as precomposed (NFC) characters."""
    letters = set("ăâêôơưđĂÂÊÔƠƯĐ")
    for vowel in _VOWELS:
        for tone in _TONES:
            letters.add(unicodedata.normalize("NFC", vowel + tone))
    return "".join(sorted(letters))


VIETNAMESE_LETTERS = vietnamese_letters()


@dataclass(frozen=True)
class FontCheck:
    ok: bool
    family: str
    path: str
    missing: str
    message: str


def _fc_match(family: str) -> tuple[str, str] | None:
    """(family, file) that fontconfig picks for ``family``; None without fontconfig."""
    exe = shutil.which("fc-match")
    if exe is None:
        return None
    result = subprocess.run(
        [exe, "--format=%{family[0]}\n%{file}", family],
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    )
    if result.returncode != 0:
        return None
    found_family, _, path = result.stdout.partition("\n")
    return found_family.strip(), path.strip()


def missing_letters(path: str | Path) -> str:
    """The Vietnamese letters the font file has no glyph for."""
    from fontTools.ttLib import TTFont

    with TTFont(str(path), fontNumber=0, lazy=True) as font:
        cmap = font.getBestCmap() or {}
    return "".join(ch for ch in VIETNAMESE_LETTERS if ord(ch) not in cmap)


@lru_cache(maxsize=1)
def check_fonts() -> FontCheck:
    """The first serif family from ``SERIF_FAMILIES`` installed with every Vietnamese letter.

    fontconfig substitutes silently (asking for "Tinos" may give DejaVu), so the family it
    returns must be the one asked for, and the file's character map is checked letter by letter.
    """
    if shutil.which("fc-match") is None:
        return FontCheck(False, "", "", VIETNAMESE_LETTERS, MSG_NO_FONTCONFIG)
    worst: FontCheck | None = None
    for family in SERIF_FAMILIES:
        match = _fc_match(family)
        if match is None or match[0].lower() != family.lower() or not match[1]:
            continue
        try:
            missing = missing_letters(match[1])
        except Exception:  # an unreadable font file counts as missing, not as a crash
            missing = VIETNAMESE_LETTERS
        if not missing:
            return FontCheck(True, family, match[1], "", MSG_OK.format(family=family))
        if worst is None:
            worst = FontCheck(False, family, match[1], missing, MSG_NO_FONT)
    return worst or FontCheck(False, "", "", VIETNAMESE_LETTERS, MSG_NO_FONT)
