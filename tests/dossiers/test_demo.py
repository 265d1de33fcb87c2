"""The demo's dossiers: realistic, deterministic, loaded through the bulk import, idempotent."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine

from cchc.dossiers import demo
from cchc.dossiers.imports import dossiers_import
from cchc.dossiers.models import Dossier, DossierEvent, EventKind, Procedure, Status
from cchc.dossiers.periods import period_for
from cchc.dossiers.selectors import unit_stats
from cchc.units import roles as R
from cchc.units.demo import DemoAccount, DemoContext
from cchc.units.services import person_create

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 20, 3, 0, tzinfo=dt.UTC)  # Friday 20/11/2026, 10:00 in Vietnam


def csv_of(rows) -> io.BytesIO:
    import csv

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(demo.COLUMNS)
    writer.writerows(rows)
    return io.BytesIO(out.getvalue().encode())


@time_machine.travel(NOW, tick=False)
def test_catalogue_and_a_year_of_dossiers(cast):
    demo.load_catalogue(cast.administrator)
    assert Procedure.objects.count() == len(demo.CATALOGUE) >= 40
    fields = set(Procedure.objects.values_list("field", flat=True))
    assert {"Hộ tịch", "Chứng thực", "Đất đai", "Bảo trợ xã hội", "Tư pháp"} <= fields
    assert Procedure.objects.get(code="1.001193").name == "Đăng ký khai sinh"

    today, now = dt.date(2026, 11, 20), dt.datetime(2026, 11, 20, 10, 0, tzinfo=demo.VN)
    units = [cast.dong_tam, cast.thanh_xa]
    rows = list(demo._rows(units, cast.dong_tam, today, now))
    assert rows == list(demo._rows(units, cast.dong_tam, today, now))  # seeded
    assert len(rows) == 1300 + sum(1 for r in rows if r[1] == "local-THANHXA")
    result = dossiers_import(source=csv_of(rows), filename="demo.csv", by=cast.administrator)
    assert result.created == len(rows)
    # running the demo again changes nothing
    again = dossiers_import(source=csv_of(rows), filename="demo.csv", by=cast.administrator)
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(rows))

    stats = unit_stats(cast.dong_tam, period_for("year", 2026))
    online = stats.rates.online
    assert online is not None and 80 <= online <= 95  # seed 002: 88,25%
    assert stats.rates.on_time is not None and stats.rates.on_time >= 95
    assert stats.received_total > 1000 and stats.pending_total > 0
    received = Dossier.objects.values_list("received_on", flat=True)
    assert max(received) <= today and min(received) >= today - dt.timedelta(days=demo.DAYS_BACK)
    assert not Dossier.objects.filter(finished_at__gt=NOW).exists()


@time_machine.travel(NOW, tick=False)
def test_desk_stories_run_once(cast):
    demo.load_catalogue(cast.administrator)
    officer = person_create(
        username="congchuc", password="x", full_name="Phạm Thị Lan", unit=cast.thanh_xa,
        roles=[R.OFFICER],
    )  # fmt: skip
    ctx = DemoContext(province=cast.province)
    ctx.accounts.append(DemoAccount("congchuc", "Phạm Thị Lan", R.OFFICER, cast.thanh_xa))
    demo.load_desk_stories(ctx)
    demo.load_desk_stories(ctx)  # idempotent
    stories = Dossier.objects.filter(unit=cast.thanh_xa, code__startswith="NG-MC-")
    assert stories.count() == 7
    late = stories.get(code="NG-MC-0001")
    assert late.status == Status.RESOLVED and late.finished_on > late.due_on
    assert DossierEvent.objects.filter(kind=EventKind.APOLOGY).count() == 2
    assert stories.get(code="NG-MC-0004").late_by_rule
    assert stories.get(code="NG-MC-0005").clock_stopped_on is not None
    assert all(e.by == officer for e in DossierEvent.objects.all())


def test_former_communes_get_dossiers_up_to_their_last_day(cast):
    # Issue 15: the former district's office saw "no data" on every 766 page of its
    # communes, which ended on 30/6/2025; the demo gives them their last reporting year.
    demo.load_catalogue(cast.administrator)
    last = dt.date(2025, 6, 30)
    cast.dong_tam.valid_to = last
    cast.dong_tam.save()
    demo.load_former_dossiers([cast.dong_tam, cast.department], cast.administrator)
    dossiers = Dossier.objects.filter(unit=cast.dong_tam)
    assert dossiers.count() >= 100
    assert max(d.received_at for d in dossiers).date() <= last
    assert not Dossier.objects.filter(unit=cast.department).exists()  # still in force
