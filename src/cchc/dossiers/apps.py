from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "cchc.dossiers"
    verbose_name = "Hồ sơ thủ tục hành chính"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The access layer (units, below this app) fetches dossiers for the pages and API.
        from cchc.dossiers.models import Dossier
        from cchc.units import access_models

        access_models.register(Dossier=Dossier)

        # Imports whose process died are failed by the shell's reaper.
        from cchc.core.reaper import register_reaper
        from cchc.dossiers.reaper import REAPER

        register_reaper("dossiers.import", REAPER)

        # Saved dossiers extend their unit's data coverage; the desk form asks both flags, so
        # a desk entry knows them.
        from cchc.core import coverage_hooks
        from cchc.core.coverage import DOSSIERS, FLAG_DATA_STORE, FLAG_SYNCED

        coverage_hooks.connect(
            Dossier,
            coverage_hooks.dated(DOSSIERS, "received_on", (FLAG_SYNCED, FLAG_DATA_STORE)),
        )
        # Computed figures kept under the data's stamps (cchc.core.stamps) are served until
        # these rows change: a dossier moves its unit's counter; the catalogue, the
        # calendar and an archived year move everything's.
        from cchc.core import stamps
        from cchc.dossiers.models import ArchivedYear, CalendarSwap, Procedure

        stamps.follow(Dossier, lambda dossier: dossier.unit_id)
        for model in (Procedure, CalendarSwap, ArchivedYear):
            stamps.follow(model, None)
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
