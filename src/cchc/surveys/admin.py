from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cchc.surveys.models import SurveyResult


@admin.register(SurveyResult)
class SurveyResultAdmin(SimpleHistoryAdmin):
    list_display = ["cycle", "unit", "survey", "value", "respondents", "entered_at"]
    list_filter = ["cycle", "survey"]
    search_fields = ["unit__name"]
    autocomplete_fields = ["unit"]
