"""Units as a tree in Vietnamese order (issue 15): a unit before the units under it, and
units under the same parent in Vietnamese alphabetical order of their names
(cchc.core.collation), the same on SQLite and PostgreSQL.

`path` orders by code ("/2008-30/2008-299/…"): the tree, but brothers and sisters by a
number nobody reads, so "Xã Đại Sơn" could come before "Xã An Bình".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from cchc.core.collation import vn_sort_key

U = TypeVar("U")  # a Unit, or anything with .path and .name

# An ancestor outside the list (above what the person may see): before every named one.
_UNKNOWN = ((), (), (), "")


def tree_order(units: Iterable[U]) -> list[U]:
    """``units`` as a list: each unit right after its parent's subtree starts, units of
    one parent by name in Vietnamese order (the code breaks a tie of equal names)."""
    items = list(units)
    names = {u.path: vn_sort_key(u.name) for u in items}  # type: ignore[attr-defined]

    def key(unit) -> list:
        out = []
        prefix = "/"
        for part in unit.path.strip("/").split("/"):
            prefix += part + "/"
            out.append((names.get(prefix, _UNKNOWN), part))
        return out

    return sorted(items, key=key)
