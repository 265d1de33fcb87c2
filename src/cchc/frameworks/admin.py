from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cchc.frameworks.models import Criterion, Framework


class CriterionInline(admin.TabularInline):
    model = Criterion
    fields = ["code", "title", "max_points", "method", "metric", "survey", "graded"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False  # criteria come from the YAML (cchc frameworks load)


@admin.register(Framework)
class FrameworkAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "max_points", "loaded_at", "loaded_by"]
    search_fields = ["code", "name"]
    readonly_fields = ["yaml_text", "max_points", "loaded_at", "loaded_by", "source_file"]
    inlines = [CriterionInline]


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["framework", "code", "title", "max_points", "method", "metric", "survey"]
    list_filter = ["framework", "method"]
    search_fields = ["code", "title"]
