"""The world of the access tests (issue 12): the fixed cast of tests/conftest.py widened to
the nine people of the route walk, and one real object of every kind, owned by Xã Đồng
Tâm, for every path parameter of every route.

Cast (column order of the route table):
  anon  anonymous visitor
  ox    officer of another commune (Thanh Xá)
  o     officer of Đồng Tâm
  h     head of Đồng Tâm
  px    appraiser of another unit (assigned to Thanh Xá only)
  p     appraiser assigned to Đồng Tâm
  dx    administrator of another district (Huyện Gia Lộc)
  d     administrator of the province (Đồng Tâm is in its subtree)
  s     superuser (the platform's operator)
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from cchc.units import roles as R
from cchc.units.models import AppraisalAssignment, Unit, UnitKind
from cchc.units.services import person_create
from tests.conftest import PASSWORD

FRAMEWORKS = Path(__file__).resolve().parents[1] / "frameworks"
CAST = ("anon", "ox", "o", "h", "px", "p", "dx", "d", "s")
MISSING = 987654  # a primary key no object has


@dataclass
class World:
    cast: object
    people: dict[str, object]  # cast code -> user (None for anon)
    gia_loc: Unit
    ids: dict[str, object] = field(default_factory=dict)


def build_world(cast) -> World:
    from cchc.core.models import ApiToken, Job
    from cchc.dossiers import services as dossier_services
    from cchc.dossiers.models import OnlineClass, Procedure
    from cchc.evaluations import services as evaluation_services
    from cchc.evaluations.models import CycleState, RemediationDuty
    from cchc.frameworks.services import framework_load
    from cchc.plans import components
    from cchc.plans import services as plan_services
    from cchc.plans.models import Inspection, StaffingYear, StaffMember
    from cchc.reports.models import ReportFile
    from cchc.reports.services import report_open
    from cchc.service_index import services as feedback_services
    from tests.evaluations.test_views_results import build_2022
    from tests.plans.conftest import GOOD_ROWS, xlsx

    gia_loc = Unit.objects.create(
        scheme="2008",
        code="288",
        name="Huyện Gia Lộc",
        kind=UnitKind.DISTRICT,
        parent=cast.province,
    )
    gia_xuyen = Unit.objects.create(
        scheme="local", code="GIAXUYEN", name="Xã Gia Xuyên", kind=UnitKind.COMMUNE, parent=gia_loc
    )
    appraiser_other = person_create(
        username="thamdinh.khac", password=PASSWORD, full_name="Lê Thị Thu",
        unit=cast.department, roles=[R.APPRAISER],
    )  # fmt: skip
    AppraisalAssignment.objects.create(appraiser=appraiser_other, unit=cast.thanh_xa)
    admin_other = person_create(
        username="noivu.gialoc", password=PASSWORD, full_name="Lê Văn Tùng",
        unit=gia_loc, roles=[R.ADMINISTRATOR],
    )  # fmt: skip
    root = get_user_model().objects.create_superuser("vanhanh", password=PASSWORD)
    people = {
        "anon": None,
        "ox": cast.officer_thanh_xa,
        "o": cast.officer,
        "h": cast.head,
        "px": appraiser_other,
        "p": cast.appraiser,
        "dx": admin_other,
        "d": cast.administrator,
        "s": root,
    }
    w = World(cast=cast, people=people, gia_loc=gia_loc)
    ids = w.ids
    ids["gia_xuyen"] = gia_xuyen.pk
    o = cast.officer

    # core
    token, _ = ApiToken.issue(user=o, name="máy trạm")
    ids["token"] = token.pk
    from cchc.dossiers.api import JOB_KIND

    ids["job"] = Job.objects.create(kind=JOB_KIND, title="Nhập hồ sơ", created_by=o).pk

    # PAR index: an open 2024 cycle and a published 2022 one
    demo_fw = framework_load(source=FRAMEWORKS / "minh-hoa-xa.yaml")
    ids["framework"] = demo_fw.code
    cycle = evaluation_services.cycle_open(
        framework=demo_fw, year=2024, name="Chỉ số CCHC cấp xã năm 2024",
        organiser=cast.province, units={cast.dong_tam: "Khối xã", cast.thanh_xa: "Khối xã"},
        measure_start=dt.date(2023, 12, 15), measure_end=dt.date(2024, 12, 14),
        appraising_body=cast.department, self_assessment_deadline=dt.date(2030, 1, 15),
        appraisal_deadline=dt.date(2030, 2, 28), by=cast.administrator,
    )  # fmt: skip
    evaluation_services.cycle_transition(
        cycle=cycle, to_state=CycleState.SELF_ASSESSMENT, by=cast.administrator
    )
    cycle_unit = cycle.cycle_units.get(unit=cast.dong_tam)
    score = cycle_unit.scores.select_related("criterion").filter(criterion__method="evidence")
    score = score.order_by("criterion__position").first()
    evidence = evaluation_services.evidence_add(
        cycle_unit=cycle_unit, criterion=score.criterion, title="Kế hoạch CCHC năm 2024",
        number_symbol="12/KH-UBND", by=o, file=ContentFile(b"%PDF-1.4 test", name="kh.pdf"),
    )  # fmt: skip
    ids.update(cycle=cycle.pk, cycle_unit=cycle_unit.pk, score=score.pk, evidence=evidence.pk)

    hd_fw = framework_load(source=FRAMEWORKS / "hd-xa-2022.yaml")
    published, published_unit, _ = build_2022(cast, hd_fw)
    duty = RemediationDuty.objects.filter(cycle_unit=published_unit).first() or (
        RemediationDuty.objects.create(
            cycle_unit=published_unit, components=["3"], deadline=dt.date(2030, 6, 30)
        )
    )
    ids.update(published=published.pk, published_unit=published_unit.pk, remediation=duty.pk)
    ids["published_score"] = published_unit.scores.order_by("pk").first().pk

    # dossiers
    procedure = Procedure.objects.create(
        code="1.001193", name="Đăng ký khai sinh", field="Hộ tịch", level="commune",
        processing_days=3, fee=0, online_class=OnlineClass.FULL,
    )  # fmt: skip
    received = timezone.now() - dt.timedelta(days=2)
    dossier = dossier_services.dossier_create(
        unit=cast.dong_tam, procedure=procedure, code="DT-0001", applicant="Nguyễn Văn A",
        channel="truc_tuyen", received_at=received, by=o,
    )  # fmt: skip
    apology = dossier_services.dossier_apologise(
        dossier=dossier, new_due_on=timezone.localdate() + dt.timedelta(days=10),
        reason="Cần xác minh thêm", by=o,
    )  # fmt: skip
    swap = dossier_services.calendar_swap_set(
        date=dt.date(2030, 5, 4), kind="working_day", note="Làm bù", by=cast.administrator
    )
    ids.update(
        procedure=procedure.pk, procedure_code=procedure.code, dossier=dossier.pk,
        apology=apology.pk, swap=swap.pk,
    )  # fmt: skip

    # plans, breakthroughs, inspections, staffing
    components.ensure()
    plan = plan_services.plan_import(
        unit=cast.dong_tam, year=2023, source=io.BytesIO(xlsx(GOOD_ROWS)),
        filename="ke-hoach-2023.xlsx", number="63/KH-UBND", issued_on=dt.date(2022, 12, 30),
        by=o,
    )  # fmt: skip
    item = plan.items.order_by("pk").first()
    plan_evidence = plan_services.evidence_add(
        item=item, title="Kế hoạch", file=ContentFile(b"%PDF-1.4 test", name="kh.pdf"), by=o
    )
    call = plan_services.call_create(
        unit=cast.province, year=2023, title="Đăng ký đột phá CCHC 2023",
        deadline=dt.date(2030, 3, 1), by=cast.administrator,
    )  # fmt: skip
    from cchc.plans.models import Breakthrough

    registration = Breakthrough.objects.create(
        call=call, unit=cast.dong_tam, title="Số hóa hồ sơ", registered_on=dt.date(2023, 2, 1),
        registered_by=o,
    )  # fmt: skip
    inspection = plan_services.inspection_create(
        organiser=cast.district, kind=Inspection.Kind.INSPECTION, year=2023,
        title="Kiểm tra CCHC năm 2023", inspecting_body="Đoàn kiểm tra huyện",
        start_on=dt.date(2023, 8, 28), end_on=dt.date(2023, 9, 5), targets=[cast.dong_tam],
        by=cast.administrator,
    )  # fmt: skip
    recommendation = plan_services.recommendation_add(
        inspection=inspection, unit=cast.dong_tam, text="Tăng hồ sơ trực tuyến",
        due_on=dt.date(2030, 9, 18), by=cast.administrator,
    )  # fmt: skip
    report = plan_services.remediation_report_add(
        recommendation=recommendation, text="Đã khắc phục", by=o,
        file=ContentFile(b"%PDF-1.4 test", name="bc.pdf"),
    )  # fmt: skip
    staffing = StaffingYear.objects.create(
        unit=cast.dong_tam, year=2023, positions_allotted=20, positions_filled=19
    )
    member = StaffMember.objects.create(staffing=staffing, order=1, full_name="Cán bộ 1")
    ids.update(
        plan=plan.pk, item=item.pk, plan_evidence=plan_evidence.pk, call=call.pk,
        registration=registration.pk, inspection=inspection.pk,
        recommendation=recommendation.pk, remediation_report=report.pk, member=member.pk,
        staffing_year=2023,
    )  # fmt: skip

    # reports
    report = report_open(unit=cast.dong_tam, kind="unit_quarterly", period_code="2023-Q1", by=o)
    report_file = ReportFile(report=report, format="pdf", checksum="0" * 64, size=4)
    report_file.file.save("bao-cao.pdf", ContentFile(b"%PDF"), save=False)
    report_file.save()
    from django.core.files.storage import default_storage

    zip_name = default_storage.save("reports/batch/bao-cao.zip", ContentFile(b"PK"))
    batch = Job.objects.create(
        kind="reports.batch", title="Báo cáo hàng loạt", created_by=o, result={"zip": zip_name}
    )
    ids.update(report=report.pk, report_file=report_file.pk, batch=batch.pk)

    # citizens' feedback (service index)
    feedback = feedback_services.feedback_record(
        unit=cast.dong_tam, by=o, received_on=timezone.localdate(), channel="truc_tiep",
        content="Phản ánh về thời gian trả kết quả",
    )  # fmt: skip
    ids["feedback"] = feedback.pk

    # report outlines (đề cương): Đồng Tâm's quarterly report on the shipped outline
    from cchc.reports.outlines import services as outline_services

    outline = outline_services.outline_load(
        source=FRAMEWORKS.parent / "outlines" / "hd-bc-cchc-quy-xa.yaml"
    )
    outline_report = outline_services.report_open(
        outline=outline, unit=cast.dong_tam, period="2023-Q1", by=o
    )
    ids["outline_report"] = outline_report.pk
    return w
