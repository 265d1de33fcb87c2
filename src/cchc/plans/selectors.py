"""Reads for pages, API, reports and metrics: scoped querysets and computed summaries.

Every figure comes from cchc.plans.rules over the stored records, so the plan page, the API,
the metric an evaluation asks for and a report all print the same number.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.utils import timezone

from cchc.core.collation import tree_order, vn_order, vn_sort_key
from cchc.core.formatting import vn_number
from cchc.core.people import Person
from cchc.plans import rules
from cchc.plans.models import (
    Breakthrough,
    BreakthroughCall,
    Component,
    Inspection,
    InspectionTarget,
    Plan,
    PlanItem,
    PlanState,
    Recommendation,
    RemediationReport,
    StaffingYear,
)
from cchc.units.models import Unit
from cchc.units.permissions import can, home_unit, visible_units

STATUS_BADGE = {
    rules.NOT_STARTED: "",
    rules.IN_PROGRESS: "badge--warn",
    rules.DONE: "badge--ok",
    rules.LATE: "badge--bad",
}


def today() -> dt.date:
    return timezone.localdate()


def plans_visible(user: Person) -> QuerySet[Plan]:
    return Plan.objects.filter(unit__in=visible_units(user)).select_related("unit")


def rule_item(item: PlanItem) -> rules.Item:
    """The rule modules' view of a plan item (plans.rules), the one mapping of the fields."""
    return rules.Item(
        key=item.pk,
        parent=item.parent_id,
        status=item.status,
        due_on=item.due_on,
        done_on=item.done_on,
        component=item.component.code if item.component_id else None,
    )


@dataclass
class ItemRow:
    item: PlanItem
    status: str  # effective: rolled up for parents, late derived
    is_parent: bool
    due_soon: bool
    done_late: bool
    evidence_count: int = 0

    @property
    def label(self) -> str:
        return rules.STATUS_LABELS[self.status]

    @property
    def badge(self) -> str:
        return STATUS_BADGE[self.status]


@dataclass
class ComponentRow:
    component: Component | None
    completion: rules.Completion


@dataclass
class PlanSummary:
    plan: Plan
    rows: list[ItemRow]
    completion: rules.Completion
    by_component: list[ComponentRow]
    counts: dict[str, int] = field(default_factory=dict)  # objectives, tasks, activities


def plan_summary(plan: Plan, on: dt.date | None = None) -> PlanSummary:
    on = on or today()
    items = list(
        plan.items.select_related("component", "lead_officer")
        .annotate(evidence_count=Count("evidence"))
        .order_by("sort_key")
    )
    rule_items = [rule_item(i) for i in items]
    stored = rules.effective_stored(rule_items)
    parents = {i.parent_id for i in items if i.parent_id}
    rows = [
        ItemRow(
            item=i,
            status=rules.derive_status(stored[i.pk], i.due_on, on),
            is_parent=i.pk in parents,
            due_soon=rules.is_due_soon(stored[i.pk], i.due_on, on),
            done_late=rules.done_late(stored[i.pk], i.due_on, i.done_on),
            evidence_count=i.evidence_count,
        )
        for i in items
    ]
    components = {c.code: c for c in Component.objects.all()}
    by_component = [
        ComponentRow(components.get(code), completion)
        for code, completion in rules.completion_by_component(rule_items, on).items()
    ]
    by_component.sort(key=lambda r: r.component.order if r.component else 99)
    counts = {level: sum(1 for i in items if i.level == level) for level in rules.LEVELS}
    return PlanSummary(
        plan=plan,
        rows=rows,
        completion=rules.completion(rule_items, on),
        by_component=by_component,
        counts=counts,
    )


def plan_completions(plans, on: dt.date | None = None) -> dict[int, rules.Completion]:
    """Completion of several plans in two queries (for lists)."""
    on = on or today()
    grouped: dict[int, list[rules.Item]] = {p.pk: [] for p in plans}
    items = PlanItem.objects.filter(plan__in=list(grouped)).select_related("component")
    for item in items:
        grouped[item.plan_id].append(rule_item(item))
    return {pk: rules.completion(group, on) for pk, group in grouped.items()}


# --- late and due soon --------------------------------------------------------------------


def open_leaves(user: Person, on: dt.date | None = None, days: int = rules.DUE_SOON_DAYS):
    """Unfinished leaf items of issued plans the person may see, due by on + days."""
    return open_leaves_of(visible_units(user), on, days)


def open_leaves_of(units, on: dt.date | None = None, days: int = rules.DUE_SOON_DAYS):
    """Unfinished leaf items of the units' issued plans, due by on + days (late included)."""
    on = on or today()
    has_children = PlanItem.objects.filter(parent=OuterRef("pk"))
    return (
        PlanItem.objects.filter(
            plan__state=PlanState.ISSUED,
            plan__unit__in=units,
            due_on__isnull=False,
            due_on__lte=on + dt.timedelta(days=days),
        )
        .exclude(status=rules.DONE)
        .exclude(Exists(has_children))
        .select_related("plan", "plan__unit", "lead_officer", "component")
        .order_by("due_on", "plan__unit__path", "sort_key")
    )


def open_breakthroughs(user: Person, on: dt.date | None = None, days: int = rules.DUE_SOON_DAYS):
    on = on or today()
    return (
        Breakthrough.objects.filter(
            unit__in=visible_units(user),
            due_on__isnull=False,
            due_on__lte=on + dt.timedelta(days=days),
        )
        .exclude(status=rules.DONE)
        .select_related("unit", "call")
        .order_by("due_on")
    )


@dataclass
class DueEntry:
    title: str
    url_name: str
    pk: int
    unit: Unit
    who: str
    lead_unit: str
    due_on: dt.date
    late: bool
    days: int  # days left (negative: days late)
    kind: str

    @property
    def days_late(self) -> int:
        return -self.days


@dataclass
class DueGroup:
    name: str
    entries: list[DueEntry]

    @property
    def late(self) -> int:
        return sum(e.late for e in self.entries)

    @property
    def soon(self) -> int:
        return sum(not e.late for e in self.entries)


def due_entries(
    user: Person,
    on: dt.date | None = None,
    days: int = rules.DUE_SOON_DAYS,
    unit: Unit | None = None,
) -> list[DueEntry]:
    on = on or today()
    entries = []
    items = open_leaves(user, on, days)
    breakthroughs = open_breakthroughs(user, on, days)
    if unit is not None:
        items = items.filter(plan__unit=unit)
        breakthroughs = breakthroughs.filter(unit=unit)
    for item in items:
        entries.append(
            DueEntry(
                title=f"{item.code}. {item.title}",
                url_name="plans:item-detail",
                pk=item.pk,
                unit=item.plan.unit,
                who=item.lead_officer.full_name if item.lead_officer else item.lead_officer_name,
                lead_unit=item.lead_unit_name,
                due_on=item.due_on,
                late=item.due_on < on,
                days=(item.due_on - on).days,
                kind="Kế hoạch " + str(item.plan.year),
            )
        )
    for b in breakthroughs:
        entries.append(
            DueEntry(
                title=b.title,
                url_name="plans:registration-detail",
                pk=b.pk,
                unit=b.unit,
                who=b.lead_officer_name,
                lead_unit="",
                due_on=b.due_on,
                late=b.due_on < on,
                days=(b.due_on - on).days,
                kind="Công việc đột phá",
            )
        )
    entries.sort(key=lambda e: (e.due_on, e.unit.path, vn_sort_key(e.title)))
    return entries


NO_PERSON = "(chưa giao người phụ trách)"


def group_by_person(entries: list[DueEntry]) -> list[DueGroup]:
    groups: OrderedDict[str, list[DueEntry]] = OrderedDict()
    for entry in sorted(entries, key=lambda e: (e.who or "~", e.due_on)):
        groups.setdefault(entry.who or NO_PERSON, []).append(entry)
    return [DueGroup(name, group) for name, group in groups.items()]


def group_by_unit(entries: list[DueEntry]) -> list[DueGroup]:
    """Per unit, and within a unit per section leading the work (bộ phận chủ trì)."""
    groups: OrderedDict[str, list[DueEntry]] = OrderedDict()
    for entry in sorted(entries, key=lambda e: (e.unit.path, e.lead_unit, e.due_on)):
        name = entry.unit.name + (f" — {entry.lead_unit}" if entry.lead_unit else "")
        groups.setdefault(name, []).append(entry)
    return [DueGroup(name, group) for name, group in groups.items()]


# --- inspections and recommendations ------------------------------------------------------


@dataclass
class RecommendationRow:
    recommendation: Recommendation
    status: str
    first_report_on: dt.date | None

    @property
    def label(self) -> str:
        return rules.REC_LABELS[self.status]

    @property
    def badge(self) -> str:
        return {
            rules.REC_OVERDUE: "badge--bad",
            rules.REC_REPORTED: "badge--ok",
            rules.REC_CLOSED: "badge--ok",
            rules.REC_REPORTED_LATE: "badge--warn",
        }.get(self.status, "")


def recommendation_rows(queryset, on: dt.date | None = None) -> list[RecommendationRow]:
    on = on or today()
    queryset = queryset.annotate(first_report_on=Min("reports__reported_on")).select_related(
        "unit", "component", "inspection", "inspection__organiser"
    )
    return [
        RecommendationRow(
            r,
            rules.recommendation_status(r.due_on, r.first_report_on, r.closed_on, on),
            r.first_report_on,
        )
        for r in queryset
    ]


def recommendations_visible(user: Person) -> QuerySet[Recommendation]:
    units = visible_units(user)
    return Recommendation.objects.filter(
        Q(unit__in=units) | Q(inspection__organiser__in=units)
    ).distinct()


def overdue_recommendations(user: Person, on: dt.date | None = None) -> QuerySet[Recommendation]:
    """Past their deadline, not closed, and with no remediation report."""
    on = on or today()
    reported = RemediationReport.objects.filter(recommendation=OuterRef("pk"))
    return (
        recommendations_visible(user)
        .filter(closed_on__isnull=True, due_on__lt=on)
        .exclude(Exists(reported))
        .order_by("due_on", "unit__path")
    )


def open_recommendations_for_unit(unit: Unit, on: dt.date | None = None, days: int = 14):
    on = on or today()
    reported = RemediationReport.objects.filter(recommendation=OuterRef("pk"))
    return (
        Recommendation.objects.filter(
            unit=unit, closed_on__isnull=True, due_on__lte=on + dt.timedelta(days=days)
        )
        .exclude(Exists(reported))
        .select_related("inspection")
        .order_by("due_on")
    )


def units_existing_in(queryset: QuerySet[Unit], year: int) -> QuerySet[Unit]:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return queryset.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=end),
        Q(valid_to__isnull=True) | Q(valid_to__gte=start),
    )


def coverage(organiser: Unit, year: int) -> rules.Coverage:
    """Seed 004: 'kiểm tra đối với 12/23 xã, thị trấn và 06/12 cơ quan hành chính, đạt trên
    50%'. Denominator: units under the organiser that existed that year; numerator: those
    inspected at least once by the organiser's inspections of that year (self-inspections
    are not inspections by the level above)."""
    units = units_existing_in(organiser.descendants(include_self=False), year)
    inspected = InspectionTarget.objects.filter(
        inspection__organiser=organiser,
        inspection__year=year,
        inspection__kind=Inspection.Kind.INSPECTION,
    ).values_list("unit_id", flat=True)
    return rules.coverage(units.values_list("pk", "kind"), inspected)


@dataclass
class DutyRow:
    duty: object  # cchc.evaluations.models.RemediationDuty
    overdue: bool

    @property
    def components(self) -> str:
        return ", ".join(str(c) for c in (self.duty.components or []))


def remediation_duties(user: Person, on: dt.date | None = None) -> tuple[list[DutyRow], bool]:
    """Remediation plans owed after an evaluation (seed 001), read-only here: the
    evaluations app owns and tracks them (RemediationDuty).

    Returns (rows, available): available is False when the evaluations app does not provide
    RemediationDuty, so the page says so instead of pretending nobody owes anything.
    """
    try:
        from cchc.evaluations.models import RemediationDuty, RemediationStatus
    except ImportError:
        return [], False
    on = on or today()
    duties = vn_order(
        RemediationDuty.objects.filter(cycle_unit__unit__in=visible_units(user))
        .select_related("cycle_unit__unit", "cycle_unit__cycle")
        .order_by("deadline")[:500],
        "deadline",
        "cycle_unit__unit__name",
    )
    rows = [DutyRow(d, d.status == RemediationStatus.OWED and d.deadline < on) for d in duties]
    rows.sort(key=lambda r: (not r.overdue, r.duty.deadline))
    return rows, True


# --- breakthrough work --------------------------------------------------------------------


@dataclass
class CallSummary:
    call: BreakthroughCall
    registrations: list[Breakthrough]
    missing: list[Unit]  # units under the caller that have not registered
    late: int


def call_summary(call: BreakthroughCall, user: Person) -> CallSummary:
    manager = can(user, "administer", call.unit)
    registrations = call.registrations.select_related("unit", "component", "call")
    if not manager:
        registrations = registrations.filter(unit__in=visible_units(user))
    registrations = list(registrations.order_by("unit__path", "pk"))
    missing: list[Unit] = []
    if manager:
        registered = {r.unit_id for r in call.registrations.all()}
        expected = units_existing_in(
            call.unit.descendants(include_self=False).filter(kind__in=_REGISTERING_KINDS),
            call.year,
        )
        missing = [u for u in tree_order(expected) if u.pk not in registered]
    late = sum(r.registered_late for r in registrations)
    return CallSummary(call, registrations, missing, late)


# Who is expected to answer a call: communes/wards and departments directly accountable.
_REGISTERING_KINDS = ["commune", "ward", "town", "special_zone", "district", "department"]


def open_calls_for(unit: Unit, on: dt.date | None = None) -> QuerySet[BreakthroughCall]:
    """Calls from a unit above this one, still open or recently closed (60 days), that this
    unit has not answered."""
    on = on or today()
    keys = unit.path.strip("/").split("/")[:-1]
    paths = ["/" + "/".join(keys[: i + 1]) + "/" for i in range(len(keys))]
    answered = Breakthrough.objects.filter(call=OuterRef("pk"), unit=unit)
    return (
        BreakthroughCall.objects.filter(
            unit__path__in=paths, deadline__gte=on - dt.timedelta(days=60)
        )
        .exclude(Exists(answered))
        .order_by("deadline")
    )


# --- staffing -----------------------------------------------------------------------------


@dataclass
class StaffingSummary:
    staffing: StaffingYear
    members: list
    ratings: rules.Breakdown
    qualifications: rules.Breakdown
    political: rules.Breakdown
    state_management: rules.Breakdown
    trainings: list[tuple[str, int]]
    trained: int  # people with at least one course

    @property
    def present(self) -> int:
        return len(self.members)

    def sentences(self) -> list[str]:
        """The figures as a report writes them (seed 000): 'Năm 2022 hoàn thành xuất sắc
        nhiệm vụ là 4 người, chiếm tỷ lệ 23,5%, …'."""
        year = self.staffing.year
        out = []
        rated = [r for r in self.ratings.rows if r.count]
        if rated:
            parts = [
                f"{r.label[:1].lower()}{r.label[1:]} là {r.count} người, chiếm tỷ lệ "
                f"{vn_number(r.share, rules.SHARE_PLACES)}%"
                for r in rated
            ]
            out.append(
                f"Năm {year}, {self.ratings.whole} cán bộ, công chức được đánh giá, phân loại: "
                + "; ".join(parts)
                + "."
            )
        qualified = [r for r in self.qualifications.rows if r.count]
        if qualified:
            parts = [
                f"{r.label} {r.count} người, chiếm {vn_number(r.share, rules.SHARE_PLACES)}%"
                for r in qualified
            ]
            out.append("Trình độ chuyên môn: " + "; ".join(parts) + ".")
        if self.trained:
            out.append(f"{self.trained} người được đào tạo, bồi dưỡng trong năm.")
        return out


def staffing_summary(staffing: StaffingYear) -> StaffingSummary:
    members = list(staffing.members.all())
    return StaffingSummary(
        staffing=staffing,
        members=members,
        ratings=rules.rating_breakdown(m.rating for m in members),
        qualifications=rules.breakdown(
            (m.qualification for m in members), rules.QUALIFICATIONS, rules.QUALIFICATION_LABELS
        ),
        political=rules.breakdown(
            (m.political_theory for m in members), rules.POLITICAL, rules.POLITICAL_LABELS
        ),
        state_management=rules.breakdown(
            (m.state_management for m in members),
            rules.STATE_MANAGEMENT,
            rules.STATE_MANAGEMENT_LABELS,
        ),
        trainings=rules.training_counts(m.course_list for m in members),
        trained=sum(1 for m in members if m.course_list),
    )


# --- the metric an evaluation asks for ----------------------------------------------------

METRIC = "plan_completion_rate"


def plan_completion(plan: Plan, as_of: dt.date) -> rules.Completion:
    """A plan's completion over its leaves as of a date (work done after it counts as not
    done): what the plan page, the reports and the evaluation metric all print."""
    items = [rule_item(i) for i in PlanItem.objects.filter(plan=plan).select_related("component")]
    return rules.completion(items, as_of + dt.timedelta(days=1), as_of=as_of)


def plan_completion_rate(unit: Unit, start: dt.date, end: dt.date) -> Decimal | None:
    """The completion rate (%) of the unit's issued plan of the period's year, as of the
    period's end or today if earlier: the plan page's and the reports' figure (issue 14:
    self-assessment 1.2 read "chưa có số liệu" while the plan page showed 24/36 = 66,67%
    for the same plan). None when the unit has no issued plan that year (no data, never 0).
    """
    plan = (
        Plan.objects.filter(unit=unit, year=end.year, state=PlanState.ISSUED)
        .order_by("-pk")
        .first()
    )
    if plan is None:
        return None
    return plan_completion(plan, min(end, today())).rate


def measure_metrics(unit, start: dt.date, end: dt.date, names: set[str]) -> dict:
    return {METRIC: plan_completion_rate(unit, start, end)} if METRIC in names else {}


# --- the home page's inbox ----------------------------------------------------------------


def inbox(user: Person) -> list:
    from django.urls import reverse
    from django.utils.text import Truncator

    from cchc.core.navigation import InboxItem

    unit = home_unit(user)
    if unit is None:
        return []
    on = today()
    out: list[InboxItem] = []
    profile = getattr(user, "profile", None)
    mine = open_leaves(user, on).filter(lead_officer=profile)[:5] if profile else []
    for item in mine:
        out.append(
            InboxItem(
                title=f"{item.code}. {item.title}",
                url=reverse("plans:item-detail", args=[item.pk]),
                detail=f"Kế hoạch CCHC năm {item.plan.year} — bạn phụ trách",
                due=item.due_on,
                overdue=item.due_on < on,
            )
        )
    if can(user, "edit", unit):
        entries = due_entries(user, on, unit=unit)
        late = sum(e.late for e in entries)
        soon = len(entries) - late
        if entries:
            parts = []
            if late:
                parts.append(f"{late} việc quá hạn")
            if soon:
                parts.append(f"{soon} việc đến hạn trong {rules.DUE_SOON_DAYS} ngày")
            out.append(
                InboxItem(
                    title=f"Kế hoạch CCHC của {unit.name}: " + ", ".join(parts),
                    url=reverse("plans:due") + f"?unit={unit.pk}",
                    detail="Danh sách theo người phụ trách và theo bộ phận",
                    overdue=bool(late),
                )
            )
        for rec in open_recommendations_for_unit(unit, on)[:5]:
            out.append(
                InboxItem(
                    title="Báo cáo khắc phục: " + Truncator(rec.text).chars(90),
                    url=reverse("plans:recommendation-detail", args=[rec.pk]),
                    detail=str(rec.inspection),
                    due=rec.due_on,
                    overdue=bool(rec.due_on and rec.due_on < on),
                )
            )
        for call in open_calls_for(unit, on)[:3]:
            out.append(
                InboxItem(
                    title=f"Đăng ký công việc đột phá: {call.title}",
                    url=reverse("plans:call-detail", args=[call.pk]),
                    detail=str(call.unit),
                    due=call.deadline,
                    overdue=call.deadline < on,
                )
            )
    if can(user, "administer", unit):
        overdue = overdue_recommendations(user, on).count()
        if overdue:
            out.append(
                InboxItem(
                    title=f"{overdue} kiến nghị sau kiểm tra quá hạn chưa có báo cáo khắc phục",
                    url=reverse("plans:remediation"),
                    overdue=True,
                )
            )
    return out


# --- history as people read it ------------------------------------------------------------


@dataclass
class HistoryRow:
    when: dt.datetime
    who: str
    what: str  # the reason given, or created/changed/deleted
    changes: list[tuple[str, str, str]]  # (field label, old, new)
    subject: str = ""  # which record, when a list mixes several


_HIDDEN_FIELDS = {"sort_key", "id", "plan", "parent", "lead_unit", "lead_officer", "staffing"}


def _shown(record, name: str) -> str:
    value = getattr(record, name, None)
    if value is None or value == "":
        return "–"
    if isinstance(value, dt.date):
        from cchc.core.formatting import vn_date

        return vn_date(value)
    display = getattr(record, f"get_{name}_display", None)
    if callable(display):
        return str(display())
    return str(value)[:120]


def object_history(obj, limit: int) -> list[HistoryRow]:
    """The latest `limit` changes of one record (its django-simple-history), newest first."""
    return history_rows(obj.history.select_related("history_user").order_by("-history_date"), limit)


def history_rows(records, limit: int = 30, subject=None) -> list[HistoryRow]:
    """Who changed what, when and why, with old → new values (django-simple-history)."""
    rows = []
    records = list(records[:limit])
    for record in records:
        changes = []
        previous = record.prev_record
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            for change in delta.changes:
                if change.field in _HIDDEN_FIELDS or change.field.endswith("_id"):
                    continue
                field = record.instance_type._meta.get_field(change.field)
                changes.append(
                    (
                        str(field.verbose_name),
                        _shown(previous, change.field),
                        _shown(record, change.field),
                    )
                )
        user = record.history_user
        who = "hệ thống"
        if user is not None:
            profile = getattr(user, "profile", None)
            who = profile.full_name if profile else user.get_username()
        what = record.history_change_reason or {
            "+": "Tạo mới",
            "~": "Sửa",
            "-": "Xóa",
        }.get(record.history_type, "")
        rows.append(
            HistoryRow(record.history_date, who, what, changes, subject(record) if subject else "")
        )
    return rows
