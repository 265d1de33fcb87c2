"""Points of the QĐ 766/QĐ-TTg service index for a unit and a period.

From the named counts (counts.py, or SQL aggregates with the same names) and the
definition (definition.py): each indicator's rate, numerator, denominator, points and
points lost; group totals; the total; ranking among units; the indicators that lose the
most points; a monthly trend; and the indicators as metrics for a PAR framework.

Totals. `total` is the sum of the points earned. Indicators CCHC cannot measure
(data: not_available) and indicators with nothing to measure (a zero denominator with
when_empty: excluded, shown as "không có số liệu") score nothing and leave the reachable
maximum: `max_available` = 100 − those points. `score_100` = total × 100 / max_available
is the index on a 100-point scale and the figure units are ranked by. Everything is Decimal
at a working precision of 10 places (PRECISION); rounding to 2 places is for display only
(DESIGN.md: never round before ranking).

Plain module: no Django import.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from cchc.core.formatting import vn_number, vn_percent
from cchc.dossiers.periods import Period, months_in
from cchc.dossiers.workdays import WorkCalendar
from cchc.evaluations.ranking import competition_ranks
from cchc.service_index.counts import UnitData, compute_counts
from cchc.service_index.definition import IndexDefinition, Indicator

Status = Literal[
    "measured", "empty", "empty_zero", "empty_full", "tracking", "not_available", "no_column"
]

# The import column behind each flag count: a file without it leaves the flag unknown, and
# the indicator reads "không có số liệu (tệp nhập không có cột …)" instead of 0% (issue 14).
FLAG_COLUMNS: dict[str, str] = {
    "dossiers.received_synced": "synced (đồng bộ Cổng DVCQG)",
    "dossiers.data_store_linked": "data_store_linked (kết nối kho dữ liệu)",
}

ZERO = Decimal(0)
HUNDRED = Decimal(100)
# Working precision of rates and points: 10 decimal places. Not display rounding (that
# happens once, to 2 places, when printed): it makes every sum exact, so group totals,
# the total and the points lost always add up, and equal rates reached by different
# counts (1/3, 2/6) tie exactly when ranking.
PRECISION = Decimal("1e-10")


def exact(value: Decimal) -> Decimal:
    return value.quantize(PRECISION, rounding=ROUND_HALF_UP)


STATUS_LABELS: dict[str, str] = {
    "measured": "Đã tính",
    "empty": "Không có số liệu (không tính điểm)",
    "empty_zero": "Không có số liệu (0 điểm)",
    "empty_full": "Không có số liệu (tính đủ điểm theo quy ước)",
    "tracking": "Chỉ theo dõi, không tính điểm",
    "not_available": "Hệ thống không có dữ liệu (chỉ Cổng DVCQG có)",
    "no_column": "Không có số liệu (tệp nhập không có cột {column})",
}

ERR_MISSING_COUNT = "Thiếu số đếm '{name}' cho chỉ số {code}"


@dataclass(frozen=True)
class IndicatorResult:
    indicator: Indicator
    numerator: int | None
    denominator: int | None
    rate: Decimal | None  # %, exact; None when there is nothing to divide by
    points: Decimal | None  # None: not scored (no data, tracking, not available)
    status: Status

    @property
    def code(self) -> str:
        return self.indicator.code

    @property
    def max_points(self) -> Decimal:
        return self.indicator.max_points

    @property
    def counts_toward_total(self) -> bool:
        return self.points is not None

    @property
    def points_lost(self) -> Decimal | None:
        if self.points is None:
            return None
        return self.indicator.max_points - self.points

    @property
    def rate_display(self) -> str:
        return vn_percent(self.rate)

    @property
    def status_label(self) -> str:
        column = FLAG_COLUMNS.get(self.indicator.numerator or "", "")
        return STATUS_LABELS[self.status].format(column=column)


@dataclass(frozen=True)
class GroupResult:
    code: str
    title: str
    max_points: Decimal
    max_available: Decimal
    points: Decimal

    @property
    def points_lost(self) -> Decimal:
        return self.max_available - self.points


@dataclass(frozen=True)
class IndexResult:
    definition: IndexDefinition
    unit: str
    period: Period | None
    indicators: tuple[IndicatorResult, ...]
    groups: tuple[GroupResult, ...]
    counts: Mapping[str, int]

    @property
    def total(self) -> Decimal:
        return sum((g.points for g in self.groups), ZERO)

    @property
    def max_points(self) -> Decimal:
        return self.definition.total_max_points

    @property
    def max_available(self) -> Decimal:
        return sum((g.max_available for g in self.groups), ZERO)

    @property
    def not_available_points(self) -> Decimal:
        return sum((r.max_points for r in self.indicators if r.status == "not_available"), ZERO)

    @property
    def empty_points(self) -> Decimal:
        """Points left out because there was nothing to measure (when_empty: excluded)."""
        return sum((r.max_points for r in self.indicators if r.status == "empty"), ZERO)

    @property
    def score_100(self) -> Decimal | None:
        """total × 100 / max_available: the index on 100; None when nothing could be scored."""
        if self.max_available == 0:
            return None
        return exact(self.total * HUNDRED / self.max_available)

    @property
    def total_display(self) -> str:
        return f"{vn_number(self.total, 2)}/{vn_number(self.max_available, 2)}"

    def indicator(self, code: str) -> IndicatorResult:
        for r in self.indicators:
            if r.code == code:
                return r
        raise KeyError(code)

    def group(self, code: str) -> GroupResult:
        for g in self.groups:
            if g.code == code:
                return g
        raise KeyError(code)


def _count(counts: Mapping[str, int], name: str, code: str) -> int:
    try:
        return int(counts[name])
    except KeyError as exc:
        raise KeyError(ERR_MISSING_COUNT.format(name=name, code=code)) from exc


def score_indicator(
    indicator: Indicator, counts: Mapping[str, int], unknown: Collection[str] = ()
) -> IndicatorResult:
    if indicator.data == "not_available" or indicator.numerator is None:
        return IndicatorResult(indicator, None, None, None, None, "not_available")
    if indicator.numerator in unknown:
        # The flag was not in the imported file: not measured, not 0%.
        return IndicatorResult(indicator, None, None, None, None, "no_column")
    assert indicator.denominator is not None
    num = _count(counts, indicator.numerator, indicator.code)
    den = _count(counts, indicator.denominator, indicator.code)
    rate = exact(Decimal(num) * HUNDRED / Decimal(den)) if den > 0 else None
    if indicator.max_points == 0:
        return IndicatorResult(indicator, num, den, rate, None, "tracking")
    if den <= 0:
        # A zero denominator is "không có số liệu", never silently 100% (issue 6, seed 000).
        if indicator.when_empty == "zero":
            return IndicatorResult(indicator, num, den, None, ZERO, "empty_zero")
        if indicator.when_empty == "full":
            return IndicatorResult(indicator, num, den, None, indicator.max_points, "empty_full")
        return IndicatorResult(indicator, num, den, None, None, "empty")
    points = exact(indicator.rule.points(num, den, indicator.max_points))
    return IndicatorResult(indicator, num, den, rate, points, "measured")


def score_counts(
    definition: IndexDefinition,
    counts: Mapping[str, int],
    *,
    unit: str = "",
    period: Period | None = None,
    unknown: Collection[str] = (),
) -> IndexResult:
    """The index from named counts (from compute_counts, or SQL aggregates of the same names).
    ``unknown``: counts of flags the imported data did not carry (FLAG_COLUMNS)."""
    indicators, groups = _scored(definition, counts, unknown)
    return IndexResult(
        definition=definition,
        unit=unit,
        period=period,
        indicators=indicators,
        groups=groups,
        counts=dict(counts),
    )


# Scores already worked out, per definition: (the definition, {key: scores}). The scores
# are a pure function of the definition and the counts it reads, so a unit whose counts
# were scored before (every officer of a province opens the same ranking of its 114
# communes; issue 13) gets the same frozen results without scoring them again. Keyed by
# the definition's identity, held in the entry so that the identity cannot be reused.
_SCORED: dict[int, tuple[IndexDefinition, tuple[str, ...], dict[tuple, tuple]]] = {}
_SCORED_MAX = 8192


def _scored(
    definition: IndexDefinition, counts: Mapping[str, int], unknown: Collection[str]
) -> tuple[tuple[IndicatorResult, ...], tuple[GroupResult, ...]]:
    entry = _SCORED.get(id(definition))
    if entry is None or entry[0] is not definition:
        if len(_SCORED) >= 16:  # definitions parsed one after another (tests, a framework file)
            _SCORED.clear()
        entry = _SCORED[id(definition)] = (definition, tuple(sorted(definition.count_names())), {})
    _, names, memo = entry
    key = (tuple(counts.get(name) for name in names), frozenset(unknown))
    found = memo.get(key)
    if found is None:
        if len(memo) >= _SCORED_MAX:
            memo.clear()
        found = memo[key] = _score(definition, counts, unknown)
    return found


def _score(
    definition: IndexDefinition, counts: Mapping[str, int], unknown: Collection[str]
) -> tuple[tuple[IndicatorResult, ...], tuple[GroupResult, ...]]:
    indicators: list[IndicatorResult] = []
    groups: list[GroupResult] = []
    for group in definition.groups:
        results = [score_indicator(i, counts, unknown) for i in group.indicators]
        indicators.extend(results)
        scored = [r for r in results if r.points is not None]
        groups.append(
            GroupResult(
                code=group.code,
                title=group.title,
                max_points=group.max_points,
                max_available=sum((r.max_points for r in scored), ZERO),
                points=sum((r.points or ZERO for r in scored), ZERO),
            )
        )
    return tuple(indicators), tuple(groups)


def compute_index(
    definition: IndexDefinition, data: UnitData, period: Period, calendar: WorkCalendar
) -> IndexResult:
    counts = compute_counts(data, period, calendar)
    return score_counts(definition, counts, unit=data.unit, period=period)


def compute_indices(
    definition: IndexDefinition,
    units: Iterable[UnitData],
    period: Period,
    calendar: WorkCalendar,
) -> list[IndexResult]:
    return [compute_index(definition, data, period, calendar) for data in units]


@dataclass(frozen=True)
class RankedResult:
    rank: int | None  # None: nothing could be scored, not ranked
    of: int  # number of ranked units ("xếp thứ 14/20")
    result: IndexResult
    # The indicators every ranked unit was scored on, and this unit's points on them over
    # their maxima, on 100: the one basis units are ranked on.
    basis: tuple[str, ...] = ()
    basis_score: Decimal | None = None


def common_basis(results: Sequence[IndexResult]) -> tuple[str, ...]:
    """The scored indicators measurable for every unit given (definition order)."""
    if not results:
        return ()
    scored = [{r.code for r in res.indicators if r.points is not None} for res in results]
    common = set.intersection(*scored)
    return tuple(r.code for r in results[0].indicators if r.code in common)


def basis_score(result: IndexResult, basis: Collection[str]) -> Decimal | None:
    rows = [r for r in result.indicators if r.code in basis and r.points is not None]
    maximum = sum((r.max_points for r in rows), ZERO)
    if maximum == 0:
        return None
    return exact(sum((r.points or ZERO for r in rows), ZERO) * HUNDRED / maximum)


def rank_results(results: Sequence[IndexResult]) -> list[RankedResult]:
    """Standard competition rank, highest first; ties share a rank (1, 2, 2, 4).

    Units are ranked on one basis (issue 14): the indicators measurable for every unit
    ranked, scored on 100 over those indicators' maxima. Totals rescaled from different
    reachable maxima (/86 against /74) do not rank units on the same thing. Units with
    nothing to score come last, unranked. Within a tie the input order is kept.
    """
    candidates = [r for r in results if r.score_100 is not None]
    basis = common_basis(candidates)
    scores = {id(r): basis_score(r, basis) for r in candidates}
    ranked = [r for r in candidates if scores[id(r)] is not None]
    unranked = [r for r in results if r.score_100 is None or scores.get(id(r)) is None]
    ordered = sorted(ranked, key=lambda r: -(scores[id(r)] or ZERO))
    ranks = competition_ranks({i: scores[id(r)] for i, r in enumerate(ordered)})
    out = [
        RankedResult(ranks[i].rank, len(ordered), r, basis, scores[id(r)])
        for i, r in enumerate(ordered)
    ]
    out.extend(RankedResult(None, len(ordered), r, basis) for r in unranked)
    return out


def loses_most(result: IndexResult) -> list[IndicatorResult]:
    """Scored indicators that lost points, most points lost first (ties: definition order)."""
    losing = [
        (r.points_lost, position, r)
        for position, r in enumerate(result.indicators)
        if r.points_lost is not None and r.points_lost > 0
    ]
    losing.sort(key=lambda item: (-item[0], item[1]))
    return [r for _, _, r in losing]


@dataclass(frozen=True)
class TrendPoint:
    period: Period
    total: Decimal
    max_available: Decimal
    score_100: Decimal | None
    rates: Mapping[str, Decimal | None]  # indicator code -> rate
    points: Mapping[str, Decimal | None]  # indicator code -> points


def trend(
    definition: IndexDefinition,
    data: UnitData,
    periods: Iterable[Period],
    calendar: WorkCalendar,
) -> list[TrendPoint]:
    """The index for each period given (reporting months, usually), in order."""
    out: list[TrendPoint] = []
    for period in periods:
        result = compute_index(definition, data, period, calendar)
        out.append(
            TrendPoint(
                period=period,
                total=result.total,
                max_available=result.max_available,
                score_100=result.score_100,
                rates={r.code: r.rate for r in result.indicators},
                points={r.code: r.points for r in result.indicators},
            )
        )
    return out


def monthly_trend(
    definition: IndexDefinition, data: UnitData, period: Period, calendar: WorkCalendar
) -> list[TrendPoint]:
    """The index of each reporting month (15th to 14th) of the period."""
    return trend(definition, data, months_in(period), calendar)


def metrics_for_framework(result: IndexResult) -> dict[str, Decimal]:
    """The index as metrics a PAR framework's `metric:` criteria can read.

    qd766.<code> = the indicator's rate (%), qd766.<code>.points = its points;
    qd766.total, qd766.max_available and qd766.score_100 for the whole index. An indicator
    without a value is left out, so a criterion reading it sees "no data", not 0.
    """
    metrics: dict[str, Decimal] = {}
    for r in result.indicators:
        name = r.indicator.metric_name
        if r.rate is not None:
            metrics[name] = r.rate
        if r.points is not None:
            metrics[f"{name}.points"] = r.points
    for g in result.groups:
        if g.max_available > 0:
            metrics[f"qd766.group.{g.code}.points"] = g.points
    if result.score_100 is not None:
        metrics["qd766.total"] = result.total
        metrics["qd766.max_available"] = result.max_available
        metrics["qd766.score_100"] = result.score_100
    return metrics
