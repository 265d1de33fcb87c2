from django.apps import AppConfig


class OutlinesConfig(AppConfig):
    # A Django app of its own inside reports/ so that its tables and migrations stay apart
    # from the periodic reports' (label "outlines").
    name = "cchc.reports.outlines"
    label = "outlines"
    verbose_name = "Đề cương báo cáo"
    default_auto_field = "django.db.models.BigAutoField"
