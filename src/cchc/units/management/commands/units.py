from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from cchc.core.tabular import TableErrors
from cchc.units import services


class Command(BaseCommand):
    help = "Đơn vị hành chính: load (từ vietnam-provinces), import (CSV/XLSX), list."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser(
            "load", help="Nạp một tỉnh/thành phố và các xã, phường (cấu trúc 2025)"
        )
        load.add_argument("--province", required=True, help="mã tỉnh/thành phố, VD 31 (Hải Phòng)")
        imp = sub.add_parser("import", help="Nhập sở, ngành, huyện và xã cũ từ CSV/XLSX")
        imp.add_argument("file")
        sub.add_parser("provinces", help="Liệt kê mã các tỉnh/thành phố")

    def handle(self, *args, action, **options):
        if action == "load":
            try:
                result = services.units_load_province(code=options["province"])
            except services.ProvinceNotFound as error:
                raise CommandError(str(error)) from None
            self.stdout.write(
                f"{result.province.name}: {result.created} đơn vị mới, {result.updated} đã có."
            )
        elif action == "import":
            try:
                count = services.units_import(source=options["file"])
            except TableErrors as error:
                raise CommandError(str(error)) from None
            except FileNotFoundError:
                raise CommandError(f"Không tìm thấy tệp {options['file']}") from None
            self.stdout.write(f"Đã nhập {count} đơn vị từ {options['file']}.")
        else:
            for code, name in services.province_catalogue():
                self.stdout.write(f"{code}  {name}")
