"""Background work of the units app: the unit catalogue import behind the upload page."""

from __future__ import annotations

from django.urls import reverse
from django_tasks import task

from cchc.core.jobs import Outcome, run_upload
from cchc.units import services

JOB_KIND = "units.import"


@task(queue_name="imports")
def import_units_task(job_id: int, filename: str, params: dict) -> None:
    """Import the job's file into the unit catalogue, every row or none (units_import)."""

    def work(job, handle) -> Outcome:
        count = services.units_import(source=handle, filename=filename, by=job.created_by)
        return Outcome(
            f"Đã nhập {count} đơn vị từ {filename}.",
            reverse("unit-list"),
            "Xem danh mục đơn vị",
            {"units": count},
        )

    run_upload(job_id, work)
