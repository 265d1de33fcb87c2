"""Every upload job has a time limit, kept in one place: core.jobs.run_upload (issue 13: a
4.8 KB file held a worker for 300 s, and only the dossier import had a limit).

Real jobs in the real database, run by run_upload as a task would; the work functions are
slow on purpose. Past the limit the work is stopped wherever it is, its transaction rolls
back, and the job ends failed naming the limit."""

from __future__ import annotations

import threading
import time

import pytest
from django.core.files.base import ContentFile
from django.db import connection, transaction

from cchc.core.jobs import Outcome, run_upload
from cchc.core.models import Job
from cchc.dossiers.models import Dossier, DossierImport
from cchc.dossiers.tasks import import_dossiers_task
from cchc.units.models import Unit, UnitKind
from tests.dossiers.conftest import procedures  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)

STEP = 0.05  # seconds a slow work sleeps between two steps


def _job(by, kind: str = "test.slow", data: bytes = b"x\n", name: str = "a.csv") -> Job:
    return Job.objects.create(
        kind=kind, title="Việc chậm", created_by=by, input_file=ContentFile(data, name=name)
    )


def _slow_write(steps: list[int], swallow: bool = False):
    """Writes a unit, then works on for 10 s (200 steps) inside the same transaction."""

    def work(job, handle) -> Outcome:
        with transaction.atomic():
            Unit.objects.create(scheme="local", code="CHAM", name="Xã Chậm", kind=UnitKind.COMMUNE)
            for step in range(200):
                steps.append(step)
                try:
                    time.sleep(STEP)
                except Exception:  # noqa: BLE001 (a work that swallows errors is still stopped)
                    if not swallow:
                        raise
        return Outcome("Xong.")

    return work


@pytest.mark.parametrize("swallow", [False, True], ids=["plain", "swallows-exceptions"])
def test_a_job_past_its_time_limit_is_stopped_and_ends_failed_naming_the_limit(
    cast, settings, swallow
):
    settings.JOB_TIME_LIMIT_SECONDS = 0.5
    job = _job(cast.officer)
    steps: list[int] = []
    started = time.monotonic()
    run_upload(job.pk, _slow_write(steps, swallow=swallow))
    elapsed = time.monotonic() - started
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "Quá thời gian cho phép (0,5 giây)" in job.message
    assert job.result["errors"] == [{"message": job.message}]
    assert job.finished_at is not None
    # stopped soon after the limit, not after the 10 s the work wanted
    assert elapsed < 3, elapsed
    assert len(steps) < 100, len(steps)
    # its transaction rolled back: nothing written
    assert not Unit.objects.filter(code="CHAM").exists()


# One statement that runs for minutes unless cut off: PostgreSQL sleeps 30 s; SQLite counts
# to 10^9 in a recursive CTE.
LONG_STATEMENT = {
    "postgresql": "SELECT pg_sleep(30)",
    "sqlite": (
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000) "
        "SELECT count(*) FROM c"
    ),
}


def _write_then_long_statement(work_done: list[str]):
    """Writes a unit, then runs one long statement in the same transaction: the thread
    waits inside the database's C code, where an async exception is not seen."""

    def work(job, handle) -> Outcome:
        with transaction.atomic():
            Unit.objects.create(
                scheme="local", code="TRUOC", name="Xã Trước", kind=UnitKind.COMMUNE
            )
            with connection.cursor() as cursor:
                cursor.execute(LONG_STATEMENT[connection.vendor])
            work_done.append("the statement returned")
        return Outcome("Xong.")

    return work


def test_a_long_statement_is_cut_off_at_the_limit_and_the_connection_still_works(cast, settings):
    settings.JOB_TIME_LIMIT_SECONDS = 1
    job = _job(cast.officer)
    work_done: list[str] = []
    started = time.monotonic()
    run_upload(job.pk, _write_then_long_statement(work_done))
    elapsed = time.monotonic() - started
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "Quá thời gian cho phép (1 giây)" in job.message
    assert job.result["errors"] == [{"message": job.message}]
    assert elapsed < 5, elapsed  # not the 30 s (or minutes) the statement wanted
    assert work_done == []
    # the write before the statement rolled back with its transaction
    assert not Unit.objects.filter(code="TRUOC").exists()
    # and the connection serves the next query
    assert Unit.objects.filter(pk=cast.dong_tam.pk).exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone()[0] == 1


def test_a_job_within_its_limit_is_done_and_nothing_stops_the_thread_later(cast, settings):
    settings.JOB_TIME_LIMIT_SECONDS = 0.3

    def quick(job, handle) -> Outcome:
        Unit.objects.create(scheme="local", code="NHANH", name="Xã Nhanh", kind=UnitKind.COMMUNE)
        return Outcome("Xong.")

    job = _job(cast.officer)
    run_upload(job.pk, quick)
    # past the limit: the watchdog was called off, nothing is raised in this thread now
    for _ in range(10):
        time.sleep(STEP)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert Unit.objects.filter(code="NHANH").exists()


def test_the_limit_holds_in_a_task_thread_too(cast, settings):
    """The development server runs tasks in threads of its own (core.tasks_backend)."""
    settings.JOB_TIME_LIMIT_SECONDS = 0.5
    job = _job(cast.officer)
    steps: list[int] = []
    thread = threading.Thread(target=run_upload, args=(job.pk, _slow_write(steps)))
    thread.start()
    thread.join(timeout=8)
    assert not thread.is_alive()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "0,5 giây" in job.message
    assert len(steps) < 100


def test_a_dossier_import_past_the_limit_fails_its_job_and_its_import_record(
    cast,
    procedures,  # noqa: F811
    settings,
    monkeypatch,
):
    """The dossier import has no limit of its own any more: the job's. Its import record,
    whose process lives on (the reaper would never mark it), ends failed too."""
    from cchc.dossiers.imports import running

    settings.JOB_TIME_LIMIT_SECONDS = 0.3
    read = running._read

    def slow_read(*args, **kwargs):
        for _ in range(40):  # 2 s
            time.sleep(STEP)
        return read(*args, **kwargs)

    monkeypatch.setattr(running, "_read", slow_read)
    data = (
        "code,unit,procedure,received_at,channel\nA-1,local-DONGTAM,1.001193,2024-03-04,truc_tiep\n"
    )
    job = _job(cast.administrator, kind="dossiers.import", data=data.encode())
    import_dossiers_task.enqueue(job.pk, "a.csv")  # the immediate backend runs it now
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "Quá thời gian cho phép (0,3 giây)" in job.message
    record = DossierImport.objects.get(job=job)
    assert record.status == DossierImport.ImportStatus.FAILED
    assert "0,3 giây" in record.errors[0]["message"]
    assert not Dossier.objects.exists()


def test_a_dossier_import_checks_the_limit_between_batches(
    cast,
    procedures,  # noqa: F811
    settings,
):
    """Limit 0: the import's own check (job.check_time) stops it at its first batch."""
    settings.JOB_TIME_LIMIT_SECONDS = 0
    data = (
        "code,unit,procedure,received_at,channel\nA-1,local-DONGTAM,1.001193,2024-03-04,truc_tiep\n"
    )
    job = _job(cast.administrator, kind="dossiers.import", data=data.encode())
    import_dossiers_task.enqueue(job.pk, "a.csv")
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "Quá thời gian cho phép (0 giây)" in job.message
    assert not Dossier.objects.exists()
    assert not DossierImport.objects.filter(status=DossierImport.ImportStatus.RUNNING).exists()
