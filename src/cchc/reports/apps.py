from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "cchc.reports"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Báo cáo"

    def ready(self) -> None:
        # The access layer (units, below this app) fetches these objects for the pages and API.
        from cchc.reports.models import Report, ReportFile
        from cchc.units import access_models

        access_models.register(Report=Report, ReportFile=ReportFile)
        from cchc.core.navigation import NavItem, register_inbox, register_nav
        from cchc.reports import selectors

        register_nav(NavItem("Báo cáo", "reports:index", order=50))
        register_inbox(selectors.inbox)
