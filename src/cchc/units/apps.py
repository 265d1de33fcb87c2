from django.apps import AppConfig


class UnitsConfig(AppConfig):
    name = "cchc.units"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Đơn vị và người dùng"

    def ready(self) -> None:
        from cchc.core.navigation import NavItem, register_nav, register_roles
        from cchc.units.permissions import roles_of
        from cchc.units.roles import ADMINISTRATOR

        register_roles(roles_of)  # the menu shows each person the items of their roles
        # A unit's row (its kind, parent, lifetime) decides whom it is ranked among: a
        # change moves everything's stamp (kept figures, cchc.core.stamps).
        from cchc.core import stamps
        from cchc.units.models import Unit

        stamps.follow(Unit, None)

        register_nav(NavItem("Trang chủ", "home", order=0))
        register_nav(NavItem("Đơn vị", "unit-list", order=90))
        register_nav(
            NavItem("Người dùng", "people-list", roles=frozenset({ADMINISTRATOR}), order=200)
        )
