"""Demo data of the PAR index evaluation, so a newcomer sees every page filled.

1. The two shipped frameworks (frameworks/hd-xa-2022.yaml, frameworks/minh-hoa-xa.yaml).
2. A PUBLISHED historical cycle: Chỉ số CCHC 2022 of the 20 communes and the town of the
   former Huyện Ninh Giang (Hải Dương), with the real commune framework. Đồng Tâm has its
   seed 003 scores (11,84; 4,75; 16,62; 6; 11; 5; 10,19; 1,577; 11,49; 9,28 → 87,75,
   9/20, tốt) and, by construction, every component rank seed 003 prints (9/19, 2/3, 2/20,
   1/5, 1/14, 12/12, 9/16, 14/20, 5/19, 12/18). The other 19 units' scores are INVENTED
   to fit those ranks (the district's table was not found); the cycle's name says so. The
   19 former communes are created under 2008-299 as local-scheme units if absent (names
   of Ninh Giang's communes before 7/2025).
3. An OPEN cycle for the current year: every commune, ward and special zone of Hải Phòng
   (blocks "Khối phường" / "Khối xã, đặc khu"), with the illustrative framework, in
   self-assessment: SIPAS results entered, some units submitted, some in progress, Xã Ninh
   Giang (the demo officer's unit) partly scored with evidence documents.

Idempotent: a cycle that exists (same organiser, year, framework) is left as it is.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from cchc.core.people import Person
from cchc.evaluations import services
from cchc.evaluations.forms import block_for
from cchc.evaluations.models import Cycle, CycleState, CycleUnit, RemediationDuty, Score
from cchc.frameworks.models import Framework
from cchc.frameworks.services import framework_load
from cchc.units import roles as R
from cchc.units.models import AppraisalAssignment, Unit, UnitKind
from cchc.units.naming import authority_name
from cchc.units.services import person_create, units_import

FRAMEWORKS = Path(__file__).resolve().parents[3] / "frameworks"
SEED = "cchc-demo-evaluations"

# --------------------------------------------------------------------------- 2022, Ninh Giang

NINH_GIANG = ("2008", "299")
DONG_TAM = ("local", "HD-NG-DONGTAM")
# Seed 003: Đồng Tâm 2022, components 1..10.
DONG_TAM_2022 = ("11.84", "4.75", "16.62", "6", "11", "5", "10.19", "1.577", "11.49", "9.28")
# The other units of the district (1 town, 18 communes besides Đồng Tâm; 20 in all, seed
# 003 "xếp thứ 9/20 xã, thị trấn"). Scores invented so that Đồng Tâm's overall and
# component ranks are those of seed 003 (a search over plausible values, kept as data).
# fmt: off
OTHERS_2022 = {
    ("HD-NG-TTNINHGIANG", "Thị trấn Ninh Giang", UnitKind.TOWN):
        ("11.66", "5", "16.13", "5.75", "10.5", "6.8", "10.69", "1.765", "10.65", "9.74"),
    ("HD-NG-ANDUC", "Xã An Đức", UnitKind.COMMUNE):
        ("13.62", "5", "15.95", "5.75", "10.7", "6.9", "11.27", "1.755", "11.41", "9.32"),
    ("HD-NG-DONGXUYEN", "Xã Đông Xuyên", UnitKind.COMMUNE):
        ("11.16", "4.5", "13.54", "5.25", "10.1", "5.75", "10.11", "1.62", "11.25", "9.66"),
    ("HD-NG-HIEPLUC", "Xã Hiệp Lực", UnitKind.COMMUNE):
        ("13.96", "5", "15.92", "6", "10.4", "6.75", "9.92", "1.835", "11.29", "9.73"),
    ("HD-NG-HONGDU", "Xã Hồng Dụ", UnitKind.COMMUNE):
        ("11.72", "4.5", "14.34", "5.75", "9.5", "5.5", "10.32", "1.625", "10.53", "9.08"),
    ("HD-NG-HONGDUC", "Xã Hồng Đức", UnitKind.COMMUNE):
        ("13.16", "4.75", "15.43", "5.5", "10", "7", "10.62", "1.925", "10.56", "8.92"),
    ("HD-NG-HONGPHONG", "Xã Hồng Phong", UnitKind.COMMUNE):
        ("10.96", "5", "15.66", "5", "10.1", "6.25", "9.88", "1.53", "10.62", "9.31"),
    ("HD-NG-HONGPHUC", "Xã Hồng Phúc", UnitKind.COMMUNE):
        ("11.84", "5", "14.96", "5.75", "10.05", "6.9", "10.11", "1.735", "11.93", "9.12"),
    ("HD-NG-HUNGLONG", "Xã Hưng Long", UnitKind.COMMUNE):
        ("10.98", "5", "15.64", "5", "9.9", "6.5", "10.62", "1.68", "10.61", "9.48"),
    ("HD-NG-KIENQUOC", "Xã Kiến Quốc", UnitKind.COMMUNE):
        ("13.82", "4.5", "16.37", "5.75", "10.75", "6.9", "11.27", "1.81", "11.98", "9.44"),
    ("HD-NG-NGHIAAN", "Xã Nghĩa An", UnitKind.COMMUNE):
        ("12.44", "5", "12.89", "5.5", "9.5", "6", "10.69", "1.64", "11.3", "9.63"),
    ("HD-NG-NINHHAI", "Xã Ninh Hải", UnitKind.COMMUNE):
        ("11.06", "4.75", "15.57", "5.5", "10.2", "5.5", "9.03", "1.4", "10.8", "9.12"),
    ("HD-NG-TANHUONG", "Xã Tân Hương", UnitKind.COMMUNE):
        ("10.86", "4.5", "12.82", "5.75", "9.3", "6.5", "9.99", "1.47", "11.19", "9.24"),
    ("HD-NG-TANPHONG", "Xã Tân Phong", UnitKind.COMMUNE):
        ("10.3", "4.5", "13.63", "5", "9.45", "6.4", "8.78", "1.385", "10.49", "8.73"),
    ("HD-NG-TANQUANG", "Xã Tân Quang", UnitKind.COMMUNE):
        ("14.02", "5", "16.85", "6", "10.6", "7", "10.83", "1.94", "12.43", "9.55"),
    ("HD-NG-UNGHOE", "Xã Ứng Hòe", UnitKind.COMMUNE):
        ("11.32", "4.75", "13.44", "5", "9.3", "5", "8.33", "1.27", "10.94", "8.76"),
    ("HD-NG-VANHOI", "Xã Văn Hội", UnitKind.COMMUNE):
        ("13.72", "4.75", "15.72", "5.5", "9.45", "6.4", "10.89", "1.69", "10.86", "9.54"),
    ("HD-NG-VANPHUC", "Xã Vạn Phúc", UnitKind.COMMUNE):
        ("12.4", "4.75", "15.02", "6", "10.6", "6.6", "11.03", "1.725", "12.25", "9.24"),
    ("HD-NG-VINHHOA", "Xã Vĩnh Hòa", UnitKind.COMMUNE):
        ("11.18", "4.75", "14.98", "5.75", "10.75", "5.75", "11.13", "1.555", "10.86", "9.42"),
}
# fmt: on
BLOCK_2022 = "Khối xã, thị trấn"
DECISION_2022 = ("766/QĐ-UBND", dt.date(2023, 3, 16))  # seed 003
SOURCE_2022 = "Theo kết quả công bố tại Quyết định 766/QĐ-UBND ngày 16/3/2023 của UBND huyện"

# --------------------------------------------------------------------------- current, Hải Phòng

# Hải Phòng 2025 SIPAS averages (shared/domain/notes.md): wards 92,26%, communes 91,87%.
SIPAS_MEAN = {"Khối phường": 92.26, "Khối xã, đặc khu": 91.87}

# Xã Ninh Giang's partly filled self-assessment: (code, share of max, note, documents with
# (title, number, (year offset, month, day) of issue, issuer)).
UBND_NG = "UBND xã Ninh Giang"
# fmt: off
NINH_GIANG_SCORES = [
    ("1.1", "1", "Kế hoạch CCHC năm ban hành ngày 30/12, trước thời hạn của UBND thành phố.",
     [("Kế hoạch cải cách hành chính năm {year}", "645/KH-UBND", (-1, 12, 30), UBND_NG)]),
    ("1.3", "1", "Đủ 4 báo cáo quý, 6 tháng và năm, gửi đúng hạn.",
     [("Báo cáo CCHC 6 tháng đầu năm {year}", "112/BC-UBND", (0, 6, 12), UBND_NG),
      ("Báo cáo CCHC quý III năm {year}", "168/BC-UBND", (0, 9, 16), UBND_NG)]),
    ("1.4", "0.75", "Tự kiểm tra 3/4 bộ phận; còn Bộ phận Một cửa kiểm tra trong quý IV.",
     [("Kế hoạch tự kiểm tra công tác CCHC năm {year}", "70/KH-UBND", (0, 2, 24), UBND_NG)]),
    ("2", "0.9", "Rà soát 18 văn bản QPPL; 1 văn bản chậm công bố kết quả rà soát.", []),
    ("4", "1", "Quy chế làm việc ban hành sau sắp xếp đơn vị hành chính 7/2025.",
     [("Quyết định ban hành Quy chế làm việc của UBND xã", "12/QĐ-UBND", (0, 7, 3), UBND_NG)]),
    ("7.1", "0.875", "Ký số 96% văn bản đi; còn văn bản mật xử lý giấy.", []),
]
# fmt: on

# A one-page PDF (ASCII only) standing in for a scanned document.
_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R"
    b"/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
    b"4 0 obj<</Length 58>>stream\nBT /F1 14 Tf 72 770 Td (Tai lieu minh hoa - demo CCHC) Tj ET\n"
    b"endstream endobj\n5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _framework(code: str) -> Framework:
    existing = Framework.objects.filter(code=code).first()
    return existing or framework_load(source=FRAMEWORKS / f"{code}.yaml")


@dataclass(frozen=True)
class Parts:
    """What this demo takes from the apps above it (surveys) and beside it (dossiers),
    handed in by the demo command (cchc.demo), the one layer that knows them all."""

    survey_result_set: Callable[..., object]  # surveys.services.survey_result_set
    survey_results_import: Callable[..., object]  # surveys.services.survey_results_import
    # dossiers.demo.load_former_dossiers: the former communes' dossiers, which the 2022
    # evaluation's metric criteria measure
    former_dossiers: Callable[[list[Unit], Person], object]


def load(ctx, parts: Parts) -> None:
    hd = _framework("hd-xa-2022")
    illustrative = _framework("minh-hoa-xa")
    _ninh_giang_2022(ctx, hd, parts)
    _hai_phong_current(ctx, illustrative, parts)


# --------------------------------------------------------------------------- 2022


def _former_communes() -> dict[str, Unit]:
    district = Unit.objects.get(scheme=NINH_GIANG[0], code=NINH_GIANG[1])
    missing = [key for key in OTHERS_2022 if not Unit.objects.filter(scheme="local", code=key[0])]
    if missing:
        lines = [
            "scheme,code,name,kind,parent_scheme,parent_code,valid_from,valid_to,"
            "successor_scheme,successor_code"
        ]
        for code, name, kind in missing:
            lines.append(
                f"local,{code},{name},{kind},{district.scheme},{district.code},"
                "2008-01-01,2025-06-30,,"
            )
        units_import(
            source=io.BytesIO("\n".join(lines).encode("utf-8")),
            filename="xa-huyen-ninh-giang-truoc-2025.csv",
        )
    return {code: Unit.objects.get(scheme="local", code=code) for code, _, _ in OTHERS_2022}


def _district_officer(district: Unit, communes: list[Unit]):
    """The district's Phòng Nội vụ, who ran the 2022 cycle (and can show it today)."""
    user = person_create(
        username="noivu.ninhgiang",
        password="cchc-demo",
        full_name="Phòng Nội vụ huyện Ninh Giang",
        unit=district,
        roles=[R.ADMINISTRATOR, R.APPRAISER],
        position="Chuyên viên theo dõi CCHC (đến 6/2025)",
    )
    for unit in communes:
        AppraisalAssignment.objects.get_or_create(appraiser=user, unit=unit)
    return user


def _ninh_giang_2022(ctx, framework: Framework, parts: Parts) -> None:
    from cchc.units.demo import DemoAccount

    district = Unit.objects.get(scheme=NINH_GIANG[0], code=NINH_GIANG[1])
    dong_tam = Unit.objects.get(scheme=DONG_TAM[0], code=DONG_TAM[1])
    others = _former_communes()
    by = _district_officer(district, [dong_tam, *others.values()])
    parts.former_dossiers([dong_tam, *others.values()], by)
    if not any(a.username == by.username for a in ctx.accounts):
        ctx.accounts.append(
            DemoAccount(by.username, "Phòng Nội vụ huyện Ninh Giang", R.ADMINISTRATOR, district)
        )
    if Cycle.objects.filter(organiser=district, year=2022, framework=framework).exists():
        return
    scores = {dong_tam: DONG_TAM_2022} | {
        others[code]: values for (code, _, _), values in OTHERS_2022.items()
    }
    with transaction.atomic():
        cycle = services.cycle_open(
            framework=framework,
            year=2022,
            # Đồng Tâm's scores are seed 003's; the other communes' are made up. That is said
            # in the demo's documentation, not in the cycle's name, which documents print.
            name="Chỉ số CCHC năm 2022 của UBND các xã, thị trấn huyện Ninh Giang",
            organiser=district,
            units=[(unit, BLOCK_2022) for unit in sorted(scores, key=lambda u: u.name)],
            measure_start=dt.date(2021, 12, 15),
            measure_end=dt.date(2022, 12, 14),
            appraising_body=district,
            self_assessment_deadline=dt.date(2023, 1, 15),
            appraisal_deadline=dt.date(2023, 2, 28),
            remediation_deadline=dt.date(2023, 4, 10),  # seed 001's date for the same duty
            by=by,
        )
        services.cycle_transition(cycle=cycle, to_state=CycleState.SELF_ASSESSMENT, by=by)
        cycle_units = {cu.unit_id: cu for cu in cycle.cycle_units.select_related("unit")}
        for unit, values in scores.items():
            cu = cycle_units[unit.pk]
            leaves = {s.criterion.code: s for s in cu.scores.select_related("criterion")}
            for code in map(str, range(1, 9)):
                services.self_assessment_set_score(
                    score=leaves[code], value=values[int(code) - 1], note=SOURCE_2022, by=by
                )
            # SIPAS: index % × 10 / 100 gives the published points exactly (9,28 ↔ 92,8%).
            parts.survey_result_set(
                cycle=cycle,
                unit=unit,
                survey="sipas",
                value=Decimal(values[9]) * 10,
                by=by,
                source_note="Phiếu khảo sát SIPAS năm 2022",
            )
            services.self_assessment_submit(cycle_unit=cu, by=by)
        services.cycle_transition(cycle=cycle, to_state=CycleState.APPRAISAL, by=by)
        for unit, values in scores.items():
            cu = cycle_units[unit.pk]
            # The XHH survey's conversion to points is not known (hd-xa-2022.yaml, note of
            # component 9): the published points are entered as the appraised score.
            services.appraisal_set_score(
                score=cu.scores.get(criterion__code="9"),
                value=values[8],
                reason="Điểm điều tra xã hội học theo kết quả công bố",
                by=by,
            )
            services.appraisal_finalise_unit(cycle_unit=cu, by=by)
        services.cycle_transition(cycle=cycle, to_state=CycleState.FINALISED, by=by)
        services.cycle_publish(
            cycle=cycle, decision_no=DECISION_2022[0], decision_date=DECISION_2022[1], by=by
        )
        # Most units sent their plans on time; one still owes it.
        for i, duty in enumerate(
            RemediationDuty.objects.filter(cycle_unit__cycle=cycle).order_by(
                "cycle_unit__unit__name"
            )
        ):
            if i == 0:
                continue
            services.remediation_submit(
                duty=duty,
                by=by,
                plan_file=ContentFile(_PDF, name="ke-hoach-khac-phuc.pdf"),
                note="Kế hoạch khắc phục tồn tại sau công bố Chỉ số CCHC năm 2022",
            )
            if i % 2:
                services.remediation_accept(duty=duty, by=by)


# --------------------------------------------------------------------------- current year


def _hai_phong_current(ctx, framework: Framework, parts: Parts) -> None:
    province = ctx.province
    year = timezone.localdate().year
    if Cycle.objects.filter(organiser=province, year=year, framework=framework).exists():
        return
    # All or nothing: a half-made cycle would be skipped by the next run.
    with transaction.atomic():
        _build_current(ctx, framework, year, parts)


def _build_current(ctx, framework: Framework, year: int, parts: Parts) -> None:
    province = ctx.province
    admin = get_user_model().objects.get(username="quantri")
    snv = Unit.objects.filter(scheme="local", code="HP-SNV").first()
    today = timezone.localdate()
    units = list(
        Unit.objects.filter(
            parent=province,
            kind__in=[UnitKind.COMMUNE, UnitKind.WARD, UnitKind.SPECIAL_ZONE],
            valid_to__isnull=True,
        ).order_by("name")
    )
    cycle = services.cycle_open(
        framework=framework,
        year=year,
        name=f"Chỉ số CCHC năm {year} của UBND các xã, phường, đặc khu",
        organiser=province,
        units=[(unit, block_for(unit)) for unit in units],
        # The reporting year, 15/12 to 14/12 (TT 01/2020/TT-VPCP).
        measure_start=dt.date(year - 1, 12, 15),
        measure_end=dt.date(year, 12, 14),
        appraising_body=snv,
        self_assessment_deadline=today + dt.timedelta(days=21),
        appraisal_deadline=today + dt.timedelta(days=50),
        by=admin,
    )
    services.cycle_transition(
        cycle=cycle,
        to_state=CycleState.SELF_ASSESSMENT,
        by=admin,
        reason="Theo Kế hoạch đánh giá Chỉ số CCHC năm của UBND thành phố",
    )
    rng = random.Random(f"{SEED}-{year}")
    cycle_units = list(cycle.cycle_units.select_related("unit").order_by("unit__name"))
    # SIPAS for every unit, imported as the Sở Nội vụ would (one file, all or nothing).
    lines = ["unit,survey,value,respondents,note"]
    for cu in cycle_units:
        mean = SIPAS_MEAN.get(cu.block, 92.0)
        value = max(min(rng.gauss(mean, 2.2), 99.4), 84.0)
        lines.append(
            f"{cu.unit.key},sipas,{value:.2f},{rng.randint(90, 160)},Khảo sát SIPAS {year}"
        )
    parts.survey_results_import(
        cycle=cycle,
        source=io.BytesIO("\n".join(lines).encode("utf-8")),
        filename=f"sipas-{year}.csv",
        by=admin,
    )
    officer_account = ctx.account("congchuc")
    officer = get_user_model().objects.get(username=officer_account.username)
    own = next(cu for cu in cycle_units if cu.unit_id == officer_account.unit.pk)
    _fill_ninh_giang(own, officer)
    # Other units: about one in six already submitted, one in five in progress. They are
    # scored by the organiser's administrator (who may act for any unit under the city),
    # as if each unit's officer had.
    others = [cu for cu in cycle_units if cu.pk != own.pk]
    rng.shuffle(others)
    submitted = others[: len(others) // 6]
    in_progress = others[len(others) // 6 : len(others) // 6 + len(others) // 5]
    for cu in submitted:
        _fill(cu, admin, rng, share=1.0)
        services.self_assessment_submit(cycle_unit=cu, by=admin)
    for cu in in_progress:
        _fill(cu, admin, rng, share=rng.uniform(0.3, 0.8))


def _evidence_leaves(cu: CycleUnit) -> list[Score]:
    return list(
        cu.scores.select_related("criterion")
        .filter(criterion__method="evidence")
        .order_by("criterion__position")
    )


def _fill(cu: CycleUnit, by: Person, rng: random.Random, *, share: float) -> None:
    """Score a share of the unit's evidence leaves at 70–100% of their max."""
    quality = rng.uniform(0.78, 0.97)
    leaves = _evidence_leaves(cu)
    count = round(len(leaves) * share)
    for score in leaves[:count]:
        ratio = min(1.0, max(0.55, rng.gauss(quality, 0.08)))
        value = (score.max_points * Decimal(str(ratio))).quantize(Decimal("0.01"))
        services.self_assessment_set_score(score=score, value=value, note="", by=by)
        if rng.random() < 0.6:
            services.evidence_add(
                cycle_unit=cu,
                criterion=score.criterion,
                title=f"Tài liệu kiểm chứng tiêu chí {score.criterion.code}",
                number_symbol=f"{rng.randint(10, 400)}/BC-UBND",
                issued_on=timezone.localdate() - dt.timedelta(days=rng.randint(20, 300)),
                issuer=authority_name(cu.unit),
                by=by,
            )


def _fill_ninh_giang(cu: CycleUnit, officer) -> None:
    leaves = {s.criterion.code: s for s in _evidence_leaves(cu)}
    today = timezone.localdate()
    for code, share, note, documents in NINH_GIANG_SCORES:
        score = leaves[code]
        value = (score.max_points * Decimal(share)).quantize(Decimal("0.01"))
        services.self_assessment_set_score(score=score, value=value, note=note, by=officer)
        for title, number, (offset, month, day), issuer in documents:
            year = cu.cycle.year + offset
            services.evidence_add(
                cycle_unit=cu,
                criterion=score.criterion,
                title=title.format(year=cu.cycle.year),
                number_symbol=number,
                issued_on=min(dt.date(year, month, day), today),
                issuer=issuer,
                file=ContentFile(_PDF, name=f"{number.replace('/', '-')}.pdf"),
                by=officer,
            )
