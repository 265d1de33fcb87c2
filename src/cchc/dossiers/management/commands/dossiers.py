"""cchc dossiers stats FILE_OR_UNIT --from D --to D [--by unit] [--format json|csv|xlsx]
| import FILE | procedures import FILE | procedures export FILE | calendar [--year Y]
| rebuild-summary | partitions [--create YEAR…] [--next] | archive-year YEAR [--to FILE [--drop]]
| unarchive-year YEAR [--from FILE]"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cchc.core.cli import iso_date
from cchc.core.formatting import vn_date
from cchc.core.people import Person
from cchc.core.tabular import TableErrors, csv_dict_writer, safe_row, workbook_bytes
from cchc.dossiers import imports, selectors, summary
from cchc.dossiers.models import Procedure
from cchc.dossiers.periods import PeriodError, counted, custom_period, parse_as_of, parse_period
from cchc.dossiers.rows import RowErrors, read_rows, with_catalogue_fees
from cchc.dossiers.stats import CSV_COLUMNS, TOTAL_KEY, UnitStats, compute
from cchc.units.models import Unit

ERR_PERIOD_NEEDED = "Cần --from và --to (hoặc --period)"
ERR_XLSX_OUTPUT = "Định dạng xlsx cần --output TỆP"
ERR_NOT_FOUND = "Không có tệp hoặc mã đơn vị '{value}'"


class Command(BaseCommand):
    help = (
        "Hồ sơ TTHC: stats (thống kê biểu 06/VPCP/KSTT từ tệp hoặc đơn vị), import (nhập hồ "
        "sơ), procedures import|export (danh mục TTHC), calendar (ngày nghỉ, ngày làm bù)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        stats = sub.add_parser("stats", help="Thống kê theo Thông tư 01/2020/TT-VPCP")
        stats.add_argument("source", metavar="FILE_OR_UNIT")
        stats.add_argument("--from", dest="start")
        stats.add_argument("--to", dest="end")
        stats.add_argument("--period", help="2023, 2023-Q1, 2023-H1, 2023-M03 (thay --from/--to)")
        stats.add_argument(
            "--as-of",
            dest="as_of",
            help="số liệu tính đến ngày YYYY-MM-DD (mặc định hôm nay, giờ Việt Nam)",
        )
        stats.add_argument("--by", choices=["unit"])
        stats.add_argument("--format", choices=["json", "csv", "xlsx"], default="json")
        stats.add_argument("--output", "-o")
        imp = sub.add_parser("import", help="Nhập hồ sơ từ tệp CSV/XLSX (tất cả hoặc không)")
        imp.add_argument("file")
        procedures = sub.add_parser("procedures", help="Danh mục TTHC")
        psub = procedures.add_subparsers(dest="procedures_action", required=True)
        pimp = psub.add_parser("import", help="Nạp danh mục từ CSV/XLSX")
        pimp.add_argument("file")
        pexp = psub.add_parser("export", help="Xuất danh mục ra CSV/XLSX")
        pexp.add_argument("file")
        cal = sub.add_parser("calendar", help="Ngày nghỉ lễ, ngày nghỉ bù và ngày làm bù")
        cal.add_argument("--year", type=int, default=dt.date.today().year)
        sub.add_parser("rebuild-summary", help="Tính lại bảng tổng hợp theo tháng từ hồ sơ")
        parts = sub.add_parser(
            "partitions", help="PostgreSQL: phân vùng theo năm của bảng hồ sơ (số hồ sơ mỗi năm)"
        )
        parts.add_argument("--create", type=int, nargs="+", default=[], metavar="YEAR",
                           help="tạo phân vùng năm (chuyển hồ sơ năm đó khỏi phân vùng mặc định)")  # fmt: skip
        parts.add_argument("--next", action="store_true", help="tạo phân vùng năm sau")
        arch = sub.add_parser(
            "archive-year", help="PostgreSQL: tách hồ sơ một năm đã qua để lưu trữ"
        )
        arch.add_argument("year", type=int)
        arch.add_argument("--to", dest="to", help="ghi hồ sơ năm đó ra tệp CSV (.csv.gz: nén)")
        arch.add_argument("--drop", action="store_true", help="xoá bảng đã tách sau khi ghi tệp")
        unarch = sub.add_parser("unarchive-year", help="PostgreSQL: gắn lại hồ sơ năm đã lưu trữ")
        unarch.add_argument("year", type=int)
        unarch.add_argument("--from", dest="source", help="tệp đã ghi khi lưu trữ (bảng đã xoá)")

    def handle(self, *args, action, **options):
        getattr(self, "do_" + action.replace("-", "_"))(**options)

    # -- stats ----------------------------------------------------------------------------

    def do_stats(self, *, source, start=None, end=None, period=None, by: Person | None=None, format="json",
                 output=None, as_of=None, **_):  # fmt: skip
        if period:
            try:
                chosen = parse_period(period)
            except PeriodError as error:
                raise CommandError(str(error)) from None
        elif start and end:
            try:
                chosen = custom_period(iso_date(start), iso_date(end))
            except PeriodError as error:
                raise CommandError(str(error)) from None
        else:
            raise CommandError(ERR_PERIOD_NEEDED)
        try:
            # Nothing after as_of is counted; pending and overdue are judged at the earlier
            # of the period end and as_of (periods.counted).
            chosen = counted(chosen, parse_as_of(as_of))
        except PeriodError as error:
            raise CommandError(str(error)) from None
        if format == "xlsx" and not output:
            raise CommandError(ERR_XLSX_OUTPUT)
        path = Path(source)
        if path.is_file():
            table, title = self._file_stats(path, chosen, by_unit=by == "unit")
        else:
            try:
                table, title = self._unit_stats(source, chosen, by_unit=by == "unit")
            except selectors.ArchivedPeriod as error:  # the rows needed are archived
                raise CommandError(str(error)) from None
        self._emit(table, title, chosen, format=format, output=output, many=by == "unit")

    def _file_stats(self, path: Path, period, *, by_unit: bool):
        try:
            # A row without a fee takes its procedure's fee from the catalogue (issue 14).
            fees = {
                code: int(fee)
                for code, fee in Procedure.objects.filter(fee__gt=0).values_list("code", "fee")
            }
            rows = with_catalogue_fees(read_rows(path), fees)
            stats = compute(rows, period.start, period.end)
        except RowErrors as error:
            raise CommandError(str(error)) from None
        units = [s for key, s in stats.items() if key != TOTAL_KEY]
        if by_unit:
            return [*units, stats[TOTAL_KEY]], path.name
        if len(units) == 1:
            return [units[0]], units[0].unit
        return [stats[TOTAL_KEY]], path.name

    def _unit_stats(self, code: str, period, *, by_unit: bool):
        resolved = imports.UnitResolver().resolve(code)
        if isinstance(resolved, str):
            if resolved.startswith("Không có đơn vị"):
                raise CommandError(ERR_NOT_FOUND.format(value=code))
            raise CommandError(resolved)
        unit = Unit.objects.get(pk=resolved)
        if not by_unit:
            return [selectors.unit_stats(unit, period, include_descendants=True)], unit.name
        units = list(unit.descendants())
        table = selectors.stats_by_unit(units, period)
        return list(table.values()), unit.name

    def _emit(self, table: list[UnitStats], title: str, period, *, format, output, many):
        if format == "json":
            data = [s.to_json() for s in table] if many else table[0].to_json()
            text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
            self._write_text(text, output)
        elif format == "csv":
            buffer = io.StringIO()
            writer = csv_dict_writer(buffer, CSV_COLUMNS, lineterminator="\n")
            writer.writeheader()
            for stats in table:
                writer.writerow(stats.to_row())
            self._write_text(buffer.getvalue(), output)
        else:
            from cchc.dossiers.form06 import FormRow, Sheet, xlsx_bytes

            rows = [FormRow.of(s.unit, s, is_total=s.unit == TOTAL_KEY) for s in table]
            workbook = xlsx_bytes(
                unit_name=title,
                period_label=period.label,
                period_range=period.range_text,
                sheets=[Sheet(name="Biểu 06", first_column="Đơn vị", rows=rows)],
            )
            Path(output).write_bytes(workbook)
            self.stderr.write(f"Đã ghi {output}")

    def _write_text(self, text: str, output: str | None) -> None:
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stderr.write(f"Đã ghi {output}")
        else:
            self.stdout.write(text, ending="")

    # -- imports ----------------------------------------------------------------------------

    def do_import(self, *, file, **_):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {file}")
        started = time.perf_counter()
        try:
            result = imports.dossiers_import(source=path, filename=path.name, by=None)
        except TableErrors as error:
            raise CommandError(str(error)) from None
        seconds = time.perf_counter() - started
        rate = result.rows / seconds if seconds else 0
        self.stdout.write(
            f"Đã nhập {path.name}: {result} ({seconds:.1f} giây, {rate:,.0f} dòng/giây)."
        )

    def do_procedures(self, *, procedures_action, file, **_):
        path = Path(file)
        if procedures_action == "import":
            if not path.is_file():
                raise CommandError(f"Không tìm thấy tệp {file}")
            try:
                result = imports.procedures_import(source=path, filename=path.name, by=None)
            except TableErrors as error:
                raise CommandError(str(error)) from None
            self.stdout.write(
                f"Đã nạp danh mục {path.name}: {result.created} thủ tục mới, "
                f"{result.updated} cập nhật, {result.unchanged} không đổi."
            )
            return
        if path.suffix.lower() == ".xlsx":
            from openpyxl import Workbook

            buffer = io.StringIO()
            count = imports.procedures_export(buffer)
            book = Workbook(write_only=True)
            sheet = book.create_sheet("Danh mục TTHC")
            for row in csv.reader(io.StringIO(buffer.getvalue())):
                sheet.append(safe_row(row))
            path.write_bytes(workbook_bytes(book))
        else:
            with open(path, "w", encoding="utf-8", newline="") as handle:
                count = imports.procedures_export(handle)
        self.stdout.write(f"Đã xuất {count} thủ tục ra {path}.")

    # -- the calendar ------------------------------------------------------------------------

    def do_calendar(self, *, year, **_):
        from cchc.dossiers.calendar import non_working_days, work_calendar

        calendar = work_calendar([year])
        days = non_working_days(year)
        self.stdout.write(f"Lịch làm việc năm {year}: ngày nghỉ (ngoài thứ Bảy, Chủ nhật) "
                          f"và ngày làm bù")  # fmt: skip
        weekday = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"]
        for day, name in days:
            kind = "làm bù" if calendar.is_working_day(day) else "nghỉ"
            self.stdout.write(f"  {vn_date(day):<11} {weekday[day.weekday()]:<9} {kind:<7} {name}")
        working = len(calendar.working_days_in(dt.date(year, 1, 1), dt.date(year, 12, 31)))
        self.stdout.write(f"Tổng số ngày làm việc: {working}")

    def do_rebuild_summary(self, **_):
        started = time.perf_counter()
        summary.rebuild()
        self.stdout.write(f"Đã tính lại bảng tổng hợp ({time.perf_counter() - started:.1f} giây).")

    # -- partitions (PostgreSQL) -----------------------------------------------------------

    def do_partitions(self, *, create=(), next=False, **_):
        from django.db import connection, transaction

        from cchc.dossiers import partitions
        from cchc.dossiers.models import local_date

        years = list(create)
        if next:
            from django.utils import timezone

            years.append(local_date(timezone.now()).year + 1)
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                if connection.vendor != "postgresql" or not partitions.is_partitioned(cursor):
                    raise partitions.PartitionError(partitions.ERR_NOT_PARTITIONED)
                for year in years:
                    moved = partitions.create_year(cursor, year)
                    if moved is None:
                        self.stdout.write(f"Năm {year}: đã có phân vùng.")
                    else:
                        self.stdout.write(
                            f"Năm {year}: đã tạo phân vùng, chuyển {moved} hồ sơ vào."
                        )
                listed = partitions.partitions(cursor)
                outside = partitions.rows_outside(cursor)
        except partitions.PartitionError as error:
            raise CommandError(str(error)) from None
        from cchc.dossiers.models import ArchivedYear

        for part in listed:
            label = "mặc định" if part.year is None else str(part.year)
            self.stdout.write(f"{part.name:<28} {label:<9} {part.rows:>12} hồ sơ")
        for year, rows in outside:
            self.stdout.write(f"  phân vùng mặc định có {rows} hồ sơ năm {year}: "
                              f"`cchc dossiers partitions --create {year}`")  # fmt: skip
        for archived in ArchivedYear.objects.all():
            where = archived.table or "đã xoá bảng"
            file = f", tệp {archived.file}" if archived.file else ""
            self.stdout.write(f"{archived.year}: đã lưu trữ {archived.rows} hồ sơ ({where}{file})")

    def do_archive_year(self, *, year, to=None, drop=False, **_):
        from cchc.dossiers import partitions

        try:
            record = partitions.archive_year(year, to=to, drop=drop)
        except partitions.PartitionError as error:
            raise CommandError(str(error)) from None
        kept = f"bảng {record.table}" if record.table else "bảng đã xoá"
        file = f", tệp {record.file}" if record.file else ""
        self.stdout.write(f"Đã lưu trữ {record.rows} hồ sơ năm {year} ({kept}{file}).")

    def do_unarchive_year(self, *, year, source=None, **_):
        from cchc.dossiers import partitions

        try:
            record = partitions.unarchive_year(year, source=source)
        except partitions.PartitionError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Đã gắn lại {record.rows} hồ sơ năm {year} vào bảng hồ sơ.")


if __name__ == "__main__":  # pragma: no cover
    sys.exit("use: cchc dossiers …")
