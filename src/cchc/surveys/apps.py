from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "cchc.surveys"
    verbose_name = "Điều tra xã hội học, SIPAS"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Saved survey results cover their unit's evaluation year.
        from cchc.core import coverage_hooks
        from cchc.core.coverage import SURVEYS
        from cchc.evaluations.services.measured import register_survey_values
        from cchc.surveys.models import SurveyResult
        from cchc.surveys.selectors import result_unit_and_year, survey_values

        coverage_hooks.connect(SurveyResult, coverage_hooks.yearly(SURVEYS, result_unit_and_year))
        # The evaluation's survey leaves read their values here (evaluations sits below).
        register_survey_values(survey_values)
