"""Stored frameworks (bộ chỉ số): the YAML text is the source of truth; criteria rows are
materialised from it so that scores, evidence and history can point at a criterion."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cchc.frameworks import spec as framework_spec

# Points are kept with 4 decimals: published tables give at most 3 (1,577), the spare digit
# guards against a rounding surprise. Percentages and ranks are computed, never stored.
POINTS = {"max_digits": 9, "decimal_places": 4}

# (framework pk, sha1 of its YAML) -> parsed spec; a framework's YAML changes only through
# framework_load, which writes a new text and therefore a new key.
_SPEC_CACHE: dict[tuple[int, str], framework_spec.Framework] = {}


class Method(models.TextChoices):
    EVIDENCE = framework_spec.METHOD_EVIDENCE, "Chấm theo tài liệu kiểm chứng"
    METRIC = framework_spec.METHOD_METRIC, "Tính từ số liệu đo được"
    SURVEY = framework_spec.METHOD_SURVEY, "Tính từ kết quả điều tra"


class Framework(models.Model):
    code = models.CharField("mã", max_length=64, unique=True)
    name = models.CharField("tên", max_length=300)
    description = models.TextField("mô tả", blank=True)
    source = models.TextField("căn cứ", blank=True)
    yaml_text = models.TextField("nội dung YAML")
    max_points = models.DecimalField("tổng điểm tối đa", **POINTS)
    loaded_at = models.DateTimeField("nạp lúc", default=timezone.now)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người nạp",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source_file = models.CharField("tệp nguồn", max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "bộ chỉ số"
        verbose_name_plural = "bộ chỉ số"
        ordering = ["-loaded_at", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(max_points__gt=0), name="framework_max_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def spec(self) -> framework_spec.Framework:
        """The parsed framework (cchc.frameworks.spec.Framework), cached per YAML text."""
        key = (self.pk or 0, hashlib.sha1(self.yaml_text.encode("utf-8")).hexdigest())
        cached = _SPEC_CACHE.get(key)
        if cached is None:
            cached = framework_spec.load_framework(self.yaml_text)
            _SPEC_CACHE[key] = cached
        return cached

    @property
    def is_illustrative(self) -> bool:
        return "minh họa" in self.name.lower()


class Criterion(models.Model):
    """A node of the framework's tree: component (depth 0), criterion, sub-criterion."""

    framework = models.ForeignKey(
        Framework, verbose_name="bộ chỉ số", on_delete=models.CASCADE, related_name="criteria"
    )
    code = models.CharField("mã", max_length=32)
    parent = models.ForeignKey(
        "self",
        verbose_name="tiêu chí cấp trên",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    title = models.TextField("tên tiêu chí")
    max_points = models.DecimalField("điểm tối đa", **POINTS)
    # Only on components: does it count for a grade's min_component (survey ones do not)?
    graded = models.BooleanField("tính khi xếp loại", default=False)
    method = models.CharField("phương pháp chấm", max_length=16, choices=Method.choices, blank=True)
    metric = models.CharField("số liệu", max_length=64, blank=True)
    thresholds = models.JSONField("bảng ngưỡng", default=list, blank=True)
    full_at = models.DecimalField("đạt tối đa từ (%)", null=True, blank=True, **POINTS)
    survey = models.CharField("cuộc điều tra", max_length=64, blank=True)
    scale = models.DecimalField("thang điểm điều tra", null=True, blank=True, **POINTS)
    source = models.TextField("căn cứ", blank=True)
    note = models.TextField("ghi chú", blank=True)
    depth = models.PositiveSmallIntegerField("cấp", default=0)
    is_leaf = models.BooleanField("tiêu chí lá", default=True)
    # Pre-order position in the tree: ordering by it prints the tree as the YAML lists it.
    position = models.PositiveIntegerField("thứ tự", default=0)

    class Meta:
        verbose_name = "tiêu chí"
        verbose_name_plural = "tiêu chí"
        ordering = ["framework", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"], name="criterion_framework_code_unique"
            ),
            models.CheckConstraint(condition=Q(max_points__gt=0), name="criterion_max_positive"),
            # A leaf has a method, a parent has none (spec.py enforces it on load too).
            models.CheckConstraint(
                condition=(Q(is_leaf=True) & ~Q(method="")) | (Q(is_leaf=False) & Q(method="")),
                name="criterion_leaf_has_method",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"
