from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "cchc.plans"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Kế hoạch, kiểm tra, công vụ"

    def ready(self) -> None:
        # The access layer (units, below this app) fetches these objects for the pages and API.
        from cchc.plans.models import (
            Breakthrough,
            BreakthroughCall,
            Inspection,
            Plan,
            PlanItem,
            Recommendation,
            StaffMember,
        )
        from cchc.units import access_models

        access_models.register(
            Breakthrough=Breakthrough,
            BreakthroughCall=BreakthroughCall,
            Inspection=Inspection,
            Plan=Plan,
            PlanItem=PlanItem,
            Recommendation=Recommendation,
            StaffMember=StaffMember,
        )

        # Saved plans and staffing years cover their unit's year.
        from cchc.core import coverage_hooks
        from cchc.core.coverage import PLANS, STAFFING
        from cchc.plans.models import StaffingYear

        coverage_hooks.connect(Plan, coverage_hooks.yearly(PLANS, lambda p: (p.unit_id, p.year)))
        coverage_hooks.connect(
            StaffingYear, coverage_hooks.yearly(STAFFING, lambda s: (s.unit_id, s.year))
        )
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
