"""Reporting periods from the 15th to the 14th."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc.dossiers.periods import (
    Period,
    PeriodError,
    months_in,
    parse_period,
    period_for,
    reporting_month_of,
)

D = dt.date


@pytest.mark.parametrize(
    ("kind", "number", "start", "end", "label"),
    [
        ("year", None, D(2022, 12, 15), D(2023, 12, 14), "Năm 2023"),
        ("half", 1, D(2022, 12, 15), D(2023, 6, 14), "6 tháng đầu năm 2023"),
        ("half", 2, D(2023, 6, 15), D(2023, 12, 14), "6 tháng cuối năm 2023"),
        ("quarter", 1, D(2022, 12, 15), D(2023, 3, 14), "Quý I/2023"),
        ("quarter", 2, D(2023, 3, 15), D(2023, 6, 14), "Quý II/2023"),
        ("quarter", 3, D(2023, 6, 15), D(2023, 9, 14), "Quý III/2023"),
        ("quarter", 4, D(2023, 9, 15), D(2023, 12, 14), "Quý IV/2023"),
        ("month", 1, D(2022, 12, 15), D(2023, 1, 14), "Tháng 1/2023"),
        ("month", 3, D(2023, 2, 15), D(2023, 3, 14), "Tháng 3/2023"),
        ("month", 12, D(2023, 11, 15), D(2023, 12, 14), "Tháng 12/2023"),
    ],
)
def test_period_for(
    kind: str, number: int | None, start: dt.date, end: dt.date, label: str
) -> None:
    period = period_for(kind, 2023, number)
    assert (period.start, period.end, period.kind, period.label) == (start, end, kind, label)
    assert parse_period(period.code) == period


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("2023", D(2022, 12, 15), D(2023, 12, 14), "Năm 2023"),
        ("2023-Q1", D(2022, 12, 15), D(2023, 3, 14), "Quý I/2023"),
        ("2023-q4", D(2023, 9, 15), D(2023, 12, 14), "Quý IV/2023"),
        ("2023-H1", D(2022, 12, 15), D(2023, 6, 14), "6 tháng đầu năm 2023"),
        ("2023-M03", D(2023, 2, 15), D(2023, 3, 14), "Tháng 3/2023"),
        ("2023-M3", D(2023, 2, 15), D(2023, 3, 14), "Tháng 3/2023"),
        (
            " 2023-01-01..2023-03-31 ",
            D(2023, 1, 1),
            D(2023, 3, 31),
            "Từ ngày 01/01/2023 đến ngày 31/3/2023",
        ),
    ],
)
def test_parse_period(text: str, start: dt.date, end: dt.date, label: str) -> None:
    period = parse_period(text)
    assert (period.start, period.end, period.label) == (start, end, label)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "23",
        "2023-Q5",
        "2023-Q0",
        "2023-H3",
        "2023-M13",
        "2023-M00",
        "2023-X1",
        "2023-02-30..2023-03-01",
        "2023-03-31..2023-01-01",
        "2023/01/01..2023/03/31",
    ],
)
def test_parse_period_refuses(text: str) -> None:
    with pytest.raises(PeriodError) as info:
        parse_period(text)
    assert isinstance(info.value, ValueError)
    assert str(info.value)


def test_parse_period_message_names_the_formats() -> None:
    with pytest.raises(ValueError, match="2023-Q1"):
        parse_period("quý 1")


@pytest.mark.parametrize(
    ("day", "month"),
    [
        (D(2022, 12, 15), (2023, 1)),
        (D(2022, 12, 14), (2022, 12)),
        (D(2023, 1, 14), (2023, 1)),
        (D(2023, 1, 15), (2023, 2)),
        (D(2023, 3, 1), (2023, 3)),
        (D(2023, 12, 31), (2024, 1)),
    ],
)
def test_reporting_month_of(day: dt.date, month: tuple[int, int]) -> None:
    assert reporting_month_of(day) == month


def test_months_in_a_year_tile_it() -> None:
    months = months_in(period_for("year", 2023))
    assert [m.label for m in months] == [f"Tháng {i}/2023" for i in range(1, 13)]
    assert months[0].start == D(2022, 12, 15) and months[-1].end == D(2023, 12, 14)
    for before, after in zip(months, months[1:], strict=False):
        assert after.start == before.end + dt.timedelta(days=1)
    assert [m.label for m in months_in(period_for("quarter", 2023, 2))] == [
        "Tháng 4/2023",
        "Tháng 5/2023",
        "Tháng 6/2023",
    ]


def test_months_in_a_custom_range_are_cut() -> None:
    months = months_in(parse_period("2023-01-01..2023-03-31"))
    assert [(m.start, m.end, m.label) for m in months] == [
        (D(2023, 1, 1), D(2023, 1, 14), "Tháng 1/2023"),
        (D(2023, 1, 15), D(2023, 2, 14), "Tháng 2/2023"),
        (D(2023, 2, 15), D(2023, 3, 14), "Tháng 3/2023"),
        (D(2023, 3, 15), D(2023, 3, 31), "Tháng 4/2023"),
    ]
    assert months[0].code == "2023-01-01..2023-01-14"
    assert months[1].code == "2023-M02"


def test_contains() -> None:
    q1 = period_for("quarter", 2023, 1)
    assert D(2022, 12, 15) in q1 and D(2023, 3, 14) in q1
    assert D(2023, 3, 15) not in q1 and dt.datetime(2023, 1, 1, 12) in q1
    with pytest.raises(PeriodError):
        Period(D(2023, 2, 1), D(2023, 1, 1), "custom", "x")


@given(st.dates(D(2000, 1, 1), D(2099, 12, 31)))
def test_every_day_is_in_its_reporting_month(day: dt.date) -> None:
    year, month = reporting_month_of(day)
    assert day in period_for("month", year, month)
    assert day in period_for("quarter", year, (month - 1) // 3 + 1)
    assert day in period_for("year", year)
