"""The `load FILE | export CODE [--output PATH] | list` command of a spec kept as YAML
(`cchc frameworks`, `cchc outlines`): one place for the arguments and the refusals."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from django.core.management.base import BaseCommand, CommandError

T = TypeVar("T")


class SpecCommand(BaseCommand):
    """Subclasses name the spec (`what`, e.g. "bộ chỉ số") and write do_load, do_export and
    do_list with `load_file` and `export_text`."""

    what = ""

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help=f"Kiểm tra và nạp một {self.what} từ tệp YAML")
        load.add_argument("file")
        export = sub.add_parser("export", help=f"Xuất một {self.what} đã nạp ra YAML")
        export.add_argument("code")
        export.add_argument("--output", "-o", help="ghi vào tệp thay vì màn hình")
        self.add_actions(sub)
        sub.add_parser("list", help=f"Liệt kê các {self.what} đã nạp")

    def add_actions(self, sub: Any) -> None:
        """More sub-commands, listed before `list`."""

    def handle(self, *args, action, **options):
        getattr(self, f"do_{action}")(**options)

    def load_file(
        self,
        file: str,
        load: Callable[[Path], T],
        invalid: type[Exception],
        in_use: type[Exception],
    ) -> T:
        """`load` the file; a missing file, an `invalid` spec (named with the file) or one
        `in_use` that the new version would change stop the command."""
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {file}")
        try:
            return load(path)
        except invalid as error:
            raise CommandError(f"{file}: {error}") from None
        except in_use as error:
            raise CommandError(str(error)) from None

    def export_text(
        self, export: Callable[[], str], not_found: type[Exception], output: str | None
    ) -> None:
        """Write the YAML of `export` to the file `output`, or to the screen without one."""
        try:
            text = export()
        except not_found as error:
            raise CommandError(str(error)) from None
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stdout.write(f"Đã ghi {output}")
        else:
            self.stdout.write(text, ending="")
