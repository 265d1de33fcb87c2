"""Data stamps: a counter per unit (and one for everything), moved by every write a
computed figure reads, so that a figure computed once can be kept and served again
until the data under it changes, and never after (issue 13: every officer of a province
opens the same QĐ 766 ranking of its 114 communes, computed from the same rows).

The rule that keeps a kept figure exact:

- **Writers** call `touch(unit_ids)` (or `touch(None)`: the catalogue, the calendar, the
  units, an archived year: everything) inside the transaction that writes the data, or
  after it commits; never before. Both become visible together at the commit.
- **Readers** read the stamps of the units a figure is computed from (`serials`), on the
  connection the figure's data is read from, before reading the data. A figure computed
  after a writer committed is at least as new as the stamps read before it, so it can be
  kept under them; the next reader of newer stamps computes it again.
- Counters only grow, so the sum of a set of units' counters changes whenever one of them
  moves: (everything's counter, that sum) is the set's version.

The places that write the data a kept figure reads call touch (the desk, the dossier
imports, the feedback register, the catalogue and calendar, the units, the data coverage,
archiving). `Kept` holds the figures per process, bounded; with the setting
CCHC_STAMPS_VERIFY (on in the tests) every figure served from it is computed again and
compared, so a write that forgot to touch fails the test that made it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any, TypeVar

from django.conf import settings
from django.db import connection, connections, transaction

EVERYTHING = 0  # the counter every figure depends on (ids of units start at 1)
_TABLE = "core_datastamp"
_CHUNK = 500

T = TypeVar("T")


def touch(unit_ids: Iterable[int] | None) -> None:
    """Move the counters of these units (None: the counter of everything), in the caller's
    transaction. Sorted, so that two writers never wait on each other in a cycle."""
    keys = [EVERYTHING] if unit_ids is None else sorted({int(pk) for pk in unit_ids})
    block = _transaction(connection)
    if block is not None and getattr(connection, "stamps_touched_in", None) is not block:
        # Until it commits, figures this transaction counts may see its own writes, which
        # a rollback would take back along with the counters: they are not kept. (The
        # block itself is held, not its id, which a later block could be given.)
        connection.stamps_touched_in = block  # type: ignore[attr-defined]
        transaction.on_commit(_committed, using=connection.alias)
    with connection.cursor() as cursor:
        for start in range(0, len(keys), _CHUNK):
            chunk = keys[start : start + _CHUNK]
            rows = ", ".join(["(%s, 1)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {_TABLE} (scope, serial) VALUES {rows} "
                f"ON CONFLICT (scope) DO UPDATE SET serial = {_TABLE}.serial + 1",
                chunk,
            )


def _transaction(conn) -> object | None:
    """The connection's outermost transaction block, what a rollback would undo (a test
    case's own block does not count: the test's writes are its data)."""
    for block in conn.atomic_blocks:
        if not getattr(block, "_from_testcase", False):
            return block
    return None


def _uncommitted(conn) -> bool:
    """Has the connection's open transaction moved counters (its figures not keepable)?
    A decorated function's block is the same object at every call: after a rollback the
    mark may outlive it and keep a later call's figures out, never let one in."""
    block = _transaction(conn)
    return block is not None and getattr(conn, "stamps_touched_in", None) is block


def _committed() -> None:
    connection.stamps_touched_in = None  # type: ignore[attr-defined]


def serials(unit_ids: Iterable[int], using: str = "default") -> dict[int, int]:
    """The counters of these units and of everything (EVERYTHING), read in one query per
    500 units; a unit never touched reads 0."""
    keys = sorted({int(pk) for pk in unit_ids})
    out = dict.fromkeys([EVERYTHING, *keys], 0)
    with connections[using].cursor() as cursor:
        for start in range(0, max(len(keys), 1), _CHUNK):
            chunk = [EVERYTHING, *keys[start : start + _CHUNK]]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"SELECT scope, serial FROM {_TABLE} WHERE scope IN ({marks})", chunk)
            out.update(cursor.fetchall())
    return out


def version(found: dict[int, int], unit_ids: Iterable[int]) -> tuple[int, int]:
    """(the counter of everything, the sum of these units' counters): their version."""
    return found[EVERYTHING], sum(found[int(pk)] for pk in set(unit_ids))


class StaleFigure(AssertionError):
    """A kept figure differs from the same figure computed again (CCHC_STAMPS_VERIFY): a
    write changed its data without touching the units' stamps."""


_ALL_KEPT: list[Kept] = []


class Kept:
    """Figures kept per process under (what, the version of their units), at most `size`,
    the least recently used dropped first."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()
        _ALL_KEPT.append(self)

    def many(
        self,
        wanted: Sequence[tuple[Hashable, Sequence[int]]],
        compute: Callable[[list[int]], list[T]],
        using: str = "default",
    ) -> list[T]:
        """The figure of each (what, its units): the kept ones, and the others computed
        together (`compute(indexes)`: the figures of those items, in order). One read of
        the stamps for them all, before any data is read."""
        found = serials({pk for _, units in wanted for pk in units}, using)
        keys = [(what, version(found, units)) for what, units in wanted]
        out: list = [_MISSING] * len(wanted)
        with self._lock:
            for i, key in enumerate(keys):
                value = self._items.get(key, _MISSING)
                if value is not _MISSING:
                    self._items.move_to_end(key)
                    out[i] = value
        verify = getattr(settings, "CCHC_STAMPS_VERIFY", False)
        missing = [i for i, value in enumerate(out) if value is _MISSING or verify]
        if missing:
            for i, value in zip(missing, compute(missing), strict=True):
                if out[i] is not _MISSING and out[i] != value:
                    raise StaleFigure(
                        f"a kept figure changed without its stamps moving: {wanted[i][0]!r}"
                    )
                out[i] = value
            if not _uncommitted(connections[using]):
                with self._lock:
                    for i in missing:
                        self._items[keys[i]] = out[i]
                    while len(self._items) > self.size:
                        self._items.popitem(last=False)
        return out

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def clear_all() -> None:
    """Forget every kept figure of this process (the tests: a rolled-back database moves
    the counters back)."""
    for kept in _ALL_KEPT:
        kept.clear()


def follow(model, unit_of: Callable[[Any], int] | None) -> None:
    """Touch on every save and delete of the model's rows (in their transaction): the
    row's unit (`unit_of`), or everything (None). Writes that bypass the model's save
    (bulk SQL, QuerySet.update) call touch themselves."""
    from django.db.models.signals import post_delete, post_save

    def moved(sender, instance, **kwargs) -> None:
        touch(None if unit_of is None else [unit_of(instance)])

    uid = f"stamps:{model._meta.label}"
    post_save.connect(moved, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(moved, sender=model, weak=False, dispatch_uid=uid)


_MISSING = object()
