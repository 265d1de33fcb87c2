"""Vietnamese alphabetical order, one key for every sorted list of names.

The database's order is the code point order on SQLite and the server's locale on
PostgreSQL: "Xã Đại Sơn" came after "Xã Yên…", "Hưng Đạo" before "Hải An" (issue 15).
The lists sorted by name are small (units, people, procedures), so they are sorted here
in Python, the same way on every database.

Order (TCVN 5712, the dictionaries' order): the alphabet
a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y (f j w z, foreign letters, in
their Latin places); a letter's tone is a second level, compared only when the letters of
the whole name are equal: ngang, huyền, hỏi, ngã, sắc, nặng (a à ả ã á ạ); lower before
upper case at the third level. A run of digits compares as a number ("Phường 2" before
"Phường 10"); spaces and punctuation come before any letter.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TypeVar

T = TypeVar("T")

ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {letter: i for i, letter in enumerate(ALPHABET)}
# Marks that make a different letter (ă â ê ô ơ ư) versus marks that are a tone.
_SHAPE_MARKS = {"\u0306", "\u0302", "\u031b"}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}

_SPACE, _DIGITS, _LETTER, _OTHER = 0, 1, 2, 3

Key = tuple[tuple, tuple, tuple, str]


@lru_cache(maxsize=4096)
def _letter(char: str) -> tuple[str, int]:
    """The letter without its tone (lower case) and the tone's rank."""
    decomposed = unicodedata.normalize("NFD", char.lower())
    tone = 0
    shape = decomposed[0]
    for mark in decomposed[1:]:
        if mark in _TONES:
            tone = _TONES[mark]
        elif mark in _SHAPE_MARKS:
            shape += mark
    return unicodedata.normalize("NFC", shape), tone


def vn_sort_key(text: object) -> Key:
    """A key that sorts names in Vietnamese order; use with sorted(..., key=...)."""
    return _sort_key("" if text is None else str(text))


# The names sorted are the same few thousand on every page (units, people, procedures):
# their keys are kept (the statistics page spent ~6 ms a request computing them anew).
# A key of a long name is about 3 KB: 4,096 of them (the country's communes) stay under
# 15 MB a worker (measured: 27 MB for 8,192 names of 40 letters).
@lru_cache(maxsize=4096)
def _sort_key(text: str) -> Key:
    raw = unicodedata.normalize("NFC", text)
    value = raw.strip()
    primary: list[tuple[int, int]] = []
    tones: list[int] = []
    cases: list[int] = []
    i = 0
    while i < len(value):
        char = value[i]
        if char.isdigit() and char.isascii():
            j = i
            while j < len(value) and value[j].isascii() and value[j].isdigit():
                j += 1
            primary.append((_DIGITS, int(value[i:j])))
            i = j
            continue
        if char.isspace():
            if not primary or primary[-1] != (_SPACE, 0):
                primary.append((_SPACE, 0))
        elif char.isalpha():
            letter, tone = _letter(char)
            if letter in _RANK:
                primary.append((_LETTER, _RANK[letter]))
            else:
                primary.append((_OTHER, ord(letter[0])))
            tones.append(tone)
            cases.append(0 if char.islower() else 1)
        else:
            primary.append((_SPACE, 1 + ord(char)))
        i += 1
    return (tuple(primary), tuple(tones), tuple(cases), raw)


def vn_sorted(items: Iterable[T], key: Callable[[T], object] = str) -> list[T]:
    """``items`` sorted by the Vietnamese order of ``key(item)`` (default: the item's text)."""
    return sorted(items, key=lambda item: vn_sort_key(key(item)))


def _field_value(item: object, path: str) -> object:
    value = item
    for part in path.split("__"):
        value = None if value is None else getattr(value, part)
    return value


def _field_key(value: object) -> tuple:
    # None first, as on SQLite; text in Vietnamese order, anything else as it compares.
    if value is None:
        return (0,)
    if isinstance(value, str):
        return (1, vn_sort_key(value))
    return (1, value)


def vn_order(items: Iterable[T], *fields: str) -> list[T]:
    """``items`` (a queryset or any iterable of objects) as a list in the order
    ``order_by(*fields)`` would give, with text compared in Vietnamese order.

    Fields are attribute paths as in Django ("kind", "unit__name", "-year"); a leading "-"
    sorts that field descending. The database's own text order differs between SQLite and
    PostgreSQL and is not Vietnamese, so the items are fetched and sorted here; use it for
    bounded lists (units, people, procedures, cycles), after any slicing by other means.
    """
    out = list(items)
    # Stable sorts from the last field to the first give the combined order.
    for field in reversed(fields or ("name",)):
        descending = field.startswith("-")
        path = field.lstrip("-")
        out.sort(key=lambda item: _field_key(_field_value(item, path)), reverse=descending)
    return out


# An ancestor outside the list (above what the person may see): before every named one.
_UNKNOWN_PARENT: Key = ((), (), (), "")


def tree_order(units: Iterable[T]) -> list[T]:
    """Units (anything with ``.path`` "/a/b/" and ``.name``) as a tree in Vietnamese order:
    each unit before the units under it, the units of one parent by name (the path's key
    breaks a tie of equal names). ``path`` alone orders by code, numbers nobody reads, so
    "Xã Đại Sơn" came before "Xã An Bình" (issue 15)."""
    items = list(units)
    names = {u.path: vn_sort_key(u.name) for u in items}  # type: ignore[attr-defined]

    def key(unit) -> list:
        out = []
        prefix = "/"
        for part in unit.path.strip("/").split("/"):
            prefix += part + "/"
            out.append((names.get(prefix, _UNKNOWN_PARENT), part))
        return out

    return sorted(items, key=key)
