"""`cchc worker`: first mark failed the work whose process died (a killed worker leaves its
job "running"; issue 13), then run django-tasks' database worker on every queue.

Any option of django-tasks-db's `db_worker` passes through (`cchc worker --batch
--worker-id w1`). Run as many side by side as the machine has cores: each queue row goes to
one worker (SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL, an exclusive transaction on
SQLite) and each job is claimed once (`Job.claim`)."""

from __future__ import annotations

import argparse

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from cchc.core.reaper import reap_dead_work


class _PassThrough(CommandParser):
    """Options this command does not know go on to db_worker, wherever they stand."""

    def parse_args(self, args=None, namespace=None):
        namespace, extra = self.parse_known_args(args, namespace)
        namespace.worker_args = [*extra, *namespace.worker_args]
        return namespace


class Command(BaseCommand):
    help = "Chạy công việc nền (nhập tệp, lập báo cáo) từ hàng đợi trong cơ sở dữ liệu."

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.__class__ = _PassThrough  # Django builds a CommandParser; only parse_args differs
        return parser

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
