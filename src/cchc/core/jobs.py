"""Uploads become background jobs (issue 13: long work never runs inside a web request).

A page checks who may upload and what was sent, then `start_upload` stores the file in a
core.Job and queues the app's task; the page sends the person to the job's page, which
follows the progress and ends with the result or the named error. The task calls
`run_upload` with the import itself: the import stays all-or-nothing (its own
transaction), and a refused file ends the job failed with every named error.

Only the person who started a job sees it (`job_for`, answered from units.permissions too).

Every job run by `run_upload` has a time limit, `settings.JOB_TIME_LIMIT_SECONDS` (issue
13: a 4.8 KB file held a worker for 300 s): past it the work is stopped wherever it is and
the job ends failed, naming the limit. See `time_limit`.
"""

from __future__ import annotations

import ctypes
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import connections
from django.http import Http404

from cchc.core.formatting import vn_number
from cchc.core.models import Job, TimeLimitExceeded
from cchc.core.people import Person, author
from cchc.core.reading import TableErrors

logger = logging.getLogger(__name__)

READING = "Đang đọc tệp…"
ERR_SYSTEM = "Lỗi hệ thống khi nhập: {name}. Không có dữ liệu nào được nhập."
ERR_TIME_LIMIT = (
    "Quá thời gian cho phép ({seconds} giây): công việc đã bị dừng, không có dữ liệu nào "
    "được ghi. Hãy chia tệp nhỏ hơn, hoặc nhờ quản trị viên nhập bằng dòng lệnh."
)
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


NOT_YOUR_JOB = "Không tìm thấy công việc này, hoặc đây không phải công việc của bạn."


def job_for(user: Person | None, pk: int | str, kind: str | None = None):
    """A background job (an import, a batch of reports) is seen by whoever started it and by
    the platform's operators; for anybody else it does not exist (404, like any object
    they may not see)."""
    try:
        jobs = Job.objects.filter(pk=int(pk))
    except (ValueError, TypeError):
        raise Http404(NOT_YOUR_JOB) from None
    if kind is not None:
        jobs = jobs.filter(kind=kind)
    job = jobs.first()
    if job is None or not user or not user.is_authenticated:
        raise Http404(NOT_YOUR_JOB)
    if job.created_by_id != user.pk and not user.is_superuser:
        raise Http404(NOT_YOUR_JOB)
    return job


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
    by: Person,
    task,
    upload=None,
    content: bytes | None = None,
    filename: str,
    params: dict[str, Any] | None = None,
) -> Job:
    """Store the uploaded file (or `content`) in a new job of `by` and queue `task` with
    (job id, file name as uploaded, params). `params` must be JSON: ids, strings, numbers."""
    stored = upload if upload is not None else ContentFile(content or b"", name=filename)
    job = Job.objects.create(kind=kind, title=title, created_by=author(by), input_file=stored)
    task.enqueue(job.pk, filename, params or {})
    return job


def time_limit_text(seconds: float) -> str:
    return ERR_TIME_LIMIT.format(seconds=vn_number(seconds, 1))


def _raise_in(thread_id: int, exception: type[BaseException] | None) -> None:
    """Raise `exception` in the thread at its next Python instruction (None: forget one that
    is pending). CPython's PyThreadState_SetAsyncExc, the per-thread form of a signal."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(exception) if exception else None
    )


def _interrupt_queries(databases: list[Any]) -> None:
    """Cut off the statement each of the job's connections is running (called from the
    watchdog's thread): an async exception waits for the C call to return, and one long
    statement (libpq waiting for PostgreSQL, sqlite3 stepping through a query) may run for
    minutes. PostgreSQL: psycopg's Connection.cancel() (a cancel request on a second
    socket; the statement fails with "canceling statement due to user request"); SQLite:
    sqlite3.Connection.interrupt() (the statement fails with "interrupted"). With no
    statement running both do nothing. The failing statement then meets the pending
    TimeLimitExceeded, and the transaction rolls back."""
    for database in databases:
        raw = database.connection
        if raw is None:
            continue
        try:
            if database.vendor == "postgresql":
                raw.cancel()
            elif database.vendor == "sqlite":
                raw.interrupt()
        except Exception:  # noqa: BLE001 (a closed connection has nothing to cut off)
            logger.warning("Could not interrupt the job's %s connection.", database.alias)


@contextmanager
def time_limit(job: Job, seconds: float) -> Iterator[None]:
    """Run the body with the job's time limit: past `seconds`, TimeLimitExceeded is raised
    in this thread wherever the body is (a watchdog thread raises it), and `job.check_time()`
    raises it at the work's own safe points.

    It works in any thread (the worker's, the development server's task threads), between
    two Python instructions; a statement the database is running is cut off as well
    (_interrupt_queries), so a long query does not outlive the limit. The imports write in
    one transaction, which the exception rolls back."""
    job.deadline = time.monotonic() + seconds
    job.time_limit = seconds
    target = threading.get_ident()
    # This thread's connections (Django keeps one per thread and alias): the watchdog
    # cuts off what they run.
    databases = [connections[alias] for alias in connections]
    lock = threading.Lock()
    state = {"armed": True, "fired": False}

    def stop() -> None:
        with lock:
            if state["armed"]:
                state["fired"] = True
                _raise_in(target, TimeLimitExceeded)
                _interrupt_queries(databases)

    watchdog = threading.Timer(seconds, stop)
    watchdog.daemon = True
    watchdog.start()
    try:
        yield
    except Exception as error:
        # The statement cut off by the watchdog fails with the database's own error, which
        # may surface before the pending TimeLimitExceeded does: it is the time limit.
        if state["fired"]:
            raise TimeLimitExceeded() from error
        raise
    finally:
        with lock:
            state["armed"] = False
        watchdog.cancel()
        if state["fired"]:
            _raise_in(target, None)  # the body ended on its own: no stop left pending
        job.deadline = None


def _error_json(error: BaseException, text: str) -> dict[str, Any]:
    """A named refusal as one error of job.result["errors"]: its message, and the field and
    code it names when it has them (FrameworkError, FeedbackError, EvaluationError)."""
    out: dict[str, Any] = {"message": text}
    for name in ("field", "code"):
        value = getattr(error, name, None)
        if isinstance(value, str) and not isinstance(error, ValidationError):
            out[name] = value
    return out


def run_upload(
    job_id: int,
    work: Callable[[Job, IO[bytes]], Outcome],
    *,
    refusals: tuple[type[BaseException], ...] = (),
) -> None:
    """Run `work(job, file)` for the job and end it done (with the outcome) or failed.

    A TableErrors ends the job with the report of every bad row (job.result["errors"]);
    a refusal in `refusals` (and ValidationError, PermissionDenied, JobRefused) with its
    message; work past settings.JOB_TIME_LIMIT_SECONDS is stopped and says so; anything
    else says "system error" and is raised on to the task backend's log.
    """
    job = Job.claim(job_id)
    if job is None:  # another worker has it, or it already ended: never run twice
        logger.warning("Job %s is no longer queued; not run again.", job_id)
        return
    job.progress(0, 100, READING)
    named = (JobRefused, ValidationError, PermissionDenied, *refusals)
    seconds = settings.JOB_TIME_LIMIT_SECONDS
    try:
        with job.input_file.open("rb") as handle, time_limit(job, seconds):
            outcome = work(job, handle)
    except TimeLimitExceeded:
        # Stopped anywhere, maybe inside a query: the connection starts afresh (outside a
        # transaction; inside one, as in a test, the rollback has cleaned it).
        connection = connections["default"]
        if not connection.in_atomic_block:
            connection.close()
        text = time_limit_text(seconds)
        logger.warning("Job %s stopped after its time limit (%s s).", job.pk, seconds)
        job.finish(result={"errors": [{"message": text}]}, message=text, failed=True)
        return
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
        job.finish(result={"errors": [_error_json(error, text)]}, message=text, failed=True)
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
