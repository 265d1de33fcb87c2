"""Bulk import of one-stop software exports (CSV/XLSX) with a progress bar.

The upload becomes a core.Job; the engine's task validates the whole file first (with
progress), then writes everything in one transaction, or nothing (docs/dossier-import.md).
The job page polls and, when done, links to the statistics of the units imported.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from cchc.core.jobs import start_upload
from cchc.dossiers.forms import UploadForm
from cchc.dossiers.imports import OPTIONAL_COLUMNS, REQUIRED_COLUMNS
from cchc.dossiers.models import DossierImport
from cchc.dossiers.tasks import import_dossiers_task
from cchc.units.permissions import home_unit, is_administrator, may_import_dossiers

JOB_KIND = "dossiers.import"
NO_DESK = "Chỉ công chức, lãnh đạo đơn vị hoặc quản trị viên được nhập hồ sơ."


@login_required
def dossier_import(request: HttpRequest) -> HttpResponse:
    if not may_import_dossiers(request.user):
        raise PermissionDenied(NO_DESK)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = start_upload(
            kind=JOB_KIND,
            title=f"Nhập hồ sơ từ tệp {upload.name}",
            by=request.user,
            task=import_dossiers_task,
            upload=upload,
            filename=upload.name,
        )
        return redirect("job-detail", job.pk)
    recent = DossierImport.objects.filter(by=request.user).order_by("-started_at")[:10]
    if is_administrator(request.user):
        recent = DossierImport.objects.select_related("by").order_by("-started_at")[:10]
    return render(
        request,
        "dossiers/import.html",
        {
            "form": form,
            "required": REQUIRED_COLUMNS,
            "optional": OPTIONAL_COLUMNS,
            "recent": recent,
            "home": home_unit(request.user),
        },
    )
