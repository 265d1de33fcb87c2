from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cchc.core"
    default_auto_field = "django.db.models.BigAutoField"
