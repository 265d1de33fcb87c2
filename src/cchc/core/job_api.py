"""What the API says about a background job, in one place (issue 13: an API import answers
at once and the work runs as a job).

Every API upload (dossiers, framework, feedback register, survey results) checks who may do
it and what was sent, stores the file in a job (core.jobs.start_upload) and answers 202 with
`job_accepted`: the job's id, its page and the URL to poll, `GET /api/jobs/{job_id}`
(cchc.api.jobs), which answers `job_out`. The job ends done with its result, or failed
with every named error in `result["errors"]`.
"""

from __future__ import annotations

from django.urls import reverse
from ninja import Schema
from ninja import Status as Reply

from cchc.core.models import Job


class JobOut(Schema):
    id: int
    kind: str
    title: str
    status: str
    done: int
    total: int
    percent: int
    message: str
    result: dict
    url: str


class JobAcceptedOut(Schema):
    job_id: int
    status: str
    job_url: str
    status_url: str


def job_out(job: Job) -> dict:
    return {
        "id": job.pk,
        "kind": job.kind,
        "title": job.title,
        "status": job.status,
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "message": job.message,
        "result": job.result or {},
        "url": reverse("job-detail", args=[job.pk]),
    }


def job_accepted(job: Job) -> Reply:
    """202: the work is queued (or, with the immediate backend, already ended)."""
    job.refresh_from_db()
    return Reply(
        202,
        {
            "job_id": job.pk,
            "status": job.status,
            "job_url": reverse("job-detail", args=[job.pk]),
            "status_url": reverse("api:job", args=[job.pk]),
        },
    )
