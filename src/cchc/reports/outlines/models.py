"""Outlines loaded from YAML, and the outline reports units file against them.

A unit's report holds what it entered (``values``), what it wrote per narrative block
(``narratives``) and, once submitted, the measured figures it filed (``measured``), frozen
so a filed report does not change when data is re-imported. An upper unit's report also
holds its last compilation of its units' reports (``compiled``). State changes go through
``cchc.reports.outlines.services``; every change is kept by django-simple-history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cchc.reports.outlines.spec import Outline as OutlineSpec
from cchc.reports.outlines.spec import load_outline
from cchc.units.models import Unit

_USER = settings.AUTH_USER_MODEL


class Outline(models.Model):
    code = models.CharField("mã đề cương", max_length=80, unique=True)
    name = models.CharField("tên đề cương", max_length=300)
    structure = models.CharField("cấu trúc đơn vị", max_length=8, default="2025")
    source_yaml = models.TextField("nội dung YAML")
    loaded_at = models.DateTimeField("nạp lúc", default=timezone.now)
    loaded_by = models.ForeignKey(
        _USER, verbose_name="người nạp", null=True, blank=True, on_delete=models.SET_NULL
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "đề cương báo cáo"
        verbose_name_plural = "đề cương báo cáo"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def spec(self) -> OutlineSpec:
        cached = getattr(self, "_spec", None)
        if cached is None:
            cached = self._spec = load_outline(self.source_yaml)
        return cached


class OutlineReportStatus(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    SUBMITTED = "submitted", "Đã gửi cấp trên"
    RETURNED = "returned", "Cấp trên trả lại"


class OutlineReport(models.Model):
    outline = models.ForeignKey(
        Outline, verbose_name="đề cương", on_delete=models.PROTECT, related_name="reports"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="outline_reports"
    )
    period_code = models.CharField("kỳ báo cáo", max_length=32)
    period_start = models.DateField("từ ngày")
    period_end = models.DateField("đến ngày")
    period_label = models.CharField("tên kỳ", max_length=100)
    values = models.JSONField("số liệu đơn vị nhập", default=dict, blank=True)
    narratives = models.JSONField("phần lời theo mục", default=dict, blank=True)
    measured = models.JSONField("số liệu đo đã gửi", default=dict, blank=True)
    compiled = models.JSONField("tổng hợp từ đơn vị cấp dưới", default=dict, blank=True)
    compiled_at = models.DateTimeField("tổng hợp lúc", null=True, blank=True)
    number = models.CharField("số báo cáo", max_length=20, blank=True)
    issued_on = models.DateField("ngày báo cáo", null=True, blank=True)
    status = models.CharField(
        "trạng thái",
        max_length=16,
        choices=OutlineReportStatus.choices,
        default=OutlineReportStatus.DRAFT,
    )
    submitted_at = models.DateTimeField("gửi lúc", null=True, blank=True)
    submitted_by = models.ForeignKey(
        _USER,
        verbose_name="người gửi",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    returned_reason = models.TextField("lý do trả lại", blank=True)
    change_reason = models.CharField("nội dung thay đổi", max_length=300, blank=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)
    updated_by = models.ForeignKey(
        _USER,
        verbose_name="người cập nhật",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "báo cáo theo đề cương"
        verbose_name_plural = "báo cáo theo đề cương"
        ordering = ["unit__path", "-period_end"]
        constraints = [
            models.UniqueConstraint(
                fields=["outline", "unit", "period_code"], name="outline_report_one_per_period"
            ),
            models.CheckConstraint(
                condition=Q(period_start__lte=F("period_end")), name="outline_report_period_order"
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in OutlineReportStatus]),
                name="outline_report_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status=OutlineReportStatus.SUBMITTED) | Q(submitted_at__isnull=False),
                name="outline_report_submitted_has_time",
            ),
        ]
        indexes = [
            # Compiling: the reports of a parent's children for one outline and period.
            models.Index(fields=["outline", "period_code", "unit"], name="outline_report_period"),
        ]

    def __str__(self) -> str:
        return f"{self.outline.code} {self.period_label} — {self.unit}"

    @property
    def is_submitted(self) -> bool:
        return self.status == OutlineReportStatus.SUBMITTED


def outline_file_path(instance: OutlineReportFile, filename: str) -> str:
    report = instance.report
    safe = report.period_code.replace("..", "_")
    return f"reports/outlines/{report.unit_id}/{safe}/{filename}"


class OutlineReportFile(models.Model):
    """One generated DOCX or PDF of an outline report, with the figures it printed."""

    report = models.ForeignKey(
        OutlineReport, verbose_name="báo cáo", on_delete=models.PROTECT, related_name="files"
    )
    file = models.FileField("tệp", upload_to=outline_file_path, max_length=500)
    format = models.CharField("định dạng", max_length=8)
    generated_at = models.DateTimeField("tạo lúc", default=timezone.now)
    generated_by = models.ForeignKey(
        _USER,
        verbose_name="người tạo",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    checksum = models.CharField("SHA-256", max_length=64)
    size = models.PositiveIntegerField("dung lượng (byte)", default=0)
    figures = models.JSONField("số liệu đã in", default=dict, blank=True)

    class Meta:
        verbose_name = "tệp báo cáo theo đề cương"
        verbose_name_plural = "tệp báo cáo theo đề cương"
        ordering = ["report", "-generated_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(format__in=["docx", "pdf"]), name="outline_report_file_format"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} ({self.format})"

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]
