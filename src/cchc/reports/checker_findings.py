"""What the report checker finds: the kinds of statement it checks, their labels and
messages, a Finding (a statement that does not add up), a Check (every statement verified)
and the collector the checks report to. Plain module: no Django import."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from cchc.reports.checker_reading import _Doc, _Token
from cchc.reports.textextract import Location

Kind = Literal[
    "share",
    "total",
    "change",
    "sum",
    "rank",
    "ratio",
    "score",
    "list_count",
    "parts",
    "denominator",
    "years",
    "date",
    "keep_with_next",
    "widow",
    "short_line",
]


KIND_LABELS: dict[str, str] = {
    "share": "Tỷ lệ không khớp",
    "total": "Tổng không khớp",
    "change": "Mức tăng/giảm không khớp",
    "sum": "Tổng điểm thành phần không khớp",
    "rank": "Thứ hạng vô lý",
    "ratio": "Tỷ số vô lý",
    "score": "Điểm vượt điểm tối đa",
    "list_count": "Số lượng không khớp danh sách",
    "parts": "Các phần lớn hơn tổng",
    "denominator": "Mẫu số của tỷ lệ trái với số liệu nêu cùng chỗ",
    "years": "Tổng nhiều năm bằng số của một năm",
    "date": "Ngày tháng viết sai thể thức",
    "keep_with_next": "Đề mục, dòng dẫn đứng một mình ở cuối trang",
    "widow": "Dòng cuối của đoạn chỉ có một từ",
    "short_line": "Đoạn văn xuống dòng sớm",
}


MSG_SHARE = "{num} trên {den} là {expected}%, nhưng báo cáo ghi {printed}%."


MSG_SHARE_BOUND = "{num} trên {den} là {expected}%, không {word} {printed}% như báo cáo ghi."


MSG_TOTAL = "{label} {printed} không khớp: {parts} = {expected}."


MSG_CHANGE = (
    "{a}{unit} − {b}{unit} = {expected}{point_unit}, nhưng báo cáo ghi {verb} {printed}{unit}"
    "{relative}."
)


MSG_CHANGE_REL = " (tính theo tỷ lệ tương đối cũng chỉ là {rel}%)"


MSG_SUM = "Cộng điểm các lĩnh vực: {parts} = {expected}, nhưng tổng điểm ghi {printed}."


MSG_RANK = "Xếp thứ {r}/{n}: thứ hạng không thể lớn hơn số đơn vị được xếp ({n})."


MSG_RATIO = "{r}/{n}: phần ({r}) lớn hơn tổng ({n})."


MSG_SCORE = "Đạt {r}/{n} điểm: điểm đạt lớn hơn điểm tối đa ({n})."


MSG_LIST = "Ghi {printed} {unit} nhưng danh sách kèm theo có {expected} tên."


MSG_PARTS = "{parts} = {expected}, lớn hơn {label} {printed}: phần không thể lớn hơn tổng."


MSG_DENOMINATOR = (
    "Tỷ lệ {pct}% tính trên {den} hồ sơ, nhưng cùng đoạn nêu {label} là {total} hồ sơ "
    "({num}/{total} = {expected}%)."
)


MSG_DATE = (
    "Ngày «{printed}» phải viết «{expected}»: ngày dưới 10 và tháng 1, 2 có số 0 ở trước, "
    "các tháng khác không (Nghị định 30/2020/NĐ-CP, Phụ lục I)."
)


MSG_YEARS = (
    "Tổng {years} năm ({span}) ghi {printed} {unit}, bằng đúng số của riêng năm {year}"
    "{expected_text}."
)


@dataclass(frozen=True)
class Finding:
    kind: Kind
    sentence: str
    location: Location
    expected: Decimal | str | None  # a date finding: the date as it should be written
    printed: Decimal | str  # a date finding: the date as the report writes it
    message: str

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "label": KIND_LABELS[self.kind],
            "location": self.location.label(),
            "line": self.location.line,
            "paragraph": self.location.paragraph,
            "page": self.location.page,
            "expected": None if self.expected is None else str(self.expected),
            "printed": str(self.printed),
            "message": self.message,
            "sentence": self.sentence,
        }


@dataclass(frozen=True)
class Check:
    """One statement the checker recognised and verified, whether it adds up or not."""

    kind: Kind
    location: Location
    printed: Decimal | str
    expected: Decimal | str | None
    ok: bool


class _Collector:
    def __init__(self) -> None:
        self.findings: list[Finding] = []
        self.checks: list[Check] = []
        self._seen: set[tuple[str, str, str, str]] = set()

    def check(
        self,
        doc: _Doc,
        tok: _Token,
        kind: Kind,
        *,
        ok: bool,
        printed: Decimal,
        expected: Decimal | None,
        message: str = "",
    ) -> None:
        self.check_at(
            doc, tok.start, tok.sentence, kind,
            ok=ok, printed=printed, expected=expected, message=message,
        )  # fmt: skip

    def check_at(
        self,
        doc: _Doc,
        start: int,
        sentence_index: int,
        kind: Kind,
        *,
        ok: bool,
        printed: Decimal | str,
        expected: Decimal | str | None,
        message: str = "",
    ) -> None:
        # The figure's own line, not the sentence start: sentences run over many lines.
        loc = doc.para.location_at(start)
        key = (kind, loc.label(), str(printed), str(expected))
        if key in self._seen:
            return
        self._seen.add(key)
        self.checks.append(Check(kind, loc, printed, expected, ok))
        if not ok:
            sentence = doc.sentence_text(sentence_index)
            self.findings.append(Finding(kind, sentence, loc, expected, printed, message))
