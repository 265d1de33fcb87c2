"""The outline demo on a small copy of the demo's units: communes file (one typed on the
page, one imported from XLSX), one does not, the upper unit compiles; the demo district's
yearly report carries every heading of seed 004 in order, each with content under it."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from cchc.documents.document import Table, plain_text
from cchc.reports.checker import check_file, check_text
from cchc.reports.outlines import demo, documents
from cchc.reports.outlines.models import OutlineReport, OutlineReportStatus
from cchc.units import roles as R
from cchc.units.demo import DemoAccount, DemoContext
from cchc.units.models import Unit, UnitKind
from cchc.units.services import person_create

from .test_spec import SEED_004_HEADINGS

pytestmark = pytest.mark.django_db

# Seed 004's headings as the demo district's 2024 report prints them.
DEMO_HEADINGS = [
    h.replace("2021", "2024").replace("NĂM 2022", "NĂM 2025") for h in SEED_004_HEADINGS
]


@pytest.fixture
def ctx():
    province = Unit.objects.create(
        scheme="2025", code="31", name="Thành phố Hải Phòng", kind=UnitKind.PROVINCE
    )
    communes = {}
    for code, name in [
        ("11311", "Xã Ninh Giang"),
        ("11312", "Xã Tứ Kỳ"),
        ("11313", "Xã Gia Lộc"),
        ("11314", "Xã Thanh Hà"),
        ("11315", "Xã Mẫu"),
    ]:
        communes[name] = Unit.objects.create(
            scheme="2025", code=code, name=name, kind=UnitKind.COMMUNE, parent=province
        )
    old = Unit.objects.create(
        scheme="2008",
        code="30",
        name="Tỉnh Hải Dương",
        kind=UnitKind.PROVINCE,
        valid_from=dt.date(2008, 1, 1),
        valid_to=dt.date(2025, 6, 30),
    )
    Unit.objects.create(
        scheme="2008",
        code="299",
        name="Huyện Ninh Giang",
        kind=UnitKind.DISTRICT,
        parent=old,
        valid_from=dt.date(2008, 1, 1),
        valid_to=dt.date(2025, 6, 30),
    )
    ctx = DemoContext(province=province)
    for username, name, role, home in [
        ("quantri", "Nguyễn Thị Hạnh", R.ADMINISTRATOR, province),
        ("chutich", "Đinh Văn Châu", R.HEAD, communes["Xã Ninh Giang"]),
        ("congchuc2", "Vũ Đức Thắng", R.OFFICER, communes["Xã Tứ Kỳ"]),
    ]:
        person_create(username=username, password="x", full_name=name, unit=home, roles=[role])
        ctx.accounts.append(DemoAccount(username, name, role, home))
    return ctx


def _report(unit_name: str, code: str) -> OutlineReport:
    return OutlineReport.objects.get(unit__name=unit_name, outline__code=code)


@time_machine.travel(dt.datetime(2026, 12, 6, 9, 0), tick=False)
def test_demo_files_and_compiles_and_is_safe_twice(ctx):
    demo.load(ctx)
    demo.load(ctx)
    district = _report("Huyện Ninh Giang", demo.DISTRICT_OUTLINE)
    assert district.compiled["filed"] == ["Xã Đồng Tâm", "Xã Hồng Dụ"]
    assert district.compiled["missing"] == ["Xã Hưng Long"]
    dong_tam = _report("Xã Đồng Tâm", demo.DISTRICT_OUTLINE)
    hong_du = _report("Xã Hồng Dụ", demo.DISTRICT_OUTLINE)
    assert dong_tam.status == hong_du.status == OutlineReportStatus.SUBMITTED
    assert hong_du.history.filter(change_reason="Nhập từ tệp XLSX").exists()
    assert not dong_tam.history.filter(change_reason="Nhập từ tệp XLSX").exists()
    assert not OutlineReport.objects.filter(unit__name="Xã Hưng Long").exists()
    assert any(a.username == "noivu.ninhgiang" for a in ctx.accounts)
    assert OutlineReport.objects.filter(unit__name="Huyện Ninh Giang").count() == 1

    # The city, the last quarter ended: three communes filed, Tứ Kỳ's draft not sent.
    city = _report("Thành phố Hải Phòng", demo.PROVINCE_OUTLINE)
    assert city.period_code == "2026-Q3"  # 15/6–14/9; the fourth runs to 14/12
    assert city.compiled["filed"] == ["Xã Gia Lộc", "Xã Ninh Giang", "Xã Thanh Hà"]
    assert city.compiled["missing"] == ["Xã Mẫu", "Xã Tứ Kỳ"]
    assert _report("Xã Tứ Kỳ", demo.PROVINCE_OUTLINE).status == OutlineReportStatus.DRAFT


@time_machine.travel(dt.datetime(2026, 12, 6, 9, 0), tick=False)
def test_demo_district_report_has_every_seed_004_heading_filled(ctx, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    demo.load(ctx)
    district = _report("Huyện Ninh Giang", demo.DISTRICT_OUTLINE)
    doc = documents.document_for(district)
    lines = [line for line in plain_text(doc).split("\n") if line.strip()]
    positions = [lines.index(h) for h in DEMO_HEADINGS]
    assert positions == sorted(positions), "seed 004's headings out of order"
    # Each heading is filled: something other than the next heading follows it.
    empty = [
        heading
        for heading, here, after in zip(
            DEMO_HEADINGS, positions, positions[1:] + [len(lines)], strict=True
        )
        if after - here < 2 and not _has_subheading(heading)
    ]
    assert empty == [], f"headings with nothing under them: {empty}"
    text = "\n".join(lines)
    assert "chưa gửi báo cáo: Xã Hưng Long" in text
    assert demo.TEXTS["giai_phap"].split("\n")[0] in text
    assert check_text(plain_text(doc)) == []
    # the annex's tables are numbered in order; amounts in đồng get fewer, wider columns
    captions = [b.caption for b in doc.annexes if isinstance(b, Table)]
    assert captions == [f"Biểu {n}" for n in range(1, len(captions) + 1)]
    money = next(b for b in doc.annexes if isinstance(b, Table) and "vốn đầu tư" in str(b.columns))
    assert len(money.columns) <= 2 + 3
    # every report of the demo, each unit's and each compilation: check-report finds nothing
    for report in OutlineReport.objects.all():
        assert check_text(plain_text(documents.document_for(report))) == [], str(report)
    city = _report("Thành phố Hải Phòng", demo.PROVINCE_OUTLINE)
    for report, fmt in [(district, "docx"), (district, "pdf"), (city, "docx"), (city, "pdf")]:
        row = documents.report_generate(report=report, fmt=fmt)
        path = tmp_path / row.filename
        path.write_bytes(row.file.read())
        assert check_file(path) == [], (str(report), fmt)


def _has_subheading(heading: str) -> bool:
    """A parent heading (I., 1., 2.) whose first child heading follows at once."""
    index = DEMO_HEADINGS.index(heading)
    if index + 1 == len(DEMO_HEADINGS):
        return False
    code, child = heading.split(" ")[0], DEMO_HEADINGS[index + 1].split(" ")[0]
    return (code.rstrip(".").isalpha() and child == "1.") or child.startswith(code)
