"""Background work of the dossier app (django_tasks): the bulk import behind the upload page."""

from __future__ import annotations

import logging
from pathlib import Path

from django.urls import NoReverseMatch, reverse
from django_tasks import task

from cchc.core.jobs import Outcome, run_upload
from cchc.dossiers.imports import dossiers_import, procedures_import

logger = logging.getLogger(__name__)


def _next_url(unit_ids: list[int]) -> tuple[str, str]:
    """Where the job page sends the user: the statistics of the unit imported."""
    try:
        url = reverse("dossiers:stats")
    except NoReverseMatch:
        return "", ""
    if len(unit_ids) == 1:
        url += f"?unit={unit_ids[0]}"
    return url, "Xem thống kê hồ sơ"


@task()
def import_dossiers_task(
    job_id: int, filename: str | None = None, params: dict | None = None
) -> None:
    """Import the job's input file; the job ends done (with counts and the next page) or
    failed (with the report of every bad row: job.result["errors"]), by core.jobs.run_upload.

    filename: the name the user uploaded (the storage may have renamed the stored file);
    params: none used (core.jobs.start_upload passes the same three arguments to every task).
    """

    def work(job, handle) -> Outcome:
        name = filename or Path(job.input_file.name).name
        result = dossiers_import(source=handle, filename=name, by=job.created_by, job=job)
        url, label = _next_url(result.unit_ids)
        return Outcome(
            f"Đã nhập {result}.",
            url,
            label,
            {
                "import_id": result.import_id,
                "rows": result.rows,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "unit_ids": result.unit_ids[:1000],
            },
        )

    run_upload(job_id, work)


PROCEDURES_JOB_KIND = "procedures.import"


@task(queue_name="imports")
def import_procedures_task(job_id: int, filename: str, params: dict) -> None:
    """Import the job's file into the procedure catalogue, every row or none."""

    def work(job, handle) -> Outcome:
        result = procedures_import(source=handle, filename=filename, by=job.created_by)
        return Outcome(
            f"Đã nhập danh mục từ {filename}: {result}.",
            reverse("dossiers:procedures"),
            "Xem danh mục thủ tục",
        )

    run_upload(job_id, work)
