from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cchc.evaluations.models import (
    Cycle,
    CycleTransition,
    CycleUnit,
    Evidence,
    PublishedResult,
    RemediationDuty,
    Score,
)


class CycleTransitionInline(admin.TabularInline):
    model = CycleTransition
    fields = ["at", "from_state", "to_state", "by", "reason", "reopening"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # transitions go through cchc.evaluations.services


@admin.register(Cycle)
class CycleAdmin(SimpleHistoryAdmin):
    list_display = ["name", "year", "framework", "organiser", "state", "published_at"]
    list_filter = ["state", "year"]
    search_fields = ["name"]
    autocomplete_fields = ["organiser", "appraising_body"]
    inlines = [CycleTransitionInline]


@admin.register(CycleUnit)
class CycleUnitAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "cycle", "block", "status", "submitted_at"]
    list_filter = ["status", "cycle"]
    search_fields = ["unit__name"]
    autocomplete_fields = ["unit"]


@admin.register(Score)
class ScoreAdmin(SimpleHistoryAdmin):
    list_display = [
        "cycle_unit",
        "criterion",
        "max_points",
        "self_score",
        "appraised_score",
        "measured_value",
    ]
    list_filter = ["cycle_unit__cycle"]
    search_fields = ["cycle_unit__unit__name", "criterion__code"]
    raw_id_fields = ["cycle_unit", "criterion"]


@admin.register(Evidence)
class EvidenceAdmin(SimpleHistoryAdmin):
    list_display = ["title", "number_symbol", "issued_on", "issuer", "cycle_unit", "criterion"]
    search_fields = ["title", "number_symbol"]
    raw_id_fields = ["cycle_unit", "criterion"]


@admin.register(PublishedResult)
class PublishedResultAdmin(admin.ModelAdmin):
    list_display = ["cycle", "unit", "block", "rank", "rank_of", "published_at"]
    list_filter = ["cycle"]

    def has_change_permission(self, request, obj=None):
        return False  # frozen at publication

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RemediationDuty)
class RemediationDutyAdmin(SimpleHistoryAdmin):
    list_display = ["cycle_unit", "deadline", "status", "submitted_at"]
    list_filter = ["status"]
    raw_id_fields = ["cycle_unit"]
