"""The statistics form of Thông tư 01/2020/TT-VPCP (Biểu số 06/VPCP/KSTT): received,
resolved and pending dossiers per field (or per unit for an area), on a landscape page.

Built from plain statistics (``UnitStats``); the columns, their numbers and definitions
come from ``cchc.dossiers.form06`` so the form reads the same as the dossier pages.
TT 05/2025/TT-VPCP replaces the form from 15/2/2026; a new template version will sit
beside this one (DESIGN: report templates are versioned).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from cchc.core.coverage import NO_DATA, Coverage
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
    # What the data covers (cchc.core.coverage), as in the reports' dossier section: a
    # unit (or the whole form) without data is "chưa có số liệu", never a row of zeros.
    coverage: Coverage | None = None
    row_coverage: Mapping[str, Coverage] = field(default_factory=dict)

    @property
    def no_data(self) -> bool:
        return self.coverage is not None and self.coverage.state == "none"

    @property
    def carried_unknown(self) -> bool:
        """The data starts inside the period: what came from the period before is unknown,
        and a 0 in column (6) would stand for missing data."""
        cov = self.coverage
        return cov is not None and cov.first is not None and cov.first > cov.start

    def row_state(self, label: str) -> tuple[str, bool]:
        """(the printed label, whether the row has data): a unit without data keeps its
        row and says so; a partly covered unit says which days, where the whole form
        does not already."""
        cov = self.row_coverage.get(label)
        if cov is None:
            return label, True
        if cov.state == "none":
            return f"{label} ({NO_DATA})", False
        whole = self.coverage.note() if self.coverage is not None else ""
        if cov.state == "partial" and cov.note() != whole:
            return f"{label} ({cov.note()})", True
        return label, True


# Column (6) of the form: carried over from the period before.
CARRIED_INDEX = [spec.key for spec in FIGURES].index("carried_over")


def _form_cells(figures: tuple, carried_unknown: bool) -> tuple:
    if not carried_unknown:
        return figures
    cells = list(figures)
    cells[CARRIED_INDEX] = "–"
    return tuple(cells)


def form_table(data: FormData) -> Table:
    body = []
    unknown = data.carried_unknown
    for number, (label, stats) in enumerate(data.rows, start=1):
        printed, has_data = data.row_state(label)
        cells = (
            _form_cells(FormRow.of(label, stats).figures(), unknown)
            if has_data
            else ("–",) * len(FIGURES)
        )
        body.append((str(number), printed, *cells))
    total = FormRow.of(TOTAL_KEY, data.total, is_total=True)
    if data.no_data:
        totals = ("", f"Tổng cộng ({NO_DATA})", *("–",) * len(FIGURES))
    else:
        # The total row's figures are keyed: they are what the form reports.
        totals = (
            "",
            "Tổng cộng",
            *_form_cells(
                tuple(
                    Figure(value, 0, key=f"form06.{spec.key}")
                    for spec, value in zip(FIGURES, total.figures(), strict=True)
                ),
                unknown,
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
        printed, has_data = data.row_state(label)
        cells = FormRow.of(label, stats).rates() if has_data else ("–",) * len(RATES)
        rows.append((str(number), printed, *cells))
    total = FormRow.of(TOTAL_KEY, data.total, is_total=True)
    total_rates = ("–",) * len(RATES) if data.no_data else total.rates()
    return Table(
        columns=(
            Column("STT", "center", 0.7),
            Column(data.row_heading, "left", 3.2),
            *(Column(f"{r.label}\n{r.column}", "right", 1.4, trim=False) for r in RATES),
        ),
        rows=tuple(rows),
        totals=(
            "",
            f"Tổng cộng ({NO_DATA})" if data.no_data else "Tổng cộng",
            *total_rates,
        ),
        caption="Tỷ lệ (%) — chỉ tiêu bổ sung, không thuộc biểu",
        note=RATE_NOTE,
        font_size=10,
    )


def summary(data: FormData) -> Paragraph:
    """The form's totals in one sentence, or what the data lacks."""
    p = data.period
    if data.no_data:
        return Paragraph.of(
            f"Trong kỳ ({period_range(p)}): {NO_DATA} hồ sơ thủ tục hành chính trên hệ thống "
            "(dữ liệu từ phần mềm Một cửa chưa được nhập cho kỳ này).",
            indent=False,
        )
    note = data.coverage.note() if data.coverage is not None else ""
    units = [label for label, _ in data.rows if not data.row_state(label)[1]]
    notes = [
        n
        for n in (note, f"{NO_DATA} của {len(units)}/{len(data.rows)} đơn vị" if units else "")
        if n
    ]
    span = f" ({'; '.join(notes)})" if notes else ""
    carried: list = [f" (từ kỳ trước chuyển qua: {NO_DATA})"] if data.carried_unknown else []
    return Paragraph.of(
        f"Tổng số hồ sơ nhận giải quyết trong kỳ{span}: ",
        count(data.total.carried_over + data.total.received_total, "form06.received_sum"),
        *carried,
        "; đã giải quyết: ",
        count(data.total.resolved_total, "form06.resolved_total"),
        "; đang giải quyết: ",
        count(data.total.pending_total, "form06.pending_total"),
        ".",
        indent=False,
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
        summary(data),
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
    return replace(doc, show_number=False)
