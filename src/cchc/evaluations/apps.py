from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "cchc.evaluations"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Chỉ số CCHC"

    def ready(self) -> None:
        # The access layer (units, below this app) fetches these objects for the pages and API.
        from cchc.evaluations.models import (
            Cycle,
            CycleState,
            CycleUnit,
            Evidence,
            RemediationDuty,
            Score,
        )
        from cchc.units import access_models

        access_models.register(
            Cycle=Cycle,
            CycleState=CycleState,
            CycleUnit=CycleUnit,
            Evidence=Evidence,
            RemediationDuty=RemediationDuty,
            Score=Score,
        )

        # Saved scores cover their unit's evaluation year.
        from cchc.core import coverage_hooks
        from cchc.core.coverage import SCORES
        from cchc.evaluations.selectors import score_unit_and_year

        coverage_hooks.connect(Score, coverage_hooks.yearly(SCORES, score_unit_and_year))
        from cchc.core.navigation import NavItem, register_inbox, register_nav
        from cchc.evaluations.views.inbox import evaluation_inbox
        from cchc.units.roles import APPRAISER

        register_nav(NavItem("Chỉ số CCHC", "cycle-list", order=10))
        register_nav(NavItem("Thẩm định", "appraisal-list", roles=frozenset({APPRAISER}), order=11))
        # Public: shown to visitors without an account too (published results only).
        register_nav(NavItem("Kết quả Chỉ số CCHC", "public-results", public=True, order=80))
        register_inbox(evaluation_inbox)
