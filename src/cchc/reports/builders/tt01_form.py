"""The statistics form of Thông tư 01/2020/TT-VPCP (Biểu số 06/VPCP/KSTT): received,
resolved and pending dossiers per field (or per unit for an area), on a landscape page.

Built from plain statistics (``UnitStats``); the columns, their numbers and definitions
come from ``cchc.dossiers.form06`` so the form reads the same as the dossier pages.
TT 05/2025/TT-VPCP replaces the form from 15/2/2026; a new template version will sit
beside this one (DESIGN: report templates are versioned).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cchc.documents.document import (
    AdministrativeDocument,
    Block,
    Column,
    Figure,
    HeaderGroup,
    Paragraph,
    Table,
)
from cchc.dossiers.form06 import (
    FIGURES,
    FORM_BASIS,
    FORM_CODE,
    RATE_NOTE,
    RATES,
    UNIT_OF_COUNT,
    FormRow,
)
from cchc.dossiers.periods import Period
from cchc.dossiers.stats import TOTAL_KEY, UnitStats
from cchc.reports.builders.common import LANDSCAPE, Frame, count, make_document
from cchc.reports.wording import period_range

FORM_VERSION = "tt01-2020"


@dataclass(frozen=True)
class FormData:
    period: Period
    rows: Sequence[tuple[str, UnitStats]]  # per field or per unit, without the total
    total: UnitStats
    row_heading: str = "Lĩnh vực"
    receiver: str = ""  # "UBND thành phố Hải Phòng"


def form_table(data: FormData) -> Table:
    body = []
    for number, (label, stats) in enumerate(data.rows, start=1):
        body.append((str(number), label, *FormRow.of(label, stats).figures()))
    total = FormRow.of(TOTAL_KEY, data.total, is_total=True)
    # The total row's figures are keyed: they are what the form reports.
    totals = (
        "",
        "Tổng cộng",
        *(
            Figure(value, 0, key=f"form06.{spec.key}")
            for spec, value in zip(FIGURES, total.figures(), strict=True)
        ),
    )
    columns = [Column("STT", "center", 0.7), Column(data.row_heading, "left", 3.2)]
    titles = {
        "received_all": "Tổng số",
        "received_online": "Trực tuyến",
        "received_direct": "Trực tiếp và dịch vụ bưu chính",
        "carried_over": "Từ kỳ trước",
        "resolved_total": "Tổng số",
        "resolved_early": "Trước hạn",
        "resolved_on_time": "Đúng hạn",
        "resolved_late": "Quá hạn",
        "pending_total": "Tổng số",
        "pending_in_time": "Trong hạn",
        "pending_overdue": "Quá hạn",
    }
    for spec in FIGURES:
        columns.append(Column(f"{titles[spec.key]}\n{spec.column}", "right", 1.0, places=0))
    return Table(
        columns=tuple(columns),
        groups=(
            HeaderGroup("", 2),
            HeaderGroup("Số hồ sơ nhận giải quyết", 4),
            HeaderGroup("Số hồ sơ đã giải quyết", 4),
            HeaderGroup("Số hồ sơ đang giải quyết", 3),
        ),
        rows=tuple(body),
        totals=totals,
        caption="",
        note="(3) = (4) + (5) + (6); (7) = (8) + (9) + (10); (11) = (12) + (13); (3) = (7) + (11).",
        font_size=10,
    )


def rates_table(data: FormData) -> Table:
    rows = []
    for number, (label, stats) in enumerate(data.rows, start=1):
        rows.append((str(number), label, *FormRow.of(label, stats).rates()))
    total = FormRow.of(TOTAL_KEY, data.total, is_total=True)
    return Table(
        columns=(
            Column("STT", "center", 0.7),
            Column(data.row_heading, "left", 3.2),
            *(Column(f"{r.label}\n{r.column}", "right", 1.4, trim=False) for r in RATES),
        ),
        rows=tuple(rows),
        totals=(
            "",
            "Tổng cộng",
            *total.rates(),
        ),
        caption="Tỷ lệ (%) — chỉ tiêu bổ sung, không thuộc biểu",
        note=RATE_NOTE,
        font_size=10,
    )


def build_tt01_form(frame: Frame, data: FormData) -> AdministrativeDocument:
    p = data.period
    body: list[Block] = [
        Paragraph.of(f"{FORM_CODE}. {FORM_BASIS}.", italic=True, indent=False),
        Paragraph.of(
            f"Đơn vị báo cáo: {frame.full_name}"
            + (f". Đơn vị nhận báo cáo: {data.receiver}" if data.receiver else "")
            + f". {UNIT_OF_COUNT}.",
            indent=False,
        ),
        form_table(data),
        rates_table(data),
        Paragraph.of(
            "Tổng số hồ sơ nhận giải quyết trong kỳ: ",
            count(data.total.carried_over + data.total.received_total, "form06.received_sum"),
            "; đã giải quyết: ",
            count(data.total.resolved_total, "form06.resolved_total"),
            "; đang giải quyết: ",
            count(data.total.pending_total, "form06.pending_total"),
            ".",
            indent=False,
        ),
    ]
    for spec in FIGURES:
        body.append(
            Paragraph.of(
                f"{spec.column} {spec.label}: {spec.definition}", indent=False, italic=True
            )
        )
    doc = make_document(
        frame,
        kind="TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
        title=(
            "tại cơ quan, đơn vị trực tiếp giải quyết thủ tục hành chính",
            f"Kỳ báo cáo: {p.label} ({period_range(p)})",
        ),
        body=body,
        layout=LANDSCAPE,
    )
    from dataclasses import replace

    return replace(doc, show_number=False)
