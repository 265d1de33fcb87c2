"""Background work of the service index app: the feedback register import."""

from __future__ import annotations

from django.urls import reverse
from django_tasks import task

from cchc.core.jobs import Outcome, run_upload
from cchc.service_index import services
from cchc.units.models import Unit

JOB_KIND = "feedback.import"


@task(queue_name="imports")
def import_feedback_task(job_id: int, filename: str, params: dict) -> None:
    """Import the job's file into the feedback register of params["unit_id"], all or none."""

    def work(job, handle) -> Outcome:
        unit = Unit.objects.get(pk=params["unit_id"])
        count = services.feedback_import(
            unit=unit, source=handle, filename=filename, by=job.created_by
        )
        return Outcome(
            f"Đã nhập {count} phản ánh, kiến nghị từ {filename}.",
            reverse("service_index:feedback-list", kwargs={"pk": unit.pk}),
            "Xem sổ phản ánh, kiến nghị",
            {"feedback": count},
        )

    run_upload(job_id, work, refusals=(services.FeedbackError,))
