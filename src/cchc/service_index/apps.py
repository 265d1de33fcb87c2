from django.apps import AppConfig


class ServiceIndexConfig(AppConfig):
    name = "cchc.service_index"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Chỉ số 766 và phản ánh, kiến nghị"

    def ready(self) -> None:
        # The access layer (units, below this app) fetches feedback for the pages and API.
        from cchc.service_index.models import Feedback
        from cchc.units import access_models

        access_models.register(Feedback=Feedback)

        # Saved feedback extends its unit's data coverage.
        from cchc.core import coverage_hooks
        from cchc.core.coverage import FEEDBACK

        coverage_hooks.connect(Feedback, coverage_hooks.dated(FEEDBACK, "received_on"))
        # A feedback row moves its unit's stamp (kept QĐ 766 figures, cchc.core.stamps).
        from cchc.core import stamps

        stamps.follow(Feedback, lambda feedback: feedback.unit_id)
        from cchc.core.metrics import register_metric_provider
        from cchc.core.navigation import NavItem, register_inbox, register_nav
        from cchc.service_index.integration import feedback_inbox, measure_qd766

        register_nav(NavItem("Chỉ số 766", "service_index:home", order=40))
        register_inbox(feedback_inbox)
        register_metric_provider(
            prefix="qd766.",
            measure=measure_qd766,
            label="Chỉ số phục vụ người dân, doanh nghiệp (QĐ 766/QĐ-TTg)",
        )
