from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cchc.reports.outlines.models import Outline, OutlineReport


@admin.register(Outline)
class OutlineAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "structure", "loaded_at")


@admin.register(OutlineReport)
class OutlineReportAdmin(SimpleHistoryAdmin):
    list_display = ("outline", "unit", "period_label", "status", "updated_at")
    list_filter = ("status", "outline")
