"""Plans, inspections and civil-service figures as a report prints them.

The data classes are filled by ``cchc.reports.sources`` from the plans app; the counts and
shares come from ``cchc.plans.rules`` (completion over the leaves of a plan; shares of
people with one decimal, seed 000: 4 of 17 = 23,5%).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from cchc.core.formatting import percent, vn_date
from cchc.documents.document import Block, Column, Figure, Inline, Paragraph, Table
from cchc.reports.builders.common import count, rate_parts


@dataclass(frozen=True)
class ComponentProgress:
    label: str
    total: int
    done: int
    late: int

    @property
    def rate(self) -> Decimal | None:
        return percent(self.done, self.total)


@dataclass(frozen=True)
class PlanFigures:
    title: str
    number: str
    year: int
    objectives: int
    tasks: int
    activities: int
    total: int  # leaves
    done: int
    in_progress: int
    not_started: int
    late: int
    as_of: object  # date the counts are taken at
    by_component: Sequence[ComponentProgress] = ()

    @property
    def rate(self) -> Decimal | None:
        return percent(self.done, self.total)


def plan_paragraphs(fig: PlanFigures, *, key: str = "plan") -> list[Block]:
    ref = f" ({fig.number})" if fig.number else ""
    out: list[Block] = [
        Paragraph.of(
            f"Thực hiện {fig.title}{ref}, đơn vị xác định ",
            count(fig.objectives, f"{key}.objectives"),
            " mục tiêu, ",
            count(fig.tasks, f"{key}.tasks"),
            " nhiệm vụ và ",
            count(fig.activities, f"{key}.activities"),
            " hoạt động, mỗi nhiệm vụ đều rõ người, rõ việc, rõ thời gian, rõ trách nhiệm, "
            "rõ kết quả.",
        )
    ]
    if fig.total:
        out.append(
            Paragraph.of(
                f"Đến ngày {vn_date(fig.as_of)}, đã hoàn thành ",  # type: ignore[arg-type]
                count(fig.done, f"{key}.done"),
                "/",
                count(fig.total, f"{key}.total"),
                " nội dung công việc, ",
                *rate_parts(fig.rate, f"{key}.completion_rate"),
                "; đang thực hiện ",
                count(fig.in_progress, f"{key}.in_progress"),
                "; chưa thực hiện ",
                count(fig.not_started, f"{key}.not_started"),
                "; quá hạn chưa hoàn thành ",
                count(fig.late, f"{key}.late"),
                ".",
            )
        )
    return out


def plan_table(fig: PlanFigures, *, caption: str) -> Table | None:
    rows = [c for c in fig.by_component if c.total]
    if not rows:
        return None
    return Table(
        columns=(
            Column("TT", "center", 0.7),
            Column("Lĩnh vực", "left", 4.0),
            Column("Số nội dung", "right", 1.1, places=0),
            Column("Hoàn thành", "right", 1.1, places=0),
            Column("Quá hạn", "right", 1.0, places=0),
            Column("Tỷ lệ hoàn thành (%)", "right", 1.4, trim=False),
        ),
        rows=tuple(
            (str(i), c.label, c.total, c.done, c.late, c.rate) for i, c in enumerate(rows, 1)
        ),
        totals=(
            "",
            "Tổng cộng",
            sum(c.total for c in rows),
            sum(c.done for c in rows),
            sum(c.late for c in rows),
            percent(sum(c.done for c in rows), sum(c.total for c in rows)),
        ),
        caption=caption,
        font_size=11,
    )


# ------------------------------------------------------------------ inspections


@dataclass(frozen=True)
class InspectionLine:
    title: str
    body: str  # inspecting body
    start: object
    end: object
    is_self: bool
    findings: int
    shortcomings: int
    recommendations: int
    open_recommendations: int
    overdue_recommendations: int


@dataclass(frozen=True)
class CoverageLine:
    label: str
    inspected: int
    total: int

    @property
    def share(self) -> Decimal | None:
        return percent(self.inspected, self.total, 1)


@dataclass(frozen=True)
class InspectionFigures:
    inspections: Sequence[InspectionLine] = ()
    coverage: Sequence[CoverageLine] = ()
    # shortcomings found per component across the inspections, (label, count)
    by_component: Sequence[tuple[str, int]] = ()
    # Said instead of the figures when the system holds no inspection of the year: a
    # "0/20 đơn vị, đạt 0%" would state as a fact what is only missing data (issue 14).
    no_data: str = ""


def inspection_paragraphs(fig: InspectionFigures, *, key: str = "inspections") -> list[Block]:
    out: list[Block] = []
    if fig.no_data and not fig.inspections:
        return [Paragraph.of(fig.no_data)]
    for n, cov in enumerate(fig.coverage):
        out.append(
            Paragraph.of(
                f"Kiểm tra công tác CCHC: {cov.label.lower()}: đã kiểm tra ",
                count(cov.inspected, f"{key}.coverage.{n}.inspected"),
                "/",
                count(cov.total, f"{key}.coverage.{n}.total"),
                " đơn vị, ",
                *rate_parts(cov.share, f"{key}.coverage.{n}.share"),
                ".",
            )
        )
    if fig.coverage:
        inspected = sum(c.inspected for c in fig.coverage)
        total = sum(c.total for c in fig.coverage)
        if len(fig.coverage) > 1:
            out.append(
                Paragraph.of(
                    "Tổng cộng đã kiểm tra ",
                    count(inspected, f"{key}.coverage.inspected"),
                    "/",
                    count(total, f"{key}.coverage.total"),
                    " đơn vị, ",
                    *rate_parts(percent(inspected, total, 1), f"{key}.coverage.share"),
                    ".",
                )
            )
    for n, line in enumerate(fig.inspections):
        what = "Tự kiểm tra" if line.is_self else "Kiểm tra"
        parts: list[Inline] = [
            f"{what}: {line.title} ({line.body}, từ ngày {vn_date(line.start)} đến ngày "  # type: ignore[arg-type]
            f"{vn_date(line.end)}): ",  # type: ignore[arg-type]
            count(line.shortcomings, f"{key}.{n}.shortcomings"),
            " tồn tại, hạn chế; ",
            count(line.recommendations, f"{key}.{n}.recommendations"),
            " kiến nghị, trong đó còn ",
            count(line.open_recommendations, f"{key}.{n}.open"),
            " kiến nghị chưa khắc phục xong (",
            count(line.overdue_recommendations, f"{key}.{n}.overdue"),
            " quá hạn).",
        ]
        out.append(Paragraph.of(*parts))
    if fig.by_component:
        items = [(label, n) for label, n in fig.by_component if n]
        if items:
            parts2: list[Inline] = ["Tồn tại, hạn chế phát hiện qua kiểm tra theo lĩnh vực: "]
            for i, (label, n) in enumerate(items):
                parts2 += [f"{label} ", count(n, f"{key}.by_component.{i}")]
                parts2.append("; " if i < len(items) - 1 else ".")
            out.append(Paragraph.of(*parts2))
    if not out:
        out.append(Paragraph.of("Trong kỳ, không có đợt kiểm tra công tác CCHC nào được ghi nhận."))
    return out


# ------------------------------------------------------------------ civil service


@dataclass(frozen=True)
class ShareLine:
    label: str
    count: int
    whole: int

    @property
    def share(self) -> Decimal | None:
        return percent(self.count, self.whole, 1)


@dataclass(frozen=True)
class StaffFigures:
    year: int
    allotted: int | None
    present: int
    ratings: Sequence[ShareLine] = ()
    rated: int = 0
    qualifications: Sequence[ShareLine] = ()
    trainings: Sequence[tuple[str, int]] = field(default_factory=tuple)


def staff_paragraphs(fig: StaffFigures, *, key: str = "staff") -> list[Block]:
    parts: list[Inline] = [f"Năm {fig.year}, "]
    if fig.allotted is not None:
        parts += ["tổng số biên chế được giao là ", count(fig.allotted, f"{key}.allotted"), "; "]
    parts += ["số cán bộ, công chức có mặt ", count(fig.present, f"{key}.present"), " người."]
    out: list[Block] = [Paragraph.of(*parts)]
    if fig.rated:
        rating_parts: list[Inline] = [
            "Kết quả đánh giá, xếp loại: ",
            count(fig.rated, f"{key}.rated"),
            " người được đánh giá, trong đó ",
        ]
        shown = [r for r in fig.ratings if r.count]
        for i, r in enumerate(shown):
            rating_parts += [
                f"{r.label.lower()} ",
                count(r.count, f"{key}.ratings.{i}.count"),
                " người (",
                Figure(r.share, 1, percent=True, key=f"{key}.ratings.{i}.share"),
                ")",
                "; " if i < len(shown) - 1 else ".",
            ]
        out.append(Paragraph.of(*rating_parts))
    quals = [q for q in fig.qualifications if q.count]
    if quals:
        q_parts: list[Inline] = ["Trình độ chuyên môn: "]
        for i, q in enumerate(quals):
            q_parts += [
                f"{q.label} ",
                count(q.count, f"{key}.qualifications.{i}.count"),
                " người (",
                Figure(q.share, 1, percent=True, key=f"{key}.qualifications.{i}.share"),
                ")",
                "; " if i < len(quals) - 1 else ".",
            ]
        out.append(Paragraph.of(*q_parts))
    if fig.trainings:
        t_parts: list[Inline] = ["Đào tạo, bồi dưỡng trong năm: "]
        for i, (course, n) in enumerate(fig.trainings):
            t_parts += [
                count(n, f"{key}.trainings.{i}"),
                f" người {course}",
                "; " if i < len(fig.trainings) - 1 else ".",
            ]
        out.append(Paragraph.of(*t_parts))
    return out
