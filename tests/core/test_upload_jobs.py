"""Every upload page hands its file to a background job (issue 13: long work never runs
inside a web request): the page answers with the job, the job ends with the result or the
named error, a bad file writes nothing, and only the person who started it sees the job.

Tests run tasks with the immediate backend (CCHC_TASKS unset), so the job has finished by
the time the page redirects; the page itself only stores the file and queues the task.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc.core.models import Job
from cchc.frameworks.models import Framework
from cchc.plans.models import Plan
from cchc.service_index.models import Feedback
from cchc.surveys.models import SurveyResult
from cchc.units.models import Unit
from tests.evaluations.conftest import (  # noqa: F401 — shared fixtures
    demo_framework,
    draft_cycle,
    fake_metrics,
    open_cycle,
)
from tests.plans.conftest import GOOD_ROWS, row, xlsx

pytestmark = pytest.mark.django_db

FRAMEWORKS = Path(__file__).resolve().parents[2] / "frameworks"
BAD_FRAMEWORK = """code: thu-nghiem
name: Bộ chỉ số thử nghiệm
criteria:
  - code: "1"
    title: Chỉ đạo điều hành
    max: 4
    children:
      - {code: "1.1", title: Kế hoạch, max: 2, method: evidence}
      - {code: "1.2", title: Báo cáo, max: 1, method: evidence}
"""


def csv(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


@dataclass
class Upload:
    """One upload page: who may use it, a good and a bad submission, what it writes."""

    url: str
    person: object
    good: dict
    bad: dict
    named: str  # a piece of the bad file's named error
    written: object  # () -> int: the rows the import writes
    done: str  # a piece of the good job's message
    next_url: str


def units_page(cast, request) -> Upload:
    header = "scheme,code,name,kind,parent_scheme,parent_code\n"
    return Upload(
        url="/units/import/",
        person=cast.administrator,
        good={"file": csv("don-vi.csv", header + "local,XMOI,Xã Mới,commune,2008,299\n")},
        bad={"file": csv("don-vi.csv", header + "local,XMOI,Xã Mới,planet,2008,299\n")},
        named="kind",
        written=lambda: Unit.objects.filter(code="XMOI").count(),
        done="Đã nhập 1 đơn vị từ don-vi.csv",
        next_url=reverse("unit-list"),
    )


def surveys_page(cast, request) -> Upload:
    cycle = request.getfixturevalue("open_cycle").cycle
    header = "unit,survey,value,respondents\n"
    return Upload(
        url=reverse("survey-import", args=[cycle.pk]),
        person=cast.administrator,
        good={"file": csv("sipas.csv", header + "Xã Đồng Tâm,sipas,92.8,100\n")},
        bad={
            "file": csv(
                "sipas.csv", header + "Xã Đồng Tâm,sipas,92.8,100\nXã Thanh Xá,sipas,abc,\n"
            )
        },
        named="dòng 3",
        written=SurveyResult.objects.count,
        done="Đã nhập 1 kết quả điều tra từ sipas.csv",
        next_url=reverse("survey-results", args=[cycle.pk]),
    )


def plans_page(cast, request) -> Upload:
    from cchc.plans.components import ensure

    ensure()
    form = {"year": "2023", "title": "", "number": "63/KH-UBND", "issued_on": "2022-12-30"}
    bad_rows = [*GOOD_ROWS, row("9.9", "Mục của một mục cha không có")]
    return Upload(
        url=reverse("plans:plan-import", args=[cast.dong_tam.pk]),
        person=cast.officer,
        good={**form, "file": SimpleUploadedFile("ke-hoach.xlsx", xlsx(GOOD_ROWS))},
        bad={**form, "file": SimpleUploadedFile("ke-hoach.xlsx", xlsx(bad_rows))},
        named="Không có mục cấp trên '9' trong tệp",
        written=Plan.objects.count,
        done="Đã nhập 8 mục từ ke-hoach.xlsx",
        next_url="/plans/",
    )


def feedback_page(cast, request) -> Upload:
    header = "received_on,channel,content\n"
    return Upload(
        url=reverse("service_index:feedback-import", args=[cast.dong_tam.pk]),
        person=cast.officer,
        good={"file": csv("pakn.csv", header + "2024-02-01,hom_thu,Đề nghị niêm yết lệ phí\n")},
        bad={"file": csv("pakn.csv", header + "2024-02-01,hom_thu,Một\n2024-02-30,fax,Hai\n")},
        named="dòng 3",
        written=Feedback.objects.count,
        done="Đã nhập 1 phản ánh, kiến nghị từ pakn.csv",
        next_url=reverse("service_index:feedback-list", args=[cast.dong_tam.pk]),
    )


def frameworks_page(cast, request) -> Upload:
    text = (FRAMEWORKS / "hd-xa-2022.yaml").read_bytes()
    return Upload(
        url=reverse("framework-upload"),
        person=cast.administrator,
        good={"file": SimpleUploadedFile("hd-xa-2022.yaml", text)},
        bad={"file": SimpleUploadedFile("thu-nghiem.yaml", BAD_FRAMEWORK.encode())},
        named="tiêu chí 1 khóa max: điểm tối đa 4 khác tổng điểm tối đa của các tiêu chí con (3)",
        written=Framework.objects.count,
        done="Đã nạp bộ chỉ số hd-xa-2022",
        next_url=reverse("framework-detail", args=["hd-xa-2022"]),
    )


def procedures_page(cast, request) -> Upload:
    from cchc.dossiers.models import Procedure

    header = "code,name,processing_days,online_class\n"
    return Upload(
        url=reverse("dossiers:procedure-import"),
        person=cast.administrator,
        good={"file": csv("danh-muc.csv", header + "9.000001,Thủ tục thử,5,full\n")},
        bad={"file": csv("danh-muc.csv", header + "9.000001,Thủ tục thử,abc,full\n")},
        named="dòng 2, cột 'processing_days'",
        written=Procedure.objects.count,
        done="Đã nhập danh mục từ danh-muc.csv",
        next_url=reverse("dossiers:procedures"),
    )


def staffing_page(cast, request) -> Upload:
    from cchc.plans.models import StaffMember
    from cchc.plans.workbooks import staff_template

    good = staff_template()  # its example row
    return Upload(
        url=f"/plans/staffing/units/{cast.dong_tam.pk}/2022/import/",
        person=cast.officer,
        good={"file": SimpleUploadedFile("cb.xlsx", good)},
        bad={
            "file": SimpleUploadedFile(
                "cb.xlsx", xlsx([["", "x"]], header=["họ và tên", "chức vụ"])
            )
        },
        named="dòng 2, cột 'họ và tên'",
        written=StaffMember.objects.count,
        done="Đã nhập 2 cán bộ, công chức năm 2022 từ cb.xlsx",  # the example rows
        next_url=f"/plans/staffing/units/{cast.dong_tam.pk}/2022/",
    )


PAGES = [
    units_page,
    surveys_page,
    plans_page,
    feedback_page,
    frameworks_page,
    procedures_page,
    staffing_page,
]


def posted(client, url: str, data: dict) -> tuple[Job, str]:
    """Post the upload; the page answers with the job's page. Returns the job and its page."""
    before = set(Job.objects.values_list("pk", flat=True))
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    (job,) = Job.objects.exclude(pk__in=before)
    assert response["Location"] == reverse("job-detail", args=[job.pk])
    page = client.get(response["Location"])
    assert page.status_code == 200
    return job, page.content.decode()


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.__name__)
def test_a_good_file_becomes_a_job_that_ends_with_the_result(page, cast, client_for, request):
    upload = page(cast, request)
    client = client_for(upload.person)
    before = upload.written()
    job, html = posted(client, upload.url, upload.good)
    assert job.status == Job.Status.DONE, job.message
    assert job.created_by == upload.person and job.input_file
    assert upload.done in job.message and upload.done in html
    assert upload.written() > before
    assert job.result["next_url"].startswith(upload.next_url)
    assert 'data-testid="job-next"' in html


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.__name__)
def test_a_bad_file_ends_in_a_failed_job_naming_the_error_and_writes_nothing(
    page, cast, client_for, request
):
    upload = page(cast, request)
    client = client_for(upload.person)
    before = upload.written()
    job, html = posted(client, upload.url, upload.bad)
    assert job.status == Job.Status.FAILED
    assert upload.named in job.message, job.message
    assert 'data-status="failed"' in html and "Lỗi" in html
    assert job.result["errors"]
    assert upload.written() == before


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.__name__)
def test_only_the_person_who_started_the_job_sees_it(page, cast, client_for, request):
    upload = page(cast, request)
    job, _ = posted(client_for(upload.person), upload.url, upload.bad)
    url = reverse("job-detail", args=[job.pk])
    for other in (cast.head, cast.officer_thanh_xa, cast.appraiser):
        assert client_for(other).get(url).status_code == 404
    for other in (cast.administrator, cast.officer):
        if other != upload.person:
            assert client_for(other).get(url).status_code == 404


def test_pasted_framework_text_is_loaded_by_a_job_too(cast, client_for):
    client = client_for(cast.administrator)
    text = (FRAMEWORKS / "hd-xa-2022.yaml").read_text(encoding="utf-8")
    job, html = posted(client, reverse("framework-upload"), {"text": text})
    assert job.status == Job.Status.DONE
    framework = Framework.objects.get(code="hd-xa-2022")
    assert framework.source_file == ""  # pasted: no file name to keep
