"""A batch of reports shared by real task workers (issue 18): progress n / N on the job,
a failed unit named with its message while the others are made, both formats, the ZIP;
each chunk made once. Two real `cchc worker --batch` processes, on SQLite (the test
database copied to a file) and PostgreSQL."""

from __future__ import annotations

import io
import subprocess
import time
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse

from cchc.core.models import Job
from cchc.reports import batches, services
from cchc.reports.models import Report, ReportFile
from cchc.units.models import Unit, UnitKind
from tests.core.test_workers import DATABASE_QUEUE, _database_url, _reading, start_workers

UNITS = 5
PERIOD = "2023-Q1"


def _communes(cast) -> list[Unit]:
    """The cast's two communes and three more under the district (reports of no dossiers
    are reports all the same: the figures say 0)."""
    more = [
        Unit.objects.create(
            scheme="local",
            code=f"XA{n}",
            name=f"Xã Thử {n}",
            kind=UnitKind.COMMUNE,
            parent=cast.district,
        )
        for n in range(1, UNITS - 1)
    ]
    return [cast.dong_tam, cast.thanh_xa, *more]


def _lose_the_filed_file(cast) -> Report:
    """Đồng Tâm's report was filed with the district, then its PDF vanished from the
    storage (a restored backup without the media): the batch cannot give it as filed."""
    report = services.report_open(
        unit=cast.dong_tam, kind="unit_quarterly", period_code=PERIOD, by=cast.officer
    )
    report = services.report_submit(report=report, by=cast.head)
    filed = report.files.get(filed=True)
    default_storage.delete(filed.file.name)
    return report


def _check_outcome(job: Job, cast, zip_bytes: bytes) -> None:
    assert job.status == Job.Status.DONE, job.message
    assert job.done == job.total == UNITS
    assert job.message.startswith("Xong, có lỗi: 1/5 đơn vị"), job.message
    [failure] = job.result["failures"]
    assert failure["name"] == "Xã Đồng Tâm"
    assert "Không đọc được tệp báo cáo đã gửi cấp trên" in failure["message"]
    made = {entry["name"] for entry in job.result["made"]}
    assert made == {"Xã Thanh Xá", "Xã Thử 1", "Xã Thử 2", "Xã Thử 3"}
    # every chunk ran once: each unit counted once
    assert sorted(e["unit"] for e in job.result["made"]) == sorted(
        u.pk for u in Unit.objects.filter(parent=cast.district).exclude(pk=cast.dong_tam.pk)
    )
    archive = zipfile.ZipFile(io.BytesIO(zip_bytes))
    names = sorted(archive.namelist())
    assert len([n for n in names if n.endswith(".docx")]) == 4
    assert len([n for n in names if n.endswith(".pdf")]) == 4
    assert "xa-dong-tam" not in " ".join(n for n in names if n != batches.ERRORS_FILE)
    assert "Xã Đồng Tâm: Không đọc được" in archive.read(batches.ERRORS_FILE).decode()
    assert all(archive.read(n)[:4] == b"%PDF" for n in names if n.endswith(".pdf"))
    assert all(archive.read(n)[:2] == b"PK" for n in names if n.endswith(".docx"))


@pytest.mark.django_db
def test_batch_in_process_names_the_failure_and_makes_the_rest(cast, client_for, dossiers_q1):
    """With the immediate backend (one process), through the page: chunks of 2 units."""
    _communes(cast)
    _lose_the_filed_file(cast)
    client = client_for(cast.administrator)
    url = reverse("reports:batch", args=[cast.district.pk])
    page = client.get(url).content.decode()
    assert "Xã Thử 3" in page  # the units can be chosen
    job = services.batch_start(
        parent=cast.district, kind="unit_quarterly", period_code=PERIOD, by=cast.administrator,
        chunk_size=2,
    )  # fmt: skip
    job.refresh_from_db()
    assert job.result["chunk_state"] == ["done", "done", "done"]
    download = client.get(reverse("reports:batch-download", args=[job.pk]))
    _check_outcome(job, cast, b"".join(download.streaming_content))
    # the job page lists the failure by name; the API says the same
    html = client.get(reverse("job-detail", args=[job.pk])).content.decode()
    assert "Xong, có lỗi" in html and "Xã Đồng Tâm" in html and 'data-testid="job-failures"' in html
    api = client.get(f"/api/jobs/{job.pk}").json()
    assert api["done"] == api["total"] == UNITS
    assert api["result"]["failures"][0]["name"] == "Xã Đồng Tâm"
    # two files (DOCX, PDF) for each of the four units made, each report stored once
    assert ReportFile.objects.filter(filed=False).count() == 8


@pytest.mark.django_db
def test_chosen_units_only_and_a_chunk_is_never_run_twice(cast, dossiers_q1):
    job = services.batch_start(
        parent=cast.district, kind="unit_quarterly", period_code=PERIOD, formats=("pdf",),
        unit_ids=[cast.thanh_xa.pk], by=cast.administrator,
    )  # fmt: skip
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == (Job.Status.DONE, 1, 1)
    assert job.message.startswith("Xong: 1 đơn vị, 1 tệp")
    batches.run_chunk(job.pk, 0)  # the queue row run again: nothing happens
    assert ReportFile.objects.count() == 1


@pytest.mark.django_db
def test_a_unit_outside_the_parent_is_refused(cast):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="Chỉ chọn được các đơn vị trực thuộc"):
        services.batch_start(
            parent=cast.district, kind="unit_quarterly", period_code=PERIOD,
            unit_ids=[cast.department.pk], by=cast.administrator,
        )  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_two_real_workers_share_the_batch(cast, dossiers_q1, tmp_path, settings):
    from django.conf import settings as live
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE_QUEUE
    _communes(cast)
    _lose_the_filed_file(cast)
    with transaction.atomic():
        job = services.batch_start(
            parent=cast.district, kind="unit_quarterly", period_code=PERIOD,
            by=cast.administrator, chunk_size=1,
        )  # fmt: skip
    assert job.status == Job.Status.QUEUED and job.done == 0 and job.total == UNITS
    database_url = _database_url(tmp_path)
    workers = start_workers(database_url, live.MEDIA_ROOT, "bao-cao", 2)
    seen: set[int] = set()
    deadline = time.monotonic() + 240
    with _reading(database_url):
        while any(w.poll() is None for w in workers) and time.monotonic() < deadline:
            seen.add(Job.objects.get(pk=job.pk).done)  # the page's progress, as it moves
            time.sleep(0.2)
        for worker in workers:
            try:
                out, _ = worker.communicate(timeout=max(1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                for other in workers:
                    other.kill()
                pytest.fail("the workers did not finish the batch within 240 s")
            assert worker.returncode == 0, out
        job = Job.objects.get(pk=job.pk)
        assert seen - {0, UNITS}, seen  # progress was seen between 0 and N
        rows = list(DBTaskResult.objects.values_list("status", "worker_ids"))
        assert len(rows) == UNITS and {s for s, _ in rows} == {"SUCCESSFUL"}, rows
        assert all(len(ids) == 1 for _, ids in rows)  # each chunk by one worker
        with default_storage.open(job.result["zip"], "rb") as handle:
            _check_outcome(job, cast, handle.read())
        assert ReportFile.objects.filter(filed=False).count() == 8
