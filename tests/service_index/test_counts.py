from __future__ import annotations

import datetime as dt

import pytest

from cchc.dossiers.clock import Supplement
from cchc.dossiers.periods import custom_period
from cchc.dossiers.workdays import WorkCalendar
from cchc.service_index.counts import (
    COUNT_NAMES,
    DossierRecord,
    FeedbackRecord,
    ProcedureRecord,
    RecordError,
    UnitData,
    compute_counts,
    group_by_unit,
)

from .conftest import OCTOBER, dossier

D = dt.date


def test_working_days_before_skips_tet(calendar: WorkCalendar) -> None:
    # Tết Giáp Thìn: 8/2–14/2/2024 off, so 5 working days before Mon 19/2 is Mon 5/2.
    assert calendar.working_days_before(D(2024, 2, 19), 5) == D(2024, 2, 5)
    assert calendar.working_days_before(D(2023, 10, 9), 5) == D(2023, 10, 2)


def test_on_time_rule_of_indicator_2_1(calendar: WorkCalendar) -> None:
    records = [
        dossier(code="early", due=D(2023, 10, 10), finished=D(2023, 10, 9)),
        dossier(code="on_time", due=D(2023, 10, 10), finished=D(2023, 10, 10)),
        dossier(code="late", due=D(2023, 10, 10), finished=D(2023, 10, 12)),
        # one supplement 4/10→6/10 stops the clock 2 working days: due 10/10 → 12/10
        dossier(
            code="one_supplement",
            due=D(2023, 10, 10),
            finished=D(2023, 10, 12),
            supplements=(Supplement(D(2023, 10, 4), D(2023, 10, 6)),),
        ),
        # a second supplement request makes it late whatever the dates
        dossier(
            code="two_supplements",
            due=D(2023, 10, 20),
            finished=D(2023, 10, 9),
            supplements=(
                Supplement(D(2023, 10, 3), D(2023, 10, 4)),
                Supplement(D(2023, 10, 5), D(2023, 10, 6)),
            ),
        ),
        # no end date: the period end (31/10) stands in
        dossier(code="open_in_time", received=D(2023, 10, 25), due=D(2023, 11, 10), finished=None),
        dossier(code="open_overdue", due=D(2023, 10, 20), finished=None),
        # still waiting for the applicant's supplement at the period end: clock stopped
        dossier(
            code="waiting_supplement",
            due=D(2023, 10, 25),
            finished=None,
            supplements=(Supplement(D(2023, 10, 20), None),),
        ),
        # carried over from September, finished early in October: processed in the period
        dossier(
            code="carried", received=D(2023, 9, 20), due=D(2023, 10, 5), finished=D(2023, 10, 4)
        ),
        # finished in September: not in October at all
        dossier(code="old", received=D(2023, 9, 1), due=D(2023, 9, 20), finished=D(2023, 9, 15)),
        # no due date is never late
        dossier(code="no_due", received=D(2023, 10, 16), due=None, finished=None),
        # finished only after the period end: overdue at 31/10
        dossier(code="finished_after", due=D(2023, 10, 10), finished=D(2023, 11, 3)),
    ]
    counts = compute_counts(UnitData("X", dossiers=records), OCTOBER, calendar)
    assert counts["dossiers.received_or_processed"] == 11
    # early, on_time, one_supplement, open_in_time, waiting_supplement, carried, no_due
    assert counts["dossiers.on_time_766"] == 7
    # late, two_supplements, open_overdue, finished_after
    assert counts["dossiers.late_766"] == 4
    assert counts["dossiers.received"] == 10  # carried and old were received before


def test_supplement_time_is_what_saves_the_dossier(calendar: WorkCalendar) -> None:
    without = dossier(due=D(2023, 10, 10), finished=D(2023, 10, 12))
    with_one = dossier(
        due=D(2023, 10, 10),
        finished=D(2023, 10, 12),
        supplements=(Supplement(D(2023, 10, 4), D(2023, 10, 6)),),
    )
    with_two = dossier(
        due=D(2023, 10, 10),
        finished=D(2023, 10, 12),
        supplements=(
            Supplement(D(2023, 10, 4), D(2023, 10, 5)),
            Supplement(D(2023, 10, 5), D(2023, 10, 6)),
        ),
    )
    on_time = [
        compute_counts(UnitData("X", dossiers=[d]), OCTOBER, calendar)["dossiers.on_time_766"]
        for d in (without, with_one, with_two)
    ]
    assert on_time == [0, 1, 0]


def test_procedure_counts(calendar: WorkCalendar, procedures: list[ProcedureRecord]) -> None:
    counts = compute_counts(UnitData("X", procedures=procedures), OCTOBER, calendar)
    # 1.1: P1 on time; P2 late; P5 announced twice, once late; P3 has no effective date
    assert (counts["procedures.announced_on_time"], counts["procedures.announced"]) == (1, 3)
    # 1.2: P1, P3 (deadline after the period), P5 on time; P2 late
    assert (counts["procedures.published_on_time"], counts["procedures.to_publish"]) == (3, 4)
    # catalogue at 31/10: P1..P5 (P6 announced in November); P5 is its latest announcement
    assert counts["procedures.total"] == 5
    assert (counts["procedures.published_complete"], counts["procedures.published"]) == (3, 4)
    assert counts["procedures.online"] == 3
    assert counts["procedures.with_fee"] == 2
    assert counts["procedures.with_fee_payment_integrated"] == 1
    assert counts["procedures.with_fee_paid_online"] == 0  # no dossiers given


def test_announcement_deadline_counts_working_days_over_tet(calendar: WorkCalendar) -> None:
    period = custom_period(D(2024, 1, 15), D(2024, 2, 14))
    on_time = ProcedureRecord("A", announced=D(2024, 2, 5), legal_basis_effective=D(2024, 2, 19))
    late = ProcedureRecord("B", announced=D(2024, 2, 6), legal_basis_effective=D(2024, 2, 19))
    counts = compute_counts(UnitData("X", procedures=[on_time, late]), period, calendar)
    assert (counts["procedures.announced_on_time"], counts["procedures.announced"]) == (1, 2)


def test_dossier_flag_counts(
    calendar: WorkCalendar,
    flag_dossiers: list[DossierRecord],
    procedures: list[ProcedureRecord],
) -> None:
    counts = compute_counts(
        UnitData("X", dossiers=flag_dossiers, procedures=procedures), OCTOBER, calendar
    )
    expected = {
        "dossiers.received": 5,
        "dossiers.received_synced": 4,
        "dossiers.received_online": 2,
        "dossiers.full_process_eligible": 3,  # a, b (P1) and c (P5, latest: full)
        "dossiers.full_process_online": 2,
        "dossiers.fee_required": 3,
        "dossiers.paid_online": 1,
        "dossiers.finished": 4,
        "dossiers.finished_paper_result": 3,  # d returns no paper result
        "dossiers.finished_result_electronic": 3,  # a e-result, b scanned, c e-result
        "dossiers.intake_digitized": 4,
        "dossiers.digitized_766": 3,  # a, b, d (c: no components; e: no result yet)
        "dossiers.certification": 1,
        "dossiers.e_certified_copy": 1,
        "dossiers.reused_data": 1,
        "dossiers.data_store_linked": 1,
        "dossiers.received_or_processed": 5,
        "dossiers.on_time_766": 4,
        "dossiers.late_766": 1,
        "dossiers.disliked_or_complained": 1,
        "dossiers.satisfaction_766": 3,  # 5 − 1 late − 1 complained (the same dossier)
        "procedures.with_fee_paid_online": 1,  # P1, through dossier a
    }
    assert {k: counts[k] for k in expected} == expected


def test_feedback_counts(calendar: WorkCalendar, feedback: list[FeedbackRecord]) -> None:
    counts = compute_counts(UnitData("X", feedback=feedback), OCTOBER, calendar)
    assert counts["feedback.received_or_processed"] == 8  # f7 is September's
    assert counts["feedback.on_time"] == 4  # f1, f4, f5, f6
    assert counts["feedback.late"] == 4  # f2, f3, f8, f9
    assert counts["feedback.satisfied_766"] == 2  # f1, f4


def test_every_name_is_present_even_with_no_data(calendar: WorkCalendar) -> None:
    counts = compute_counts(UnitData("X"), OCTOBER, calendar)
    assert set(counts) == COUNT_NAMES
    assert set(counts.values()) == {0}


def test_bad_records_are_refused() -> None:
    with pytest.raises(RecordError) as err:
        dossier(code="H9", channel="fax")
    assert (err.value.record, err.value.field) == ("H9", "channel")
    with pytest.raises(RecordError) as err:
        dossier(code="H8", finished=D(2023, 9, 1))
    assert err.value.field == "finished"
    with pytest.raises(RecordError) as err:
        ProcedureRecord("P", online_class="level4")  # type: ignore[arg-type]
    assert err.value.field == "online_class"
    with pytest.raises(RecordError):
        FeedbackRecord("F", "X", D(2023, 10, 5), answered=D(2023, 10, 1))


def test_group_by_unit(
    flag_dossiers: list[DossierRecord], procedures: list[ProcedureRecord]
) -> None:
    other = dossier(code="y1", unit="Y")
    shared = group_by_unit(["X", "Y", "Z"], dossiers=[*flag_dossiers, other], procedures=procedures)
    assert [len(u.dossiers) for u in shared] == [5, 1, 0]
    assert all(len(u.procedures) == len(procedures) for u in shared)
    per_unit = group_by_unit(["X", "Y"], procedures={"X": procedures})
    assert [len(u.procedures) for u in per_unit] == [len(procedures), 0]
