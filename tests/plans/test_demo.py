"""The plans demo on a small copy of the demo's cast: complete, and safe to run twice."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from cchc.plans import demo, selectors
from cchc.plans.models import (
    Breakthrough,
    Inspection,
    Plan,
    Recommendation,
    StaffingYear,
)
from cchc.units import roles as R
from cchc.units.demo import DemoAccount, DemoContext
from cchc.units.models import Unit, UnitKind
from cchc.units.services import person_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctx():
    province = Unit.objects.create(
        scheme="2025", code="31", name="Thành phố Hải Phòng", kind=UnitKind.PROVINCE
    )

    def unit(code, name, kind=UnitKind.COMMUNE):
        return Unit.objects.create(scheme="2025", code=code, name=name, kind=kind, parent=province)

    ninh_giang = unit("11311", "Xã Ninh Giang")
    tu_ky = unit("11312", "Xã Tứ Kỳ")
    for i in range(5):
        unit(f"2000{i}", f"Xã Mẫu {i}")
    Unit.objects.create(
        scheme="local", code="HP-SNV", name="Sở Nội vụ", kind=UnitKind.DEPARTMENT, parent=province
    )
    ctx = DemoContext(province=province)
    for username, name, role, home in [
        ("quantri", "Nguyễn Thị Hạnh", R.ADMINISTRATOR, province),
        ("chutich", "Đinh Văn Châu", R.HEAD, ninh_giang),
        ("congchuc", "Phạm Thị Lan", R.OFFICER, ninh_giang),
        ("congchuc2", "Vũ Đức Thắng", R.OFFICER, tu_ky),
    ]:
        person_create(
            username=username, password="x-demo-123", full_name=name, unit=home, roles=[role]
        )
        ctx.accounts.append(DemoAccount(username, name, role, home))
    return ctx


@pytest.mark.parametrize("today", [dt.date(2026, 11, 22), dt.date(2027, 1, 5), dt.date(2026, 4, 2)])
def test_demo_is_complete_and_idempotent(ctx, today):
    with time_machine.travel(dt.datetime.combine(today, dt.time(9), tzinfo=dt.UTC), tick=False):
        demo.load(ctx)
        demo.load(ctx)
        commune = ctx.account("congchuc").unit
        plan = Plan.objects.get(unit=commune, year=today.year)
        assert Plan.objects.filter(unit=commune).count() == 2
        summary = selectors.plan_summary(plan)
        assert summary.counts == {"objective": 10, "task": 20, "activity": 30}
        c = summary.completion
        assert c.late >= 3 and c.due_soon >= 3
        last = selectors.plan_summary(Plan.objects.get(unit=commune, year=today.year - 1))
        assert last.completion.rate == 100
        assert Inspection.objects.count() == 1
        overdue = selectors.overdue_recommendations(ctx.account("chutich").unit.people.first().user)
        assert overdue.count() == 1
        assert Recommendation.objects.count() == 4
        assert Breakthrough.objects.count() == 2
        assert sum(b.registered_late for b in Breakthrough.objects.all()) == 1
        staffing = StaffingYear.objects.get(unit=commune, year=today.year - 1)
        ratings = selectors.staffing_summary(staffing).ratings
        assert (ratings.get("xuat_sac").count, ratings.whole) == (4, 17)
        assert str(ratings.get("xuat_sac").share) == "23.5"
