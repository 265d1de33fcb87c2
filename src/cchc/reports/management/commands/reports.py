"""`cchc reports remind`: the scheduled reminder run. Safe to run twice, or on two machines
at once: reminders are unique per unit, report and day, and each is claimed by a
conditional update before it is sent.

`cchc reports batch --parent CODE --user NAME --period 2025-Q2 [--unit CODE …] [--format
docx --format pdf]`: the batch of the reports page (reports.batches), queued for the
workers (`cchc worker`); with CCHC_TASKS=immediate it runs here and prints the outcome."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cchc.core.cli import iso_date
from cchc.reports import services


class Command(BaseCommand):
    help = (
        "Báo cáo CCHC: remind (nhắc các đơn vị chưa nộp báo cáo định kỳ); batch (tạo báo cáo "
        "hàng loạt cho các đơn vị trực thuộc)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        remind = sub.add_parser("remind", help="Nhắc các đơn vị quá hạn hoặc sắp đến hạn nộp")
        remind.add_argument("--date", help="ngày chạy (YYYY-MM-DD), mặc định hôm nay")
        remind.add_argument(
            "--days-before",
            type=int,
            default=services.REMIND_DAYS_BEFORE,
            help="nhắc trước hạn bao nhiêu ngày (mặc định 3)",
        )

        batch = sub.add_parser("batch", help="Tạo báo cáo hàng loạt cho các đơn vị trực thuộc")
        batch.add_argument("--parent", required=True, help="mã đơn vị cấp trên, VD 2025-31")
        batch.add_argument("--user", required=True, help="tên đăng nhập của người tạo")
        batch.add_argument("--period", required=True, help="2025-Q2, 2025-H1, 2025, …")
        batch.add_argument("--kind", default="unit_quarterly", help=", ".join(services.BATCH_KINDS))
        batch.add_argument(
            "--unit", action="append", default=[], help="mã đơn vị (lặp lại); mặc định: tất cả"
        )
        batch.add_argument(
            "--format",
            action="append",
            choices=("docx", "pdf"),
            default=[],
            help="docx, pdf (lặp lại); mặc định cả hai",
        )
        batch.add_argument("--chunk-size", type=int, default=None, help="số đơn vị mỗi phần việc")

    def handle(self, *args, action, **options):
        if action == "batch":
            self.batch(options)
            return
        if action == "remind":
            today = iso_date(options.get("date") or None) or timezone.localdate()
            created = services.reminders_prepare(today=today, days_before=options["days_before"])
            sent = services.reminders_dispatch()
            self.stdout.write(f"Nhắc nộp báo cáo: {created} lời nhắc mới, {sent} đã gửi.")

    def batch(self, options) -> None:
        from django.contrib.auth import get_user_model
        from django.core.exceptions import PermissionDenied, ValidationError

        from cchc.reports.kinds import KindError
        from cchc.reports.management.commands.report import find_unit

        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"Không có người dùng tên đăng nhập {options['user']}.")
        parent = find_unit(options["parent"])
        unit_ids = [find_unit(code).pk for code in options["unit"]] or None
        try:
            job = services.batch_start(
                parent=parent,
                kind=options["kind"],
                period_code=options["period"],
                formats=tuple(options["format"]) or ("docx", "pdf"),
                unit_ids=unit_ids,
                by=user,
                chunk_size=options["chunk_size"],
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        except (PermissionDenied, KindError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Công việc số {job.pk}: {job.title}")
        self.stdout.write(f"{job.get_status_display()}: {job.done}/{job.total}. {job.message}")
        for failure in job.result.get("failures", []):
            self.stdout.write(f"  {failure['name']}: {failure['message']}")
        if job.result.get("zip"):
            self.stdout.write(f"Tệp ZIP: {job.result['zip']}")
