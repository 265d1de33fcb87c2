"""Cross-cutting records: API tokens and the progress of long work."""

from __future__ import annotations

import hashlib
import os
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiToken(models.Model):
    """A personal token for the API (Authorization: Bearer <token>). Only its hash is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("tên", max_length=100)
    prefix = models.CharField(max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField("đã thu hồi", default=False)

    class Meta:
        verbose_name = "khóa API"
        verbose_name_plural = "khóa API"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, *, user, name: str) -> tuple[ApiToken, str]:
        key = "cchc_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, prefix=key[5:13], key_hash=cls.hash(key))
        return token, key


def _this_process() -> dict:
    from cchc.core.liveness import HOST

    return {"host": HOST, "pid": os.getpid()}


class Job(models.Model):
    """Long work (an import, a batch of reports) that a page follows with a progress bar."""

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
