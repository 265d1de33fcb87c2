"""Ranks within blocks, on exact values (never rounded before ranking).

Seed 003 prints both kinds: the overall rank is the standard competition rank ("xếp thứ
9/20 xã": 1, 2, 2, 4, of n units) and a component's rank is the dense rank over distinct
scores with the number of distinct ranks ("xếp hạng 9/19 hạng", "6/6 điểm, xếp hạng 1/5
hạng": 1, 2, 2, 3, of k). Ties share a rank. Since 2025 wards and communes are ranked in
separate blocks (Hải Phòng, 2025). Plain module: no Django import.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
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


def block_ranks(
    values: Sequence[Any],
    blocks: Sequence[Hashable] | None = None,
    *,
    dense: bool = False,
) -> list[Rank]:
    """The ranks of ``ranks_within_blocks`` (higher is better) for a list of values, by
    position: one sort per block and a walk comparing neighbours, no hashing of the values
    (issue 18: 3,321 communes × 10 components). Equal values share a rank; one Rank object
    per distinct (rank, of) pair."""
    groups: dict[Hashable, list[int]] = {}
    if blocks is None:
        groups[None] = list(range(len(values)))
    else:
        for i, block in enumerate(blocks):
            groups.setdefault(block, []).append(i)
    out: list[Rank] = [None] * len(values)  # type: ignore[list-item]
    made: dict[tuple[int, int], Rank] = {}
    for members in groups.values():
        order = sorted(members, key=values.__getitem__, reverse=True)
        positions: list[int] = []
        previous: Any = None
        rank = 0
        for position, i in enumerate(order, start=1):
            value = values[i]
            if position == 1 or value != previous:
                rank = rank + 1 if dense else position
                previous = value
            positions.append(rank)
        of = rank if dense else len(order)
        for i, rank in zip(order, positions, strict=True):
            key = (rank, of)
            found = made.get(key)
            if found is None:
                found = made[key] = Rank(rank, of)
            out[i] = found
    return out
