"""cchc frameworks load FILE | export CODE [--output PATH] | list"""

from __future__ import annotations

from cchc.core.formatting import vn_number
from cchc.core.management.spec_command import SpecCommand
from cchc.frameworks import services
from cchc.frameworks.models import Framework
from cchc.frameworks.spec import FrameworkError


class Command(SpecCommand):
    help = "Bộ chỉ số CCHC: load (nạp từ tệp YAML), export (xuất YAML), list."
    what = "bộ chỉ số"

    def do_load(self, *, file, **_):
        row = self.load_file(
            file,
            lambda path: services.framework_load(source=path),
            FrameworkError,
            services.FrameworkInUse,
        )
        leaves = row.criteria.filter(is_leaf=True).count()
        self.stdout.write(
            f"Đã nạp {row.code}: {row.name} — {row.criteria.count()} tiêu chí "
            f"({leaves} tiêu chí lá), tổng {vn_number(row.max_points)} điểm."
        )

    def do_export(self, *, code, output=None, **_):
        self.export_text(
            lambda: services.framework_export(code), services.FrameworkNotFound, output
        )

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
