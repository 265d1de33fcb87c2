"""`cchc report KIND --unit CODE --period P --format docx|pdf [--output PATH]`: one report
written from the stored data, for scripts and batches."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from cchc.dossiers.periods import PeriodError, parse_as_of, parse_period, vn_today
from cchc.reports import generate, kinds
from cchc.reports.models import Report
from cchc.reports.sources import SourceError
from cchc.units.models import Unit

ERR_UNKNOWN_UNIT = "Không có đơn vị mã '{code}' (dùng mã hoặc hệ-mã, VD 2025-11311, 2008-30)."
ERR_AMBIGUOUS_UNIT = "Mã '{code}' trùng ở nhiều hệ mã ({schemes}); ghi rõ, VD {example}."
ERR_NO_CYCLE = "Không có kỳ đánh giá số {pk}."
ERR_NO_INSPECTION = "Không có đợt kiểm tra số {pk}."


def find_unit(code: str) -> Unit:
    """A unit by its code ('11311'), its key ('2025-11311') or its exact name."""
    text = code.strip()
    scheme, _, rest = text.partition("-")
    matches = list(Unit.objects.filter(code=text))
    if not matches and rest:
        matches = list(Unit.objects.filter(scheme=scheme, code=rest))
    if not matches:
        matches = list(Unit.objects.filter(Q(name__iexact=text)))
    if not matches:
        raise CommandError(ERR_UNKNOWN_UNIT.format(code=code))
    if len(matches) > 1:
        schemes = ", ".join(sorted(u.scheme for u in matches))
        raise CommandError(
            ERR_AMBIGUOUS_UNIT.format(code=code, schemes=schemes, example=matches[0].key)
        )
    return matches[0]


class Command(BaseCommand):
    help = (
        "Tạo một báo cáo từ số liệu đã lưu. KIND: "
        + ", ".join(k.cli for k in kinds.KINDS)
        + ". Lời nhận xét lấy từ báo cáo đã soạn trên hệ thống (nếu có)."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", help=", ".join(k.cli for k in kinds.KINDS))
        parser.add_argument("--unit", required=True, help="mã đơn vị, VD 2025-11311")
        parser.add_argument("--period", required=True, help="2023-Q1, 2023-H1, 2023, …")
        parser.add_argument(
            "--as-of",
            dest="as_of",
            help="số liệu tính đến ngày YYYY-MM-DD (mặc định hôm nay, giờ Việt Nam)",
        )
        parser.add_argument("--format", choices=generate.FORMATS, default="pdf")
        parser.add_argument("--output", help="tệp ra (mặc định: tên chuẩn trong thư mục hiện tại)")
        parser.add_argument("--cycle", type=int, help="số kỳ đánh giá (index-results)")
        parser.add_argument("--inspection", type=int, help="số đợt tự kiểm tra (self-inspection)")

    def handle(self, *args, **options):
        try:
            kind = kinds.kind_for(options["kind"])
        except kinds.KindError as error:
            raise CommandError(str(error)) from None
        unit = find_unit(options["unit"])
        try:
            period = parse_period(options["period"])
            kinds.check_period_kind(kind, period.kind, period.code)
            as_of = parse_as_of(options.get("as_of")) or vn_today()
        except (PeriodError, kinds.KindError) as error:
            raise CommandError(str(error)) from None
        cycle = inspection = None
        if options.get("cycle"):
            from cchc.evaluations.models import Cycle

            cycle = Cycle.objects.filter(pk=options["cycle"]).first()
            if cycle is None:
                raise CommandError(ERR_NO_CYCLE.format(pk=options["cycle"]))
        if options.get("inspection"):
            from cchc.plans.models import Inspection

            inspection = Inspection.objects.filter(pk=options["inspection"]).first()
            if inspection is None:
                raise CommandError(ERR_NO_INSPECTION.format(pk=options["inspection"]))
        report = (
            Report.objects.filter(kind=kind.code, unit=unit, period_code=period.code)
            .order_by("subject")
            .first()
        )
        try:
            if report is not None and cycle is None and inspection is None:
                doc = generate.document_for(report, today=as_of)
            else:
                doc = generate.build(
                    kind, unit, period, cycle=cycle, inspection=inspection, today=as_of
                )
        except SourceError as error:
            raise CommandError(str(error)) from None
        data = generate.render(doc, options["format"])
        output = Path(
            options.get("output") or generate.file_name(kind, unit, period.code, options["format"])
        )
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(data)
        self.stdout.write(
            f"{output} ({len(data):,} byte) — {kind.label}, {unit.name}, {period.label}"
        )
