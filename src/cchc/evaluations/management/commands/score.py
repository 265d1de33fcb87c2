"""cchc score FRAMEWORK SCORES [--format json|csv|xlsx] [--output PATH]"""

from __future__ import annotations

import gc
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cchc.evaluations import batch
from cchc.frameworks.spec import FrameworkError, load_framework

ERR_NO_FRAMEWORK = "Không có tệp YAML hay bộ chỉ số đã nạp nào tên {name}."
ERR_XLSX_STDOUT = "Kết quả XLSX cần --output TỆP."


def resolve_framework(name: str):
    """A YAML file, or the code of a framework loaded with `cchc frameworks load`."""
    path = Path(name)
    if path.is_file():
        from cchc.frameworks.services import metric_is_known

        return load_framework(path, metrics=metric_is_known)
    from cchc.frameworks.models import Framework

    row = Framework.objects.filter(code=name).first()
    if row is None:
        raise CommandError(ERR_NO_FRAMEWORK.format(name=name))
    return row.spec()


def write_output(stdout, data: str | bytes, output: str | None) -> None:
    if output:
        if isinstance(data, bytes):
            Path(output).write_bytes(data)
        else:
            Path(output).write_text(data, encoding="utf-8")
        return
    if isinstance(data, bytes):
        raise CommandError(ERR_XLSX_STDOUT)
    stdout.write(data, ending="")


class Command(BaseCommand):
    # Django's system checks import every URLconf, hence every view, the API and their
    # libraries (matplotlib, polars, weasyprint's neighbours): 1.1 s of a 1.95 s command
    # that reads a file and writes one (issue 18). `cchc check` and every other command
    # still run them.
    requires_system_checks: list[str] = []

    help = (
        "Tính kết quả (điểm, chỉ số, thứ hạng trong khối, xếp loại, khắc phục) từ bảng điểm "
        "CSV/XLSX: cột unit, [block], rồi mã tiêu chí."
    )

    def add_arguments(self, parser):
        parser.add_argument("framework", help="tệp YAML hoặc mã bộ chỉ số đã nạp")
        parser.add_argument("scores", help="bảng điểm .csv hoặc .xlsx")
        parser.add_argument("--format", "-f", choices=batch.FORMATS, default="json")
        parser.add_argument("--output", "-o", help="ghi vào tệp thay vì màn hình")

    def handle(self, *args, framework, scores, format, output=None, **options):
        if format == "xlsx" and not output:
            raise CommandError(ERR_XLSX_STDOUT)
        if not Path(scores).is_file():
            raise CommandError(f"Không tìm thấy tệp {scores}")
        # Start-up is over: what Django and the imports made stays for the process's life.
        # Moved out of the collector's reach, a full collection no longer walks it: the
        # scoring of 3,321 communes allocates enough to set off several (0.27-0.32 s, with
        # 0.24 s frozen).
        gc.freeze()
        try:
            fw = resolve_framework(framework)
            data = batch.run(fw, scores, format)
        except FrameworkError as error:
            raise CommandError(f"{framework}: {error}") from None
        except batch.BatchError as error:
            # Every problem, with row and column; no results at all.
            for problem in error.problems:
                sys.stderr.write(f"{scores}: {problem}\n")
            raise CommandError(
                f"{len(error.problems)} lỗi trong {scores}; không có kết quả."
            ) from None
        write_output(self.stdout, data, output)
