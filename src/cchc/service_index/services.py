"""State changes of the feedback register: one transaction each, full_clean() before save.

Each operation records why in the history (simple_history change reason), so the register
shows who received, assigned, refused, answered and published a feedback, and when.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from cchc.core.history import mark_change
from cchc.core.people import Person
from cchc.core.tabular import RowError, TableErrors, iter_rows, require_columns
from cchc.dossiers.calendar import calendar_for
from cchc.dossiers.models import Procedure
from cchc.dossiers.services import lock_unit_codes
from cchc.service_index.feedback_rules import deadlines_from_receipt, publish_deadline
from cchc.service_index.models import (
    Feedback,
    FeedbackChannel,
    FeedbackClass,
    FeedbackStatus,
    Satisfaction,
)
from cchc.units.models import Unit

ERR_NOT_OPEN = "Phản ánh {code} đã {status}; không thể {action}."
ERR_NOT_ANSWERED = "Phản ánh {code} chưa được trả lời; chỉ công khai được kết quả đã trả lời."
ERR_ALREADY_PUBLISHED = "Kết quả trả lời phản ánh {code} đã được công khai ngày {day}."
ERR_BEFORE_RECEIVED = "Ngày {what} ({day}) trước ngày nhận phản ánh ({received})."
ERR_BEFORE_ANSWERED = "Ngày công khai ({day}) trước ngày trả lời ({answered})."
ERR_IN_FUTURE = "Ngày {what} ({day}) chưa đến."
ERR_ASSIGNEE_UNIT = "{name} không thuộc {unit}; chỉ giao cho cán bộ, công chức của đơn vị."
ERR_EMPTY_ANSWER = "Cần nhập nội dung trả lời."
ERR_EMPTY_REASON = "Cần nêu lý do từ chối tiếp nhận."
ERR_DUPLICATE_CODE = "Số hiệu {code} đã có trong sổ của {unit}."
ERR_SATISFACTION_BEFORE_ANSWER = "Chỉ ghi nhận mức độ hài lòng sau khi đã trả lời phản ánh."

WHAT_ANSWER = "trả lời"
WHAT_PUBLISH = "công khai"
WHAT_REFUSE = "từ chối"
WHAT_SUPPLEMENT = "yêu cầu bổ sung"

STATUS_DONE_LABELS = {
    FeedbackStatus.REFUSED: "bị từ chối tiếp nhận",
    FeedbackStatus.ANSWERED: "được trả lời",
    FeedbackStatus.PUBLISHED: "được trả lời và công khai",
}


class FeedbackError(ValueError):
    """A refused operation; `field` names the input at fault (for forms and the API)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        self.field = field
        super().__init__(message)


def _today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()


def _save(feedback: Feedback, reason: str) -> Feedback:
    duplicate = Feedback.objects.filter(unit=feedback.unit, code=feedback.code)
    if feedback.pk:
        duplicate = duplicate.exclude(pk=feedback.pk)
    if duplicate.exists():
        raise FeedbackError(
            ERR_DUPLICATE_CODE.format(code=feedback.code, unit=feedback.unit), "code"
        )
    try:
        feedback.full_clean()
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise FeedbackError(" ".join(messages), None if field == "__all__" else field) from None
    mark_change(feedback, reason)
    feedback.save()
    return feedback


def _check_day(day: dt.date, feedback: Feedback, what: str, field: str) -> None:
    if day < feedback.received_on:
        raise FeedbackError(
            ERR_BEFORE_RECEIVED.format(what=what, day=_vn(day), received=_vn(feedback.received_on)),
            field,
        )
    if day > _today():
        raise FeedbackError(ERR_IN_FUTURE.format(what=what, day=_vn(day)), field)


def _vn(day: dt.date) -> str:
    from cchc.core.formatting import vn_date

    return vn_date(day)


def _require_open(feedback: Feedback, action: str) -> None:
    if not feedback.is_open:
        raise FeedbackError(
            ERR_NOT_OPEN.format(
                code=feedback.code,
                status=STATUS_DONE_LABELS.get(feedback.status, feedback.get_status_display()),
                action=action,
            )
        )


_CODE_NUMBER = re.compile(r"(\d+)$")


def next_code(unit: Unit, year: int) -> str:
    """PAKN-2025-0007: the unit's next number in the year (the register's số thứ tự)."""
    prefix = f"PAKN-{year}-"
    last = (
        Feedback.objects.filter(unit=unit, code__startswith=prefix)
        .aggregate(Max("code"))
        .get("code__max")
    )
    number = 1
    if last and (match := _CODE_NUMBER.search(last)):
        number = int(match.group(1)) + 1
    return f"{prefix}{number:04d}"


def _deadlines(feedback: Feedback) -> None:
    calendar = calendar_for(feedback.received_on, feedback.answered_on)
    due = deadlines_from_receipt(feedback.received_on, calendar)
    feedback.answer_due_on = due.answer
    feedback.refuse_due_on = due.refuse
    feedback.supplement_due_on = due.supplement
    feedback.publish_due_on = (
        publish_deadline(feedback.answered_on, calendar) if feedback.answered_on else None
    )


@transaction.atomic
def feedback_record(
    *,
    unit: Unit,
    by: Person,
    received_on: dt.date,
    channel: str,
    content: str,
    classification: str = FeedbackClass.OTHER,
    procedure: Procedure | None = None,
    rule_concerned: str = "",
    dossier_code: str = "",
    sender_name: str = "",
    sender_contact: str = "",
    code: str = "",
    assigned_to=None,
) -> Feedback:
    """Enter a feedback in the unit's register; its deadlines are computed from receipt."""
    if received_on > _today():
        raise FeedbackError(ERR_IN_FUTURE.format(what="nhận", day=_vn(received_on)), "received_on")
    if assigned_to is not None:
        _check_assignee(unit, assigned_to)
    if not code.strip():
        lock_unit_codes(unit)  # the number is picked and used under one lock (issue 13)
    feedback = Feedback(
        unit=unit,
        code=code.strip() or next_code(unit, received_on.year),
        received_on=received_on,
        channel=channel,
        content=content.strip(),
        classification=classification,
        procedure=procedure,
        rule_concerned=rule_concerned.strip(),
        dossier_code=dossier_code.strip(),
        sender_name=sender_name.strip(),
        sender_contact=sender_contact.strip(),
        assigned_to=assigned_to,
        created_by=by,
    )
    _deadlines(feedback)
    return _save(feedback, "Tiếp nhận phản ánh, kiến nghị")


def _check_assignee(unit: Unit, user: Person) -> None:
    profile = getattr(user, "profile", None)
    if profile is None or profile.unit_id != unit.pk:
        name = profile.full_name if profile else user.get_username()
        raise FeedbackError(ERR_ASSIGNEE_UNIT.format(name=name, unit=unit), "assigned_to")


@transaction.atomic
def feedback_assign(*, feedback: Feedback, assignee, by: Person, note: str = "") -> Feedback:
    _check_assignee(feedback.unit, assignee)
    feedback.assigned_to = assignee
    name = getattr(getattr(assignee, "profile", None), "full_name", assignee.get_username())
    reason = f"Giao {name} xử lý" + (f": {note.strip()}" if note.strip() else "")
    return _save(feedback, reason)


@transaction.atomic
def feedback_request_supplement(
    *, feedback: Feedback, on: dt.date, by: Person, note: str = ""
) -> Feedback:
    """Ask the sender for more information (the limit: 5 working days from receipt)."""
    _require_open(feedback, WHAT_SUPPLEMENT)
    _check_day(on, feedback, WHAT_SUPPLEMENT, "on")
    feedback.supplement_requested_on = on
    feedback.status = FeedbackStatus.SUPPLEMENT
    reason = "Yêu cầu bổ sung thông tin" + (f": {note.strip()}" if note.strip() else "")
    return _save(feedback, reason)


@transaction.atomic
def feedback_refuse(*, feedback: Feedback, on: dt.date, reason: str, by: Person) -> Feedback:
    """Refuse a feedback outside the unit's remit (the limit: 2 working days from receipt).

    A refused feedback leaves indicators 5.2 and 5.3: they count the feedback "thuộc thẩm
    quyền tiếp nhận, xử lý" [U, see docs/service-index.md].
    """
    _require_open(feedback, WHAT_REFUSE)
    if not reason.strip():
        raise FeedbackError(ERR_EMPTY_REASON, "reason")
    _check_day(on, feedback, WHAT_REFUSE, "on")
    feedback.refused_on = on
    feedback.refusal_reason = reason.strip()
    feedback.status = FeedbackStatus.REFUSED
    return _save(feedback, f"Từ chối tiếp nhận: {reason.strip()}")


@transaction.atomic
def feedback_answer(*, feedback: Feedback, on: dt.date, answer: str, by: Person) -> Feedback:
    """Answer a feedback; the answer must then be published within 2 working days."""
    _require_open(feedback, WHAT_ANSWER)
    if not answer.strip():
        raise FeedbackError(ERR_EMPTY_ANSWER, "answer")
    _check_day(on, feedback, WHAT_ANSWER, "on")
    feedback.answered_on = on
    feedback.answer = answer.strip()
    feedback.status = FeedbackStatus.ANSWERED
    feedback.publish_due_on = publish_deadline(on, calendar_for(on))
    return _save(feedback, "Trả lời phản ánh, kiến nghị")


@transaction.atomic
def feedback_publish(*, feedback: Feedback, on: dt.date, where: str, by: Person) -> Feedback:
    if feedback.status == FeedbackStatus.PUBLISHED and feedback.published_on:
        raise FeedbackError(
            ERR_ALREADY_PUBLISHED.format(code=feedback.code, day=_vn(feedback.published_on))
        )
    if feedback.answered_on is None:
        raise FeedbackError(ERR_NOT_ANSWERED.format(code=feedback.code))
    if on < feedback.answered_on:
        raise FeedbackError(
            ERR_BEFORE_ANSWERED.format(day=_vn(on), answered=_vn(feedback.answered_on)), "on"
        )
    _check_day(on, feedback, WHAT_PUBLISH, "on")
    feedback.published_on = on
    feedback.published_where = where.strip()
    feedback.status = FeedbackStatus.PUBLISHED
    return _save(feedback, "Công khai kết quả trả lời" + (f" tại {where.strip()}" if where else ""))


@transaction.atomic
def feedback_set_satisfaction(
    *,
    feedback: Feedback,
    satisfaction: str | None,
    repeat_complaint: bool,
    by: Person,
    note: str = "",
) -> Feedback:
    """The sender's response to the answer (QĐ 766 indicator 5.3)."""
    if feedback.answered_on is None and (satisfaction or repeat_complaint):
        raise FeedbackError(ERR_SATISFACTION_BEFORE_ANSWER, "satisfaction")
    feedback.satisfaction = satisfaction or None
    feedback.repeat_complaint = repeat_complaint
    label = dict(Satisfaction.choices).get(satisfaction or "", "chưa đánh giá")
    reason = f"Ghi nhận ý kiến người phản ánh: {label.lower()}"
    if repeat_complaint:
        reason += ", tiếp tục phản ánh về kết quả"
    if note.strip():
        reason += f" ({note.strip()})"
    return _save(feedback, reason)


# -- import ---------------------------------------------------------------------------------

IMPORT_COLUMNS = [
    "code",
    "received_on",
    "channel",
    "sender_name",
    "sender_contact",
    "procedure_code",
    "rule_concerned",
    "dossier_code",
    "content",
    "classification",
    "refused_on",
    "refusal_reason",
    "answered_on",
    "answer",
    "published_on",
    "published_where",
    "satisfaction",
    "repeat_complaint",
]
REQUIRED_IMPORT_COLUMNS = ["received_on", "channel", "content"]

ERR_IMPORT_DATE = "Ngày không hợp lệ; dùng YYYY-MM-DD hoặc dd/mm/yyyy."
ERR_IMPORT_REQUIRED = "Bắt buộc, không được để trống."
ERR_IMPORT_CHOICE = "Giá trị không hợp lệ; dùng một trong: {choices}."
ERR_IMPORT_PROCEDURE = "Không có TTHC mã này trong danh mục."
ERR_IMPORT_BOOL = "Dùng có/không (1/0, x, true/false)."
ERR_IMPORT_ORDER = "Ngày {what} trước ngày {before}."
ERR_IMPORT_FUTURE = "Ngày chưa đến."
ERR_IMPORT_DUPLICATE = "Số hiệu trùng với dòng {row}."
ERR_IMPORT_EXISTS = "Số hiệu đã có trong sổ của đơn vị."
ERR_IMPORT_BOTH = "Một phản ánh không thể vừa bị từ chối vừa được trả lời."
ERR_IMPORT_PUBLISHED_ONLY = "Có ngày công khai nhưng chưa có ngày trả lời."
ERR_IMPORT_NO_ANSWER = "Có ngày trả lời nhưng thiếu nội dung trả lời."

# Labels accepted in the file besides the codes (what a register kept by hand says).
_CHANNEL_ALIASES = {
    **{c.value: c.value for c in FeedbackChannel},
    **{c.label.lower(): c.value for c in FeedbackChannel},
    "hòm thư": FeedbackChannel.MAILBOX,
    "cổng dvc": FeedbackChannel.PORTAL,
    "cổng dịch vụ công quốc gia": FeedbackChannel.PORTAL,
    "dvcqg": FeedbackChannel.PORTAL,
}
_CLASS_ALIASES = {
    **{c.value: c.value for c in FeedbackClass},
    **{c.label.lower(): c.value for c in FeedbackClass},
    "": FeedbackClass.OTHER,
}
_SATISFACTION_ALIASES = {
    **{c.value: c.value for c in Satisfaction},
    **{c.label.lower(): c.value for c in Satisfaction},
    "": None,
    "chưa đánh giá": None,
}
_TRUE = {"1", "x", "có", "co", "true", "yes", "đúng"}
_FALSE = {"", "0", "không", "khong", "false", "no"}


def _parse_date(text: str) -> dt.date | None:
    text = text.strip()
    if not text:
        return None
    if "T" in text:
        text = text.split("T", 1)[0]
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None
    raise ValueError(text)


@dataclass
class _Row:
    number: int
    fields: dict


def _parse_row(number: int, row: dict, errors: list[RowError], procedures: dict) -> _Row | None:
    before = len(errors)
    out: dict = {}

    def date(column: str, *, required: bool = False) -> dt.date | None:
        value = row.get(column, "")
        try:
            day = _parse_date(value)
        except ValueError:
            errors.append(RowError(number, column, ERR_IMPORT_DATE, value))
            return None
        if day is None and required:
            errors.append(RowError(number, column, ERR_IMPORT_REQUIRED))
        if day is not None and day > _today():
            errors.append(RowError(number, column, ERR_IMPORT_FUTURE, value))
        return day

    def choice(column: str, aliases: dict, choices) -> str | None:
        value = row.get(column, "")
        key = value.strip().lower()
        if key not in aliases:
            errors.append(
                RowError(
                    number,
                    column,
                    ERR_IMPORT_CHOICE.format(choices=", ".join(c.value for c in choices)),
                    value,
                )
            )
            return None
        return aliases[key]

    out["received_on"] = date("received_on", required=True)
    if not row.get("channel", "").strip():
        errors.append(RowError(number, "channel", ERR_IMPORT_REQUIRED))
    else:
        out["channel"] = choice("channel", _CHANNEL_ALIASES, FeedbackChannel)
    out["classification"] = choice("classification", _CLASS_ALIASES, FeedbackClass)
    out["satisfaction"] = choice("satisfaction", _SATISFACTION_ALIASES, Satisfaction)
    content = row.get("content", "").strip()
    if not content:
        errors.append(RowError(number, "content", ERR_IMPORT_REQUIRED))
    out["content"] = content
    code = row.get("procedure_code", "").strip()
    out["procedure"] = None
    if code:
        out["procedure"] = procedures.get(code)
        if out["procedure"] is None:
            errors.append(RowError(number, "procedure_code", ERR_IMPORT_PROCEDURE, code))
    repeat = row.get("repeat_complaint", "").strip().lower()
    if repeat not in _TRUE | _FALSE:
        errors.append(RowError(number, "repeat_complaint", ERR_IMPORT_BOOL, repeat))
    out["repeat_complaint"] = repeat in _TRUE
    out["refused_on"] = date("refused_on")
    out["answered_on"] = date("answered_on")
    out["published_on"] = date("published_on")
    received = out["received_on"]
    for column, label in (("refused_on", "từ chối"), ("answered_on", "trả lời")):
        day = out[column]
        if day and received and day < received:
            errors.append(
                RowError(
                    number, column, ERR_IMPORT_ORDER.format(what=label, before="nhận"), row[column]
                )
            )
    if out["refused_on"] and out["answered_on"]:
        errors.append(RowError(number, "refused_on", ERR_IMPORT_BOTH))
    if out["published_on"] and not out["answered_on"]:
        errors.append(RowError(number, "published_on", ERR_IMPORT_PUBLISHED_ONLY))
    elif out["published_on"] and out["published_on"] < out["answered_on"]:
        errors.append(
            RowError(
                number,
                "published_on",
                ERR_IMPORT_ORDER.format(what="công khai", before="trả lời"),
                row["published_on"],
            )
        )
    if out["answered_on"] and not row.get("answer", "").strip():
        errors.append(RowError(number, "answer", ERR_IMPORT_NO_ANSWER))
    for column in (
        "code",
        "sender_name",
        "sender_contact",
        "rule_concerned",
        "dossier_code",
        "refusal_reason",
        "answer",
        "published_where",
    ):
        out[column] = row.get(column, "").strip()
    if out["refused_on"] and not out["refusal_reason"]:
        errors.append(RowError(number, "refusal_reason", ERR_EMPTY_REASON))
    return None if len(errors) > before else _Row(number, out)


def feedback_import(
    *, unit: Unit, source: str | Path | IO[bytes], filename: str | None = None, by: Person
) -> int:
    """Import a register kept elsewhere (CSV/XLSX): every row or none.

    Columns: IMPORT_COLUMNS (received_on, channel and content required). A row names its
    errors by row and column; if any row is wrong nothing is imported.
    """
    name = filename or (
        str(source) if isinstance(source, str | Path) else getattr(source, "name", "") or "tệp"
    )
    header, rows = iter_rows(source, name)
    require_columns(name, header, REQUIRED_IMPORT_COLUMNS)
    procedures = {p.code: p for p in Procedure.objects.all()}
    existing = set(Feedback.objects.filter(unit=unit).values_list("code", flat=True))
    errors: list[RowError] = []
    parsed: list[_Row] = []
    seen: dict[str, int] = {}
    for number, row in rows:
        item = _parse_row(number, row, errors, procedures)
        code = row.get("code", "").strip()
        if code:
            if code in seen:
                errors.append(
                    RowError(number, "code", ERR_IMPORT_DUPLICATE.format(row=seen[code]), code)
                )
                item = None
            elif code in existing:
                errors.append(RowError(number, "code", ERR_IMPORT_EXISTS, code))
                item = None
            seen.setdefault(code, number)
        if item is not None:
            parsed.append(item)
    if errors:
        raise TableErrors(name, errors)
    with transaction.atomic():
        lock_unit_codes(unit)
        for item in parsed:
            _import_one(unit, item, by, name)
    return len(parsed)


def _import_one(unit: Unit, item: _Row, by: Person, name: str) -> Feedback:
    f = item.fields
    feedback = Feedback(
        unit=unit,
        code=f["code"] or next_code(unit, f["received_on"].year),
        received_on=f["received_on"],
        channel=f["channel"],
        content=f["content"],
        classification=f["classification"],
        procedure=f["procedure"],
        rule_concerned=f["rule_concerned"],
        dossier_code=f["dossier_code"],
        sender_name=f["sender_name"],
        sender_contact=f["sender_contact"],
        refused_on=f["refused_on"],
        refusal_reason=f["refusal_reason"],
        answered_on=f["answered_on"],
        answer=f["answer"],
        published_on=f["published_on"],
        published_where=f["published_where"],
        satisfaction=f["satisfaction"],
        repeat_complaint=f["repeat_complaint"],
        created_by=by,
    )
    if feedback.refused_on:
        feedback.status = FeedbackStatus.REFUSED
    elif feedback.published_on:
        feedback.status = FeedbackStatus.PUBLISHED
    elif feedback.answered_on:
        feedback.status = FeedbackStatus.ANSWERED
    _deadlines(feedback)
    try:
        return _save(feedback, "Nhập từ tệp sổ theo dõi")
    except FeedbackError as error:  # a database rule the row checks above did not foresee
        raise TableErrors(name, [RowError(item.number, error.field, str(error))]) from None


def assignable_people(unit: Unit):
    """The people of the unit a feedback can be assigned to."""
    return (
        get_user_model()
        .objects.filter(profile__unit=unit, is_active=True)
        .select_related("profile")
        .order_by("pk")
    )
