"""Plans ("5 rõ"), breakthrough work, inspections with findings and recommendations, and the
civil-service figures of a unit.

State changes go through cchc.plans.services; the rules (late, completion, shares) live in
cchc.plans.rules. Statuses stored here are the three a person sets; "quá hạn" is derived.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cchc.core.formatting import vn_date
from cchc.plans import rules
from cchc.units.models import Profile, Unit

_USER = settings.AUTH_USER_MODEL


class Component(models.Model):
    """A CCHC area (lĩnh vực) that plan work and inspection findings are filed under.

    Data, not code: the seven areas of Nghị quyết 76/NQ-CP (2021) as plans list them
    (seed 004, Kế hoạch 244/KH-UBND: "tập trung đẩy mạnh thực hiện 07 nội dung").
    """

    code = models.CharField("mã", max_length=10, unique=True)
    name = models.CharField("tên lĩnh vực", max_length=200)
    short_name = models.CharField("tên ngắn", max_length=60)
    order = models.PositiveSmallIntegerField("thứ tự", default=0)
    source = models.CharField("căn cứ", max_length=300, blank=True)

    class Meta:
        verbose_name = "lĩnh vực CCHC"
        verbose_name_plural = "lĩnh vực CCHC"
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class Status(models.TextChoices):
    NOT_STARTED = rules.NOT_STARTED, rules.STATUS_LABELS[rules.NOT_STARTED]
    IN_PROGRESS = rules.IN_PROGRESS, rules.STATUS_LABELS[rules.IN_PROGRESS]
    DONE = rules.DONE, rules.STATUS_LABELS[rules.DONE]


class PlanState(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    ISSUED = "issued", "Đã ban hành"


class Plan(models.Model):
    """Kế hoạch CCHC năm … of one unit (one per unit and year)."""

    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="cchc_plans"
    )
    year = models.PositiveSmallIntegerField("năm")
    title = models.CharField("tên kế hoạch", max_length=300)
    number = models.CharField("số, ký hiệu", max_length=100, blank=True)
    issued_on = models.DateField("ngày ban hành", null=True, blank=True)
    state = models.CharField(
        "trạng thái", max_length=10, choices=PlanState.choices, default=PlanState.DRAFT
    )
    copied_from = models.ForeignKey(
        "self",
        verbose_name="sao chép từ",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
    )
    created_at = models.DateTimeField("tạo lúc", default=timezone.now)
    created_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "kế hoạch CCHC"
        verbose_name_plural = "kế hoạch CCHC"
        ordering = ["unit__path", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="plan_unit_year_unique"),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100), name="plan_year_sane"
            ),
            # An issued plan says by which document (Nghị định 30/2020: số, ký hiệu, ngày).
            models.CheckConstraint(
                condition=Q(state="draft") | (~Q(number="") & Q(issued_on__isnull=False)),
                name="plan_issued_has_number",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.state == PlanState.DRAFT


class PlanItem(models.Model):
    """An objective (mục tiêu), task (nhiệm vụ) or activity (hoạt động) of a plan."""

    class Level(models.TextChoices):
        OBJECTIVE = "objective", "Mục tiêu"
        TASK = "task", "Nhiệm vụ"
        ACTIVITY = "activity", "Hoạt động"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")
    parent = models.ForeignKey(
        "self",
        verbose_name="thuộc",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    level = models.CharField("cấp", max_length=10, choices=Level.choices)
    code = models.CharField("mã", max_length=20)  # "1", "1.2", "1.2.3"
    sort_key = models.CharField(max_length=40, editable=False)  # "001.002.003"
    title = models.CharField("nội dung", max_length=1000)
    component = models.ForeignKey(
        Component,
        verbose_name="lĩnh vực CCHC",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    lead_unit_name = models.CharField("đơn vị, bộ phận chủ trì", max_length=300, blank=True)
    lead_unit = models.ForeignKey(
        Unit,
        verbose_name="đơn vị chủ trì (trong hệ thống)",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lead_officer_name = models.CharField("người phụ trách", max_length=200, blank=True)
    lead_officer = models.ForeignKey(
        Profile,
        verbose_name="người phụ trách (tài khoản)",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_items",
    )
    coordinating_units = models.CharField("đơn vị phối hợp", max_length=500, blank=True)
    product = models.CharField("sản phẩm", max_length=500, blank=True)
    start_on = models.DateField("bắt đầu", null=True, blank=True)
    due_on = models.DateField("thời hạn", null=True, blank=True)
    status = models.CharField(
        "trạng thái", max_length=12, choices=Status.choices, default=Status.NOT_STARTED
    )
    done_on = models.DateField("ngày hoàn thành", null=True, blank=True)
    note = models.TextField("ghi chú", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "mục tiêu, nhiệm vụ, hoạt động"
        verbose_name_plural = "mục tiêu, nhiệm vụ, hoạt động"
        ordering = ["plan", "sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="plan_item_code_unique"),
            models.CheckConstraint(
                condition=Q(start_on__isnull=True)
                | Q(due_on__isnull=True)
                | Q(start_on__lte=F("due_on")),
                name="plan_item_start_before_due",
            ),
            models.CheckConstraint(
                condition=Q(status__in=list(rules.STORED_STATUSES)), name="plan_item_status_valid"
            ),
            # A done item says when; an unfinished one has no completion date.
            models.CheckConstraint(
                condition=(Q(status="done") & Q(done_on__isnull=False))
                | (~Q(status="done") & Q(done_on__isnull=True)),
                name="plan_item_done_has_date",
            ),
        ]
        indexes = [
            # late_items()/due lists: unfinished work by deadline across visible plans.
            models.Index(fields=["status", "due_on"], name="plan_item_status_due"),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"

    def save(self, *args, **kwargs):
        self.sort_key = ".".join(f"{int(p):03d}" for p in self.code.split(".") if p.isdigit())
        super().save(*args, **kwargs)

    @property
    def depth(self) -> int:
        return self.code.count(".")

    def effective_status(self, today: dt.date | None = None) -> str:
        return rules.derive_status(self.status, self.due_on, today or timezone.localdate())


class PlanEvidence(models.Model):
    """A document proving the work (tài liệu kiểm chứng): file + số, ký hiệu, ngày, cơ quan."""

    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField("trích yếu", max_length=500)
    number = models.CharField("số, ký hiệu", max_length=100, blank=True)
    issued_on = models.DateField("ngày ban hành", null=True, blank=True)
    issuer = models.CharField("cơ quan ban hành", max_length=200, blank=True)
    file = models.FileField("tệp", upload_to="plans/evidence/%Y/%m/", blank=True)
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "tài liệu kiểm chứng"
        verbose_name_plural = "tài liệu kiểm chứng"
        ordering = ["item", "issued_on", "pk"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()


# --- breakthrough work (công việc đột phá, sáng kiến) --------------------------------------


class BreakthroughCall(models.Model):
    """A registration opened by a province or district (seed 001: 'đăng ký công việc đột
    phá, sáng tạo … trước ngày 10 tháng 4 năm 2023')."""

    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị phát động", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("năm")
    title = models.CharField("tên đợt đăng ký", max_length=300)
    document = models.CharField("văn bản phát động", max_length=300, blank=True)
    deadline = models.DateField("hạn đăng ký")
    note = models.TextField("hướng dẫn", blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "đợt đăng ký công việc đột phá"
        verbose_name_plural = "đợt đăng ký công việc đột phá"
        ordering = ["-year", "-deadline"]

    def __str__(self) -> str:
        return self.title


class Breakthrough(models.Model):
    """A unit's registered breakthrough work or initiative, tracked like a task."""

    call = models.ForeignKey(
        BreakthroughCall, on_delete=models.CASCADE, related_name="registrations"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị đăng ký", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("tên công việc đột phá, sáng kiến", max_length=500)
    solution = models.TextField("giải pháp thực hiện", blank=True)
    component = models.ForeignKey(
        Component,
        verbose_name="lĩnh vực CCHC",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    lead_officer_name = models.CharField("người phụ trách", max_length=200, blank=True)
    product = models.CharField("sản phẩm, kết quả", max_length=500, blank=True)
    due_on = models.DateField("thời hạn hoàn thành", null=True, blank=True)
    status = models.CharField(
        "trạng thái", max_length=12, choices=Status.choices, default=Status.NOT_STARTED
    )
    done_on = models.DateField("ngày hoàn thành", null=True, blank=True)
    registered_on = models.DateField("ngày đăng ký")
    registered_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "công việc đột phá"
        verbose_name_plural = "công việc đột phá"
        ordering = ["call", "unit__path", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="done") & Q(done_on__isnull=False))
                | (~Q(status="done") & Q(done_on__isnull=True)),
                name="breakthrough_done_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def registered_late(self) -> bool:
        return rules.registered_late(self.registered_on, self.call.deadline)

    def effective_status(self, today: dt.date | None = None) -> str:
        return rules.derive_status(self.status, self.due_on, today or timezone.localdate())


# --- inspections --------------------------------------------------------------------------


class Inspection(models.Model):
    """An inspection (kiểm tra) of units by a body above them, or a unit's self-inspection."""

    class Kind(models.TextChoices):
        INSPECTION = "inspection", "Kiểm tra"
        SELF = "self", "Tự kiểm tra"

    organiser = models.ForeignKey(
        Unit, verbose_name="đơn vị tổ chức kiểm tra", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("hình thức", max_length=12, choices=Kind.choices)
    year = models.PositiveSmallIntegerField("năm")
    title = models.CharField("tên đợt kiểm tra", max_length=300)
    inspecting_body = models.CharField("đoàn/tổ kiểm tra", max_length=300)
    decision_no = models.CharField("quyết định/kế hoạch số", max_length=150, blank=True)
    decision_date = models.DateField("ngày quyết định", null=True, blank=True)
    start_on = models.DateField("từ ngày")
    end_on = models.DateField("đến ngày")
    members = models.TextField("thành viên", blank=True, help_text="Mỗi người một dòng.")
    # Seed 002: "báo cáo kết quả khắc phục về UBND xã trước ngày 18/9/2023".
    report_due_on = models.DateField("hạn báo cáo khắc phục", null=True, blank=True)
    conclusion = models.TextField("đánh giá chung", blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "đợt kiểm tra"
        verbose_name_plural = "đợt kiểm tra"
        ordering = ["-start_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_on__lte=F("end_on")), name="inspection_start_before_end"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_self(self) -> bool:
        return self.kind == self.Kind.SELF

    @property
    def member_list(self) -> list[str]:
        return [m.strip() for m in self.members.splitlines() if m.strip()]


class InspectionTarget(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị được kiểm tra", on_delete=models.PROTECT, related_name="+"
    )
    inspected_on = models.DateField("ngày kiểm tra", null=True, blank=True)

    class Meta:
        verbose_name = "đơn vị được kiểm tra"
        verbose_name_plural = "đơn vị được kiểm tra"
        ordering = ["inspection", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "unit"], name="inspection_target_unique")
        ]

    def __str__(self) -> str:
        return str(self.unit)


class Finding(models.Model):
    """What the inspection found in one unit for one CCHC component."""

    class Kind(models.TextChoices):
        RESULT = "result", "Kết quả đạt được"
        SHORTCOMING = "shortcoming", "Tồn tại, hạn chế"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="+"
    )
    component = models.ForeignKey(
        Component, verbose_name="lĩnh vực CCHC", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("loại", max_length=12, choices=Kind.choices, default=Kind.SHORTCOMING)
    text = models.TextField("nội dung")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "kết quả kiểm tra"
        verbose_name_plural = "kết quả kiểm tra"
        ordering = ["inspection", "unit__path", "component__order", "kind", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class Recommendation(models.Model):
    """A recommendation (kiến nghị) with a deadline and the unit that must remedy it."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="recommendations"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị thực hiện", on_delete=models.PROTECT, related_name="+"
    )
    component = models.ForeignKey(
        Component,
        verbose_name="lĩnh vực CCHC",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    finding = models.ForeignKey(
        Finding,
        verbose_name="tồn tại liên quan",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recommendations",
    )
    text = models.TextField("nội dung kiến nghị")
    due_on = models.DateField("hạn khắc phục", null=True, blank=True)
    closed_on = models.DateField("xác nhận khắc phục xong ngày", null=True, blank=True)
    closed_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "kiến nghị"
        verbose_name_plural = "kiến nghị"
        ordering = ["inspection", "unit__path", "due_on", "pk"]
        indexes = [
            # overdue_recommendations(): open recommendations by deadline.
            models.Index(fields=["closed_on", "due_on"], name="recommendation_open_due"),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class RemediationReport(models.Model):
    """The unit's report on what it did about a recommendation (text + file, date)."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="reports"
    )
    text = models.TextField("kết quả khắc phục")
    file = models.FileField("tệp báo cáo", upload_to="plans/remediation/%Y/%m/", blank=True)
    reported_on = models.DateField("ngày báo cáo")
    submitted_at = models.DateTimeField(default=timezone.now)
    submitted_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "báo cáo khắc phục"
        verbose_name_plural = "báo cáo khắc phục"
        ordering = ["recommendation", "reported_on", "pk"]

    def __str__(self) -> str:
        return f"{self.recommendation} — {vn_date(self.reported_on)}"


# --- civil-service figures ----------------------------------------------------------------


class StaffingYear(models.Model):
    """A unit's civil service in one year: positions allotted and filled (seed 000: 'tổng số
    biên chế được giao là 20 … đang có mặt: 19 người')."""

    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="staffing_years"
    )
    year = models.PositiveSmallIntegerField("năm")
    positions_allotted = models.PositiveSmallIntegerField(
        "biên chế được giao", null=True, blank=True
    )
    positions_filled = models.PositiveSmallIntegerField("số người có mặt", null=True, blank=True)
    note = models.TextField("ghi chú", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "số liệu cán bộ, công chức"
        verbose_name_plural = "số liệu cán bộ, công chức"
        ordering = ["unit__path", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="staffing_unit_year_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.year}"


def _choices(order, labels):
    return [(code, labels[code]) for code in order]


class StaffMember(models.Model):
    """One officer in one year: qualifications, training and that year's rating."""

    staffing = models.ForeignKey(StaffingYear, on_delete=models.CASCADE, related_name="members")
    order = models.PositiveSmallIntegerField("STT", default=0)
    full_name = models.CharField("họ và tên", max_length=200)
    position = models.CharField("chức vụ, chức danh", max_length=200, blank=True)
    qualification = models.CharField(
        "trình độ chuyên môn",
        max_length=12,
        choices=_choices(rules.QUALIFICATIONS, rules.QUALIFICATION_LABELS),
        blank=True,
    )
    political_theory = models.CharField(
        "lý luận chính trị",
        max_length=12,
        choices=_choices(rules.POLITICAL, rules.POLITICAL_LABELS),
        blank=True,
    )
    state_management = models.CharField(
        "quản lý nhà nước",
        max_length=12,
        choices=_choices(rules.STATE_MANAGEMENT, rules.STATE_MANAGEMENT_LABELS),
        blank=True,
    )
    trainings = models.TextField(
        "đào tạo, bồi dưỡng trong năm",
        blank=True,
        help_text="Mỗi khóa một dòng hoặc cách nhau bởi ';'.",
    )
    rating = models.CharField(
        "xếp loại",
        max_length=20,
        choices=_choices(rules.RATINGS, rules.RATING_LABELS),
        blank=True,
        help_text="Để trống nếu không thuộc diện đánh giá ở đơn vị (VD: Trưởng Công an xã).",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "cán bộ, công chức"
        verbose_name_plural = "cán bộ, công chức"
        ordering = ["staffing", "order", "pk"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def course_list(self) -> list[str]:
        return rules.split_courses(self.trainings)
