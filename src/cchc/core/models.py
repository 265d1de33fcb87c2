"""Cross-cutting records: API tokens and the progress of long work."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
import time

from django.conf import settings
from django.db import models
from django.utils import timezone

from cchc.core.people import Person


class ApiToken(models.Model):
    """A personal token for the API (Authorization: Bearer <token>). Only its hash is kept
    (SHA-256 of 32 random bytes: a slow hash adds nothing against a key this long).

    A token acts as its person, never more: read-only tokens may only read, and every
    token expires (at most a year), so a key forgotten in a script stops working."""

    class Scope(models.TextChoices):
        READ = "read", "Chỉ đọc"
        WRITE = "write", "Đọc và ghi"

    DEFAULT_DAYS = 90
    MAX_DAYS = 365

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("tên", max_length=100)
    prefix = models.CharField(max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField("đã thu hồi", default=False)
    scope = models.CharField("phạm vi", max_length=8, choices=Scope.choices, default=Scope.READ)
    # Null only for tokens issued before expiry existed; new tokens always carry one.
    expires_at = models.DateTimeField("hết hạn", null=True, blank=True)

    class Meta:
        verbose_name = "khóa API"
        verbose_name_plural = "khóa API"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(
        cls, *, user: Person, name: str, scope: str = Scope.READ, days: int = DEFAULT_DAYS
    ) -> tuple[ApiToken, str]:
        if scope not in cls.Scope.values:
            raise ValueError(f"Phạm vi khóa không hợp lệ: {scope}")
        days = max(1, min(int(days), cls.MAX_DAYS))
        key = "cchc_" + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            name=name,
            prefix=key[5:13],
            key_hash=cls.hash(key),
            scope=scope,
            expires_at=timezone.now() + dt.timedelta(days=days),
        )
        return token, key

    @property
    def expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()


def _this_process() -> dict:
    from cchc.core.liveness import HOST

    return {"host": HOST, "pid": os.getpid()}


class TimeLimitExceeded(BaseException):
    """Raised inside a job's work once its time limit has passed (core.jobs.run_upload).

    A BaseException, as asyncio.CancelledError is: a work function's `except Exception` does
    not swallow it, and every transaction.atomic it passes through rolls back."""


class Job(models.Model):
    """Long work (an import, a batch of reports) that a page follows with a progress bar."""

    # Set by core.jobs.run_upload while the work runs in this process: when it must stop
    # (time.monotonic()), and the limit in seconds. Not stored.
    deadline: float | None = None
    time_limit: float | None = None

    class Status(models.TextChoices):
        QUEUED = "queued", "Đang chờ"
        RUNNING = "running", "Đang chạy"
        DONE = "done", "Hoàn thành"
        FAILED = "failed", "Lỗi"

    kind = models.CharField("loại việc", max_length=50)
    title = models.CharField("tên", max_length=200)
    status = models.CharField(
        "trạng thái", max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    done = models.PositiveIntegerField("đã xong", default=0)
    total = models.PositiveIntegerField("tổng", default=0)
    message = models.TextField("thông báo", blank=True)
    result = models.JSONField("kết quả", default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    input_file = models.FileField(upload_to="jobs/%Y/%m/", blank=True)
    output_file = models.FileField(upload_to="jobs/%Y/%m/", blank=True)
    # The process running it (core/liveness.py): a job whose process died is marked failed
    # by the worker at start, by its page and by the next run, never left "running".
    host = models.CharField("máy chạy", max_length=255, blank=True)
    pid = models.PositiveIntegerField("tiến trình", null=True, blank=True)
    heartbeat_at = models.DateTimeField("lần báo gần nhất", null=True, blank=True)

    class Meta:
        verbose_name = "công việc nền"
        verbose_name_plural = "công việc nền"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @classmethod
    def claim(cls, pk: int) -> Job | None:
        """The job, now running in this process, or None when it is no longer queued.

        One conditional UPDATE (status still queued), so of several workers handed the same
        job (a task enqueued twice, a queue row run again) exactly one does the work, on
        both databases. The queue itself hands a row to one worker: django-tasks-db takes it
        with SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL, in an exclusive transaction on
        SQLite."""
        claimed = cls.objects.filter(pk=pk, status=cls.Status.QUEUED).update(
            status=cls.Status.RUNNING, heartbeat_at=timezone.now(), **_this_process()
        )
        return cls.objects.get(pk=pk) if claimed else None

    def progress(self, done: int, total: int | None = None, message: str | None = None) -> None:
        """Record progress from inside the task; a separate UPDATE so the page sees it at once."""
        fields = {
            "done": done,
            "status": self.Status.RUNNING,
            "heartbeat_at": timezone.now(),
            **_this_process(),
        }
        if total is not None:
            fields["total"] = total
        if message is not None:
            fields["message"] = message
        Job.objects.filter(pk=self.pk).update(**fields)
        for key, value in fields.items():
            setattr(self, key, value)

    def check_time(self) -> None:
        """Raise TimeLimitExceeded once the job's time limit has passed: work calls it at its
        safe points (between batches, before writing); core.jobs.run_upload also stops the
        work wherever it is."""
        if self.deadline is not None and time.monotonic() >= self.deadline:
            raise TimeLimitExceeded

    def finish(
        self, *, result: dict | None = None, message: str = "", failed: bool = False
    ) -> None:
        self.status = self.Status.FAILED if failed else self.Status.DONE
        self.result = result or {}
        self.message = message
        self.finished_at = timezone.now()
        if not failed and self.total:
            self.done = self.total
        self.save(update_fields=["status", "result", "message", "finished_at", "done"])


class DataCoverage(models.Model):
    """A run of dates that one unit's data of one source covers (see cchc.core.coverage).

    Recorded by the imports and entries that bring the data; rebuilt from the data itself
    by ``cchc coverage rebuild`` (and the migration that introduced it). Overlapping or
    adjacent runs are merged, so a unit and source hold a few rows at most.
    """

    SOURCE_CHOICES = [
        ("dossiers", "Hồ sơ TTHC"),
        ("feedback", "Phản ánh, kiến nghị"),
        ("plans", "Kế hoạch CCHC"),
        ("staffing", "Đội ngũ cán bộ, công chức"),
        ("surveys", "Điều tra xã hội học"),
        ("scores", "Điểm Chỉ số CCHC"),
        ("flag.synced", "Cột đồng bộ Cổng DVCQG của tệp hồ sơ"),
        ("flag.datastore", "Cột kết nối kho dữ liệu của tệp hồ sơ"),
    ]

    unit = models.ForeignKey(
        "units.Unit", verbose_name="đơn vị", on_delete=models.CASCADE, related_name="+"
    )
    source = models.CharField("nguồn số liệu", max_length=16, choices=SOURCE_CHOICES)
    start = models.DateField("từ ngày")
    end = models.DateField("đến ngày")
    origin = models.CharField("ghi nhận bởi", max_length=200, blank=True)
    recorded_at = models.DateTimeField("ghi nhận lúc", default=timezone.now)

    class Meta:
        verbose_name = "phạm vi số liệu"
        verbose_name_plural = "phạm vi số liệu"
        ordering = ["unit", "source", "start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start__lte=models.F("end")), name="coverage_start_before_end"
            )
        ]
        indexes = [
            # data_coverage(unit, source, period): the runs of one unit and source.
            models.Index(fields=["unit", "source", "start"], name="coverage_unit_source"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.source} {self.start}..{self.end}"


class DataStamp(models.Model):
    """A counter per unit (scope: its id; 0: everything), moved by every write that
    computed figures read (cchc.core.stamps): a figure kept under the counters of its
    units is served until one of them moves."""

    scope = models.BigIntegerField("đơn vị (0: mọi dữ liệu)", primary_key=True)
    serial = models.BigIntegerField("số lần thay đổi", default=0)

    class Meta:
        verbose_name = "dấu thay đổi số liệu"
        verbose_name_plural = "dấu thay đổi số liệu"

    def __str__(self) -> str:
        return f"{self.scope}: {self.serial}"
