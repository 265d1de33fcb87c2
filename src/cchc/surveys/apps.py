from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "cchc.surveys"
    verbose_name = "Điều tra xã hội học, SIPAS"
    default_auto_field = "django.db.models.BigAutoField"
