"""Deadlines of a citizen feedback (phản ánh, kiến nghị, PAKN), as data with their source.

Each step of handling a feedback has a limit in working days. The limits are the ones the
national portal checks for QĐ 766 indicator 5.2 (domain notes §4.2, frameworks-found.yaml
`qd766_ttg_2022` 5.2): answer within 15 working days of receipt (or transfer), refuse
within 2, ask the sender to supplement within 5, publish the answer within 2 working days
of answering. They come from a public implementation of the portal's formulas, not from the
decision itself, so each carries its source and confidence tag like the index definition
(V = read in the cited source, S = secondary source, U = a choice made here).

Which limits the index scores: only the answer and the publication limits (counts.py,
`feedback_on_time`). The refusal and supplement-request limits are tracked in the
register (due and late lists) but not scored.

Plain module: no Django import.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from cchc.dossiers.workdays import WorkCalendar
from cchc.service_index.counts import FEEDBACK_ANSWER_WORKING_DAYS, FEEDBACK_PUBLISH_WORKING_DAYS

Step = Literal["answer", "refuse", "supplement", "publish"]
Confidence = Literal["V", "S", "U"]

SOURCE_766 = (
    "QĐ 766/QĐ-TTg, chỉ số 5.2, theo formula-document.js (bản chép 'Mô tả công thức tính "
    "chỉ số 766.docx' của một triển khai công khai)"
)


@dataclass(frozen=True)
class Deadline:
    step: Step
    label: str  # Vietnamese, shown in the register
    working_days: int
    counted_from: Literal["received", "answered"]
    source: str
    confidence: Confidence
    scored: bool  # does indicator 5.2 check it?


DEADLINES: dict[Step, Deadline] = {
    "answer": Deadline(
        "answer",
        "Hạn trả lời (xử lý)",
        FEEDBACK_ANSWER_WORKING_DAYS,
        "received",
        SOURCE_766,
        "S",
        True,
    ),
    "refuse": Deadline("refuse", "Hạn từ chối tiếp nhận", 2, "received", SOURCE_766, "S", False),
    "supplement": Deadline(
        "supplement", "Hạn yêu cầu bổ sung thông tin", 5, "received", SOURCE_766, "S", False
    ),
    "publish": Deadline(
        "publish",
        "Hạn công khai kết quả trả lời",
        FEEDBACK_PUBLISH_WORKING_DAYS,
        "answered",
        SOURCE_766,
        "S",
        True,
    ),
}

# Days ahead that make an open step "sắp đến hạn" in the due list and the inbox.
DUE_SOON_WORKING_DAYS = 3


@dataclass(frozen=True)
class Deadlines:
    answer: dt.date
    refuse: dt.date
    supplement: dt.date


def deadlines_from_receipt(received: dt.date, calendar: WorkCalendar) -> Deadlines:
    """The receipt-based limits: 2/1/2024 (Tue) -> answer 23/1, refuse 4/1, supplement 9/1."""

    def due(step: Step) -> dt.date:
        return calendar.add_working_days(received, DEADLINES[step].working_days)

    return Deadlines(answer=due("answer"), refuse=due("refuse"), supplement=due("supplement"))


def publish_deadline(answered: dt.date, calendar: WorkCalendar) -> dt.date:
    return calendar.add_working_days(answered, DEADLINES["publish"].working_days)


StepState = Literal["done_on_time", "done_late", "open", "due_soon", "overdue"]

STATE_LABELS: dict[str, str] = {
    "done_on_time": "Đúng hạn",
    "done_late": "Quá hạn",
    "open": "Trong hạn",
    "due_soon": "Sắp đến hạn",
    "overdue": "Quá hạn",
}


def step_state(
    due: dt.date | None,
    done: dt.date | None,
    as_of: dt.date,
    calendar: WorkCalendar,
    *,
    soon: int = DUE_SOON_WORKING_DAYS,
) -> StepState | None:
    """Where one step stands at as_of; None when the step has no deadline yet."""
    if due is None:
        return None
    if done is not None and done <= as_of:
        return "done_on_time" if done <= due else "done_late"
    if due < as_of:
        return "overdue"
    if calendar.working_days_between(as_of, due) <= soon:
        return "due_soon"
    return "open"


def years_for(days: Iterable[dt.date | None]) -> set[int]:
    """The calendar years a WorkCalendar needs to judge these days (and the year before)."""
    years = {d.year for d in days if d is not None}
    return years | {y - 1 for y in years}
