"""The feedback register's operations: deadlines in working days, refusals, history, import."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from openpyxl import Workbook

from cchc.core.tabular import TableErrors
from cchc.service_index import services
from cchc.service_index.models import Feedback, FeedbackStatus

from .dbdata import VN

pytestmark = pytest.mark.django_db
D = dt.date

# Friday 9/2/2024 is a Tết day (8–14/2/2024 off): a feedback received on Wed 7/2 is answered
# 15 working days later, counting from Thu 15/2.
NOW = dt.datetime(2024, 3, 20, 9, 0, tzinfo=VN)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def record(cast, **kw):
    base = {
        "unit": cast.dong_tam,
        "by": cast.officer,
        "received_on": D(2024, 2, 7),
        "channel": "hom_thu",
        "content": "Niêm yết thiếu lệ phí",
    }
    base.update(kw)
    return services.feedback_record(**base)


def test_deadlines_are_working_days_across_tet(cast):
    f = record(cast)
    # working days after 7/2: 15, 16, 19, 20, 21, 22, 23, 26, 27, 28, 29/2, 1, 4, 5, 6/3
    assert f.answer_due_on == D(2024, 3, 6)
    assert f.refuse_due_on == D(2024, 2, 16)  # 2 working days: 15, 16/2
    assert f.supplement_due_on == D(2024, 2, 21)  # 5 working days
    assert f.publish_due_on is None
    assert f.code == "PAKN-2024-0001"
    assert record(cast).code == "PAKN-2024-0002"
    assert f.status == FeedbackStatus.RECEIVED


def test_answer_sets_the_publication_deadline_and_history_says_why(cast):
    f = record(cast)
    services.feedback_assign(feedback=f, assignee=cast.officer, by=cast.head, note="xử lý gấp")
    services.feedback_answer(feedback=f, on=D(2024, 3, 1), answer="Đã niêm yết", by=cast.officer)
    assert f.publish_due_on == D(2024, 3, 5)  # Fri 1/3 + 2 working days
    services.feedback_publish(feedback=f, on=D(2024, 3, 4), where="Cổng TTĐT", by=cast.officer)
    f.refresh_from_db()
    assert f.status == FeedbackStatus.PUBLISHED
    reasons = list(
        f.history.order_by("history_date").values_list("history_change_reason", flat=True)
    )
    assert reasons == [
        "Tiếp nhận phản ánh, kiến nghị",
        "Giao Phạm Thị Lan xử lý: xử lý gấp",
        "Trả lời phản ánh, kiến nghị",
        "Công khai kết quả trả lời tại Cổng TTĐT",
    ]


@pytest.mark.parametrize(
    ("action", "message"),
    [
        (lambda f, c: services.feedback_answer(feedback=f, on=D(2024, 2, 6), answer="x", by=c),
         "trước ngày nhận"),
        (lambda f, c: services.feedback_answer(feedback=f, on=D(2024, 3, 21), answer="x", by=c),
         "chưa đến"),
        (lambda f, c: services.feedback_answer(feedback=f, on=D(2024, 3, 1), answer=" ", by=c),
         services.ERR_EMPTY_ANSWER),
        (lambda f, c: services.feedback_publish(feedback=f, on=D(2024, 3, 1), where="", by=c),
         "chưa được trả lời"),
        (lambda f, c: services.feedback_refuse(feedback=f, on=D(2024, 2, 8), reason="", by=c),
         services.ERR_EMPTY_REASON),
        (lambda f, c: services.feedback_set_satisfaction(
            feedback=f, satisfaction="satisfied", repeat_complaint=False, by=c),
         services.ERR_SATISFACTION_BEFORE_ANSWER),
    ],
)  # fmt: skip
def test_refused_operations_say_why_and_change_nothing(cast, action, message):
    f = record(cast)
    with pytest.raises(services.FeedbackError, match=message):
        action(f, cast.officer)
    f.refresh_from_db()
    assert f.status == FeedbackStatus.RECEIVED and f.answered_on is None


def test_a_refused_feedback_cannot_be_answered(cast):
    f = record(cast)
    services.feedback_refuse(
        feedback=f, on=D(2024, 2, 8), reason="Không thuộc thẩm quyền", by=cast.officer
    )
    with pytest.raises(services.FeedbackError, match="bị từ chối tiếp nhận"):
        services.feedback_answer(feedback=f, on=D(2024, 3, 1), answer="x", by=cast.officer)


def test_assign_only_to_a_person_of_the_unit(cast):
    f = record(cast)
    with pytest.raises(services.FeedbackError, match="không thuộc Xã Đồng Tâm") as error:
        services.feedback_assign(feedback=f, assignee=cast.officer_thanh_xa, by=cast.head)
    assert error.value.field == "assigned_to"


def test_a_code_is_unique_in_a_units_register(cast):
    record(cast, code="PAKN-01")
    with pytest.raises(services.FeedbackError, match="đã có trong sổ") as error:
        record(cast, code="PAKN-01")
    assert error.value.field == "code"
    record(cast, code="PAKN-01", unit=cast.thanh_xa, by=cast.officer_thanh_xa)


def test_a_feedback_cannot_be_received_in_the_future(cast):
    with pytest.raises(services.FeedbackError, match="chưa đến"):
        record(cast, received_on=D(2024, 3, 21))


def test_the_database_refuses_an_answer_before_receipt(cast):
    from django.db import IntegrityError, transaction

    f = record(cast)
    with pytest.raises(IntegrityError), transaction.atomic():
        Feedback.objects.filter(pk=f.pk).update(answered_on=D(2024, 1, 1))


# -- import -----------------------------------------------------------------------------------

HEADER = "code,received_on,channel,content,classification,answered_on,answer,published_on,satisfaction,repeat_complaint,procedure_code,refused_on,refusal_reason\n"


def csv_file(text: str, name: str = "so.csv"):
    f = io.BytesIO(text.encode("utf-8"))
    f.name = name
    return f


def test_import_creates_every_row_with_its_state(cast):
    text = HEADER + (
        "A1,2024-02-01,Hòm thư góp ý,Nội dung 1,khong_phu_hop,5/2/2024,Đã trả lời,6/2/2024,hài lòng,,,,\n"
        "A2,01/03/2024,cong_dvc,Nội dung 2,,2024-03-04,Đã trả lời,,,có,,,\n"
        ",2024-03-05,dien_thoai,Nội dung 3,,,,,,,,2024-03-06,Không thuộc thẩm quyền\n"
    )
    assert services.feedback_import(unit=cast.dong_tam, source=csv_file(text), by=cast.officer) == 3
    a1, a2, a3 = Feedback.objects.filter(unit=cast.dong_tam).order_by("received_on")
    assert (a1.status, a1.channel, a1.satisfaction) == ("published", "hom_thu", "satisfied")
    assert a1.publish_due_on == D(2024, 2, 7)
    assert (a2.status, a2.repeat_complaint) == ("answered", True)
    assert (a3.status, a3.code) == ("refused", "PAKN-2024-0001")


def test_import_is_all_or_nothing_and_names_row_and_column(cast):
    text = HEADER + (
        "A1,2024-02-01,hom_thu,Nội dung 1,,,,,,,,,\n"
        "A2,2024-02-30,fax,,kỳ lạ,2024-01-01,,2024-01-02,rất tốt,có lẽ,P9,,\n"
        "A1,2024-02-01,hom_thu,Trùng số hiệu,,,,,,,,,\n"
    )
    with pytest.raises(TableErrors) as error:
        services.feedback_import(unit=cast.dong_tam, source=csv_file(text), by=cast.officer)
    found = {(e.row, e.column) for e in error.value.errors}
    assert {
        (3, "received_on"),
        (3, "channel"),
        (3, "content"),
        (3, "classification"),
        (3, "satisfaction"),
        (3, "repeat_complaint"),
        (3, "procedure_code"),
        (3, "answer"),
        (4, "code"),
    } <= found
    assert "không có dữ liệu nào được nhập" in str(error.value)
    assert not Feedback.objects.exists()


def test_import_reads_xlsx_and_refuses_missing_columns(cast):
    book = Workbook()
    sheet = book.active
    sheet.append(["received_on", "channel", "content"])
    sheet.append([dt.datetime(2024, 2, 1), "truc_tiep", "Từ tệp XLSX"])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    count = services.feedback_import(
        unit=cast.dong_tam, source=buffer, filename="so.xlsx", by=cast.officer
    )
    assert count == 1
    with pytest.raises(TableErrors) as error:
        services.feedback_import(
            unit=cast.dong_tam, source=csv_file("code,content\nX,y\n"), by=cast.officer
        )
    assert {(e.row, e.column) for e in error.value.errors} == {(1, "received_on"), (1, "channel")}
