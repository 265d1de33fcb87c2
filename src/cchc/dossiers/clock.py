"""The deadline clock of a dossier: supplements stop it, a second supplement makes it late.

Rules (DESIGN.md, "The deadline clock"; issue 3):
- a supplement request (yêu cầu bổ sung, hoàn thiện hồ sơ) stops the clock until the
  applicant supplies: the due date moves by the working days it was stopped;
- a second supplement request makes the dossier late whatever the dates: the national
  portal's rule for indicator 2.1 of QĐ 766/QĐ-TTg (the dossier is "quá hạn" once the
  agency asks twice, since the law allows only one request to supplement);
- an apology letter (văn bản xin lỗi, hẹn lại ngày trả) promises a new date but changes
  nothing here: the dossier still counts late against its due date, so no apology
  appears in this API;
- a dossier without a due date is never counted late.

Plain module: no Django import.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from cchc.core.formatting import vn_date
from cchc.dossiers.workdays import WorkCalendar

Timeliness = Literal["early", "on_time", "late", "in_time", "overdue", "no_due_date"]

EARLY: Timeliness = "early"
ON_TIME: Timeliness = "on_time"
LATE: Timeliness = "late"
IN_TIME: Timeliness = "in_time"
OVERDUE: Timeliness = "overdue"
NO_DUE_DATE: Timeliness = "no_due_date"

# Vietnamese labels of form 06/VPCP/KSTT (Thông tư 01/2020/TT-VPCP).
LABELS: dict[str, str] = {
    EARLY: "Trước hạn",
    ON_TIME: "Đúng hạn",
    LATE: "Quá hạn",
    IN_TIME: "Trong hạn",
    OVERDUE: "Quá hạn",
    NO_DUE_DATE: "Không có hạn giải quyết",
}

ERR_SUPPLIED_BEFORE_REQUESTED = "Ngày bổ sung {supplied} trước ngày yêu cầu bổ sung {requested}"
ERR_OPEN_NEEDS_AS_OF = (
    "Hồ sơ đang chờ bổ sung: cần ngày tính (as_of) để biết đồng hồ đã dừng bao lâu"
)

# A second request to supplement makes the dossier late (QĐ 766, indicator 2.1).
MAX_SUPPLEMENTS_IN_TIME = 1

# The one switch where the two rule books could differ. QĐ 766/QĐ-TTg (the national
# portal's indicator 2.1) counts a dossier late once the agency asks a second time to
# supplement; Thông tư 01/2020/TT-VPCP's form 06 only compares dates. The law allows a
# single request (NĐ 61/2018 art. 15, kept by NĐ 118/2025), so CCHC applies the portal's
# rule to both, and the TT01 statistics and the QĐ 766 counts of one dossier agree. A
# province that wants the bare form-06 reading turns it off here, in one place.
SECOND_REQUEST_LATE = True


@dataclass(frozen=True)
class Supplement:
    requested: dt.date
    supplied: dt.date | None  # None: still waiting for the applicant

    def __post_init__(self) -> None:
        if self.supplied is not None and self.supplied < self.requested:
            raise ValueError(
                ERR_SUPPLIED_BEFORE_REQUESTED.format(
                    supplied=vn_date(self.supplied), requested=vn_date(self.requested)
                )
            )


def stopped_working_days(
    supplements: Sequence[Supplement], calendar: WorkCalendar, *, as_of: dt.date | None = None
) -> int:
    """Working days the clock stood still: working days d with requested < d <= supplied.

    Supplements requested after as_of have not happened yet; an open one (or one supplied
    after as_of) counts up to as_of. Overlapping stops are counted once.
    """
    intervals: list[tuple[dt.date, dt.date]] = []
    for s in supplements:
        if as_of is not None and s.requested > as_of:
            continue
        end = s.supplied
        if end is None:
            if as_of is None:
                raise ValueError(ERR_OPEN_NEEDS_AS_OF)
            end = as_of
        elif as_of is not None and end > as_of:
            end = as_of
        if end > s.requested:
            intervals.append((s.requested, end))
    intervals.sort()
    total = 0
    cur_start: dt.date | None = None
    cur_end: dt.date | None = None
    for start, end in intervals:
        if cur_end is not None and start <= cur_end:
            cur_end = max(cur_end, end)
            continue
        if cur_start is not None and cur_end is not None:
            total += calendar.working_days_between(cur_start, cur_end)
        cur_start, cur_end = start, end
    if cur_start is not None and cur_end is not None:
        total += calendar.working_days_between(cur_start, cur_end)
    return total


def effective_due_date(
    due: dt.date | None,
    supplements: Sequence[Supplement],
    calendar: WorkCalendar,
    *,
    as_of: dt.date | None = None,
) -> dt.date | None:
    """The due date moved by the working days the clock was stopped by each supplement."""
    if due is None:
        return None
    stopped = stopped_working_days(supplements, calendar, as_of=as_of)
    if stopped == 0:
        return due
    return calendar.add_working_days(due, stopped)


def standing(
    *,
    due: dt.date | None,
    finished: dt.date | None,
    as_of: dt.date,
    late_by_rule: bool = False,
    second_request_late: bool = SECOND_REQUEST_LATE,
) -> Timeliness:
    """THE on-time rule: where a dossier stands at as_of against its effective due date.

    `due` is the due date already moved by the clock's stops (effective_due_date);
    `late_by_rule` says the agency asked a second time to supplement. Every other form is
    this one: stats.compute (form 06), summary.outcome and its SQL and polars forms, the
    row SQL of selectors, the QĐ 766 counts (timeliness below and its SQL), the desk's
    deadline_state and its "overdue" filter. Tests hold each of them to this function.

    - no due date: never late (NO_DUE_DATE), not even after a second request;
    - finished on or before as_of: early / on_time / late against the due date, late
      whatever the dates after a second request;
    - otherwise: overdue after a second request, else in_time while due ≥ as_of (the
      dossier can still be finished on its due day), overdue after it.
    """
    if due is None:
        return NO_DUE_DATE
    late = late_by_rule and second_request_late
    if finished is not None and finished <= as_of:
        if late or finished > due:
            return LATE
        return EARLY if finished < due else ON_TIME
    if late or due < as_of:
        return OVERDUE
    return IN_TIME


def form06_slot(state: Timeliness, *, finished: bool) -> Timeliness:
    """The column of form 06/VPCP/KSTT a state falls in: a dossier without a due date is
    counted đúng hạn when finished (it cannot be early without a date to beat) and trong
    hạn while pending (never late)."""
    if state == NO_DUE_DATE:
        return ON_TIME if finished else IN_TIME
    return state


def timeliness(
    *,
    due: dt.date | None,
    finished: dt.date | None,
    supplements: Sequence[Supplement],
    calendar: WorkCalendar,
    as_of: dt.date,
    second_request_late: bool = SECOND_REQUEST_LATE,
) -> Timeliness:
    """Where a dossier stands at as_of.

    Finished on or before as_of: early / on_time / late against the effective due date.
    Otherwise (unfinished, or finished only after as_of): in_time while the effective due
    date is on or after as_of, else overdue. Dates are calendar dates.
    """
    # "No due date" never reads as late, not even after a second supplement request.
    if due is None:
        return NO_DUE_DATE
    is_finished = finished is not None and finished <= as_of
    cutoff = finished if is_finished and finished is not None else as_of
    asked = sum(1 for s in supplements if s.requested <= cutoff)
    effective = effective_due_date(due, supplements, calendar, as_of=cutoff)
    return standing(
        due=effective,
        finished=finished,
        as_of=as_of,
        late_by_rule=asked > MAX_SUPPLEMENTS_IN_TIME,
        second_request_late=second_request_late,
    )
