from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cchc.units.models import AppraisalAssignment, Profile, RoleGrant, Unit


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "scheme", "code", "parent", "valid_from", "valid_to"]
    list_filter = ["kind", "scheme"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent", "successor"]
    readonly_fields = ["path"]


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 1


@admin.register(Profile)
class ProfileAdmin(SimpleHistoryAdmin):
    list_display = ["full_name", "user", "unit", "position"]
    search_fields = ["full_name", "user__username", "unit__name"]
    autocomplete_fields = ["unit", "user"]
    inlines = [RoleGrantInline]


@admin.register(AppraisalAssignment)
class AppraisalAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["appraiser", "unit"]
    autocomplete_fields = ["unit"]
    search_fields = ["appraiser__username", "unit__name"]
