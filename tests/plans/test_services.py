from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cchc.core.tabular import TableErrors
from cchc.plans import selectors, services
from cchc.plans.models import (
    Component,
    Inspection,
    Plan,
    PlanItem,
    PlanState,
    StaffingYear,
    StaffMember,
)
from tests.plans.conftest import GOOD_ROWS, row, xlsx

pytestmark = pytest.mark.django_db


def _import(cast, content: bytes, **kwargs):
    return services.plan_import(
        unit=cast.dong_tam,
        year=2023,
        source=io.BytesIO(content),
        filename="ke-hoach.xlsx",
        by=cast.officer,
        today=dt.date(2023, 7, 1),
        **kwargs,
    )


def test_the_seven_components_are_data():
    assert list(Component.objects.values_list("code", flat=True)) == [str(i) for i in range(1, 8)]
    assert Component.objects.get(code="7").short_name == "Chính quyền số"


# --- import -------------------------------------------------------------------------------


def test_import_builds_the_tree_with_5_ro_fields(plan, cast):
    assert plan.state == PlanState.ISSUED and plan.number == "63/KH-UBND"
    items = {i.code: i for i in plan.items.all()}
    assert len(items) == len(GOOD_ROWS)
    assert [items[c].level for c in ("1", "1.1", "1.1.1")] == ["objective", "task", "activity"]
    assert items["1.1.1"].parent == items["1.1"]
    # component and lead unit inherited from the objective
    assert items["1.1.1"].component.code == "1"
    assert items["1.1.1"].lead_unit_name == "Văn phòng - Thống kê"
    assert items["3"].component.code == "3"  # named by its short name in the file
    # a person of the unit is linked to their account; others stay as a name
    assert items["1.1"].lead_officer == cast.officer.profile
    assert items["3.1"].lead_officer is None and items["3.1"].lead_officer_name == "Nguyễn Văn X"
    # deadlines as plans write them; a done item without a date is done on its deadline
    assert items["1.1.2"].due_on == dt.date(2023, 3, 31)
    assert items["1.1.1"].status == "done" and items["1.1.1"].done_on == dt.date(2023, 1, 10)
    # a parent's deadline is not pushed down when the child has its own
    assert items["3.1.1"].due_on == dt.date(2023, 9, 30)


def test_import_refuses_a_bad_file_naming_row_and_column_and_imports_nothing(cast):
    rows = [
        row("1", "Mục tiêu không có lĩnh vực"),  # row 2: component missing
        row("1.1", "Nhiệm vụ", due="31/2/2023"),  # row 3: no such day
        row("1.1", "Trùng mã", due="Quý I"),  # row 4: duplicate code
        row("2.1", "Không có mục tiêu 2", "3", due="Quý I"),  # row 5: parent missing
        row("3", "Lĩnh vực lạ", "9", due="Quý I"),  # row 6: unknown component
        row("4", "Trạng thái quá hạn", "1", due="Quý I", status="Quá hạn"),  # row 7
        row("5", "Không có thời hạn", "1"),  # row 8: leaf without deadline
        row("1.2", "", due="Quý I"),  # row 9: no title
    ]
    with pytest.raises(TableErrors) as caught:
        _import(cast, xlsx(rows))
    errors = {(e.row, e.column) for e in caught.value.errors}
    assert (2, "lĩnh vực") in errors
    assert (3, "thời hạn") in errors
    assert (4, "mã") in errors
    assert (5, "mã") in errors
    assert (6, "lĩnh vực") in errors
    assert (7, "trạng thái") in errors
    assert (8, "thời hạn") in errors
    assert (9, "nội dung") in errors
    text = str(caught.value)
    assert "dòng 4" in text and "trùng với dòng 3" in text
    assert "không có dữ liệu nào được nhập" in text
    assert not Plan.objects.exists() and not PlanItem.objects.exists()


def test_import_needs_the_required_columns(cast):
    with pytest.raises(TableErrors) as caught:
        _import(cast, xlsx([["1", "x"]], header=["STT", "nội dung"]))
    assert [(e.row, e.column) for e in caught.value.errors] == [(1, "mã")]


def test_import_headers_compare_without_accents(cast):
    header = ["Ma", "Noi dung", "Linh vuc", "Thoi han"]
    plan = _import(cast, xlsx([["1", "Mục tiêu", "1", "Cả năm"]], header=header))
    assert plan.items.get().due_on == dt.date(2023, 12, 31)


def test_import_refuses_to_overwrite_and_replaces_only_a_draft(cast, good_xlsx):
    draft = _import(cast, good_xlsx)
    assert draft.state == PlanState.DRAFT
    with pytest.raises(TableErrors, match="đã có kế hoạch CCHC năm 2023"):
        _import(cast, good_xlsx)
    small = xlsx([row("1", "Chỉ một mục tiêu", "1", due="Cả năm")])
    replaced = _import(cast, small, replace=True)
    assert replaced.pk == draft.pk and replaced.items.count() == 1
    services.plan_issue(plan=replaced, number="1/KH-UBND", issued_on=dt.date(2023, 1, 2))
    with pytest.raises(TableErrors, match="đã ban hành"):
        _import(cast, good_xlsx, replace=True)


def test_a_csv_file_imports_too(cast):
    content = "mã,nội dung,lĩnh vực,thời hạn\n1,Mục tiêu,2,Quý II\n".encode()
    plan = services.plan_import(
        unit=cast.dong_tam, year=2023, source=io.BytesIO(content), filename="kh.csv"
    )
    assert plan.items.get().due_on == dt.date(2023, 6, 30)


# --- status and completion ----------------------------------------------------------------


def test_marking_done_changes_the_completion_and_keeps_history(plan, cast):
    on = dt.date(2023, 7, 1)
    before = selectors.plan_summary(plan, on).completion
    assert (before.total, before.done, before.late) == (4, 1, 2)  # 1.1.2 and 1.2 late
    item = plan.items.get(code="1.2")
    services.item_set_status(
        item=item, status="done", reason="Đã gửi báo cáo", by=cast.officer, today=on
    )
    after = selectors.plan_summary(plan, on).completion
    assert (after.done, after.late) == (2, 1)
    assert after.rate == Decimal("50.00")
    item.refresh_from_db()
    assert item.done_on == on
    record = item.history.first()
    assert record.history_change_reason == "Đã gửi báo cáo"
    assert record.history_user == cast.officer
    rows = selectors.history_rows(item.history.order_by("-history_date"))
    assert ("trạng thái", "Chưa thực hiện", "Hoàn thành") in rows[0].changes


def test_a_parents_status_cannot_be_set(plan):
    with pytest.raises(ValidationError, match="được tính từ các mục con"):
        services.item_set_status(item=plan.items.get(code="1.1"), status="done")


def test_done_date_cannot_be_in_the_future(plan):
    item = plan.items.get(code="1.2")
    with pytest.raises(ValidationError):
        services.item_set_status(
            item=item, status="done", done_on=dt.date(2023, 7, 2), today=dt.date(2023, 7, 1)
        )


def test_reopening_clears_the_done_date(plan):
    item = plan.items.get(code="1.1.1")
    services.item_set_status(item=item, status="in_progress")
    item.refresh_from_db()
    assert item.done_on is None


def test_item_create_numbers_children_and_inherits(plan):
    objective = plan.items.get(code="3")
    task = services.item_create(plan=plan, parent=objective, title="Khảo sát sự hài lòng")
    assert task.code == "3.2" and task.level == "task" and task.component.code == "3"
    activity = services.item_create(plan=plan, parent=task, title="Phát phiếu khảo sát")
    assert activity.code == "3.2.1"
    with pytest.raises(ValidationError):
        services.item_create(plan=plan, parent=activity, title="Quá sâu")
    assert services.item_create(plan=plan, title="Mục tiêu mới").code == "4"


# --- copy ---------------------------------------------------------------------------------


def test_copy_last_years_plan_as_a_draft(plan, cast):
    services.evidence_add(item=plan.items.get(code="1.1.1"), title="Kế hoạch số 63/KH-UBND")
    copy = services.plan_copy(plan=plan, by=cast.officer)
    assert (copy.year, copy.state, copy.copied_from) == (2024, PlanState.DRAFT, plan)
    assert "2024" in copy.title and "2023" not in copy.title
    items = {i.code: i for i in copy.items.all()}
    assert len(items) == plan.items.count()
    assert items["1.1.2"].due_on == dt.date(2024, 3, 31)
    assert all(i.status == "not_started" and i.done_on is None for i in items.values())
    assert items["1.1.1"].parent == items["1.1"]
    assert not items["1.1.1"].evidence.exists()
    with pytest.raises(ValidationError, match="đã có kế hoạch CCHC năm 2024"):
        services.plan_copy(plan=plan)
    services.plan_delete(plan=copy)
    assert not Plan.objects.filter(year=2024).exists()
    with pytest.raises(ValidationError):
        services.plan_delete(plan=plan)  # issued plans stay


# --- the metric -----------------------------------------------------------------------------


def test_plan_completion_rate_metric(plan, cast):
    from cchc.core.metrics import known_metric, measure
    from cchc.plans.models import Plan

    assert known_metric("plan_completion_rate")
    year = (dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    assert measure(cast.dong_tam, *year, ["plan_completion_rate"]) == {
        "plan_completion_rate": Decimal("25.00")  # 1 of 4 leaves done
    }
    # Issue 14: the metric is the plan page's figure for the same plan, not another count.
    the_plan = Plan.objects.get(pk=plan.pk)
    page = selectors.plan_completion(the_plan, dt.date(2023, 12, 31))
    assert measure(cast.dong_tam, *year, ["plan_completion_rate"])["plan_completion_rate"] == (
        page.rate
    )
    # done after the period's end does not count for that period
    services.item_set_status(
        item=plan.items.get(code="1.2"), status="done", done_on=dt.date(2023, 7, 1)
    )
    assert selectors.plan_completion_rate(
        cast.dong_tam, dt.date(2023, 1, 1), dt.date(2023, 6, 30)
    ) == Decimal("25.00")
    assert selectors.plan_completion_rate(cast.dong_tam, *year) == Decimal("50.00")
    # no plan: no data, never 0
    assert selectors.plan_completion_rate(cast.thanh_xa, *year) is None


def test_a_draft_plan_feeds_no_metric(cast, good_xlsx):
    _import(cast, good_xlsx)
    assert (
        selectors.plan_completion_rate(cast.dong_tam, dt.date(2023, 1, 1), dt.date(2023, 12, 31))
        is None
    )


# --- breakthrough work --------------------------------------------------------------------


def test_breakthrough_registration_by_a_deadline(cast):
    call = services.call_create(
        unit=cast.district,
        year=2023,
        title="Đăng ký công việc đột phá năm 2023",
        deadline=dt.date(2023, 4, 10),
        by=cast.administrator,
    )
    on_time = services.breakthrough_register(
        call=call,
        unit=cast.dong_tam,
        title="Số hóa sổ hộ tịch",
        due_on=dt.date(2023, 12, 15),
        today=dt.date(2023, 4, 10),
    )
    late = services.breakthrough_register(
        call=call, unit=cast.thanh_xa, title="Một cửa thân thiện", today=dt.date(2023, 4, 11)
    )
    assert not on_time.registered_late and late.registered_late
    assert "sau hạn" in late.history.first().history_change_reason
    with pytest.raises(ValidationError):
        services.breakthrough_register(call=call, unit=cast.department, title="Ngoài phạm vi")
    assert on_time.effective_status(dt.date(2023, 12, 16)) == "late"
    services.breakthrough_set_status(
        registration=on_time, status="done", today=dt.date(2023, 12, 1)
    )
    assert on_time.effective_status(dt.date(2023, 12, 16)) == "done"


# --- inspections --------------------------------------------------------------------------


def _inspection(cast, **kwargs):
    values = dict(
        organiser=cast.district,
        kind=Inspection.Kind.INSPECTION,
        year=2023,
        title="Kiểm tra CCHC năm 2023",
        inspecting_body="Đoàn kiểm tra của UBND huyện",
        start_on=dt.date(2023, 8, 22),
        end_on=dt.date(2023, 8, 25),
        report_due_on=dt.date(2023, 9, 18),
        targets=[cast.dong_tam, cast.thanh_xa],
        by=cast.administrator,
    )
    values.update(kwargs)
    return services.inspection_create(**values)


def test_inspection_findings_recommendations_and_remediation(cast):
    inspection = _inspection(cast)
    c3 = Component.objects.get(code="3")
    finding = services.finding_add(
        inspection=inspection,
        unit=cast.thanh_xa,
        component=c3,
        text="Chưa lập biên bản niêm yết danh sách hưởng trợ cấp xã hội.",
    )
    rec = services.recommendation_add(
        inspection=inspection, unit=cast.thanh_xa, finding=finding, text="Lập biên bản niêm yết."
    )
    assert rec.due_on == dt.date(2023, 9, 18)  # the inspection's report-back deadline
    assert rec.component == c3
    rows = selectors.recommendation_rows(inspection.recommendations.all(), dt.date(2023, 9, 19))
    assert rows[0].status == "overdue"
    services.remediation_report_add(
        recommendation=rec,
        text="Đã lập biên bản.",
        reported_on=dt.date(2023, 9, 15),
        today=dt.date(2023, 9, 20),
    )
    rows = selectors.recommendation_rows(inspection.recommendations.all(), dt.date(2023, 9, 19))
    assert rows[0].status == "reported"
    services.recommendation_close(recommendation=rec, closed_on=dt.date(2023, 9, 25))
    with pytest.raises(ValidationError):
        services.recommendation_close(recommendation=rec)


def test_inspection_rules(cast):
    with pytest.raises(ValidationError, match="không thuộc phạm vi"):
        _inspection(cast, organiser=cast.dong_tam, targets=[cast.thanh_xa])
    with pytest.raises(ValidationError):
        _inspection(cast, targets=[])
    with pytest.raises(ValidationError):
        _inspection(cast, end_on=dt.date(2023, 8, 1))
    own = _inspection(
        cast, organiser=cast.thanh_xa, kind=Inspection.Kind.SELF, targets=[cast.thanh_xa]
    )
    assert own.is_self
    with pytest.raises(ValidationError):
        _inspection(cast, organiser=cast.thanh_xa, kind="self", targets=[cast.dong_tam])
    inspection = _inspection(cast, targets=[cast.dong_tam])
    with pytest.raises(ValidationError, match="không có trong danh sách"):
        services.finding_add(
            inspection=inspection,
            unit=cast.thanh_xa,
            component=Component.objects.get(code="1"),
            text="x",
        )
    with pytest.raises(ValidationError):
        services.remediation_report_add(
            recommendation=services.recommendation_add(
                inspection=inspection, unit=cast.dong_tam, text="y"
            ),
            text="z",
            reported_on=dt.date(2099, 1, 1),
        )


def test_seed_004_coverage_from_records(cast):
    """12 of 23 communes and 6 of 12 agencies inspected: 'trên 50%'."""
    from cchc.units.models import Unit, UnitKind

    district = cast.district
    communes = [cast.dong_tam, cast.thanh_xa] + [
        Unit.objects.create(
            scheme="local", code=f"X{i}", name=f"Xã {i}", kind=UnitKind.COMMUNE, parent=district
        )
        for i in range(21)
    ]
    agencies = [
        Unit.objects.create(
            scheme="local",
            code=f"P{i}",
            name=f"Phòng {i}",
            kind=UnitKind.DEPARTMENT,
            parent=district,
        )
        for i in range(12)
    ]
    # a commune merged away before the year does not count
    Unit.objects.create(
        scheme="local",
        code="OLD",
        name="Xã cũ",
        kind=UnitKind.COMMUNE,
        parent=district,
        valid_to=dt.date(2019, 12, 31),
    )
    _inspection(cast, targets=communes[:7] + agencies[:6])
    _inspection(cast, title="Đợt 2", targets=communes[5:12])  # 2 communes inspected twice
    _inspection(cast, organiser=cast.dong_tam, kind="self", targets=[cast.dong_tam])
    _inspection(cast, year=2022, targets=communes[12:])  # another year
    cov = selectors.coverage(district, 2023)
    assert [(r.level, r.inspected, r.total) for r in cov.rows] == [
        ("commune", 12, 23),
        ("agency", 6, 12),
    ]
    assert cov.share == Decimal("51.4") and cov.phrase == "trên 50%"


def test_overdue_recommendations_are_listed_for_whoever_sees_the_unit(cast):
    inspection = _inspection(cast)
    services.recommendation_add(inspection=inspection, unit=cast.dong_tam, text="Khắc phục A")
    services.recommendation_add(inspection=inspection, unit=cast.thanh_xa, text="Khắc phục B")
    on = dt.date(2023, 9, 19)
    assert selectors.overdue_recommendations(cast.administrator, on).count() == 2
    mine = selectors.overdue_recommendations(cast.officer, on)
    assert [r.text for r in mine] == ["Khắc phục A"]
    assert not selectors.overdue_recommendations(cast.officer, dt.date(2023, 9, 18)).exists()


# --- staffing -----------------------------------------------------------------------------


def _staff_file(rows):
    header = [
        "họ và tên", "chức vụ", "trình độ chuyên môn", "lý luận chính trị",
        "quản lý nhà nước", "đào tạo, bồi dưỡng", "xếp loại",
    ]  # fmt: skip
    return xlsx(rows, header=header)


def test_seed_000_staffing_figures(cast):
    rows = [
        [f"Cán bộ {i}", "Công chức", "Thạc sĩ" if i < 2 else "Đại học", "Trung cấp", "CV",
         "Trung cấp LLCT" if i < 3 else "", "Hoàn thành xuất sắc nhiệm vụ" if i < 4 else "Tốt"]
        for i in range(17)
    ]  # fmt: skip
    rows += [
        ["Trưởng Công an xã", "Trưởng Công an", "Trung cấp", "", "", "", ""],
        ["Công chức mới", "Công chức", "Trung cấp", "", "", "", ""],
    ]
    services.staffing_save(
        unit=cast.dong_tam, year=2022, positions_allotted=20, positions_filled=19
    )
    staffing = services.staffing_import(
        unit=cast.dong_tam, year=2022, source=io.BytesIO(_staff_file(rows)), filename="cb.xlsx"
    )
    summary = selectors.staffing_summary(staffing)
    assert summary.present == 19 and summary.ratings.whole == 17
    assert summary.ratings.get("xuat_sac").count == 4
    assert summary.ratings.get("xuat_sac").share == Decimal("23.5")
    assert summary.ratings.get("tot").share == Decimal("76.5")
    assert summary.qualifications.get("thac_si").share == Decimal("10.5")
    assert summary.trainings == [("Trung cấp LLCT", 3)]
    text = " ".join(summary.sentences())
    assert "hoàn thành xuất sắc nhiệm vụ là 4 người, chiếm tỷ lệ 23,5%" in text
    assert "hoàn thành tốt nhiệm vụ là 13 người, chiếm tỷ lệ 76,5%" in text


def test_staffing_import_is_all_or_nothing(cast):
    staffing = StaffingYear.objects.create(unit=cast.dong_tam, year=2022)
    StaffMember.objects.create(staffing=staffing, full_name="Người cũ")
    bad = [["Nguyễn Văn A", "", "Đại học", "", "", "", "Giỏi"], ["", "", "", "", "", "", ""]]
    bad.append(["", "Chức vụ", "Đại học", "", "", "", ""])
    with pytest.raises(TableErrors) as caught:
        services.staffing_import(
            unit=cast.dong_tam, year=2022, source=io.BytesIO(_staff_file(bad)), filename="cb.xlsx"
        )
    errors = {(e.row, e.column) for e in caught.value.errors}
    assert errors == {(2, "xếp loại"), (4, "họ và tên")}
    assert list(staffing.members.values_list("full_name", flat=True)) == ["Người cũ"]


def test_filled_cannot_exceed_allotted(cast):
    with pytest.raises(ValidationError):
        services.staffing_save(
            unit=cast.dong_tam, year=2022, positions_allotted=10, positions_filled=11
        )


def test_rating_change_is_kept_in_history(cast):
    staffing = services.staffing_save(
        unit=cast.dong_tam, year=2022, positions_allotted=20, positions_filled=19
    )
    member = services.staff_member_save(staffing=staffing, full_name="Nguyễn Văn A", rating="tot")
    services.staff_member_save(staffing=staffing, member=member, rating="xuat_sac", by=cast.head)
    record = member.history.first()
    assert record.history_user == cast.head and "Xếp loại năm 2022" in record.history_change_reason
