"""cchc outlines load FILE | export CODE [--output PATH] | list | xlsx CODE --output PATH"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cchc.reports.outlines import services
from cchc.reports.outlines.models import Outline
from cchc.reports.outlines.spec import OutlineError


class Command(BaseCommand):
    help = "Đề cương báo cáo: load (nạp YAML), export (xuất YAML), list, xlsx (mẫu Excel trống)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="Kiểm tra và nạp một đề cương từ tệp YAML")
        load.add_argument("file")
        export = sub.add_parser("export", help="Xuất một đề cương đã nạp ra YAML")
        export.add_argument("code")
        export.add_argument("--output", "-o", help="ghi vào tệp thay vì màn hình")
        xlsx = sub.add_parser("xlsx", help="Xuất mẫu Excel trống của một đề cương")
        xlsx.add_argument("code")
        xlsx.add_argument("--output", "-o", required=True)
        sub.add_parser("list", help="Liệt kê các đề cương đã nạp")

    def handle(self, *args, action, **options):
        getattr(self, f"do_{action}")(**options)

    def do_load(self, *, file, **_):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {file}")
        try:
            row = services.outline_load(source=path)
        except OutlineError as error:
            raise CommandError(f"{file}: {error}") from None
        except services.OutlineInUse as error:
            raise CommandError(str(error)) from None
        spec = row.spec()
        sections = sum(1 for _ in spec.walk())
        figures = list(spec.figures())
        self.stdout.write(
            f"Đã nạp {row.code}: {row.name} — {sections} mục, {len(figures)} số liệu "
            f"({sum(f.is_measured for f in figures)} đo trên hệ thống, "
            f"{sum(f.is_entered for f in figures)} đơn vị nhập, "
            f"{sum(f.is_computed for f in figures)} tỷ lệ tính)."
        )

    def do_export(self, *, code, output=None, **_):
        try:
            text = services.outline_export(code)
        except services.OutlineNotFound as error:
            raise CommandError(str(error)) from None
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stdout.write(f"Đã ghi {output}")
        else:
            self.stdout.write(text, ending="")

    def do_xlsx(self, *, code, output, **_):
        from cchc.reports.outlines.xlsx import export_blank

        row = Outline.objects.filter(code=code).first()
        if row is None:
            raise CommandError(services.ERR_NOT_FOUND.format(code=code))
        Path(output).write_bytes(export_blank(row.spec(), title=row.name))
        self.stdout.write(f"Đã ghi {output}")

    def do_list(self, **_):
        rows = Outline.objects.order_by("code")
        if not rows:
            self.stdout.write("Chưa có đề cương nào (cchc outlines load FILE).")
        for row in rows:
            self.stdout.write(f"{row.code:<28} [{row.structure}] {row.name}")
