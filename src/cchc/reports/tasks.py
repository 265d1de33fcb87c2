"""Background work of the reports app: the batch that writes one report per unit under a
parent (e.g. every commune's quarterly report) and packs them in a ZIP."""

from __future__ import annotations

import io
import logging
import zipfile

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django_tasks import task

from cchc.core.history import mark_change
from cchc.core.models import Job
from cchc.core.people import Person
from cchc.dossiers.periods import parse_period
from cchc.reports import generate, kinds
from cchc.reports.builders.common import snapshot
from cchc.reports.models import Report, ReportFile
from cchc.reports.sources import SourceError, children_in, frame_defaults
from cchc.units.models import Unit

logger = logging.getLogger(__name__)


def _report_for(unit: Unit, spec: kinds.ReportKind, period, user: Person) -> tuple[Report, bool]:
    """The unit's report of the period, or a new draft (unsaved) with the unit's defaults."""
    existing = Report.objects.filter(
        kind=spec.code, unit=unit, period_code=period.code, subject=""
    ).first()
    if existing is not None:
        return existing, False
    return (
        Report(
            kind=spec.code,
            unit=unit,
            period_code=period.code,
            period_start=period.start,
            period_end=period.end,
            year=period.end.year,
            created_by=user,
            **frame_defaults(unit, spec),
        ),
        True,
    )


@task(queue_name="reports")
def generate_batch(
    job_id: int, parent_id: int, kind: str, period_code: str, fmt: str, user_id: int
) -> None:
    """Generate outside any transaction with progress (the page sees it), then store every
    new report and file in one transaction (all or nothing), then the ZIP."""
    job = Job.claim(job_id)
    if job is None:  # another worker has it, or it already ended: never made twice
        logger.warning("Job %s is no longer queued; not run again.", job_id)
        return
    user = get_user_model().objects.get(pk=user_id)
    parent = Unit.objects.get(pk=parent_id)
    spec = kinds.kind_for(kind)
    period = parse_period(period_code)
    units = children_in(parent, period)
    job.progress(0, len(units), "Đang tạo báo cáo…")
    made: list[tuple[Report, bool, str, bytes, object | None]] = []
    errors: list[str] = []
    try:
        for done, unit in enumerate(units, start=1):
            report, new = _report_for(unit, spec, period, user)
            filed = report.files.filter(filed=True, format=fmt).first() if not new else None
            if report.pk and report.is_submitted and filed is not None:
                # A filed report is included as filed, never regenerated.
                with filed.file.open("rb") as handle:
                    made.append((report, False, filed.filename, handle.read(), None))
            else:
                try:
                    doc = generate.document_for(report)
                except SourceError as error:
                    errors.append(f"{unit.name}: {error}")
                    job.progress(done, message=f"{unit.name}: không tạo được")
                    continue
                data = generate.render(doc, fmt)
                name = generate.file_name(spec, unit, period.code, fmt)
                made.append((report, new, name, data, doc))
            job.progress(done, message=f"Đã tạo {done}/{len(units)}: {unit.name}")
        with transaction.atomic():
            for report, new, name, data, doc in made:
                if doc is None:
                    continue
                if new:
                    mark_change(report, "Tạo khi lập báo cáo hàng loạt")
                    report.save()
                item = ReportFile(
                    report=report,
                    format=fmt,
                    generated_by=user,
                    checksum=generate.checksum(data),
                    size=len(data),
                    figures=snapshot(doc),
                )
                item.file.save(name, ContentFile(data), save=False)
                item.save()
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
            for _, _, name, data, _ in made:
                archive.writestr(name, data)
            if errors:
                archive.writestr("LOI.txt", "\n".join(errors) + "\n")
        # Kept in the report storage and served by the reports app (to the job's owner),
        # not as a media URL that production does not serve.
        zip_name = generate.file_name(spec, parent, period.code, "zip")
        stored = default_storage.save(
            f"reports/batches/{job.pk}/{zip_name}", ContentFile(buf.getvalue())
        )
    except Exception as error:  # the job page must show the failure, not spin forever
        job.finish(message=f"Lỗi khi tạo báo cáo: {error}", failed=True)
        raise
    message = f"Đã tạo {len(made)} báo cáo."
    if errors:
        message += " Không tạo được:\n" + "\n".join(errors)
    job.finish(
        result={
            "next_url": reverse("reports:batch-download", args=[job.pk]),
            "next_label": "Tải tệp ZIP",
            "count": len(made),
            "errors": errors,
            "zip": stored,
        },
        message=message,
    )
