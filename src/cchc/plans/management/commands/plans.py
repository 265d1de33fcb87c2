"""`cchc plans …`: plans, inspections and staffing figures from a terminal."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cchc.core.formatting import vn_date, vn_number
from cchc.core.tabular import TableErrors
from cchc.plans import rules, selectors, services
from cchc.plans.models import Plan, StaffingYear
from cchc.units.models import Unit

UNKNOWN_UNIT = "Không có đơn vị '{key}' (dùng SCHEME-CODE, VD 2025-31, hoặc số id)."
NO_PLAN = "{unit} chưa có kế hoạch CCHC năm {year}."
NO_STAFFING = "{unit} chưa có số liệu cán bộ, công chức năm {year}."


def find_unit(key: str) -> Unit:
    key = key.strip()
    query = Unit.objects.filter(pk=int(key)) if key.isdigit() else None
    if query is None:
        scheme, _, code = key.partition("-")
        query = Unit.objects.filter(scheme=scheme, code=code)
    unit = query.first()
    if unit is None:
        raise CommandError(UNKNOWN_UNIT.format(key=key))
    return unit


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return rules.parse_deadline(text, dt.date.today().year)
    except ValueError as error:
        raise CommandError(str(error)) from None


class Command(BaseCommand):
    help = (
        "Kế hoạch CCHC, kiểm tra, cán bộ công chức: import, copy, due, coverage, "
        "staffing-import, staffing."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="Nhập kế hoạch năm từ XLSX/CSV (tất cả hoặc không)")
        imp.add_argument("file")
        imp.add_argument("--unit", required=True, help="đơn vị: SCHEME-CODE hoặc id")
        imp.add_argument("--year", type=int, required=True)
        imp.add_argument("--title", default="")
        imp.add_argument("--number", default="", help="số, ký hiệu (VD 61/KH-UBND)")
        imp.add_argument("--issued-on", default="", help="ngày ban hành (VD 27/12/2025)")
        imp.add_argument(
            "--replace", action="store_true", help="thay kế hoạch dự thảo đã có của năm đó"
        )
        copy = sub.add_parser("copy", help="Sao chép kế hoạch năm YEAR thành dự thảo năm sau")
        copy.add_argument("--unit", required=True)
        copy.add_argument("--year", type=int, required=True)
        due = sub.add_parser("due", help="Việc quá hạn và đến hạn của các kế hoạch đã ban hành")
        due.add_argument("--unit", help="đơn vị (và các đơn vị trực thuộc); mặc định: tất cả")
        due.add_argument("--days", type=int, default=rules.DUE_SOON_DAYS)
        cov = sub.add_parser("coverage", help="Tỷ lệ đơn vị cấp dưới được kiểm tra trong năm")
        cov.add_argument("--unit", required=True)
        cov.add_argument("--year", type=int, required=True)
        simp = sub.add_parser("staffing-import", help="Nhập danh sách cán bộ, công chức năm")
        simp.add_argument("file")
        simp.add_argument("--unit", required=True)
        simp.add_argument("--year", type=int, required=True)
        staff = sub.add_parser("staffing", help="In số liệu cán bộ, công chức như báo cáo")
        staff.add_argument("--unit", required=True)
        staff.add_argument("--year", type=int, required=True)

    def handle(self, *args, action, **options):
        getattr(self, "do_" + action.replace("-", "_"))(**options)

    def do_import(self, *, file, unit, year, title, number, issued_on, replace, **_):
        target = find_unit(unit)
        try:
            with open(file, "rb") as handle:
                plan = services.plan_import(
                    unit=target,
                    year=year,
                    source=handle,
                    filename=file,
                    title=title,
                    number=number,
                    issued_on=_date(issued_on),
                    replace=replace,
                )
        except FileNotFoundError:
            raise CommandError(f"Không tìm thấy tệp {file}") from None
        except TableErrors as error:
            raise CommandError(str(error)) from None
        summary = selectors.plan_summary(plan)
        counts = summary.counts
        self.stdout.write(
            f"{plan.title}: {counts['objective']} mục tiêu, {counts['task']} nhiệm vụ, "
            f"{counts['activity']} hoạt động ({plan.get_state_display().lower()})."
        )

    def do_copy(self, *, unit, year, **_):
        target = find_unit(unit)
        plan = Plan.objects.filter(unit=target, year=year).first()
        if plan is None:
            raise CommandError(NO_PLAN.format(unit=target, year=year))
        try:
            copy = services.plan_copy(plan=plan)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"Đã tạo dự thảo: {copy.title} ({copy.items.count()} mục).")

    def do_due(self, *, unit, days, **_):
        units = find_unit(unit).descendants() if unit else Unit.objects.all()
        on = selectors.today()
        items = list(selectors.open_leaves_of(units, on, days))
        late = sum(1 for i in items if i.due_on < on)
        self.stdout.write(
            f"{len(items)} việc quá hạn hoặc đến hạn trong {days} ngày ({late} quá hạn), "
            f"tính đến {vn_date(on)}:"
        )
        current = None
        for item in sorted(items, key=lambda i: (i.plan.unit.path, i.due_on, i.sort_key)):
            if item.plan.unit_id != current:
                current = item.plan.unit_id
                self.stdout.write(f"\n{item.plan.unit.name} — {item.plan.title}")
            state = (
                f"quá hạn {(on - item.due_on).days} ngày"
                if item.due_on < on
                else f"còn {(item.due_on - on).days} ngày"
            )
            who = item.lead_officer_name or "chưa giao người"
            self.stdout.write(
                f"  {item.code:<8} hạn {vn_date(item.due_on):<10} {state:<18} {who}: {item.title}"
            )

    def do_coverage(self, *, unit, year, **_):
        organiser = find_unit(unit)
        result = selectors.coverage(organiser, year)
        self.stdout.write(f"{organiser.name}, năm {year}:")
        for row in result.rows:
            self.stdout.write(f"  {row.label}: {rules.share_text(row.inspected, row.total)}")
        self.stdout.write(
            f"  Tổng: {rules.share_text(result.inspected, result.total)}, đạt {result.phrase}."
        )

    def do_staffing_import(self, *, file, unit, year, **_):
        target = find_unit(unit)
        try:
            with open(file, "rb") as handle:
                staffing = services.staffing_import(
                    unit=target, year=year, source=handle, filename=file
                )
        except FileNotFoundError:
            raise CommandError(f"Không tìm thấy tệp {file}") from None
        except TableErrors as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Đã nhập {staffing.members.count()} cán bộ, công chức năm {year} của {target}."
        )

    def do_staffing(self, *, unit, year, **_):
        target = find_unit(unit)
        record = StaffingYear.objects.filter(unit=target, year=year).first()
        if record is None:
            raise CommandError(NO_STAFFING.format(unit=target, year=year))
        summary = selectors.staffing_summary(record)
        self.stdout.write(
            f"{target.name}, năm {year}: biên chế được giao "
            f"{vn_number(record.positions_allotted)}, có mặt {vn_number(record.positions_filled)}."
        )
        parts = [
            f"{r.label.lower()} {r.count} người ({vn_number(r.share, 1)}%)"
            for r in summary.ratings.rows
            if r.count
        ]
        self.stdout.write(
            f"Được đánh giá, xếp loại {summary.ratings.whole} người: " + "; ".join(parts) + "."
        )
        parts = [
            f"{r.label} {r.count} người ({vn_number(r.share, 1)}%)"
            for r in summary.qualifications.rows
            if r.count
        ]
        self.stdout.write("Trình độ chuyên môn: " + "; ".join(parts) + ".")
        for course, people in summary.trainings:
            self.stdout.write(f"  {course}: {people} người")
