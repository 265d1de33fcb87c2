"""Background work of the surveys app: the survey results import behind the upload page."""

from __future__ import annotations

from django.urls import reverse
from django_tasks import task

from cchc.core.jobs import Outcome, run_upload
from cchc.evaluations.models import Cycle
from cchc.evaluations.services import EvaluationError
from cchc.surveys import services

JOB_KIND = "surveys.import"


@task(queue_name="imports")
def import_survey_results_task(job_id: int, filename: str, params: dict) -> None:
    """Import the job's file of survey results into cycle params["cycle_id"], all or nothing."""

    def work(job, handle) -> Outcome:
        cycle = Cycle.objects.get(pk=params["cycle_id"])
        result = services.survey_results_import(
            cycle=cycle, source=handle, filename=filename, by=job.created_by
        )
        return Outcome(
            f"Đã nhập {result.total} kết quả điều tra từ {filename} "
            f"({result.created} mới, {result.updated} cập nhật).",
            reverse("survey-results", kwargs={"pk": cycle.pk}),
            "Xem kết quả điều tra",
            {"total": result.total, "created": result.created, "updated": result.updated},
        )

    run_upload(job_id, work, refusals=(EvaluationError,))
