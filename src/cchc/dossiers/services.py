"""Named operations on procedures and dossiers: each one transaction, history kept.

The deadline clock (DESIGN.md; clock.py): a supplement request stops the clock until the
applicant supplies, and the due date then moves by the working days it stood still; a
second supplement request makes the dossier late (late_by_rule); an apology letter
promises a new date but the dossier still counts late against its due date.

Every change keeps the per-month summary (summary.py) current and leaves a DossierEvent.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cchc.core.formatting import vn_date, vn_time_date
from cchc.core.history import mark_change
from cchc.core.people import Person
from cchc.dossiers import summary
from cchc.dossiers.calendar import calendar_for
from cchc.dossiers.models import (
    FINISHED_STATUSES,
    CalendarSwap,
    Dossier,
    DossierEvent,
    EventKind,
    Procedure,
    Status,
    local_date,
)

ERR_CODE_TAKEN = "Mã hồ sơ '{code}' đã có ở đơn vị này"
ERR_FORBIDDEN_MOVE = "Không thể chuyển hồ sơ từ '{from_label}' sang '{to_label}'"
ERR_FINISHED = "Hồ sơ đã kết thúc, không thể thay đổi"
ERR_NOT_WAITING = "Hồ sơ không ở trạng thái chờ bổ sung"
ERR_CANNOT_REQUEST = "Chỉ yêu cầu bổ sung hồ sơ mới tiếp nhận hoặc đang xử lý"
ERR_BEFORE_RECEIVED = "Thời điểm {at} trước khi tiếp nhận hồ sơ"
ERR_BEFORE_REQUEST = "Ngày nhận bổ sung {at} trước ngày yêu cầu bổ sung {requested}"
ERR_FUTURE = "Thời điểm {at} ở tương lai"
ERR_NAIVE = "Thời điểm phải có múi giờ"
ERR_REASON_REQUIRED = "Cần ghi lý do"
ERR_APOLOGY_DATE = "Ngày hẹn mới {new_due_on} phải sau hạn giải quyết {due_on}"
ERR_APOLOGY_PAST = "Ngày hẹn mới {new_due_on} đã qua"
ERR_APOLOGY_NO_DUE = "Hồ sơ không có hạn giải quyết, không cần thư xin lỗi"
ERR_DUE_BEFORE_RECEIVED = "Hạn giải quyết trước ngày tiếp nhận"
ERR_NOT_FINISHING = "Trạng thái '{status}' không phải trạng thái kết thúc"
ERR_UNKNOWN_FIELD = "Không sửa được trường '{field}' theo cách này"
ERR_SWAP_TAKEN = "Ngày {date} đã có trong bảng hoán đổi"

# The desk's state machine. A supplement request and its answer have their own services
# (they move the clock); a final state is final: nothing leaves resolved, returned or
# withdrawn (a new request is a new dossier).
ALLOWED: dict[str, frozenset[str]] = {
    Status.RECEIVED: frozenset(
        {
            Status.PROCESSING,
            Status.SUPPLEMENT_REQUESTED,
            Status.RESOLVED,
            Status.RETURNED,
            Status.WITHDRAWN,
        }
    ),
    Status.PROCESSING: frozenset(
        {Status.SUPPLEMENT_REQUESTED, Status.RESOLVED, Status.RETURNED, Status.WITHDRAWN}
    ),
    # Waiting for the applicant: the answer restarts the processing; the applicant may
    # withdraw, or the desk return the dossier when nothing comes.
    Status.SUPPLEMENT_REQUESTED: frozenset({Status.PROCESSING, Status.RETURNED, Status.WITHDRAWN}),
    Status.RESOLVED: frozenset(),
    Status.RETURNED: frozenset(),
    Status.WITHDRAWN: frozenset(),
}

# Flags and details the desk may correct after receipt (dossier_update).
EDITABLE_FIELDS = frozenset(
    {
        "applicant",
        "intake_digitized",
        "result_digitized",
        "result_electronic",
        "paid_online",
        "reused_data",
        "e_certified_copy",
        "data_store_linked",
        "synced",
        "rating",
        "complaint",
    }
)


def facts_of(dossier: Dossier) -> summary.Facts:
    return summary.Facts(
        unit_id=dossier.unit_id,
        channel=dossier.channel,
        received_on=dossier.received_on,
        due_on=dossier.due_on,
        finished_on=dossier.finished_on,
        intake_digitized=dossier.intake_digitized,
        paid_online=dossier.paid_online,
        result_digitized=dossier.result_digitized,
        late_by_rule=dossier.late_by_rule,
        clock_stopped=dossier.clock_stopped_on is not None,
        fee_required=(dossier.fee or 0) > 0,
    )


def _check_time(at: dt.datetime, dossier: Dossier | None = None) -> None:
    if timezone.is_naive(at):
        raise ValidationError(ERR_NAIVE)
    if at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError(ERR_FUTURE.format(at=_show(at)))
    if dossier is not None and at < dossier.received_at:
        raise ValidationError(ERR_BEFORE_RECEIVED.format(at=_show(at)))


def _show(at: dt.datetime) -> str:
    return vn_time_date(at)  # Vietnam time, whatever TIME_ZONE


def _lock(dossier: Dossier) -> Dossier:
    """The dossier re-read under a row lock, so two desks cannot move it at once."""
    return Dossier.objects.select_for_update().get(pk=dossier.pk)


def _save(dossier: Dossier, before: summary.Facts | None, *, by: Person, reason: str) -> None:
    mark_change(dossier, reason, by)
    dossier.sync_dates()
    dossier.full_clean(validate_unique=before is None)
    dossier.save()
    summary.apply_change(before, facts_of(dossier))


def _event(
    dossier: Dossier, kind: str, *, at: dt.datetime, by: Person, **fields: Any
) -> DossierEvent:
    event = DossierEvent(dossier=dossier, kind=kind, at=at, by=by, **fields)
    event.full_clean()
    event.save()
    return event


def _refresh(target: Dossier, source: Dossier) -> None:
    """Copy the saved state into the caller's instance (they hold the unlocked one)."""
    for f in Dossier._meta.concrete_fields:
        setattr(target, f.attname, getattr(source, f.attname))


# -- dossiers ---------------------------------------------------------------------------------


def due_date_for(procedure: Procedure, received_on: dt.date) -> dt.date | None:
    """The N-th working day after the day of receipt (N = the procedure's processing days);
    None when the procedure sets no processing time."""
    if procedure.processing_days is None:
        return None
    return calendar_for(received_on).add_working_days(received_on, procedure.processing_days)


def next_code(unit, received_on: dt.date) -> str:
    """A dossier code the desk gives when the officer leaves it empty: unit-yymmdd-0001
    (the one-stop software's shape: agency, day of receipt, sequence of the day). Call it
    only with the unit locked (lock_unit_codes), inside the transaction that inserts."""
    prefix = f"{unit.code}-{received_on:%y%m%d}-"
    taken = set(
        Dossier.objects.filter(unit=unit, code__startswith=prefix).values_list("code", flat=True)
    )
    number = len(taken) + 1
    while f"{prefix}{number:04d}" in taken:
        number += 1
    return f"{prefix}{number:04d}"


def lock_unit_codes(unit) -> None:
    """Serialise code allocation per unit until the transaction ends (issue 13: 20 desks
    creating at once without a code got 91-104 of 250 "code taken" refusals when the number
    was picked outside the transaction). PostgreSQL: the unit's row FOR NO KEY UPDATE, which
    waits for another allocator but not for imports inserting dossiers of the unit (their
    foreign-key check takes KEY SHARE). SQLite: every transaction already holds the one
    write lock from BEGIN IMMEDIATE, so this is a no-op there."""
    type(unit).objects.select_for_update(no_key=True).filter(pk=unit.pk).values_list("pk").get()


@transaction.atomic
def dossier_create(
    *,
    unit,
    procedure: Procedure,
    code: str = "",
    applicant: str,
    channel: str,
    received_at: dt.datetime,
    due_on: dt.date | None = None,
    by: Person,
    intake_digitized: str = "none",
    paid_online: bool = False,
    reused_data: bool = False,
    e_certified_copy: bool = False,
    data_store_linked: bool = False,
    synced: bool = False,
    reason: str = "",
) -> Dossier:
    """Record a dossier received at the desk (or online); the due date is computed from the
    procedure's processing time unless given; an empty code gets the next one (next_code)."""
    _check_time(received_at)
    code = code.strip()
    if not code:
        lock_unit_codes(unit)
        code = next_code(unit, local_date(received_at))
    if Dossier.objects.filter(unit=unit, code=code).exists():
        raise ValidationError({"code": ERR_CODE_TAKEN.format(code=code)})
    received_on = local_date(received_at)
    if due_on is None:
        due_on = due_date_for(procedure, received_on)
    elif due_on < received_on:
        raise ValidationError({"due_on": ERR_DUE_BEFORE_RECEIVED})
    dossier = Dossier(
        unit=unit,
        procedure=procedure,
        code=code,
        applicant=applicant.strip(),
        channel=channel,
        received_at=received_at,
        due_on=due_on,
        status=Status.RECEIVED,
        intake_digitized=intake_digitized,
        paid_online=paid_online,
        reused_data=reused_data,
        e_certified_copy=e_certified_copy,
        data_store_linked=data_store_linked,
        synced=synced,
        # the catalogue's fee for this procedure (issue 14); none known: no fee
        fee=procedure.fee if procedure.fee and procedure.fee > 0 else None,
    )
    _save(dossier, None, by=by, reason=reason or "Tiếp nhận hồ sơ")
    _event(dossier, EventKind.STATUS, at=received_at, by=by, to_status=Status.RECEIVED,
           reason=reason)  # fmt: skip
    return dossier


@transaction.atomic
def dossier_transition(
    *, dossier: Dossier, to_status: str, at: dt.datetime, by: Person, reason: str = ""
) -> Dossier:
    """Move a dossier along the state machine (ALLOWED). A supplement request, its answer
    and the final states go through their own services, which this one calls."""
    current = dossier.status
    if to_status not in ALLOWED.get(current, frozenset()):
        if current in FINISHED_STATUSES:
            raise ValidationError(ERR_FINISHED)
        raise ValidationError(
            ERR_FORBIDDEN_MOVE.format(
                from_label=Status(current).label,
                to_label=Status(to_status).label if to_status in Status.values else to_status,
            )
        )
    if to_status == Status.SUPPLEMENT_REQUESTED:
        return dossier_request_supplement(dossier=dossier, at=at, by=by, reason=reason)
    if current == Status.SUPPLEMENT_REQUESTED and to_status == Status.PROCESSING:
        return dossier_receive_supplement(dossier=dossier, at=at, by=by, reason=reason)
    if to_status in FINISHED_STATUSES:
        return dossier_finish(dossier=dossier, status=to_status, at=at, by=by, reason=reason)
    _check_time(at, dossier)
    locked = _lock(dossier)
    if locked.status != current:
        raise ValidationError(
            ERR_FORBIDDEN_MOVE.format(
                from_label=Status(locked.status).label, to_label=Status(to_status).label
            )
        )
    before = facts_of(locked)
    locked.status = to_status
    _save(locked, before, by=by, reason=reason or f"Chuyển sang {Status(to_status).label}")
    _event(locked, EventKind.STATUS, at=at, by=by, from_status=current, to_status=to_status,
           reason=reason)  # fmt: skip
    _refresh(dossier, locked)
    return dossier


@transaction.atomic
def dossier_request_supplement(
    *, dossier: Dossier, at: dt.datetime, by: Person, reason: str = ""
) -> Dossier:
    """Ask the applicant to supplement the dossier: the clock stops from that day.

    A second request makes the dossier late whatever its dates (QĐ 766 indicator 2.1, the
    national portal's rule: the law allows one request to supplement).
    """
    _check_time(at, dossier)
    locked = _lock(dossier)
    if locked.status in FINISHED_STATUSES:
        raise ValidationError(ERR_FINISHED)
    if locked.status not in (Status.RECEIVED, Status.PROCESSING):
        raise ValidationError(ERR_CANNOT_REQUEST)
    before = facts_of(locked)
    previous = locked.status
    locked.status = Status.SUPPLEMENT_REQUESTED
    locked.supplement_count += 1
    if locked.supplement_count >= 2:
        locked.late_by_rule = True
    locked.clock_stopped_on = local_date(at)
    _save(locked, before, by=by, reason=reason or "Yêu cầu bổ sung hồ sơ")
    _event(
        locked, EventKind.SUPPLEMENT_REQUESTED, at=at, by=by, from_status=previous,
        to_status=Status.SUPPLEMENT_REQUESTED, reason=reason,
    )  # fmt: skip
    _refresh(dossier, locked)
    return dossier


def _close_supplement(dossier: Dossier, supplied_on: dt.date) -> dt.date | None:
    """End the clock stop: the due date moves by the working days after the request day up
    to and including the day supplied (clock.stopped_working_days)."""
    requested = dossier.clock_stopped_on
    if requested is None:
        return dossier.due_on
    if supplied_on < requested:
        raise ValidationError(
            ERR_BEFORE_REQUEST.format(at=vn_date(supplied_on), requested=vn_date(requested))
        )
    dossier.clock_stopped_on = None
    if dossier.due_on is None:
        return None
    calendar = calendar_for(requested, supplied_on, dossier.due_on)
    stopped = calendar.working_days_between(requested, supplied_on)
    if stopped:
        dossier.due_on = calendar.add_working_days(dossier.due_on, stopped)
    return dossier.due_on


@transaction.atomic
def dossier_receive_supplement(
    *, dossier: Dossier, at: dt.datetime, by: Person, reason: str = ""
) -> Dossier:
    """The applicant supplied: the clock restarts, the due date moves by the days stopped."""
    _check_time(at, dossier)
    locked = _lock(dossier)
    if locked.status != Status.SUPPLEMENT_REQUESTED:
        raise ValidationError(ERR_NOT_WAITING)
    before = facts_of(locked)
    new_due = _close_supplement(locked, local_date(at))
    locked.status = Status.PROCESSING
    _save(locked, before, by=by, reason=reason or "Nhận hồ sơ bổ sung")
    _event(
        locked, EventKind.SUPPLEMENT_RECEIVED, at=at, by=by,
        from_status=Status.SUPPLEMENT_REQUESTED, to_status=Status.PROCESSING,
        new_due_on=new_due, reason=reason,
    )  # fmt: skip
    _refresh(dossier, locked)
    return dossier


@transaction.atomic
def dossier_apologise(
    *,
    dossier: Dossier,
    new_due_on: dt.date,
    reason: str,
    by: Person,
    at: dt.datetime | None = None,
) -> DossierEvent:
    """Record the apology letter (văn bản xin lỗi và hẹn lại ngày trả kết quả).

    The promised date is kept on the event; the due date does not move: the dossier still
    counts late against it (issue 3; NĐ 61/2018 art. 19 as amended by NĐ 107/2021).
    """
    at = at or timezone.now()
    _check_time(at, dossier)
    if not reason.strip():
        raise ValidationError({"reason": ERR_REASON_REQUIRED})
    locked = _lock(dossier)
    if locked.due_on is None:
        raise ValidationError(ERR_APOLOGY_NO_DUE)
    if new_due_on <= locked.due_on:
        raise ValidationError(
            {
                "new_due_on": ERR_APOLOGY_DATE.format(
                    new_due_on=vn_date(new_due_on),
                    due_on=vn_date(locked.due_on),
                )
            }
        )
    if locked.finished_at is None and new_due_on < local_date(at):
        raise ValidationError(
            {"new_due_on": ERR_APOLOGY_PAST.format(new_due_on=vn_date(new_due_on))}
        )
    return _event(locked, EventKind.APOLOGY, at=at, by=by, new_due_on=new_due_on,
                  reason=reason.strip())  # fmt: skip


@transaction.atomic
def dossier_finish(
    *,
    dossier: Dossier,
    at: dt.datetime,
    by: Person,
    status: str = Status.RESOLVED,
    reason: str = "",
    result_digitized: bool | None = None,
    result_electronic: bool | None = None,
) -> Dossier:
    """End the dossier: resolved (result returned), returned (trả lại) or withdrawn.

    An open supplement request ends with it: the clock stood still up to the day finished.
    Returning or withdrawing needs a reason.
    """
    if status not in FINISHED_STATUSES:
        raise ValidationError(ERR_NOT_FINISHING.format(status=status))
    _check_time(at, dossier)
    if status != Status.RESOLVED and not reason.strip():
        raise ValidationError({"reason": ERR_REASON_REQUIRED})
    locked = _lock(dossier)
    if locked.status in FINISHED_STATUSES:
        raise ValidationError(ERR_FINISHED)
    if status not in ALLOWED[locked.status]:
        raise ValidationError(
            ERR_FORBIDDEN_MOVE.format(
                from_label=Status(locked.status).label, to_label=Status(status).label
            )
        )
    before = facts_of(locked)
    previous = locked.status
    _close_supplement(locked, local_date(at))
    locked.status = status
    locked.finished_at = at
    if result_digitized is not None:
        locked.result_digitized = result_digitized
    if result_electronic is not None:
        locked.result_electronic = result_electronic
    _save(locked, before, by=by, reason=reason or Status(status).label)
    _event(locked, EventKind.STATUS, at=at, by=by, from_status=previous, to_status=status,
           reason=reason)  # fmt: skip
    _refresh(dossier, locked)
    return dossier


@transaction.atomic
def dossier_update(*, dossier: Dossier, by: Person, reason: str = "", **changes: Any) -> Dossier:
    """Correct the flags and details of a dossier (EDITABLE_FIELDS), history kept."""
    unknown = sorted(set(changes) - EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(ERR_UNKNOWN_FIELD.format(field=unknown[0]))
    locked = _lock(dossier)
    before = facts_of(locked)
    for name, value in changes.items():
        setattr(locked, name, value)
    _save(locked, before, by=by, reason=reason or "Cập nhật thông tin hồ sơ")
    _refresh(dossier, locked)
    return dossier


@transaction.atomic
def dossier_note(
    *, dossier: Dossier, text: str, by: Person, at: dt.datetime | None = None
) -> DossierEvent:
    if not text.strip():
        raise ValidationError({"reason": ERR_REASON_REQUIRED})
    return _event(dossier, EventKind.NOTE, at=at or timezone.now(), by=by, reason=text.strip())


# -- the calendar -----------------------------------------------------------------------------


@transaction.atomic
def calendar_swap_set(*, date: dt.date, kind: str, note: str, by: Person) -> CalendarSwap:
    """Enter one of the year's declared swaps (extra day off, make-up working day).

    Due dates already computed do not move: they were promised to the applicant.
    """
    swap = CalendarSwap.objects.filter(date=date).first() or CalendarSwap(date=date)
    swap.kind = kind
    swap.note = note.strip()
    mark_change(swap, by=by)
    swap.full_clean()
    swap.save()
    return swap


@transaction.atomic
def calendar_swap_delete(*, swap: CalendarSwap, by: Person) -> None:
    mark_change(swap, by=by)
    swap.delete()


# -- procedures ---------------------------------------------------------------------------


@transaction.atomic
def procedure_save(*, by: Person, code: str, reason: str = "", **values: Any) -> Procedure:
    """Create or update a procedure of the catalogue by its code."""
    procedure = Procedure.objects.filter(code=code).first() or Procedure(code=code)
    for name, value in values.items():
        if name == "fee" and value is not None and not isinstance(value, Decimal):
            value = Decimal(str(value))
        setattr(procedure, name, value)
    mark_change(procedure, reason, by)
    procedure.full_clean()
    procedure.save()
    return procedure
