from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "cchc.plans"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Kế hoạch, kiểm tra, công vụ"

    def ready(self) -> None:
        from cchc.core.metrics import register_metric_provider
        from cchc.core.navigation import NavItem, register_inbox, register_nav
        from cchc.plans import selectors

        register_nav(NavItem("Kế hoạch, kiểm tra", "plans:index", order=40))
        register_inbox(selectors.inbox)
        register_metric_provider(
            names=[selectors.METRIC],
            measure=selectors.measure_metrics,
            label="Tỷ lệ hoàn thành kế hoạch CCHC",
        )
