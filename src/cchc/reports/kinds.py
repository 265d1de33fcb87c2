"""The kinds of report the system writes, as data: what period each covers, how it is
named on the command line, which document kind and symbol it carries (ND 30/2020 Phụ lục
III: BC = báo cáo, TB = thông báo), and whether it is filed with the level above.

Plain module: no Django import.
"""

from __future__ import annotations

from dataclasses import dataclass

ERR_UNKNOWN_KIND = "Loại báo cáo '{kind}' không có; dùng một trong: {choices}"
ERR_PERIOD_KIND = "Báo cáo «{label}» cần kỳ {expected} (ví dụ {example}), không phải '{period}'."


@dataclass(frozen=True)
class ReportKind:
    code: str  # stored value
    cli: str  # `cchc report KIND`
    label: str
    period_kind: str  # "quarter" | "half" | "year": the Period kind the report covers
    example: str  # an example period code for messages
    document_kind: str  # BÁO CÁO | THÔNG BÁO | BIỂU MẪU
    symbol_prefix: str  # BC | TB | "" (a statistics form has no number/symbol)
    filed: bool  # submitted to the level above and shown in the filing matrix
    needs_cycle: bool = False  # built from a published evaluation cycle
    needs_inspection: bool = False  # built from a plans.Inspection


UNIT_QUARTERLY = ReportKind(
    "unit_quarterly",
    "unit-quarterly",
    "Báo cáo CCHC quý",
    "quarter",
    "2023-Q1",
    "BÁO CÁO",
    "BC",
    filed=True,
)
UNIT_HALF_YEAR = ReportKind(
    "unit_half_year",
    "unit-half-year",
    "Báo cáo CCHC 6 tháng",
    "half",
    "2023-H1",
    "BÁO CÁO",
    "BC",
    filed=True,
)
UNIT_ANNUAL = ReportKind(
    "unit_annual", "unit-annual", "Báo cáo CCHC năm", "year", "2023", "BÁO CÁO", "BC", filed=True
)
PROVINCE_ANNUAL = ReportKind(
    "province_annual",
    "province-annual",
    "Báo cáo tổng kết CCHC năm của tỉnh/huyện",
    "year",
    "2021",
    "BÁO CÁO",
    "BC",
    filed=False,
    needs_cycle=False,
)
INDEX_RESULTS = ReportKind(
    "index_results",
    "index-results",
    "Thông báo kết quả Chỉ số CCHC",
    "year",
    "2022",
    "THÔNG BÁO",
    "TB",
    filed=False,
    needs_cycle=True,
)
SELF_INSPECTION = ReportKind(
    "self_inspection",
    "self-inspection",
    "Thông báo kết quả tự kiểm tra CCHC",
    "year",
    "2023",
    "THÔNG BÁO",
    "TB",
    filed=False,
    needs_inspection=True,
)
TT01_FORM = ReportKind(
    "tt01_form",
    "tt01-form",
    "Biểu thống kê TTHC (Biểu 06, TT 01/2020)",
    "any",
    "2023-Q1",
    "BIỂU MẪU",
    "",
    filed=False,
)

KINDS: tuple[ReportKind, ...] = (
    UNIT_QUARTERLY,
    UNIT_HALF_YEAR,
    UNIT_ANNUAL,
    PROVINCE_ANNUAL,
    INDEX_RESULTS,
    SELF_INSPECTION,
    TT01_FORM,
)
BY_CODE = {k.code: k for k in KINDS}
BY_CLI = {k.cli: k for k in KINDS}
CHOICES = [(k.code, k.label) for k in KINDS]
FILED_KINDS = tuple(k for k in KINDS if k.filed)
# The periodic report a unit files for a period kind.
FILED_BY_PERIOD = {k.period_kind: k for k in FILED_KINDS}

PERIOD_KIND_LABELS = {
    "quarter": "quý (2023-Q1)",
    "half": "6 tháng (2023-H1)",
    "year": "năm (2023)",
}


class KindError(ValueError):
    code = "kind"


def kind_for(name: str) -> ReportKind:
    """A kind by its stored code (unit_quarterly) or its command-line name (unit-quarterly)."""
    kind = BY_CODE.get(name) or BY_CLI.get(name)
    if kind is None:
        raise KindError(ERR_UNKNOWN_KIND.format(kind=name, choices=", ".join(k.cli for k in KINDS)))
    return kind


def check_period_kind(kind: ReportKind, period_kind: str, period_code: str) -> None:
    """A quarterly report needs a quarter, and so on; the statistics form takes any period."""
    if kind.period_kind in ("any", period_kind):
        return
    raise KindError(
        ERR_PERIOD_KIND.format(
            label=kind.label,
            expected=PERIOD_KIND_LABELS[kind.period_kind],
            example=kind.example,
            period=period_code,
        )
    )
