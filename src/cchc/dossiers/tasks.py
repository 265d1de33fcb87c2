"""Background work of the dossier app (django_tasks): the bulk import behind the upload page."""

from __future__ import annotations

import logging
from pathlib import Path

from django.urls import NoReverseMatch, reverse
from django_tasks import task

from cchc.core.models import Job
from cchc.core.tabular import TableErrors
from cchc.dossiers.imports import dossiers_import

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
def import_dossiers_task(job_id: int, filename: str | None = None) -> None:
    """Import the job's input file; the job ends done (with counts and the next page) or
    failed (with the report of every bad row: job.result["errors"]).

    filename: the name the user uploaded (the storage may have renamed the stored file).
    """
    job = Job.claim(job_id)
    if job is None:  # another worker has it, or it already ended: never imported twice
        logger.warning("Job %s is no longer queued; not run again.", job_id)
        return
    name = filename or Path(job.input_file.name).name
    job.progress(0, 100, "Đang đọc tệp…")
    try:
        with job.input_file.open("rb") as handle:
            result = dossiers_import(source=handle, filename=name, by=job.created_by, job=job)
    except TableErrors as error:
        job.finish(
            result={"errors": error.as_json()["errors"][:1000], "report": str(error)},
            message=str(error),
            failed=True,
        )
        return
    except Exception as error:
        # An unexpected failure still ends the job (the page stops waiting); the error goes
        # on to the task backend's log.
        job.finish(message=f"Lỗi hệ thống khi nhập: {type(error).__name__}.", failed=True)
        raise
    url, label = _next_url(result.unit_ids)
    job.finish(
        result={
            "next_url": url,
            "next_label": label,
            "import_id": result.import_id,
            "rows": result.rows,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "unit_ids": result.unit_ids[:1000],
        },
        message=f"Đã nhập {result}.",
    )
