from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cchc.service_index.models import Feedback


@admin.register(Feedback)
class FeedbackAdmin(SimpleHistoryAdmin):
    list_display = ["code", "unit", "received_on", "channel", "status", "answer_due_on",
                    "answered_on", "published_on"]  # fmt: skip
    list_filter = ["status", "channel", "classification"]
    search_fields = ["code", "content", "sender_name", "unit__name"]
    raw_id_fields = ["unit", "procedure", "assigned_to", "created_by"]
    date_hierarchy = "received_on"
