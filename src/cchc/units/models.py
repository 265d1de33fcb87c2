"""Administrative units, the people who work in them and what they may do there."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from cchc.units.naming import ADMIN_TYPE_CHOICES
from cchc.units.roles import ROLE_CHOICES


class UnitKind(models.TextChoices):
    PROVINCE = "province", "Tỉnh/Thành phố"
    DISTRICT = "district", "Huyện/Quận/Thị xã (trước 7/2025)"
    COMMUNE = "commune", "Xã"
    WARD = "ward", "Phường"
    SPECIAL_ZONE = "special_zone", "Đặc khu"
    TOWN = "town", "Thị trấn (trước 7/2025)"
    DEPARTMENT = "department", "Sở, ban, ngành"


class CodeScheme(models.TextChoices):
    # Old and new commune codes overlap (2,179 codes name different communes), so a code
    # is always stored with the scheme it belongs to.
    GSO_2025 = "2025", "Mã 2025 (chính quyền 2 cấp)"
    GSO_2008 = "2008", "Mã 2008 (trước 7/2025)"
    LOCAL = "local", "Mã nội bộ"


class Unit(models.Model):
    scheme = models.CharField("hệ mã", max_length=8, choices=CodeScheme.choices)
    code = models.CharField("mã", max_length=32)
    name = models.CharField("tên", max_length=200)
    kind = models.CharField("loại", max_length=16, choices=UnitKind.choices)
    # The administrative type (tỉnh, thành phố trực thuộc trung ương, thị xã, …) that names
    # the unit in documents (cchc.units.naming); blank for a department.
    admin_type = models.CharField(
        "loại đơn vị hành chính", max_length=40, choices=ADMIN_TYPE_CHOICES, blank=True
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="đơn vị cấp trên",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # "/2025-31/2025-11311/": lets "a unit and everything under it" be one indexed prefix query.
    path = models.CharField(max_length=500, editable=False, db_index=True)
    valid_from = models.DateField("hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name="sáp nhập vào",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="unit_scheme_code_unique"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_from__lte=models.F("valid_to")),
                name="unit_valid_from_before_to",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.admin_type:
            from cchc.units.naming import type_from_name

            self.admin_type = type_from_name(self.name, self.kind)
        old_path = self.path
        self.path = self.compute_path()
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            # A moved unit carries its subtree: every permission check reads `path`, so a
            # stale descendant path would keep the old district's rights over it.
            for child in Unit.objects.filter(parent=self):
                child.save()

    @property
    def key(self) -> str:
        return f"{self.scheme}-{self.code}"

    def compute_path(self) -> str:
        prefix = self.parent.path if self.parent_id else "/"
        return f"{prefix}{self.key}/"

    @property
    def is_historical(self) -> bool:
        return self.valid_to is not None

    def descendants(self, include_self: bool = True):
        qs = Unit.objects.filter(path__startswith=self.path)
        return qs if include_self else qs.exclude(pk=self.pk)

    def ancestors(self):
        keys = [part for part in self.path.strip("/").split("/")[:-1]]
        pairs = [key.split("-", 1) for key in keys]
        query = Q(pk__in=[])
        for scheme, code in pairs:
            query |= Q(scheme=scheme, code=code)
        return Unit.objects.filter(query).order_by("path")


class Profile(models.Model):
    """A person: a user account that belongs to one unit."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="people"
    )
    full_name = models.CharField("họ và tên", max_length=200)
    position = models.CharField("chức vụ", max_length=200, blank=True)
    phone = models.CharField("điện thoại", max_length=30, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "người dùng"
        verbose_name_plural = "người dùng"

    def __str__(self) -> str:
        return f"{self.full_name} ({self.unit})"


class RoleGrant(models.Model):
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField("vai trò", max_length=16, choices=ROLE_CHOICES)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "vai trò"
        verbose_name_plural = "vai trò"
        constraints = [
            models.UniqueConstraint(fields=["profile", "role"], name="role_grant_unique")
        ]

    def __str__(self) -> str:
        return self.get_role_display()


class AppraisalAssignment(models.Model):
    """An appraiser is assigned the units they appraise; they see only those."""

    appraiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="appraisal_assignments"
    )
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="appraisers")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "phân công thẩm định"
        verbose_name_plural = "phân công thẩm định"
        constraints = [
            models.UniqueConstraint(
                fields=["appraiser", "unit"], name="appraisal_assignment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.appraiser} → {self.unit}"
