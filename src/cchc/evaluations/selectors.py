"""Reads of evaluations, scoped to what the person may see, in as few queries as possible.

The figures come from the plain rule modules (scoring, ranking, classification, results):
final score of a leaf = appraised where appraised, else self-assessed, else the points of
its measured value (metric, survey); a leaf without any counts 0 and is listed as missing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404

from cchc.core.collation import vn_order, vn_sort_key
from cchc.core.formatting import round_half_up
from cchc.core.people import Person
from cchc.evaluations.batch import result_rows
from cchc.evaluations.models import (
    Cycle,
    CycleState,
    CycleTransition,
    CycleUnit,
    Evidence,
    PublishedResult,
    RemediationDuty,
    Score,
)
from cchc.evaluations.results import (
    Comparison,
    UnitResult,
    compare_with_previous,
    results_from_scores,
)
from cchc.evaluations.scoring import UnitScore, frozen, score_unit
from cchc.frameworks.models import Criterion
from cchc.frameworks.spec import METHOD_EVIDENCE, METHOD_METRIC, METHOD_SURVEY, Framework

# The scoped fetches live with every other access rule in cchc.units.permissions (issue 12);
# re-exported here for the evaluations' views, API and services.
from cchc.units.permissions import (  # noqa: F401
    NOT_FOUND,
    can_administer,
    cycle_for,
    cycle_unit_for,
    cycle_units_for,
    cycles_for,
    evidence_for,
    score_for,
    visible_units,
)

# Missing and not-yours read the same (units.permissions.NOT_FOUND): an id reveals nothing.
NOT_FOUND_CYCLE = NOT_FOUND
NOT_FOUND_CYCLE_UNIT = NOT_FOUND
FORBIDDEN_CYCLE = "Bạn không có quyền xem kỳ đánh giá này."

# --------------------------------------------------------------------------- score sheet


@dataclass
class SheetRow:
    """One node of a unit's criteria tree, with what is known of it."""

    criterion: Criterion
    depth: int
    max: Decimal
    score: Score | None  # leaves only
    self_total: Decimal | None  # self score (leaf) or sum of the children's self scores
    final: Decimal  # final score (missing leaves count 0)
    measured: Decimal | None = None  # metric value or survey result
    measured_points: Decimal | None = None
    evidence: list[Evidence] = field(default_factory=list)
    missing: bool = False

    @property
    def is_leaf(self) -> bool:
        return self.criterion.is_leaf

    @property
    def changed_by_appraisal(self) -> bool:
        s = self.score
        if s is None or s.appraised_score is None:
            return False
        reference = s.self_score if s.self_score is not None else s.measured_points
        return reference is None or s.appraised_score != reference


@dataclass
class ScoreSheet:
    cycle_unit: CycleUnit
    rows: list[SheetRow]
    score: UnitScore
    self_total: Decimal
    final_total: Decimal
    max: Decimal

    @property
    def index(self) -> Decimal:
        return round_half_up(self.final_total * 100 / self.max, 2)


# What scoring reads of a score row: criterion code, appraised, self, measured value.
ScoreRow = tuple[str, Decimal | None, Decimal | None, Decimal | None]
SCORE_ROW_FIELDS = ("criterion__code", "appraised_score", "self_score", "measured_value")


def _unit_inputs(
    fw: Framework, rows: Iterable[ScoreRow]
) -> tuple[dict[str, Decimal], dict[str, Decimal], dict[str, Decimal]]:
    """Given points (appraised, else self), metric values and survey values of one unit."""
    given: dict[str, Decimal] = {}
    metric_values: dict[str, Decimal] = {}
    survey_values: dict[str, Decimal] = {}
    for code, appraised, self_score, measured in rows:
        if appraised is not None:
            given[code] = appraised
        elif self_score is not None:
            given[code] = self_score
        elif measured is not None:
            node = fw.node(code)
            if node.method == METHOD_METRIC and node.metric:
                metric_values[node.metric] = measured
            elif node.method == METHOD_SURVEY and node.survey:
                survey_values[node.survey] = measured
    return given, metric_values, survey_values


def unit_score(fw: Framework, scores: list[Score]) -> UnitScore:
    rows = [(s.criterion.code, s.appraised_score, s.self_score, s.measured_value) for s in scores]
    return unit_score_of_rows(fw, rows)


def unit_score_of_rows(
    fw: Framework, rows: Iterable[ScoreRow], memo: dict | None = None
) -> UnitScore:
    """``memo``: kept across the units of one cycle (scoring._shared_node)."""
    given, metrics, surveys = _unit_inputs(fw, rows)
    return score_unit(
        fw,
        given,
        metric_values=metrics,
        survey_values=surveys,
        allow_missing=True,
        memo=memo,
    )


def score_sheet(cycle_unit: CycleUnit) -> ScoreSheet:
    """The criteria tree of a unit with max points, self and final scores, measured values
    and evidence per node: the self-assessment and appraisal pages."""
    cycle = cycle_unit.cycle
    fw = cycle.framework.spec()
    criteria = list(cycle.framework.criteria.order_by("position"))
    scores = list(cycle_unit.scores.select_related("criterion", "self_scored_by", "appraised_by"))
    by_code = {s.criterion.code: s for s in scores}
    evidence: dict[int, list[Evidence]] = defaultdict(list)
    for item in cycle_unit.evidence.select_related("uploaded_by").order_by("uploaded_at"):
        evidence[item.criterion_id].append(item)
    computed = unit_score(fw, scores)
    self_sums: dict[str, Decimal | None] = {}

    def self_of(code: str) -> Decimal | None:
        if code in self_sums:
            return self_sums[code]
        node = fw.node(code)
        if node.is_leaf:
            s = by_code.get(code)
            value = None
            if s is not None:
                value = s.self_score if s.self_score is not None else s.measured_points
        else:
            parts = [self_of(child.code) for child in node.children]
            known = [p for p in parts if p is not None]
            value = sum(known, Decimal(0)) if known else None
        self_sums[code] = value
        return value

    rows = []
    for criterion in criteria:
        s = by_code.get(criterion.code)
        node_score = computed.nodes[criterion.code]
        rows.append(
            SheetRow(
                criterion=criterion,
                depth=criterion.depth,
                max=criterion.max_points,
                score=s,
                self_total=self_of(criterion.code),
                final=node_score.score,
                measured=s.measured_value if s else None,
                measured_points=s.measured_points if s else None,
                evidence=evidence.get(criterion.pk, []),
                missing=criterion.code in computed.missing,
            )
        )
    self_total = sum((self_of(c.code) or Decimal(0) for c in fw.criteria), Decimal(0))
    return ScoreSheet(
        cycle_unit=cycle_unit,
        rows=rows,
        score=computed,
        self_total=self_total,
        final_total=computed.total,
        max=computed.max,
    )


@dataclass(frozen=True)
class Completeness:
    leaves: int
    scored: int  # leaves with a score (self, appraised or measured)
    evidence_leaves: int  # leaves scored against documents
    with_evidence: int  # of those, how many have at least one document
    missing: tuple[str, ...]  # evidence leaves not self-scored yet
    without_evidence: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def scored_percent(self) -> Decimal:
        return (
            round_half_up(Decimal(self.scored * 100) / self.leaves, 0)
            if self.leaves
            else Decimal(0)
        )


def completeness(cycle_unit: CycleUnit) -> Completeness:
    """Leaves scored and leaves with evidence: what the head checks before submitting."""
    scores = list(
        cycle_unit.scores.select_related("criterion")
        .annotate(
            documents=Count(
                "cycle_unit__evidence",
                filter=Q(cycle_unit__evidence__criterion=F("criterion")),
            )
        )
        .order_by("criterion__position")
    )
    evidence_leaves = [s for s in scores if s.criterion.method == METHOD_EVIDENCE]
    return Completeness(
        leaves=len(scores),
        scored=sum(1 for s in scores if s.final_score is not None),
        evidence_leaves=len(evidence_leaves),
        with_evidence=sum(1 for s in evidence_leaves if s.documents),
        missing=tuple(s.criterion.code for s in evidence_leaves if s.self_score is None),
        without_evidence=tuple(s.criterion.code for s in evidence_leaves if not s.documents),
    )


# --------------------------------------------------------------------------- results


def cycle_blocks(cycle: Cycle) -> list[tuple[str, int]]:
    """The cycle's blocks ("" for none) with their numbers of units, in the order the
    results list them (Vietnamese order of the names)."""
    counts = Counter(cycle.cycle_units.values_list("block", flat=True))
    return sorted(counts.items(), key=lambda pair: vn_sort_key(pair[0]))


def cycle_results_by_unit(
    cycle: Cycle, block: str | None = None
) -> list[tuple[CycleUnit, UnitResult]]:
    """Every unit's result (ranked within its block), paired with its CycleUnit, in rank
    order block by block; only the units of ``block`` if given ("" = no block). The figures
    are the same either way: ranks are within a block (ranking.block_ranks) and a unit's
    score, grade and remediation are its own."""
    fw = cycle.framework.spec()
    units = cycle.cycle_units.select_related("unit")
    scores = Score.objects.filter(cycle_unit__cycle=cycle)
    if block is not None:
        units = units.filter(block=block)
        scores = scores.filter(cycle_unit__block=block)
    cycle_units = list(units)
    # The scores as plain rows, one query, no model instances: 3,321 communes' score rows
    # (and their criteria) as objects took 6 s of the results page (issue 18).
    rows: dict[int, list[ScoreRow]] = {cu.pk: [] for cu in cycle_units}
    for cycle_unit_id, *row in scores.values_list("cycle_unit_id", *SCORE_ROW_FIELDS):
        rows[cycle_unit_id].append(tuple(row))
    # The path of `cchc score` (issue 18): one memo of node scores for the whole cycle, then
    # results_from_scores.
    memo: dict = {}
    scored = [
        (str(cu.pk), cu.block or None, unit_score_of_rows(fw, rows[cu.pk], memo))
        for cu in cycle_units
    ]
    results = results_from_scores(fw, scored)
    by_pk = {str(cu.pk): cu for cu in cycle_units}
    out = []
    for result in results:
        cycle_unit = by_pk[result.unit]
        out.append((cycle_unit, _named(result, cycle_unit.unit.name)))
    # Block by block, best first; equal ranks in Vietnamese order of the names (issue 15),
    # as the published results are listed.
    # A block's key made once (34 blocks, 3,321 units), a name's only to break a tie.
    block_keys = {b: vn_sort_key(b) for b in {cu.block or "" for cu in cycle_units}}

    def key(pair: tuple[CycleUnit, UnitResult]) -> tuple:
        return (block_keys[pair[0].block or ""], pair[1].rank.rank)

    out.sort(key=key)
    i = 0
    while i < len(out):  # runs of equal (block, rank): in Vietnamese order of the names
        j = i + 1
        while j < len(out) and key(out[j]) == key(out[i]):
            j += 1
        if j - i > 1:
            out[i:j] = sorted(out[i:j], key=lambda pair: vn_sort_key(pair[0].unit.name))
        i = j
    return out


def _named(result: UnitResult, name: str) -> UnitResult:
    """A copy named after the unit; through its fields as scoring.frozen does (3,321 copies
    through dataclasses.replace, i.e. the frozen __init__, cost tens of ms; issue 18)."""
    return frozen(UnitResult, {**vars(result), "unit": name})


def cycle_results(cycle: Cycle) -> list[UnitResult]:
    """The results of every unit (unit = its name), in rank order within blocks."""
    return [result for _, result in cycle_results_by_unit(cycle)]


def unit_result(cycle_unit: CycleUnit) -> UnitResult:
    """One unit's result, ranked among the units of its block (only that block computed)."""
    for cu, result in cycle_results_by_unit(cycle_unit.cycle, cycle_unit.block):
        if cu.pk == cycle_unit.pk:
            return result
    raise Http404(NOT_FOUND_CYCLE_UNIT)


def result_json_rows(cycle: Cycle) -> list[dict[str, Any]]:
    """The `cchc score` JSON shape for a cycle, plus unit_id and the unit's code."""
    pairs = cycle_results_by_unit(cycle)
    rows = result_rows(cycle.framework.spec(), [r for _, r in pairs])
    for (cycle_unit, _), row in zip(pairs, rows, strict=True):
        row["unit_id"] = cycle_unit.unit_id
        row["unit_code"] = cycle_unit.unit.key
        row["block"] = cycle_unit.block or None
    return rows


def published_data(fw: Framework, cycle_unit: CycleUnit, result: UnitResult) -> dict[str, Any]:
    """What is frozen at publication: the JSON row of `cchc score` with titles, grade label
    and every node's score, as JSON-safe strings for Decimals."""
    row = result_rows(fw, [result])[0]
    row["block"] = cycle_unit.block or None
    row["unit_id"] = cycle_unit.unit_id
    row["unit_code"] = cycle_unit.unit.key
    row["grade_label"] = result.grade.label if result.grade else None
    for code, comp in row["components"].items():
        comp["title"] = fw.node(code).title
        comp["graded"] = fw.node(code).graded
    row["nodes"] = {code: node.score for code, node in result.nodes.items()}
    row["gap"] = (
        {
            "target": result.gap.target,
            "total_points": result.gap.total_points,
            "items": [
                {"kind": i.kind, "code": i.code, "points_needed": i.points_needed}
                for i in result.gap.items
            ],
        }
        if result.gap
        else None
    )
    return _json_safe(row)


def _json_safe(value: Any) -> Any:
    if isinstance(value, Decimal):
        from cchc.frameworks.spec import plain_number

        return plain_number(value)
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    return value


def published_results(cycle: Cycle) -> QuerySet[PublishedResult]:
    """The frozen results of a published cycle, in rank order within blocks."""
    return cycle.published_results.select_related("unit").order_by("block", "rank", "unit__path")


def published_cycles() -> QuerySet[Cycle]:
    """Cycles anyone (no login) may read: the published ones."""
    return (
        Cycle.objects.filter(state=CycleState.PUBLISHED)
        .select_related("framework", "organiser")
        .order_by("-year", "-pk")
    )


def previous_cycle_unit(cycle_unit: CycleUnit) -> CycleUnit | None:
    """The same unit in its most recent earlier finalised or published cycle."""
    return (
        CycleUnit.objects.filter(
            unit_id=cycle_unit.unit_id,
            cycle__year__lt=cycle_unit.cycle.year,
            cycle__state__in=[CycleState.FINALISED, CycleState.PUBLISHED],
        )
        .select_related("cycle", "cycle__framework")
        .order_by("-cycle__year", "-cycle__pk")
        .first()
    )


def unit_comparison(cycle_unit: CycleUnit) -> Comparison | None:
    """Per component, this cycle against the unit's previous one; None when there is none.
    ``same_framework`` False and component statuses (max_changed, criteria_changed, new,
    removed) say where the framework changed."""
    previous = previous_cycle_unit(cycle_unit)
    if previous is None:
        return None
    current = unit_result(cycle_unit)
    old = unit_result(previous)
    return compare_with_previous(
        cycle_unit.cycle.framework.spec(), current, previous.cycle.framework.spec(), old
    )


# --------------------------------------------------------------------------- history


FIELD_LABELS = {
    "self_score": "Điểm tự đánh giá",
    "self_note": "Thuyết minh",
    "appraised_score": "Điểm thẩm định",
    "appraisal_reason": "Lý do thẩm định",
    "measured_value": "Số liệu đo được",
    "evidence": "Tài liệu kiểm chứng",
}
_TRACKED = ("self_score", "appraised_score", "measured_value", "self_note", "appraisal_reason")


@dataclass(frozen=True)
class HistoryRow:
    criterion: str  # code
    title: str
    field: str
    label: str
    old: Any
    new: Any
    who: str
    when: dt.datetime
    why: str


def _who(user: Person | None) -> str:
    if user is None:
        return "Hệ thống"
    profile = getattr(user, "profile", None)
    return profile.full_name if profile else user.get_username()


def score_history(cycle_unit: CycleUnit) -> list[HistoryRow]:
    """Every change to the unit's scores and evidence: criterion, field, old, new, who,
    when, why — newest first."""
    criteria = {c.pk: c for c in cycle_unit.cycle.framework.criteria.all()}
    score_ids = list(cycle_unit.scores.values_list("pk", flat=True))
    records = (
        Score.history.filter(id__in=score_ids)
        .select_related("history_user", "history_user__profile")
        .order_by("id", "history_date", "history_id")
    )
    rows: list[HistoryRow] = []
    previous: dict[int, Any] = {}
    for record in records:
        before = previous.get(record.id)
        previous[record.id] = record
        criterion = criteria.get(record.criterion_id)
        if criterion is None:
            continue
        for name in _TRACKED:
            old = getattr(before, name) if before is not None else None
            new = getattr(record, name)
            if old == new or (before is None and new in (None, "")):
                continue
            if name in ("self_note", "appraisal_reason"):
                # Shown as the "why" of the score change when they change together.
                paired = "self_score" if name == "self_note" else "appraised_score"
                if before is not None and getattr(before, paired) != getattr(record, paired):
                    continue
            if name == "self_score":
                why = record.self_note or record.history_change_reason or ""
            elif name == "appraised_score":
                why = record.appraisal_reason or record.history_change_reason or ""
            else:
                why = record.history_change_reason or ""
            rows.append(
                HistoryRow(
                    criterion=criterion.code,
                    title=criterion.title,
                    field=name,
                    label=FIELD_LABELS[name],
                    old=old,
                    new=new,
                    who=_who(record.history_user),
                    when=record.history_date,
                    why=why,
                )
            )
    for record in (
        Evidence.history.filter(cycle_unit_id=cycle_unit.pk)
        .select_related("history_user", "history_user__profile")
        .order_by("history_date")
    ):
        if record.history_type == "~":
            continue
        criterion = criteria.get(record.criterion_id)
        added = record.history_type == "+"
        rows.append(
            HistoryRow(
                criterion=criterion.code if criterion else "",
                title=criterion.title if criterion else "",
                field="evidence",
                label=FIELD_LABELS["evidence"],
                old=None if added else record.title,
                new=record.title if added else None,
                who=_who(record.history_user),
                when=record.history_date,
                why=record.history_change_reason or "",
            )
        )
    rows.sort(key=lambda r: r.when, reverse=True)
    return rows


def cycle_transitions(cycle: Cycle) -> QuerySet[CycleTransition]:
    return cycle.transitions.select_related("by", "by__profile").order_by("at", "pk")


# --------------------------------------------------------------------------- remediation


def remediation_duties(
    user: Person | None, cycle: Cycle | None = None
) -> QuerySet[RemediationDuty]:
    """Remediation duties the person may see (their units'; all for the organiser's
    administrators), soonest deadline first."""
    duties = RemediationDuty.objects.select_related(
        "cycle_unit", "cycle_unit__unit", "cycle_unit__cycle"
    ).order_by("deadline", "cycle_unit__unit__path")
    if cycle is not None:
        duties = duties.filter(cycle_unit__cycle=cycle)
    if user is not None and user.is_superuser:
        return duties
    return duties.filter(
        Q(cycle_unit__unit__in=visible_units(user))
        | Q(cycle_unit__cycle__in=cycles_for(user).filter(organiser__in=visible_units(user)))
    )


# --------------------------------------------------------------------------- corrections


@dataclass(frozen=True)
class CorrectionNotice:
    """One correction of a published cycle as the result pages show it (issue 12: a
    correction after publication is public, with its decision)."""

    decision_no: str
    decision_date: dt.date
    reason: str
    unit_names: list[str]
    corrected: bool = False  # this unit's own scores were corrected (a unit's page)
    previous_score: Any = None  # this unit's published total before the correction
    previous_rank: int | None = None
    previous_rank_of: int | None = None


def corrections_of(cycle: Cycle, unit_id: int | None = None) -> list[CorrectionNotice]:
    """The corrections of a published cycle, oldest first. For a unit's page (unit_id):
    those that corrected its scores or moved its rank, with what was published before."""
    from cchc.evaluations.models import ResultCorrection

    notices = []
    corrections = ResultCorrection.objects.filter(cycle=cycle).prefetch_related("units")
    for correction in corrections.order_by("at", "pk"):
        units = vn_order(correction.units.all())
        names = [u.name for u in units]
        if unit_id is None:
            notices.append(
                CorrectionNotice(
                    correction.decision_no, correction.decision_date, correction.reason, names
                )
            )
            continue
        before = correction.previous.get(str(unit_id))
        corrected = any(u.pk == unit_id for u in units)
        now = PublishedResult.objects.filter(cycle=cycle, unit_id=unit_id).first()
        moved = before is not None and now is not None and before.get("rank") != now.rank
        if not (corrected or moved):
            continue
        notices.append(
            CorrectionNotice(
                correction.decision_no,
                correction.decision_date,
                correction.reason,
                names,
                corrected=corrected,
                previous_score=(before or {}).get("score"),
                previous_rank=(before or {}).get("rank"),
                previous_rank_of=(before or {}).get("rank_of"),
            )
        )
    return notices


def score_unit_and_year(score: Score) -> tuple[int | None, int | None]:
    """The unit and year a saved score covers (its data coverage, cchc.core.coverage_hooks)."""
    row = (
        CycleUnit.objects.filter(pk=score.cycle_unit_id)
        .values_list("unit_id", "cycle__year")
        .first()
    )
    return row if row else (None, None)
