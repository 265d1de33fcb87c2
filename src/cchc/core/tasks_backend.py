"""A task backend for a single development server: each task runs in a background thread.

The page that started the work returns at once and follows the job's progress bar, as it
would with `cchc worker`, without a worker process. Production uses django-tasks-db.
"""

from __future__ import annotations

import threading

from django.db import connections
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import TaskResult, TaskResultStatus
from django_tasks.utils import get_random_id


class ThreadBackend(ImmediateBackend):
    def enqueue(self, task, args, kwargs):
        self.validate_task(task)
        result = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )

        def run() -> None:
            try:
                self._execute_task(result)
            finally:
                connections.close_all()

        threading.Thread(target=run, name=f"task-{result.id}", daemon=True).start()
        return result
