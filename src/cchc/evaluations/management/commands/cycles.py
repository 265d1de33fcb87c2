"""cchc cycles list | results CYCLE_ID [--format json|csv|xlsx] [--output PATH] | refresh CYCLE_ID"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from cchc.core.collation import vn_order
from cchc.core.formatting import vn_date
from cchc.evaluations import batch, selectors, services
from cchc.evaluations.management.commands.score import ERR_XLSX_STDOUT, write_output
from cchc.evaluations.models import Cycle


class Command(BaseCommand):
    help = "Kỳ đánh giá Chỉ số CCHC: list, results (kết quả xếp hạng), refresh (lấy lại số liệu)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="Liệt kê các kỳ đánh giá")
        results = sub.add_parser("results", help="Kết quả của một kỳ đánh giá")
        results.add_argument("cycle_id", type=int)
        results.add_argument("--format", "-f", choices=batch.FORMATS, default="json")
        results.add_argument("--output", "-o")
        refresh = sub.add_parser(
            "refresh", help="Lấy lại số liệu đo được và kết quả điều tra cho mọi đơn vị"
        )
        refresh.add_argument("cycle_id", type=int)

    def handle(self, *args, action, **options):
        getattr(self, f"do_{action}")(**options)

    @staticmethod
    def _cycle(cycle_id: int) -> Cycle:
        cycle = Cycle.objects.select_related("framework").filter(pk=cycle_id).first()
        if cycle is None:
            raise CommandError(f"Không có kỳ đánh giá số {cycle_id} (xem cchc cycles list).")
        return cycle

    def do_list(self, **_):
        cycles = vn_order(Cycle.objects.select_related("framework"), "-year", "name")
        if not cycles:
            self.stdout.write("Chưa có kỳ đánh giá nào.")
        for cycle in cycles:
            extra = (
                f"  QĐ {cycle.decision_no} ngày {vn_date(cycle.decision_date)}"
                if cycle.decision_no
                else ""
            )
            self.stdout.write(
                f"{cycle.pk:>4}  {cycle.year}  {cycle.get_state_display():<16} "
                f"{cycle.cycle_units.count():>4} đơn vị  {cycle.name} [{cycle.framework.code}]"
                + extra
            )

    def do_results(self, *, cycle_id, format, output=None, **_):
        if format == "xlsx" and not output:
            raise CommandError(ERR_XLSX_STDOUT)
        cycle = self._cycle(cycle_id)
        fw = cycle.framework.spec()
        results = selectors.cycle_results(cycle)
        writers = {"json": batch.to_json, "csv": batch.to_csv, "xlsx": batch.to_xlsx}
        write_output(self.stdout, writers[format](fw, results), output)

    def do_refresh(self, *, cycle_id, **_):
        cycle = self._cycle(cycle_id)
        try:
            count = services.cycle_metrics_refresh(cycle=cycle)
        except services.EvaluationError as error:
            raise CommandError(error.message) from None
        self.stdout.write(f"Đã cập nhật số liệu cho {count} đơn vị.")
