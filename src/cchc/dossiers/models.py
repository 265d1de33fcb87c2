"""Procedures (TTHC), the working-day calendar's swaps, dossiers and their events.

The rules (due dates, the deadline clock, the statistics of form 06/VPCP/KSTT) are in the
plain modules beside this one; these models hold the data, the invariants the database can
check, and the per-unit, per-reporting-month summary the province-wide statistics read
(DESIGN.md, "Scale"). State changes go through services.py; bulk loads through the imports package.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cchc.core.formatting import VIETNAM, vn_date, vn_datetime
from cchc.units.models import Unit


class OnlineClass(models.TextChoices):
    # NĐ 42/2022/NĐ-CP art. 11: dịch vụ công trực tuyến toàn trình / một phần.
    FULL = "full", "Toàn trình"
    PARTIAL = "partial", "Một phần"
    NONE = "none", "Không có DVCTT"


class ProcedureLevel(models.TextChoices):
    CENTRAL = "central", "Cấp trung ương"
    PROVINCE = "province", "Cấp tỉnh"
    DISTRICT = "district", "Cấp huyện (trước 7/2025)"
    COMMUNE = "commune", "Cấp xã"
    MULTI = "multi", "Nhiều cấp"


class Procedure(models.Model):
    """A procedure of the catalogue (danh mục TTHC), with what QĐ 766 group 1 measures."""

    code = models.CharField("mã TTHC", max_length=64, unique=True)
    name = models.CharField("tên thủ tục", max_length=1000)
    field = models.CharField("lĩnh vực", max_length=300, blank=True)
    level = models.CharField("cấp thực hiện", max_length=16, choices=ProcedureLevel.choices,
                             blank=True)  # fmt: skip
    # None: the procedure sets no processing time, its dossiers have no due date (never late).
    processing_days = models.PositiveSmallIntegerField(
        "thời hạn giải quyết (ngày làm việc)", null=True, blank=True
    )
    fee = models.DecimalField(
        "phí, lệ phí (đồng)",
        max_digits=14,
        decimal_places=0,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    online_class = models.CharField(
        "dịch vụ công trực tuyến", max_length=8, choices=OnlineClass.choices,
        default=OnlineClass.NONE,
    )  # fmt: skip
    # QĐ 766 indicators 1.1–1.3: announcement, publication in the national database.
    announcement_no = models.CharField("số quyết định công bố", max_length=100, blank=True)
    announced_on = models.DateField("ngày công bố", null=True, blank=True)
    legal_basis_effective_on = models.DateField(
        "ngày văn bản quy định có hiệu lực", null=True, blank=True
    )
    published_on = models.DateField("ngày công khai trên CSDL quốc gia", null=True, blank=True)
    all_parts_published = models.BooleanField("công khai đủ bộ phận tạo thành", default=False)
    payment_integrated = models.BooleanField("tích hợp thanh toán trực tuyến", default=False)
    paper_result_required = models.BooleanField("kết quả giấy", default=True)
    certification = models.BooleanField("chứng thực bản sao từ bản chính", default=False)
    active = models.BooleanField("đang áp dụng", default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "thủ tục hành chính"
        verbose_name_plural = "thủ tục hành chính"
        ordering = ["field", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(fee__gte=0), name="procedure_fee_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class SwapKind(models.TextChoices):
    DAY_OFF = "day_off", "Ngày nghỉ thêm"
    WORKING_DAY = "working_day", "Ngày làm việc bù"


class CalendarSwap(models.Model):
    """A day the Government's yearly notice swaps (extra day off, make-up working day).

    The `holidays` package knows them up to 2026; later years are entered here.
    """

    date = models.DateField("ngày", unique=True)
    kind = models.CharField("loại", max_length=16, choices=SwapKind.choices)
    note = models.CharField("căn cứ (thông báo, quyết định)", max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "ngày hoán đổi lịch làm việc"
        verbose_name_plural = "ngày hoán đổi lịch làm việc"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{vn_date(self.date)} {self.get_kind_display()}"


class Channel(models.TextChoices):
    TRUC_TIEP = "truc_tiep", "Trực tiếp"
    TRUC_TUYEN = "truc_tuyen", "Trực tuyến"
    BUU_CHINH = "buu_chinh", "Bưu chính công ích"


class Status(models.TextChoices):
    RECEIVED = "received", "Mới tiếp nhận"
    PROCESSING = "processing", "Đang xử lý"
    SUPPLEMENT_REQUESTED = "supplement_requested", "Chờ bổ sung"
    RESOLVED = "resolved", "Đã giải quyết"
    RETURNED = "returned", "Trả lại"
    WITHDRAWN = "withdrawn", "Rút hồ sơ"


# A dossier in one of these states is finished: it has finished_at and counts as resolved
# in the statistics of the period it finished in (TT 01/2020, form 06: "đã giải quyết").
FINISHED_STATUSES = frozenset({Status.RESOLVED, Status.RETURNED, Status.WITHDRAWN})
OPEN_STATUSES = frozenset({Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT_REQUESTED})


class IntakeDigitized(models.TextChoices):
    NONE = "none", "Không số hóa"
    PARTIAL = "partial", "Số hóa một phần"
    FULL = "full", "Số hóa đầy đủ"


class Rating(models.TextChoices):
    SATISFIED = "satisfied", "Hài lòng"
    NOT_SATISFIED = "not_satisfied", "Không hài lòng"


class DossierImport(models.Model):
    """One bulk import of a one-stop software export: who, when, which file, what changed.

    A bulk import records this one row instead of a history row per dossier (see
    docs/dossier-import.md); every dossier it created or changed points back to it.
    """

    class ImportStatus(models.TextChoices):
        RUNNING = "running", "Đang nhập"
        DONE = "done", "Hoàn thành"
        FAILED = "failed", "Bị từ chối"

    filename = models.CharField("tệp", max_length=500)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người nhập", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    started_at = models.DateTimeField("bắt đầu", default=timezone.now)
    finished_at = models.DateTimeField("kết thúc", null=True, blank=True)
    status = models.CharField(
        "trạng thái", max_length=8, choices=ImportStatus.choices, default=ImportStatus.RUNNING
    )
    rows = models.PositiveIntegerField("số dòng", default=0)
    created = models.PositiveIntegerField("hồ sơ mới", default=0)
    updated = models.PositiveIntegerField("hồ sơ cập nhật", default=0)
    unchanged = models.PositiveIntegerField("hồ sơ không đổi", default=0)
    errors = models.JSONField("lỗi", default=list, blank=True)
    job = models.ForeignKey(
        "core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The importing process (core/liveness.py): an import whose process died is marked
    # failed by the next import, the worker at start and the import page.
    host = models.CharField("máy chạy", max_length=255, blank=True)
    pid = models.PositiveIntegerField("tiến trình", null=True, blank=True)
    heartbeat_at = models.DateTimeField("lần báo gần nhất", null=True, blank=True)

    class Meta:
        verbose_name = "lần nhập hồ sơ"
        verbose_name_plural = "lần nhập hồ sơ"
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({vn_datetime(self.started_at)})"


class Dossier(models.Model):
    """A dossier (hồ sơ TTHC) received by a unit's one-stop desk."""

    # No single-column indexes on the foreign keys: (unit, code) and (unit, received_on)
    # serve every query by unit, and each index slows the bulk import; a procedure's or an
    # import's dossiers are looked up rarely (deleting a procedure is refused anyway).
    unit = models.ForeignKey(Unit, verbose_name="đơn vị", on_delete=models.PROTECT,
                             related_name="dossiers", db_index=False)  # fmt: skip
    code = models.CharField("mã hồ sơ", max_length=64)
    procedure = models.ForeignKey(
        Procedure, verbose_name="thủ tục", on_delete=models.PROTECT, related_name="dossiers",
        db_index=False,
    )  # fmt: skip
    applicant = models.CharField("người nộp", max_length=300, blank=True)
    channel = models.CharField("kênh tiếp nhận", max_length=12, choices=Channel.choices)
    received_at = models.DateTimeField("thời điểm tiếp nhận")
    # Calendar dates in Vietnam time: what the statistics compare (a dossier received at
    # 16:45 on 1/3 was received on 1/3). Kept in step with the date-times by save().
    received_on = models.DateField("ngày tiếp nhận", editable=False)
    # The effective due date: moved by the working days a closed supplement stopped the
    # clock (clock.py). None: no processing time, never late.
    due_on = models.DateField("hạn giải quyết", null=True, blank=True)
    status = models.CharField(
        "trạng thái", max_length=24, choices=Status.choices, default=Status.RECEIVED
    )
    finished_at = models.DateTimeField("thời điểm kết thúc", null=True, blank=True)
    finished_on = models.DateField("ngày kết thúc", null=True, blank=True, editable=False)
    # The open supplement request's day: the clock stands still from then on; the
    # statistics move the due date up to the report day (clock.effective_due_date).
    clock_stopped_on = models.DateField("ngày dừng tính hạn", null=True, blank=True)
    intake_digitized = models.CharField(
        "số hóa khi tiếp nhận", max_length=8, choices=IntakeDigitized.choices,
        default=IntakeDigitized.NONE,
    )  # fmt: skip
    result_digitized = models.BooleanField("số hóa kết quả", default=False)
    result_electronic = models.BooleanField("kết quả điện tử", default=False)
    paid_online = models.BooleanField("thanh toán trực tuyến", default=False)
    # Fee and charge of this dossier in đồng (issue 14): the import's `fee` column, else the
    # procedure's fee when the catalogue knows it. None or 0: no fee, so the dossier is
    # outside the online-payment rate's denominator (QĐ 766 indicator 3.6).
    fee = models.DecimalField(
        "phí, lệ phí (đồng)", max_digits=14, decimal_places=0, null=True, blank=True
    )
    reused_data = models.BooleanField("tái sử dụng dữ liệu số hóa", default=False)
    e_certified_copy = models.BooleanField("bản sao điện tử có chứng thực", default=False)
    data_store_linked = models.BooleanField("kết nối kho dữ liệu công dân", default=False)
    synced = models.BooleanField("đồng bộ Cổng DVCQG", default=False)
    rating = models.CharField(
        "đánh giá", max_length=16, choices=Rating.choices, null=True, blank=True
    )
    complaint = models.BooleanField("có phản ánh, kiến nghị", default=False)
    supplement_count = models.PositiveSmallIntegerField("số lần yêu cầu bổ sung", default=0)
    # QĐ 766 indicator 2.1 (national portal's rule): a second supplement request makes the
    # dossier late whatever its dates.
    late_by_rule = models.BooleanField("quá hạn do yêu cầu bổ sung lần hai", default=False)
    # Provenance of bulk imports; no database constraint (a check per row of a 5-million-row
    # import) since the import writes its own id, and import records are never deleted.
    first_import = models.ForeignKey(
        DossierImport, verbose_name="tạo bởi lần nhập", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", db_index=False, db_constraint=False,
    )  # fmt: skip
    last_import = models.ForeignKey(
        DossierImport, verbose_name="cập nhật lần cuối bởi lần nhập", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", db_index=False, db_constraint=False,
    )  # fmt: skip
    # What the import that last wrote this dossier read (imports.format.content_hashes): a
    # monthly re-import recognises an unchanged row by it without reading or writing the
    # dossier. Any other save clears it (the next import then compares column by column).
    content_hash = models.BigIntegerField("mã băm nội dung nhập", null=True, editable=False)
    created_at = models.DateTimeField("tạo lúc", default=timezone.now, editable=False)
    updated_at = models.DateTimeField("sửa lúc", default=timezone.now, editable=False)
    history = HistoricalRecords(excluded_fields=["updated_at", "content_hash"])

    class Meta:
        verbose_name = "hồ sơ"
        verbose_name_plural = "hồ sơ"
        ordering = ["-received_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(code=""), name="dossier_code_not_empty"),
            # Unique (unit, code), written with expressions so that Django creates it as an
            # index of its own (a plain index on the two columns) instead of a UNIQUE clause
            # inside SQLite's table, which could not be dropped: a big first import drops it
            # and builds it again after the load (imports.loading._indexes_rebuilt). No condition:
            # SQLite uses a partial index only for queries that repeat its condition, and
            # every lookup and join by (unit, code) needs this one.
            models.UniqueConstraint(F("unit"), F("code"), name="dossier_unit_code_unique"),
            # A dossier finished before it was received would fall out of both "resolved"
            # and "pending" and break the form's identity (col. 3 = 7 + 11).
            models.CheckConstraint(
                condition=Q(finished_on__isnull=True) | Q(finished_on__gte=F("received_on")),
                name="dossier_finished_after_received",
            ),
            models.CheckConstraint(
                condition=Q(due_on__isnull=True) | Q(due_on__gte=F("received_on")),
                name="dossier_due_after_received",
            ),
            models.CheckConstraint(
                condition=Q(finished_at__isnull=True, finished_on__isnull=True)
                | Q(finished_at__isnull=False, finished_on__isnull=False),
                name="dossier_finished_date_with_time",
            ),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="dossier_channel_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="dossier_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(intake_digitized__in=IntakeDigitized.values),
                name="dossier_intake_valid",
            ),
        ]
        indexes = [
            # One unit's statistics from the rows: received_on <= to, then finished_on.
            models.Index(fields=["unit", "received_on"], name="dossier_unit_received"),
            # The desk's work list: a unit's open dossiers by due date. Partial: only the few
            # unfinished dossiers are in it, so the bulk import of finished ones skips it.
            models.Index(
                fields=["unit", "due_on"],
                name="dossier_open_due",
                condition=Q(finished_at__isnull=True),
            ),
            # The few dossiers whose clock stands still: the statistics read them as rows
            # (selectors._open_supplement_overdue: a range on clock_stopped_on, any unit).
            models.Index(
                fields=["clock_stopped_on", "unit"],
                name="dossier_clock_stopped",
                condition=Q(clock_stopped_on__isnull=False),
            ),
            # A re-import looks its rows' hashes up here (imports.writing._unchanged).
            models.Index(fields=["content_hash"], name="dossier_content_hash"),
        ]

    def __str__(self) -> str:
        return self.code

    def save(self, *args, **kwargs):
        self.sync_dates()
        self.updated_at = timezone.now()
        self.content_hash = None  # changed outside an import: compared in full next time
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "content_hash"}
        super().save(*args, **kwargs)

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None

    def sync_dates(self) -> None:
        self.received_on = local_date(self.received_at)
        self.finished_on = local_date(self.finished_at) if self.finished_at else None


def local_date(value: dt.datetime) -> dt.date:
    """The calendar date of a date-time in Vietnam time, whatever the server's zone: every
    date boundary is drawn in Asia/Ho_Chi_Minh (issue 14). Naive times are Vietnam time."""
    if timezone.is_aware(value):
        return value.astimezone(VIETNAM).date()
    return value.date()


class EventKind(models.TextChoices):
    SUPPLEMENT_REQUESTED = "supplement_requested", "Yêu cầu bổ sung"
    SUPPLEMENT_RECEIVED = "supplement_received", "Đã nhận bổ sung"
    APOLOGY = "apology", "Thư xin lỗi, hẹn lại ngày trả"
    STATUS = "status", "Chuyển trạng thái"
    NOTE = "note", "Ghi chú"


class DossierEvent(models.Model):
    """What happened to a dossier: supplements, apology letters, state changes, notes."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("loại", max_length=24, choices=EventKind.choices)
    at = models.DateTimeField("thời điểm")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người thực hiện", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    from_status = models.CharField("từ trạng thái", max_length=24, blank=True)
    to_status = models.CharField("sang trạng thái", max_length=24, blank=True)
    # Apology: the promised date; supplement received: the moved due date.
    new_due_on = models.DateField("hạn mới", null=True, blank=True)
    reason = models.TextField("lý do", blank=True)

    class Meta:
        verbose_name = "diễn biến hồ sơ"
        verbose_name_plural = "diễn biến hồ sơ"
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["dossier", "kind", "at"], name="dossier_event_kind")]

    def __str__(self) -> str:
        return f"{self.dossier.code}: {self.get_kind_display()} {vn_date(self.at)}"


class ArchivedYear(models.Model):
    """A year of dossiers taken out of the dossier table (PostgreSQL: its partition
    detached, partitions.archive_year; docs/scaling.md). The monthly summary keeps that
    year's figures; a figure that needs the dossier rows of a period the year's dossiers
    reach is refused as archived (selectors.archived_years_in), never counted as 0. The
    codes table keeps the year's (unit, code): an import cannot bring them back as new."""

    year = models.PositiveSmallIntegerField("năm tiếp nhận", unique=True)
    table = models.CharField("bảng đã tách", max_length=63, blank=True)  # empty: dropped
    file = models.CharField("tệp lưu trữ", max_length=500, blank=True)
    rows = models.PositiveIntegerField("số hồ sơ", default=0)
    # The last day a dossier of the year finished: row figures of a period ending before
    # the year or starting after this day do not need its rows.
    last_finished_on = models.DateField("ngày kết thúc muộn nhất", null=True, blank=True)
    archived_at = models.DateTimeField("lưu trữ lúc", default=timezone.now)

    class Meta:
        verbose_name = "năm hồ sơ đã lưu trữ"
        verbose_name_plural = "năm hồ sơ đã lưu trữ"
        ordering = ["year"]

    def __str__(self) -> str:
        return f"Hồ sơ năm {self.year} (đã lưu trữ)"


class DossierMonthStat(models.Model):
    """Per unit and reporting month (15th–14th): the flows every standard period sums.

    Maintained by the services (one dossier at a time) and the import (set-based); see
    summary.py for what each column counts and how a period's figures come out of them.
    `month` is year * 12 + (reporting month − 1): Tháng 1/2023 (15/12/2022–14/1/2023) is
    2023 * 12 + 0.
    """

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    month = models.IntegerField()
    # by the month received
    received_truc_tiep = models.IntegerField(default=0)
    received_truc_tuyen = models.IntegerField(default=0)
    received_buu_chinh = models.IntegerField(default=0)
    intake_full = models.IntegerField(default=0)
    paid_online = models.IntegerField(default=0)  # of the fee-bearing ones
    fee_required = models.IntegerField(default=0)  # received carrying a fee
    # by the month finished (the outcome is fixed at finish)
    resolved_early = models.IntegerField(default=0)
    resolved_on_time = models.IntegerField(default=0)
    resolved_late = models.IntegerField(default=0)
    result_digitized = models.IntegerField(default=0)
    # by the month of (due date + 1 day): dossiers that are past due from that month on
    due_passed = models.IntegerField(default=0)
    # by max(month of due + 1, month finished): finished and past due, both by then
    due_passed_finished = models.IntegerField(default=0)

    class Meta:
        verbose_name = "tổng hợp hồ sơ theo tháng"
        verbose_name_plural = "tổng hợp hồ sơ theo tháng"
        constraints = [
            models.UniqueConstraint(fields=["unit", "month"], name="dossier_month_stat_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.month}"
