"""cchc surveys import CYCLE_ID FILE"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cchc.core.tabular import TableErrors
from cchc.evaluations.models import Cycle
from cchc.evaluations.services import EvaluationError
from cchc.surveys import services


class Command(BaseCommand):
    help = "Kết quả điều tra XHH, SIPAS: import CYCLE_ID FILE (CSV/XLSX: unit, survey, value)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="Nhập kết quả điều tra từ CSV/XLSX")
        imp.add_argument("cycle_id", type=int)
        imp.add_argument("file")

    def handle(self, *args, action, cycle_id, file, **options):
        cycle = Cycle.objects.filter(pk=cycle_id).first()
        if cycle is None:
            raise CommandError(f"Không có kỳ đánh giá số {cycle_id} (xem cchc cycles list).")
        if not Path(file).is_file():
            raise CommandError(f"Không tìm thấy tệp {file}")
        try:
            result = services.survey_results_import(cycle=cycle, source=file, by=None)
        except TableErrors as error:
            raise CommandError(str(error)) from None
        except EvaluationError as error:
            raise CommandError(error.message) from None
        self.stdout.write(
            f"Đã nhập {result.total} kết quả điều tra ({result.created} mới, "
            f"{result.updated} cập nhật) cho {cycle.name}."
        )
