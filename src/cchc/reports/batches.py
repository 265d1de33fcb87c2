"""A batch of reports, one per unit, in both formats, shared by several task workers
(issue 18: 200 communes' quarterly reports in under two minutes, progress shown, a failed
unit named without stopping the others).

An upper unit chooses the units (or all its children); `batch_start` creates one core.Job
that carries the plan in ``job.result`` and queues one task per chunk of units
(`tasks.generate_chunk`). Any number of `cchc worker` processes take the chunks (the queue
hands each row to one worker: SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL) and each chunk
is claimed once more on the job row, so no unit is made twice.

Per unit: the document is built once, printed in each format, and stored (the report if
new, its files) in one transaction of its own; any exception is recorded with the unit's
name and the batch goes on. Every unit counts on the job row, locked for the update
(SELECT … FOR UPDATE on PostgreSQL; SQLite's immediate transactions take the write lock),
so the page reads "n / N" and the failures as they happen. The worker that counts the last
unit packs the ZIP and ends the job: "Xong" or "Xong, có lỗi".

The job belongs to no one process (host and pid stay empty): it is taken as dead only when
no unit has been counted for settings.JOB_LEASE_SECONDS (core/liveness.py).
"""

from __future__ import annotations

import io
import logging
import zipfile
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cchc.core.history import mark_change
from cchc.core.models import Job
from cchc.core.people import Person, author
from cchc.dossiers.periods import Period, parse_period
from cchc.reports import generate, kinds
from cchc.reports.builders.common import snapshot
from cchc.reports.models import Report, ReportFile
from cchc.reports.sources import draft_report
from cchc.units.models import Unit

logger = logging.getLogger(__name__)

KIND = "reports.batch"
# Units per queued task: small enough that two or more workers share a province's 200
# communes evenly, large enough that the queue rows stay few.
CHUNK_SIZE = 10

MSG_STARTED = "Đang chờ máy chạy nền nhận việc…"
MSG_PROGRESS = "Đã xử lý {done}/{total} đơn vị (mới nhất: {unit})."
MSG_PACKING = "Đã xử lý {total}/{total} đơn vị; đang đóng gói tệp ZIP…"
MSG_DONE = "Xong: {made} đơn vị, {files} tệp."
MSG_DONE_ERRORS = (
    "Xong, có lỗi: {failed}/{total} đơn vị không tạo được báo cáo (xem danh sách); "
    "{made} đơn vị đã có báo cáo, {files} tệp."
)
ERR_UNIT = "Lỗi khi tạo báo cáo ({kind}): {error}"
ERR_FILED_MISSING = "Không đọc được tệp báo cáo đã gửi cấp trên ({name}): tệp không còn trong kho."
ERR_UNIT_GONE = "Đơn vị (số {pk}) không còn trong hệ thống."
ERRORS_FILE = "LOI.txt"


@dataclass(frozen=True)
class Plan:
    """What a batch makes, as kept in job.result (JSON)."""

    parent: int
    kind: str
    period: str
    formats: tuple[str, ...]
    units: tuple[int, ...]
    user: int
    chunk_size: int = CHUNK_SIZE

    def chunk(self, n: int) -> tuple[int, ...]:
        return self.units[n * self.chunk_size : (n + 1) * self.chunk_size]

    @property
    def chunks(self) -> int:
        return -(-len(self.units) // self.chunk_size)

    @classmethod
    def of(cls, result: dict[str, Any]) -> Plan:
        return cls(
            parent=result["parent"],
            kind=result["kind"],
            period=result["period"],
            formats=tuple(result["formats"]),
            units=tuple(result["units"]),
            user=result["user"],
            chunk_size=result["chunk_size"],
        )


def batch_create(
    *,
    parent: Unit,
    kind: str,
    period_code: str,
    formats: tuple[str, ...],
    units: list[Unit],
    by: Person,
    chunk_size: int = CHUNK_SIZE,
) -> Job:
    """The job of a batch, its plan in job.result; nothing queued yet (services.batch_start)."""
    spec = kinds.kind_for(kind)
    plan = Plan(
        parent=parent.pk,
        kind=spec.code,
        period=period_code,
        formats=formats,
        units=tuple(u.pk for u in units),
        user=_author_pk(by),
        chunk_size=max(1, chunk_size),
    )
    return Job.objects.create(
        kind=KIND,
        title=f"{spec.label} {period_code}: {len(units)} đơn vị thuộc {parent}",
        total=len(units),
        message=MSG_STARTED,
        created_by=author(by),
        result={
            **plan.__dict__,
            "formats": list(formats),
            "units": list(plan.units),
            "chunk_state": ["queued"] * plan.chunks,
            "failures": [],
            "made": [],
        },
    )


def _claim_chunk(job_id: int, n: int) -> Plan | None:
    """The plan, with chunk n now running in this worker; None when the chunk was already
    taken (a queue row run twice) or the job has ended."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.finished:
            return None
        state = job.result["chunk_state"]
        if n >= len(state) or state[n] != "queued":
            return None
        state[n] = "running"
        job.status = Job.Status.RUNNING
        job.heartbeat_at = timezone.now()
        job.host, job.pid = "", None  # the job is no one process's (module docstring)
        job.save(update_fields=["status", "result", "heartbeat_at", "host", "pid"])
        return Plan.of(job.result)


def _author_pk(by: Person) -> int:
    user = author(by)
    assert user is not None  # a batch is asked for by someone signed in
    return user.pk


def _report_for(
    unit: Unit, spec: kinds.ReportKind, period: Period, user: Person | None
) -> tuple[Report, bool]:
    """The unit's report of the period, or a new draft (unsaved) with the unit's defaults."""
    existing = (
        Report.objects.filter(kind=spec.code, unit=unit, period_code=period.code, subject="")
        .select_related("unit", "cycle", "inspection")
        .first()
    )
    if existing is not None:
        return existing, False
    return draft_report(unit, spec, period, by=user), True


def make_unit(
    unit: Unit, spec: kinds.ReportKind, period: Period, formats, user: Person | None
) -> list[int]:
    """The unit's report in every format; the ids of its files. A report already filed
    with the level above is given as filed (never regenerated) in the formats filed; the
    others are generated from the stored data. Writes in one transaction."""
    report, new = _report_for(unit, spec, period, user)
    filed: dict[str, ReportFile] = {}
    if not new and report.is_submitted:
        filed = {f.format: f for f in report.files.filter(filed=True, format__in=formats)}
    for item in filed.values():
        stored = item.file.name or ""
        if not stored or not default_storage.exists(stored):
            raise FileNotFoundError(ERR_FILED_MISSING.format(name=stored or "?"))
    todo = [fmt for fmt in formats if fmt not in filed]
    printed: list[tuple[str, bytes]] = []
    doc = None
    if todo:
        doc = generate.document_for(report)  # one build for every format
        printed = [(fmt, generate.render(doc, fmt)) for fmt in todo]
    ids = [f.pk for f in filed.values()]
    with transaction.atomic():
        if new:
            mark_change(report, "Tạo khi lập báo cáo hàng loạt")
            report.save()
        figures = snapshot(doc) if doc is not None else None
        for fmt, data in printed:
            item = ReportFile(
                report=report,
                format=fmt,
                generated_by=author(user),
                checksum=generate.checksum(data),
                size=len(data),
                figures=figures,
            )
            item.file.save(
                generate.file_name(spec, unit, period.code, fmt), ContentFile(data), save=False
            )
            item.save()
            ids.append(item.pk)
    return ids


def unit_error(error: BaseException, spec: kinds.ReportKind) -> str:
    """What the job page says of a unit that failed: the error's own Vietnamese message
    (a missing source, a lost filed file), or its kind and text for anything unexpected."""
    from cchc.reports.sources import SourceError

    if isinstance(error, (SourceError, FileNotFoundError)):
        return str(error)
    return ERR_UNIT.format(kind=spec.label, error=f"{type(error).__name__}: {error}")


def _count(job_id: int, n: int, last: bool, unit_name: str, made, failure) -> bool:
    """Count one unit on the locked job row; True when it was the batch's last unit."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        result = job.result
        if failure is not None:
            result["failures"].append(failure)
        else:
            result["made"].append(made)
        if last:
            result["chunk_state"][n] = "done"
        job.done += 1
        complete = all(state == "done" for state in result["chunk_state"])
        job.message = (
            MSG_PACKING.format(total=job.total)
            if complete
            else MSG_PROGRESS.format(done=job.done, total=job.total, unit=unit_name)
        )
        job.heartbeat_at = timezone.now()
        job.save(update_fields=["done", "result", "message", "heartbeat_at"])
        return complete


def run_chunk(job_id: int, n: int) -> None:
    """The task's work: chunk n of the job's units, each in its own transaction."""
    plan = _claim_chunk(job_id, n)
    if plan is None:
        logger.warning("Batch %s chunk %s is no longer queued; not run again.", job_id, n)
        return
    user = get_user_model().objects.filter(pk=plan.user).first()
    spec = kinds.kind_for(plan.kind)
    period = parse_period(plan.period)
    ids = plan.chunk(n)
    units = Unit.objects.in_bulk(ids)
    complete = False
    for position, pk in enumerate(ids):
        unit = units.get(pk)
        made = failure = None
        name = unit.name if unit is not None else f"#{pk}"
        try:
            if unit is None:
                raise LookupError(ERR_UNIT_GONE.format(pk=pk))
            made = {
                "unit": pk,
                "name": name,
                "files": make_unit(unit, spec, period, plan.formats, user),
            }
        except Exception as error:  # one unit's failure never stops the batch
            logger.warning("Batch %s: %s failed: %r", job_id, name, error)
            message = str(error) if isinstance(error, LookupError) else unit_error(error, spec)
            failure = {"unit": pk, "name": name, "message": message}
        complete = _count(job_id, n, position == len(ids) - 1, name, made, failure)
    if complete:
        finish(job_id)


def finish(job_id: int) -> None:
    """Pack every file made (and the list of failures) in one ZIP and end the job."""
    job = Job.objects.get(pk=job_id)
    plan = Plan.of(job.result)
    made = job.result["made"]
    failures = job.result["failures"]
    try:
        ids = [pk for entry in made for pk in entry["files"]]
        files = ReportFile.objects.filter(pk__in=ids).order_by("pk")
        buf = io.BytesIO()
        count = 0
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
            for item in files:
                with item.file.open("rb") as handle:
                    archive.writestr((item.file.name or "").rsplit("/", 1)[-1], handle.read())
                count += 1
            if failures:
                lines = [f"{f['name']}: {f['message']}" for f in failures]
                archive.writestr(ERRORS_FILE, "\n".join(lines) + "\n")
        parent = Unit.objects.get(pk=plan.parent)
        spec = kinds.kind_for(plan.kind)
        zip_name = generate.file_name(spec, parent, plan.period, "zip")
        stored = default_storage.save(
            f"reports/batches/{job.pk}/{zip_name}", ContentFile(buf.getvalue())
        )
    except Exception as error:  # the page must stop waiting and say why
        job.finish(result=job.result, message=f"Lỗi khi đóng gói tệp ZIP: {error}", failed=True)
        raise
    template = MSG_DONE_ERRORS if failures else MSG_DONE
    job.finish(
        result={
            **job.result,
            "next_url": reverse("reports:batch-download", args=[job.pk]),
            "next_label": "Tải tệp ZIP",
            "count": len(made),
            "files": count,
            "errors": [f"{f['name']}: {f['message']}" for f in failures],
            "zip": stored,
        },
        message=template.format(made=len(made), files=count, failed=len(failures), total=job.total),
    )
