"""Demo data of the one-stop desks: a commune-level procedure catalogue and a year of
dossiers for every commune, ward and special zone of Hải Phòng, up to today.

- The catalogue: ~40 commune-level procedures in their real fields (Hộ tịch, Chứng thực,
  Đất đai, Bảo trợ xã hội, Người có công, Tư pháp…), with codes in the national database's
  shape (1.001193 is Đăng ký khai sinh); fees, processing times and online classes are
  plausible, not copied from a decision.
- The dossiers: 150–500 per unit (1,300 for Xã Ninh Giang, the demo officer's desk), about
  85–90% online (seed 002: 88,25%), almost all on time with a few late, some still
  pending, loaded through the bulk import (cchc.dossiers.imports.dossiers_import) so the
  monthly summary is built as in production.
- A few desk stories at Xã Ninh Giang through the services: a supplement request and its
  answer, a second request (late by rule), a late dossier with its apology letter, one due
  soon, one received this morning.

Deterministic: seeded random per unit, dates relative to today. Idempotent: dossiers are
matched by (unit, code), so running `cchc demo` again updates rather than duplicates.
"""

from __future__ import annotations

import datetime as dt
import random
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.utils import timezone

from cchc.core.people import Person
from cchc.core.tabular import csv_writer
from cchc.dossiers import services
from cchc.dossiers.calendar import work_calendar
from cchc.dossiers.imports import dossiers_import
from cchc.dossiers.models import Dossier, OnlineClass, Procedure, Status
from cchc.units.models import Unit, UnitKind

VN = ZoneInfo("Asia/Ho_Chi_Minh")
SEED = "cchc-demo-dossiers"
DAYS_BACK = 380  # a reporting year (15/12–14/12) and the weeks before it, up to today
FILENAME = "demo-mot-cua-hai-phong.csv"

F = OnlineClass.FULL
P = OnlineClass.PARTIAL
N = OnlineClass.NONE


@dataclass(frozen=True)
class DemoProcedure:
    code: str
    name: str
    field: str
    days: int | None
    fee: int
    online: str
    weight: float  # share of a desk's dossiers


# (code, name, field, processing days, fee VND, online class, weight)
# fmt: off
CATALOGUE: tuple[DemoProcedure, ...] = tuple(
    DemoProcedure(*row)
    for row in (
        ("1.001193", "Đăng ký khai sinh", "Hộ tịch", 1, 0, F, 9),
        ("1.000656", "Đăng ký khai tử", "Hộ tịch", 1, 0, F, 3),
        ("1.000894", "Đăng ký kết hôn", "Hộ tịch", 1, 0, P, 2.5),
        ("1.004873", "Cấp bản sao trích lục hộ tịch", "Hộ tịch", 1, 8000, F, 6),
        ("1.004837", "Cấp giấy xác nhận tình trạng hôn nhân", "Hộ tịch", 3, 0, F, 6),
        ("1.001022", "Đăng ký nhận cha, mẹ, con", "Hộ tịch", 3, 0, P, 0.4),
        ("1.000689", "Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch", "Hộ tịch", 3, 0, F, 1.5),
        ("1.004746", "Đăng ký lại khai sinh", "Hộ tịch", 5, 0, P, 0.6),
        ("1.004772", "Đăng ký khai sinh kết hợp nhận cha, mẹ, con", "Hộ tịch", 3, 0, P, 0.3),
        ("2.000815", "Chứng thực bản sao từ bản chính giấy tờ, văn bản", "Chứng thực", 0, 2000, P, 22),
        ("2.000884", "Chứng thực chữ ký trong các giấy tờ, văn bản", "Chứng thực", 0, 10000, P, 5),
        ("2.001035", "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản", "Chứng thực", 2, 50000, N, 1.2),
        ("2.001019", "Chứng thực việc sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch", "Chứng thực", 2, 30000, N, 0.3),
        ("2.000913", "Chứng thực chữ ký người dịch", "Chứng thực", 0, 10000, P, 0.5),
        ("2.001009", "Chứng thực di chúc", "Chứng thực", 2, 50000, N, 0.2),
        ("1.003554", "Đăng ký biến động quyền sử dụng đất, tài sản gắn liền với đất", "Đất đai", 10, 0, P, 3),
        ("1.004227", "Đăng ký đất đai, tài sản gắn liền với đất lần đầu", "Đất đai", 20, 0, P, 0.8),
        ("1.005194", "Hòa giải tranh chấp đất đai", "Đất đai", 30, 0, N, 0.2),
        ("2.000486", "Xác nhận nguồn gốc, thời điểm sử dụng đất", "Đất đai", 10, 0, P, 0.8),
        ("1.001776", "Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hằng tháng", "Bảo trợ xã hội", 15, 0, F, 3),
        ("1.001758", "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội", "Bảo trợ xã hội", 3, 0, F, 0.8),
        ("2.000286", "Xác định, xác định lại mức độ khuyết tật và cấp giấy xác nhận khuyết tật", "Bảo trợ xã hội", 25, 0, F, 0.7),
        ("1.001699", "Đăng ký hộ nghèo, hộ cận nghèo phát sinh trong năm", "Bảo trợ xã hội", 7, 0, F, 0.5),
        ("1.010805", "Giải quyết trợ cấp mai táng phí đối với người có công", "Người có công", 5, 0, F, 0.4),
        ("1.002271", "Cấp giấy xác nhận thân nhân của người có công", "Người có công", 5, 0, F, 0.3),
        ("1.010832", "Giải quyết chế độ điều dưỡng phục hồi sức khỏe người có công", "Người có công", 7, 0, F, 0.3),
        ("2.000930", "Thủ tục công nhận hòa giải viên", "Tư pháp", 5, 0, F, 0.1),
        ("2.000944", "Thủ tục thanh toán thù lao cho hòa giải viên", "Tư pháp", 5, 0, F, 0.1),
        ("1.003596", "Công nhận tuyên truyền viên pháp luật", "Tư pháp", 5, 0, F, 0.1),
        ("1.001235", "Đăng ký thành lập hộ kinh doanh", "Đăng ký kinh doanh", 3, 100000, F, 3),
        ("2.000720", "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh", "Đăng ký kinh doanh", 3, 50000, F, 1.5),
        ("1.001612", "Cấp giấy phép xây dựng nhà ở riêng lẻ", "Xây dựng", 15, 75000, P, 1.2),
        ("1.008001", "Cấp giấy xác nhận đăng ký kế hoạch bảo vệ môi trường", "Môi trường", 10, 0, F, 0.2),
        ("1.003732", "Đăng ký hoạt động tín ngưỡng", "Tôn giáo, tín ngưỡng", 15, 0, F, 0.1),
        ("1.003005", "Thông báo tổ chức lễ hội cấp xã", "Văn hóa", 15, 0, F, 0.1),
        ("1.005098", "Xét tặng danh hiệu Gia đình văn hóa", "Văn hóa", 20, 0, F, 0.3),
        ("2.000337", "Cho phép trường mầm non, nhà trẻ hoạt động giáo dục", "Giáo dục và Đào tạo", 20, 0, N, 0.1),
        ("1.003400", "Hỗ trợ khôi phục sản xuất vùng bị thiệt hại do thiên tai", "Nông nghiệp", 10, 0, F, 0.3),
        ("1.000748", "Tặng Giấy khen của Chủ tịch UBND cấp xã", "Thi đua, khen thưởng", 20, 0, F, 0.2),
        ("2.002165", "Xác nhận hợp đồng tiếp cận nguồn gen (không thời hạn giải quyết)", "Nông nghiệp", None, 0, P, 0.05),
    )
)

# fmt: on

SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Đinh", "Phan")  # fmt: skip
MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Thu", "Hồng", "Quang", "Thanh", "Ngọc", "Xuân", "Hữu", "Kim")  # fmt: skip
GIVEN = (
    "An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hòa", "Hùng", "Hương", "Khánh",
    "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trang",
    "Tuấn", "Yến",
)  # fmt: skip

COLUMNS = (
    "code", "unit", "procedure", "channel", "received_at", "due_at", "finished_at", "status",
    "intake_digitized", "result_digitized", "paid_online", "applicant", "rating",
)  # fmt: skip


def _user(username: str):
    return get_user_model().objects.get(username=username)


def load_catalogue(by: Person) -> None:
    announced = dt.date(2025, 7, 1)
    for i, p in enumerate(CATALOGUE):
        published = announced + dt.timedelta(days=3 + i % 7) if (i + 4) % 9 else None
        services.procedure_save(
            by=by,
            code=p.code,
            name=p.name,
            field=p.field,
            level="commune",
            processing_days=p.days,
            fee=Decimal(p.fee),
            online_class=p.online,
            announcement_no="1812/QĐ-UBND",
            announced_on=announced,
            legal_basis_effective_on=dt.date(2025, 7, 1),
            published_on=published,
            all_parts_published=bool(published) and i % 5 != 0,
            payment_integrated=p.fee > 0 and p.online != N,
            paper_result_required=p.field not in {"Tư pháp", "Thi đua, khen thưởng"},
            certification=p.field == "Chứng thực",
            active=True,
            reason="Dữ liệu mẫu",
        )


def _volume(unit: Unit, rng: random.Random, busiest: Unit | None) -> int:
    if busiest is not None and unit.pk == busiest.pk:
        return 1300
    base = {UnitKind.WARD: (260, 500), UnitKind.SPECIAL_ZONE: (120, 220)}.get(unit.kind, (150, 380))
    return rng.randint(*base)


def _rows(units: list[Unit], busiest: Unit | None, today: dt.date, now: dt.datetime):
    """The import rows of every unit, deterministic for a given day."""
    calendar = work_calendar([today.year - 1, today.year])
    start = today - dt.timedelta(days=DAYS_BACK)
    days = calendar.working_days_in(start, today)
    cumulative = []
    running = 0.0
    for p in CATALOGUE:
        running += p.weight
        cumulative.append(running)
    for unit in units:
        rng = random.Random(f"{SEED}-{unit.scheme}-{unit.code}")
        count = _volume(unit, rng, busiest)
        online_bias = rng.uniform(-0.05, 0.04)
        late_rate = rng.choice((0.0, 0.002, 0.005, 0.01, 0.02))
        stuck_rate = rng.choice((0.0, 0.0, 0.002, 0.005))
        received_days = sorted(rng.choice(days) for _ in range(count))
        sequence: dict[dt.date, int] = {}
        for day in received_days:
            sequence[day] = sequence.get(day, 0) + 1
            proc = rng.choices(CATALOGUE, cum_weights=cumulative)[0]
            received = dt.datetime.combine(day, dt.time(7, 30), VN) + dt.timedelta(
                minutes=rng.randint(0, 9 * 60)
            )
            if received > now:
                received = now - dt.timedelta(minutes=rng.randint(5, 90))
            if proc.online == N:
                channel = "buu_chinh" if rng.random() < 0.03 else "truc_tiep"
            else:
                share = (0.95 if proc.online == F else 0.86) + online_bias
                channel = (
                    "truc_tuyen"
                    if rng.random() < share
                    else ("buu_chinh" if rng.random() < 0.05 else "truc_tiep")
                )
            due = None if proc.days is None else calendar.add_working_days(day, proc.days)
            # When the result is returned: almost always before the due date.
            roll = rng.random()
            if due is None:
                finish_day = calendar.add_working_days(day, rng.randint(1, 5))
            elif roll < late_rate:
                finish_day = calendar.add_working_days(due, rng.randint(1, 4))
            elif proc.days == 0 or roll < late_rate + 0.06:
                finish_day = due
            else:
                finish_day = calendar.add_working_days(day, rng.randint(0, max(proc.days - 1, 0)))
            finished = dt.datetime.combine(finish_day, dt.time(8, 0), VN) + dt.timedelta(
                minutes=rng.randint(0, 8 * 60)
            )
            if finish_day == day:
                finished = received + dt.timedelta(minutes=rng.randint(10, 120))
            stuck = due is not None and rng.random() < stuck_rate
            if finished > now or stuck:
                finished = None
            status = Status.PROCESSING
            if finished is not None:
                status = Status.RESOLVED
                if rng.random() < 0.006:
                    status = Status.RETURNED
                elif rng.random() < 0.003:
                    status = Status.WITHDRAWN
            intake = rng.choices(("full", "partial", "none"), (96, 3, 1))[0]
            online = channel == "truc_tuyen"
            yield (
                f"{unit.code}-{day:%y%m%d}-{sequence[day]:04d}",
                f"{unit.scheme}-{unit.code}",
                proc.code,
                channel,
                received.isoformat(timespec="minutes"),
                due.isoformat() if due else "",
                finished.isoformat(timespec="minutes") if finished else "",
                status,
                intake,
                "1" if finished is not None and rng.random() < 0.97 else "0",
                "1" if proc.fee and online and rng.random() < 0.75 else "0",
                f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
                ("satisfied" if rng.random() < 0.985 else "not_satisfied")
                if finished is not None and rng.random() < 0.6
                else "",
            )


def load_dossiers(ctx, by: Person) -> None:
    units = list(
        Unit.objects.filter(
            parent=ctx.province,
            kind__in=[UnitKind.COMMUNE, UnitKind.WARD, UnitKind.SPECIAL_ZONE],
        ).order_by("code")
    )
    busiest = ctx.account("congchuc").unit if ctx.accounts else None
    today = timezone.localdate()
    now = timezone.localtime().replace(second=0, microsecond=0)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / FILENAME
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv_writer(handle)
            writer.writerow(COLUMNS)
            writer.writerows(_rows(units, busiest, today, now))
        dossiers_import(source=path, filename=FILENAME, by=by)


def load_former_dossiers(units: list[Unit], by: Person) -> None:
    """The dossiers of units that have ended (Ninh Giang's communes, until 30/6/2025), so
    the former district's office sees figures on its 766 pages, not "no data" everywhere:
    the reporting year up to each unit's last day, made like the others."""
    units = [u for u in units if u.valid_to is not None]
    if not units:
        return
    last = max(u.valid_to for u in units)
    now = dt.datetime.combine(last, dt.time(17, 0), VN)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo-mot-cua-ninh-giang-truoc-2025.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv_writer(handle)
            writer.writerow(COLUMNS)
            writer.writerows(_rows(units, None, last, now))
        dossiers_import(source=path, filename=path.name, by=by)


# -- desk stories at the demo officer's commune -----------------------------------------------


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), VN)


def load_desk_stories(ctx) -> None:
    officer = _user("congchuc")
    unit = ctx.account("congchuc").unit
    calendar = work_calendar()
    today = timezone.localdate()
    now = timezone.localtime()

    def back(n: int) -> dt.date:
        """The n-th working day before today."""
        day = today
        while n > 0:
            day -= dt.timedelta(days=1)
            if calendar.is_working_day(day):
                n -= 1
        return day

    def create(code, procedure_code, received, applicant, channel="truc_tiep"):
        existing = Dossier.objects.filter(unit=unit, code=code).first()
        if existing is not None:
            return None  # already told: the stories run once
        return services.dossier_create(
            unit=unit,
            procedure=Procedure.objects.get(code=procedure_code),
            code=code,
            applicant=applicant,
            channel=channel,
            received_at=received,
            by=officer,
            intake_digitized="full",
        )

    # 1. Land registration, late: apology letter the day before the due date, resolved late.
    d = create("NG-MC-0001", "1.003554", _at(back(16), 9, 10), "Trần Văn Khải")
    if d is not None:
        services.dossier_transition(
            dossier=d, to_status=Status.PROCESSING, at=_at(back(15), 8), by=officer
        )
        services.dossier_apologise(
            dossier=d,
            new_due_on=calendar.add_working_days(d.due_on, 3),
            reason="Phải xác minh nguồn gốc thửa đất với Văn phòng đăng ký đất đai",
            by=officer,
            at=_at(back(6), 15),
        )
        services.dossier_finish(dossier=d, at=_at(back(3), 10), by=officer, result_digitized=True)
    # 2. Business registration overdue now, apology sent, still open.
    d = create("NG-MC-0002", "1.001235", _at(back(7), 14, 20), "Phạm Thị Thu Hà")
    if d is not None:
        services.dossier_transition(
            dossier=d, to_status=Status.PROCESSING, at=_at(back(7), 15), by=officer
        )
        services.dossier_apologise(
            dossier=d,
            new_due_on=calendar.add_working_days(today, 2),
            reason="Chờ ý kiến của cơ quan thuế về ngành nghề kinh doanh",
            by=officer,
            at=min(now, _at(back(1), 16)),
        )
    # 3. Supplement requested and supplied, then resolved on time.
    d = create("NG-MC-0003", "1.001776", _at(back(14), 8, 40), "Nguyễn Thị Lành")
    if d is not None:
        services.dossier_request_supplement(
            dossier=d, at=_at(back(12), 10), by=officer,
            reason="Bổ sung giấy xác nhận khuyết tật bản chính",
        )  # fmt: skip
        services.dossier_receive_supplement(dossier=d, at=_at(back(9), 9), by=officer)
        services.dossier_finish(dossier=d, at=_at(back(1), 9), by=officer, result_digitized=True)
    # 4. Asked to supplement twice: late by rule (QĐ 766 indicator 2.1), still open.
    d = create("NG-MC-0004", "1.001612", _at(back(10), 10, 5), "Đỗ Quang Vinh")
    if d is not None:
        services.dossier_request_supplement(
            dossier=d, at=_at(back(9), 9), by=officer, reason="Thiếu bản vẽ mặt bằng"
        )
        services.dossier_receive_supplement(dossier=d, at=_at(back(6), 9), by=officer)
        services.dossier_request_supplement(
            dossier=d, at=_at(back(4), 9), by=officer, reason="Bản vẽ chưa có chữ ký chủ đầu tư"
        )
    # 5. Waiting for the applicant: the clock stands still.
    d = create("NG-MC-0005", "1.004837", _at(back(3), 9, 30), "Lê Thị Mai Anh")
    if d is not None:
        services.dossier_request_supplement(
            dossier=d, at=_at(back(2), 9), by=officer,
            reason="Bổ sung trích lục ly hôn",
        )  # fmt: skip
    # 6. Due soon.
    create("NG-MC-0006", "1.000689", _at(back(2), 10, 0), "Hoàng Minh Tuấn")
    # 7. Received this morning (on the last working day when today is not one).
    last = today if calendar.is_working_day(today) else back(1)
    create("NG-MC-0007", "1.001193", min(now, _at(last, 8, 15)), "Vũ Thị Hồng Nhung")


def load(ctx) -> None:
    admin = _user("quantri")
    load_catalogue(admin)
    load_dossiers(ctx, admin)
    load_desk_stories(ctx)
