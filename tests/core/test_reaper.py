"""Work killed mid-way is marked failed (issue 13: killed imports and jobs stayed "running"
forever). A real process is started and killed with SIGKILL; its pid is what the records
carry."""

from __future__ import annotations

import datetime as dt
import io
import os
import signal
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.utils import timezone

from cchc.core.liveness import HOST, is_dead
from cchc.core.models import Job
from cchc.core.reaper import reap_dead_work
from cchc.dossiers.imports import dossiers_import
from cchc.dossiers.models import DossierImport
from tests.dossiers.conftest import procedures  # noqa: F401 (fixture)

NOW = dt.datetime(2025, 6, 1, 9, 0, tzinfo=dt.UTC)
LEASE = dt.timedelta(minutes=15)


@pytest.fixture
def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    return process.pid


def test_rules_this_host_asks_the_pid(dead_pid):
    assert is_dead(host=HOST, pid=dead_pid, heartbeat_at=NOW, now=NOW, lease=LEASE)
    assert not is_dead(host=HOST, pid=os.getpid(), heartbeat_at=NOW - 10 * LEASE, now=NOW,
                       lease=LEASE)  # fmt: skip


def test_rules_another_host_by_the_lease():
    stale = NOW - LEASE - dt.timedelta(seconds=1)
    assert is_dead(host="other", pid=1234, heartbeat_at=stale, now=NOW, lease=LEASE)
    assert not is_dead(host="other", pid=1234, heartbeat_at=NOW - LEASE, now=NOW, lease=LEASE)


def test_rules_queued_work_is_waiting_not_dead():
    assert not is_dead(host="", pid=None, heartbeat_at=None, now=NOW, lease=LEASE)


def _running_job(user, pid: int) -> Job:
    return Job.objects.create(
        kind="dossiers.import", title="Nhập hồ sơ từ tệp a.csv", created_by=user,
        status=Job.Status.RUNNING, host=HOST, pid=pid, heartbeat_at=timezone.now(),
    )  # fmt: skip


def _running_import(user, pid: int, job=None) -> DossierImport:
    return DossierImport.objects.create(
        filename="a.csv", by=user, job=job, host=HOST, pid=pid, heartbeat_at=timezone.now()
    )


@pytest.mark.django_db
def test_the_job_page_says_its_process_died(cast, client_for, dead_pid):
    job = _running_job(cast.officer, dead_pid)
    record = _running_import(cast.officer, dead_pid, job)
    response = client_for(cast.officer).get(f"/jobs/{job.pk}/")
    assert response.status_code == 200
    job.refresh_from_db()
    record.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "Tiến trình đã dừng giữa chừng" in job.message
    assert "Tiến trình đã dừng giữa chừng" in response.content.decode()
    assert record.status == DossierImport.ImportStatus.FAILED


@pytest.mark.django_db
def test_the_api_status_says_its_process_died(cast, client_for, dead_pid):
    job = _running_job(cast.officer, dead_pid)
    body = client_for(cast.officer).get(f"/api/dossiers/jobs/{job.pk}").json()
    assert body["status"] == "failed"
    assert "Tiến trình đã dừng giữa chừng" in body["message"]


@pytest.mark.django_db
def test_a_live_job_is_left_running(cast, client_for):
    job = _running_job(cast.officer, os.getpid())
    client_for(cast.officer).get(f"/jobs/{job.pk}/")
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING


@pytest.mark.django_db
def test_the_next_import_marks_a_killed_import_failed(cast, procedures, dead_pid):  # noqa: F811
    killed = _running_import(cast.administrator, dead_pid)
    data = (
        "code,unit,procedure,received_at,channel\nA-1,local-DONGTAM,1.001193,2024-03-04,truc_tiep\n"
    )
    dossiers_import(source=io.BytesIO(data.encode()), filename="b.csv", by=cast.administrator)
    killed.refresh_from_db()
    assert killed.status == DossierImport.ImportStatus.FAILED
    assert "Tiến trình đã dừng giữa chừng" in killed.errors[0]["message"]
    assert killed.finished_at is not None


@pytest.mark.django_db
def test_the_worker_marks_dead_work_when_it_starts(cast, dead_pid):
    job = _running_job(cast.officer, dead_pid)
    record = _running_import(cast.officer, dead_pid)
    queued = Job.objects.create(kind="x", title="chờ", created_by=cast.officer)
    out = io.StringIO()
    call_command("worker", "--check-only", stdout=out)
    assert "2 việc" in out.getvalue()
    job.refresh_from_db()
    record.refresh_from_db()
    queued.refresh_from_db()
    assert (job.status, record.status) == (Job.Status.FAILED, DossierImport.ImportStatus.FAILED)
    assert queued.status == Job.Status.QUEUED
    assert reap_dead_work() == 0  # once only
