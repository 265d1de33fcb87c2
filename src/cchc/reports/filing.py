"""Who has filed their periodic CCHC reports with the level above, on time or late.

A unit files with its parent: a commune of the 2025 structure with the province, a
commune before 7/2025 with its district, a department with the province. The matrix of a
unit lists its children (those that existed that year) against the filing columns (the
quarters, the six months, the year), each cell with its due date (``deadlines``, changed
by the administrator in DeadlineSetting) and status.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from cchc.core.collation import vn_order
from cchc.dossiers.periods import Period, period_for
from cchc.reports import deadlines, kinds
from cchc.reports.models import DeadlineSetting, FilingReminder, Report, ReportStatus
from cchc.units.lifetime import existing_in
from cchc.units.models import Unit


@dataclass
class FilingCell:
    column: deadlines.FilingColumn
    period: Period
    kind: kinds.ReportKind
    due_on: dt.date
    status: str
    report: Report | None = None  # the submitted report, if any
    draft: Report | None = None  # a report being written
    submitted_on: dt.date | None = None
    reminded_on: dt.date | None = None

    @property
    def label(self) -> str:
        return deadlines.STATUS_LABELS[self.status]

    @property
    def short(self) -> str:
        return deadlines.STATUS_SHORT[self.status]

    @property
    def badge(self) -> str:
        return deadlines.STATUS_BADGES[self.status]

    @property
    def days_late(self) -> int | None:
        if self.submitted_on is not None and self.submitted_on > self.due_on:
            return (self.submitted_on - self.due_on).days
        return None


@dataclass
class FilingRow:
    unit: Unit
    cells: list[FilingCell] = field(default_factory=list)


@dataclass
class FilingMatrix:
    parent: Unit
    year: int
    today: dt.date
    columns: tuple[deadlines.FilingColumn, ...]
    rows: list[FilingRow]

    def counts(self, index: int) -> dict[str, int]:
        out = {s: 0 for s in deadlines.STATUS_LABELS}
        for row in self.rows:
            out[row.cells[index].status] += 1
        return out

    @property
    def totals(self) -> list[dict[str, int]]:
        return [self.counts(i) for i in range(len(self.columns))]


def filing_units(parent: Unit, year: int) -> list[Unit]:
    """The units that file with ``parent`` in ``year``: its children that existed then, in
    Vietnamese order."""
    start, end = dt.date(year - 1, 12, 15), dt.date(year, 12, 14)
    return vn_order(existing_in(parent.children.all(), start, end), "kind", "name")


def due_dates(
    year: int, rules: dict | None = None
) -> list[tuple[deadlines.FilingColumn, Period, dt.date]]:
    rules = rules if rules is not None else DeadlineSetting.rules()
    out = []
    for column in deadlines.FILING_COLUMNS:
        period = column.period(year)
        out.append((column, period, deadlines.due_date(period, rules[period.kind])))
    return out


def filing_matrix(parent: Unit, year: int, *, today: dt.date | None = None) -> FilingMatrix:
    today = today or timezone.localdate()
    units = filing_units(parent, year)
    columns = due_dates(year)
    reports = Report.objects.filter(
        unit__in=units, year=year, kind__in=[k.code for k in kinds.FILED_KINDS], subject=""
    ).only("pk", "unit_id", "kind", "period_code", "status", "submitted_at")
    by_key: dict[tuple[int, str, str], Report] = {
        (r.unit_id, r.kind, r.period_code): r for r in reports
    }
    reminders: dict[tuple[int, str, str], dt.date] = {}
    for unit_id, kind, code, day in FilingReminder.objects.filter(
        unit__in=units, period_code__in=[p.code for _, p, _ in columns]
    ).values_list("unit_id", "report_kind", "period_code", "reminded_on"):
        key = (unit_id, kind, code)
        reminders[key] = max(day, reminders.get(key, day))
    # A report filed on an outline (reports.outlines) for the same period counts as filed.
    from cchc.reports.outlines.filing import submitted_on as outline_submitted_on

    by_outline = outline_submitted_on(units, [p.code for _, p, _ in columns])
    rows = []
    for unit in units:
        row = FilingRow(unit)
        for column, period, due in columns:
            kind = kinds.FILED_BY_PERIOD[period.kind]
            report = by_key.get((unit.pk, kind.code, period.code))
            submitted = None
            if report is not None and report.status == ReportStatus.SUBMITTED:
                submitted = timezone.localdate(report.submitted_at)
            outline_day = by_outline.get((unit.pk, period.code))
            if outline_day is not None and (submitted is None or outline_day < submitted):
                submitted = outline_day
            row.cells.append(
                FilingCell(
                    column=column,
                    period=period,
                    kind=kind,
                    due_on=due,
                    status=deadlines.filing_status(submitted, due, today),
                    report=report if submitted and report is not None else None,
                    draft=report if report is not None and submitted is None else None,
                    submitted_on=submitted,
                    reminded_on=reminders.get((unit.pk, kind.code, period.code)),
                )
            )
        rows.append(row)
    return FilingMatrix(parent, year, today, tuple(c for c, _, _ in columns), rows)


def unit_due(unit: Unit, *, today: dt.date, days: int = 14) -> list[FilingCell]:
    """The unit's own periodic reports not yet filed: overdue ones of this year and last,
    and those due within ``days``."""
    if unit.parent_id is None:
        return []
    out: list[FilingCell] = []
    rules = DeadlineSetting.rules()
    filed = {
        (r.kind, r.period_code)
        for r in Report.objects.filter(
            unit=unit, status=ReportStatus.SUBMITTED, year__gte=today.year - 1, subject=""
        ).only("kind", "period_code")
    }
    from cchc.reports.outlines.filing import submitted_on as outline_submitted_on

    filed_on_outline = outline_submitted_on(
        [unit],
        [
            p.code
            for y in (today.year - 1, today.year, today.year + 1)
            for _, p, _ in due_dates(y, rules)
        ],
    )
    for year in (today.year - 1, today.year, today.year + 1):
        for column, period, due in due_dates(year, rules):
            if (unit.pk, period.code) in filed_on_outline:
                continue
            if due > today + dt.timedelta(days=days):
                continue
            if due < today - dt.timedelta(days=200):
                continue
            if unit.valid_to is not None and period.start > unit.valid_to:
                continue
            if unit.valid_from is not None and period.end < unit.valid_from:
                continue
            kind = kinds.FILED_BY_PERIOD[period.kind]
            if (kind.code, period.code) in filed:
                continue
            out.append(
                FilingCell(
                    column=column,
                    period=period,
                    kind=kind,
                    due_on=due,
                    status=deadlines.filing_status(None, due, today),
                )
            )
    return out


def period_of(year: int, kind: str, number: int | None) -> Period:
    return period_for(kind, year, number)
