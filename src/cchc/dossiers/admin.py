from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cchc.dossiers.models import (
    CalendarSwap,
    Dossier,
    DossierEvent,
    DossierImport,
    Procedure,
)


@admin.register(Procedure)
class ProcedureAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "field", "level", "processing_days", "fee", "online_class",
                    "active"]  # fmt: skip
    list_filter = ["level", "online_class", "active", "field"]
    search_fields = ["code", "name", "field"]


@admin.register(CalendarSwap)
class CalendarSwapAdmin(SimpleHistoryAdmin):
    list_display = ["date", "kind", "note"]
    list_filter = ["kind"]
    date_hierarchy = "date"


class DossierEventInline(admin.TabularInline):
    model = DossierEvent
    extra = 0
    fields = ["kind", "at", "by", "from_status", "to_status", "new_due_on", "reason"]
    readonly_fields = fields
    can_delete = False


@admin.register(Dossier)
class DossierAdmin(SimpleHistoryAdmin):
    # Read-only here: state changes go through the services (the clock, the summary).
    list_display = ["code", "unit", "procedure", "channel", "received_on", "due_on", "status",
                    "finished_on"]  # fmt: skip
    list_filter = ["status", "channel"]
    search_fields = ["code", "applicant"]
    raw_id_fields = ["unit", "procedure", "first_import", "last_import"]
    inlines = [DossierEventInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DossierImport)
class DossierImportAdmin(admin.ModelAdmin):
    list_display = ["filename", "by", "started_at", "status", "rows", "created", "updated",
                    "unchanged"]  # fmt: skip
    readonly_fields = [f.name for f in DossierImport._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # dossiers point to it (provenance shown in their history)
