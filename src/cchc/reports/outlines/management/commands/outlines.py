"""cchc outlines load FILE | export CODE [--output PATH] | list | xlsx CODE --output PATH"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from cchc.core.management.spec_command import SpecCommand
from cchc.reports.outlines import services
from cchc.reports.outlines.models import Outline
from cchc.reports.outlines.spec import OutlineError


class Command(SpecCommand):
    help = "Đề cương báo cáo: load (nạp YAML), export (xuất YAML), list, xlsx (mẫu Excel trống)."
    what = "đề cương"

    def add_actions(self, sub):
        xlsx = sub.add_parser("xlsx", help="Xuất mẫu Excel trống của một đề cương")
        xlsx.add_argument("code")
        xlsx.add_argument("--output", "-o", required=True)

    def do_load(self, *, file, **_):
        row = self.load_file(
            file,
            lambda path: services.outline_load(source=path),
            OutlineError,
            services.OutlineInUse,
        )
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
        self.export_text(lambda: services.outline_export(code), services.OutlineNotFound, output)

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
