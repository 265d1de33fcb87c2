"""Rules of plans, inspections and civil-service figures, over plain data (no Django).

- Status of a plan item ("5 rõ": rõ thời gian): stored as chưa thực hiện / đang thực hiện /
  hoàn thành; **quá hạn** is never stored but derived: the deadline has passed (it is before
  today) and the item is not done. An item without a deadline is never late.
- A parent item (objective, task with activities) takes its progress from its children:
  done when all are done, in progress when any has started, and it is late by its own
  deadline like any item.
- Completion rate of a plan = done leaves / all leaves × 100 (a leaf is an item without
  children: the activities, and the tasks or objectives that have none), so that work
  broken into more activities weighs more and nothing is counted twice.
- Shares of people (ratings, qualifications) and of units inspected print with one decimal,
  rounded half-up (seed 000: 4 of 17 = 23,5% xuất sắc).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from cchc.core.formatting import percent, vn_number

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
DONE = "done"
LATE = "late"

STORED_STATUSES = (NOT_STARTED, IN_PROGRESS, DONE)
STATUS_LABELS = {
    NOT_STARTED: "Chưa thực hiện",
    IN_PROGRESS: "Đang thực hiện",
    DONE: "Hoàn thành",
    LATE: "Quá hạn",
}
DUE_SOON_DAYS = 14

SHARE_PLACES = 1  # seed 000: "23,5%"


# --- status -------------------------------------------------------------------------------


def derive_status(stored: str, due_on: dt.date | None, today: dt.date) -> str:
    """The status people see: 'late' when the deadline is before today and it is not done."""
    if stored not in STORED_STATUSES:
        raise ValueError(f"unknown status {stored!r}")
    if stored == DONE:
        return DONE
    if due_on is not None and due_on < today:
        return LATE
    return stored


def is_due_soon(
    stored: str, due_on: dt.date | None, today: dt.date, days: int = DUE_SOON_DAYS
) -> bool:
    """Not done, not yet late, and due within `days` days (today included)."""
    if stored == DONE or due_on is None:
        return False
    return today <= due_on <= today + dt.timedelta(days=days)


def done_late(stored: str, due_on: dt.date | None, done_on: dt.date | None) -> bool:
    """Finished, but after its deadline ("hoàn thành muộn")."""
    return stored == DONE and due_on is not None and done_on is not None and done_on > due_on


def rollup(children: Sequence[str]) -> str:
    """Stored-equivalent status of a parent from its children's stored statuses."""
    if not children:
        raise ValueError("rollup needs at least one child")
    if all(s == DONE for s in children):
        return DONE
    if any(s in (DONE, IN_PROGRESS) for s in children):
        return IN_PROGRESS
    return NOT_STARTED


@dataclass(frozen=True)
class Item:
    """One objective, task or activity, as the rules see it."""

    key: object
    parent: object | None
    status: str  # stored status (ignored for parents: rolled up from the children)
    due_on: dt.date | None = None
    done_on: dt.date | None = None
    component: str | None = None


def effective_stored(items: Iterable[Item]) -> dict[object, str]:
    """Stored-equivalent status of every item: its own for a leaf, rolled up for a parent."""
    items = list(items)
    children: dict[object, list[Item]] = {}
    for item in items:
        children.setdefault(item.parent, []).append(item)
    result: dict[object, str] = {}

    def visit(item: Item, depth: int = 0) -> str:
        if item.key in result:
            return result[item.key]
        if depth > 50:
            raise ValueError("plan items form a cycle")
        kids = children.get(item.key, [])
        value = rollup([visit(k, depth + 1) for k in kids]) if kids else item.status
        result[item.key] = value
        return value

    for item in items:
        visit(item)
    return result


def leaves(items: Iterable[Item]) -> list[Item]:
    items = list(items)
    parents = {i.parent for i in items if i.parent is not None}
    return [i for i in items if i.key not in parents]


@dataclass(frozen=True)
class Completion:
    total: int
    done: int
    in_progress: int
    not_started: int
    late: int
    due_soon: int

    @property
    def rate(self) -> Decimal | None:
        """done / total × 100, 2 decimals half-up; None when there is nothing to do."""
        return percent(self.done, self.total)


def completion(items: Iterable[Item], today: dt.date, as_of: dt.date | None = None) -> Completion:
    """Counts over the leaves. as_of: count as done only what was done by that date."""
    counts = Counter()
    due_soon = 0
    leaf_items = leaves(items)
    for item in leaf_items:
        stored = item.status
        if stored == DONE and as_of is not None and item.done_on and item.done_on > as_of:
            stored = IN_PROGRESS
        status = derive_status(stored, item.due_on, today)
        counts[status] += 1
        due_soon += is_due_soon(stored, item.due_on, today)
    return Completion(
        total=len(leaf_items),
        done=counts[DONE],
        in_progress=counts[IN_PROGRESS],
        not_started=counts[NOT_STARTED],
        late=counts[LATE],
        due_soon=due_soon,
    )


def completion_by_component(items: Iterable[Item], today: dt.date) -> dict[str, Completion]:
    """Completion per CCHC component; a leaf without a component inherits its parent's."""
    items = list(items)
    by_key = {i.key: i for i in items}

    def component_of(item: Item) -> str:
        seen = 0
        while item.component is None and item.parent is not None and seen < 50:
            item = by_key[item.parent]
            seen += 1
        return item.component or ""

    groups: dict[str, list[Item]] = {}
    for leaf in leaves(items):
        groups.setdefault(component_of(leaf), []).append(leaf)
    return {code: completion(group, today) for code, group in sorted(groups.items())}


# --- codes and dates of an imported plan ---------------------------------------------------

LEVELS = ("objective", "task", "activity")
LEVEL_LABELS = {"objective": "Mục tiêu", "task": "Nhiệm vụ", "activity": "Hoạt động"}
_CODE = re.compile(r"^\d{1,3}(\.\d{1,3}){0,2}$")


def parse_code(code: str) -> tuple[int, ...]:
    """'1.2.3' -> (1, 2, 3): at most three levels (objective, task, activity)."""
    text = code.strip().rstrip(".")
    if not _CODE.match(text):
        raise ValueError("Mã phải có dạng 1 (mục tiêu), 1.2 (nhiệm vụ) hoặc 1.2.3 (hoạt động).")
    return tuple(int(part) for part in text.split("."))


def level_of(code: tuple[int, ...]) -> str:
    return LEVELS[len(code) - 1]


def code_text(code: tuple[int, ...]) -> str:
    return ".".join(str(p) for p in code)


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _plain(text: str) -> str:
    """Lower-case, no diacritics, single spaces: 'Quý  II' -> 'quy ii'."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return " ".join(stripped.lower().split())


def last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def parse_deadline(text: str, year: int) -> dt.date | None:
    """A deadline as plans write it: 18/9/2023, 2023-09-18, 'Quý II', 'Tháng 6',
    '6 tháng đầu năm', 'Cả năm' / 'Thường xuyên' (31/12 of the plan's year).

    Returns None for an empty cell; raises ValueError with a Vietnamese message otherwise.
    """
    raw = (text or "").strip()
    if not raw:
        return None
    iso = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+)?$", raw)
    if iso:
        return _date(int(iso[1]), int(iso[2]), int(iso[3]), raw)
    dmy = re.match(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$", raw)
    if dmy:
        return _date(int(dmy[3]), int(dmy[2]), int(dmy[1]), raw)
    plain = _plain(raw)
    quarter = re.match(r"^(?:quy|q)\s*([iv]+|[1-4])(?:\s*/\s*(\d{4}))?$", plain)
    if quarter and quarter[1] in _ROMAN:
        y = int(quarter[2]) if quarter[2] else year
        return last_day(y, _ROMAN[quarter[1]] * 3)
    month = re.match(r"^thang\s*(\d{1,2})(?:\s*/\s*(\d{4}))?$", plain)
    if month and 1 <= int(month[1]) <= 12:
        y = int(month[2]) if month[2] else year
        return last_day(y, int(month[1]))
    if plain in {"6 thang dau nam", "6 thang", "nua dau nam"}:
        return dt.date(year, 6, 30)
    if plain in {"ca nam", "thuong xuyen", "trong nam", "6 thang cuoi nam", "cuoi nam"}:
        return dt.date(year, 12, 31)
    raise ValueError(
        "Không hiểu thời hạn; dùng ngày (18/9/2023), 'Quý II', 'Tháng 6' hoặc 'Cả năm'."
    )


def _date(year: int, month: int, day: int, raw: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"Ngày không tồn tại: {raw}.") from None


def shift_year(value: dt.date | None, years: int = 1) -> dt.date | None:
    """The same day `years` later; 29/2 becomes 28/2."""
    if value is None:
        return None
    try:
        return value.replace(year=value.year + years)
    except ValueError:
        return value.replace(year=value.year + years, day=28)


_STATUS_WORDS = {
    "": NOT_STARTED,
    "chua thuc hien": NOT_STARTED,
    "chua": NOT_STARTED,
    "not_started": NOT_STARTED,
    "dang thuc hien": IN_PROGRESS,
    "dang": IN_PROGRESS,
    "in_progress": IN_PROGRESS,
    "hoan thanh": DONE,
    "da hoan thanh": DONE,
    "xong": DONE,
    "done": DONE,
}


def parse_status(text: str) -> str:
    """'Hoàn thành' -> done. 'Quá hạn' is refused: it is derived from the deadline."""
    plain = _plain(text or "")
    if plain in {"qua han", "late"}:
        raise ValueError(
            "'Quá hạn' được hệ thống tự xác định theo thời hạn; ghi 'Chưa thực hiện' "
            "hoặc 'Đang thực hiện'."
        )
    if plain not in _STATUS_WORDS:
        raise ValueError("Trạng thái là một trong: Chưa thực hiện, Đang thực hiện, Hoàn thành.")
    return _STATUS_WORDS[plain]


# --- shares -------------------------------------------------------------------------------


def share(part: int, whole: int, places: int = SHARE_PLACES) -> Decimal | None:
    """part / whole × 100, one decimal half-up; None when whole is 0."""
    return percent(part, whole, places)


def share_text(part: int, whole: int, places: int = SHARE_PLACES) -> str:
    """'4/17 (23,5%)' as reports write it; '0/0 (không có số liệu)'."""
    value = share(part, whole, places)
    shown = "không có số liệu" if value is None else vn_number(value, places) + "%"
    return f"{part}/{whole} ({shown})"


def at_least_phrase(value: Decimal | None) -> str:
    """Seed 004: 18 of 35 units = 51,4% is reported as 'trên 50%'.

    A whole multiple of ten prints as itself ('đạt 50%', 'đạt 100%'); otherwise 'trên' the
    multiple of ten below it; under 10% the share itself.
    """
    if value is None:
        return "không có số liệu"
    if value % 10 == 0:
        return f"{vn_number(value)}%"
    if value < 10:
        return f"{vn_number(value, SHARE_PLACES)}%"
    return f"trên {int(value // 10) * 10}%"


# --- inspections ----------------------------------------------------------------------------

LEVEL_COMMUNE = "commune"
LEVEL_DISTRICT = "district"
LEVEL_AGENCY = "agency"
COVERAGE_LEVEL_LABELS = {
    LEVEL_COMMUNE: "Cấp xã (xã, phường, thị trấn, đặc khu)",
    LEVEL_DISTRICT: "Cấp huyện (trước 7/2025)",
    LEVEL_AGENCY: "Cơ quan hành chính (sở, ban, ngành, phòng)",
}
# Unit kinds (cchc.units.models.UnitKind values) by the level the seeds count them at.
KIND_LEVEL = {
    "commune": LEVEL_COMMUNE,
    "ward": LEVEL_COMMUNE,
    "town": LEVEL_COMMUNE,
    "special_zone": LEVEL_COMMUNE,
    "district": LEVEL_DISTRICT,
    "department": LEVEL_AGENCY,
}


@dataclass(frozen=True)
class CoverageRow:
    level: str
    inspected: int
    total: int

    @property
    def label(self) -> str:
        return COVERAGE_LEVEL_LABELS[self.level]

    @property
    def share(self) -> Decimal | None:
        return share(self.inspected, self.total)


@dataclass(frozen=True)
class Coverage:
    rows: list[CoverageRow] = field(default_factory=list)

    @property
    def inspected(self) -> int:
        return sum(r.inspected for r in self.rows)

    @property
    def total(self) -> int:
        return sum(r.total for r in self.rows)

    @property
    def share(self) -> Decimal | None:
        return share(self.inspected, self.total)

    @property
    def phrase(self) -> str:
        return at_least_phrase(self.share)


def coverage(units: Iterable[tuple[object, str]], inspected: Iterable[object]) -> Coverage:
    """Share of units inspected per level. units: (unit key, unit kind) of every unit the
    inspecting body answers for; inspected: keys of units inspected at least once.
    A unit counts once however many inspections it had; kinds without a level are ignored."""
    done = set(inspected)
    totals: Counter[str] = Counter()
    hits: Counter[str] = Counter()
    for key, kind in units:
        level = KIND_LEVEL.get(kind)
        if level is None:
            continue
        totals[level] += 1
        hits[level] += key in done
    order = [LEVEL_COMMUNE, LEVEL_DISTRICT, LEVEL_AGENCY]
    return Coverage([CoverageRow(lv, hits[lv], totals[lv]) for lv in order if totals[lv]])


REC_OPEN = "open"
REC_OVERDUE = "overdue"
REC_REPORTED = "reported"
REC_REPORTED_LATE = "reported_late"
REC_CLOSED = "closed"
REC_LABELS = {
    REC_OPEN: "Chưa báo cáo",
    REC_OVERDUE: "Quá hạn, chưa báo cáo",
    REC_REPORTED: "Đã báo cáo khắc phục",
    REC_REPORTED_LATE: "Đã báo cáo (muộn)",
    REC_CLOSED: "Đã khắc phục xong",
}


def recommendation_status(
    due_on: dt.date | None,
    first_report_on: dt.date | None,
    closed_on: dt.date | None,
    today: dt.date,
) -> str:
    """Seed 002: 'báo cáo kết quả khắc phục về UBND xã trước ngày 18/9/2023'."""
    if closed_on is not None:
        return REC_CLOSED
    if first_report_on is not None:
        if due_on is not None and first_report_on > due_on:
            return REC_REPORTED_LATE
        return REC_REPORTED
    if due_on is not None and due_on < today:
        return REC_OVERDUE
    return REC_OPEN


def registered_late(registered_on: dt.date, deadline: dt.date | None) -> bool:
    """Seed 001: register breakthrough work 'trước ngày 10 tháng 4 năm 2023'; the deadline
    day itself is accepted, anything after it is flagged late."""
    return deadline is not None and registered_on > deadline


# --- civil-service figures ------------------------------------------------------------------

RATING_EXCELLENT = "xuat_sac"
RATING_GOOD = "tot"
RATING_DONE = "hoan_thanh"
RATING_FAILED = "khong_hoan_thanh"
# Nghị định 90/2020/NĐ-CP (amended by NĐ 48/2023/NĐ-CP): the four grades of a civil servant.
RATINGS = (RATING_EXCELLENT, RATING_GOOD, RATING_DONE, RATING_FAILED)
RATING_LABELS = {
    RATING_EXCELLENT: "Hoàn thành xuất sắc nhiệm vụ",
    RATING_GOOD: "Hoàn thành tốt nhiệm vụ",
    RATING_DONE: "Hoàn thành nhiệm vụ",
    RATING_FAILED: "Không hoàn thành nhiệm vụ",
}

QUALIFICATIONS = ("tien_si", "thac_si", "dai_hoc", "cao_dang", "trung_cap", "so_cap", "chua")
QUALIFICATION_LABELS = {
    "tien_si": "Tiến sĩ",
    "thac_si": "Thạc sĩ",
    "dai_hoc": "Đại học",
    "cao_dang": "Cao đẳng",
    "trung_cap": "Trung cấp",
    "so_cap": "Sơ cấp",
    "chua": "Chưa qua đào tạo",
}
POLITICAL = ("cao_cap", "trung_cap", "so_cap", "chua")
POLITICAL_LABELS = {
    "cao_cap": "Cao cấp, cử nhân",
    "trung_cap": "Trung cấp",
    "so_cap": "Sơ cấp",
    "chua": "Chưa qua đào tạo",
}
STATE_MANAGEMENT = ("cvcc", "cvc", "cv", "chua")
STATE_MANAGEMENT_LABELS = {
    "cvcc": "Chuyên viên cao cấp",
    "cvc": "Chuyên viên chính",
    "cv": "Chuyên viên",
    "chua": "Chưa bồi dưỡng",
}


@dataclass(frozen=True)
class CountRow:
    code: str
    label: str
    count: int
    whole: int

    @property
    def share(self) -> Decimal | None:
        return share(self.count, self.whole)


@dataclass(frozen=True)
class Breakdown:
    """Counts per category over a whole ('4 of 17 = 23,5%'); uncounted = left out of the whole."""

    rows: list[CountRow]
    whole: int
    uncounted: int = 0

    def get(self, code: str) -> CountRow:
        return next(r for r in self.rows if r.code == code)


def breakdown(
    values: Iterable[str | None], order: Sequence[str], labels: Mapping[str, str]
) -> Breakdown:
    """Count each category in `order`; blanks (None, '') are not part of the whole.

    Seed 000: 19 officers present, 17 rated; shares of ratings are over the 17 rated.
    """
    counts: Counter[str] = Counter()
    blank = 0
    for value in values:
        if not value:
            blank += 1
        elif value not in labels:
            raise ValueError(f"unknown category {value!r}")
        else:
            counts[value] += 1
    whole = sum(counts.values())
    return Breakdown([CountRow(c, labels[c], counts[c], whole) for c in order], whole, blank)


def rating_breakdown(ratings: Iterable[str | None]) -> Breakdown:
    return breakdown(ratings, RATINGS, RATING_LABELS)


def training_counts(courses_per_person: Iterable[Iterable[str]]) -> list[tuple[str, int]]:
    """People per course ('27 người đi học lớp Trung cấp LLCT'); a person counts once per
    course. Courses compare without case or extra spaces; the first spelling is kept."""
    spelling: dict[str, str] = {}
    counts: Counter[str] = Counter()
    for courses in courses_per_person:
        seen = set()
        for course in courses:
            name = " ".join(course.split())
            if not name:
                continue
            key = name.casefold()
            spelling.setdefault(key, name)
            if key not in seen:
                counts[key] += 1
                seen.add(key)
    return sorted(((spelling[k], n) for k, n in counts.items()), key=lambda kv: (-kv[1], kv[0]))


def split_courses(text: str) -> list[str]:
    """'Bồi dưỡng QLNN ngạch chuyên viên; Trung cấp LLCT' -> two courses."""
    return [c.strip() for c in re.split(r"[;\n]", text or "") if c.strip()]


def parse_choice(text: str, labels: Mapping[str, str], aliases: Mapping[str, str]) -> str:
    """A category from a cell: its code, its label or an alias, without diacritics or case."""
    plain = _plain(text or "")
    if not plain:
        return ""
    for code, label in labels.items():
        if plain in {code.replace("_", " "), code, _plain(label)}:
            return code
    if plain in aliases:
        return aliases[plain]
    raise ValueError("Giá trị không hợp lệ; dùng một trong: " + ", ".join(labels.values()) + ".")


RATING_ALIASES = {
    "xuat sac": RATING_EXCELLENT,
    "hoan thanh xuat sac": RATING_EXCELLENT,
    "httsnv": RATING_EXCELLENT,
    "htxsnv": RATING_EXCELLENT,
    "tot": RATING_GOOD,
    "hoan thanh tot": RATING_GOOD,
    "httnv": RATING_GOOD,
    "hoan thanh": RATING_DONE,
    "htnv": RATING_DONE,
    "khong hoan thanh": RATING_FAILED,
    "khtnv": RATING_FAILED,
}
QUALIFICATION_ALIASES = {
    "thac sy": "thac_si",
    "ths": "thac_si",
    "ts": "tien_si",
    "tien sy": "tien_si",
    "dh": "dai_hoc",
    "cu nhan": "dai_hoc",
    "ky su": "dai_hoc",
    "cd": "cao_dang",
    "tc": "trung_cap",
    "sc": "so_cap",
    "chua qua dao tao": "chua",
}
POLITICAL_ALIASES = {
    "cu nhan": "cao_cap",
    "cao cap": "cao_cap",
    "trung cap": "trung_cap",
    "tc": "trung_cap",
    "so cap": "so_cap",
    "sc": "so_cap",
    "chua": "chua",
}
STATE_MANAGEMENT_ALIASES = {
    "chuyen vien cao cap": "cvcc",
    "chuyen vien chinh": "cvc",
    "chuyen vien": "cv",
    "chua": "chua",
}
