from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "cchc.surveys"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Saved survey results cover their unit's evaluation year.
        from cchc.core import coverage_hooks
        from cchc.core.coverage import SURVEYS
        from cchc.surveys.models import SurveyResult
        from cchc.surveys.selectors import result_unit_and_year

        coverage_hooks.connect(SurveyResult, coverage_hooks.yearly(SURVEYS, result_unit_and_year))
