"""Reports a unit writes: the narrative an officer edits, the files generated from it with
the figures they printed, the filing with the level above, deadlines and reminders.

Figures are never stored here as text a person typed: a generated file keeps a snapshot
of the figures it printed (``ReportFile.figures``), computed from the stored data at the
moment of generation. State changes go through ``cchc.reports.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cchc.reports import kinds
from cchc.reports.deadlines import DEFAULT_RULES, SOURCE_CONFIG, DeadlineRule
from cchc.units.models import Unit

_USER = settings.AUTH_USER_MODEL

# The parts of a report the officer writes; everything else is computed.
NARRATIVE_FIELDS: tuple[str, ...] = (
    "basis",
    "activities",
    "strengths",
    "weaknesses",
    "causes",
    "directions",
)


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    SUBMITTED = "submitted", "Đã gửi cấp trên"


class Report(models.Model):
    kind = models.CharField("loại báo cáo", max_length=32, choices=kinds.CHOICES)
    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị báo cáo", on_delete=models.PROTECT, related_name="reports"
    )
    period_code = models.CharField("kỳ báo cáo", max_length=32)  # 2023-Q1, 2023-H1, 2023
    period_start = models.DateField("từ ngày")
    period_end = models.DateField("đến ngày")
    year = models.PositiveSmallIntegerField("năm")
    # What the report is about beyond unit and period: "" for periodic reports,
    # "cycle:<pk>" for index results, "inspection:<pk>" for a self-inspection notice.
    subject = models.CharField("đối tượng", max_length=64, blank=True, default="")
    cycle = models.ForeignKey(
        "evaluations.Cycle",
        verbose_name="kỳ đánh giá",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    inspection = models.ForeignKey(
        "plans.Inspection",
        verbose_name="đợt tự kiểm tra",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    basis = models.TextField("căn cứ, mở đầu", blank=True)
    activities = models.TextField("kết quả thực hiện nhiệm vụ (phần lời)", blank=True)
    strengths = models.TextField("ưu điểm", blank=True)
    weaknesses = models.TextField("tồn tại, hạn chế", blank=True)
    causes = models.TextField("nguyên nhân", blank=True)
    directions = models.TextField("phương hướng, nhiệm vụ", blank=True)

    number = models.CharField("số", max_length=20, blank=True)
    symbol = models.CharField("ký hiệu", max_length=40, blank=True)
    issued_on = models.DateField("ngày ban hành", null=True, blank=True)
    place = models.CharField("địa danh", max_length=100, blank=True)
    recipients = models.TextField("nơi nhận (mỗi dòng một nơi)", blank=True)
    archive = models.CharField("lưu", max_length=100, default="VT", blank=True)
    signer_authority = models.CharField("thẩm quyền ký", max_length=200, blank=True)
    signer_title = models.CharField("chức vụ người ký", max_length=200, blank=True)
    signer_name = models.CharField("người ký", max_length=200, blank=True)

    status = models.CharField(
        "trạng thái", max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT
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
    submitted_to = models.ForeignKey(
        Unit,
        verbose_name="gửi đến",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="received_reports",
    )
    created_at = models.DateTimeField("tạo lúc", default=timezone.now)
    created_by = models.ForeignKey(
        _USER,
        verbose_name="người tạo",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "báo cáo"
        verbose_name_plural = "báo cáo"
        ordering = ["unit__path", "-period_end", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "unit", "period_code", "subject"], name="report_one_per_period"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[k.code for k in kinds.KINDS]), name="report_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in ReportStatus]),
                name="report_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(period_start__lte=F("period_end")), name="report_period_order"
            ),
            # A filed report says when it was filed.
            models.CheckConstraint(
                condition=~Q(status=ReportStatus.SUBMITTED) | Q(submitted_at__isnull=False),
                name="report_submitted_has_time",
            ),
        ]
        indexes = [
            # The filing matrix: the periodic reports of a parent's children for a year.
            models.Index(fields=["kind", "year", "unit"], name="report_kind_year_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.kind_spec.label} {self.period_code} — {self.unit}"

    @property
    def kind_spec(self) -> kinds.ReportKind:
        return kinds.BY_CODE[self.kind]

    @property
    def is_submitted(self) -> bool:
        return self.status == ReportStatus.SUBMITTED

    def narrative(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in NARRATIVE_FIELDS}


class FileFormat(models.TextChoices):
    DOCX = "docx", "DOCX (Word)"
    PDF = "pdf", "PDF"


def report_file_path(instance: ReportFile, filename: str) -> str:
    report = instance.report
    return f"reports/{report.unit_id}/{report.period_code}/{filename}"


class ReportFile(models.Model):
    """One generated file; every generation is kept (the history of a report's files)."""

    report = models.ForeignKey(
        Report, verbose_name="báo cáo", on_delete=models.PROTECT, related_name="files"
    )
    file = models.FileField("tệp", upload_to=report_file_path, max_length=500)
    format = models.CharField("định dạng", max_length=8, choices=FileFormat.choices)
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
    # Every keyed figure the file printed, {key: value as text}, computed at generation.
    figures = models.JSONField("số liệu đã in", default=dict, blank=True)
    filed = models.BooleanField("bản gửi cấp trên", default=False)

    class Meta:
        verbose_name = "tệp báo cáo"
        verbose_name_plural = "tệp báo cáo"
        ordering = ["report", "-generated_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(format__in=[f.value for f in FileFormat]),
                name="report_file_format_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} ({self.format})"

    @property
    def filename(self) -> str:
        """The name the user downloads: the report's own name, without the random suffix
        the storage adds to keep every generation ("…_2026-Q4_tz4iVEX.pdf", issue 15)."""
        from cchc.reports import generate

        report = self.report
        return generate.file_name(report.kind_spec, report.unit, report.period_code, self.format)


class PeriodKind(models.TextChoices):
    QUARTER = "quarter", "Báo cáo quý"
    HALF = "half", "Báo cáo 6 tháng"
    YEAR = "year", "Báo cáo năm"


class DeadlineSetting(models.Model):
    """The administrator's reporting calendar; without a row the default table applies."""

    period_kind = models.CharField("loại kỳ", max_length=8, choices=PeriodKind.choices, unique=True)
    day = models.PositiveSmallIntegerField("ngày hạn nộp", default=18)
    month_offset = models.PositiveSmallIntegerField(
        "số tháng sau tháng cuối kỳ",
        default=0,
        help_text="0: trong tháng cuối kỳ; 1: tháng sau tháng cuối kỳ …",
    )
    source = models.CharField("căn cứ", max_length=300, default=SOURCE_CONFIG)
    note = models.TextField("ghi chú", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "hạn nộp báo cáo định kỳ"
        verbose_name_plural = "hạn nộp báo cáo định kỳ"
        constraints = [
            models.CheckConstraint(
                condition=Q(day__gte=1) & Q(day__lte=31), name="deadline_day_range"
            ),
            models.CheckConstraint(
                condition=Q(month_offset__lte=3), name="deadline_month_offset_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_period_kind_display()}: ngày {self.day}"

    def rule(self) -> DeadlineRule:
        return DeadlineRule(self.period_kind, self.day, self.month_offset, self.source)

    @staticmethod
    def rules() -> dict[str, DeadlineRule]:
        out = dict(DEFAULT_RULES)
        for row in DeadlineSetting.objects.all():
            out[row.period_kind] = row.rule()
        return out


class ReminderStatus(models.TextChoices):
    PENDING = "pending", "Chờ gửi"
    SENDING = "sending", "Đang gửi"
    SENT = "sent", "Đã gửi"


class FilingReminder(models.Model):
    """A reminder to a unit that has not filed a periodic report; at most one per unit,
    report and day, so a reminder run repeated the same day sends nothing twice."""

    unit = models.ForeignKey(
        Unit,
        verbose_name="đơn vị được nhắc",
        on_delete=models.CASCADE,
        related_name="filing_reminders",
    )
    report_kind = models.CharField("loại báo cáo", max_length=32, choices=kinds.CHOICES)
    period_code = models.CharField("kỳ báo cáo", max_length=32)
    period_label = models.CharField("tên kỳ", max_length=100, blank=True)
    due_on = models.DateField("hạn nộp")
    reminded_on = models.DateField("ngày nhắc")
    message = models.TextField("nội dung", blank=True)
    status = models.CharField(
        "trạng thái",
        max_length=8,
        choices=ReminderStatus.choices,
        default=ReminderStatus.PENDING,
    )
    claimed_by = models.CharField("tiến trình xử lý", max_length=64, blank=True)
    claimed_at = models.DateTimeField("nhận xử lý lúc", null=True, blank=True)
    sent_at = models.DateTimeField("gửi lúc", null=True, blank=True)
    created_at = models.DateTimeField("tạo lúc", default=timezone.now)
    created_by = models.ForeignKey(
        _USER,
        verbose_name="người nhắc",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "nhắc nộp báo cáo"
        verbose_name_plural = "nhắc nộp báo cáo"
        ordering = ["-reminded_on", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "report_kind", "period_code", "reminded_on"],
                name="filing_reminder_once_a_day",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in ReminderStatus]),
                name="filing_reminder_status_valid",
            ),
        ]
        indexes = [
            # The inbox: sent reminders of one unit.
            models.Index(fields=["unit", "status"], name="filing_reminder_unit_status"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.period_label or self.period_code}"
