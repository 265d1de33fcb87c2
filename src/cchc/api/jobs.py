"""/api/jobs/{job_id}: the progress and result of a background job (an import sent through
the API answers 202 with this URL to poll). Only the person who started it sees it, like
its page (permissions.job_for); a job whose process died is said to have failed."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from cchc.core.bounds import Id
from cchc.core.job_api import JobOut, job_out
from cchc.core.reaper import reap_job
from cchc.units import permissions

router = Router(tags=["Công việc nền"])


def job_status(request: HttpRequest, job_id: int, kind: str | None = None) -> dict:
    job = permissions.job_for(request.user, job_id, kind=kind)
    reap_job(job)  # its process died: say so instead of "running" forever
    return job_out(job)


@router.get("/{job_id}", response=JobOut, url_name="job", summary="Tiến độ và kết quả")
def job(request: HttpRequest, job_id: Id):
    return job_status(request, job_id)
