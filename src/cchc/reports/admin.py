from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cchc.reports.models import DeadlineSetting, FilingReminder, Report, ReportFile


@admin.register(DeadlineSetting)
class DeadlineSettingAdmin(SimpleHistoryAdmin):
    list_display = ("period_kind", "day", "month_offset", "source")


class ReportFileInline(admin.TabularInline):
    model = ReportFile
    extra = 0
    can_delete = False  # generated files are the report's history
    fields = ("generated_at", "generated_by", "format", "file", "checksum", "size", "filed")
    readonly_fields = fields


@admin.register(Report)
class ReportAdmin(SimpleHistoryAdmin):
    list_display = ("unit", "kind", "period_code", "status", "submitted_at")
    list_filter = ("kind", "status", "year")
    search_fields = ("unit__name", "period_code")
    raw_id_fields = ("unit", "submitted_to", "cycle", "inspection")
    inlines = [ReportFileInline]


@admin.register(FilingReminder)
class FilingReminderAdmin(admin.ModelAdmin):
    list_display = ("unit", "report_kind", "period_code", "due_on", "reminded_on", "status")
    list_filter = ("status", "report_kind")
    raw_id_fields = ("unit",)
