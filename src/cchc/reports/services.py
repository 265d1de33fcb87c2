"""State changes of reports: create, edit the narrative, generate files, submit to the level
above, reopen, remind, and start a batch. Keyword-only arguments, one transaction each,
permissions checked here as well as in the views (the API and commands call these too).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from cchc.core.history import mark_change
from cchc.core.people import Person
from cchc.dossiers.periods import PeriodError, parse_period
from cchc.reports import deadlines, generate, kinds
from cchc.reports.builders.common import snapshot
from cchc.reports.models import (
    NARRATIVE_FIELDS,
    DeadlineSetting,
    FilingReminder,
    ReminderStatus,
    Report,
    ReportFile,
    ReportStatus,
)
from cchc.reports.sources import draft_report
from cchc.units.models import Unit
from cchc.units.permissions import can
from cchc.units.permissions import require_action as require  # services: 403, not 404

ERR_SUBMITTED = "Báo cáo đã gửi cấp trên, không sửa được; đề nghị mở lại nếu cần sửa."
ERR_NOT_SUBMITTED = "Báo cáo chưa gửi, không cần mở lại."
ERR_NOT_FILED_KIND = "Loại báo cáo này không gửi cấp trên theo chế độ báo cáo định kỳ."
ERR_NO_PARENT = "Đơn vị không có cấp trên để gửi báo cáo."
ERR_REASON = "Cần ghi lý do mở lại báo cáo."
ERR_NO_UNITS = "Không có đơn vị nào để tạo báo cáo."
ERR_NO_FORMATS = "Chọn ít nhất một định dạng (DOCX hoặc PDF)."
ERR_NOT_CHILDREN = "Chỉ chọn được các đơn vị trực thuộc {parent}."
ERR_BATCH_KIND = "Tạo hàng loạt chỉ dùng cho báo cáo quý, 6 tháng, năm của đơn vị và Biểu 06."
ERR_CYCLE_FOR_KIND = "Chỉ báo cáo kết quả Chỉ số CCHC và báo cáo năm của tỉnh gắn với kỳ đánh giá."
ERR_INSPECTION_FOR_KIND = "Chỉ thông báo kết quả tự kiểm tra gắn với đợt tự kiểm tra."

# Text the officer may write; the figures are never among them.
EDITABLE_FIELDS: tuple[str, ...] = (
    *NARRATIVE_FIELDS,
    "number",
    "symbol",
    "issued_on",
    "place",
    "recipients",
    "archive",
    "signer_authority",
    "signer_title",
    "signer_name",
)


def _subject(cycle, inspection) -> str:
    if inspection is not None:
        return f"inspection:{inspection.pk}"
    if cycle is not None:
        return f"cycle:{cycle.pk}"
    return ""


def report_open(
    *,
    unit: Unit,
    kind: str,
    period_code: str,
    by: Person,
    cycle=None,
    inspection=None,
    check: bool = True,
) -> Report:
    """The report of this unit, kind and period (and cycle/inspection), created as a draft
    with the unit's defaults (issuer, signer, Nơi nhận) when it does not exist yet."""
    spec = kinds.kind_for(kind)
    if check:
        require(by, "edit", unit)
    period = parse_period(period_code)
    kinds.check_period_kind(spec, period.kind, period.code)
    if cycle is not None and not spec.needs_cycle and spec.code != "province_annual":
        raise ValidationError(ERR_CYCLE_FOR_KIND)
    if inspection is not None and not spec.needs_inspection:
        raise ValidationError(ERR_INSPECTION_FOR_KIND)
    subject = _subject(cycle, inspection)
    existing = Report.objects.filter(
        kind=spec.code, unit=unit, period_code=period.code, subject=subject
    ).first()
    if existing is not None:
        return existing
    report = draft_report(
        unit, spec, period, by=by, subject=subject, cycle=cycle, inspection=inspection
    )
    report.full_clean()
    try:
        with transaction.atomic():
            mark_change(report, "Tạo dự thảo báo cáo")
            report.save()
    except IntegrityError:  # created meanwhile by another request
        return Report.objects.get(
            kind=spec.code, unit=unit, period_code=period.code, subject=subject
        )
    return report


@transaction.atomic
def report_update(*, report: Report, data: Mapping[str, object], by: Person) -> Report:
    """Save the officer's text and the frame fields; the figures are not fields."""
    require(by, "edit", report.unit)
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.is_submitted:
        raise ValidationError(ERR_SUBMITTED)
    changed = []
    for name in EDITABLE_FIELDS:
        if name in data:
            value = data[name]
            if isinstance(value, str):
                value = value.replace("\r\n", "\n").strip()
            if getattr(report, name) != value:
                setattr(report, name, value)
                changed.append(name)
    if changed:
        report.full_clean()
        mark_change(
            report,
            "Sửa: " + ", ".join(str(Report._meta.get_field(n).verbose_name) for n in changed),
        )
        report.save()
    return report


def report_generate(
    *,
    report: Report,
    fmt: str,
    by: Person | None,
    today: dt.date | None = None,
    filed: bool = False,
) -> ReportFile:
    """Build the document from the stored data now, print it, keep the file with the
    figures it printed. Building happens outside the transaction (it reads only)."""
    if by is not None:
        require(by, "edit", report.unit)
    if fmt not in generate.FORMATS:
        raise ValidationError(generate.ERR_FORMAT.format(fmt=fmt))
    doc = generate.document_for(report, today=today)
    data = generate.render(doc, fmt)
    return _store_file(report=report, fmt=fmt, data=data, doc=doc, by=by, filed=filed)


def _store_file(
    *, report: Report, fmt: str, data: bytes, doc, by: Person, filed: bool
) -> ReportFile:
    name = generate.file_name(report.kind_spec, report.unit, report.period_code, fmt)
    with transaction.atomic():
        item = ReportFile(
            report=report,
            format=fmt,
            generated_by=by if getattr(by, "is_authenticated", False) else None,
            checksum=generate.checksum(data),
            size=len(data),
            figures=snapshot(doc),
            filed=filed,
        )
        item.file.save(name, ContentFile(data), save=False)
        item.save()
    return item


def report_submit(*, report: Report, by: Person, today: dt.date | None = None) -> Report:
    """Send a periodic report to the level above (the head's act): the filed copy is a PDF
    generated now and kept; the report is then locked."""
    require(by, "submit", report.unit)
    if not report.kind_spec.filed:
        raise ValidationError(ERR_NOT_FILED_KIND)
    if report.unit.parent_id is None:
        raise ValidationError(ERR_NO_PARENT)
    if report.is_submitted:
        raise ValidationError(ERR_SUBMITTED)
    doc = generate.document_for(report, today=today)
    data = generate.render(doc, "pdf")
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if locked.is_submitted:
            raise ValidationError(ERR_SUBMITTED)
        _store_file(report=locked, fmt="pdf", data=data, doc=doc, by=by, filed=True)
        locked.status = ReportStatus.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.submitted_by = by
        locked.submitted_to = locked.unit.parent
        mark_change(locked, f"Gửi {locked.unit.parent}")
        locked.save()
    return locked


@transaction.atomic
def report_reopen(*, report: Report, by: Person, reason: str) -> Report:
    """Back to draft (the head of the unit, or an administrator above it), with a reason;
    the filed file stays in the history."""
    if not (can(by, "submit", report.unit) or can(by, "administer", report.unit)):
        raise PermissionDenied("Chỉ Chủ tịch/Thủ trưởng đơn vị hoặc quản trị viên được mở lại.")
    if not reason.strip():
        raise ValidationError(ERR_REASON)
    report = Report.objects.select_for_update().get(pk=report.pk)
    if not report.is_submitted:
        raise ValidationError(ERR_NOT_SUBMITTED)
    report.status = ReportStatus.DRAFT
    report.submitted_at = None
    report.submitted_by = None
    mark_change(report, f"Mở lại: {reason.strip()}")
    report.save()
    return report


# ------------------------------------------------------------------ reminders


def _message(unit: Unit, cell) -> str:
    from cchc.core.formatting import vn_date

    return f"{unit.name}: chưa nộp báo cáo CCHC {cell.period.label} (hạn {vn_date(cell.due_on)})."


def reminders_send(
    *,
    parent: Unit,
    year: int,
    by: Person,
    unit_ids: Iterable[int] | None = None,
    columns: Iterable[int] | None = None,
    today: dt.date | None = None,
) -> int:
    """The level above reminds the units that have not filed (past due, or due within
    three days). At most one reminder per unit, report and day: sending twice the same day
    sends nothing more. Returns the number of reminders sent."""
    from cchc.reports.filing import filing_matrix

    require(by, "view", parent)
    if not (can(by, "edit", parent) or can(by, "administer", parent)):
        raise PermissionDenied("Chỉ cán bộ của đơn vị cấp trên được nhắc nộp báo cáo.")
    today = today or timezone.localdate()
    matrix = filing_matrix(parent, year, today=today)
    wanted_units = set(unit_ids) if unit_ids is not None else None
    wanted_cols = set(columns) if columns is not None else None
    sent = 0
    now = timezone.now()
    for row in matrix.rows:
        if wanted_units is not None and row.unit.pk not in wanted_units:
            continue
        for index, cell in enumerate(row.cells):
            if wanted_cols is not None and index not in wanted_cols:
                continue
            if not _needs_reminder(cell, today):
                continue
            sent += _remind(
                row.unit, cell, today, status=ReminderStatus.SENT, sent_at=now, created_by=by
            )
    return sent


def _remind(unit: Unit, cell, today: dt.date, **defaults) -> bool:
    """The day's reminder of one cell, created unless it exists; True when created."""
    _, created = FilingReminder.objects.get_or_create(
        unit=unit,
        report_kind=cell.kind.code,
        period_code=cell.period.code,
        reminded_on=today,
        defaults={
            "period_label": cell.period.label,
            "due_on": cell.due_on,
            "message": _message(unit, cell),
            **defaults,
        },
    )
    return created


REMIND_DAYS_BEFORE = 3


def _needs_reminder(cell, today: dt.date, days_before: int = REMIND_DAYS_BEFORE) -> bool:
    if cell.status == deadlines.MISSING:
        return True
    return cell.status == deadlines.NOT_DUE and cell.due_on - today <= dt.timedelta(
        days=days_before
    )


def reminders_prepare(*, today: dt.date, days_before: int = REMIND_DAYS_BEFORE) -> int:
    """The scheduled run, first half: a pending reminder for every unit whose periodic
    report is past due or due within ``days_before`` days. Idempotent per day."""
    from cchc.reports.filing import filing_matrix

    parents = Unit.objects.filter(children__isnull=False, valid_to__isnull=True).distinct()
    created = 0
    for parent in parents:
        for year in {today.year - 1, today.year}:
            matrix = filing_matrix(parent, year, today=today)
            for row in matrix.rows:
                if row.unit.valid_to is not None:
                    continue
                for cell in row.cells:
                    if cell.due_on < today - dt.timedelta(days=120):
                        continue  # an old gap is for the matrix, not for daily reminders
                    if not _needs_reminder(cell, today, days_before):
                        continue
                    try:
                        with transaction.atomic():
                            new = _remind(row.unit, cell, today)
                    except IntegrityError:  # another run created it meanwhile
                        new = False
                    created += new
    return created


STALE_CLAIM = dt.timedelta(minutes=10)


def reminders_dispatch(*, worker: str | None = None) -> int:
    """The scheduled run, second half: claim each pending reminder with a conditional
    update (only one worker wins a row), deliver it, mark it sent. Delivery is the inbox
    (the home page lists sent reminders of one's unit); mail would go here too."""
    worker = worker or uuid.uuid4().hex[:16]
    now = timezone.now()
    candidates = FilingReminder.objects.filter(status=ReminderStatus.PENDING) | (
        FilingReminder.objects.filter(
            status=ReminderStatus.SENDING, claimed_at__lt=now - STALE_CLAIM
        )
    )
    sent = 0
    for pk, status in candidates.values_list("pk", "status"):
        claimed = FilingReminder.objects.filter(pk=pk, status=status).update(
            status=ReminderStatus.SENDING, claimed_by=worker, claimed_at=timezone.now()
        )
        if claimed != 1:
            continue  # another worker has it
        done = FilingReminder.objects.filter(
            pk=pk, status=ReminderStatus.SENDING, claimed_by=worker
        ).update(status=ReminderStatus.SENT, sent_at=timezone.now())
        sent += done
    return sent


# ------------------------------------------------------------------ deadlines


@transaction.atomic
def deadline_set(
    *, period_kind: str, day: int, month_offset: int, by: Person, note: str = ""
) -> DeadlineSetting:
    from cchc.units.permissions import is_administrator

    if not is_administrator(by):
        raise PermissionDenied("Chỉ quản trị viên được đổi hạn nộp báo cáo.")
    row, _ = DeadlineSetting.objects.get_or_create(period_kind=period_kind)
    row.day = day
    row.month_offset = month_offset
    row.note = note
    row.full_clean()
    mark_change(row, f"Hạn nộp: ngày {day}, {month_offset} tháng sau tháng cuối kỳ")
    row.save()
    return row


# ------------------------------------------------------------------ batches

BATCH_KINDS = ("unit_quarterly", "unit_half_year", "unit_annual", "tt01_form")


def batch_check(
    *,
    parent: Unit,
    kind: str,
    period_code: str,
    formats: tuple[str, ...] | list[str] | str,
    by: Person,
    unit_ids: list[int] | None = None,
) -> list[Unit]:
    """The units a batch would cover (the chosen children, or all of them); raises when it
    may not run."""
    from cchc.reports.sources import children_in

    require(by, "view", parent)
    if not (can(by, "edit", parent) or can(by, "administer", parent)):
        raise PermissionDenied("Chỉ cán bộ của đơn vị cấp trên được tạo báo cáo hàng loạt.")
    spec = kinds.kind_for(kind)
    if spec.code not in BATCH_KINDS:
        raise ValidationError(ERR_BATCH_KIND)
    try:
        period = parse_period(period_code)
    except PeriodError as error:
        raise ValidationError(str(error)) from None
    kinds.check_period_kind(spec, period.kind, period.code)
    for fmt in (formats,) if isinstance(formats, str) else formats:
        if fmt not in generate.FORMATS:
            raise ValidationError(generate.ERR_FORMAT.format(fmt=fmt))
    if not formats:
        raise ValidationError(ERR_NO_FORMATS)
    units = children_in(parent, period)
    if unit_ids:
        wanted = set(unit_ids)
        strangers = wanted - {u.pk for u in units}
        if strangers:
            raise ValidationError(ERR_NOT_CHILDREN.format(parent=parent.name))
        units = [u for u in units if u.pk in wanted]
    if not units:
        raise ValidationError(ERR_NO_UNITS)
    return units


def batch_start(
    *,
    parent: Unit,
    kind: str,
    period_code: str,
    formats: tuple[str, ...] | list[str] | str = generate.FORMATS,
    by: Person,
    unit_ids: list[int] | None = None,
    chunk_size: int | None = None,
):
    """Create the batch job and queue one task per chunk of units (reports.batches); the
    page follows the job's progress bar, several workers share the chunks."""
    from cchc.reports import batches
    from cchc.reports.tasks import generate_chunk

    formats = (formats,) if isinstance(formats, str) else tuple(formats)
    units = batch_check(
        parent=parent,
        kind=kind,
        period_code=period_code,
        formats=formats,
        by=by,
        unit_ids=unit_ids,
    )
    job = batches.batch_create(
        parent=parent,
        kind=kind,
        period_code=period_code,
        formats=tuple(f for f in generate.FORMATS if f in formats),
        units=units,
        by=by,
        chunk_size=chunk_size or batches.CHUNK_SIZE,
    )
    # The database queue's rows are written in the caller's transaction, with the job: a
    # worker sees them together. (The immediate backend runs each chunk here and now.)
    for n in range(len(job.result["chunk_state"])):
        generate_chunk.enqueue(job.pk, n)
    job.refresh_from_db()
    return job
