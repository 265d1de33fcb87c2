"""Fixtures of the report tests: dossiers of the cast's communes in Q1/2023, published PAR
index cycles (2022 and 2021, with a changed framework), a self-inspection, a plan and
staffing figures — the data the seeds' reports are written from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from cchc.dossiers import services as dossier_services
from cchc.dossiers.models import OnlineClass, Procedure

VN = ZoneInfo("Asia/Ho_Chi_Minh")
FRAMEWORKS = Path(__file__).resolve().parents[2] / "frameworks"
D = Decimal

# Seed 003: Đồng Tâm's 2022 component scores (sum 87,75).
DONG_TAM_2022 = {
    "1": "11.84",
    "2": "4.75",
    "3": "16.62",
    "4": "6",
    "5": "11",
    "6": "5",
    "7": "10.19",
    "8": "1.577",
    "9": "11.49",
    "10": "9.28",
}
# Thanh Xá ties Đồng Tâm's total (87,75) with other components: a tie in the ranking.
THANH_XA_2022 = {
    "1": "12.84",
    "2": "4.75",
    "3": "15.62",
    "4": "6",
    "5": "11",
    "6": "5",
    "7": "10.19",
    "8": "1.577",
    "9": "11.49",
    "10": "9.28",
}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def at(day: str, hour: int = 9) -> dt.datetime:
    d = dt.date.fromisoformat(day)
    return dt.datetime(d.year, d.month, d.day, hour, 0, tzinfo=VN)


@pytest.fixture
def procedures(db) -> dict[str, Procedure]:
    def make(code, name, field_name, days, online=OnlineClass.NONE):
        return Procedure.objects.create(
            code=code,
            name=name,
            field=field_name,
            level="commune",
            processing_days=days,
            fee=D("0"),
            online_class=online,
        )

    return {
        "birth": make("1.001193", "Đăng ký khai sinh", "Hộ tịch", 3, OnlineClass.FULL),
        "copy": make("1.001035", "Chứng thực bản sao", "Chứng thực", 2),
        "land": make("1.004873", "Đăng ký biến động đất đai", "Đất đai", 10),
    }


@dataclass
class DossierPlan:
    """What was created, so tests can count by hand."""

    received: int = 0
    online: int = 0
    resolved: int = 0
    late: int = 0
    pending: int = 0
    codes: list[str] = field(default_factory=list)


def make_dossier(
    unit,
    procedure,
    code: str,
    *,
    received: str,
    channel: str = "truc_tuyen",
    finished: str | None = None,
    by=None,
    digitized: str = "full",
    paid: bool = False,
    result_digitized: bool = True,
):
    dossier = dossier_services.dossier_create(
        unit=unit,
        procedure=procedure,
        code=code,
        applicant="Nguyễn Văn A",
        channel=channel,
        received_at=at(received),
        by=by,
        intake_digitized=digitized,
        paid_online=paid,
    )
    if finished:
        dossier_services.dossier_finish(
            dossier=dossier, at=at(finished, 15), by=by, result_digitized=result_digitized
        )
    return dossier


@pytest.fixture
def dossiers_q1(cast, procedures) -> DossierPlan:
    """Đồng Tâm, Q1/2023 (15/12/2022–14/3/2023): 1 carried over from Q4/2022, 8 received
    (6 online, 1 direct, 1 postal), 7 resolved (1 late), 2 pending. Thanh Xá: none."""
    by = cast.officer
    u = cast.dong_tam
    p = procedures
    # carried over: received 10/12/2022, finished 20/12/2022
    make_dossier(u, p["land"], "DT-0", received="2022-12-10", finished="2022-12-20", by=by)
    make_dossier(u, p["birth"], "DT-1", received="2022-12-16", finished="2022-12-19", by=by)
    make_dossier(
        u, p["birth"], "DT-2", received="2023-01-05", finished="2023-01-06", by=by, paid=True
    )
    make_dossier(u, p["birth"], "DT-3", received="2023-01-09", finished="2023-01-10", by=by)
    make_dossier(u, p["copy"], "DT-4", received="2023-02-01", finished="2023-02-02", by=by,
                 channel="truc_tiep", digitized="none")  # fmt: skip
    make_dossier(u, p["copy"], "DT-5", received="2023-02-15", finished="2023-02-16", by=by,
                 channel="buu_chinh", result_digitized=False)  # fmt: skip
    # late: birth takes 3 working days; finished a month later
    make_dossier(u, p["birth"], "DT-6", received="2023-02-20", finished="2023-03-10", by=by)
    make_dossier(u, p["land"], "DT-7", received="2023-03-01", by=by)  # pending in time
    make_dossier(u, p["land"], "DT-8", received="2023-03-13", by=by)  # pending in time
    # last year's Q1 for the comparison: 3 received, 1 online
    make_dossier(u, p["birth"], "DT-P1", received="2022-01-05", finished="2022-01-06", by=by)
    make_dossier(u, p["copy"], "DT-P2", received="2022-01-10", finished="2022-01-11", by=by,
                 channel="truc_tiep")  # fmt: skip
    make_dossier(u, p["copy"], "DT-P3", received="2022-02-10", finished="2022-02-11", by=by,
                 channel="truc_tiep")  # fmt: skip
    # Đồng Tâm's one-stop data covers both first quarters, as its imported files would
    # record (cchc.core.coverage); Thanh Xá holds none.
    from cchc.core.services import coverage_record

    coverage_record(unit_id=u.pk, source="dossiers", start=dt.date(2021, 12, 15),
                    end=dt.date(2023, 3, 14))  # fmt: skip
    return DossierPlan(received=8, online=6, resolved=7, late=1, pending=2)


# ------------------------------------------------------------------ PAR index


def load_framework(code_suffix: str = "", *, changed: bool = False):
    from cchc.frameworks.services import framework_load

    text = (FRAMEWORKS / "hd-xa-2022.yaml").read_text("utf-8")
    if changed:
        # 2021: components 7 and 8 weighed 10 and 3.5 (the sum is still 100).
        text = text.replace("code: hd-xa-2022", "code: hd-xa-2021")
        text = text.replace("max: 11.5", "max: 10").replace("    max: 2\n", "    max: 3.5\n")
    return framework_load(source=text)


def publish_cycle(
    *,
    framework,
    year: int,
    organiser,
    scores: dict,
    by,
    block: str = "Khối xã",
    decision_no: str = "766/QĐ-UBND",
    decision_date: dt.date | None = None,
):
    """A published cycle with the given appraised scores ({unit: {code: points}}).

    The workflow (self-assessment, appraisal, finalisation) belongs to the evaluation
    tests; here the scores are written straight into the Score rows the selectors read.
    """
    from cchc.evaluations import services
    from cchc.evaluations.models import Cycle, CycleState, Score

    cycle = services.cycle_open(
        framework=framework,
        year=year,
        name=f"Chỉ số CCHC cấp xã năm {year}",
        organiser=organiser,
        units={unit: block for unit in scores},
        measure_start=dt.date(year - 1, 12, 15),
        measure_end=dt.date(year, 12, 14),
        by=by,
    )
    for unit, values in scores.items():
        for code, value in values.items():
            Score.objects.filter(
                cycle_unit__cycle=cycle, cycle_unit__unit=unit, criterion__code=code
            ).update(appraised_score=D(value), appraisal_reason="Kết quả thẩm định")
    Cycle.objects.filter(pk=cycle.pk).update(
        state=CycleState.PUBLISHED,
        decision_no=decision_no,
        decision_date=decision_date or dt.date(year + 1, 3, 16),
        published_at=timezone.now(),
    )
    cycle.refresh_from_db()
    return cycle


@pytest.fixture
def cycles(cast):
    """2022 (hd-xa-2022, Đồng Tâm and Thanh Xá tied at 87,75) and 2021 (a framework whose
    components 7 and 8 had other maxima)."""
    fw2022 = load_framework()
    fw2021 = load_framework(changed=True)
    c2021 = publish_cycle(
        framework=fw2021,
        year=2021,
        organiser=cast.district,
        by=cast.administrator,
        scores={
            cast.dong_tam: {**DONG_TAM_2022, "1": "10", "7": "8", "8": "3"},
            cast.thanh_xa: {**THANH_XA_2022, "3": "12", "7": "9", "8": "2"},
        },
        decision_date=dt.date(2022, 3, 20),
    )
    c2022 = publish_cycle(
        framework=fw2022,
        year=2022,
        organiser=cast.district,
        by=cast.administrator,
        scores={cast.dong_tam: DONG_TAM_2022, cast.thanh_xa: THANH_XA_2022},
    )
    return {"2021": c2021, "2022": c2022}


# ------------------------------------------------------------------ plans


@pytest.fixture
def self_inspection(cast):
    from cchc.plans.models import (
        Component,
        Finding,
        Inspection,
        InspectionTarget,
        Recommendation,
    )

    tthc = Component.objects.get(code="3")
    so = Component.objects.get(code="7")
    inspection = Inspection.objects.create(
        organiser=cast.thanh_xa,
        kind=Inspection.Kind.SELF,
        year=2023,
        title="Tự kiểm tra công tác CCHC năm 2023",
        inspecting_body="Tổ kiểm tra công tác CCHC xã Thanh Xá",
        decision_no="137/QĐ-UBND",
        decision_date=dt.date(2023, 8, 22),
        start_on=dt.date(2023, 8, 28),
        end_on=dt.date(2023, 9, 5),
        report_due_on=dt.date(2023, 9, 18),
    )
    InspectionTarget.objects.create(inspection=inspection, unit=cast.thanh_xa)
    Finding.objects.create(
        inspection=inspection, unit=cast.thanh_xa, component=tthc, kind="result",
        text="Thực hiện 100% phiếu đánh giá giải quyết thủ tục hành chính.",
    )  # fmt: skip
    short = Finding.objects.create(
        inspection=inspection, unit=cast.thanh_xa, component=tthc, kind="shortcoming",
        text="Số lượng hồ sơ dịch vụ công trực tuyến còn thấp.",
    )  # fmt: skip
    Finding.objects.create(
        inspection=inspection, unit=cast.thanh_xa, component=so, kind="shortcoming",
        text="Có 06/16 địa chỉ thư công vụ của cán bộ, công chức bị khóa.",
    )  # fmt: skip
    Recommendation.objects.create(
        inspection=inspection, unit=cast.thanh_xa, component=tthc, finding=short,
        text="Tiếp tục thực hiện dịch vụ công trực tuyến.", due_on=dt.date(2023, 9, 18),
    )  # fmt: skip
    return inspection


@pytest.fixture
def staffing(cast):
    from cchc.plans.models import StaffingYear, StaffMember

    year = StaffingYear.objects.create(
        unit=cast.dong_tam, year=2022, positions_allotted=20, positions_filled=19
    )
    # Seed 000: 17 rated, 4 xuất sắc (23,5%), 13 tốt (76,5%); 2 not rated.
    for i in range(19):
        rating = "xuat_sac" if i < 4 else ("tot" if i < 17 else "")
        StaffMember.objects.create(
            staffing=year, order=i, full_name=f"Cán bộ {i}", rating=rating, qualification="dai_hoc"
        )
    return year
