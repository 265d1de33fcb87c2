"""The filing matrix and the reminders count a submitted outline report as filed."""

from __future__ import annotations

import datetime as dt

import time_machine

from cchc.reports.filing import filing_matrix, unit_due
from cchc.reports.outlines import services

from .conftest import entries


def test_outline_report_counts_in_the_filing_matrix_and_stops_reminders(area, cast):
    spec = area.outline.spec()
    report = services.report_open(outline=area.outline, unit=cast.dong_tam, period="2023")
    services.report_save(report=report, values=entries(spec), by=cast.officer)
    with time_machine.travel(dt.datetime(2023, 12, 10, 9, 0), tick=False):
        services.report_submit(report=report, by=cast.head, today=dt.date(2023, 12, 10))
    matrix = filing_matrix(cast.district, 2023, today=dt.date(2024, 1, 10))
    rows = {row.unit.name: row for row in matrix.rows}
    year_index = [c.period.kind for c in rows["Xã Đồng Tâm"].cells].index("year")
    assert rows["Xã Đồng Tâm"].cells[year_index].status == "on_time"
    assert rows["Xã Đồng Tâm"].cells[year_index].submitted_on == dt.date(2023, 12, 10)
    assert rows["Xã Thanh Xá"].cells[year_index].status == "missing"
    due = {c.period.code for c in unit_due(cast.dong_tam, today=dt.date(2024, 1, 10))}
    assert "2023" not in due
    assert "2023" in {c.period.code for c in unit_due(cast.thanh_xa, today=dt.date(2024, 1, 10))}
