"""Background work of the frameworks app: loading a framework's YAML from the upload page."""

from __future__ import annotations

from django.urls import reverse
from django_tasks import task

from cchc.core.formatting import vn_number
from cchc.core.jobs import Outcome, run_upload
from cchc.frameworks import services
from cchc.frameworks.spec import FrameworkError

JOB_KIND = "frameworks.load"


@task(queue_name="imports")
def load_framework_task(job_id: int, filename: str, params: dict) -> None:
    """Load the job's YAML as a framework (params["source_file"]: the uploaded name, empty
    for pasted text); the first problem is named with its criterion and key."""

    def work(job, handle) -> Outcome:
        framework = services.framework_load(
            source=handle.read(), by=job.created_by, source_file=params.get("source_file", "")
        )
        return Outcome(
            f"Đã nạp bộ chỉ số {framework.code}: {framework.criteria.count()} tiêu chí, "
            f"tổng {vn_number(framework.max_points)} điểm.",
            reverse("framework-detail", kwargs={"code": framework.code}),
            "Xem bộ chỉ số",
            {"code": framework.code},
        )

    run_upload(job_id, work, refusals=(FrameworkError, services.FrameworkInUse))
