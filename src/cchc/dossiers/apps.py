from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "cchc.dossiers"
    verbose_name = "Hồ sơ thủ tục hành chính"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # -- pages (dossiers pages helper): menu entry and the desk's inbox items ------------
        from cchc.core.navigation import NavItem, register_inbox, register_nav
        from cchc.dossiers.inbox import desk_inbox

        register_nav(NavItem("Hồ sơ TTHC", "dossiers:index", order=30))
        register_inbox(desk_inbox)
        # -- end pages --------------------------------------------------------------------
        # -- engine (dossiers engine helper): metrics that framework criteria refer to -------
        from cchc.dossiers import calendar  # noqa: F401  (connects the calendar cache signals)
        from cchc.dossiers.metrics import register

        register()
        # -- end engine ---------------------------------------------------------------------
