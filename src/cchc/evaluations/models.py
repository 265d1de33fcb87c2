"""A yearly evaluation (kỳ đánh giá Chỉ số CCHC): the units evaluated, their scores with
evidence, appraisal, published results and the remediation duties that follow.

State changes go through cchc.evaluations.services (permissions, transitions, history);
these models hold the data and the invariants the database can keep (0 <= score <= max).
"""

from __future__ import annotations

import contextlib
import contextvars

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cchc.frameworks.models import POINTS, Criterion, Framework
from cchc.units.models import Unit

# Measured figures (percentages, survey indices) may carry more digits than points.
MEASURE = {"max_digits": 12, "decimal_places": 4}
# Points a metric/survey leaf gets from its measured value (e.g. 97.3 × 4 / 95): kept
# with 6 decimals for display; results recompute them exactly from measured_value.
DERIVED = {"max_digits": 14, "decimal_places": 6}

_USER = settings.AUTH_USER_MODEL

# Published means frozen, whatever the path (admin, API, shell, import): the models refuse
# to save or delete a score, an evidence record or a published result of a published
# cycle. The one way through is services.cycle_correct (a decision and a reason), which
# runs inside `correcting()`. Queryset .update()/bulk operations bypass save(): the
# services never use them on these models.
_CORRECTING: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "cchc_correcting_published", default=False
)
ERR_FROZEN = (
    "Kỳ đánh giá đã công bố kết quả: điểm, kết quả và tài liệu kiểm chứng không được thay "
    "đổi. Muốn sửa, quản trị viên làm thủ tục đính chính (số quyết định và lý do)."
)


class PublishedFrozen(PermissionDenied):
    """A change to published data outside a correction (403 on pages and API)."""


@contextlib.contextmanager
def correcting():
    token = _CORRECTING.set(True)
    try:
        yield
    finally:
        _CORRECTING.reset(token)


def _refuse_if_published(*, cycle_id=None, cycle_unit_id=None) -> None:
    if _CORRECTING.get():
        return
    query = Cycle.objects.filter(state=CycleState.PUBLISHED)
    if cycle_id is not None:
        query = query.filter(pk=cycle_id)
    elif cycle_unit_id is not None:
        query = query.filter(cycle_units=cycle_unit_id)
    else:
        return
    if query.exists():
        raise PublishedFrozen(ERR_FROZEN)


class FrozenWhenPublished(models.Model):
    """Score, Evidence, PublishedResult: refused changes once their cycle is published."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._frozen_check()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._frozen_check()
        return super().delete(*args, **kwargs)

    def _frozen_check(self) -> None:
        _refuse_if_published(cycle_unit_id=self.cycle_unit_id)


class CycleState(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    SELF_ASSESSMENT = "self_assessment", "Tự đánh giá"
    APPRAISAL = "appraisal", "Thẩm định"
    FINALISED = "finalised", "Đã chốt kết quả"
    PUBLISHED = "published", "Đã công bố"


class CycleUnitStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Chưa chấm"
    IN_PROGRESS = "in_progress", "Đang tự chấm"
    SUBMITTED = "submitted", "Đã gửi thẩm định"
    RETURNED = "returned", "Trả lại để giải trình"
    APPRAISED = "appraised", "Đã thẩm định xong"
    FINALISED = "finalised", "Đã chốt"


class Cycle(models.Model):
    framework = models.ForeignKey(
        Framework, verbose_name="bộ chỉ số", on_delete=models.PROTECT, related_name="cycles"
    )
    year = models.PositiveSmallIntegerField("năm đánh giá")
    name = models.CharField("tên kỳ đánh giá", max_length=300)
    # The unit whose administrators run the cycle (a province's Sở Nội vụ works at the
    # province): administering the cycle = administering this unit.
    organiser = models.ForeignKey(
        Unit, verbose_name="đơn vị tổ chức", on_delete=models.PROTECT, related_name="+"
    )
    appraising_body = models.ForeignKey(
        Unit,
        verbose_name="cơ quan thẩm định",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The period dossier figures are measured over for metric criteria (e.g. 15/12 to 14/12).
    measure_start = models.DateField("số liệu từ ngày")
    measure_end = models.DateField("số liệu đến ngày")
    state = models.CharField(
        "trạng thái", max_length=16, choices=CycleState.choices, default=CycleState.DRAFT
    )
    self_assessment_deadline = models.DateField("hạn tự đánh giá", null=True, blank=True)
    appraisal_deadline = models.DateField("hạn thẩm định", null=True, blank=True)
    # Seed 001: units owing a remediation plan send it by a date; when the cycle does not
    # set one, the deadline is finalisation + remediation_days.
    remediation_deadline = models.DateField("hạn nộp kế hoạch khắc phục", null=True, blank=True)
    remediation_days = models.PositiveSmallIntegerField(
        "số ngày nộp kế hoạch khắc phục", default=30
    )
    decision_no = models.CharField("số quyết định công bố", max_length=100, blank=True)
    decision_date = models.DateField("ngày quyết định", null=True, blank=True)
    finalised_at = models.DateTimeField("chốt lúc", null=True, blank=True)
    published_at = models.DateTimeField("công bố lúc", null=True, blank=True)
    created_at = models.DateTimeField("tạo lúc", default=timezone.now)
    created_by = models.ForeignKey(
        _USER,
        verbose_name="người tạo",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "kỳ đánh giá"
        verbose_name_plural = "kỳ đánh giá"
        ordering = ["-year", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(measure_start__lte=F("measure_end")),
                name="cycle_measure_start_before_end",
            ),
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in CycleState]), name="cycle_state_valid"
            ),
            # A published cycle says by which decision.
            models.CheckConstraint(
                condition=~Q(state=CycleState.PUBLISHED)
                | (~Q(decision_no="") & Q(decision_date__isnull=False)),
                name="cycle_published_has_decision",
            ),
        ]
        indexes = [
            # cycles_for(user): the cycles of an organiser, newest first.
            models.Index(fields=["organiser", "-year"], name="cycle_organiser_year"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_published(self) -> bool:
        return self.state == CycleState.PUBLISHED


class CycleTransition(models.Model):
    """One change of a cycle's state: who, when, from, to and why (reopening needs a why)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField("từ", max_length=16, choices=CycleState.choices)
    to_state = models.CharField("sang", max_length=16, choices=CycleState.choices)
    by = models.ForeignKey(
        _USER,
        verbose_name="người thực hiện",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField("lúc", default=timezone.now)
    reason = models.TextField("lý do", blank=True)
    reopening = models.BooleanField("mở lại (lùi trạng thái)", default=False)

    class Meta:
        verbose_name = "chuyển trạng thái kỳ đánh giá"
        verbose_name_plural = "chuyển trạng thái kỳ đánh giá"
        ordering = ["cycle", "at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reopening=False) | ~Q(reason=""), name="cycle_reopening_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_from_state_display()} → {self.get_to_state_display()}"


class CycleUnit(models.Model):
    """A unit evaluated in a cycle, ranked within its block."""

    cycle = models.ForeignKey(
        Cycle, verbose_name="kỳ đánh giá", on_delete=models.CASCADE, related_name="cycle_units"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="cycle_units"
    )
    # Since 7/2025 wards and communes are ranked apart ("Khối phường", "Khối xã, đặc khu").
    block = models.CharField("khối xếp hạng", max_length=100, blank=True)
    status = models.CharField(
        "trạng thái",
        max_length=16,
        choices=CycleUnitStatus.choices,
        default=CycleUnitStatus.NOT_STARTED,
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
    returned_at = models.DateTimeField("trả lại lúc", null=True, blank=True)
    returned_by = models.ForeignKey(
        _USER,
        verbose_name="người trả lại",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    returned_deadline = models.DateField("hạn giải trình", null=True, blank=True)
    return_message = models.TextField("nội dung yêu cầu giải trình", blank=True)
    appraised_at = models.DateTimeField("thẩm định xong lúc", null=True, blank=True)
    appraised_by = models.ForeignKey(
        _USER,
        verbose_name="người thẩm định",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "đơn vị được đánh giá"
        verbose_name_plural = "đơn vị được đánh giá"
        ordering = ["cycle", "block", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "unit"], name="cycle_unit_unique"),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in CycleUnitStatus]),
                name="cycle_unit_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.cycle}"


class Score(FrozenWhenPublished):
    """The points of one leaf criterion for one unit: self-assessed, appraised, measured."""

    cycle_unit = models.ForeignKey(
        CycleUnit, verbose_name="đơn vị", on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name="tiêu chí", on_delete=models.PROTECT, related_name="scores"
    )
    # The criterion's max copied here so that the database itself refuses a score above it.
    max_points = models.DecimalField("điểm tối đa", **POINTS)
    self_score = models.DecimalField("điểm tự đánh giá", null=True, blank=True, **POINTS)
    self_note = models.TextField("thuyết minh tự đánh giá", blank=True)
    self_scored_at = models.DateTimeField("tự chấm lúc", null=True, blank=True)
    self_scored_by = models.ForeignKey(
        _USER,
        verbose_name="người tự chấm",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    appraised_score = models.DecimalField("điểm thẩm định", null=True, blank=True, **POINTS)
    appraisal_reason = models.TextField("lý do điểm thẩm định", blank=True)
    appraised_at = models.DateTimeField("thẩm định lúc", null=True, blank=True)
    appraised_by = models.ForeignKey(
        _USER,
        verbose_name="người thẩm định",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # metric leaves: the measured percentage; survey leaves: the survey value used.
    measured_value = models.DecimalField("số liệu đo được", null=True, blank=True, **MEASURE)
    measured_points = models.DecimalField("điểm từ số liệu", null=True, blank=True, **DERIVED)
    measured_at = models.DateTimeField("lấy số liệu lúc", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "điểm"
        verbose_name_plural = "điểm"
        ordering = ["cycle_unit", "criterion__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle_unit", "criterion"], name="score_cycle_unit_criterion_unique"
            ),
            models.CheckConstraint(condition=Q(max_points__gt=0), name="score_max_positive"),
            # DESIGN: a score is never negative nor above its max.
            models.CheckConstraint(
                condition=Q(self_score__isnull=True)
                | (Q(self_score__gte=0) & Q(self_score__lte=F("max_points"))),
                name="score_self_within_max",
            ),
            models.CheckConstraint(
                condition=Q(appraised_score__isnull=True)
                | (Q(appraised_score__gte=0) & Q(appraised_score__lte=F("max_points"))),
                name="score_appraised_within_max",
            ),
            models.CheckConstraint(
                condition=Q(measured_points__isnull=True)
                | (Q(measured_points__gte=0) & Q(measured_points__lte=F("max_points"))),
                name="score_measured_within_max",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cycle_unit.unit} — {self.criterion.code}"

    @property
    def final_score(self):
        """Appraised where appraised, else self-assessed, else the measured points."""
        if self.appraised_score is not None:
            return self.appraised_score
        if self.self_score is not None:
            return self.self_score
        return self.measured_points


def evidence_path(instance: Evidence, filename: str) -> str:
    return f"evidence/{instance.cycle_unit.cycle_id}/{instance.cycle_unit.unit_id}/{filename}"


class Evidence(FrozenWhenPublished):
    """A supporting document (tài liệu kiểm chứng) for a criterion."""

    cycle_unit = models.ForeignKey(
        CycleUnit, verbose_name="đơn vị", on_delete=models.CASCADE, related_name="evidence"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name="tiêu chí", on_delete=models.PROTECT, related_name="evidence"
    )
    title = models.CharField("trích yếu", max_length=500)
    number_symbol = models.CharField("số, ký hiệu", max_length=100, blank=True)
    issued_on = models.DateField("ngày ban hành", null=True, blank=True)
    issuer = models.CharField("cơ quan ban hành", max_length=300, blank=True)
    file = models.FileField("tệp", upload_to=evidence_path, max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        _USER,
        verbose_name="người tải lên",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("tải lên lúc", default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "tài liệu kiểm chứng"
        verbose_name_plural = "tài liệu kiểm chứng"
        ordering = ["cycle_unit", "criterion__position", "uploaded_at"]
        indexes = [
            # A unit's score sheet lists the evidence per criterion.
            models.Index(fields=["cycle_unit", "criterion"], name="evidence_unit_criterion"),
        ]

    def __str__(self) -> str:
        return self.title


class PublishedResult(FrozenWhenPublished):
    """A unit's result frozen at publication (the figures of the decision); never changed
    but by a correction (services.cycle_correct)."""

    cycle = models.ForeignKey(
        Cycle,
        verbose_name="kỳ đánh giá",
        on_delete=models.PROTECT,
        related_name="published_results",
    )
    cycle_unit = models.OneToOneField(
        CycleUnit, on_delete=models.PROTECT, related_name="published_result"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="+"
    )
    block = models.CharField("khối xếp hạng", max_length=100, blank=True)
    rank = models.PositiveIntegerField("thứ hạng")
    rank_of = models.PositiveIntegerField("trên tổng số")
    # The batch.result_rows shape plus titles, grade label and the criteria tree's scores.
    data = models.JSONField("kết quả")
    published_at = models.DateTimeField("công bố lúc", default=timezone.now)

    class Meta:
        verbose_name = "kết quả đã công bố"
        verbose_name_plural = "kết quả đã công bố"
        ordering = ["cycle", "block", "rank", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "unit"], name="published_result_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.cycle}: {self.rank}/{self.rank_of}"


class ResultCorrection(models.Model):
    """A correction of published results (quyết định đính chính): the decision, the reason,
    the units whose results changed and what was published for them before. Shown on the
    public pages beside the corrected results; written only by services.cycle_correct."""

    cycle = models.ForeignKey(
        Cycle, verbose_name="kỳ đánh giá", on_delete=models.PROTECT, related_name="corrections"
    )
    decision_no = models.CharField("số quyết định", max_length=100)
    decision_date = models.DateField("ngày quyết định")
    reason = models.TextField("lý do")
    units = models.ManyToManyField(Unit, verbose_name="đơn vị được đính chính", related_name="+")
    # unit id (str) -> {"score", "rank", "rank_of"} as published before the correction.
    previous = models.JSONField("kết quả trước đính chính", default=dict)
    by = models.ForeignKey(
        _USER, verbose_name="người thực hiện", null=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    at = models.DateTimeField("lúc", default=timezone.now)

    class Meta:
        verbose_name = "đính chính kết quả"
        verbose_name_plural = "đính chính kết quả"
        ordering = ["cycle", "at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(decision_no="") & ~Q(reason=""), name="correction_has_decision"
            ),
        ]

    def __str__(self) -> str:
        return f"Quyết định số {self.decision_no} ({self.cycle})"


class RemediationStatus(models.TextChoices):
    OWED = "owed", "Phải nộp kế hoạch"
    SUBMITTED = "submitted", "Đã nộp"
    ACCEPTED = "accepted", "Đã chấp nhận"


class RemediationDuty(models.Model):
    """Seed 001: a unit under 75% in TTHC or chính quyền số (or graded "Hoàn thành nhiệm
    vụ") sends a remediation plan by a deadline."""

    cycle_unit = models.OneToOneField(
        CycleUnit, verbose_name="đơn vị", on_delete=models.CASCADE, related_name="remediation"
    )
    components = models.JSONField("lĩnh vực phải khắc phục", default=list, blank=True)
    by_grade = models.BooleanField("do mức xếp loại", default=False)
    deadline = models.DateField("hạn nộp")
    status = models.CharField(
        "trạng thái",
        max_length=16,
        choices=RemediationStatus.choices,
        default=RemediationStatus.OWED,
    )
    plan_file = models.FileField("kế hoạch khắc phục", upload_to="remediation/%Y/", blank=True)
    plan_note = models.TextField("ghi chú", blank=True)
    submitted_at = models.DateTimeField("nộp lúc", null=True, blank=True)
    submitted_by = models.ForeignKey(
        _USER,
        verbose_name="người nộp",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accepted_at = models.DateTimeField("chấp nhận lúc", null=True, blank=True)
    accepted_by = models.ForeignKey(
        _USER,
        verbose_name="người chấp nhận",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "nghĩa vụ khắc phục"
        verbose_name_plural = "nghĩa vụ khắc phục"
        ordering = ["deadline", "cycle_unit__unit__path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in RemediationStatus]),
                name="remediation_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cycle_unit.unit}: {self.get_status_display()}"
