"""`cchc index766 UNIT --from YYYY-MM-DD --to YYYY-MM-DD [--format json|text]`.

UNIT is the unit's number, its key (scheme-code, e.g. 2025-11311) or its exact name
("Xã Ninh Giang"). Without --from/--to: --period (2023, 2023-Q1, 2023-M03) or the
reporting quarter holding today. --ranking ranks the communes under UNIT instead.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder

from cchc.core.cli import iso_date
from cchc.core.collation import vn_order
from cchc.core.formatting import vn_number, vn_percent
from cchc.dossiers.periods import PeriodError, parse_as_of, vn_today
from cchc.service_index import selectors
from cchc.service_index.compute import loses_most
from cchc.service_index.presentation import (
    index_payload,
    period_payload,
    rank_sentence,
    ranking_row_payload,
    reachable_sentence,
    total_sentence,
    unit_ref,
)
from cchc.units.models import Unit

ERR_NO_UNIT = "Không tìm thấy đơn vị '{unit}' (dùng số, mã dạng 2025-11311 hoặc tên đúng)."
ERR_MANY_UNITS = "Có {n} đơn vị tên '{unit}': {keys}. Dùng mã để chọn một."
ERR_RANGE = "Cần cả --from và --to."


def find_unit(text: str) -> Unit:
    value = text.strip()
    if value.isdigit():
        unit = Unit.objects.filter(pk=int(value)).first()
        if unit:
            return unit
    scheme, _, code = value.partition("-")
    if code:
        unit = Unit.objects.filter(scheme=scheme, code=code).first()
        if unit:
            return unit
    matches = list(Unit.objects.filter(name=value).order_by("valid_to", "path"))
    current = [u for u in matches if u.valid_to is None]
    if len(current) == 1:
        return current[0]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise CommandError(
            ERR_MANY_UNITS.format(
                n=len(matches), unit=value, keys=", ".join(u.key for u in matches)
            )
        )
    raise CommandError(ERR_NO_UNIT.format(unit=value))


class Command(BaseCommand):
    help = (
        "Tính Chỉ số 766 (phục vụ người dân, doanh nghiệp) của một đơn vị trong một kỳ từ dữ "
        "liệu của hệ thống: điểm từng chỉ số, tổng điểm, xếp hạng, chỉ số mất nhiều điểm nhất."
    )

    def add_arguments(self, parser):
        parser.add_argument("unit", help="số, mã (2025-11311) hoặc tên đơn vị")
        parser.add_argument("--from", dest="start", help="ngày bắt đầu YYYY-MM-DD")
        parser.add_argument("--to", dest="end", help="ngày kết thúc YYYY-MM-DD")
        parser.add_argument("--period", help="kỳ báo cáo: 2023, 2023-H1, 2023-Q1, 2023-M03")
        parser.add_argument(
            "--as-of",
            dest="as_of",
            help="số liệu tính đến ngày YYYY-MM-DD (mặc định hôm nay, giờ Việt Nam)",
        )
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument(
            "--ranking", action="store_true", help="xếp hạng các xã, phường trực thuộc đơn vị"
        )

    def handle(self, *args, unit, start, end, period, format, ranking, as_of=None, **options):
        target = find_unit(unit)
        start_day, end_day = iso_date(start), iso_date(end)
        if (start_day is None) != (end_day is None):
            raise CommandError(ERR_RANGE)
        try:
            p = selectors.resolve_period(
                code=period, start=start_day, end=end_day, today=parse_as_of(as_of) or vn_today()
            )
        except PeriodError as error:
            raise CommandError(str(error)) from None
        if ranking:
            self._ranking(target, p, format)
            return
        computer = selectors.IndexComputer()
        result = computer.result(target, p)
        rank = selectors.rank_of(target, p, computer) if target.parent_id else None
        if format == "json":
            payload = index_payload(target, result, rank)
            self.stdout.write(
                json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
            )
            return
        self._text(target, result, rank)

    def _text(self, unit: Unit, result, rank) -> None:
        out = self.stdout.write
        p = result.period
        out(f"{result.definition.title}")
        out(f"Đơn vị: {unit.name} ({unit.key})")
        out(f"Kỳ: {p.label} ({p.range_text})")
        out(f"Tổng điểm: {total_sentence(result)}")
        out(reachable_sentence(result))
        if rank is not None:
            out(
                rank_sentence(rank, "xã, phường cùng cấp")
                + (f" của {unit.parent}" if unit.parent else "")
            )
        losing = loses_most(result)
        if losing:
            out("")
            out("Mất nhiều điểm nhất:")
            for r in losing[:5]:
                out(
                    f"  {r.code:<7} mất {vn_number(r.points_lost, 2):>6} điểm  "
                    f"({vn_percent(r.rate)}, {r.numerator}/{r.denominator})  {r.indicator.title}"
                )
        out("")
        out(f"{'Mã':<8}{'Tử/Mẫu':>12}{'Tỷ lệ':>18}{'Điểm':>14}  Độ tin cậy  Chỉ số")
        for r in result.indicators:
            fraction = f"{r.numerator}/{r.denominator}" if r.denominator is not None else "–"
            points = (
                f"{vn_number(r.points, 2)}/{vn_number(r.max_points)}"
                if r.points is not None
                else ("theo dõi" if r.status == "tracking" else f"–/{vn_number(r.max_points)}")
            )
            out(
                f"{r.code:<8}{fraction:>12}{vn_percent(r.rate):>18}{points:>14}  "
                f"{r.indicator.confidence:<10}  {r.indicator.title}"
            )
        out("")
        for g in result.groups:
            out(
                f"Nhóm {g.code}. {g.title}: {vn_number(g.points, 2)}/"
                f"{vn_number(g.max_available, 2)} (tối đa {vn_number(g.max_points)})"
            )

    def _ranking(self, parent: Unit, p, format: str) -> None:
        rows = selectors.ranking(vn_order(selectors.rankable_children(parent, p)), p)
        if format == "json":
            payload = {
                "parent": unit_ref(parent),
                "period": period_payload(p),
                "rows": [ranking_row_payload(row) for row in rows],
            }
            self.stdout.write(
                json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
            )
            return
        self.stdout.write(
            f"Xếp hạng Chỉ số 766 các đơn vị thuộc {parent.name}, {p.label} ({p.as_of_text})"
        )
        for row in rows:
            rank = f"{row.ranked.rank}/{row.ranked.of}" if row.ranked.rank else "–"
            self.stdout.write(f"{rank:>8}  {total_sentence(row.result):<32}  {row.unit.name}")
