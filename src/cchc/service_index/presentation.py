"""What the pages, the export and the command print about an index result: labels for each
indicator (its counts, its rule, where its data comes from, how sure it is) and the total
said plainly ("60,35/96 điểm (62,86/100)"), plus the monthly trend chart."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from cchc.core.formatting import round_half_up, vn_number
from cchc.dossiers.periods import Period
from cchc.service_index.compute import IndexResult, IndicatorResult, RankedResult, loses_most
from cchc.service_index.counts import COUNT_LABELS
from cchc.service_index.export import CONFIDENCE_LABELS, DATA_LABELS

DATA_SHORT = {"system": "Hệ thống", "import": "Tệp nhập", "not_available": "Chỉ Cổng DVCQG"}
CONFIDENCE_BADGE = {"V": "badge--ok", "S": "", "U": "badge--warn"}


@dataclass(frozen=True)
class IndicatorView:
    r: IndicatorResult

    @property
    def numerator_label(self) -> str:
        return COUNT_LABELS.get(self.r.indicator.numerator or "", "")

    @property
    def denominator_label(self) -> str:
        return COUNT_LABELS.get(self.r.indicator.denominator or "", "")

    @property
    def rule(self) -> str:
        if self.r.indicator.data == "not_available":
            return ""
        return self.r.indicator.rule.describe()

    @property
    def confidence_label(self) -> str:
        return CONFIDENCE_LABELS[self.r.indicator.confidence]

    @property
    def confidence_badge(self) -> str:
        return CONFIDENCE_BADGE[self.r.indicator.confidence]

    @property
    def data_label(self) -> str:
        return DATA_LABELS[self.r.indicator.data]

    @property
    def data_short(self) -> str:
        return DATA_SHORT[self.r.indicator.data]

    @property
    def why(self) -> str:
        """One sentence on why the indicator loses points, from its counts."""
        r = self.r
        if r.points_lost is None or r.points_lost <= 0 or r.denominator is None:
            return ""
        missing = r.denominator - (r.numerator or 0)
        return (
            f"{vn_number(missing)} trong {vn_number(r.denominator)} trường hợp chưa đạt "
            f"({self.numerator_label}: {vn_number(r.numerator)})."
        )


def indicator_views(results: Sequence[IndicatorResult]) -> list[IndicatorView]:
    return [IndicatorView(r) for r in results]


def total_sentence(result: IndexResult) -> str:
    """'60,35/96 điểm (62,86/100)', or the plain statement that nothing could be scored."""
    if result.score_100 is None:
        return "Chưa có số liệu để tính điểm trong kỳ"
    return (
        f"{vn_number(result.total, 2)}/{vn_number(result.max_available, 2)} điểm "
        f"({vn_number(result.score_100, 2)}/100)"
    )


def reachable_sentence(result: IndexResult) -> str:
    """Why the maximum is less than 100, said plainly."""
    parts = []
    not_available = [r.code for r in result.indicators if r.status == "not_available"]
    empty = [r.code for r in result.indicators if r.status == "empty"]
    if not_available:
        parts.append(
            f"{vn_number(result.not_available_points)} điểm của chỉ số "
            f"{', '.join(not_available)} chỉ Cổng Dịch vụ công quốc gia đo được"
        )
    if empty:
        parts.append(
            f"{vn_number(result.empty_points)} điểm của chỉ số {', '.join(empty)} "
            "không có số liệu trong kỳ"
        )
    no_column = [r for r in result.indicators if r.status == "no_column"]
    if no_column:
        points = sum((r.max_points for r in no_column), Decimal(0))
        parts.append(
            f"{vn_number(points)} điểm của chỉ số {', '.join(r.code for r in no_column)} "
            "không có số liệu vì tệp nhập không có cột tương ứng"
        )
    if not parts:
        return "Tất cả các chỉ số đều tính được điểm."
    return (
        f"Tối đa tính được {vn_number(result.max_available, 2)}/"
        f"{vn_number(result.max_points)} điểm: " + "; ".join(parts) + "."
    )


def rank_sentence(rank: RankedResult | None, peers_label: str) -> str:
    if rank is None:
        return ""
    if rank.rank is None:
        return f"Chưa xếp hạng (không có số liệu); {rank.of} {peers_label} có xếp hạng"
    return f"Xếp thứ {rank.rank}/{rank.of} {peers_label}"


def trend_chart_svg(points: Sequence[IndexResult]) -> str:
    """The index of each reporting month on a 100-point scale, as an SVG line chart."""
    from cchc.documents.charts import render_svg
    from cchc.documents.document import Chart, Series

    categories = tuple(_month_label(r) for r in points)
    values: tuple[Decimal | None, ...] = tuple(r.score_100 for r in points)
    chart = Chart(
        kind="line",
        title="",
        categories=categories,
        series=(Series("Điểm quy đổi thang 100", values),),
        value_label="điểm/100",
        max_value=100,
        width_cm=17,
        height_cm=7,
    )
    return render_svg(chart)


def _month_label(result: IndexResult) -> str:
    period = result.period
    if period is None:
        return ""
    # "Tháng 3/2023" -> "T3/2023": the axis has room for twelve of them
    return period.label.replace("Tháng ", "T")


# -- the index as data (API and `cchc index766 --format json`) -----------------------------


def rounded(value: Decimal | None) -> Decimal | None:
    return None if value is None else round_half_up(value, 2)


def unit_ref(unit) -> dict:
    return {"id": unit.pk, "name": unit.name, "kind": unit.kind}


def ranking_row_payload(row) -> dict:
    """One ranked unit (a selectors.ranking row) as the API and `index766` print it."""
    return {
        "rank": row.ranked.rank,
        "of": row.ranked.of,
        "unit": unit_ref(row.unit),
        "total": rounded(row.result.total),
        "max_available": rounded(row.result.max_available),
        "score_100": rounded(row.result.score_100),
    }


def period_payload(period: Period) -> dict:
    # end: the day figures are counted to (periods.counted), as_of the same day when set.
    return {
        "start": period.start,
        "end": period.end,
        "label": period.label,
        "code": period.code,
        "as_of": period.as_of,
    }


def index_payload(unit, result: IndexResult, rank: RankedResult | None) -> dict:
    """The index of a unit as JSON-ready data (points rounded half-up to 2 places)."""
    assert result.period is not None
    return {
        "unit": unit_ref(unit),
        "period": period_payload(result.period),
        "definition": result.definition.code,
        "total": rounded(result.total),
        "max_points": rounded(result.max_points),
        "max_available": rounded(result.max_available),
        "score_100": rounded(result.score_100),
        "summary": total_sentence(result),
        "reachable": reachable_sentence(result),
        "rank": rank.rank if rank else None,
        "rank_of": rank.of if rank else None,
        "loses_most": [r.code for r in loses_most(result)],
        "groups": [
            {
                "code": g.code,
                "title": g.title,
                "max_points": rounded(g.max_points),
                "max_available": rounded(g.max_available),
                "points": rounded(g.points),
                "points_lost": rounded(g.points_lost),
            }
            for g in result.groups
        ],
        "indicators": [
            {
                "code": v.r.code,
                "title": v.r.indicator.title,
                "group": v.r.indicator.group,
                "max_points": rounded(v.r.max_points),
                "numerator_name": v.r.indicator.numerator,
                "numerator_label": v.numerator_label,
                "numerator": v.r.numerator,
                "denominator_name": v.r.indicator.denominator,
                "denominator_label": v.denominator_label,
                "denominator": v.r.denominator,
                "rate": rounded(v.r.rate),
                "points": rounded(v.r.points),
                "points_lost": rounded(v.r.points_lost),
                "status": v.r.status,
                "status_label": v.r.status_label,
                "rule": v.rule,
                "data": v.r.indicator.data,
                "confidence": v.r.indicator.confidence,
                "source": v.r.indicator.source,
                "formula": v.r.indicator.formula,
            }
            for v in indicator_views(result.indicators)
        ],
        "counts": dict(result.counts),
    }
