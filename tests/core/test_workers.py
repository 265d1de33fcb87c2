"""Several task workers side by side never do a job twice (issue 18).

The queue hands a row to one worker (django-tasks-db: SELECT … FOR UPDATE SKIP LOCKED on
PostgreSQL, an exclusive transaction on SQLite), and a job is claimed once more by its own
row (`Job.claim`: an UPDATE … WHERE status = 'queued'), so a task enqueued twice still
imports once.

Three real `cchc worker` processes share one queue. SQLite: the test database is in
memory, so it is copied to a FILE that the workers open, as production's would be."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.db import connection, connections, transaction

from cchc.core.models import Job
from cchc.dossiers.models import Dossier, DossierImport, Procedure
from cchc.dossiers.tasks import import_dossiers_task

JOBS = 15
WORKERS = 3
HEADER = "code,unit,procedure,channel,received_at,due_at,finished_at,intake_digitized,result_digitized,paid_online\n"
DATABASE_QUEUE = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "imports", "reports"],
    }
}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _procedure() -> Procedure:
    return Procedure.objects.create(
        code="1.001193", name="Đăng ký khai sinh", field="Hộ tịch", level="commune",
        processing_days=1, fee=Decimal("0"),
    )  # fmt: skip


def _import_job(unit, n: int, by) -> Job:
    row = f"W-{n:03d},local-{unit.code},1.001193,truc_tiep,2025-03-03,,2025-03-04,full,1,0\n"
    job = Job.objects.create(kind="dossiers.import", title=f"Tệp {n}", created_by=by)
    job.input_file.save(f"tep-{n:03d}.csv", ContentFile((HEADER + row).encode()))
    return job


@pytest.mark.django_db
def test_a_job_enqueued_twice_is_imported_once(cast, media):
    """The old task took the job by its id and ran it again: two imports of one file."""
    _procedure()
    job = _import_job(cast.dong_tam, 1, cast.officer)
    import_dossiers_task.enqueue(job.pk, "tep-001.csv")  # immediate backend: runs now
    import_dossiers_task.enqueue(job.pk, "tep-001.csv")
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert DossierImport.objects.filter(job=job).count() == 1
    assert Dossier.objects.filter(code="W-001").count() == 1


@pytest.mark.django_db
def test_a_claimed_job_is_not_claimed_again(cast):
    job = Job.objects.create(kind="dossiers.import", title="Tệp", created_by=cast.officer)
    first = Job.claim(job.pk)
    assert first is not None and first.status == Job.Status.RUNNING and first.pid == os.getpid()
    assert Job.claim(job.pk) is None
    first.finish(message="xong")
    assert Job.claim(job.pk) is None  # an ended job never runs again


def _database_url(tmp_path) -> str:
    """Where the worker processes find the committed test database."""
    if connection.vendor == "sqlite":
        path = tmp_path / "queue.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.execute("PRAGMA journal_mode=WAL")
        target.close()
        return f"sqlite:///{path}"
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@contextmanager
def _reading(database_url: str):
    """This block's queries read where the workers wrote (the file on SQLite)."""
    if not database_url.startswith("sqlite"):
        yield
        return
    saved = connections["default"]
    wrapper_class = type(saved)
    settings = {**saved.settings_dict, "NAME": database_url.removeprefix("sqlite:///")}
    connections["default"] = wrapper_class(settings, "default")
    try:
        yield
    finally:
        connections["default"].close()
        connections["default"] = saved


def start_workers(database_url: str, media, prefix: str, count: int) -> list[subprocess.Popen]:
    """`count` real `cchc worker --batch` processes on the database's queue, ids prefix-n."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CCHC_TASKS": "database",
        "CCHC_MEDIA_ROOT": str(media),
        "DJANGO_SETTINGS_MODULE": "cchc.settings",
    }
    command = [
        sys.executable, "-m", "cchc.cli", "worker", "--batch", "--no-reload",
        "--no-startup-delay", "--interval", "0.05", "--worker-id",
    ]  # fmt: skip
    return [
        subprocess.Popen(
            [*command, f"{prefix}-{n}"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for n in range(count)
    ]


@pytest.mark.django_db(transaction=True)
def test_three_workers_side_by_side_do_every_job_exactly_once(cast, media, tmp_path, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE_QUEUE
    _procedure()
    with transaction.atomic():  # the whole queue appears at once
        jobs = [_import_job(cast.dong_tam, n, cast.officer) for n in range(JOBS)]
        for job in jobs:
            import_dossiers_task.enqueue(job.pk, f"tep-{jobs.index(job):03d}.csv")
    database_url = _database_url(tmp_path)
    workers = start_workers(database_url, media, "tho", WORKERS)
    deadline = time.monotonic() + 90
    outputs = []
    for worker in workers:
        try:
            out, _ = worker.communicate(timeout=max(1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            for other in workers:
                other.kill()
            pytest.fail("the workers did not empty the queue within 90 s")
        outputs.append(out)
        assert worker.returncode == 0, out

    with _reading(database_url):
        results = list(DBTaskResult.objects.values_list("status", "worker_ids"))
        assert len(results) == JOBS
        # every queue row was taken by exactly one worker, and succeeded
        assert all(len(ids) == 1 for _, ids in results), results
        assert {status for status, _ in results} == {"SUCCESSFUL"}, outputs
        statuses = dict(Job.objects.values_list("pk", "status"))
        assert statuses == {job.pk: Job.Status.DONE for job in jobs}
        # every file imported once: one import record per job, one dossier per file
        per_job = list(DossierImport.objects.values_list("job_id", flat=True))
        assert sorted(per_job) == sorted(job.pk for job in jobs)
        codes = sorted(Dossier.objects.values_list("code", flat=True))
        assert codes == [f"W-{n:03d}" for n in range(JOBS)]
