"""The QĐ 766 index's database rows as the plain records of counts.py: a unit's catalogue of
procedures (with each earlier announcement from the history), its feedback and its dossiers.

`unit_data()` loads one unit this way, for the plain `compute_counts`; the SQL path of
engine.py gives the same counts for many units at once (tests check both agree).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q, QuerySet

from cchc.dossiers.clock import Supplement
from cchc.dossiers.models import Channel, Dossier, Procedure, ProcedureLevel
from cchc.dossiers.periods import Period
from cchc.service_index.counts import DossierRecord, FeedbackRecord, ProcedureRecord, UnitData
from cchc.service_index.models import Feedback, FeedbackStatus, Satisfaction
from cchc.units.models import Unit, UnitKind

# Which catalogue level a unit's procedures come from (Procedure.level); "multi" and a
# blank level apply at every level.
_LEVELS_BY_KIND: dict[str, tuple[str, ...]] = {
    UnitKind.COMMUNE: (ProcedureLevel.COMMUNE,),
    UnitKind.WARD: (ProcedureLevel.COMMUNE,),
    UnitKind.SPECIAL_ZONE: (ProcedureLevel.COMMUNE,),
    UnitKind.TOWN: (ProcedureLevel.COMMUNE,),
    UnitKind.DISTRICT: (ProcedureLevel.DISTRICT,),
    UnitKind.PROVINCE: (ProcedureLevel.PROVINCE,),
    UnitKind.DEPARTMENT: (ProcedureLevel.PROVINCE,),
}


# -- the catalogue ----------------------------------------------------------------------------


def catalogue_levels(unit: Unit) -> tuple[str, ...]:
    return (*_LEVELS_BY_KIND.get(unit.kind, ()), ProcedureLevel.MULTI, "")


def catalogue(unit: Unit) -> QuerySet[Procedure]:
    """The active procedures under the unit's authority (its level of the catalogue)."""
    return Procedure.objects.filter(active=True, level__in=catalogue_levels(unit))


def procedure_records(procedures: Iterable[Procedure]) -> list[ProcedureRecord]:
    """One record per announcement: the current row, plus each earlier announcement found
    in the procedure's history (a procedure announced twice in a period is judged on both,
    QĐ 766 indicators 1.1 and 1.2)."""
    procs = list(procedures)
    by_id = {p.pk: p for p in procs}
    records: list[ProcedureRecord] = [_procedure_record(p) for p in procs]
    history = (
        Procedure.history.filter(id__in=by_id, announced_on__isnull=False)
        .order_by("id", "announced_on", "history_date")
        .values(
            "id",
            "announced_on",
            "legal_basis_effective_on",
            "published_on",
            "all_parts_published",
            "announcement_no",
        )
    )
    last_of: dict[tuple[int, dt.date], dict] = {}
    for row in history:
        last_of[(row["id"], row["announced_on"])] = row  # the latest state of each announcement
    for (pk, announced), row in last_of.items():
        current = by_id[pk]
        if announced == current.announced_on:
            continue
        records.append(
            ProcedureRecord(
                code=current.code,
                announced=announced,
                legal_basis_effective=row["legal_basis_effective_on"],
                published=row["published_on"],
                all_parts_published=row["all_parts_published"],
                online_class=current.online_class,
                fee=current.fee > 0,
                payment_integrated=current.payment_integrated,
                certification=current.certification,
                announcement_no=row["announcement_no"],
            )
        )
    return records


def _procedure_record(p: Procedure) -> ProcedureRecord:
    return ProcedureRecord(
        code=p.code,
        announced=p.announced_on,
        legal_basis_effective=p.legal_basis_effective_on,
        published=p.published_on,
        all_parts_published=p.all_parts_published,
        online_class=p.online_class,
        fee=p.fee > 0,
        payment_integrated=p.payment_integrated,
        certification=p.certification,
        announcement_no=p.announcement_no,
    )


# -- feedback as records ----------------------------------------------------------------------


def feedback_record(f: Feedback) -> FeedbackRecord:
    return FeedbackRecord(
        code=f.code,
        unit=str(f.unit_id),
        received=f.received_on,
        due=f.answer_due_on,
        answered=f.answered_on,
        published=f.published_on,
        satisfied=None if f.satisfaction is None else f.satisfaction == Satisfaction.SATISFIED,
        repeat_complaint=f.repeat_complaint,
    )


def feedback_in_index(unit_ids: Iterable[int], period: Period) -> QuerySet[Feedback]:
    """Feedback received or processed in the period, under the units' remit.

    A refused feedback is not "thuộc thẩm quyền tiếp nhận, xử lý" and leaves 5.2 and 5.3
    [U: docs/service-index.md].
    """
    return (
        Feedback.objects.filter(unit_id__in=list(unit_ids), received_on__lte=period.end)
        .filter(Q(answered_on__isnull=True) | Q(answered_on__gte=period.start))
        .exclude(status=FeedbackStatus.REFUSED)
        .only(
            "id",
            "unit_id",
            "code",
            "received_on",
            "answer_due_on",
            "answered_on",
            "published_on",
            "satisfaction",
            "repeat_complaint",
        )
    )


# -- dossiers as records (the plain path) -----------------------------------------------------

_CHANNELS = {Channel.TRUC_TIEP: "direct", Channel.TRUC_TUYEN: "online", Channel.BUU_CHINH: "postal"}


def dossier_record(d: Dossier) -> DossierRecord:
    """A dossier as the plain rules read it, from what the engine keeps.

    `due_on` is already the effective due date (closed supplements applied), so the only
    supplement left to apply is an open one (clock_stopped_on). A second request
    (`late_by_rule`) is late whatever the dates: two requests are passed on so the clock
    rule reads it the same way (the first one is already inside due_on, so it stops
    nothing more).
    """
    supplements: list[Supplement] = []
    if d.late_by_rule:
        supplements.append(Supplement(d.received_on, d.received_on))
    if d.clock_stopped_on is not None:
        supplements.append(Supplement(d.clock_stopped_on, None))
    elif d.late_by_rule:
        supplements.append(Supplement(d.received_on, d.received_on))
    procedure = d.procedure
    return DossierRecord(
        code=d.code,
        unit=str(d.unit_id),
        procedure_code=procedure.code,
        channel=_CHANNELS[d.channel],  # type: ignore[arg-type]
        received=d.received_on,
        due=d.due_on,
        finished=d.finished_on,
        supplements=tuple(supplements),
        intake_digitized=d.intake_digitized,  # type: ignore[arg-type]
        result_digitized=d.result_digitized,
        result_electronic=d.result_electronic,
        paper_result_required=procedure.paper_result_required,
        fee_required=(d.fee or 0) > 0,
        paid_online=d.paid_online,
        reused_data=d.reused_data,
        data_store_linked=d.data_store_linked,
        e_certified_copy=d.e_certified_copy,
        rating=d.rating,  # type: ignore[arg-type]
        complaint=d.complaint,
        synced=d.synced,
    )


def unit_data(unit: Unit, period: Period) -> UnitData:
    """Everything the plain compute needs for one unit and period, as records."""
    dossiers = (
        Dossier.objects.filter(unit=unit, received_on__lte=period.end)
        .filter(Q(finished_on__isnull=True) | Q(finished_on__gte=period.start))
        .select_related("procedure")
    )
    feedback = feedback_in_index([unit.pk], period)
    return UnitData(
        unit=str(unit.pk),
        dossiers=tuple(dossier_record(d) for d in dossiers),
        feedback=tuple(feedback_record(f) for f in feedback),
        procedures=tuple(procedure_records(catalogue(unit))),
    )
