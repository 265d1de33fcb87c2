"""cchc frameworks load FILE | export CODE [--output PATH] | list"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cchc.core.formatting import vn_number
from cchc.frameworks import services
from cchc.frameworks.models import Framework
from cchc.frameworks.spec import FrameworkError


class Command(BaseCommand):
    help = "Bộ chỉ số CCHC: load (nạp từ tệp YAML), export (xuất YAML), list."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="Kiểm tra và nạp một bộ chỉ số từ tệp YAML")
        load.add_argument("file")
        export = sub.add_parser("export", help="Xuất một bộ chỉ số đã nạp ra YAML")
        export.add_argument("code")
        export.add_argument("--output", "-o", help="ghi vào tệp thay vì màn hình")
        sub.add_parser("list", help="Liệt kê các bộ chỉ số đã nạp")

    def handle(self, *args, action, **options):
        getattr(self, f"do_{action}")(**options)

    def do_load(self, *, file, **_):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {file}")
        try:
            row = services.framework_load(source=path)
        except FrameworkError as error:
            raise CommandError(f"{file}: {error}") from None
        except services.FrameworkInUse as error:
            raise CommandError(str(error)) from None
        leaves = row.criteria.filter(is_leaf=True).count()
        self.stdout.write(
            f"Đã nạp {row.code}: {row.name} — {row.criteria.count()} tiêu chí "
            f"({leaves} tiêu chí lá), tổng {vn_number(row.max_points)} điểm."
        )

    def do_export(self, *, code, output=None, **_):
        try:
            text = services.framework_export(code)
        except services.FrameworkNotFound as error:
            raise CommandError(str(error)) from None
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stdout.write(f"Đã ghi {output}")
        else:
            self.stdout.write(text, ending="")

    def do_list(self, **_):
        rows = Framework.objects.order_by("code")
        if not rows:
            self.stdout.write("Chưa có bộ chỉ số nào (cchc frameworks load FILE).")
        for row in rows:
            in_use = row.cycles.count()
            self.stdout.write(
                f"{row.code:<24} {vn_number(row.max_points):>6} điểm  {row.name}"
                + (f"  [{in_use} kỳ đánh giá]" if in_use else "")
            )
