"""Uploads become background jobs (issue 13: long work never runs inside a web request).

A page checks who may upload and what was sent, then `start_upload` stores the file in a
core.Job and queues the app's task; the page sends the person to the job's page, which
follows the progress and ends with the result or the named error. The task calls
`run_upload` with the import itself: the import stays all-or-nothing (its own
transaction), and a refused file ends the job failed with every named error.

Only the person who started a job sees it (`permissions.job_for`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile

from cchc.core.models import Job
from cchc.core.reading import TableErrors

logger = logging.getLogger(__name__)

READING = "Đang đọc tệp…"
ERR_SYSTEM = "Lỗi hệ thống khi nhập: {name}. Không có dữ liệu nào được nhập."
MAX_STORED_ERRORS = 1000


@dataclass
class Outcome:
    """What a finished upload job says: a sentence, where to go next, and figures."""

    message: str
    next_url: str = ""
    next_label: str = ""
    data: dict[str, Any] = field(default_factory=dict)


class JobRefused(Exception):
    """An expected refusal with a message meant for the person (nothing was written)."""


def error_text(error: BaseException) -> str:
    """The person-facing text of a refusal: Django's ValidationError as its messages, the
    others as they print themselves."""
    if isinstance(error, ValidationError):
        return "; ".join(error.messages)
    return str(error)


def start_upload(
    *,
    kind: str,
    title: str,
    by,
    task,
    upload=None,
    content: bytes | None = None,
    filename: str,
    params: dict[str, Any] | None = None,
) -> Job:
    """Store the uploaded file (or `content`) in a new job of `by` and queue `task` with
    (job id, file name as uploaded, params). `params` must be JSON: ids, strings, numbers."""
    stored = upload if upload is not None else ContentFile(content or b"", name=filename)
    job = Job.objects.create(kind=kind, title=title, created_by=by, input_file=stored)
    task.enqueue(job.pk, filename, params or {})
    return job


def run_upload(
    job_id: int,
    work: Callable[[Job, IO[bytes]], Outcome],
    *,
    refusals: tuple[type[BaseException], ...] = (),
) -> None:
    """Run `work(job, file)` for the job and end it done (with the outcome) or failed.

    A TableErrors ends the job with the report of every bad row (job.result["errors"]);
    a refusal in `refusals` (and ValidationError, PermissionDenied, JobRefused) with its
    message; anything else says "system error" and is raised on to the task backend's log.
    """
    job = Job.claim(job_id)
    if job is None:  # another worker has it, or it already ended: never run twice
        logger.warning("Job %s is no longer queued; not run again.", job_id)
        return
    job.progress(0, 100, READING)
    named = (JobRefused, ValidationError, PermissionDenied, *refusals)
    try:
        with job.input_file.open("rb") as handle:
            outcome = work(job, handle)
    except TableErrors as error:
        job.finish(
            result={
                "errors": error.as_json()["errors"][:MAX_STORED_ERRORS],
                "report": str(error),
            },
            message=str(error),
            failed=True,
        )
        return
    except named as error:
        text = error_text(error)
        job.finish(result={"errors": [{"message": text}]}, message=text, failed=True)
        return
    except Exception as error:
        # An unexpected failure still ends the job (the page stops waiting); the error goes
        # on to the task backend's log.
        job.finish(message=ERR_SYSTEM.format(name=type(error).__name__), failed=True)
        raise
    job.finish(
        result={"next_url": outcome.next_url, "next_label": outcome.next_label, **outcome.data},
        message=outcome.message,
    )
