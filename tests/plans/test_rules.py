"""The plain rules of plans, inspections and staffing figures (no database)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc.plans import rules
from cchc.plans.rules import DONE, IN_PROGRESS, LATE, NOT_STARTED, Item

TODAY = dt.date(2023, 9, 18)


# --- status -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stored", "due", "expected"),
    [
        (NOT_STARTED, dt.date(2023, 9, 17), LATE),  # deadline passed yesterday
        (IN_PROGRESS, dt.date(2023, 9, 17), LATE),
        (DONE, dt.date(2023, 9, 17), DONE),  # done is never late
        (NOT_STARTED, dt.date(2023, 9, 18), NOT_STARTED),  # due today: not yet late
        (IN_PROGRESS, dt.date(2023, 12, 31), IN_PROGRESS),
        (NOT_STARTED, None, NOT_STARTED),  # no deadline never reads as late
    ],
)
def test_late_is_derived_from_the_deadline(stored, due, expected):
    assert rules.derive_status(stored, due, TODAY) == expected


def test_a_stored_late_status_is_refused():
    with pytest.raises(ValueError):
        rules.derive_status(LATE, None, TODAY)


def test_due_soon_is_within_fourteen_days_and_not_done():
    assert rules.is_due_soon(IN_PROGRESS, TODAY, TODAY)
    assert rules.is_due_soon(NOT_STARTED, TODAY + dt.timedelta(days=14), TODAY)
    assert not rules.is_due_soon(NOT_STARTED, TODAY + dt.timedelta(days=15), TODAY)
    assert not rules.is_due_soon(NOT_STARTED, TODAY - dt.timedelta(days=1), TODAY)  # late
    assert not rules.is_due_soon(DONE, TODAY, TODAY)
    assert not rules.is_due_soon(NOT_STARTED, None, TODAY)


def test_done_late_means_finished_after_the_deadline():
    assert rules.done_late(DONE, dt.date(2023, 6, 12), dt.date(2023, 6, 18))
    assert not rules.done_late(DONE, dt.date(2023, 6, 12), dt.date(2023, 6, 12))
    assert not rules.done_late(IN_PROGRESS, dt.date(2023, 6, 12), None)


def test_a_parent_takes_its_progress_from_its_children():
    assert rules.rollup([DONE, DONE]) == DONE
    assert rules.rollup([DONE, NOT_STARTED]) == IN_PROGRESS
    assert rules.rollup([IN_PROGRESS, NOT_STARTED]) == IN_PROGRESS
    assert rules.rollup([NOT_STARTED, NOT_STARTED]) == NOT_STARTED


def _plan():
    """Objective 1 with task 1.1 (two activities) and task 1.2 (no activity)."""
    return [
        Item("1", None, NOT_STARTED, dt.date(2023, 12, 31), component="1"),
        Item("1.1", "1", NOT_STARTED, dt.date(2023, 3, 31)),
        Item("1.1.1", "1.1", DONE, dt.date(2023, 1, 15), dt.date(2023, 1, 10)),
        Item("1.1.2", "1.1", IN_PROGRESS, dt.date(2023, 3, 31)),  # late on 18/9
        Item("1.2", "1", DONE, dt.date(2023, 6, 30), dt.date(2023, 6, 20), component="1"),
        Item("3", None, NOT_STARTED, dt.date(2023, 12, 31), component="3"),
        Item("3.1", "3", NOT_STARTED, dt.date(2023, 9, 30)),  # due soon
    ]


def test_completion_counts_leaves_only():
    c = rules.completion(_plan(), TODAY)
    assert (c.total, c.done, c.late, c.due_soon, c.not_started) == (4, 2, 1, 1, 1)
    assert c.rate == Decimal("50.00")


def test_effective_status_rolls_up():
    stored = rules.effective_stored(_plan())
    assert stored["1.1"] == IN_PROGRESS
    assert stored["1"] == IN_PROGRESS
    assert stored["3"] == NOT_STARTED


def test_completion_per_component_inherits_the_parents_component():
    by = rules.completion_by_component(_plan(), TODAY)
    assert set(by) == {"1", "3"}
    assert (by["1"].total, by["1"].done) == (3, 2)
    assert by["1"].rate == Decimal("66.67")
    assert by["3"].rate == Decimal("0.00")


def test_completion_as_of_a_date_ignores_work_done_later():
    items = [Item("a", None, DONE, dt.date(2023, 6, 30), dt.date(2023, 7, 5))]
    assert rules.completion(items, TODAY).rate == Decimal("100.00")
    assert rules.completion(items, TODAY, as_of=dt.date(2023, 6, 30)).rate == Decimal("0.00")


def test_nothing_to_do_has_no_rate():
    assert rules.completion([], TODAY).rate is None


def test_seed_004_size_of_a_plan():
    """26 objectives, 40 tasks, 70 activities: codes of three levels parse and count."""
    codes = []
    for o in range(1, 27):
        codes.append(str(o))
    for t in range(40):
        codes.append(f"{t % 26 + 1}.{t // 26 + 1}")
    for a in range(70):
        codes.append(f"{a % 40 % 26 + 1}.{a % 40 // 26 + 1}.{a // 40 + 1}")
    levels = [rules.level_of(rules.parse_code(c)) for c in codes]
    assert levels.count("objective") == 26
    assert levels.count("task") == 40
    assert levels.count("activity") == 70


# --- cells of an imported plan ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("18/9/2023", dt.date(2023, 9, 18)),
        ("18/09/2023", dt.date(2023, 9, 18)),
        ("2023-09-18", dt.date(2023, 9, 18)),
        ("2023-09-18T00:00:00", dt.date(2023, 9, 18)),  # an Excel date cell
        ("Quý I", dt.date(2023, 3, 31)),
        ("quý iv", dt.date(2023, 12, 31)),
        ("Quý II/2024", dt.date(2024, 6, 30)),
        ("Tháng 2", dt.date(2023, 2, 28)),
        ("Cả năm", dt.date(2023, 12, 31)),
        ("Thường xuyên", dt.date(2023, 12, 31)),
        ("6 tháng đầu năm", dt.date(2023, 6, 30)),
        ("", None),
    ],
)
def test_deadlines_as_plans_write_them(text, expected):
    assert rules.parse_deadline(text, 2023) == expected


@pytest.mark.parametrize("text", ["31/2/2023", "sớm", "Quý V", "Tháng 13"])
def test_bad_deadlines_are_refused_with_a_reason(text):
    with pytest.raises(ValueError):
        rules.parse_deadline(text, 2023)


@pytest.mark.parametrize("code", ["1", "1.2", "12.3.4", "1.2."])
def test_codes(code):
    assert rules.parse_code(code)


@pytest.mark.parametrize("code", ["", "a", "1.2.3.4", "1..2", "I.1"])
def test_bad_codes(code):
    with pytest.raises(ValueError):
        rules.parse_code(code)


def test_statuses_in_vietnamese_and_late_refused():
    assert rules.parse_status("Hoàn thành") == DONE
    assert rules.parse_status("đang thực hiện") == IN_PROGRESS
    assert rules.parse_status("") == NOT_STARTED
    with pytest.raises(ValueError, match="tự xác định"):
        rules.parse_status("Quá hạn")


def test_shift_year_keeps_the_day_and_handles_29_february():
    assert rules.shift_year(dt.date(2023, 9, 18)) == dt.date(2024, 9, 18)
    assert rules.shift_year(dt.date(2024, 2, 29)) == dt.date(2025, 2, 28)
    assert rules.shift_year(None) is None


# --- shares -------------------------------------------------------------------------------


def test_seed_000_ratings_four_of_seventeen_is_23_5_percent():
    ratings = ["xuat_sac"] * 4 + ["tot"] * 13 + ["", ""]  # 19 present, 17 rated
    b = rules.rating_breakdown(ratings)
    assert b.whole == 17 and b.uncounted == 2
    assert b.get("xuat_sac").share == Decimal("23.5")
    assert b.get("tot").share == Decimal("76.5")
    assert rules.share_text(4, 17) == "4/17 (23,5%)"


def test_seed_000_year_2021_all_good():
    b = rules.rating_breakdown(["tot"] * 17)
    assert b.get("tot").share == Decimal("100.0")
    assert b.get("xuat_sac").share == Decimal("0.0")


def test_seed_000_qualifications_of_nineteen():
    """Thạc sỹ 2 (10,5%), Đại học 15, trung cấp 2 (10,5%). The report prints 79% for 15/19;
    the rule prints 78,9% (one decimal, half-up)."""
    b = rules.breakdown(
        ["thac_si"] * 2 + ["dai_hoc"] * 15 + ["trung_cap"] * 2,
        rules.QUALIFICATIONS,
        rules.QUALIFICATION_LABELS,
    )
    assert b.get("thac_si").share == Decimal("10.5")
    assert b.get("dai_hoc").share == Decimal("78.9")


def test_share_rounds_half_up():
    assert rules.share(1, 8) == Decimal("12.5")
    assert rules.share(1, 16) == Decimal("6.3")  # 6.25 -> 6.3, not banker's 6.2
    assert rules.share(0, 0) is None


def test_unknown_category_is_an_error():
    with pytest.raises(ValueError):
        rules.rating_breakdown(["gioi"])


def test_training_counts_each_person_once_per_course():
    counts = rules.training_counts(
        [
            ["Trung cấp LLCT", "trung cấp  LLCT"],
            ["Trung cấp LLCT", "Bồi dưỡng QLNN ngạch chuyên viên"],
            [],
        ]
    )
    assert counts == [("Trung cấp LLCT", 2), ("Bồi dưỡng QLNN ngạch chuyên viên", 1)]
    assert rules.split_courses("A; B\nC;") == ["A", "B", "C"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hoàn thành xuất sắc nhiệm vụ", "xuat_sac"),
        ("HOÀN THÀNH TỐT", "tot"),
        ("htnv", "hoan_thanh"),
        ("Không hoàn thành nhiệm vụ", "khong_hoan_thanh"),
        ("", ""),
    ],
)
def test_ratings_read_from_cells(text, expected):
    assert rules.parse_choice(text, rules.RATING_LABELS, rules.RATING_ALIASES) == expected


# --- inspections --------------------------------------------------------------------------


def test_seed_004_coverage_12_of_23_communes_6_of_12_agencies_is_over_50_percent():
    units = [(f"x{i}", "commune") for i in range(22)] + [("tt", "town")]
    units += [(f"p{i}", "department") for i in range(12)]
    inspected = [f"x{i}" for i in range(11)] + ["tt"] + [f"p{i}" for i in range(6)]
    cov = rules.coverage(units, inspected + ["x0"])  # inspected twice counts once
    communes, agencies = cov.rows
    assert (communes.inspected, communes.total, communes.share) == (12, 23, Decimal("52.2"))
    assert (agencies.inspected, agencies.total, agencies.share) == (6, 12, Decimal("50.0"))
    assert (cov.inspected, cov.total) == (18, 35)
    assert cov.share == Decimal("51.4")
    assert cov.phrase == "trên 50%"


@pytest.mark.parametrize(
    ("value", "phrase"),
    [
        (Decimal("51.4"), "trên 50%"),
        (Decimal("50.0"), "50%"),
        (Decimal("100.0"), "100%"),
        (Decimal("79.0"), "trên 70%"),
        (Decimal("6.7"), "6,7%"),
        (None, "không có số liệu"),
    ],
)
def test_at_least_phrase(value, phrase):
    assert rules.at_least_phrase(value) == phrase


def test_seed_002_recommendation_reported_before_18_9_2023():
    due = dt.date(2023, 9, 18)
    assert rules.recommendation_status(due, None, None, dt.date(2023, 9, 1)) == rules.REC_OPEN
    assert rules.recommendation_status(due, None, None, dt.date(2023, 9, 19)) == rules.REC_OVERDUE
    assert rules.recommendation_status(due, due, None, dt.date(2023, 10, 1)) == rules.REC_REPORTED
    assert (
        rules.recommendation_status(due, dt.date(2023, 9, 20), None, dt.date(2023, 10, 1))
        == rules.REC_REPORTED_LATE
    )
    assert (
        rules.recommendation_status(due, None, dt.date(2023, 9, 30), dt.date(2023, 10, 1))
        == rules.REC_CLOSED
    )


def test_seed_001_registration_by_10_april_2023():
    deadline = dt.date(2023, 4, 10)
    assert not rules.registered_late(dt.date(2023, 4, 10), deadline)
    assert rules.registered_late(dt.date(2023, 4, 11), deadline)
    assert not rules.registered_late(dt.date(2023, 4, 11), None)


# --- invariants ---------------------------------------------------------------------------

statuses = st.sampled_from([NOT_STARTED, IN_PROGRESS, DONE])
dates = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2026, 12, 31))


@st.composite
def plans(draw):
    """A random three-level plan."""
    items = []
    for o in range(draw(st.integers(0, 4))):
        okey = f"{o + 1}"
        items.append(
            Item(okey, None, draw(statuses), draw(st.none() | dates), None, str(o % 7 + 1))
        )
        for t in range(draw(st.integers(0, 3))):
            tkey = f"{okey}.{t + 1}"
            items.append(Item(tkey, okey, draw(statuses), draw(st.none() | dates)))
            for a in range(draw(st.integers(0, 3))):
                items.append(Item(f"{tkey}.{a + 1}", tkey, draw(statuses), draw(st.none() | dates)))
    return items


@given(plans(), dates)
def test_completion_counts_add_up(items, today):
    c = rules.completion(items, today)
    assert c.done + c.in_progress + c.not_started + c.late == c.total == len(rules.leaves(items))
    assert c.due_soon <= c.in_progress + c.not_started
    if c.total:
        assert Decimal(0) <= c.rate <= Decimal(100)
    else:
        assert c.rate is None


@given(plans(), dates)
def test_components_partition_the_leaves(items, today):
    by = rules.completion_by_component(items, today)
    whole = rules.completion(items, today)
    assert sum(c.total for c in by.values()) == whole.total
    assert sum(c.done for c in by.values()) == whole.done
    assert sum(c.late for c in by.values()) == whole.late


@given(plans())
def test_a_parent_is_done_exactly_when_all_its_leaves_are(items):
    stored = rules.effective_stored(items)
    children: dict = {}
    for i in items:
        children.setdefault(i.parent, []).append(i.key)
    for item in items:
        if item.key in children:
            assert (stored[item.key] == DONE) == all(stored[k] == DONE for k in children[item.key])


@given(statuses, st.none() | dates, dates)
def test_late_only_when_deadline_passed_and_not_done(stored, due, today):
    status = rules.derive_status(stored, due, today)
    assert (status == LATE) == (stored != DONE and due is not None and due < today)


@given(st.lists(st.sampled_from(list(rules.RATINGS) + [""]), max_size=60))
def test_rating_counts_add_up_to_the_rated(ratings):
    b = rules.rating_breakdown(ratings)
    assert sum(r.count for r in b.rows) == b.whole == len([r for r in ratings if r])
    assert b.uncounted == len(ratings) - b.whole
    if b.whole:
        total = sum(r.share for r in b.rows)
        # each share rounds to 0.05 at most: the printed shares stay close to 100
        assert abs(total - 100) <= Decimal("0.05") * len(b.rows)


@given(
    st.lists(st.tuples(st.integers(0, 30), st.sampled_from(list(rules.KIND_LEVEL))), max_size=40),
    st.lists(st.integers(0, 30), max_size=40),
)
def test_coverage_never_exceeds_the_units(units, inspected):
    unique = dict(units)
    cov = rules.coverage(unique.items(), inspected)
    assert cov.total == len(unique)
    assert all(r.inspected <= r.total for r in cov.rows)
    assert cov.inspected == len(set(inspected) & set(unique))
