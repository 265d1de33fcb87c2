"""Demo data of plans, inspections, breakthrough work and staffing, for Xã Ninh Giang
(Hải Phòng). Dates follow today's date so that the demo always has work done, late and due
soon. Idempotent: what exists (by unit and year, or by title) is left as it is."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cchc.core.people import Person
from cchc.plans import components, services
from cchc.plans.models import (
    BreakthroughCall,
    Component,
    Inspection,
    Plan,
    PlanItem,
    StaffingYear,
    Status,
)
from cchc.units.models import Profile, Unit, UnitKind
from cchc.units.naming import authority_name

VP = "Văn phòng - Thống kê"

# (component, objective, lead, [(task, product, officer, (month, day), [(activity, product,
# (month, day))])]). Officer "@congchuc" is the demo officer's account.
# fmt: off
PLAN = [
    ("1", "Nâng cao hiệu lực, hiệu quả công tác chỉ đạo, điều hành CCHC", VP, [
        ("Ban hành các kế hoạch triển khai công tác CCHC năm", "Các kế hoạch được ban hành",
         "@congchuc", (2, 28), [
            ("Xây dựng, ban hành Kế hoạch CCHC năm", "Kế hoạch CCHC", (1, 15)),
            ("Ban hành Kế hoạch tuyên truyền CCHC", "Kế hoạch tuyên truyền", (1, 31)),
            ("Ban hành Kế hoạch tự kiểm tra công tác CCHC", "Kế hoạch tự kiểm tra", (2, 28)),
        ]),
        ("Thực hiện chế độ báo cáo CCHC định kỳ", "Báo cáo quý, 6 tháng, năm", "@congchuc",
         (12, 10), [
            ("Báo cáo CCHC quý I", "Báo cáo", (3, 12)),
            ("Báo cáo CCHC 6 tháng đầu năm", "Báo cáo", (6, 12)),
            ("Báo cáo CCHC quý III", "Báo cáo", (9, 12)),
            ("Báo cáo CCHC năm", "Báo cáo", (12, 10)),
        ]),
    ]),
    ("1", "Đẩy mạnh thông tin, tuyên truyền về CCHC", "Văn hóa - Xã hội", [
        ("Tuyên truyền CCHC trên Đài truyền thanh và Trang thông tin điện tử xã",
         "Tin, bài tuyên truyền", "Bùi Văn Sơn", (12, 31), [
            ("Duy trì chuyên mục CCHC trên Đài truyền thanh xã (02 tin, bài mỗi tháng)",
             "Chuyên mục phát thanh", (12, 31)),
            ("Đăng tin, bài về CCHC, dịch vụ công trực tuyến trên Trang thông tin điện tử xã",
             "Tin, bài được đăng", (12, 31)),
        ]),
        ("Tổ chức hội nghị sơ kết 6 tháng, tổng kết công tác CCHC", "Hội nghị, báo cáo",
         "Đinh Văn Châu", (7, 31), []),
    ]),
    ("2", "Nâng cao chất lượng xây dựng, thi hành pháp luật", "Tư pháp - Hộ tịch", [
        ("Rà soát, hệ thống hóa văn bản QPPL do HĐND, UBND xã ban hành",
         "Báo cáo kết quả rà soát", "Vũ Thị Hằng", (10, 31), [
            ("Lập danh mục văn bản cần rà soát", "Danh mục", (3, 31)),
            ("Công bố danh mục văn bản hết hiệu lực", "Quyết định công bố", (10, 31)),
        ]),
        ("Tuyên truyền, phổ biến, giáo dục pháp luật cho Nhân dân", "Hội nghị, tài liệu",
         "Đỗ Văn Khánh", (11, 30), []),
    ]),
    ("3", "Kiểm soát, công khai thủ tục hành chính", VP, [
        ("Niêm yết, công khai đầy đủ TTHC tại Bộ phận Một cửa và trên Trang thông tin điện tử",
         "Danh mục TTHC được niêm yết", "@congchuc", (3, 31), [
            ("Cập nhật danh mục TTHC theo quyết định công bố của Chủ tịch UBND thành phố",
             "Danh mục TTHC", (3, 15)),
            ("Niêm yết địa chỉ tiếp nhận phản ánh, kiến nghị về quy định hành chính",
             "Bảng niêm yết", (3, 31)),
        ]),
        ("Rà soát, đề xuất phương án đơn giản hóa TTHC", "Báo cáo, phương án đơn giản hóa",
         "@congchuc", (9, 30), []),
    ]),
    ("3", "Nâng cao chất lượng giải quyết TTHC theo cơ chế một cửa, một cửa liên thông",
     "Bộ phận Một cửa", [
        ("Số hóa hồ sơ, kết quả giải quyết TTHC theo Nghị định 107/2021/NĐ-CP",
         "Tỷ lệ số hóa đạt 100%", "Lê Văn Toàn", (12, 15), [
            ("Số hóa thành phần hồ sơ khi tiếp nhận", "Hồ sơ được số hóa", (6, 30)),
            ("Số hóa kết quả giải quyết TTHC còn hiệu lực", "Kết quả được số hóa", (12, 15)),
            ("Số hóa sổ hộ tịch lưu trữ giai đoạn 2016–2020", "Dữ liệu hộ tịch điện tử",
             (10, 31)),
        ]),
        ("Khảo sát mức độ hài lòng của người dân, tổ chức", "Phiếu khảo sát, báo cáo",
         "Lê Văn Toàn", (12, 15), [
            ("Khảo sát 6 tháng đầu năm", "Báo cáo kết quả khảo sát", (6, 30)),
            ("Khảo sát 6 tháng cuối năm", "Báo cáo kết quả khảo sát", (12, 15)),
        ]),
    ]),
    ("4", "Kiện toàn tổ chức bộ máy, quy chế làm việc", VP, [
        ("Sửa đổi Quy chế làm việc của UBND xã", "Quyết định ban hành Quy chế",
         "Đặng Văn Long", (4, 30), [
            ("Lấy ý kiến cán bộ, công chức về dự thảo Quy chế", "Tổng hợp ý kiến", (4, 15)),
        ]),
        ("Kiện toàn Bộ phận Một cửa của UBND xã", "Quyết định kiện toàn", "Đinh Văn Châu",
         (2, 28), []),
    ]),
    ("5", "Nâng cao chất lượng đội ngũ cán bộ, công chức", VP, [
        ("Đánh giá, xếp loại chất lượng cán bộ, công chức", "Kết quả đánh giá, xếp loại",
         "Đinh Văn Châu", (12, 31), [
            ("Đánh giá, xếp loại cán bộ, công chức cuối năm", "Biên bản, quyết định", (12, 31)),
        ]),
        ("Cử cán bộ, công chức tham gia đào tạo, bồi dưỡng", "Danh sách cử đi học",
         "@congchuc", (9, 30), [
            ("Bồi dưỡng kỹ năng số cho cán bộ, công chức", "Lớp bồi dưỡng", (7, 31)),
            ("Cử công chức học lớp bồi dưỡng QLNN ngạch chuyên viên", "Quyết định cử đi học",
             (9, 30)),
        ]),
    ]),
    ("6", "Quản lý tài chính công công khai, minh bạch", "Tài chính - Kế toán", [
        ("Công khai dự toán, quyết toán ngân sách xã", "Biên bản niêm yết công khai",
         "Nguyễn Thị Thu", (10, 31), [
            ("Công khai dự toán ngân sách năm", "Biên bản niêm yết", (1, 31)),
            ("Công khai tình hình thực hiện dự toán 9 tháng", "Biên bản niêm yết", (10, 31)),
        ]),
        ("Sửa đổi Quy chế chi tiêu nội bộ, Quy chế quản lý tài sản công", "Quyết định ban hành",
         "Nguyễn Thị Thu", (3, 31), []),
    ]),
    ("7", "Xây dựng và phát triển chính quyền số", VP, [
        ("Sử dụng chữ ký số, văn bản điện tử trong chỉ đạo, điều hành",
         "100% văn bản điện tử có chữ ký số (trừ văn bản mật)", "Lê Văn Toàn", (12, 31), [
            ("Cấp, gia hạn chứng thư số cho lãnh đạo và công chức", "Chứng thư số", (3, 31)),
            ("Gửi, nhận văn bản điện tử qua phần mềm quản lý văn bản và điều hành",
             "Văn bản điện tử", (12, 31)),
        ]),
        ("Đẩy mạnh dịch vụ công trực tuyến, thanh toán trực tuyến", "Tỷ lệ hồ sơ trực tuyến",
         "Lê Văn Toàn", (11, 30), [
            ("Tổ công nghệ số cộng đồng hướng dẫn người dân nộp hồ sơ trực tuyến",
             "Số hồ sơ được hướng dẫn", (11, 30)),
            ("Triển khai thanh toán phí, lệ phí trực tuyến", "Hồ sơ thanh toán trực tuyến",
             (6, 30)),
        ]),
    ]),
    ("7", "Duy trì, cải tiến Hệ thống quản lý chất lượng TCVN ISO 9001:2015", VP, [
        ("Cập nhật quy trình nội bộ theo TTHC mới công bố", "Quy trình được cập nhật",
         "@congchuc", (6, 30), [
            ("Rà soát danh mục quy trình nội bộ", "Danh mục quy trình", (5, 31)),
            ("Ban hành quy trình sửa đổi, bổ sung", "Quyết định ban hành", (6, 30)),
        ]),
        ("Đánh giá nội bộ, xem xét của lãnh đạo", "Báo cáo đánh giá nội bộ", "@congchuc",
         (11, 15), []),
    ]),
]

# fmt: on

# Leaves whose deadline is moved next to today so the demo always shows these states.
LATE = {"5.1.3": -12, "2.2": -5, "8.1.2": -30}
DUE_SOON = {"9.2.1": 3, "5.2.2": 7, "10.2": 12}
DONE_LATE = {"1.2.2", "3.1.1"}

# fmt: off
STAFF = [
    # name, position, qualification, political, QLNN, trainings, rating (last year)
    ("Đinh Văn Châu", "Chủ tịch UBND xã", "thac_si", "cao_cap", "cvc", "", "xuat_sac"),
    ("Nguyễn Văn Hùng", "Phó Chủ tịch UBND xã", "dai_hoc", "cao_cap", "cvc", "", "xuat_sac"),
    ("Trần Thị Mai", "Phó Chủ tịch UBND xã", "thac_si", "trung_cap", "cv", "", "tot"),
    ("Phạm Thị Lan", "Công chức Văn phòng - Thống kê", "dai_hoc", "trung_cap", "cv",
     "Tập huấn nghiệp vụ một cửa, dịch vụ công trực tuyến; Bồi dưỡng kỹ năng số", "xuat_sac"),
    ("Lê Văn Toàn", "Công chức Văn phòng - Thống kê", "dai_hoc", "trung_cap", "cv",
     "Tập huấn nghiệp vụ một cửa, dịch vụ công trực tuyến; Bồi dưỡng kỹ năng số", "tot"),
    ("Vũ Thị Hằng", "Công chức Tư pháp - Hộ tịch", "dai_hoc", "trung_cap", "cv",
     "Tập huấn nghiệp vụ một cửa, dịch vụ công trực tuyến", "tot"),
    ("Đỗ Văn Khánh", "Công chức Tư pháp - Hộ tịch", "dai_hoc", "so_cap", "chua",
     "Bồi dưỡng QLNN ngạch chuyên viên", "tot"),
    ("Hoàng Văn Nam", "Công chức Địa chính - Xây dựng", "dai_hoc", "trung_cap", "cv",
     "Bồi dưỡng kỹ năng số", "tot"),
    ("Nguyễn Thị Thu", "Công chức Tài chính - Kế toán", "dai_hoc", "trung_cap", "cv", "",
     "xuat_sac"),
    ("Bùi Văn Sơn", "Công chức Văn hóa - Xã hội", "dai_hoc", "trung_cap", "cv",
     "Bồi dưỡng kỹ năng số", "tot"),
    ("Ngô Thị Hương", "Công chức Văn hóa - Xã hội", "dai_hoc", "so_cap", "chua",
     "Bồi dưỡng QLNN ngạch chuyên viên; Trung cấp lý luận chính trị - hành chính", "tot"),
    ("Trịnh Văn Đức", "Công chức Địa chính - Nông nghiệp và Môi trường", "dai_hoc",
     "trung_cap", "cv", "", "tot"),
    ("Lương Thị Nga", "Công chức Tài chính - Kế toán", "dai_hoc", "trung_cap", "cv",
     "Bồi dưỡng kỹ năng số", "tot"),
    ("Đặng Văn Long", "Công chức Văn phòng HĐND - UBND", "dai_hoc", "trung_cap", "cv", "",
     "tot"),
    ("Mai Thị Phương", "Công chức Văn hóa - Xã hội", "dai_hoc", "so_cap", "chua",
     "Bồi dưỡng QLNN ngạch chuyên viên; Trung cấp lý luận chính trị - hành chính", "tot"),
    ("Phạm Văn Quân", "Chỉ huy trưởng Ban Chỉ huy Quân sự xã", "trung_cap", "trung_cap", "chua",
     "", "tot"),
    ("Vũ Văn Hiếu", "Phó Chỉ huy trưởng Ban Chỉ huy Quân sự xã", "trung_cap", "so_cap", "chua",
     "", "tot"),
    ("Đào Thị Yến", "Công chức Văn phòng - Thống kê (tuyển dụng tháng 11)", "dai_hoc", "chua",
     "chua", "", ""),
    ("Trần Quốc Bảo", "Trưởng Công an xã (công an chính quy)", "dai_hoc", "trung_cap", "chua",
     "", ""),
]
# fmt: on


def _officer(name: str, people: dict[str, Profile]) -> tuple[Profile | None, str]:
    if name.startswith("@"):
        profile = people.get(name[1:])
        return profile, profile.full_name if profile else ""
    return None, name


def _build_plan(
    *,
    unit: Unit,
    year: int,
    number: str,
    issued_on: dt.date,
    today: dt.date,
    user: Person,
    people: dict[str, Profile],
    current: bool,
) -> Plan:
    plan = services.plan_create(
        unit=unit,
        year=year,
        title=f"Kế hoạch cải cách hành chính năm {year} của {authority_name(unit)}",
        number=number,
        issued_on=issued_on,
        by=user,
    )
    components = {c.code: c for c in Component.objects.all()}
    for comp_code, objective, lead, tasks in PLAN:
        obj = services.item_create(
            plan=plan,
            title=objective,
            component=components[comp_code],
            lead_unit_name=lead,
            by=user,
        )
        obj_due, obj_start = [], []
        for title, product, officer, (month, day), activities in tasks:
            profile, officer_name = _officer(officer, people)
            task = services.item_create(
                plan=plan,
                parent=obj,
                title=title,
                product=product,
                lead_officer=profile,
                lead_officer_name=officer_name,
                lead_unit_name=lead,
                by=user,
            )
            leaves = [task] if not activities else []
            act_due = []
            for a_title, a_product, (a_month, a_day) in activities:
                activity = services.item_create(
                    plan=plan,
                    parent=task,
                    title=a_title,
                    product=a_product,
                    lead_officer=profile,
                    lead_officer_name=officer_name,
                    lead_unit_name=lead,
                    due_on=dt.date(year, a_month, a_day),
                    by=user,
                )
                leaves.append(activity)
            if not activities:
                task.due_on = dt.date(year, month, day)
            act_start = []
            for leaf in leaves:
                if current and leaf.code in LATE:
                    leaf.due_on = today + dt.timedelta(days=LATE[leaf.code])
                if current and leaf.code in DUE_SOON:
                    leaf.due_on = today + dt.timedelta(days=DUE_SOON[leaf.code])
                leaf.start_on = _start_for(leaf.due_on, year)
                PlanItem.objects.filter(pk=leaf.pk).update(
                    due_on=leaf.due_on, start_on=leaf.start_on
                )
                act_due.append(leaf.due_on)
                act_start.append(leaf.start_on)
                _set_demo_status(leaf, today, current, user)
            if activities:
                PlanItem.objects.filter(pk=task.pk).update(
                    due_on=max(act_due), start_on=min(act_start)
                )
            obj_due.append(max(act_due))
            obj_start.append(min(act_start))
        PlanItem.objects.filter(pk=obj.pk).update(due_on=max(obj_due), start_on=min(obj_start))
    return plan


def _start_for(due: dt.date, year: int) -> dt.date:
    """Work due at the year's end runs all year; other work over the six weeks before."""
    first = dt.date(year, 1, 1)
    start = first if due == dt.date(year, 12, 31) else max(first, due - dt.timedelta(days=45))
    return min(due, start)


def _set_demo_status(leaf: PlanItem, today: dt.date, current: bool, user: Person) -> None:
    leaf.refresh_from_db()
    due = leaf.due_on
    if current and leaf.code in LATE:
        status = Status.IN_PROGRESS if LATE[leaf.code] > -20 else Status.NOT_STARTED
        services.item_set_status(item=leaf, status=status, by=user, today=today)
        return
    if due < today:
        done_on = due - dt.timedelta(days=2)
        if leaf.code in DONE_LATE:
            done_on = min(due + dt.timedelta(days=6), today)
        services.item_set_status(
            item=leaf,
            status=Status.DONE,
            done_on=done_on,
            by=user,
            today=today,
            reason="Đã hoàn thành, có báo cáo kết quả",
        )
    elif (due - today).days <= 45:
        services.item_set_status(item=leaf, status=Status.IN_PROGRESS, by=user, today=today)


def _plans(unit: Unit, today: dt.date, user: Person, people) -> None:
    year = today.year
    if not Plan.objects.filter(unit=unit, year=year - 1).exists():
        _build_plan(
            unit=unit,
            year=year - 1,
            number="58/KH-UBND",
            issued_on=dt.date(year - 2, 12, 28),
            today=today,
            user=user,
            people=people,
            current=False,
        )
    if not Plan.objects.filter(unit=unit, year=year).exists():
        _build_plan(
            unit=unit,
            year=year,
            number="61/KH-UBND",
            issued_on=dt.date(year - 1, 12, 27),
            today=today,
            user=user,
            people=people,
            current=True,
        )


def _inspection(province: Unit, commune: Unit, other: Unit, today: dt.date, admin, officer) -> None:
    year = today.year
    title = f"Kiểm tra công tác cải cách hành chính năm {year} tại các xã, phường, cơ quan"
    if Inspection.objects.filter(organiser=province, title=title).exists():
        return
    communes = list(
        Unit.objects.filter(parent=province, kind=UnitKind.COMMUNE)
        .exclude(pk__in=[commune.pk, other.pk])
        .order_by("name")[:4]
    )
    departments = list(
        Unit.objects.filter(parent=province, kind=UnitKind.DEPARTMENT).order_by("code")[:2]
    )
    start = today - dt.timedelta(days=60)
    inspection = services.inspection_create(
        organiser=province,
        kind=Inspection.Kind.INSPECTION,
        year=year,
        title=title,
        inspecting_body="Đoàn kiểm tra CCHC của UBND thành phố (Sở Nội vụ chủ trì)",
        decision_no="1268/QĐ-SNV",
        decision_date=start - dt.timedelta(days=14),
        start_on=start,
        end_on=start + dt.timedelta(days=9),
        members="Nguyễn Thị Hạnh, Chuyên viên Sở Nội vụ — Trưởng đoàn\n"
        "Trần Văn Minh, Thành viên Tổ thẩm định\n"
        "Lê Thu Trang, Chuyên viên Văn phòng UBND thành phố",
        report_due_on=today - dt.timedelta(days=10),
        conclusion="Các đơn vị được kiểm tra đã ban hành đầy đủ kế hoạch CCHC, công khai "
        "TTHC; còn tồn tại trong số hóa hồ sơ, sử dụng hòm thư công vụ và tuyên truyền.",
        targets=[commune, other, *communes, *departments],
        by=admin,
    )
    c = {x.code: x for x in Component.objects.all()}
    shortcoming, result = "shortcoming", "result"
    findings = [
        (
            commune,
            "1",
            result,
            "Ban hành kịp thời Kế hoạch CCHC, kế hoạch tuyên truyền, kế "
            "hoạch tự kiểm tra; phân công rõ công chức phụ trách từng nhiệm vụ.",
        ),
        (
            commune,
            "1",
            shortcoming,
            "Chưa tổ chức hội nghị sơ kết công tác CCHC 6 tháng đầu "
            "năm; tuyên truyền về dịch vụ công trực tuyến, bưu chính công ích còn hạn chế.",
        ),
        (
            commune,
            "2",
            shortcoming,
            "Một số văn bản hành chính chưa đảm bảo thể thức, kỹ thuật "
            "trình bày theo Nghị định số 30/2020/NĐ-CP.",
        ),
        (
            commune,
            "3",
            result,
            "Niêm yết công khai đầy đủ TTHC và địa chỉ tiếp nhận phản ánh, "
            "kiến nghị; không có hồ sơ trễ hạn trên phần mềm một cửa.",
        ),
        (
            commune,
            "3",
            shortcoming,
            "Tỷ lệ số hóa thành phần hồ sơ khi tiếp nhận và số hóa "
            "kết quả giải quyết TTHC chưa đạt 100% chỉ tiêu giao.",
        ),
        (
            commune,
            "7",
            shortcoming,
            "06/16 hòm thư công vụ của cán bộ, công chức bị khóa do "
            "lâu không sử dụng; Trang thông tin điện tử cập nhật tin, bài chưa thường xuyên.",
        ),
        (
            other,
            "3",
            shortcoming,
            "Chưa lập biên bản niêm yết, biên bản kết thúc niêm yết danh "
            "sách người hưởng trợ cấp xã hội.",
        ),
        (
            other,
            "5",
            shortcoming,
            "Một số công chức còn thiếu chủ động, kỹ năng hành chính "
            "hạn chế nên tham mưu chưa kịp thời.",
        ),
    ]
    made = {}
    for unit, code, kind, text in findings:
        made[(unit.pk, code, kind)] = services.finding_add(
            inspection=inspection, unit=unit, component=c[code], kind=kind, text=text, by=admin
        )
    overdue = services.recommendation_add(
        inspection=inspection,
        unit=commune,
        finding=made[(commune.pk, "3", shortcoming)],
        text="Nâng tỷ lệ số hóa hồ sơ và kết quả giải quyết TTHC đạt 100% theo chỉ tiêu giao; "
        "báo cáo kết quả khắc phục về Sở Nội vụ.",
        by=admin,
    )
    reported = services.recommendation_add(
        inspection=inspection,
        unit=commune,
        finding=made[(commune.pk, "1", shortcoming)],
        text="Tổ chức hội nghị sơ kết công tác CCHC, rút kinh nghiệm và đề ra giải pháp.",
        by=admin,
    )
    services.remediation_report_add(
        recommendation=reported,
        text="Đã tổ chức hội nghị sơ kết công tác CCHC 9 tháng; ban hành Thông báo kết luận "
        "và phân công khắc phục từng tồn tại.",
        reported_on=today - dt.timedelta(days=14),
        by=officer,
        today=today,
    )
    services.recommendation_add(
        inspection=inspection,
        unit=commune,
        finding=made[(commune.pk, "7", shortcoming)],
        text="Mở khóa và sử dụng thường xuyên hòm thư công vụ của 06 công chức; cập nhật tin, "
        "bài trên Trang thông tin điện tử ít nhất mỗi tuần.",
        due_on=today + dt.timedelta(days=20),
        by=admin,
    )
    services.recommendation_add(
        inspection=inspection,
        unit=other,
        component=c["3"],
        text="Lập biên bản niêm yết, biên bản kết thúc niêm yết theo quy định.",
        due_on=today + dt.timedelta(days=30),
        by=admin,
    )
    del overdue  # left without a report on purpose: the demo's overdue recommendation


def _breakthrough(
    province: Unit, commune: Unit, other: Unit, today: dt.date, admin, officer, officer2
) -> None:
    year = today.year
    title = f"Đăng ký công việc đột phá, sáng kiến CCHC năm {year}"
    if BreakthroughCall.objects.filter(unit=province, title=title).exists():
        return
    deadline = min(dt.date(year, 4, 10), today - dt.timedelta(days=10))
    call = services.call_create(
        unit=province,
        year=year,
        title=title,
        document="Chỉ thị số 03/CT-UBND của Chủ tịch UBND thành phố",
        deadline=deadline,
        note="Các xã, phường, đặc khu đăng ký ít nhất 01 công việc đột phá, sáng tạo nhằm nâng "
        "cao Chỉ số CCHC, gửi về Sở Nội vụ trước hạn.",
        by=admin,
    )
    components = {x.code: x for x in Component.objects.all()}
    registration = services.breakthrough_register(
        call=call,
        unit=commune,
        title="Số hóa 100% sổ hộ tịch lưu trữ, khai thác dữ liệu hộ tịch điện tử khi giải "
        "quyết TTHC",
        solution="Giao công chức Tư pháp - Hộ tịch chủ trì, Tổ công nghệ số cộng đồng hỗ trợ; "
        "số hóa theo từng năm đăng ký, kiểm tra chéo hằng tháng.",
        component=components["3"],
        lead_officer_name="Vũ Thị Hằng",
        product="Dữ liệu hộ tịch điện tử được kết nối",
        due_on=dt.date(year, 12, 15),
        by=officer,
        today=deadline - dt.timedelta(days=7),
    )
    services.breakthrough_set_status(
        registration=registration, status=Status.IN_PROGRESS, by=officer, today=today
    )
    late = services.breakthrough_register(
        call=call,
        unit=other,
        title="Mô hình “Bộ phận Một cửa thân thiện — không hẹn lần hai”",
        component=components["3"],
        lead_officer_name="Vũ Đức Thắng",
        product="Không có hồ sơ phải bổ sung quá 01 lần",
        due_on=dt.date(year, 9, 30) if today > dt.date(year, 9, 30) else today,
        by=officer2,
        today=min(deadline + dt.timedelta(days=4), today),
    )
    services.breakthrough_set_status(
        registration=late,
        status=Status.DONE,
        done_on=min(late.due_on, today),
        by=officer2,
        today=today,
    )


def _staffing(commune: Unit, today: dt.date, user: Person) -> None:
    last = today.year - 1
    if not StaffingYear.objects.filter(unit=commune, year=last).exists():
        staffing = services.staffing_save(
            unit=commune,
            year=last,
            positions_allotted=20,
            positions_filled=19,
            by=user,
            note="Tổng số cán bộ, công chức có mặt gồm 01 Trưởng Công an xã chính quy.",
        )
        for name, position, qual, pol, qlnn, trainings, rating in STAFF:
            services.staff_member_save(
                staffing=staffing,
                full_name=name,
                position=position,
                qualification=qual,
                political_theory=pol,
                state_management=qlnn,
                trainings=trainings,
                rating=rating,
                by=user,
            )
    before = today.year - 2
    if not StaffingYear.objects.filter(unit=commune, year=before).exists():
        staffing = services.staffing_save(
            unit=commune, year=before, positions_allotted=20, positions_filled=17, by=user
        )
        for name, position, qual, pol, qlnn, _trainings, rating in STAFF:
            if not rating:
                continue  # joined later
            services.staff_member_save(
                staffing=staffing,
                full_name=name,
                position=position,
                qualification=qual,
                political_theory=pol,
                state_management=qlnn,
                trainings="",
                rating="tot",
                by=user,
            )


def load(ctx) -> None:
    today = timezone.localdate()
    users = get_user_model().objects
    commune = ctx.account("congchuc").unit
    other = ctx.account("congchuc2").unit
    officer = users.get(username="congchuc")
    officer2 = users.get(username="congchuc2")
    admin = users.get(username="quantri")
    people = {
        p.user.username: p for p in Profile.objects.filter(unit=commune).select_related("user")
    }
    with transaction.atomic():
        components.ensure()
        _plans(commune, today, officer, people)
        _inspection(ctx.province, commune, other, today, admin, officer)
        _breakthrough(ctx.province, commune, other, today, admin, officer, officer2)
        _staffing(commune, today, officer)
