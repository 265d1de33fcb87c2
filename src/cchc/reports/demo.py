"""Demo data of reports: Xã Ninh Giang's periodic reports of this year (the quarters already
due filed by its chairman, the current one a draft the officer is writing), its annual
report and statistics form, a self-inspection notice; and for Hải Phòng a filing matrix
of its communes and departments with reports filed on time, late and missing, and a
reminder sent. Dates follow today's date. Idempotent: a report that exists (unit, kind,
period) is left as it is.

The narrative texts are written after seeds 002 and 003 (what communes write); every
figure in the generated files comes from the demo's dossiers, plans and evaluations.
"""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cchc.dossiers.periods import reporting_month_of
from cchc.reports import kinds, services
from cchc.reports.filing import due_dates, filing_units
from cchc.reports.models import (
    DeadlineSetting,
    FilingReminder,
    ReminderStatus,
    Report,
    ReportStatus,
)
from cchc.reports.sources import draft_report, frame_defaults
from cchc.units.models import Unit
from cchc.units.naming import authority_name

VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")

NARRATIVE = {
    "basis": (
        "Thực hiện Kế hoạch cải cách hành chính năm {year} của UBND thành phố Hải Phòng và "
        "Kế hoạch cải cách hành chính năm {year} của UBND xã;"
    ),
    "activities": (
        "UBND xã đã ban hành và triển khai Kế hoạch CCHC, Kế hoạch kiểm soát thủ tục hành "
        "chính, Kế hoạch tuyên truyền CCHC; phân công công chức phụ trách từng lĩnh vực, gắn "
        "với sản phẩm và thời hạn hoàn thành cụ thể."
    ),
    "strengths": (
        "- Công tác chỉ đạo, điều hành CCHC được quan tâm, sát sao; các nhiệm vụ được triển "
        "khai đúng tiến độ.\n"
        "- Bộ phận Một cửa hoạt động nền nếp; hồ sơ được tiếp nhận, giải quyết trên phần mềm "
        "một cửa điện tử, phần lớn trước hạn."
    ),
    "weaknesses": (
        "- Tỷ lệ thanh toán phí, lệ phí trực tuyến còn thấp.\n"
        "- Việc khai thác, sử dụng lại dữ liệu đã số hóa còn ít; một số hồ sơ giải quyết quá hạn."
    ),
    "causes": (
        "- Người dân chưa quen sử dụng dịch vụ công trực tuyến và thanh toán trực tuyến.\n"
        "- Cơ sở vật chất tại Bộ phận Một cửa chưa đồng bộ, đường truyền còn chậm."
    ),
    "directions": (
        "1. Tiếp tục tuyên truyền, hướng dẫn người dân sử dụng dịch vụ công trực tuyến toàn trình.\n"
        "2. Nâng cao tỷ lệ số hóa hồ sơ, kết quả giải quyết thủ tục hành chính.\n"
        "3. Tăng cường tự kiểm tra, chấn chỉnh kịp thời những tồn tại, hạn chế."
    ),
}


def _user(username: str):
    return get_user_model().objects.filter(username=username).first()


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=VN)


def _text(year: int) -> dict[str, str]:
    return {k: v.format(year=year) for k, v in NARRATIVE.items()}


def load(ctx) -> None:
    today = timezone.localdate()
    commune = ctx.account("congchuc").unit
    officer = _user("congchuc")
    head = _user("chutich")
    admin = _user("quantri")
    year, _ = reporting_month_of(today)
    for kind in ("quarter", "half", "year"):
        DeadlineSetting.objects.get_or_create(period_kind=kind)
    _commune_reports(commune, officer, head, year, today)
    _self_inspection(commune, officer, year, today)
    _filing_matrix(ctx.province, commune, year, today)
    _reminders(ctx.province, admin, year, today)


def _commune_reports(commune: Unit, officer, head, year: int, today: dt.date) -> None:
    """The quarters already due: filed (one a few days late); the current period: draft."""
    submitted = 0
    for index, (_column, period, due) in enumerate(due_dates(year)):
        kind = kinds.FILED_BY_PERIOD[period.kind]
        if Report.objects.filter(
            kind=kind.code, unit=commune, period_code=period.code, subject=""
        ).exists():
            continue
        if period.start > today:
            continue
        report = services.report_open(
            unit=commune, kind=kind.code, period_code=period.code, by=officer
        )
        services.report_update(report=report, data=_text(year), by=officer)
        if due < today and submitted < 3:
            # The chairman filed it: on time, except the second one (3 days late).
            when = due - dt.timedelta(days=2) if index != 1 else due + dt.timedelta(days=3)
            services.report_submit(report=report, by=head, today=when)
            Report.objects.filter(pk=report.pk).update(submitted_at=_at(when))
            submitted += 1
        elif due >= today:
            services.report_generate(report=report, fmt="pdf", by=officer)
    # Last year's annual report and this year's statistics form, for the reports list.
    last = str(year - 1)
    if not Report.objects.filter(kind="unit_annual", unit=commune, period_code=last).exists():
        report = services.report_open(
            unit=commune, kind="unit_annual", period_code=last, by=officer
        )
        services.report_update(report=report, data=_text(year - 1), by=officer)
    quarter = f"{year}-Q{max(1, (reporting_month_of(today)[1] - 1) // 3)}"
    if not Report.objects.filter(kind="tt01_form", unit=commune, period_code=quarter).exists():
        services.report_open(unit=commune, kind="tt01_form", period_code=quarter, by=officer)


def _self_inspection(commune: Unit, officer, year: int, today: dt.date) -> None:
    """Seed 002: a self-inspection with findings, a recommendation and its deadline."""
    from cchc.plans import services as plan_services
    from cchc.plans.models import Component, Inspection

    title = f"Tự kiểm tra công tác cải cách hành chính năm {year}"
    inspection = Inspection.objects.filter(organiser=commune, title=title).first()
    start = min(today - dt.timedelta(days=20), dt.date(year, 12, 1))
    if inspection is None:
        with transaction.atomic():
            inspection = plan_services.inspection_create(
                organiser=commune,
                kind=Inspection.Kind.SELF,
                year=year,
                title=title,
                inspecting_body=f"Tổ kiểm tra công tác CCHC của {authority_name(commune)}",
                start_on=start,
                end_on=start + dt.timedelta(days=7),
                targets=[commune],
                decision_no="137/QĐ-UBND",
                decision_date=start - dt.timedelta(days=6),
                report_due_on=start + dt.timedelta(days=21),
                by=officer,
            )
            components = {c.code: c for c in Component.objects.all()}
            findings = [
                (
                    "1",
                    "result",
                    "UBND xã đã ban hành kịp thời Kế hoạch CCHC và các văn bản chỉ đạo.",
                ),
                ("3", "result", "Thực hiện 100% phiếu đánh giá giải quyết thủ tục hành chính."),
                ("3", "shortcoming", "Việc số hóa kết quả giải quyết TTHC chưa đạt chỉ tiêu."),
                ("7", "shortcoming", "Có 06/16 địa chỉ thư công vụ của cán bộ, công chức bị khóa."),
            ]
            for code, kind, text in findings:
                finding = plan_services.finding_add(
                    inspection=inspection,
                    unit=commune,
                    component=components[code],
                    text=text,
                    kind=kind,
                    by=officer,
                )
                if kind == "shortcoming":
                    plan_services.recommendation_add(
                        inspection=inspection,
                        unit=commune,
                        text="Khắc phục ngay tồn tại đã nêu và báo cáo kết quả",
                        due_on=inspection.report_due_on,
                        component=components[code],
                        finding=finding,
                        by=officer,
                    )
    subject = f"inspection:{inspection.pk}"
    if not Report.objects.filter(kind="self_inspection", unit=commune, subject=subject).exists():
        report = services.report_open(
            unit=commune,
            kind="self_inspection",
            period_code=str(year),
            by=officer,
            inspection=inspection,
        )
        services.report_update(
            report=report,
            data={"strengths": NARRATIVE["strengths"], "directions": NARRATIVE["directions"]},
            by=officer,
        )


def _filing_matrix(province: Unit, commune: Unit, year: int, today: dt.date) -> None:
    """Every unit under the province files (or not) its reports of the periods already due:
    about 60% on time, 20% late, 20% missing; deterministic per unit. Xã Tứ Kỳ (the second
    officer's commune) has not filed its latest one, and is reminded below."""
    columns = [(c, p, d) for c, p, d in due_dates(year) if d < today]
    latest = columns[-1][1].code if columns else None
    new: list[Report] = []
    existing = set(
        Report.objects.filter(year=year, unit__parent=province, subject="").values_list(
            "unit_id", "kind", "period_code"
        )
    )
    for unit in filing_units(province, year):
        if unit.pk == commune.pk:
            continue  # its own reports are written above, through the services
        rng = random.Random(f"filing-{unit.code}-{year}")
        defaults: dict[str, dict[str, str]] = {}
        for _column, period, due in columns:
            kind = kinds.FILED_BY_PERIOD[period.kind]
            draw = rng.random()
            late_days = rng.randint(1, 12)
            early_days = rng.randint(0, 6)
            if (unit.pk, kind.code, period.code) in existing:
                continue
            if draw < 0.2 or (unit.name == OTHER_COMMUNE and period.code == latest):
                continue  # missing
            when = (
                due + dt.timedelta(days=late_days)
                if draw < 0.4
                else due - dt.timedelta(days=early_days)
            )
            if kind.code not in defaults:
                defaults[kind.code] = frame_defaults(unit, kind)
            report = draft_report(unit, kind, period, by=None, defaults=defaults[kind.code])
            report.status = ReportStatus.SUBMITTED
            report.submitted_at = _at(min(when, today))
            report.submitted_to = province
            new.append(report)
    # Hundreds of rows in one insert (their history starts when someone edits them).
    Report.objects.bulk_create(new, ignore_conflicts=True)


OTHER_COMMUNE = "Xã Tứ Kỳ"


def _reminders(province: Unit, admin, year: int, today: dt.date) -> None:
    """The province reminded Xã Tứ Kỳ of the reports it has not filed."""
    other = Unit.objects.filter(parent=province, name=OTHER_COMMUNE).first()
    if other is None or admin is None:
        return
    for _column, period, due in due_dates(year):
        if due >= today:
            continue
        kind = kinds.FILED_BY_PERIOD[period.kind]
        filed = Report.objects.filter(
            unit=other, kind=kind.code, period_code=period.code, status=ReportStatus.SUBMITTED
        ).exists()
        if filed:
            continue
        FilingReminder.objects.get_or_create(
            unit=other,
            report_kind=kind.code,
            period_code=period.code,
            reminded_on=min(today, due + dt.timedelta(days=2)),
            defaults={
                "period_label": period.label,
                "due_on": due,
                "message": f"{other.name}: chưa nộp báo cáo CCHC {period.label}.",
                "status": ReminderStatus.SENT,
                "sent_at": timezone.now(),
                "created_by": admin,
            },
        )
