"""Demo data of the service index: citizen feedback for the demo communes (one commune
keeps an empty register, the real state of seed 000), then the index of every demo commune
computed and printed. Runs after the dossiers demo; running it again adds nothing."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cchc.dossiers.calendar import work_calendar
from cchc.dossiers.models import Dossier
from cchc.service_index import selectors, services
from cchc.service_index.models import Feedback
from cchc.service_index.presentation import rank_sentence, total_sentence
from cchc.units import roles as R
from cchc.units.models import Unit

ZERO_FEEDBACK_COMMUNE = "Xã Tứ Kỳ"  # an empty register: "chưa nhận được ý kiến, kiến nghị nào"
MAIN_COMMUNE = "Xã Ninh Giang"

# (code, working days ago received, channel, classification, content, what happened)
# what happened: ("answer", days after receipt, published days after answer or None,
# satisfaction, repeat) | ("refuse", days) | ("open", assigned?)
FEEDBACK = [
    ("PAKN-MAU-01", 60, "hom_thu", "hanh_vi",
     "Công chức bộ phận một cửa yêu cầu nộp thêm bản sao giấy khai sinh không có trong "
     "thành phần hồ sơ.", ("answer", 6, 1, "satisfied", False)),
    ("PAKN-MAU-02", 52, "cong_dvc", "khong_phu_hop",
     "Đề nghị cho phép nộp trực tuyến hồ sơ đăng ký thường trú không cần bản giấy.",
     ("answer", 12, 2, None, False)),
    ("PAKN-MAU-03", 45, "truc_tiep", "hanh_vi",
     "Hồ sơ chứng thực chữ ký trả kết quả chậm hai ngày so với giấy hẹn.",
     ("answer", 18, 1, "not_satisfied", True)),
    ("PAKN-MAU-04", 30, "dien_thoai", "khac",
     "Hỏi về lệ phí cấp bản sao trích lục hộ tịch.", ("refuse", 1)),
    ("PAKN-MAU-05", 20, "hom_thu", "khong_thong_nhat",
     "Bảng niêm yết thủ tục tại bộ phận một cửa khác với danh mục trên Cổng dịch vụ công.",
     ("answer", 9, None, None, False)),
    ("PAKN-MAU-06", 17, "cong_dvc", "hanh_vi",
     "Đề nghị bố trí thêm ghế chờ và máy lấy số thứ tự tại bộ phận một cửa.",
     ("open", True)),
    ("PAKN-MAU-07", 4, "truc_tiep", "de_xuat",
     "Kiến nghị niêm yết mã QR thanh toán phí, lệ phí tại quầy tiếp nhận.", ("open", False)),
]  # fmt: skip


def _working_days_ago(today: dt.date, n: int) -> dt.date:
    calendar = work_calendar([today.year - 1, today.year])
    day = today
    while n > 0:
        day -= dt.timedelta(days=1)
        if calendar.is_working_day(day):
            n -= 1
    return day


def _after(day: dt.date, n: int, today: dt.date) -> dt.date:
    calendar = work_calendar([day.year, today.year])
    return min(calendar.add_working_days(day, n), today)


def demo_communes(ctx) -> list[Unit]:
    """The communes the dossiers demo filled, plus the demo accounts' communes."""
    with_dossiers = set(
        Dossier.objects.filter(unit__parent=ctx.province).values_list("unit_id", flat=True)
    )
    names = {MAIN_COMMUNE, ZERO_FEEDBACK_COMMUNE}
    return list(
        Unit.objects.filter(parent=ctx.province, valid_to__isnull=True)
        .filter(Q(pk__in=with_dossiers) | Q(name__in=names))
        .order_by("name")
    )


@transaction.atomic
def load_feedback(unit: Unit, items, *, officer, today: dt.date) -> int:
    created = 0
    for code, ago, channel, classification, content, outcome in items:
        if Feedback.objects.filter(unit=unit, code=code).exists():
            continue
        received = _working_days_ago(today, ago)
        own = getattr(getattr(officer, "profile", None), "unit_id", None) == unit.pk
        assignee = officer if own and (outcome[0] != "open" or outcome[1]) else None
        feedback = services.feedback_record(
            unit=unit,
            by=officer,
            code=code,
            received_on=received,
            channel=channel,
            classification=classification,
            content=content,
            sender_name="Người dân (dữ liệu mẫu)",
            assigned_to=assignee,
        )
        if outcome[0] == "answer":
            _, after, publish_after, satisfaction, repeat = outcome
            answered = _after(received, after, today)
            services.feedback_answer(
                feedback=feedback,
                on=answered,
                answer="UBND xã đã kiểm tra, chấn chỉnh và trả lời công dân bằng văn bản.",
                by=officer,
            )
            if publish_after is not None:
                services.feedback_publish(
                    feedback=feedback,
                    on=_after(answered, publish_after, today),
                    where="Trang thông tin điện tử của xã",
                    by=officer,
                )
            if satisfaction or repeat:
                services.feedback_set_satisfaction(
                    feedback=feedback, satisfaction=satisfaction, repeat_complaint=repeat,
                    by=officer,
                )  # fmt: skip
        elif outcome[0] == "refuse":
            services.feedback_refuse(
                feedback=feedback,
                on=_after(received, outcome[1], today),
                reason="Nội dung hỏi đáp chính sách, không phải phản ánh về quy định hành chính.",
                by=officer,
            )
        created += 1
    return created


def _officer_of(unit: Unit, ctx):
    """The unit's officer (who keeps the register), else its head, else the administrator."""
    User = get_user_model()
    for role in (R.OFFICER, R.HEAD):
        for account in ctx.accounts:
            if account.unit.pk == unit.pk and account.role == role:
                return User.objects.get(username=account.username)
    return User.objects.get(username=ctx.accounts[0].username)


def load(ctx) -> None:
    today = timezone.localdate()
    communes = demo_communes(ctx)
    for index, unit in enumerate(communes):
        if unit.name == ZERO_FEEDBACK_COMMUNE:
            continue
        if unit.name == MAIN_COMMUNE:
            items = FEEDBACK  # the demo officer's desk: the whole register
        elif index % 4 == 1:
            items = FEEDBACK[index % 3 :: 3]  # a few communes: a short register
        else:
            continue  # most communes received nothing (seed 000)
        load_feedback(unit, items, officer=_officer_of(unit, ctx), today=today)
    _print_index(ctx, communes, today)


def _print_index(ctx, communes: list[Unit], today: dt.date) -> None:
    """The index of every demo commune: what `make demo` shows in the terminal."""
    period = selectors.default_period(today)
    rows = selectors.ranking(list(selectors.rankable_children(ctx.province, period)), period)
    ranks = {row.unit.pk: row.ranked for row in rows}
    scored = [ranks[u.pk] for u in communes if u.pk in ranks and ranks[u.pk].rank is not None]
    print(f"    Chỉ số 766 ({period.label}): tính cho {len(scored)}/{len(communes)} đơn vị")
    if scored:
        scored_sorted = sorted(scored, key=lambda r: r.rank or 0)
        best, worst = scored_sorted[0], scored_sorted[-1]
        print(f"      cao nhất: {_name(best)} {total_sentence(best.result)}")
        print(f"      thấp nhất: {_name(worst)} {total_sentence(worst.result)}")
    for unit in communes:
        if unit.name in (MAIN_COMMUNE, ZERO_FEEDBACK_COMMUNE) and unit.pk in ranks:
            ranked = ranks[unit.pk]
            print(
                f"      {unit.name}: {total_sentence(ranked.result)}; "
                f"{rank_sentence(ranked, 'xã, phường, đặc khu')}"
            )
    missing = [u.name for u in communes if u.pk not in ranks or ranks[u.pk].rank is None]
    if missing:
        print(f"      chưa có số liệu: {', '.join(missing[:10])}")


def _name(ranked) -> str:
    return Unit.objects.get(pk=int(ranked.result.unit)).name
