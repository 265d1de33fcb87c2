"""The upload page of the bulk import: a job with a progress bar, all or nothing."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc.core.models import Job
from cchc.dossiers import imports
from cchc.dossiers.models import Dossier
from tests.dossiers.view_helpers import seed002_bytes, seed002_procedures, text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded files go to a folder of the test, not to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


FROZEN = time_machine.travel(dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC), tick=False)
PAGE = reverse("dossiers:import")
HEADER = "code,unit,procedure,channel,received_at,due_at,finished_at,intake_digitized,result_digitized,paid_online\n"


def upload(content: str | bytes, name: str = "mot-cua.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content.encode() if isinstance(content, str) else content)


def test_anonymous_is_sent_to_login(client):
    assert client.get(PAGE)["Location"].startswith("/login/")


def test_an_appraiser_has_no_desk_to_import_into(cast, client_for):
    client = client_for(cast.appraiser)
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {"file": upload(HEADER)}).status_code == 403
    assert not Job.objects.exists()


@FROZEN
def test_good_file_runs_a_job_that_leads_to_the_statistics(cast, client_for):
    seed002_procedures()
    client = client_for(cast.officer_thanh_xa)
    assert "code, unit, procedure, channel, received_at" in text(client.get(PAGE))
    response = client.post(PAGE, {"file": upload(seed002_bytes(), "seed002.csv")})
    job = Job.objects.get()
    assert response["Location"] == reverse("job-detail", args=[job.pk])
    assert job.status == Job.Status.DONE and job.created_by == cast.officer_thanh_xa
    assert Dossier.objects.filter(unit=cast.thanh_xa).count() == 1277
    html = text(client.get(response["Location"]))
    assert "Hoàn thành" in html and 'data-testid="job-next"' in html
    next_url = job.result["next_url"]
    assert next_url.startswith(reverse("dossiers:stats")) and f"unit={cast.thanh_xa.pk}" in next_url
    assert client.get(next_url).status_code == 200
    # the import is listed with its counts
    assert "seed002.csv" in text(client.get(PAGE))  # the name uploaded, not the stored one


@FROZEN
def test_bad_rows_are_all_named_and_nothing_is_imported(cast, procedures, client_for):
    content = HEADER + (
        "A1,local-DONGTAM,1.001193,truc_tiep,2025-03-03,,2025-03-04,full,1,0\n"
        "A2,local-DONGTAM,9.999999,truc_tiep,2025-03-03,,,full,1,0\n"
        "A3,local-DONGTAM,1.001193,bang_bo_cau,2025-03-03,,,full,1,0\n"
        "A4,local-DONGTAM,1.001193,truc_tiep,2025-03-05,,2025-03-04,full,1,0\n"
    )
    client = client_for(cast.officer)
    response = client.post(PAGE, {"file": upload(content)})
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    html = text(client.get(response["Location"]))
    assert "dòng 3, cột 'procedure'" in html
    assert "dòng 4, cột 'channel'" in html
    assert "dòng 5, cột 'finished_at'" in html
    assert "không có dữ liệu nào được nhập" in html
    assert not Dossier.objects.exists()


@FROZEN
def test_an_officer_cannot_import_another_communes_dossiers(cast, procedures, client_for):
    content = HEADER + "B1,local-DONGTAM,1.001193,truc_tiep,2025-03-03,,,full,1,0\n"
    client = client_for(cast.officer_thanh_xa)
    client.post(PAGE, {"file": upload(content)})
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert "dòng 2, cột 'unit'" in job.message
    assert imports.ERR_UNIT_NOT_ALLOWED.format(value="local-DONGTAM") in job.message
    assert not Dossier.objects.exists()


def test_only_csv_and_xlsx(cast, client_for):
    html = text(client_for(cast.officer).post(PAGE, {"file": upload("x", "hs.pdf")}))
    assert "Chỉ nhận tệp .csv hoặc .xlsx." in html
    assert not Job.objects.exists()
