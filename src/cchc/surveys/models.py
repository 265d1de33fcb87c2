"""Survey results (điều tra xã hội học, SIPAS) per unit and cycle, feeding survey criteria."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cchc.evaluations.models import MEASURE, Cycle
from cchc.frameworks.spec import SURVEY_LABELS
from cchc.units.models import Unit


class SurveyResult(models.Model):
    cycle = models.ForeignKey(
        Cycle, verbose_name="kỳ đánh giá", on_delete=models.CASCADE, related_name="survey_results"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="survey_results"
    )
    survey = models.CharField("cuộc điều tra", max_length=64)
    # On the survey's scale (percent by default; a criterion's `scale` says otherwise).
    value = models.DecimalField("kết quả", **MEASURE)
    respondents = models.PositiveIntegerField("số phiếu", null=True, blank=True)
    source_note = models.TextField("nguồn", blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người nhập",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_at = models.DateTimeField("nhập lúc", default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "kết quả điều tra"
        verbose_name_plural = "kết quả điều tra"
        ordering = ["cycle", "survey", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "unit", "survey"], name="survey_result_unique"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="survey_value_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.survey}: {self.value}"

    @property
    def survey_label(self) -> str:
        return SURVEY_LABELS.get(self.survey, self.survey)
