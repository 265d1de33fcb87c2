from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cchc.plans.models import (
    Breakthrough,
    BreakthroughCall,
    Component,
    Finding,
    Inspection,
    InspectionTarget,
    Plan,
    PlanItem,
    Recommendation,
    RemediationReport,
    StaffingYear,
    StaffMember,
)


@admin.register(Component)
class ComponentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "short_name", "order"]


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "unit", "year", "state", "number", "issued_on"]
    list_filter = ["state", "year"]
    search_fields = ["title", "unit__name", "number"]
    autocomplete_fields = ["unit"]


@admin.register(PlanItem)
class PlanItemAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title", "plan", "level", "status", "due_on"]
    list_filter = ["level", "status"]
    search_fields = ["title", "plan__title"]
    raw_id_fields = ["plan", "parent", "lead_unit", "lead_officer"]


class TargetInline(admin.TabularInline):
    model = InspectionTarget
    raw_id_fields = ["unit"]
    extra = 0


@admin.register(Inspection)
class InspectionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "organiser", "kind", "year", "start_on"]
    list_filter = ["kind", "year"]
    raw_id_fields = ["organiser"]
    inlines = [TargetInline]


@admin.register(Finding)
class FindingAdmin(SimpleHistoryAdmin):
    list_display = ["inspection", "unit", "component", "kind"]
    raw_id_fields = ["inspection", "unit"]


@admin.register(Recommendation)
class RecommendationAdmin(SimpleHistoryAdmin):
    list_display = ["inspection", "unit", "due_on", "closed_on"]
    raw_id_fields = ["inspection", "unit", "finding"]


@admin.register(RemediationReport)
class RemediationReportAdmin(SimpleHistoryAdmin):
    list_display = ["recommendation", "reported_on"]
    raw_id_fields = ["recommendation"]


@admin.register(BreakthroughCall)
class BreakthroughCallAdmin(SimpleHistoryAdmin):
    list_display = ["title", "unit", "year", "deadline"]
    raw_id_fields = ["unit"]


@admin.register(Breakthrough)
class BreakthroughAdmin(SimpleHistoryAdmin):
    list_display = ["title", "unit", "call", "registered_on", "status"]
    raw_id_fields = ["unit", "call"]


class MemberInline(admin.TabularInline):
    model = StaffMember
    extra = 0


@admin.register(StaffingYear)
class StaffingYearAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "year", "positions_allotted", "positions_filled"]
    raw_id_fields = ["unit"]
    inlines = [MemberInline]
