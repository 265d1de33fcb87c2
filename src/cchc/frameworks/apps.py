from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "cchc.frameworks"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Bộ chỉ số"

    def ready(self) -> None:
        from cchc.core.navigation import NavItem, register_nav
        from cchc.units.roles import ADMINISTRATOR

        register_nav(
            NavItem("Bộ chỉ số", "framework-list", roles=frozenset({ADMINISTRATOR}), order=12)
        )
