"""`cchc reports remind`: the scheduled reminder run. Safe to run twice, or on two machines
at once: reminders are unique per unit, report and day, and each is claimed by a
conditional update before it is sent."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cchc.reports import services


class Command(BaseCommand):
    help = "Báo cáo CCHC: remind (nhắc các đơn vị chưa nộp báo cáo định kỳ)."

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

    def handle(self, *args, action, **options):
        if action == "remind":
            today = timezone.localdate()
            if options.get("date"):
                try:
                    today = dt.date.fromisoformat(options["date"])
                except ValueError:
                    raise CommandError(f"Ngày không hợp lệ: {options['date']}") from None
            created = services.reminders_prepare(today=today, days_before=options["days_before"])
            sent = services.reminders_dispatch()
            self.stdout.write(f"Nhắc nộp báo cáo: {created} lời nhắc mới, {sent} đã gửi.")
