from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cchc.core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cchc.core import folding

        folding.install()
