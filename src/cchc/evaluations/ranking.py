"""Ranks within blocks, on exact values (never rounded before ranking).

Seed 003 prints both kinds: the overall rank is the standard competition rank ("xếp thứ
9/20 xã": 1, 2, 2, 4, of n units) and a component's rank is the dense rank over distinct
scores with the number of distinct ranks ("xếp hạng 9/19 hạng", "6/6 điểm, xếp hạng 1/5
hạng": 1, 2, 2, 3, of k). Ties share a rank. Since 2025 wards and communes are ranked in
separate blocks (Hải Phòng, 2025). Plain module: no Django import.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True, order=True)
class Rank:
    rank: int
    of: int  # n units (competition) or k distinct values (dense)

    def __str__(self) -> str:
        return f"{self.rank}/{self.of}"


def competition_ranks(values: Mapping[K, Any], *, higher_is_better: bool = True) -> dict[K, Rank]:
    """Standard competition rank: 1 + the number of strictly better values; of = n."""
    ordered = sorted(values.values(), reverse=higher_is_better)
    n = len(ordered)
    first: dict[Any, int] = {}
    for position, value in enumerate(ordered, start=1):
        first.setdefault(value, position)
    return {key: Rank(first[value], n) for key, value in values.items()}


def dense_ranks(values: Mapping[K, Any], *, higher_is_better: bool = True) -> dict[K, Rank]:
    """Dense rank over distinct values: 1 + the number of distinct better values; of = k."""
    distinct = sorted(set(values.values()), reverse=higher_is_better)
    position = {value: i for i, value in enumerate(distinct, start=1)}
    k = len(distinct)
    return {key: Rank(position[value], k) for key, value in values.items()}


def ranks_within_blocks(
    values: Mapping[K, Any],
    blocks: Mapping[K, Hashable] | None = None,
    *,
    dense: bool = False,
    higher_is_better: bool = True,
) -> dict[K, Rank]:
    """Rank each key among the keys of its block (a missing or None block is one block)."""
    rank: Callable[..., dict[K, Rank]] = dense_ranks if dense else competition_ranks
    groups: dict[Hashable, dict[K, Any]] = {}
    for key, value in values.items():
        block = blocks.get(key) if blocks is not None else None
        groups.setdefault(block, {})[key] = value
    out: dict[K, Rank] = {}
    for group in groups.values():
        out.update(rank(group, higher_is_better=higher_is_better))
    return out
