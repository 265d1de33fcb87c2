"""Demo data of the foundation: Hải Phòng (with the former Hải Dương kept as history),
its departments, and one account per role. Other apps add theirs in their own demo.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cchc.units import roles as R
from cchc.units import services
from cchc.units.models import AppraisalAssignment, Unit, UnitKind

DATA = Path(__file__).parent / "data"
PASSWORD = "cchc-demo"
PROVINCE_CODE = "31"  # Thành phố Hải Phòng, which since 1/7/2025 includes the former Hải Dương


@dataclass
class DemoAccount:
    username: str
    full_name: str
    role: str
    unit: Unit


@dataclass
class DemoContext:
    province: Unit
    accounts: list[DemoAccount] = field(default_factory=list)

    def account(self, username: str) -> DemoAccount:
        return next(a for a in self.accounts if a.username == username)


def load() -> DemoContext:
    result = services.units_load_province(code=PROVINCE_CODE)
    services.units_import(source=DATA / "hai-phong-departments.csv")
    services.units_import(source=DATA / "hai-duong-2008.csv")
    province = result.province
    snv = Unit.objects.get(scheme="local", code="HP-SNV")
    commune = Unit.objects.get(scheme="2025", parent=province, name="Xã Ninh Giang")
    other = Unit.objects.get(scheme="2025", parent=province, name="Xã Tứ Kỳ")
    ctx = DemoContext(province=province)
    people = [
        ("quantri", "Nguyễn Thị Hạnh", [R.ADMINISTRATOR], province, "Chuyên viên Sở Nội vụ"),
        ("thamdinh", "Trần Văn Minh", [R.APPRAISER], snv, "Thành viên Tổ thẩm định"),
        ("chutich", "Đinh Văn Châu", [R.HEAD], commune, "Chủ tịch UBND xã"),
        ("congchuc", "Phạm Thị Lan", [R.OFFICER], commune, "Công chức Văn phòng - Thống kê"),
        ("congchuc2", "Vũ Đức Thắng", [R.OFFICER], other, "Công chức Văn phòng - Thống kê"),
    ]
    for username, full_name, roles, unit, position in people:
        services.person_create(
            username=username,
            password=PASSWORD,
            full_name=full_name,
            unit=unit,
            roles=roles,
            position=position,
        )
        ctx.accounts.append(DemoAccount(username, full_name, roles[0], unit))
    appraiser = ctx.account("thamdinh")
    communes = Unit.objects.filter(
        parent=province, kind__in=[UnitKind.COMMUNE, UnitKind.WARD, UnitKind.SPECIAL_ZONE]
    )
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=appraiser.username)
    for unit in communes:
        AppraisalAssignment.objects.get_or_create(appraiser=user, unit=unit)
    return ctx
