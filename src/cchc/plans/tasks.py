"""Background work of the plans app: the plan import behind the upload page."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django_tasks import task

from cchc.core.jobs import Outcome, run_upload
from cchc.plans import services
from cchc.units.models import Unit

JOB_KIND = "plans.import"


@task(queue_name="imports")
def import_plan_task(job_id: int, filename: str, params: dict) -> None:
    """Import the job's workbook as the plan of params["unit_id"] for params["year"] (with
    the form's title, number, issued_on as ISO date, replace), all or nothing."""

    def work(job, handle) -> Outcome:
        issued_on = params.get("issued_on")
        plan = services.plan_import(
            unit=Unit.objects.get(pk=params["unit_id"]),
            year=params["year"],
            source=handle,
            filename=filename,
            title=params.get("title") or "",
            number=params.get("number") or "",
            issued_on=dt.date.fromisoformat(issued_on) if issued_on else None,
            replace=bool(params.get("replace")),
            by=job.created_by,
        )
        count = plan.items.count()
        return Outcome(
            f"Đã nhập {count} mục từ {filename} vào {plan.title}.",
            reverse("plans:plan-detail", args=[plan.pk]),
            "Xem kế hoạch",
            {"plan_id": plan.pk, "items": count},
        )

    run_upload(job_id, work)


STAFFING_JOB_KIND = "staffing.import"


@task(queue_name="imports")
def import_staffing_task(job_id: int, filename: str, params: dict) -> None:
    """Import the job's workbook as the staff list of params["unit_id"] for params["year"]."""

    def work(job, handle) -> Outcome:
        year = params["year"]
        staffing = services.staffing_import(
            unit=Unit.objects.get(pk=params["unit_id"]),
            year=year,
            source=handle,
            filename=filename,
            by=job.created_by,
        )
        return Outcome(
            f"Đã nhập {staffing.members.count()} cán bộ, công chức năm {year} từ {filename}.",
            reverse("plans:staffing-year", args=[staffing.unit_id, year]),
            "Xem danh sách cán bộ, công chức",
        )

    run_upload(job_id, work)
