from django.apps import AppConfig


class OutlinesConfig(AppConfig):
    # A Django app of its own inside reports/ so that its tables and migrations stay apart
    # from the periodic reports' (label "outlines").
    name = "cchc.reports.outlines"
    label = "outlines"
    verbose_name = "Đề cương báo cáo"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The access layer (units, below this app) fetches outline reports for the pages and API.
        from cchc.reports.outlines.models import OutlineReport
        from cchc.units import access_models

        access_models.register(OutlineReport=OutlineReport)
