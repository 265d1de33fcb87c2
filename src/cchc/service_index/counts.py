"""The named counts of the QĐ 766/QĐ-TTg service index, from plain records.

An indicator of frameworks/qd766-2022.yaml is a numerator and a denominator, each the
name of a count here (`dossiers.on_time_766`, `procedures.announced`, ...). The counts are
computed from plain records (dossiers, citizen feedback, the procedure catalogue) of one
unit and one reporting period, so the same definitions serve the pages, the command and
the tests; a database layer may instead compute the same names with SQL aggregates and
hand them to `compute.score_counts`.

Which records a count takes (the national portal's rules, notes.md §4):
- "received" = received in the period;
- "received or processed" = received in the period, or received before and not finished
  when the period began (hồ sơ tồn kỳ trước);
- "finished" = finished in the period.

Plain module: no Django import.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from cchc.core.formatting import vn_date
from cchc.dossiers.clock import EARLY, IN_TIME, NO_DUE_DATE, ON_TIME, Supplement, timeliness
from cchc.dossiers.periods import Period
from cchc.dossiers.workdays import WorkCalendar

Channel = Literal["direct", "online", "postal"]
Digitized = Literal["none", "partial", "full"]
Rating = Literal["satisfied", "not_satisfied"]
OnlineClass = Literal["full", "partial", "none"]

CHANNELS: tuple[Channel, ...] = ("direct", "online", "postal")
DIGITIZED: tuple[Digitized, ...] = ("none", "partial", "full")
ONLINE_CLASSES: tuple[OnlineClass, ...] = ("full", "partial", "none")

# QĐ 766 indicator 1.1 (province level): the announcement decision is due 5 working days
# before the legal basis takes effect (ministries: 20, not encoded).
ANNOUNCE_BEFORE_EFFECT_WORKING_DAYS = 5
# QĐ 766 indicator 1.2 (province level): publication in the national database within 5
# working days of the announcement decision (ministries: 10).
PUBLISH_AFTER_ANNOUNCE_WORKING_DAYS = 5
# QĐ 766 indicator 5.2: feedback answered within 15 working days, its answer published
# within 2 working days.
FEEDBACK_ANSWER_WORKING_DAYS = 15
FEEDBACK_PUBLISH_WORKING_DAYS = 2

# Timeliness states that count as "đã và đang xử lý trước hạn, đúng hạn, trong hạn" (2.1);
# a dossier with no due date is never late.
ON_TIME_STATES = frozenset({EARLY, ON_TIME, IN_TIME, NO_DUE_DATE})

ERR_CHANNEL = "Kênh tiếp nhận '{value}' không hợp lệ: direct, online, postal"
ERR_DIGITIZED = "Mức số hóa '{value}' không hợp lệ: none, partial, full"
ERR_RATING = "Đánh giá '{value}' không hợp lệ: satisfied, not_satisfied"
ERR_ONLINE_CLASS = "Mức DVCTT '{value}' không hợp lệ: full, partial, none"
ERR_FINISHED_BEFORE_RECEIVED = "Ngày kết thúc {finished} trước ngày tiếp nhận {received}"
ERR_ANSWERED_BEFORE_RECEIVED = "Ngày trả lời {answered} trước ngày nhận {received}"
ERR_UNKNOWN_COUNT = "Không có số đếm '{name}'"


class RecordError(ValueError):
    """A record that cannot be counted; names the record and the field."""

    def __init__(self, record: str, field: str, message: str) -> None:
        self.record = record
        self.field = field
        super().__init__(f"{record}: {field}: {message}")


@dataclass(frozen=True)
class DossierRecord:
    """One dossier (hồ sơ TTHC) as the index needs it."""

    code: str
    unit: str
    procedure_code: str
    channel: Channel
    received: dt.date
    due: dt.date | None
    finished: dt.date | None = None  # processed, result returned, stopped or refused
    supplements: tuple[Supplement, ...] = ()
    intake_digitized: Digitized = "none"  # components digitised at receipt
    result_digitized: bool = False  # the paper result was scanned into the system
    result_electronic: bool = False  # an electronic result was issued
    paper_result_required: bool = True  # the procedure returns a paper result
    fee_required: bool = False  # a fee > 0 is due on this dossier
    paid_online: bool = False
    reused_data: bool = False  # ≥1 component reused from digitised data
    data_store_linked: bool = False  # ≥1 component from / result to the citizen's data store
    e_certified_copy: bool = False  # an electronic certified copy was issued
    rating: Rating | None = None  # the applicant's rating of this dossier
    complaint: bool = False  # a feedback (PAKN) was filed about this dossier
    synced: bool = False  # synced to the national portal (Cổng DVCQG)

    def __post_init__(self) -> None:
        if self.channel not in CHANNELS:
            raise RecordError(self.code, "channel", ERR_CHANNEL.format(value=self.channel))
        if self.intake_digitized not in DIGITIZED:
            raise RecordError(
                self.code, "intake_digitized", ERR_DIGITIZED.format(value=self.intake_digitized)
            )
        if self.rating is not None and self.rating not in ("satisfied", "not_satisfied"):
            raise RecordError(self.code, "rating", ERR_RATING.format(value=self.rating))
        if self.finished is not None and self.finished < self.received:
            raise RecordError(
                self.code,
                "finished",
                ERR_FINISHED_BEFORE_RECEIVED.format(
                    finished=vn_date(self.finished), received=vn_date(self.received)
                ),
            )

    @property
    def has_result_file(self) -> bool:
        return self.result_electronic or self.result_digitized


@dataclass(frozen=True)
class FeedbackRecord:
    """One citizen feedback (phản ánh, kiến nghị) on a procedure or rule."""

    code: str
    unit: str
    received: dt.date
    due: dt.date | None = None  # answer due; None: received + 15 working days
    answered: dt.date | None = None
    published: dt.date | None = None  # the answer published
    satisfied: bool | None = None  # None: the citizen gave no answer
    repeat_complaint: bool = False  # the citizen complained again about the result

    def __post_init__(self) -> None:
        if self.answered is not None and self.answered < self.received:
            raise RecordError(
                self.code,
                "answered",
                ERR_ANSWERED_BEFORE_RECEIVED.format(
                    answered=vn_date(self.answered), received=vn_date(self.received)
                ),
            )


@dataclass(frozen=True)
class ProcedureRecord:
    """One announcement of a procedure (TTHC) in the catalogue of the unit's level.

    A procedure announced several times (amended) has one record per announcement, all with
    the same code; the latest one describes the procedure now.
    """

    code: str
    announced: dt.date | None = None  # date of the announcement decision (QĐ công bố)
    legal_basis_effective: dt.date | None = None  # effective date of its legal basis
    published: dt.date | None = None  # published in the national procedure database
    all_parts_published: bool = False  # every part of NĐ 63/2010 art. 8(2) published
    online_class: OnlineClass = "none"  # NĐ 42/2022 art. 11: toàn trình / một phần
    fee: bool = False  # carries a fee or charge > 0
    payment_integrated: bool = False  # fee payable online through the national portal
    certification: bool = False  # chứng thực bản sao từ bản chính
    announcement_no: str = ""

    def __post_init__(self) -> None:
        if self.online_class not in ONLINE_CLASSES:
            raise RecordError(
                self.code, "online_class", ERR_ONLINE_CLASS.format(value=self.online_class)
            )


@dataclass(frozen=True)
class UnitData:
    """Everything one unit's index is computed from.

    procedures: the catalogue of procedures under the unit's authority (often shared by
    every unit of a level).
    """

    unit: str
    dossiers: Sequence[DossierRecord] = ()
    feedback: Sequence[FeedbackRecord] = ()
    procedures: Sequence[ProcedureRecord] = field(default_factory=tuple)


# Count name -> Vietnamese label (shown beside numerator and denominator).
COUNT_LABELS: dict[str, str] = {
    "procedures.total": "Số TTHC thuộc thẩm quyền",
    "procedures.announced": "Số TTHC đã công bố trong kỳ",
    "procedures.announced_on_time": "Số TTHC công bố đúng hạn",
    "procedures.to_publish": "Số TTHC phải công khai trong kỳ",
    "procedures.published_on_time": "Số TTHC công khai đúng hạn",
    "procedures.published": "Số TTHC đã công khai",
    "procedures.published_complete": "Số TTHC công khai đủ bộ phận tạo thành",
    "procedures.online": "Số TTHC có DVCTT một phần hoặc toàn trình",
    "procedures.with_fee": "Số TTHC có phí, lệ phí",
    "procedures.with_fee_payment_integrated": "Số TTHC có phí được tích hợp thanh toán trực tuyến",
    "procedures.with_fee_paid_online": "Số TTHC có phí có giao dịch thanh toán trực tuyến",
    "dossiers.received": "Số hồ sơ tiếp nhận trong kỳ",
    "dossiers.received_synced": "Số hồ sơ đã đồng bộ lên Cổng DVCQG",
    "dossiers.received_online": "Số hồ sơ tiếp nhận trực tuyến",
    "dossiers.received_or_processed": "Số hồ sơ tiếp nhận, xử lý trong kỳ",
    "dossiers.on_time_766": "Số hồ sơ trước hạn, đúng hạn, trong hạn",
    "dossiers.late_766": "Số hồ sơ quá hạn",
    "dossiers.disliked_or_complained": "Số hồ sơ bị đánh giá không hài lòng hoặc có PAKN",
    "dossiers.satisfaction_766": "Số hồ sơ không quá hạn, không bị phản ánh",
    "dossiers.full_process_eligible": "Số hồ sơ của TTHC có DVCTT toàn trình",
    "dossiers.full_process_online": "Số hồ sơ trực tuyến toàn trình",
    "dossiers.fee_required": "Số hồ sơ phải nộp phí, lệ phí",
    "dossiers.paid_online": "Số hồ sơ thanh toán trực tuyến",
    "dossiers.finished": "Số hồ sơ đã giải quyết trong kỳ",
    "dossiers.finished_paper_result": "Số hồ sơ đã giải quyết của TTHC trả kết quả giấy",
    "dossiers.finished_result_electronic": "Số hồ sơ có kết quả điện tử",
    "dossiers.intake_digitized": "Số hồ sơ có số hóa thành phần khi tiếp nhận",
    "dossiers.digitized_766": "Số hồ sơ số hóa thành phần và kết quả",
    "dossiers.certification": "Số hồ sơ chứng thực bản sao từ bản chính",
    "dossiers.e_certified_copy": "Số hồ sơ chứng thực bản sao điện tử",
    "dossiers.reused_data": "Số hồ sơ tái sử dụng dữ liệu số hóa",
    "dossiers.data_store_linked": "Số hồ sơ kết nối kho dữ liệu cá nhân",
    "feedback.received_or_processed": "Số PAKN tiếp nhận, xử lý trong kỳ",
    "feedback.on_time": "Số PAKN xử lý đúng hạn",
    "feedback.late": "Số PAKN xử lý quá hạn",
    "feedback.satisfied_766": "Số PAKN không bị phản hồi không hài lòng, tái PAKN hoặc quá hạn",
}

COUNT_NAMES: frozenset[str] = frozenset(COUNT_LABELS)


def _in(day: dt.date | None, period: Period) -> bool:
    return day is not None and period.start <= day <= period.end


def _received_or_processed(received: dt.date, closed: dt.date | None, period: Period) -> bool:
    return received <= period.end and (closed is None or closed >= period.start)


def dossier_on_time_766(record: DossierRecord, period: Period, calendar: WorkCalendar) -> bool:
    """Indicator 2.1: early, on time or still in time at the period end (notes.md §4.3).

    The period end stands in for a missing end date; the clock deducts supplement time and
    makes a second supplement request late.
    """
    state = timeliness(
        due=record.due,
        finished=record.finished,
        supplements=record.supplements,
        calendar=calendar,
        as_of=period.end,
    )
    return state in ON_TIME_STATES


def _dossier_counts(
    dossiers: Iterable[DossierRecord],
    procedures: Mapping[str, ProcedureRecord],
    period: Period,
    calendar: WorkCalendar,
) -> tuple[dict[str, int], set[str]]:
    c: dict[str, int] = defaultdict(int)
    paid_procedures: set[str] = set()
    for d in dossiers:
        procedure = procedures.get(d.procedure_code)
        if _in(d.received, period):
            c["dossiers.received"] += 1
            c["dossiers.received_synced"] += d.synced
            c["dossiers.received_online"] += d.channel == "online"
            c["dossiers.reused_data"] += d.reused_data
            c["dossiers.data_store_linked"] += d.data_store_linked
            c["dossiers.intake_digitized"] += d.intake_digitized != "none"
            result_ok = d.has_result_file or not d.paper_result_required
            c["dossiers.digitized_766"] += d.intake_digitized != "none" and result_ok
            if d.fee_required:
                c["dossiers.fee_required"] += 1
                c["dossiers.paid_online"] += d.paid_online
            if d.paid_online and procedure is not None and procedure.fee:
                paid_procedures.add(procedure.code)
            if procedure is not None and procedure.online_class == "full":
                c["dossiers.full_process_eligible"] += 1
                c["dossiers.full_process_online"] += d.channel == "online"
            if procedure is not None and procedure.certification:
                c["dossiers.certification"] += 1
                c["dossiers.e_certified_copy"] += d.e_certified_copy
        if _in(d.finished, period):
            c["dossiers.finished"] += 1
            if d.paper_result_required:
                c["dossiers.finished_paper_result"] += 1
                c["dossiers.finished_result_electronic"] += d.has_result_file
        if _received_or_processed(d.received, d.finished, period):
            c["dossiers.received_or_processed"] += 1
            if dossier_on_time_766(d, period, calendar):
                c["dossiers.on_time_766"] += 1
            else:
                c["dossiers.late_766"] += 1
            c["dossiers.disliked_or_complained"] += d.rating == "not_satisfied" or d.complaint
    # QĐ 766 indicator 5.4, literally: 100% − (% late + % disliked or complained about).
    c["dossiers.satisfaction_766"] = max(
        0,
        c["dossiers.received_or_processed"]
        - c["dossiers.late_766"]
        - c["dossiers.disliked_or_complained"],
    )
    return dict(c), paid_procedures


def feedback_on_time(record: FeedbackRecord, period: Period, calendar: WorkCalendar) -> bool:
    """Indicator 5.2: answered by its due date and the answer published within 2 working days.

    Still open at the period end counts as within time while its deadline has not passed.
    """
    due = record.due or calendar.add_working_days(record.received, FEEDBACK_ANSWER_WORKING_DAYS)
    answered = record.answered if _in_or_before(record.answered, period.end) else None
    if answered is None:
        return due >= period.end
    if answered > due:
        return False
    publish_due = calendar.add_working_days(answered, FEEDBACK_PUBLISH_WORKING_DAYS)
    published = record.published if _in_or_before(record.published, period.end) else None
    if published is None:
        return publish_due >= period.end
    return published <= publish_due


def _in_or_before(day: dt.date | None, end: dt.date) -> bool:
    return day is not None and day <= end


def _feedback_counts(
    feedback: Iterable[FeedbackRecord], period: Period, calendar: WorkCalendar
) -> dict[str, int]:
    c: dict[str, int] = defaultdict(int)
    for f in feedback:
        if not _received_or_processed(f.received, f.answered, period):
            continue
        c["feedback.received_or_processed"] += 1
        on_time = feedback_on_time(f, period, calendar)
        if on_time:
            c["feedback.on_time"] += 1
        else:
            c["feedback.late"] += 1
        # QĐ 766 indicator 5.3: not answered "không hài lòng", no repeat complaint, not late.
        if on_time and f.satisfied is not False and not f.repeat_complaint:
            c["feedback.satisfied_766"] += 1
    return dict(c)


def latest_procedures(
    procedures: Iterable[ProcedureRecord], as_of: dt.date
) -> dict[str, ProcedureRecord]:
    """The catalogue at as_of: per code, the latest announcement made by then."""
    latest: dict[str, ProcedureRecord] = {}
    for p in procedures:
        if p.announced is not None and p.announced > as_of:
            continue
        current = latest.get(p.code)
        if current is None or (current.announced or dt.date.min) <= (p.announced or dt.date.min):
            latest[p.code] = p
    return latest


def _announced_on_time(p: ProcedureRecord, calendar: WorkCalendar) -> bool:
    assert p.announced is not None and p.legal_basis_effective is not None
    deadline = calendar.working_days_before(
        p.legal_basis_effective, ANNOUNCE_BEFORE_EFFECT_WORKING_DAYS
    )
    return p.announced <= deadline


def _published_on_time(p: ProcedureRecord, period: Period, calendar: WorkCalendar) -> bool:
    assert p.announced is not None
    deadline = calendar.add_working_days(p.announced, PUBLISH_AFTER_ANNOUNCE_WORKING_DAYS)
    published = p.published if _in_or_before(p.published, period.end) else None
    if published is None:
        return deadline >= period.end
    return published <= deadline


def _procedure_counts(
    procedures: Sequence[ProcedureRecord],
    catalogue: Mapping[str, ProcedureRecord],
    paid_procedures: set[str],
    period: Period,
    calendar: WorkCalendar,
) -> dict[str, int]:
    c: dict[str, int] = defaultdict(int)
    for p in catalogue.values():
        c["procedures.total"] += 1
        c["procedures.online"] += p.online_class in ("full", "partial")
        if p.fee:
            c["procedures.with_fee"] += 1
            c["procedures.with_fee_payment_integrated"] += p.payment_integrated
            c["procedures.with_fee_paid_online"] += p.code in paid_procedures
        if _in_or_before(p.published, period.end):
            c["procedures.published"] += 1
            c["procedures.published_complete"] += p.all_parts_published
    # QĐ 766 indicators 1.1 and 1.2: a procedure announced several times in the period is
    # late for the whole period if any one announcement was late.
    announcements: dict[str, list[ProcedureRecord]] = defaultdict(list)
    for p in procedures:
        if _in(p.announced, period):
            announcements[p.code].append(p)
    for records in announcements.values():
        c["procedures.to_publish"] += 1
        c["procedures.published_on_time"] += all(
            _published_on_time(p, period, calendar) for p in records
        )
        judged = [p for p in records if p.legal_basis_effective is not None]
        if judged:
            c["procedures.announced"] += 1
            c["procedures.announced_on_time"] += all(
                _announced_on_time(p, calendar) for p in judged
            )
    return dict(c)


def compute_counts(data: UnitData, period: Period, calendar: WorkCalendar) -> dict[str, int]:
    """Every named count for one unit and period (names in COUNT_NAMES, zeros included)."""
    catalogue = latest_procedures(data.procedures, period.end)
    dossier_counts, paid = _dossier_counts(data.dossiers, catalogue, period, calendar)
    counts = dict.fromkeys(sorted(COUNT_NAMES), 0)
    counts.update(dossier_counts)
    counts.update(_feedback_counts(data.feedback, period, calendar))
    counts.update(_procedure_counts(data.procedures, catalogue, paid, period, calendar))
    unknown = set(counts) - COUNT_NAMES
    if unknown:  # a count computed above but missing from COUNT_LABELS
        raise KeyError(ERR_UNKNOWN_COUNT.format(name=min(unknown)))
    return counts


def group_by_unit(
    units: Iterable[str],
    *,
    dossiers: Iterable[DossierRecord] = (),
    feedback: Iterable[FeedbackRecord] = (),
    procedures: Sequence[ProcedureRecord] | Mapping[str, Sequence[ProcedureRecord]] = (),
) -> list[UnitData]:
    """Split flat record lists into one UnitData per unit, in the order of units.

    procedures: one catalogue shared by every unit, or a catalogue per unit code.
    Records of units not listed are left out.
    """
    order = list(units)
    by_dossier: dict[str, list[DossierRecord]] = defaultdict(list)
    by_feedback: dict[str, list[FeedbackRecord]] = defaultdict(list)
    for d in dossiers:
        by_dossier[d.unit].append(d)
    for f in feedback:
        by_feedback[f.unit].append(f)
    out = []
    for unit in order:
        catalogue = procedures.get(unit, ()) if isinstance(procedures, Mapping) else procedures
        out.append(
            UnitData(
                unit=unit,
                dossiers=tuple(by_dossier.get(unit, ())),
                feedback=tuple(by_feedback.get(unit, ())),
                procedures=tuple(catalogue),
            )
        )
    return out
