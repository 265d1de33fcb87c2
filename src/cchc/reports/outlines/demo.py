"""Demo data of outline reports: the shipped outlines, loaded; and two areas whose units
file reports against them, so a new user sees filing and compiling at work.

- **Huyện Ninh Giang, 2024** (the three-level structure before 1/7/2025, seed 004's
  outline): its communes file their yearly reports (Xã Đồng Tâm typed on the page, Xã Hồng
  Dụ and every third one imported from the XLSX the system exports), Xã Hưng Long does not;
  the district's own report is compiled from them, names Hưng Long as not filed, and
  carries the district's own narrative for every section. The account ``noivu.ninhgiang``
  (the district's Phòng Nội vụ, also the evaluations demo's) opens it.
- **Thành phố Hải Phòng, the last quarter ended** (the two-level outline): Xã Ninh Giang
  (its chairman ``chutich``) and two other communes file; Xã Tứ Kỳ has a draft it has not
  sent; the city's report is compiled (``quantri`` sees it), naming every unit that has
  not filed.

Entered figures are drawn per unit from a seeded random (deterministic), within the
outline's checks; measured figures come from the demo's dossiers, plans and index.
Idempotent: an outline that exists is left as it is; a report already submitted is left
as it is, and compiling again only refreshes the compilation.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils import timezone

from cchc.core.people import Person
from cchc.dossiers.periods import Period, parse_period, period_for
from cchc.reports.outlines import services
from cchc.reports.outlines.models import Outline, OutlineReport, OutlineReportStatus
from cchc.reports.outlines.spec import load_outline
from cchc.units import roles as R
from cchc.units.models import CodeScheme, Unit, UnitKind
from cchc.units.naming import authority_name

OUTLINES = Path(__file__).resolve().parents[4] / "outlines"

DISTRICT_OUTLINE = "hd-bc-cchc-nam-2021"
DISTRICT_PERIOD = "2024"
PROVINCE_OUTLINE = "bc-cchc-2-cap-2025"
# Huyện Ninh Giang's communes in the demo (former Hải Dương; ended 30/6/2025 with the
# district, their area now in Xã Ninh Giang and its neighbours). Local codes: the GSO
# codes of these communes are not in the demo's unit lists.
DISTRICT_COMMUNES = [
    ("HD-NG-DONGTAM", "Xã Đồng Tâm", "page", ("chutich.dongtam", "Phạm Văn Hùng")),
    ("HD-NG-HONGDU", "Xã Hồng Dụ", "xlsx", ("chutich.hongdu", "Đỗ Thị Mai")),
    ("HD-NG-HUNGLONG", "Xã Hưng Long", None, None),  # does not file
]
PROVINCE_FILERS = ["Xã Ninh Giang", "Xã Gia Lộc", "Xã Thanh Hà"]
PROVINCE_DRAFT = "Xã Tứ Kỳ"  # wrote a draft, has not sent it

DISTRICT_ACCOUNT = (
    "noivu.ninhgiang",
    "Phòng Nội vụ huyện Ninh Giang",
    "Chuyên viên theo dõi CCHC (đến 6/2025)",
)

# What units write per section (after seeds 000–004); {unit} is the unit's name.
TEXTS = {
    "chi_dao_text": (
        "{unit} đã ban hành Kế hoạch cải cách hành chính năm, phân công rõ nhiệm vụ, thời "
        "hạn và sản phẩm cho từng bộ phận; định kỳ kiểm điểm tiến độ tại các cuộc họp giao ban."
    ),
    "kiem_tra_text": (
        "Tổ chức tự kiểm tra công tác cải cách hành chính theo kế hoạch; các tồn tại được "
        "chấn chỉnh ngay sau kiểm tra."
    ),
    "tuyen_truyen_text": (
        "Tuyên truyền cải cách hành chính trên hệ thống truyền thanh, trang thông tin điện tử "
        "và tại Bộ phận Một cửa; hướng dẫn người dân nộp hồ sơ trực tuyến."
    ),
    "the_che_text": (
        "Rà soát, hệ thống hóa văn bản quy phạm pháp luật do địa phương ban hành; không có "
        "văn bản trái pháp luật phải xử lý."
    ),
    "tthc_text": (
        "Niêm yết công khai đầy đủ thủ tục hành chính tại Bộ phận Một cửa; hồ sơ được tiếp "
        "nhận, giải quyết trên phần mềm một cửa điện tử, phần lớn trước và đúng hạn."
    ),
    "bo_may_text": (
        "Kiện toàn tổ chức bộ máy, sắp xếp công chức theo vị trí việc làm; quy chế làm việc "
        "được rà soát, sửa đổi kịp thời."
    ),
    "cong_vu_text": (
        "Đánh giá, xếp loại cán bộ, công chức đúng quy định; cử công chức tham gia các lớp bồi "
        "dưỡng chuyên môn, nghiệp vụ."
    ),
    "tai_chinh_text": (
        "Thực hiện cơ chế tự chủ về sử dụng biên chế và kinh phí quản lý hành chính; giải ngân "
        "vốn đầu tư công theo kế hoạch."
    ),
    "cqs_text": (
        "Sử dụng văn bản điện tử, chữ ký số trong gửi, nhận văn bản; duy trì Hệ thống quản lý "
        "chất lượng theo tiêu chuẩn TCVN ISO 9001:2015."
    ),
    "chi_so_text": "Các tiêu chí của Bộ chỉ số cải cách hành chính được theo dõi, cập nhật hằng quý.",
    "chi_so_huyen_text": (
        "Huyện tự đánh giá, chấm điểm chỉ số cải cách hành chính theo hướng dẫn của tỉnh, "
        "kèm đầy đủ tài liệu kiểm chứng."
    ),
    "chi_so_xa_text": (
        "Hội đồng thẩm định của huyện thẩm định kết quả tự đánh giá của các xã, thị trấn và "
        "công bố chỉ số cải cách hành chính cấp xã."
    ),
    "xep_hang_text": (
        "Xếp hạng các xã, thị trấn theo chỉ số cải cách hành chính; kết quả được công bố công "
        "khai và gắn với thi đua, khen thưởng."
    ),
    "nguoi_dung_dau_text": (
        "Kết quả cải cách hành chính là một tiêu chí đánh giá, xếp loại người đứng đầu UBND các "
        "xã, thị trấn."
    ),
    "uu_diem": (
        "- Công tác chỉ đạo, điều hành cải cách hành chính được quan tâm, sát sao.\n"
        "- Bộ phận Một cửa hoạt động nền nếp, hồ sơ phần lớn giải quyết trước hạn."
    ),
    "ton_tai": (
        "- Tỷ lệ thanh toán phí, lệ phí trực tuyến còn thấp.\n"
        "- Việc số hóa kết quả giải quyết thủ tục hành chính chưa đạt chỉ tiêu."
    ),
    "nguyen_nhan": (
        "- Người dân chưa quen sử dụng dịch vụ công trực tuyến.\n"
        "- Trang thiết bị tại Bộ phận Một cửa chưa đồng bộ."
    ),
    "ke_hoach_sau": (
        "Ban hành Kế hoạch cải cách hành chính năm sau trong tháng 12, với mục tiêu, nhiệm vụ "
        "và hoạt động cụ thể, phân công rõ đơn vị chủ trì."
    ),
    "giai_phap": (
        "1. Tăng cường tuyên truyền, hướng dẫn dịch vụ công trực tuyến toàn trình.\n"
        "2. Nâng cao tỷ lệ số hóa hồ sơ, kết quả giải quyết thủ tục hành chính.\n"
        "3. Tăng cường kiểm tra, chấn chỉnh kịp thời tồn tại, hạn chế."
    ),
    "phuong_huong": (
        "Tiếp tục thực hiện đồng bộ các nhiệm vụ cải cách hành chính; nâng cao tỷ lệ hồ sơ "
        "trực tuyến và thanh toán trực tuyến."
    ),
    "kien_nghi": "Đề nghị UBND thành phố tiếp tục bố trí kinh phí nâng cấp Bộ phận Một cửa.",
}
# What a commune writes itself (the district writes every section).
COMMUNE_TEXTS = ["chi_dao_text", "the_che_text", "tthc_text", "uu_diem", "ton_tai"]


def load_outlines() -> None:
    for path in sorted(OUTLINES.glob("*.yaml")):
        if not Outline.objects.filter(code=load_outline(path).code).exists():
            services.outline_load(source=path)


def load(ctx) -> None:
    load_outlines()
    today = timezone.localdate()
    _district(ctx)
    _province(ctx, last_quarter(today))


def last_quarter(today: dt.date) -> Period:
    """The last reporting quarter that has ended by today."""
    for year in (today.year + 1, today.year, today.year - 1):
        for number in (4, 3, 2, 1):
            period = period_for("quarter", year, number)
            if period.end < today:
                return period
    raise AssertionError("unreachable")


def _user(username: str):
    return get_user_model().objects.filter(username=username).first()


def entries_for(spec, unit: Unit, period: Period, measured: dict) -> dict[str, object]:
    """Plausible entered figures for every entered figure of the outline: seeded per unit,
    parts never above their whole (entered or measured), dates inside the period."""
    rng = random.Random(f"outline-{unit.code}-{period.code}")
    out: dict[str, object] = {}
    wholes: dict[str, int] = {}
    for fig in spec.figures():
        if not fig.is_entered:
            continue
        if fig.unit == "yesno":
            out[fig.key] = "có" if rng.random() < 0.9 else "không"
        elif fig.unit == "date":
            day = period.start + dt.timedelta(days=rng.randint(3, 25))
            out[fig.key] = f"{day.day:02d}/{day.month:02d}/{day.year}"
        elif fig.unit in ("count", "dong"):
            scale = 1_000_000 if fig.unit == "dong" else 1
            value = rng.randint(2, 30) * (rng.randint(100, 900) if scale > 1 else 1) * scale
            if fig.part_of:
                whole = wholes.get(fig.part_of, measured.get(fig.part_of))
                if isinstance(whole, int):  # no data on the whole: nothing to stay under
                    value = whole * rng.randint(60, 95) // 100 // scale * scale
            wholes[fig.key] = value
            out[fig.key] = str(value)
        else:
            out[fig.key] = f"Kế hoạch số {rng.randint(10, 250)}/KH-UBND"
    return out


def _file(
    outline: Outline, unit: Unit, period: Period, *, by: Person, how: str | None, submit: bool
):
    """One unit's report: entries typed on the page or imported from the exported XLSX,
    its narrative, then submitted by its head (unless ``submit`` is False)."""
    report = services.report_open(outline=outline, unit=unit, period=period, by=by)
    if report.status == OutlineReportStatus.SUBMITTED:
        return report
    spec = outline.spec()
    measured = services.report_values(report)
    values = entries_for(spec, unit, period, measured)
    texts = {
        key: TEXTS[key].format(unit=unit.name)
        for key in COMMUNE_TEXTS
        if any(n.key == key for n in spec.narratives())
    }
    if how == "xlsx":
        services.report_import_xlsx(report=report, data=filled_xlsx(spec, values, texts), by=by)
    else:
        services.report_save(report=report, values=values, narratives=texts, by=by)
    if submit:
        report = services.report_submit(report=report, by=by)
    return report


def filled_xlsx(spec, values: dict[str, object], texts: dict[str, str]) -> bytes:
    """The blank workbook the system exports, filled in as a unit would."""
    import io

    from openpyxl import load_workbook

    from cchc.reports.outlines.xlsx import export_blank

    book = load_workbook(io.BytesIO(export_blank(spec)))
    for row in book["Số liệu"].iter_rows(min_row=2):
        if row[1].value in values:
            row[5].value = values[row[1].value]
    for row in book["Phần lời"].iter_rows(min_row=2):
        if row[1].value in texts:
            row[3].value = texts[row[1].value]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upper(outline: Outline, unit: Unit, period: Period, *, by: Person) -> OutlineReport:
    """The upper unit writes its own narrative for every section, then compiles."""
    report = services.report_open(outline=outline, unit=unit, period=period, by=by)
    spec = outline.spec()
    if not report.narratives:
        name = unit.name
        texts = {n.key: TEXTS[n.key].format(unit=name) for n in spec.narratives() if n.key in TEXTS}
        services.report_save(
            report=report,
            values=entries_for(spec, unit, period, services.report_values(report)),
            narratives=texts,
            by=by,
            reason="Dữ liệu mẫu",
        )
    return services.report_compile(report=report, by=by)


def district_unit() -> Unit | None:
    return Unit.objects.filter(scheme=CodeScheme.GSO_2008, name="Huyện Ninh Giang").first()


def _district(ctx) -> None:
    district = district_unit()
    outline = Outline.objects.filter(code=DISTRICT_OUTLINE).first()
    if district is None or outline is None:
        return
    from cchc.units.demo import PASSWORD, DemoAccount
    from cchc.units.services import person_create

    for code, name, _how, _head in DISTRICT_COMMUNES:
        Unit.objects.get_or_create(
            scheme=CodeScheme.LOCAL,
            code=code,
            defaults={
                "name": name,
                "kind": UnitKind.COMMUNE,
                "parent": district,
                "valid_from": district.valid_from,
                "valid_to": district.valid_to,
            },
        )
    # The district's Phòng Nội vụ (the evaluations demo's account, when it ran first).
    username, full_name, position = DISTRICT_ACCOUNT
    officer = _user(username) or person_create(
        username=username,
        password=PASSWORD,
        full_name=full_name,
        unit=district,
        roles=[R.ADMINISTRATOR],
        position=position,
    )
    if all(a.username != username for a in ctx.accounts):
        ctx.accounts.append(DemoAccount(username, full_name, R.ADMINISTRATOR, district))
    period = parse_period(DISTRICT_PERIOD)
    named = {name: (how, head) for _code, name, how, head in DISTRICT_COMMUNES}
    for index, unit in enumerate(services.children_in_period(district, period)):
        how, head = named.get(unit.name, ("xlsx" if index % 3 == 2 else "page", None))
        if how is None:
            continue  # Xã Hưng Long does not file
        username, name = head or (
            f"chutich.{unit.code.lower().removeprefix('hd-ng-')}",
            f"Chủ tịch {authority_name(unit)}",
        )
        by = person_create(
            username=username,
            password=PASSWORD,
            full_name=name,
            unit=unit,
            roles=[R.HEAD],
            position=f"Chủ tịch {authority_name(unit)}",
        )
        _file(outline, unit, period, by=by, how=how, submit=True)
    _upper(outline, district, period, by=officer)


def _province(ctx, period: Period) -> None:
    province = ctx.province
    outline = Outline.objects.filter(code=PROVINCE_OUTLINE).first()
    if outline is None:
        return
    head = _user("chutich")
    officer = _user("congchuc2")
    admin = _user("quantri")
    for index, name in enumerate(PROVINCE_FILERS):
        unit = Unit.objects.filter(scheme=CodeScheme.GSO_2025, parent=province, name=name).first()
        if unit is None:
            continue
        by = head if name == "Xã Ninh Giang" else admin
        _file(outline, unit, period, by=by, how="xlsx" if index == 2 else "page", submit=True)
    other = Unit.objects.filter(
        scheme=CodeScheme.GSO_2025, parent=province, name=PROVINCE_DRAFT
    ).first()
    if other is not None:
        _file(outline, other, period, by=officer, how="page", submit=False)
    _upper(outline, province, period, by=admin)
