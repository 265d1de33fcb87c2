"""A small data set in the database where every QĐ 766 count is known by hand.

October 2023 (2/10–31/10, no public holiday: working days Mon–Fri), Xã Đồng Tâm of the
test cast. Build it with time frozen after the period (NOW), since services refuse future
dates. EXPECTED holds the counts worked out below, line by line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from cchc.dossiers import services as dossier_services
from cchc.dossiers.models import Dossier, Procedure
from cchc.dossiers.periods import custom_period
from cchc.service_index import services
from cchc.service_index.models import Feedback

D = dt.date
VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime(2023, 11, 20, 9, 0, tzinfo=VN)
OCTOBER = custom_period(D(2023, 10, 2), D(2023, 10, 31))


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=VN)


@dataclass
class October:
    procedures: dict[str, Procedure]
    dossiers: dict[str, Dossier]
    feedback: dict[str, Feedback]


def procedures(by) -> dict[str, Procedure]:
    save = dossier_services.procedure_save
    return {
        # 1.1 on time: 5 working days before Mon 9/10 is Mon 2/10; 1.2: published 9/10 =
        # 2/10 + 5 working days.
        "P1": save(
            by=by,
            code="P1",
            name="Đăng ký khai sinh",
            level="commune",
            processing_days=10,
            fee=50000,
            online_class="full",
            payment_integrated=True,
            announced_on=D(2023, 10, 2),
            legal_basis_effective_on=D(2023, 10, 9),
            published_on=D(2023, 10, 9),
            all_parts_published=True,
        ),
        # late for 1.1 (3/10 > 2/10) and 1.2 (11/10 > 10/10); parts incomplete
        "P2": save(
            by=by,
            code="P2",
            name="Đăng ký kết hôn",
            level="commune",
            processing_days=5,
            fee=20000,
            online_class="partial",
            announced_on=D(2023, 10, 3),
            legal_basis_effective_on=D(2023, 10, 9),
            published_on=D(2023, 10, 11),
        ),
        # announced before the period: in the catalogue only; certification, no paper result
        "P4": save(
            by=by,
            code="P4",
            name="Chứng thực bản sao từ bản chính",
            level="commune",
            processing_days=None,
            certification=True,
            paper_result_required=False,
            announced_on=D(2023, 6, 1),
            published_on=D(2023, 6, 5),
            all_parts_published=True,
        ),
        # a province-level procedure: not in a commune's catalogue
        "PT": save(
            by=by,
            code="PT",
            name="Cấp giấy phép xây dựng",
            level="province",
            fee=100000,
            announced_on=D(2023, 10, 2),
        ),
    }


def dossiers(unit, procs: dict[str, Procedure], by) -> dict[str, Dossier]:
    s = dossier_services
    out: dict[str, Dossier] = {}

    def create(code, proc, channel, received, due, **flags):
        out[code] = s.dossier_create(
            unit=unit,
            procedure=procs[proc],
            code=code,
            applicant="Nguyễn Văn A",
            channel=channel,
            received_at=at(received),
            due_on=due,
            by=by,
            **flags,
        )
        return out[code]

    def finish(code, day, **flags):
        s.dossier_finish(dossier=out[code], at=at(day, 15), by=by, **flags)

    create(
        "a",
        "P1",
        "truc_tuyen",
        D(2023, 10, 2),
        D(2023, 10, 20),
        synced=True,
        intake_digitized="full",
        paid_online=True,
        reused_data=True,
        data_store_linked=True,
    )
    finish("a", D(2023, 10, 9), result_electronic=True)
    s.dossier_update(dossier=out["a"], by=by, rating="satisfied")
    create("b", "P1", "truc_tiep", D(2023, 10, 2), D(2023, 10, 20), synced=True,
           intake_digitized="partial")  # fmt: skip
    finish("b", D(2023, 10, 9), result_digitized=True)
    create("c", "P4", "buu_chinh", D(2023, 10, 2), None, intake_digitized="full",
           e_certified_copy=True)  # fmt: skip
    finish("c", D(2023, 10, 9))
    # late: finished 12/10 after its due date 10/10; a feedback was filed about it
    create("d", "P2", "truc_tiep", D(2023, 10, 3), D(2023, 10, 10))
    finish("d", D(2023, 10, 12))
    s.dossier_update(dossier=out["d"], by=by, complaint=True)
    # unfinished, due 20/10: overdue at 31/10
    create("e", "P2", "truc_tiep", D(2023, 10, 5), D(2023, 10, 20))
    # one supplement 11/10 → 13/10 stops the clock 2 working days: due 20/10 → 24/10,
    # finished 24/10: on time
    create("f", "P1", "truc_tuyen", D(2023, 10, 9), D(2023, 10, 20))
    s.dossier_request_supplement(dossier=out["f"], at=at(D(2023, 10, 11)), by=by)
    s.dossier_receive_supplement(dossier=out["f"], at=at(D(2023, 10, 13)), by=by)
    finish("f", D(2023, 10, 24))
    # a second supplement request: late whatever the dates
    create("g", "P1", "truc_tiep", D(2023, 10, 2), D(2023, 10, 30))
    s.dossier_request_supplement(dossier=out["g"], at=at(D(2023, 10, 3)), by=by)
    s.dossier_receive_supplement(dossier=out["g"], at=at(D(2023, 10, 4)), by=by)
    s.dossier_request_supplement(dossier=out["g"], at=at(D(2023, 10, 5)), by=by)
    s.dossier_receive_supplement(dossier=out["g"], at=at(D(2023, 10, 6)), by=by)
    finish("g", D(2023, 10, 9))
    # waiting for the applicant since 25/10: the clock stood still 26, 27, 30, 31/10, so
    # the due date 27/10 moves to 2/11 at the period end: in time
    create("h", "P2", "truc_tiep", D(2023, 10, 23), D(2023, 10, 27))
    s.dossier_request_supplement(dossier=out["h"], at=at(D(2023, 10, 25)), by=by)
    # carried over from September, finished 3/10 before its due date 4/10
    create("i", "P1", "truc_tiep", D(2023, 9, 20), D(2023, 10, 4))
    finish("i", D(2023, 10, 3))
    # received and finished in September: not in October at all
    create("j", "P1", "truc_tiep", D(2023, 9, 4), D(2023, 9, 18))
    finish("j", D(2023, 9, 8))
    return out


def feedback(unit, by) -> dict[str, Feedback]:
    s = services
    out: dict[str, Feedback] = {}

    def record(code, received, **kw):
        out[code] = s.feedback_record(
            unit=unit,
            by=by,
            code=code,
            received_on=received,
            channel="hom_thu",
            content=f"Phản ánh {code}",
            **kw,
        )
        return out[code]

    # answer due 2/10 + 15 working days = 23/10; answered 16/10, published 17/10 (≤ 18/10)
    record("F1", D(2023, 10, 2), classification="hanh_vi")
    s.feedback_answer(feedback=out["F1"], on=D(2023, 10, 16), answer="Đã giải quyết", by=by)
    s.feedback_publish(feedback=out["F1"], on=D(2023, 10, 17), where="Cổng TTĐT xã", by=by)
    s.feedback_set_satisfaction(
        feedback=out["F1"], satisfaction="satisfied", repeat_complaint=False, by=by
    )
    # answered 25/10 after its due date 23/10: late
    record("F2", D(2023, 10, 2))
    s.feedback_answer(feedback=out["F2"], on=D(2023, 10, 25), answer="Trả lời muộn", by=by)
    s.feedback_publish(feedback=out["F2"], on=D(2023, 10, 25), where="Cổng TTĐT xã", by=by)
    # still open at 31/10, due 10/11: within time
    record("F3", D(2023, 10, 20), classification="khong_phu_hop")
    # answered 10/10 but never published (due 12/10): late
    record("F4", D(2023, 10, 3))
    s.feedback_answer(feedback=out["F4"], on=D(2023, 10, 10), answer="Đã trả lời", by=by)
    # on time, but the citizen was not satisfied (5.3)
    record("F5", D(2023, 10, 4))
    s.feedback_answer(feedback=out["F5"], on=D(2023, 10, 11), answer="Đã trả lời", by=by)
    s.feedback_publish(feedback=out["F5"], on=D(2023, 10, 12), where="Cổng TTĐT xã", by=by)
    s.feedback_set_satisfaction(
        feedback=out["F5"], satisfaction="not_satisfied", repeat_complaint=False, by=by
    )
    # refused (outside the commune's remit): not in 5.2 or 5.3
    record("F6", D(2023, 10, 5))
    s.feedback_refuse(feedback=out["F6"], on=D(2023, 10, 6), reason="Không thuộc thẩm quyền", by=by)
    # on time, but the citizen complained again about the result (5.3)
    record("F7", D(2023, 10, 2))
    s.feedback_answer(feedback=out["F7"], on=D(2023, 10, 9), answer="Đã trả lời", by=by)
    s.feedback_publish(feedback=out["F7"], on=D(2023, 10, 10), where="Cổng TTĐT xã", by=by)
    s.feedback_set_satisfaction(feedback=out["F7"], satisfaction=None, repeat_complaint=True, by=by)
    return out


def build(cast) -> October:
    by = cast.officer
    procs = procedures(by)
    return October(
        procedures=procs,
        dossiers=dossiers(cast.dong_tam, procs, by),
        feedback=feedback(cast.dong_tam, by),
    )


# Worked out by hand from the data above (the comments say why).
EXPECTED: dict[str, int] = {
    # catalogue of a commune: P1, P2, P4 (PT is province level)
    "procedures.total": 3,
    "procedures.announced": 2,  # P1, P2 announced in October, both with an effective date
    "procedures.announced_on_time": 1,  # P1
    "procedures.to_publish": 2,
    "procedures.published_on_time": 1,  # P1
    "procedures.published": 3,
    "procedures.published_complete": 2,  # P1, P4
    "procedures.online": 2,  # P1 full, P2 partial
    "procedures.with_fee": 2,  # P1, P2
    "procedures.with_fee_payment_integrated": 1,  # P1
    "procedures.with_fee_paid_online": 1,  # P1 (dossier a)
    # received in October: a b c d e f g h
    "dossiers.received": 8,
    "dossiers.received_synced": 2,  # a b
    "dossiers.received_online": 2,  # a f
    "dossiers.reused_data": 1,
    "dossiers.data_store_linked": 1,
    "dossiers.intake_digitized": 3,  # a b c
    "dossiers.digitized_766": 3,  # a (e-result), b (scanned result), c (no paper result)
    "dossiers.fee_required": 7,  # all but c
    "dossiers.paid_online": 1,
    "dossiers.full_process_eligible": 4,  # P1: a b f g
    "dossiers.full_process_online": 2,  # a f
    "dossiers.certification": 1,  # c
    "dossiers.e_certified_copy": 1,
    # finished in October: a b c d f g i
    "dossiers.finished": 7,
    "dossiers.finished_paper_result": 6,  # all but c
    "dossiers.finished_result_electronic": 2,  # a b
    # received or processed: the 8 received and i (carried over)
    "dossiers.received_or_processed": 9,
    "dossiers.on_time_766": 6,  # a b c f h i
    "dossiers.late_766": 3,  # d (late), e (overdue), g (second supplement)
    "dossiers.disliked_or_complained": 1,  # d
    "dossiers.satisfaction_766": 5,  # 9 − 3 − 1
    # feedback received or processed, F6 refused: F1 F2 F3 F4 F5 F7
    "feedback.received_or_processed": 6,
    "feedback.on_time": 4,  # F1 F3 F5 F7
    "feedback.late": 2,  # F2 F4
    "feedback.satisfied_766": 2,  # F1 F3
}
