"""`cchc worker`: first mark failed the work whose process died (a killed worker leaves its
job "running"; issue 13), then run django-tasks' database worker on every queue."""

from __future__ import annotations

import argparse

from django.core.management import call_command
from django.core.management.base import BaseCommand

from cchc.core.reaper import reap_dead_work


class Command(BaseCommand):
    help = "Chạy công việc nền (nhập tệp, lập báo cáo) từ hàng đợi trong cơ sở dữ liệu."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check-only", action="store_true", help="chỉ đánh dấu việc đã dừng giữa chừng"
        )
        parser.add_argument("worker_args", nargs=argparse.REMAINDER)

    def handle(self, *args, check_only=False, worker_args=(), **options):
        failed = reap_dead_work()
        if failed:
            self.stdout.write(f"Đã đánh dấu lỗi {failed} việc có tiến trình đã dừng giữa chừng.")
        if check_only:
            return
        worker_args = list(worker_args)
        if "--queue-name" not in worker_args:
            worker_args = ["--queue-name", "*", *worker_args]
        call_command("db_worker", *worker_args)
