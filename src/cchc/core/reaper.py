"""Work whose process died is marked failed, never left "running" (issue 13: killed imports
and jobs stayed "running" forever on both databases).

Called where dead work would be seen or would matter: when `cchc worker` starts, when a
job's page or API status is read, and when the next dossier import starts. Each record is
claimed with a conditional UPDATE (status still running), so two callers never both write.

The shell reaps its jobs; an app whose own records run under a process registers a reaper
in its AppConfig.ready() (the dossier imports: cchc.dossiers.reaper), called for a job
found dead and for every sweep.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from cchc.core.liveness import is_dead
from cchc.core.models import Job

ERR_DIED = "Tiến trình đã dừng giữa chừng (máy {host}, tiến trình {pid}); hãy chạy lại."


@dataclass(frozen=True)
class Reaper:
    """An app's dead work: `of_job(job, now)` fails its records run by that (dead) job;
    `sweep(now)` fails every record of its whose process is gone and says how many."""

    of_job: Callable[[Job, dt.datetime], object]
    sweep: Callable[[dt.datetime], int]


_REAPERS: dict[str, Reaper] = {}


def register_reaper(name: str, reaper: Reaper) -> None:
    """Called from an app's AppConfig.ready(); registering the same name again replaces it."""
    _REAPERS[name] = reaper


def lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.JOB_LEASE_SECONDS)


def is_dead_row(row, now: dt.datetime) -> bool:
    """A record carrying host, pid and heartbeat_at whose process is gone."""
    return is_dead(
        host=row.host, pid=row.pid, heartbeat_at=row.heartbeat_at, now=now, lease=lease()
    )


def reap_job(job: Job) -> bool:
    """Mark this job failed if its process is gone; True when it was."""
    now = timezone.now()
    if job.finished or not is_dead_row(job, now):
        return False
    message = ERR_DIED.format(host=job.host or "?", pid=job.pid or "?")
    claimed = Job.objects.filter(
        pk=job.pk, status__in=[Job.Status.QUEUED, Job.Status.RUNNING]
    ).update(status=Job.Status.FAILED, message=message, finished_at=now)
    if claimed:
        for reaper in _REAPERS.values():
            reaper.of_job(job, now)
        job.refresh_from_db()
    return bool(claimed)


def reap_dead_work() -> int:
    """Every job, and every record of the apps' reapers, whose process is gone, marked
    failed; how many."""
    now = timezone.now()
    count = 0
    for job in Job.objects.filter(status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).exclude(
        pid=None, heartbeat_at=None
    ):
        count += reap_job(job)
    for reaper in _REAPERS.values():
        count += reaper.sweep(now)
    return count
