"""Thông tư 01/2020/TT-VPCP dossier statistics over plain rows."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc.dossiers.periods import custom_period, period_for
from cchc.dossiers.rows import COLUMNS, load_rows
from cchc.dossiers.stats import (
    NO_FIELD,
    TOTAL_KEY,
    DossierRow,
    DossierRowError,
    UnitStats,
    by_field,
    compute,
    monthly_trend,
)
from cchc.dossiers.workdays import WorkCalendar

D = dt.date
FIXTURE = Path(__file__).parent / "fixtures" / "seed002_dossiers.csv"


def row(
    code: str,
    received: dt.date,
    due: dt.date | None,
    finished: dt.date | None,
    *,
    unit: str = "A",
    channel: str = "truc_tuyen",
    intake: str = "full",
    result: bool = True,
    paid: bool = False,
    field: str | None = None,
    fee: int | None = None,
) -> DossierRow:
    return DossierRow(
        code, unit, "P1", channel, received, due, finished, intake, result, paid, field, fee=fee
    )


# -- a hand-computed case, every boundary of the definitions ------------------------------

START, END = D(2023, 3, 15), D(2023, 6, 14)
SMALL = [
    # finished before the period: not in it at all
    row("old", D(2023, 1, 5), D(2023, 1, 10), D(2023, 3, 14)),
    # carried over (received before start, finished on start): resolved on time
    row("c1", D(2023, 3, 1), D(2023, 3, 15), D(2023, 3, 15), channel="truc_tiep"),
    # carried over, never finished, overdue at end
    row("c2", D(2023, 3, 1), D(2023, 3, 20), None),
    # received on start, finished early
    row(
        "r1",
        D(2023, 3, 15),
        D(2023, 3, 20),
        D(2023, 3, 17),
        channel="truc_tiep",
        paid=True,
        fee=50000,
    ),  # fmt: skip
    # received, finished late (carries a fee, not paid online)
    row(
        "r2", D(2023, 4, 3), D(2023, 4, 6), D(2023, 4, 7), intake="partial", result=False, fee=2000
    ),  # fmt: skip
    # received on end, due on end: pending in time
    row("r3", D(2023, 6, 14), D(2023, 6, 14), None, channel="buu_chinh", intake="none"),
    # received, due the day before end: pending overdue
    row("r4", D(2023, 6, 1), D(2023, 6, 13), None, paid=True, fee=2000),
    # received, finished after the period: pending (in time, due after end)
    row("r5", D(2023, 6, 12), D(2023, 6, 19), D(2023, 6, 16)),
    # no due date: finished -> on time, pending -> in time (never late)
    row("n1", D(2023, 4, 1), None, D(2023, 12, 1) - dt.timedelta(days=200)),
    row("n2", D(2023, 4, 1), None, None),
    # received after the period: not in it
    row("late", D(2023, 6, 15), D(2023, 6, 20), None),
    # another unit, nothing in the period: present with zeros
    row("b1", D(2023, 7, 1), D(2023, 7, 5), None, unit="B"),
]


def test_hand_computed_case() -> None:
    stats = compute(SMALL, START, END)
    assert list(stats) == ["A", "B", TOTAL_KEY]
    a = stats["A"]
    assert a.to_json() == {
        "unit": "A",
        "carried_over": 2,
        "received": {"truc_tiep": 1, "truc_tuyen": 5, "buu_chinh": 1, "total": 7},
        "resolved": {"early": 1, "on_time": 2, "late": 1, "total": 4},
        "pending": {"in_time": 3, "overdue": 2, "total": 5},
        "rates": {
            "online": 71.43,  # 5/7
            "on_time": 75.0,  # 3/4
            "intake_digitized": 71.43,  # r1, r4, r5, n1, n2 of 7
            "result_digitized": 75.0,  # c1, r1, n1 of 4 resolved
            # issue 14: over the dossiers that carry a fee (r1, r2, r4), not all 7 received
            "paid_online": 66.67,  # r1, r4 of 3
        },
    }
    assert a.rates.online == Decimal("71.43")
    assert a.identity_holds()
    b = stats["B"]
    assert b.to_json()["received"]["total"] == 0
    assert b.to_json()["rates"] == {
        "online": None,
        "on_time": None,
        "intake_digitized": None,
        "result_digitized": None,
        "paid_online": None,
    }
    assert stats[TOTAL_KEY].to_json() | {"unit": "A"} == a.to_json()
    json.dumps([s.to_json() for s in stats.values()])  # serialisable as it is


def test_metrics_are_unrounded() -> None:
    metrics = compute(SMALL, START, END)["A"].metrics()
    assert metrics["online_rate"] == Decimal(5) * 100 / Decimal(7)
    assert metrics["on_time_rate"] == Decimal(75)
    assert metrics["resolved_late"] == 1 and metrics["pending_overdue"] == 2
    assert UnitStats("x").metrics()["on_time_rate"] is None


def test_to_row_is_flat() -> None:
    flat = compute(SMALL, START, END)["A"].to_row()
    assert flat["received_total"] == 7 and flat["rate_online"] == "71.43"
    assert UnitStats("x").to_row()["rate_online"] == ""


def test_by_field_and_group_by() -> None:
    rows = [
        row("1", D(2023, 4, 3), D(2023, 4, 5), D(2023, 4, 4), field="Hộ tịch"),
        row("2", D(2023, 4, 3), D(2023, 4, 5), D(2023, 4, 6), field="Hộ tịch", unit="B"),
        row("3", D(2023, 4, 3), D(2023, 4, 5), None, field="Chứng thực"),
        row("4", D(2023, 4, 3), D(2023, 4, 5), None),
    ]
    fields = by_field(rows, START, END)
    assert list(fields) == ["Chứng thực", "Hộ tịch", NO_FIELD, TOTAL_KEY]
    assert fields["Hộ tịch"].resolved_early == 1 and fields["Hộ tịch"].resolved_late == 1
    assert fields[TOTAL_KEY].received_total == 4
    parent = compute(rows, START, END, group_by=lambda r: "HUYEN")
    assert list(parent) == ["HUYEN", TOTAL_KEY]
    assert parent["HUYEN"].received_total == 4


def test_bad_rows_are_refused() -> None:
    with pytest.raises(DossierRowError) as info:
        row("x", D(2023, 4, 3), None, D(2023, 4, 2))
    assert info.value.field == "finished"
    with pytest.raises(DossierRowError):
        row("x", D(2023, 4, 3), None, None, channel="email")
    with pytest.raises(DossierRowError):
        row("x", D(2023, 4, 3), None, None, intake="most")
    with pytest.raises(ValueError):
        compute([], END, START)


def test_sum_of_units() -> None:
    a = UnitStats("A", carried_over=1, received_truc_tuyen=2, resolved_early=2, pending_in_time=1)
    b = UnitStats("B", received_truc_tiep=3, resolved_late=1, pending_overdue=2)
    total = a + b
    assert total.unit == TOTAL_KEY
    assert (total.carried_over, total.received_total, total.resolved_total) == (1, 5, 3)
    assert sum([a, b]) == total
    assert (a + a).unit == "A"


# -- properties on random data -------------------------------------------------------------

DAY0 = D(2023, 1, 1)


@st.composite
def dossier_rows(draw: st.DrawFn) -> DossierRow:
    received = DAY0 + dt.timedelta(days=draw(st.integers(0, 120)))
    due = draw(st.one_of(st.none(), st.integers(0, 30)))
    finished = draw(st.one_of(st.none(), st.integers(0, 40)))
    return DossierRow(
        code=str(draw(st.integers(0, 10**6))),
        unit=draw(st.sampled_from(["A", "B", "C"])),
        procedure="P",
        channel=draw(st.sampled_from(["truc_tiep", "truc_tuyen", "buu_chinh"])),
        received=received,
        due=None if due is None else received + dt.timedelta(days=due),
        finished=None if finished is None else received + dt.timedelta(days=finished),
        intake_digitized=draw(st.sampled_from(["none", "partial", "full"])),
        result_digitized=draw(st.booleans()),
        paid_online=draw(st.booleans()),
        field=draw(st.sampled_from([None, "Hộ tịch", "Chứng thực"])),
    )


offsets = st.integers(0, 160)


@settings(max_examples=150, deadline=None)
@given(st.lists(dossier_rows(), max_size=60), offsets, offsets, offsets)
def test_properties(rows: list[DossierRow], a: int, b: int, c: int) -> None:
    start, mid, end = (DAY0 + dt.timedelta(days=x) for x in sorted((a, b, c)))
    whole = compute(rows, start, end)
    # the identity holds for every unit and the total
    assert all(s.identity_holds() for s in whole.values())
    # summing the units gives the total, and the total is computing over all rows
    units = [s for key, s in whole.items() if key != TOTAL_KEY]
    assert sum(units, UnitStats(TOTAL_KEY)) == whole[TOTAL_KEY]
    everything = compute(rows, start, end, group_by=lambda r: TOTAL_KEY)
    assert everything[TOTAL_KEY] == whole[TOTAL_KEY]
    assert by_field(rows, start, end)[TOTAL_KEY] == whole[TOTAL_KEY]
    # splitting the period: what is pending at the end of the first part is exactly what
    # the second part carries over, and joining the parts gives the whole
    if mid < end:
        first = compute(rows, start, mid)
        second = compute(rows, mid + dt.timedelta(days=1), end)
        for key in whole:
            assert second[key].carried_over == first[key].pending_total
            assert first[key].followed_by(second[key]) == whole[key]


@settings(max_examples=40, deadline=None)
@given(st.lists(dossier_rows(), max_size=60))
def test_monthly_trend_joins_to_the_period(rows: list[DossierRow]) -> None:
    period = custom_period(D(2023, 1, 10), D(2023, 5, 20))
    trend = monthly_trend(rows, period)
    assert [m.label for m, _ in trend][0] == "Tháng 1/2023"
    joined = trend[0][1][TOTAL_KEY]
    for _, month in trend[1:]:
        joined = joined.followed_by(month[TOTAL_KEY])
    assert joined == compute(rows, period.start, period.end)[TOTAL_KEY]


# -- seed 002: xã Thanh Xá, self-inspection notice of 2023 -----------------------------------
#
# "Tổng số hồ sơ tiếp nhận trong kỳ báo cáo 1.277 hồ sơ; trong đó tiếp nhận Onlie 1.127 hồ
# sơ, đạt 88,25%; trực tiếp 150 hồ sơ. Số hồ sơ đã giải quyết 1.274 hồ sơ (giải quyết trước
# hạn 1269 hồ sơ; đúng hạn 05 hồ sơ), hồ sơ đang giải quyết trong hạn 03 hồ sơ, không có hồ
# sơ trễ hạn. Số hoá đầy đủ thành phần hồ sơ khi tiếp nhận 1270/1274 hồ sơ, đạt tỷ lệ 99,68%;
# số hoá kết quả giải quyết 1267/1271 hồ sơ, đạt tỷ lệ 99,68%."
#
# The notice does not give its period; it was written in August–September 2023 (team set up
# 22/8/2023), so the file covers reporting months 1–8 of 2023: 15/12/2022 – 14/8/2023.
# 1,274 + 3 = 1,277 means nothing was carried over.

SEED002_UNIT = "thanh-xa"
SEED002_START, SEED002_END = D(2022, 12, 15), D(2023, 8, 14)
SEED002_PROCEDURES = [
    # code, field, processing time (working days), weight
    ("1.001035", "Chứng thực", 1, 45),  # chứng thực bản sao từ bản chính
    ("2.000884", "Chứng thực", 1, 10),  # chứng thực chữ ký
    ("1.001193", "Hộ tịch", 1, 18),  # đăng ký khai sinh
    ("1.000656", "Hộ tịch", 1, 5),  # đăng ký khai tử
    ("1.000894", "Hộ tịch", 3, 3),  # đăng ký kết hôn
    ("1.004873", "Hộ tịch", 3, 9),  # xác nhận tình trạng hôn nhân
    ("1.001776", "Bảo trợ xã hội", 7, 4),  # trợ cấp xã hội hàng tháng
    ("1.003554", "Đất đai", 10, 6),  # hòa giải tranh chấp đất đai
]


def build_seed002_rows() -> list[DossierRow]:
    """1,277 dossiers of one commune matching every count of seed 002, deterministically."""
    rng = random.Random(2002)
    calendar = WorkCalendar([2022, 2023])
    days = calendar.working_days_in(SEED002_START, SEED002_END)
    codes = [p[0] for p in SEED002_PROCEDURES]
    weights = [p[3] for p in SEED002_PROCEDURES]
    info = {p[0]: p for p in SEED002_PROCEDURES}

    kinds = ["early"] * 1269 + ["on_time"] * 5 + ["pending"] * 3
    channels = ["truc_tuyen"] * 1127 + ["truc_tiep"] * 150
    rng.shuffle(channels)
    intake = ["full"] * 1270 + ["partial"] * 5 + ["none"] * 2
    rng.shuffle(intake)
    resolved_result = [True] * 1267 + [False] * 7  # digitised results among the 1,274 resolved
    rng.shuffle(resolved_result)

    made: list[tuple[dt.date, DossierRow]] = []
    resolved_seen = 0
    for i, kind in enumerate(kinds):
        if kind == "pending":
            # received in the last days, a 3-day procedure: due after 14/8, still in time
            procedure = "1.004873"
            received = days[-3 + (i - 1274)]
        else:
            procedure = rng.choices(codes, weights)[0]
            while True:
                received = rng.choice(days)
                due = calendar.add_working_days(received, info[procedure][2])
                if due <= SEED002_END:
                    break
        due = calendar.add_working_days(received, info[procedure][2])
        if kind == "pending":
            finished = None
            result = False
        else:
            if kind == "on_time":
                finished = due
            else:
                choices = [d for d in calendar.working_days_in(received, due) if d < due]
                finished = rng.choice(choices)
            result = resolved_result[resolved_seen]
            resolved_seen += 1
        channel = channels[i]
        made.append(
            (
                received,
                DossierRow(
                    code="",
                    unit=SEED002_UNIT,
                    procedure=procedure,
                    channel=channel,
                    received=received,
                    due=due,
                    finished=finished,
                    intake_digitized=intake[i],
                    result_digitized=result,
                    paid_online=channel == "truc_tuyen" and info[procedure][1] == "Chứng thực",
                    field=info[procedure][1],
                    # certification carries a fee (2.000 đồng a page); the others none
                    fee=2000 if info[procedure][1] == "Chứng thực" else None,
                ),
            )
        )
    made.sort(key=lambda pair: (pair[0], pair[1].procedure, pair[1].channel))
    out = []
    for number, (_, r) in enumerate(made, start=1):
        out.append(
            DossierRow(
                f"H33.12.{number:05d}", r.unit, r.procedure, r.channel, r.received, r.due,
                r.finished, r.intake_digitized, r.result_digitized, r.paid_online, r.field,
                fee=r.fee,
            )
        )  # fmt: skip
    return out


def seed002_csv_text() -> str:
    """The fixture's text: online dossiers carry a receipt time, as one-stop exports do."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for i, r in enumerate(build_seed002_rows()):
        received = r.received.isoformat()
        finished = r.finished.isoformat() if r.finished else ""
        if r.channel == "truc_tuyen":
            received += f"T{7 + i % 10:02d}:{(i * 7) % 60:02d}:00"
        if r.finished and i % 3 == 0:
            finished += f" {13 + i % 4:02d}:{(i * 11) % 60:02d}"
        writer.writerow(
            [
                r.code, r.unit, r.procedure, r.channel, received,
                r.due.isoformat() if r.due else "", finished, r.intake_digitized,
                int(r.result_digitized), int(r.paid_online), r.field or "",
                "" if r.fee is None else r.fee,
            ]
        )  # fmt: skip
    return buffer.getvalue()


SEED002_JSON = {
    "unit": SEED002_UNIT,
    "carried_over": 0,
    "received": {"truc_tiep": 150, "truc_tuyen": 1127, "buu_chinh": 0, "total": 1277},
    "resolved": {"early": 1269, "on_time": 5, "late": 0, "total": 1274},
    "pending": {"in_time": 3, "overdue": 0, "total": 3},
    "rates": {
        "online": 88.25,  # 1,127 / 1,277 = 88.2537…% (the notice: "đạt 88,25%")
        "on_time": 100.0,  # "trước và đúng hạn đạt 100 %"
        # Our definitions divide by received (1,277) and resolved (1,274): 1,270 / 1,277 and
        # 1,267 / 1,274. The notice divides by 1,274 and 1,271 and prints 99,68%, which is
        # 99.686…% and 99.685…% cut, not rounded: half-up would print 99,69%.
        "intake_digitized": 99.45,
        "result_digitized": 99.45,
        # issue 14: paid online over the dossiers carrying a fee (707 certifications), no
        # longer over every dossier received (630 / 1,277 = 49,33%)
        "paid_online": 89.11,
    },
}


def test_seed002_figures() -> None:
    rows = build_seed002_rows()
    stats = compute(rows, SEED002_START, SEED002_END)
    assert stats[SEED002_UNIT].to_json() == SEED002_JSON
    assert stats[SEED002_UNIT].identity_holds()
    assert sum(r.paid_online for r in rows) == 630  # 630 / 707 fee-bearing = 89.11%
    assert sum(r.fee_required for r in rows) == 707
    # every dossier is in the period and its codes are unique
    assert len({r.code for r in rows}) == 1277
    assert all(SEED002_START <= r.received <= SEED002_END for r in rows)
    # the same period named the way the notice's year is reported
    months = monthly_trend(rows, custom_period(SEED002_START, SEED002_END))
    assert [m.label for m, _ in months][-1] == "Tháng 8/2023"
    assert sum(s[SEED002_UNIT].received_total for _, s in months) == 1277
    assert period_for("year", 2023).start == SEED002_START


def test_seed002_fixture_is_current_and_reads_back() -> None:
    assert FIXTURE.read_text(encoding="utf-8") == seed002_csv_text(), (
        "regenerate: PYTHONPATH=src:. python -m tests.dossiers.test_stats"
    )
    rows = load_rows(FIXTURE)
    assert rows == build_seed002_rows()
    assert compute(rows, SEED002_START, SEED002_END)[SEED002_UNIT].to_json() == SEED002_JSON


if __name__ == "__main__":
    FIXTURE.parent.mkdir(exist_ok=True)
    FIXTURE.write_text(seed002_csv_text(), encoding="utf-8")
    print(f"wrote {FIXTURE}")
