"""Issue 14, "the same figure": for one unit and several periods (two ending after today),
the statistics JSON, the statistics page, the XLSX export, the QĐ 766 counts and the
report's text give the same counts (received, resolved, on time, late, pending, overdue),
all taken on the same day (6/12/2026, frozen) from periods.counted.

Before the fix the page counted to the last 14th, the QĐ 766 page to today and the report
to the period end (14/12, in the future), so Q4/2026 read 193, 279 and 280 dossiers, and
the report called dossiers due 7/12–11/12 overdue.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import tempfile
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from cchc.core import stamps
from cchc.core.formatting import vn_date
from cchc.dossiers import summary
from cchc.dossiers.models import Dossier, Procedure, Status
from cchc.dossiers.periods import counted, parse_period
from cchc.dossiers.stats import UnitStats
from cchc.reports import generate, kinds
from cchc.reports.textextract import docx_lines
from cchc.service_index import selectors as index_selectors

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = dt.date(2026, 12, 6)
# 06:30 on 6/12 in Vietnam is 23:30 on 5/12 in UTC: the day must still be 6/12.
FROZEN = time_machine.travel(dt.datetime(2026, 12, 6, 6, 30, tzinfo=VN), tick=False)
D = dt.date


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=VN)


def _make_dossiers(unit) -> None:
    fee = Procedure.objects.create(
        code="1.001035", name="Chứng thực bản sao", field="Chứng thực", level="commune",
        processing_days=2, fee=Decimal(2000),
    )  # fmt: skip
    free = Procedure.objects.create(
        code="1.001193", name="Đăng ký khai sinh", field="Hộ tịch", level="commune",
        processing_days=5, fee=Decimal(0),
    )  # fmt: skip
    specs = []
    # a spread over Q3 and Q4 2026, finished early, on time, late, or still open
    for i in range(60):
        received = D(2026, 8, 20) + dt.timedelta(days=i * 2)
        if received > TODAY:
            break
        due = received + dt.timedelta(days=3 + i % 5)
        kind = i % 6
        finished = {
            0: received + dt.timedelta(days=1),  # early
            1: due,  # on time
            2: due + dt.timedelta(days=2),  # late
            3: None,  # open
            4: received + dt.timedelta(days=2),
            5: None,
        }[kind]
        if finished is not None and finished > TODAY:
            finished = None
        specs.append((received, due, finished, i % 7 == 0, i % 3 == 0, i))
    # the finding: due between 7/12 and 11/12, open on 6/12: in time, not overdue
    for k, due in enumerate([D(2026, 12, 7), D(2026, 12, 8), D(2026, 12, 9), D(2026, 12, 11)]):
        specs.append((D(2026, 12, 1), due, None, False, True, 100 + k))
    # no due date, and a second supplement request
    specs.append((D(2026, 11, 20), None, None, False, False, 200))
    specs.append((D(2026, 11, 21), D(2026, 12, 20), None, True, False, 201))
    objs = []
    for received, due, finished, late, online, n in specs:
        procedure = fee if n % 2 else free
        objs.append(
            Dossier(
                unit=unit,
                code=f"H{n:04d}",
                procedure=procedure,
                channel="truc_tuyen" if online else "truc_tiep",
                received_at=_at(received, 6 if n % 4 == 0 else 14),
                due_on=due,
                finished_at=None if finished is None else _at(finished, 15),
                status=Status.RESOLVED if finished else Status.PROCESSING,
                late_by_rule=late,
                paid_online=online and n % 2 == 1,
                fee=procedure.fee if procedure.fee > 0 else None,
                intake_digitized="full",
            )  # fmt: skip
        )
    for obj in objs:
        obj.sync_dates()
    Dossier.objects.bulk_create(objs)
    stamps.touch(None)  # a bulk write moves the stamps by hand (core.stamps)
    summary.rebuild()
    # The import records what its file covers (here: the desk's export from 15/6/2026, the
    # start of H2); a bulk insert must say so itself, or every place rightly answers
    # "chưa có số liệu".
    from cchc.core.services import coverage_record

    coverage_record(unit_id=unit.pk, source="dossiers", start=D(2026, 6, 15), end=TODAY)


def _counts(stats: UnitStats) -> dict[str, int]:
    return {
        "carried_over": stats.carried_over,
        "received": stats.received_total,
        "resolved": stats.resolved_total,
        "early": stats.resolved_early,
        "on_time": stats.resolved_on_time,
        "late": stats.resolved_late,
        "pending": stats.pending_total,
        "in_time": stats.pending_in_time,
        "overdue": stats.pending_overdue,
    }


def _query(unit, code: str) -> dict:
    period = parse_period(code)
    if period.kind == "custom":
        return {
            "unit": unit.pk, "kind": "custom", "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        }  # fmt: skip
    year = (period.full_end or period.end).year
    query = {"unit": unit.pk, "kind": period.kind, "year": year}
    if period.kind == "quarter":
        query["quarter"] = period.end.month // 3
    if period.kind == "half":
        query["half"] = 1 if period.end.month <= 6 else 2
    if period.kind == "month":
        query["month"] = period.end.month
    return query


def _from_json(client, unit, code) -> dict[str, int]:
    total = client.get(reverse("dossiers:stats-json"), _query(unit, code)).json()["total"]
    return {
        "carried_over": total["carried_over"],
        "received": total["received"]["total"],
        "resolved": total["resolved"]["total"],
        "early": total["resolved"]["early"],
        "on_time": total["resolved"]["on_time"],
        "late": total["resolved"]["late"],
        "pending": total["pending"]["total"],
        "in_time": total["pending"]["in_time"],
        "overdue": total["pending"]["overdue"],
    }


def _number(text: str) -> int:
    return int(text.replace(".", "").strip() or 0)


def _from_page(client, unit, code) -> tuple[dict[str, int], str]:
    html = client.get(reverse("dossiers:stats"), _query(unit, code)).content.decode()
    table = html.split('data-testid="form06"')[1].split("</tbody>")[0].split("<tbody>")[1]
    first_row = table.split("</tr>")[0]
    cells = [_number(v) for v in re.findall(r'<td class="num">([^<]*)</td>', first_row)][1:]
    # form 06's columns (3)…(13): all, online, direct/postal, carried over, resolved,
    # early, on time, late, pending, in time, overdue
    return (
        {
            "carried_over": cells[3],
            "received": cells[0] - cells[3],
            "resolved": cells[4],
            "early": cells[5],
            "on_time": cells[6],
            "late": cells[7],
            "pending": cells[8],
            "in_time": cells[9],
            "overdue": cells[10],
        },
        html,
    )


def _from_xlsx(client, unit, code) -> tuple[dict[str, int], str]:
    response = client.get(reverse("dossiers:stats-xlsx"), _query(unit, code))
    ws = load_workbook(io.BytesIO(response.content))["Biểu 06"]
    cells = [ws.cell(13, c).value or 0 for c in range(3, 14)]
    return (
        {
            "carried_over": cells[3],
            "received": cells[0] - cells[3],
            "resolved": cells[4],
            "early": cells[5],
            "on_time": cells[6],
            "late": cells[7],
            "pending": cells[8],
            "in_time": cells[9],
            "overdue": cells[10],
        },
        ws["A5"].value,
    )


def _from_766(unit, code) -> dict[str, int]:
    period = index_selectors.resolve_period(code=code, today=TODAY)
    return index_selectors.IndexComputer().counts([unit], period)[unit.pk]


REPORT_SENTENCE = re.compile(
    r"Tổng số hồ sơ nhận giải quyết trong kỳ \((?P<range>[^)]*\)?)\): (?P<all>[\d.]+) hồ sơ "
    r"\(từ kỳ trước chuyển qua (?P<carried>[\d.]+) hồ sơ, mới trong kỳ (?P<received>[\d.]+) "
    r"hồ sơ\).*?Đã giải quyết (?P<resolved>[\d.]+) hồ sơ \(trước hạn (?P<early>[\d.]+) hồ sơ, "
    r"đúng hạn (?P<on_time>[\d.]+) hồ sơ, quá hạn (?P<late>[\d.]+) hồ sơ\); đang giải quyết "
    r"(?P<pending>[\d.]+) hồ sơ \(trong hạn (?P<in_time>[\d.]+) hồ sơ, quá hạn "
    r"(?P<overdue>[\d.]+) hồ sơ\)"
)


def _from_report(unit, code) -> tuple[dict[str, int], str]:
    period = parse_period(code)
    kind = {"quarter": "unit_quarterly", "half": "unit_half_year", "year": "unit_annual"}
    doc = generate.build(kinds.kind_for(kind[period.kind]), unit, period, today=TODAY)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "r.docx"
        path.write_bytes(generate.render(doc, "docx"))
        text = "\n".join(line.text for line in docx_lines(path))
    match = REPORT_SENTENCE.search(text)
    assert match, text[:3000]
    g = {k: _number(v) for k, v in match.groupdict().items() if k != "range"}
    return (
        {
            "carried_over": g["carried"],
            "received": g["received"],
            "resolved": g["resolved"],
            "early": g["early"],
            "on_time": g["on_time"],
            "late": g["late"],
            "pending": g["pending"],
            "in_time": g["in_time"],
            "overdue": g["overdue"],
        },
        match.group("range"),
    )


PERIODS = ["2026-Q4", "2026-H2", "2026-Q3", "2026-M11", "2026-10-01..2026-11-30"]


@FROZEN
@pytest.mark.parametrize("code", PERIODS)
def test_every_place_prints_the_same_counts(cast, client_for, code):
    unit = cast.dong_tam
    _make_dossiers(unit)
    client = client_for(cast.officer)
    expected = _counts(
        __import__("cchc.dossiers.selectors", fromlist=["unit_stats"]).unit_stats(
            unit, counted(parse_period(code), TODAY)
        )
    )
    assert expected["received"] > 0
    assert _from_json(client, unit, code) == expected
    page, html = _from_page(client, unit, code)
    assert page == expected
    xlsx, heading = _from_xlsx(client, unit, code)
    assert xlsx == expected
    # the QĐ 766 page's counts are the same dossiers judged by the same rule
    c = _from_766(unit, code)
    assert c["dossiers.received"] == expected["received"]
    assert c["dossiers.finished"] == expected["resolved"]
    assert c["dossiers.received_or_processed"] == expected["carried_over"] + expected["received"]
    assert (
        c["dossiers.on_time_766"] == expected["early"] + expected["on_time"] + expected["in_time"]
    )
    assert c["dossiers.late_766"] == expected["late"] + expected["overdue"]
    # every place states the day the figures are counted to
    period = counted(parse_period(code), TODAY)
    day = vn_date(period.end)  # 14/9/2026, 06/12/2026 (NĐ 30/2020)
    assert f"số liệu tính đến ngày {day}" in html
    assert f"số liệu tính đến ngày {day}" in heading
    if parse_period(code).kind in ("quarter", "half"):
        report, stated = _from_report(unit, code)
        assert report == expected
        assert f"số liệu tính đến ngày {day}" in stated


@FROZEN
def test_a_report_made_on_6_12_calls_nothing_due_later_overdue(cast):
    """The finding: the Q4 report made on 6/12 counted to 14/12 and called 6 dossiers due
    7/12–11/12 overdue. Counted to 6/12, they are in time."""
    unit = cast.dong_tam
    _make_dossiers(unit)
    report, stated = _from_report(unit, "2026-Q4")
    open_due_later = Dossier.objects.filter(
        unit=unit, finished_on__isnull=True, due_on__gte=D(2026, 12, 7), late_by_rule=False
    ).count()
    assert open_due_later >= 4
    overdue_now = sum(
        1
        for d in Dossier.objects.filter(unit=unit, finished_on__isnull=True, due_on__isnull=False)
        if d.late_by_rule or d.due_on < TODAY
    )
    assert report["overdue"] == overdue_now
    assert "14/12/2026 (số liệu tính đến ngày 06/12/2026)" in stated


@FROZEN
def test_commands_take_as_of(cast, capsys):
    """cchc dossiers stats, cchc index766 and cchc report count to --as-of."""
    import json

    unit = cast.dong_tam
    _make_dossiers(unit)
    code = f"{unit.scheme}-{unit.code}"
    call_command("dossiers", "stats", code, "--period", "2026-Q4", "--as-of", "2026-11-20")
    early = json.loads(capsys.readouterr().out)
    call_command("dossiers", "stats", code, "--period", "2026-Q4")
    today = json.loads(capsys.readouterr().out)
    from cchc.dossiers.selectors import unit_stats

    assert early == unit_stats(
        unit, counted(parse_period("2026-Q4"), D(2026, 11, 20)), include_descendants=True
    ).to_json() | {"unit": early["unit"]}
    assert early["received"]["total"] < today["received"]["total"]
    call_command("index766", code, "--period", "2026-Q4", "--as-of", "2026-11-20",
                 "--format", "json")  # fmt: skip
    payload = json.loads(capsys.readouterr().out)
    assert payload["period"]["end"] == "2026-11-20"
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "q4.docx"
        call_command("report", "unit-quarterly", "--unit", code, "--period", "2026-Q4",
                     "--as-of", "2026-11-20", "--format", "docx", "--output", str(out))  # fmt: skip
        text = "\n".join(line.text for line in docx_lines(out))
    assert "số liệu tính đến ngày 20/11/2026" in text
    with pytest.raises(Exception, match="không hợp lệ"):
        call_command("dossiers", "stats", code, "--period", "2026-Q4", "--as-of", "6/13/2026")
