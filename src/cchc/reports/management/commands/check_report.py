from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cchc.reports.checker import check_file, render
from cchc.reports.textextract import ReportReadError


class Command(BaseCommand):
    help = (
        "Đọc một báo cáo viết tay (DOCX, PDF hoặc văn bản), tìm các số liệu (tổng, tỷ lệ, "
        "thay đổi) và liệt kê từng câu có số liệu không khớp."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, file, format, **options):
        path = Path(file)
        if not path.exists():
            raise CommandError(f"Không tìm thấy tệp {file}")
        try:
            findings = check_file(path)
        except ReportReadError as error:
            raise CommandError(f"{file}: {error.message}") from None
        self.stdout.write(render(findings, fmt=format))
        if findings:
            # Non-zero so scripts can tell a report that does not add up.
            raise SystemExit(1)
