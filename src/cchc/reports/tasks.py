"""Background work of the reports app: a batch of reports, one task per chunk of units, so
several `cchc worker` processes share it (cchc.reports.batches)."""

from __future__ import annotations

from django_tasks import task

from cchc.reports import batches


@task(queue_name="reports")
def generate_chunk(job_id: int, chunk: int) -> None:
    """Chunk `chunk` of the batch job: each unit's report in its own transaction, counted on
    the job; the worker that counts the last unit packs the ZIP and ends the job."""
    batches.run_chunk(job_id, chunk)
