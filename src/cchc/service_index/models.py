"""The citizen-feedback register (sổ theo dõi phản ánh, kiến nghị) of each unit.

A feedback (phản ánh, kiến nghị, PAKN) on a procedure or an administrative rule is
received through a channel, assigned to an officer, and then refused, answered (with the
answer published) or first sent back for more information. Its deadlines are working days
(feedback_rules.py, with their source); indicators 5.2 and 5.3 of the QĐ 766 index are
counted from this register (counts.py). Every change is kept with who, when and why.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cchc.units.models import Unit


class FeedbackChannel(models.TextChoices):
    MAILBOX = "hom_thu", "Hòm thư góp ý"
    PORTAL = "cong_dvc", "Cổng dịch vụ công"
    IN_PERSON = "truc_tiep", "Trực tiếp"
    PHONE = "dien_thoai", "Điện thoại"


class FeedbackClass(models.TextChoices):
    # Scope of a feedback on administrative rules, Nghị định 20/2008/NĐ-CP art. 3 (as
    # recalled, not checked against the text in shared/domain [U]): conduct of officials
    # applying a rule; a rule unfit for practice; rules inconsistent with each other; an
    # unlawful rule; other matters; a proposal for handling or a new rule.
    CONDUCT = "hanh_vi", "Hành vi chậm trễ, gây phiền hà, thực hiện không đúng quy định"
    UNFIT = "khong_phu_hop", "Quy định hành chính không phù hợp thực tế"
    INCONSISTENT = "khong_thong_nhat", "Quy định không đồng bộ, thiếu thống nhất"
    UNLAWFUL = "khong_hop_phap", "Quy định không hợp pháp"
    PROPOSAL = "de_xuat", "Đề xuất phương án xử lý, sáng kiến"
    OTHER = "khac", "Vấn đề khác liên quan đến quy định hành chính"


class FeedbackStatus(models.TextChoices):
    RECEIVED = "received", "Mới tiếp nhận"
    SUPPLEMENT = "supplement", "Đã yêu cầu bổ sung thông tin"
    REFUSED = "refused", "Từ chối tiếp nhận"
    ANSWERED = "answered", "Đã trả lời, chờ công khai"
    PUBLISHED = "published", "Đã công khai kết quả"


OPEN_FEEDBACK = frozenset({FeedbackStatus.RECEIVED, FeedbackStatus.SUPPLEMENT})


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "Hài lòng"
    NOT_SATISFIED = "not_satisfied", "Không hài lòng"


class Feedback(models.Model):
    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="feedback"
    )
    code = models.CharField("số hiệu", max_length=40)
    received_on = models.DateField("ngày nhận")
    channel = models.CharField("kênh tiếp nhận", max_length=12, choices=FeedbackChannel.choices)
    sender_name = models.CharField("người phản ánh", max_length=200, blank=True)
    sender_contact = models.CharField("địa chỉ, điện thoại liên hệ", max_length=300, blank=True)
    procedure = models.ForeignKey(
        "dossiers.Procedure",
        verbose_name="thủ tục hành chính liên quan",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback",
    )
    rule_concerned = models.CharField("quy định hành chính liên quan", max_length=500, blank=True)
    dossier_code = models.CharField("mã hồ sơ liên quan", max_length=64, blank=True)
    content = models.TextField("nội dung")
    classification = models.CharField(
        "phân loại", max_length=20, choices=FeedbackClass.choices, default=FeedbackClass.OTHER
    )
    status = models.CharField(
        "trạng thái", max_length=12, choices=FeedbackStatus.choices, default=FeedbackStatus.RECEIVED
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người xử lý",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback_assigned",
    )
    # Deadlines in working days (feedback_rules.DEADLINES), computed when recorded.
    answer_due_on = models.DateField("hạn trả lời")
    refuse_due_on = models.DateField("hạn từ chối tiếp nhận")
    supplement_due_on = models.DateField("hạn yêu cầu bổ sung")
    publish_due_on = models.DateField("hạn công khai kết quả", null=True, blank=True)
    supplement_requested_on = models.DateField("ngày yêu cầu bổ sung", null=True, blank=True)
    refused_on = models.DateField("ngày từ chối", null=True, blank=True)
    refusal_reason = models.TextField("lý do từ chối", blank=True)
    answered_on = models.DateField("ngày trả lời", null=True, blank=True)
    answer = models.TextField("nội dung trả lời", blank=True)
    published_on = models.DateField("ngày công khai", null=True, blank=True)
    published_where = models.CharField("nơi công khai", max_length=300, blank=True)
    satisfaction = models.CharField(
        "mức độ hài lòng", max_length=16, choices=Satisfaction.choices, null=True, blank=True
    )
    repeat_complaint = models.BooleanField("tiếp tục phản ánh về kết quả", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người ghi sổ",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("ghi sổ lúc", default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "phản ánh, kiến nghị"
        verbose_name_plural = "phản ánh, kiến nghị"
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "code"], name="feedback_unit_code_unique"),
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | Q(answered_on__gte=F("received_on")),
                name="feedback_answered_after_received",
            ),
            models.CheckConstraint(
                condition=Q(published_on__isnull=True)
                | Q(answered_on__isnull=False, published_on__gte=F("answered_on")),
                name="feedback_published_after_answered",
            ),
            models.CheckConstraint(
                condition=Q(refused_on__isnull=True) | Q(refused_on__gte=F("received_on")),
                name="feedback_refused_after_received",
            ),
            models.CheckConstraint(
                condition=Q(supplement_requested_on__isnull=True)
                | Q(supplement_requested_on__gte=F("received_on")),
                name="feedback_supplement_after_received",
            ),
            models.CheckConstraint(
                condition=Q(answer_due_on__gte=F("received_on")),
                name="feedback_answer_due_after_received",
            ),
            # A refused feedback is never answered, and an answered one never refused.
            models.CheckConstraint(
                condition=Q(refused_on__isnull=True) | Q(answered_on__isnull=True),
                name="feedback_refused_or_answered",
            ),
            models.CheckConstraint(
                condition=Q(channel__in=FeedbackChannel.values), name="feedback_channel_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=FeedbackStatus.values), name="feedback_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(classification__in=FeedbackClass.values),
                name="feedback_class_valid",
            ),
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True) | Q(satisfaction__in=Satisfaction.values),
                name="feedback_satisfaction_valid",
            ),
        ]
        indexes = [
            # The register of a unit and the index's counts: received_on <= period end,
            # then answered_on (received or processed in the period).
            models.Index(fields=["unit", "received_on"], name="feedback_unit_received"),
            # The due lists and the inbox: a unit's feedback still waiting, by deadline.
            models.Index(fields=["unit", "status", "answer_due_on"], name="feedback_unit_due"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_FEEDBACK

    @property
    def concerns(self) -> str:
        """The procedure or rule the feedback is about, for lists."""
        if self.procedure_id:
            return str(self.procedure)
        return self.rule_concerned
