from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cchc.core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cchc.core import folding, stamps
        from cchc.core.models import DataCoverage

        folding.install()
        # The data coverage decides which flags a kept QĐ 766 figure knows (core.stamps).
        stamps.follow(DataCoverage, lambda coverage: coverage.unit_id)
