"""Named measured figures that `method: metric` criteria of a framework refer to.

Apps that measure something (dossiers: on_time_rate…; service_index: qd766.*; plans:
plan_completion_rate) register a provider in their AppConfig.ready(); an evaluation asks
for the metrics its framework names, for a unit and a period, and records the values used.
A provider returns None for a metric it knows but cannot measure (no data), never 0 or 100.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

Provider = Callable[[object, dt.date, dt.date, set[str]], dict[str, Decimal | None]]


@dataclass(frozen=True)
class MetricProvider:
    owns: Callable[[str], bool]  # does this provider measure that metric name?
    measure: Provider  # (unit, start, end, names) -> {name: value or None}
    label: str = ""


_PROVIDERS: list[MetricProvider] = []


def register_metric_provider(
    *, names: Iterable[str] = (), prefix: str | None = None, measure: Provider, label: str = ""
) -> None:
    known = frozenset(names)

    def owns(name: str) -> bool:
        return name in known or (prefix is not None and name.startswith(prefix))

    if all(p.measure is not measure for p in _PROVIDERS):
        _PROVIDERS.append(MetricProvider(owns, measure, label))


def known_metric(name: str) -> bool:
    return any(p.owns(name) for p in _PROVIDERS)


def measure(unit, start: dt.date, end: dt.date, names: Iterable[str]) -> dict[str, Decimal | None]:
    """The value of each named metric for the unit over [start, end]; None when unmeasured."""
    wanted = set(names)
    values: dict[str, Decimal | None] = dict.fromkeys(wanted)
    for provider in _PROVIDERS:
        mine = {n for n in wanted if provider.owns(n)}
        if mine:
            values.update(
                {k: v for k, v in provider.measure(unit, start, end, mine).items() if k in mine}
            )
    return values
