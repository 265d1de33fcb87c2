"""A whole cycle through the services, and every forbidden step refused with nothing changed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from cchc.evaluations import selectors, services
from cchc.evaluations.models import (
    CycleState,
    CycleTransition,
    CycleUnitStatus,
    Evidence,
    PublishedResult,
    RemediationDuty,
    RemediationStatus,
    Score,
)
from cchc.evaluations.scoring import ERR_ABOVE_MAX, ERR_NEGATIVE
from tests.evaluations.conftest import (
    BLOCK,
    appraise_all,
    evidence_scores,
    fill_self_scores,
    in_a_week,
    score_of,
    survey_values,
)


def snapshot(setup):
    """Everything a refused action must leave unchanged."""
    return (
        list(Score.objects.order_by("pk").values()),
        list(setup.cycle.cycle_units.order_by("pk").values()),
        list(type(setup.cycle).objects.filter(pk=setup.cycle.pk).values()),
        Evidence.objects.count(),
        CycleTransition.objects.count(),
    )


def refused(setup, call, exc=PermissionDenied, match=None):
    before = snapshot(setup)
    with pytest.raises(exc) as info:
        call()
    if match is not None:
        assert match in str(info.value)
    assert snapshot(setup) == before
    return info.value


# --------------------------------------------------------------------------- opening


def test_cycle_open_creates_a_score_row_per_leaf(cast, draft_cycle, demo_framework):
    leaves = demo_framework.criteria.filter(is_leaf=True).count()
    assert draft_cycle.cycle.state == CycleState.DRAFT
    assert draft_cycle.dong_tam.scores.count() == leaves
    assert draft_cycle.dong_tam.block == BLOCK
    assert draft_cycle.dong_tam.status == CycleUnitStatus.NOT_STARTED
    s = score_of(draft_cycle.dong_tam, "3.2")
    assert s.max_points == Decimal("1")


def test_only_the_organisers_administrator_opens_a_cycle(cast, demo_framework):
    for person in (cast.officer, cast.head, cast.appraiser):
        with pytest.raises(PermissionDenied):
            services.cycle_open(
                framework=demo_framework,
                year=2024,
                name="X",
                organiser=cast.province,
                units={cast.dong_tam: BLOCK},
                measure_start=dt.date(2024, 1, 1),
                measure_end=dt.date(2024, 12, 31),
                by=person,
            )


def test_cycle_units_must_be_under_the_organiser(cast, demo_framework):
    with pytest.raises(services.EvaluationError) as info:
        services.cycle_open(
            framework=demo_framework,
            year=2024,
            name="X",
            organiser=cast.district,
            units={cast.department: "Khối sở"},
            measure_start=dt.date(2024, 1, 1),
            measure_end=dt.date(2024, 12, 31),
            by=cast.administrator,
        )
    assert "không thuộc phạm vi" in info.value.message


def test_draft_is_hidden_from_units_and_needs_units_to_open(cast, draft_cycle):
    assert list(selectors.cycles_for(cast.officer)) == []
    assert list(selectors.cycles_for(cast.administrator)) == [draft_cycle.cycle]
    services.cycle_remove_unit(cycle_unit=draft_cycle.dong_tam, by=cast.administrator)
    services.cycle_remove_unit(cycle_unit=draft_cycle.thanh_xa, by=cast.administrator)
    refused(
        draft_cycle,
        lambda: services.cycle_transition(
            cycle=draft_cycle.cycle, to_state=CycleState.SELF_ASSESSMENT, by=cast.administrator
        ),
        services.EvaluationError,
        services.ERR_NO_UNITS,
    )


def test_opening_takes_measured_values(cast, open_cycle, fake_metrics):
    s = score_of(open_cycle.dong_tam, "3.2")
    assert s.measured_value == Decimal("97.5")
    assert s.measured_points == Decimal("0.5")
    online = score_of(open_cycle.dong_tam, "3.3")
    assert online.measured_points == Decimal("3.2")
    unmeasured = score_of(open_cycle.dong_tam, "3.6")
    assert unmeasured.measured_value is None and unmeasured.measured_points is None
    unit, start, end, _names = fake_metrics[0]
    assert (start, end) == (dt.date(2023, 12, 15), dt.date(2024, 12, 14))


# --------------------------------------------------------------------------- the whole cycle


def test_a_whole_cycle(cast, open_cycle, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    setup = open_cycle
    dt_unit = setup.dong_tam
    # Self-assessment: the officer scores and uploads evidence.
    first = evidence_scores(dt_unit)[0]
    services.self_assessment_set_score(
        score=first, value="2,5", note="Kế hoạch 645/KH-UBND", by=cast.officer
    )
    evidence = services.evidence_add(
        cycle_unit=dt_unit,
        criterion=first.criterion,
        title="Kế hoạch CCHC năm 2024",
        number_symbol="645/KH-UBND",
        issued_on=dt.date(2023, 12, 30),
        issuer="UBND xã Đồng Tâm",
        file=SimpleUploadedFile("kh.pdf", b"%PDF-1.4 test"),
        by=cast.officer,
    )
    assert evidence.file.name.endswith(".pdf")
    dt_unit.refresh_from_db()
    assert dt_unit.status == CycleUnitStatus.IN_PROGRESS
    fill_self_scores(dt_unit, cast.officer)
    fill_self_scores(setup.thanh_xa, cast.officer_thanh_xa, Decimal("0.8"))
    done = selectors.completeness(dt_unit)
    assert done.complete and done.with_evidence == 1
    # The head submits.
    services.self_assessment_submit(cycle_unit=dt_unit, by=cast.head)
    dt_unit.refresh_from_db()
    assert dt_unit.status == CycleUnitStatus.SUBMITTED and dt_unit.submitted_by == cast.head
    # Submitted: the officer can no longer change the self-assessment.
    refused(
        setup,
        lambda: services.self_assessment_set_score(score=first, value=1, by=cast.officer),
        services.EvaluationError,
        "Không thể sửa",
    )
    head_tx = _head_of_thanh_xa(cast)
    services.self_assessment_submit(cycle_unit=setup.thanh_xa, by=head_tx)

    services.cycle_transition(
        cycle=setup.cycle, to_state=CycleState.APPRAISAL, by=cast.administrator
    )
    survey_values(setup.cycle, cast, cast.administrator)
    # Appraisal changes a score with a reason.
    score = score_of(dt_unit, first.criterion.code)
    refused(
        setup,
        lambda: services.appraisal_set_score(score=score, value=2, by=cast.appraiser),
        services.EvaluationError,
        "phải nêu lý do",
    )
    services.appraisal_set_score(
        score=score, value=2, reason="Kế hoạch ban hành chậm 10 ngày", by=cast.appraiser
    )
    # Return for explanation, the unit explains and resubmits.
    services.appraisal_return(
        cycle_unit=dt_unit,
        message="Giải trình tiêu chí 1.1",
        deadline=in_a_week(),
        by=cast.appraiser,
    )
    dt_unit.refresh_from_db()
    assert dt_unit.status == CycleUnitStatus.RETURNED
    services.self_assessment_set_score(
        score=score, value="2.5", note="Đã giải trình: ban hành đúng hạn", by=cast.officer
    )
    services.self_assessment_submit(cycle_unit=dt_unit, by=cast.head)
    dt_unit.refresh_from_db()
    assert dt_unit.status == CycleUnitStatus.SUBMITTED
    # Metric leaves without data get an appraised score; both units finalised.
    appraise_all(setup, cast)
    services.cycle_transition(
        cycle=setup.cycle, to_state=CycleState.FINALISED, by=cast.administrator
    )
    setup.refresh()
    assert setup.cycle.state == CycleState.FINALISED
    assert setup.dong_tam.status == CycleUnitStatus.FINALISED
    results = selectors.cycle_results(setup.cycle)
    assert [r.unit for r in results] == ["Xã Đồng Tâm", "Xã Thanh Xá"]
    assert results[0].rank.rank == 1 and results[0].rank.of == 2
    sheet = selectors.score_sheet(setup.dong_tam)
    row = next(r for r in sheet.rows if r.criterion.code == first.criterion.code)
    assert row.final == Decimal("2") and row.changed_by_appraisal
    assert sheet.final_total == results[0].total
    # Publication freezes the results.
    services.cycle_publish(
        cycle=setup.cycle,
        decision_no="123/QĐ-UBND",
        decision_date=dt.date(2025, 3, 20),
        by=cast.administrator,
    )
    setup.refresh()
    assert setup.cycle.state == CycleState.PUBLISHED
    published = list(selectors.published_results(setup.cycle))
    assert [p.unit for p in published] == [cast.dong_tam, cast.thanh_xa]
    assert published[0].data["index"] == str(results[0].index_display)
    assert published[0].data["components"]["1"]["title"] == "Công tác chỉ đạo, điều hành CCHC"
    # Frozen: no score, survey or transition changes any more.
    refused(
        setup,
        lambda: services.appraisal_set_score(score=score, value=1, reason="x", by=cast.appraiser),
        services.EvaluationError,
        "123/QĐ-UBND",
    )
    refused(
        setup,
        lambda: services.cycle_reopen(
            cycle=setup.cycle, to_state=CycleState.APPRAISAL, by=cast.administrator, reason="x"
        ),
        services.EvaluationError,
        "không thể thay đổi",
    )
    refused(
        setup,
        lambda: services.cycle_publish(
            cycle=setup.cycle,
            decision_no="9",
            decision_date=dt.date(2025, 4, 1),
            by=cast.administrator,
        ),
        services.EvaluationError,
    )
    assert PublishedResult.objects.filter(cycle=setup.cycle).count() == 2
    # Every step is in the transition log.
    steps = [(t.from_state, t.to_state) for t in selectors.cycle_transitions(setup.cycle)]
    assert steps == [
        ("draft", "self_assessment"),
        ("self_assessment", "appraisal"),
        ("appraisal", "finalised"),
        ("finalised", "published"),
    ]
    # History: who, when, old, new, why.
    history = selectors.score_history(setup.dong_tam)
    appraised = [h for h in history if h.field == "appraised_score" and h.criterion == "1.1"]
    assert appraised[-1].old is None and appraised[-1].new == Decimal("2")
    assert appraised[-1].why == "Kế hoạch ban hành chậm 10 ngày"
    assert appraised[-1].who == "Trần Văn Minh"
    self_rows = [h for h in history if h.field == "self_score" and h.criterion == "1.1"]
    assert [(h.old, h.new) for h in reversed(self_rows)] == [
        (None, Decimal("2.5")),
        (Decimal("2.5"), Decimal("2.7")),  # fill_self_scores: 0.9 × 3
        (Decimal("2.7"), Decimal("2.5")),
    ]
    assert self_rows[0].why == "Đã giải trình: ban hành đúng hạn"
    assert self_rows[0].who == "Phạm Thị Lan"
    assert any(h.field == "evidence" and h.new == "Kế hoạch CCHC năm 2024" for h in history)


def _head_of_thanh_xa(cast):
    from cchc.units import roles as R
    from cchc.units.services import person_create

    return person_create(
        username="chutich.thanhxa",
        password="x-secret-123",
        full_name="Lê Văn Hùng",
        unit=cast.thanh_xa,
        roles=[R.HEAD],
    )


# --------------------------------------------------------------------------- refusals


def test_officer_of_another_unit_is_refused_at_every_step(cast, open_cycle, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    setup = open_cycle
    other = cast.officer_thanh_xa
    score = evidence_scores(setup.dong_tam)[0]
    refused(setup, lambda: services.self_assessment_set_score(score=score, value=1, by=other))
    refused(
        setup,
        lambda: services.evidence_add(
            cycle_unit=setup.dong_tam, criterion=score.criterion, title="x", by=other
        ),
    )
    refused(setup, lambda: services.self_assessment_submit(cycle_unit=setup.dong_tam, by=other))
    refused(setup, lambda: services.metrics_refresh(cycle_unit=setup.dong_tam, by=other))
    fill_self_scores(setup.dong_tam, cast.officer)
    services.self_assessment_submit(cycle_unit=setup.dong_tam, by=cast.head)
    services.cycle_transition(
        cycle=setup.cycle, to_state=CycleState.APPRAISAL, by=cast.administrator
    )
    refused(
        setup,
        lambda: services.appraisal_set_score(score=score, value=1, reason="x", by=other),
    )
    refused(
        setup,
        lambda: services.appraisal_return(
            cycle_unit=setup.dong_tam, message="x", deadline=in_a_week(), by=other
        ),
    )
    refused(setup, lambda: services.appraisal_finalise_unit(cycle_unit=setup.dong_tam, by=other))
    refused(
        setup,
        lambda: services.cycle_transition(
            cycle=setup.cycle, to_state=CycleState.FINALISED, by=other
        ),
    )
    refused(
        setup,
        lambda: services.cycle_publish(
            cycle=setup.cycle, decision_no="1", decision_date=dt.date(2025, 1, 1), by=other
        ),
    )
    with pytest.raises(Exception) as info:
        selectors.cycle_unit_for(other, setup.dong_tam.pk, "view")
    assert type(info.value).__name__ in {"Http404", "PermissionDenied"}


def test_roles_are_kept_apart(cast, open_cycle):
    setup = open_cycle
    score = evidence_scores(setup.dong_tam)[0]
    # An officer cannot submit (the head does); an appraiser cannot self-score.
    fill_self_scores(setup.dong_tam, cast.officer)
    refused(
        setup, lambda: services.self_assessment_submit(cycle_unit=setup.dong_tam, by=cast.officer)
    )
    refused(
        setup, lambda: services.self_assessment_set_score(score=score, value=1, by=cast.appraiser)
    )
    # Appraisal before the cycle reaches appraisal.
    refused(
        setup,
        lambda: services.appraisal_set_score(score=score, value=1, reason="x", by=cast.appraiser),
        services.EvaluationError,
        "Không thể thẩm định",
    )
    # Only administrators move the cycle.
    for person in (cast.officer, cast.head, cast.appraiser):
        refused(
            setup,
            lambda person=person: services.cycle_transition(
                cycle=setup.cycle, to_state=CycleState.APPRAISAL, by=person
            ),
        )
    refused(
        setup,
        lambda: services.cycle_transition(cycle=setup.cycle, to_state="appraisal", by=None),
    )


def test_scores_never_above_max_nor_negative(cast, open_cycle):
    setup = open_cycle
    score = score_of(setup.dong_tam, "1.1")  # max 3
    error = refused(
        setup,
        lambda: services.self_assessment_set_score(score=score, value="3.01", by=cast.officer),
        services.EvaluationError,
    )
    assert error.criterion == "1.1" and "1.1" in error.message
    assert ERR_ABOVE_MAX.format(score="3,01", max="3") in error.message
    error = refused(
        setup,
        lambda: services.self_assessment_set_score(score=score, value="-0.5", by=cast.officer),
        services.EvaluationError,
    )
    assert ERR_NEGATIVE in error.message
    refused(
        setup,
        lambda: services.self_assessment_set_score(score=score, value="abc", by=cast.officer),
        services.EvaluationError,
        "1.1",
    )
    # Exactly the max and exactly 0 are fine.
    services.self_assessment_set_score(score=score, value="3", by=cast.officer)
    services.self_assessment_set_score(score=score, value="0", by=cast.officer)
    # The database refuses too, whoever writes.
    for field_name in ("self_score", "appraised_score"):
        for bad in (Decimal("3.0001"), Decimal("-1")):
            with pytest.raises(IntegrityError), transaction.atomic():
                Score.objects.filter(pk=score.pk).update(**{field_name: bad})


def test_measured_leaves_are_not_self_scored(cast, open_cycle):
    score = score_of(open_cycle.dong_tam, "3.2")
    refused(
        open_cycle,
        lambda: services.self_assessment_set_score(score=score, value=1, by=cast.officer),
        services.EvaluationError,
        "số liệu đo được",
    )


def test_submission_needs_every_evidence_leaf(cast, open_cycle):
    setup = open_cycle
    services.self_assessment_set_score(
        score=score_of(setup.dong_tam, "1.1"), value=1, by=cast.officer
    )
    error = refused(
        setup,
        lambda: services.self_assessment_submit(cycle_unit=setup.dong_tam, by=cast.head),
        services.EvaluationError,
    )
    assert error.message.startswith("Chưa chấm điểm các tiêu chí: 1.3, 1.4")


def test_return_needs_a_message_and_a_future_deadline(cast, open_cycle):
    setup = open_cycle
    fill_self_scores(setup.dong_tam, cast.officer)
    services.self_assessment_submit(cycle_unit=setup.dong_tam, by=cast.head)
    services.cycle_transition(cycle=setup.cycle, to_state="appraisal", by=cast.administrator)
    for message, deadline, text in (
        ("", in_a_week(), services.ERR_RETURN_MESSAGE),
        ("Giải trình", None, services.ERR_RETURN_DEADLINE),
        ("Giải trình", dt.date(2020, 1, 1), "đã qua"),
    ):
        refused(
            setup,
            lambda m=message, d=deadline: services.appraisal_return(
                cycle_unit=setup.dong_tam, message=m, deadline=d, by=cast.appraiser
            ),
            services.EvaluationError,
            text,
        )


def test_appraisal_of_a_measured_leaf_compares_with_its_points(cast, open_cycle):
    setup = open_cycle
    services.cycle_transition(cycle=setup.cycle, to_state="appraisal", by=cast.administrator)
    score = score_of(setup.dong_tam, "3.2")  # measured 97.5% -> 0.5
    services.appraisal_set_score(score=score, value="0.5", by=cast.appraiser)  # same: no reason
    refused(
        setup,
        lambda: services.appraisal_set_score(score=score, value="1", by=cast.appraiser),
        services.EvaluationError,
        "phải nêu lý do",
    )


def test_finalise_needs_every_unit_appraised_and_every_leaf_scored(cast, open_cycle):
    setup = open_cycle
    services.cycle_transition(cycle=setup.cycle, to_state="appraisal", by=cast.administrator)
    refused(
        setup,
        lambda: services.cycle_finalise(cycle=setup.cycle, by=cast.administrator),
        services.EvaluationError,
        "Các đơn vị chưa thẩm định xong: ",
    )
    refused(
        setup,
        lambda: services.appraisal_finalise_unit(cycle_unit=setup.dong_tam, by=cast.appraiser),
        services.EvaluationError,
        "chưa có điểm ở các tiêu chí 1.1",
    )


def test_reopen_needs_an_administrator_and_a_reason(cast, open_cycle):
    setup = open_cycle
    refused(
        setup,
        lambda: services.cycle_transition(
            cycle=setup.cycle, to_state=CycleState.DRAFT, by=cast.administrator
        ),
        services.EvaluationError,
        services.ERR_REASON_TO_REOPEN,
    )
    refused(
        setup,
        lambda: services.cycle_reopen(
            cycle=setup.cycle, to_state=CycleState.DRAFT, by=cast.appraiser, reason="x"
        ),
    )
    services.cycle_transition(
        cycle=setup.cycle,
        to_state=CycleState.DRAFT,
        by=cast.administrator,
        reason="Thêm đơn vị còn thiếu",
    )
    setup.refresh()
    assert setup.cycle.state == CycleState.DRAFT
    last = setup.cycle.transitions.last()
    assert last.reopening and last.reason == "Thêm đơn vị còn thiếu"
    record = setup.cycle.history.first()
    assert "Thêm đơn vị còn thiếu" in record.history_change_reason
    # Skipping a step forward is refused.
    refused(
        setup,
        lambda: services.cycle_transition(
            cycle=setup.cycle, to_state=CycleState.APPRAISAL, by=cast.administrator
        ),
        services.EvaluationError,
        "Không thể chuyển",
    )


def test_reopening_a_finalised_cycle_and_finalising_again(cast, open_cycle):
    setup = open_cycle
    fill_self_scores(setup.dong_tam, cast.officer, Decimal("0.5"))
    fill_self_scores(setup.thanh_xa, cast.officer_thanh_xa)
    services.cycle_transition(cycle=setup.cycle, to_state="appraisal", by=cast.administrator)
    survey_values(setup.cycle, cast, cast.administrator)
    appraise_all(setup, cast)
    services.cycle_finalise(cycle=setup.cycle, by=cast.administrator)
    duty = RemediationDuty.objects.get(cycle_unit=setup.dong_tam)
    assert duty.status == RemediationStatus.OWED
    assert "3" in duty.components or "7" in duty.components
    services.cycle_reopen(
        cycle=setup.cycle, to_state="appraisal", by=cast.administrator, reason="Sai điểm 7.1"
    )
    setup.refresh()
    assert setup.dong_tam.status == CycleUnitStatus.APPRAISED
    services.appraisal_reopen_unit(
        cycle_unit=setup.dong_tam, by=cast.appraiser, reason="Sai điểm 7.1"
    )
    for score in evidence_scores(setup.dong_tam):
        services.appraisal_set_score(
            score=score, value=score.max_points, reason="Đủ tài liệu", by=cast.appraiser
        )
    services.appraisal_finalise_unit(cycle_unit=setup.dong_tam, by=cast.appraiser)
    services.cycle_finalise(cycle=setup.cycle, by=cast.administrator)
    # The unit no longer owes a plan it had not acted on.
    assert not RemediationDuty.objects.filter(cycle_unit=setup.dong_tam).exists()


def test_remediation_duty_deadline_and_status(cast, open_cycle):
    setup = open_cycle
    setup.cycle.remediation_deadline = dt.date(2025, 4, 10)  # seed 001: before 10/4/2023
    setup.cycle.save()
    fill_self_scores(setup.dong_tam, cast.officer, Decimal("0.5"))
    fill_self_scores(setup.thanh_xa, cast.officer_thanh_xa)
    services.cycle_transition(cycle=setup.cycle, to_state="appraisal", by=cast.administrator)
    survey_values(setup.cycle, cast, cast.administrator)
    appraise_all(setup, cast)
    services.cycle_finalise(cycle=setup.cycle, by=cast.administrator)
    duties = list(selectors.remediation_duties(cast.administrator, setup.cycle))
    duty = next(d for d in duties if d.cycle_unit.unit == cast.dong_tam)
    assert duty.deadline == dt.date(2025, 4, 10)
    seen_by_thanh_xa = selectors.remediation_duties(cast.officer_thanh_xa)
    assert {d.cycle_unit.unit for d in seen_by_thanh_xa} <= {cast.thanh_xa}
    assert not selectors.remediation_duties(None, setup.cycle).exists()  # no one: none
    with pytest.raises(PermissionDenied):
        services.remediation_submit(duty=duty, note="Kế hoạch", by=cast.officer_thanh_xa)
    with pytest.raises(services.EvaluationError):
        services.remediation_submit(duty=duty, by=cast.officer)
    services.remediation_submit(duty=duty, note="Kế hoạch khắc phục số 12", by=cast.officer)
    with pytest.raises(PermissionDenied):
        services.remediation_accept(duty=duty, by=cast.officer)
    services.remediation_accept(duty=duty, by=cast.administrator)
    duty.refresh_from_db()
    assert duty.status == RemediationStatus.ACCEPTED


def test_remediation_deadline_defaults_to_days_after_finalisation(cast, open_cycle):
    import time_machine

    setup = open_cycle
    fill_self_scores(setup.dong_tam, cast.officer, Decimal("0.5"))
    fill_self_scores(setup.thanh_xa, cast.officer_thanh_xa)
    services.cycle_transition(cycle=setup.cycle, to_state="appraisal", by=cast.administrator)
    survey_values(setup.cycle, cast, cast.administrator)
    appraise_all(setup, cast)
    with time_machine.travel(dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        services.cycle_finalise(cycle=setup.cycle, by=cast.administrator)
    duty = RemediationDuty.objects.get(cycle_unit=setup.dong_tam)
    assert duty.deadline == dt.date(2025, 3, 31)


def test_evidence_remove_keeps_history(cast, open_cycle):
    setup = open_cycle
    criterion = score_of(setup.dong_tam, "1.1").criterion
    evidence = services.evidence_add(
        cycle_unit=setup.dong_tam, criterion=criterion, title="Báo cáo", by=cast.officer
    )
    refused(setup, lambda: services.evidence_remove(evidence=evidence, by=cast.officer_thanh_xa))
    services.evidence_remove(evidence=evidence, by=cast.officer, reason="Nhầm tài liệu")
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
    rows = [h for h in selectors.score_history(setup.dong_tam) if h.field == "evidence"]
    assert [(r.old, r.new, r.why) for r in rows] == [
        ("Báo cáo", None, "Nhầm tài liệu"),
        (None, "Báo cáo", "Thêm tài liệu kiểm chứng"),
    ]


def test_metrics_refresh_records_values_and_history(cast, open_cycle, monkeypatch):
    from tests.evaluations import conftest

    setup = open_cycle
    monkeypatch.setitem(conftest.FAKE_METRICS, "on_time_rate", Decimal("100"))
    leaves = services.metrics_refresh(cycle_unit=setup.dong_tam, by=cast.officer)
    on_time = next(item for item in leaves if item.code == "3.2")
    assert on_time.value == Decimal("100") and on_time.points == Decimal("1")
    score = score_of(setup.dong_tam, "3.2")
    assert score.measured_points == Decimal("1")
    rows = [h for h in selectors.score_history(setup.dong_tam) if h.criterion == "3.2"]
    assert (rows[0].old, rows[0].new, rows[0].who) == (
        Decimal("97.5"),
        Decimal("100"),
        "Hệ thống",
    )
