"""What the dossier pages share: the desk's permission-scoped fetch, deadline states,
the units a person may pick, the move table the buttons are drawn from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from cchc.core.collation import tree_order
from cchc.core.formatting import vn_date
from cchc.core.people import Person
from cchc.dossiers import selectors, services
from cchc.dossiers.clock import LATE, NO_DUE_DATE, ON_TIME, OVERDUE, standing
from cchc.dossiers.models import FINISHED_STATUSES, Dossier, Status
from cchc.dossiers.periods import vn_today
from cchc.units import permissions as _permissions
from cchc.units.models import Unit, UnitKind
from cchc.units.permissions import can, get_unit_for, visible_units

ONLY_ADMINISTRATORS = _permissions.ONLY_ADMINISTRATORS
DUE_SOON_DAYS = 3  # "sắp đến hạn": due within three calendar days

# Kinds of unit that run a one-stop desk or group those that do.
DESK_KINDS = (
    UnitKind.PROVINCE,
    UnitKind.DISTRICT,
    UnitKind.COMMUNE,
    UnitKind.WARD,
    UnitKind.SPECIAL_ZONE,
    UnitKind.TOWN,
    UnitKind.DEPARTMENT,
)


def list_filters(
    rows: QuerySet, form: forms.Form, *, text: tuple[str, str], exact: tuple[str, ...]
) -> tuple[QuerySet, dict]:
    """The filters the catalogue and the desk lists share: `q` found inside either text
    field, and each exact field that is chosen. Returns the rows and the form's data ({}
    when the form is not valid, so nothing is filtered) for the list's own filters."""
    if not form.is_valid():
        return rows, {}
    data = form.cleaned_data
    if q := data["q"]:
        rows = rows.filter(Q(**{f"{text[0]}__icontains": q}) | Q(**{f"{text[1]}__icontains": q}))
    for name in exact:
        if data[name]:
            rows = rows.filter(**{name: data[name]})
    return rows, data


def desk_unit(request: HttpRequest, pk: int, action: str = "view") -> Unit:
    """The unit of a desk page, fetched with permission first (STYLE.md §5).

    Reading: whoever may view the unit. Acting (action="edit"): its officers and heads
    (and the administrators above it), per cchc.units.permissions.can.
    """
    return get_unit_for(request.user, pk, action)  # type: ignore[arg-type]


def unit_dossier(unit: Unit, pk: int) -> Dossier:
    """A dossier of that unit (the unit was fetched with permission first)."""
    try:
        return Dossier.objects.select_related("procedure", "unit").get(unit=unit, pk=pk)
    except Dossier.DoesNotExist:
        raise Http404("Không tìm thấy hồ sơ.") from None


def can_act(user: Person, unit: Unit) -> bool:
    return can(user, "edit", unit)


def unit_choices(user: Person) -> list[tuple[Unit, str]]:
    """The units a person may report on, as a tree (indented by depth)."""
    units = tree_order(visible_units(user).filter(kind__in=DESK_KINDS))
    if not units:
        return []
    base = min(u.path.count("/") for u in units)
    out = []
    for unit in units:
        depth = unit.path.count("/") - base
        label = "\u00a0\u00a0" * depth + unit.name
        if unit.valid_to:
            label += f" (đến {vn_date(unit.valid_to)})"
        out.append((unit, label))
    return out


# -- deadline state of one dossier, as the desk shows it -----------------------------------


@dataclass(frozen=True)
class DeadlineState:
    code: str
    label: str
    badge: str  # CSS modifier: ok, warn, bad, or ""


def deadline_state(dossier: Dossier, today: dt.date | None = None) -> DeadlineState:
    """Where the dossier stands against its due date (docs/dossier-stats.md, the clock).

    due_on is already the effective due date of closed supplements; an open supplement
    stops the clock; a second supplement request makes it late; no due date is never late.
    """
    today = today or vn_today()
    if dossier.clock_stopped_on is not None and dossier.finished_on is None:
        # The clock stands still since the request, but a dossier already late when the
        # agency asked stays late (the statistics count it overdue too).
        state = selectors.judge_open(dossier, today)
        if state == OVERDUE and not dossier.late_by_rule:
            return DeadlineState("overdue", "Quá hạn (đang chờ bổ sung)", "bad")
    else:
        state = standing(
            due=dossier.due_on,
            finished=dossier.finished_on,
            as_of=max(today, dossier.finished_on or today),
            late_by_rule=dossier.late_by_rule,
        )
    if dossier.finished_on is not None:
        if state == NO_DUE_DATE:
            return DeadlineState("on_time", "Đúng hạn (không có hạn)", "ok")
        return {
            LATE: DeadlineState("late", "Trả quá hạn", "bad"),
            ON_TIME: DeadlineState("on_time", "Trả đúng hạn", "ok"),
        }.get(state, DeadlineState("early", "Trả trước hạn", "ok"))
    if state == NO_DUE_DATE:
        return DeadlineState("no_due", "Không có hạn", "")
    if state == OVERDUE and dossier.late_by_rule:
        return DeadlineState("overdue", "Quá hạn (bổ sung lần 2)", "bad")
    if dossier.clock_stopped_on is not None:
        return DeadlineState("stopped", "Dừng tính hạn, chờ bổ sung", "warn")
    if state == OVERDUE:
        return DeadlineState("overdue", "Quá hạn", "bad")
    assert dossier.due_on is not None
    if (dossier.due_on - today).days <= DUE_SOON_DAYS:
        return DeadlineState("soon", "Sắp đến hạn", "warn")
    return DeadlineState("in_time", "Trong hạn", "")


# -- the desk's moves ------------------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    action: str
    label: str
    to_status: str
    style: str = ""  # btn modifier
    needs_reason: bool = False


MOVES: tuple[Move, ...] = (
    Move("processing", "Chuyển xử lý", Status.PROCESSING),
    Move("supplement", "Yêu cầu bổ sung", Status.SUPPLEMENT_REQUESTED, "ghost", True),
    Move("supplied", "Đã nhận bổ sung", Status.PROCESSING),
    Move("resolve", "Trả kết quả", Status.RESOLVED),
    Move("return", "Trả lại hồ sơ", Status.RETURNED, "danger", True),
    Move("withdraw", "Rút hồ sơ", Status.WITHDRAWN, "danger", True),
)
MOVES_BY_ACTION = {m.action: m for m in MOVES}

WHY_WAITING = "Hồ sơ đang chờ bổ sung: bấm «Đã nhận bổ sung» khi người nộp bổ sung xong."
WHY_ALREADY_PROCESSING = "Hồ sơ đã ở trạng thái đang xử lý."
WHY_NOT_RECEIVED = "Chỉ chuyển xử lý hồ sơ mới tiếp nhận."
WHY_SECOND_SUPPLEMENT = (
    "Đã yêu cầu bổ sung {n} lần: yêu cầu thêm sẽ làm hồ sơ bị tính quá hạn "
    "(QĐ 766/QĐ-TTg, chỉ tiêu 2.1)."
)


def move_refusal(dossier: Dossier, move: Move) -> str:
    """Why this move is not possible now ("" when it is): the buttons say it before a click."""
    status = dossier.status
    if status in FINISHED_STATUSES:
        return services.ERR_FINISHED
    if move.action == "processing":
        if status == Status.SUPPLEMENT_REQUESTED:
            return WHY_WAITING
        if status == Status.PROCESSING:
            return WHY_ALREADY_PROCESSING
        return "" if status == Status.RECEIVED else WHY_NOT_RECEIVED
    if move.action == "supplied":
        return "" if status == Status.SUPPLEMENT_REQUESTED else services.ERR_NOT_WAITING
    if move.action == "supplement" and status == Status.SUPPLEMENT_REQUESTED:
        return services.ERR_CANNOT_REQUEST
    if move.action == "resolve" and status == Status.SUPPLEMENT_REQUESTED:
        return "Hồ sơ đang chờ bổ sung: nhận bổ sung trước khi trả kết quả."
    if move.to_status not in services.ALLOWED.get(status, frozenset()):
        return services.ERR_FORBIDDEN_MOVE.format(
            from_label=Status(status).label, to_label=Status(move.to_status).label
        )
    return ""


def apply_move(
    dossier: Dossier,
    move: Move,
    *,
    at: dt.datetime,
    by: Person,
    reason: str = "",
    result_digitized: bool | None = None,
) -> Dossier:
    """Make the move (the desk's button or the API's action): "resolve" ends the dossier
    with whether its result was digitised, every other move is a transition."""
    if move.action == "resolve":
        return services.dossier_finish(
            dossier=dossier,
            at=at,
            by=by,
            status=Status.RESOLVED,
            reason=reason,
            result_digitized=result_digitized,
        )
    return services.dossier_transition(
        dossier=dossier, to_status=move.to_status, at=at, by=by, reason=reason
    )


def moves_for(dossier: Dossier) -> list[dict]:
    out = []
    for move in MOVES:
        refusal = move_refusal(dossier, move)
        warning = ""
        if move.action == "supplement" and not refusal and dossier.supplement_count >= 1:
            warning = WHY_SECOND_SUPPLEMENT.format(n=dossier.supplement_count)
        out.append({"move": move, "refusal": refusal, "warning": warning})
    return out
