"""What data the system holds: per unit and source, the dates its data covers.

A figure over a period is only a fact for the days the data covers. An import of dossiers
received from 21/11/2025 does not say that no dossier was received before; a year with
three weeks of data is not a year. So every figure that is printed asks, through
``cchc.core.selectors.data_coverage``, which part of its period is covered, and says so:

- fully covered: the figure is printed as it is;
- partly covered: the figure carries "số liệu từ 21/11/2025" (or "… đến …");
- not covered: "chưa có số liệu", never a zero and never a sentence of fact;
- two periods compared (this year and last) are compared only when both are fully
  covered; otherwise the comparison is flagged, not asserted.

Plain module: no Django import.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from cchc.core.formatting import vn_date

# The sources of data whose coverage is recorded (DESIGN "Trust": dossiers, feedback,
# plans, staffing, surveys, scores).
DOSSIERS = "dossiers"
FEEDBACK = "feedback"
PLANS = "plans"
STAFFING = "staffing"
SURVEYS = "surveys"
SCORES = "scores"
SOURCES = (DOSSIERS, FEEDBACK, PLANS, STAFFING, SURVEYS, SCORES)
SOURCE_LABELS = {
    DOSSIERS: "Hồ sơ TTHC",
    FEEDBACK: "Phản ánh, kiến nghị",
    PLANS: "Kế hoạch CCHC",
    STAFFING: "Đội ngũ cán bộ, công chức",
    SURVEYS: "Điều tra xã hội học",
    SCORES: "Điểm Chỉ số CCHC",
}

NO_DATA = "chưa có số liệu"

# Dossier flags that only an import file carrying the column can tell (QĐ 766 indicators
# 1.4 and 4.4): the dates for which the flag is known are recorded like a source, so a file
# without the column makes the indicator "không có số liệu", not 0%.
FLAG_SYNCED = "flag.synced"
FLAG_DATA_STORE = "flag.datastore"
FLAG_SOURCES = {FLAG_SYNCED: "synced", FLAG_DATA_STORE: "data_store_linked"}

State = Literal["full", "partial", "none"]


@dataclass(frozen=True)
class Span:
    start: dt.date
    end: dt.date  # inclusive


def merge(spans: Iterable[Span], *, gap_days: int = 1) -> list[Span]:
    """Spans sorted and joined where they overlap or lie closer than ``gap_days``."""
    out: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        if out and (span.start - out[-1].end).days <= gap_days:
            last = out[-1]
            out[-1] = Span(last.start, max(last.end, span.end))
        else:
            out.append(span)
    return out


@dataclass(frozen=True)
class Coverage:
    """The part of [start, end] that the data of one source covers."""

    start: dt.date
    end: dt.date
    spans: tuple[Span, ...] = ()  # the covered parts, clipped to [start, end]

    @property
    def covered_days(self) -> int:
        return sum((s.end - s.start).days + 1 for s in self.spans)

    @property
    def state(self) -> State:
        if not self.spans:
            return "none"
        if self.covered_days >= (self.end - self.start).days + 1:
            return "full"
        return "partial"

    @property
    def has_data(self) -> bool:
        return bool(self.spans)

    @property
    def first(self) -> dt.date | None:
        return self.spans[0].start if self.spans else None

    @property
    def last(self) -> dt.date | None:
        return self.spans[-1].end if self.spans else None

    def note(self) -> str:
        """'' when fully covered; 'số liệu từ 21/11/2025'; 'chưa có số liệu'."""
        if self.state == "full":
            return ""
        if self.state == "none":
            return NO_DATA
        parts = []
        for span in self.spans:
            starts = span.start > self.start
            ends = span.end < self.end
            if starts and ends:
                parts.append(f"từ {vn_date(span.start)} đến {vn_date(span.end)}")
            elif starts:
                parts.append(f"từ {vn_date(span.start)}")
            elif ends:
                parts.append(f"đến {vn_date(span.end)}")
        return "số liệu " + "; ".join(parts)


def coverage_of(spans: Sequence[Span], start: dt.date, end: dt.date) -> Coverage:
    """The coverage of [start, end] by recorded spans (already merged or not)."""
    clipped = [
        Span(max(s.start, start), min(s.end, end))
        for s in merge(spans)
        if s.end >= start and s.start <= end
    ]
    return Coverage(start, end, tuple(clipped))


def comparable(now: Coverage, then: Coverage) -> bool:
    """Two periods' figures may be compared as facts only when both are fully covered."""
    return now.state == "full" and then.state == "full"


def comparison_flag(now: Coverage, then: Coverage, *, then_label: str) -> str:
    """Why a comparison is not asserted: 'số liệu cùng kỳ năm 2025 chỉ từ 21/11/2025'."""
    if comparable(now, then):
        return ""
    bits = []
    if then.state != "full":
        bits.append(f"{then_label}: {then.note()}")
    if now.state != "full":
        bits.append(f"kỳ này: {now.note()}")
    return "không so sánh được vì số liệu hai kỳ không cùng phạm vi (" + "; ".join(bits) + ")"


def combine(coverages: Sequence[Coverage]) -> Coverage:
    """An area's coverage: a day counts as covered only if every unit's data covers it,
    so a sum over units is complete exactly on the days returned."""
    if not coverages:
        raise ValueError("no coverage to combine")
    start, end = coverages[0].start, coverages[0].end
    current = list(coverages[0].spans)
    for cov in coverages[1:]:
        nxt = []
        for a in current:
            for b in cov.spans:
                lo, hi = max(a.start, b.start), min(a.end, b.end)
                if lo <= hi:
                    nxt.append(Span(lo, hi))
        current = nxt
    return Coverage(start, end, tuple(merge(current, gap_days=1)))
