"""The dossier part of a report (kết quả giải quyết TTHC), from form 06 statistics.

Every count and rate comes from ``UnitStats`` (cchc.dossiers.stats): the received total
(col. 3 of form 06) equals resolved + pending by construction, so the sentence and the
table can never contradict each other (seed 000 printed 1.086 received, 1.080 resolved and
4 pending).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from cchc.core.coverage import NO_DATA, Coverage, comparable, comparison_flag
from cchc.documents.document import (
    Align,
    Block,
    Chart,
    Column,
    HeaderGroup,
    Inline,
    Paragraph,
    Series,
    Table,
)
from cchc.dossiers.form06 import FormRow
from cchc.dossiers.stats import UnitStats
from cchc.reports.builders.common import count, pp_change_parts, rate_parts

# A figure that needs the rows of an archived year of dossiers (dossiers.partitions): not
# counted without them, never printed as 0.
ARCHIVED = f"{NO_DATA} (đã lưu trữ)"


@dataclass(frozen=True)
class Archived:
    """Which of a section's figures could not be counted because the dossiers they need
    are archived (reports.sources.ArchivedReads), and the years archived."""

    years: tuple[int, ...]
    rows: bool = False  # the table (per field or per unit)
    previous: bool = False  # the same period a year earlier
    months: tuple[str, ...] = ()  # the trend chart's months left out

    @classmethod
    def of(cls, years, *, rows=False, previous=False, months=()) -> Archived | None:
        if not years:
            return None
        return cls(tuple(sorted(years)), rows=rows, previous=previous, months=tuple(months))

    def years_text(self) -> str:
        return ", ".join(str(y) for y in self.years)

    def note(self) -> str:
        """The sentence that names the archived years, under the section's figures."""
        many = "các năm" if len(self.years) > 1 else "năm"
        return (
            f"Hồ sơ tiếp nhận {many} {self.years_text()} đã lưu trữ (tách khỏi bảng hồ sơ của "
            f"hệ thống): số liệu cần từng hồ sơ của {many} đó ghi «{ARCHIVED}»; số liệu "
            "theo tháng báo cáo (ngày 15 tháng trước đến ngày 14) vẫn lấy từ bảng tổng hợp."
        )


@dataclass(frozen=True)
class DossierFigures:
    """The statistics a report prints for one unit (or area) and period."""

    # None: the dossiers these figures need are archived (see ``archived``).
    stats: UnitStats | None
    period_range: str  # "từ ngày 15/12/2022 đến ngày 14/3/2023"
    # Rows of the table (per field, or per unit for an area), without the total.
    rows: Sequence[tuple[str, UnitStats]] = ()
    row_heading: str = "Lĩnh vực"
    # (month label, statistics of that reporting month), for the trend chart.
    months: Sequence[tuple[str, UnitStats]] = ()
    # The same period a year earlier, for the comparison sentence.
    previous: UnitStats | None = None
    previous_label: str = ""
    extra: dict[str, int] = field(default_factory=dict)
    # What the data covers (cchc.core.coverage): None when the caller does not know, as in
    # a statistics file checked on its own; the report sources always say.
    coverage: Coverage | None = None
    previous_coverage: Coverage | None = None
    # Per row label: the coverage of that row's unit (an area's annex).
    row_coverage: Mapping[str, Coverage] = field(default_factory=dict)
    # "số liệu của 5/20 đơn vị": how many of the area's units hold data.
    units_note: str = ""
    # What could not be counted because its dossiers are archived; None: nothing.
    archived: Archived | None = None

    def coverage_note(self) -> str:
        notes = [n for n in (self.coverage.note() if self.coverage else "", self.units_note) if n]
        return "; ".join(notes)


def no_data(fig: DossierFigures) -> bool:
    return fig.coverage is not None and fig.coverage.state == "none"


def carried_unknown(fig: DossierFigures) -> bool:
    """The data starts inside the period: what was carried over from before is not known,
    and a 0 there would stand for missing data."""
    cov = fig.coverage
    return cov is not None and cov.first is not None and cov.first > cov.start


def is_empty(stats: UnitStats) -> bool:
    return stats.carried_over + stats.received_total == 0


def dossier_paragraphs(fig: DossierFigures, *, key: str = "dossiers") -> list[Block]:
    """The section's sentences; where dossiers are archived, what they leave out says so
    and the section ends with the years archived (Archived.note)."""
    out = _figure_paragraphs(fig, key=key)
    archived = fig.archived
    if archived is not None and not no_data(fig):
        if archived.rows and fig.stats is not None:
            out.append(
                Paragraph.of(f"Số liệu chi tiết theo {fig.row_heading.lower()}: {ARCHIVED}.")
            )
        if archived.previous:
            out.append(Paragraph.of(f"So với {fig.previous_label}: {ARCHIVED}."))
        out.append(Paragraph.of(archived.note(), italic=True))
    return out


def _figure_paragraphs(fig: DossierFigures, *, key: str) -> list[Block]:
    s = fig.stats
    out: list[Block] = []
    if no_data(fig):
        # No dossier data for the period is not "no dossier was received" (issue 14).
        return [
            Paragraph.of(
                f"Trong kỳ ({fig.period_range}): {NO_DATA} hồ sơ thủ tục hành chính trên hệ "
                "thống (dữ liệu từ phần mềm Một cửa chưa được nhập cho kỳ này)."
            )
        ]
    if s is None:
        return [
            Paragraph.of(
                f"Trong kỳ ({fig.period_range}): {ARCHIVED} hồ sơ thủ tục hành chính (số liệu tính "
                "theo ngày, cần từng hồ sơ của năm đã lưu trữ)."
            )
        ]
    rates = s.rates
    note = fig.coverage_note()
    span = f"{fig.period_range}; {note}" if note else fig.period_range
    if is_empty(s) and note:
        return [
            Paragraph.of(
                f"Trong kỳ ({span}), số liệu trên hệ thống không có hồ sơ thủ tục hành chính "
                "nào được tiếp nhận mới hoặc chuyển từ kỳ trước sang."
            )
        ]
    if is_empty(s):
        out.append(
            Paragraph.of(
                f"Trong kỳ ({fig.period_range}), không có hồ sơ thủ tục hành chính nào được "
                "tiếp nhận mới hoặc chuyển từ kỳ trước sang; không có hồ sơ đang giải quyết."
            )
        )
        return out
    received_all = s.carried_over + s.received_total
    direct = s.received_truc_tiep + s.received_buu_chinh
    # Form 06 counts in-person and postal intake in one column (5): so does the sentence.
    if s.received_buu_chinh:
        channel: list[Inline] = [
            "trực tiếp và qua dịch vụ bưu chính công ích ",
            count(direct, f"{key}.received_direct_postal"),
            " hồ sơ",
        ]
    else:
        channel = ["trực tiếp ", count(s.received_truc_tiep, f"{key}.received_direct"), " hồ sơ"]
    # Every total is followed by its parts in brackets, so that each can be added up.
    carried: list[Inline] = (
        [f"từ kỳ trước chuyển qua: {NO_DATA}, mới trong kỳ "]
        if carried_unknown(fig)
        else [
            "từ kỳ trước chuyển qua ",
            count(s.carried_over, f"{key}.carried_over"),
            " hồ sơ, mới trong kỳ ",
        ]
    )
    first: list[Inline] = [
        f"Tổng số hồ sơ nhận giải quyết trong kỳ ({span}): ",
        count(received_all, f"{key}.received_all"),
        " hồ sơ (",
        *carried,
        count(s.received_total, f"{key}.received"),
        " hồ sơ). Số hồ sơ mới trong kỳ ",
        count(s.received_total, f"{key}.received"),
        " hồ sơ (trực tuyến ",
        count(s.received_truc_tuyen, f"{key}.received_online"),
        " hồ sơ, ",
        *channel,
        "). Đã giải quyết ",
        count(s.resolved_total, f"{key}.resolved"),
        " hồ sơ (trước hạn ",
        count(s.resolved_early, f"{key}.resolved_early"),
        " hồ sơ, đúng hạn ",
        count(s.resolved_on_time, f"{key}.resolved_on_time"),
        " hồ sơ, quá hạn ",
        count(s.resolved_late, f"{key}.resolved_late"),
        " hồ sơ); đang giải quyết ",
        count(s.pending_total, f"{key}.pending"),
        " hồ sơ (trong hạn ",
        count(s.pending_in_time, f"{key}.pending_in_time"),
        " hồ sơ, quá hạn ",
        count(s.pending_overdue, f"{key}.pending_overdue"),
        " hồ sơ).",
    ]
    out.append(Paragraph.of(*first))
    out.append(
        Paragraph.of(
            "Tỷ lệ tiếp nhận trực tuyến ",
            *ratio_parts(
                s.received_truc_tuyen, s.received_total, rates.online, f"{key}.online_rate"
            ),
            "; tỷ lệ giải quyết trước và đúng hạn ",
            *ratio_parts(
                s.resolved_early + s.resolved_on_time,
                s.resolved_total,
                rates.on_time,
                f"{key}.on_time_rate",
            ),
            ".",
        )
    )
    out.append(
        Paragraph.of(
            "Số hóa hồ sơ: số hóa đầy đủ thành phần hồ sơ khi tiếp nhận ",
            *ratio_parts(
                s.intake_digitized_full,
                s.received_total,
                rates.intake_digitized,
                f"{key}.intake_digitized_rate",
            ),
            "; số hóa kết quả giải quyết ",
            *ratio_parts(
                s.result_digitized,
                s.resolved_total,
                rates.result_digitized,
                f"{key}.result_digitized_rate",
            ),
            "; thanh toán phí, lệ phí trực tuyến ",
            *ratio_parts(
                s.paid_online, s.fee_required, rates.paid_online, f"{key}.paid_online_rate"
            ),
            ".",
        )
    )
    prev = fig.previous
    if (
        prev is not None
        and fig.coverage is not None
        and fig.previous_coverage is not None
        and not comparable(fig.coverage, fig.previous_coverage)
    ):
        # Two periods of unequal coverage are not compared (the 2026 report's "từ 89 lên
        # 1.218" where 2025 held three weeks).
        flag = comparison_flag(fig.coverage, fig.previous_coverage, then_label=fig.previous_label)
        out.append(Paragraph.of(f"So với {fig.previous_label}: {flag}."))
    elif prev is not None and not is_empty(prev):
        parts: list[Inline] = [
            f"So với {fig.previous_label}: số hồ sơ tiếp nhận mới ",
            *_count_change(s.received_total, prev.received_total, f"{key}.change.received"),
        ]
        now_online, then_online = rates.online, prev.rates.online
        if now_online is not None and then_online is not None:
            # Two percentages differ by points, not by a percentage (seed 004's 19,69%).
            parts += [
                "; tỷ lệ tiếp nhận trực tuyến ",
                *pp_change_parts(now_online - then_online, f"{key}.change.online_rate_pp"),
            ]
        now_on_time, then_on_time = rates.on_time, prev.rates.on_time
        if now_on_time is not None and then_on_time is not None:
            parts += [
                "; tỷ lệ giải quyết trước và đúng hạn ",
                *pp_change_parts(now_on_time - then_on_time, f"{key}.change.on_time_rate_pp"),
            ]
        parts.append(".")
        out.append(Paragraph.of(*parts))
    return out


def _count_change(now: int, then: int, key: str) -> list[Inline]:
    if now == then:
        return ["không thay đổi (", count(now, key + ".now"), " hồ sơ)"]
    word = "tăng từ " if now > then else "giảm từ "
    return [word, count(then, key + ".then"), " lên " if now > then else " xuống ",
            count(now, key + ".now"), " hồ sơ"]  # fmt: skip


def ratio_parts(part: int, whole: int, rate, key: str) -> list[Inline]:
    """'6/8 hồ sơ, đạt 75%': the share with what it is a share of (a reader, or
    ``cchc check-report``, can verify it)."""
    if not whole:
        return ["chưa có số liệu để tính tỷ lệ"]
    return [
        count(part, key + ".part"),
        "/",
        count(whole, key + ".whole"),
        " hồ sơ, ",
        *rate_parts(rate, key),
    ]


# The dossier table's columns (form 06's main ones) and their widths in mm: 160 mm in all,
# the text width of a portrait A4 page with the margins of ND 30/2020 (210 − 30 − 20); the
# number columns are wide enough for "22.725" at 10,5 pt, so a number never breaks.
DOSSIER_COLUMNS: tuple[tuple[str, Align], ...] = (
    ("TT", "center"),
    ("", "left"),  # the rows' heading: "Lĩnh vực" or "Đơn vị"
    ("Tổng số\n(3)", "right"),
    ("Trực tuyến\n(4)", "right"),
    ("Kỳ trước\n(6)", "right"),
    ("Tổng số\n(7)", "right"),
    ("Trước, đúng hạn\n(8)+(9)", "right"),
    ("Quá hạn\n(10)", "right"),
    ("Tổng số\n(11)", "right"),
    ("Quá hạn\n(13)", "right"),
)
DOSSIER_WIDTHS_MM = (8.0, 35.5, 14.5, 14.5, 14.5, 14.5, 15.5, 14.5, 14.5, 14.0)


def dossier_table(fig: DossierFigures, *, caption: str, font_size: float = 10.5) -> Table | None:
    """The main columns of form 06 per field (or per unit), with the total row; the full
    form (all thirteen columns) is the statistics form report (tt01-form)."""
    if not fig.rows or no_data(fig) or fig.stats is None:
        return None
    total_stats = fig.stats

    def cells(stats: UnitStats) -> tuple[int, ...]:
        row = FormRow.of("", stats)
        return (
            row.received_all,
            row.received_online,
            "–" if unknown_carried else row.carried_over,
            row.resolved_total,
            row.resolved_early + row.resolved_on_time,
            row.resolved_late,
            row.pending_total,
            row.pending_overdue,
        )

    unknown_carried = carried_unknown(fig)
    # A row says its own coverage only where it differs from the whole table's.
    total_note = fig.coverage.note() if fig.coverage is not None else ""

    def row(number: int, label: str, stats: UnitStats) -> tuple:
        cov = fig.row_coverage.get(label)
        if cov is not None and cov.state == "none":
            # A unit without data is not a row of zeros.
            return (str(number), f"{label} ({NO_DATA})", *("–",) * 8)
        if cov is not None and cov.state == "partial" and cov.note() != total_note:
            return (str(number), f"{label} ({cov.note()})", *cells(stats))
        return (str(number), label, *cells(stats))

    body = [row(number, label, stats) for number, (label, stats) in enumerate(fig.rows, start=1)]
    note = fig.coverage_note()
    return Table(
        columns=tuple(
            Column(title or fig.row_heading, align, width, places=0 if align == "right" else 2)
            for (title, align), width in zip(DOSSIER_COLUMNS, DOSSIER_WIDTHS_MM, strict=True)
        ),
        groups=(
            HeaderGroup("", 2),
            HeaderGroup("Nhận giải quyết", 3),
            HeaderGroup("Đã giải quyết", 3),
            HeaderGroup("Đang giải quyết", 2),
        ),
        rows=tuple(body),
        totals=("", "Tổng cộng", *cells(total_stats)),
        caption=caption,
        note="Cột theo Biểu 06/VPCP/KSTT (TT 01/2020/TT-VPCP): (3) = (7) + (11). Kỳ báo cáo "
        + fig.period_range
        + (f" ({note})" if note else "")
        + ".",
        font_size=font_size,
    )


def trend_chart(fig: DossierFigures, *, caption: str) -> Chart | None:
    """Received and resolved per reporting month (15th–14th)."""
    if no_data(fig) or len(fig.months) < 2 or all(is_empty(s) for _, s in fig.months):
        return None
    labels = tuple(label for label, _ in fig.months)
    return Chart(
        kind="line",
        title="Hồ sơ tiếp nhận mới và đã giải quyết theo tháng",
        categories=labels,
        series=(
            Series("Tiếp nhận mới", tuple(s.received_total for _, s in fig.months)),
            Series("Đã giải quyết", tuple(s.resolved_total for _, s in fig.months)),
        ),
        value_label="Số hồ sơ",
        places=0,
        caption=caption + _archived_months(fig),
        height_cm=7.5,
    )


def _archived_months(fig: DossierFigures) -> str:
    """The months left out of the trend chart because their dossiers are archived."""
    if fig.archived is None or not fig.archived.months:
        return ""
    return f" (không có {', '.join(fig.archived.months)}: {ARCHIVED})"
