"""Work whose process died is marked failed, never left "running" (issue 13: killed imports
and jobs stayed "running" forever on both databases).

Called where dead work would be seen or would matter: when `cchc worker` starts, when a
job's page or API status is read, and when the next dossier import starts. Each record is
claimed with a conditional UPDATE (status still running), so two callers never both write.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from cchc.core.liveness import is_dead
from cchc.core.models import Job

ERR_DIED = "Tiến trình đã dừng giữa chừng (máy {host}, tiến trình {pid}); hãy chạy lại."
ERR_IMPORT_DIED = (
    "Tiến trình đã dừng giữa chừng (máy {host}, tiến trình {pid}); không có hồ sơ nào được "
    "ghi (nhập tất cả hoặc không). Hãy nhập lại tệp."
)


def lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.JOB_LEASE_SECONDS)


def _dead(row, now: dt.datetime) -> bool:
    return is_dead(
        host=row.host, pid=row.pid, heartbeat_at=row.heartbeat_at, now=now, lease=lease()
    )


def _fail_import(record, now: dt.datetime) -> bool:
    from cchc.dossiers.models import DossierImport

    running = DossierImport.ImportStatus.RUNNING
    message = ERR_IMPORT_DIED.format(host=record.host or "?", pid=record.pid or "?")
    return bool(
        DossierImport.objects.filter(pk=record.pk, status=running).update(
            status=DossierImport.ImportStatus.FAILED,
            finished_at=now,
            errors=[{"row": None, "column": None, "message": message}],
        )
    )


def reap_job(job: Job) -> bool:
    """Mark this job failed if its process is gone; True when it was."""
    now = timezone.now()
    if job.finished or not _dead(job, now):
        return False
    message = ERR_DIED.format(host=job.host or "?", pid=job.pid or "?")
    claimed = Job.objects.filter(
        pk=job.pk, status__in=[Job.Status.QUEUED, Job.Status.RUNNING]
    ).update(status=Job.Status.FAILED, message=message, finished_at=now)
    if claimed:
        from cchc.dossiers.models import DossierImport

        for record in DossierImport.objects.filter(
            job=job, status=DossierImport.ImportStatus.RUNNING
        ):
            _fail_import(record, now)
        job.refresh_from_db()
    return bool(claimed)


def reap_dead_work() -> int:
    """Every job and dossier import whose process is gone, marked failed; how many."""
    from cchc.dossiers.models import DossierImport

    now = timezone.now()
    count = 0
    for job in Job.objects.filter(status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).exclude(
        pid=None, heartbeat_at=None
    ):
        count += reap_job(job)
    for record in DossierImport.objects.filter(status=DossierImport.ImportStatus.RUNNING):
        if _dead(record, now):
            count += _fail_import(record, now)
    return count
