"""The working-day calendar page: the year's days off, the swaps, the due-date calculator."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from cchc.dossiers.models import CalendarSwap
from tests.dossiers.view_helpers import text

pytestmark = pytest.mark.django_db
PAGE = reverse("dossiers:calendar")
ADD = reverse("dossiers:swap-add")


def test_anonymous_is_sent_to_login(client):
    assert client.get(PAGE)["Location"].startswith("/login/")


def test_the_years_days_off_in_vietnamese(cast, client_for):
    html = text(client_for(cast.officer).get(PAGE, {"year": 2026}))
    assert "thứ Ba, 17/02/2026" in html and "Tết Nguyên Đán" in html
    # the Government's 2026 swap: work Saturday 22/8, rest Monday 31/8 (holidays package)
    assert "thứ Bảy, 22/8/2026" in html and "làm việc" in html
    assert "thứ Hai, 31/8/2026" in html


def test_due_date_calculator(cast, client_for):
    client = client_for(cast.officer)
    # Tuesday 29/4/2025 + 1 working day: 30/4, 1/5, 2/5 (swapped for Sat 26/4), weekend
    html = text(client.get(PAGE, {"received": "2025-04-29", "days": 1}))
    assert "Nhận ngày 29/4/2025 + 1 ngày làm việc" in html and "thứ Hai, 05/5/2025" in html
    assert "30/4/2025, 01/5/2025, 02/5/2025, 03/5/2025, 04/5/2025" in html
    fragment = text(
        client.get(
            PAGE, {"received": "2025-04-29", "days": 1, "partial": "due"}, HTTP_HX_REQUEST="true"
        )
    )
    assert "<html" not in fragment and "thứ Hai, 05/5/2025" in fragment


def test_administrator_adds_and_removes_a_swap(cast, client_for):
    admin = client_for(cast.administrator)
    response = admin.post(
        ADD, {"date": "2027-04-30", "kind": "working_day", "note": "Thông báo 123/TB-VPCP"}
    )
    assert response.status_code == 302
    swap = CalendarSwap.objects.get(date=dt.date(2027, 4, 30))
    html = text(admin.get(PAGE, {"year": 2027}))
    assert "Thông báo 123/TB-VPCP" in html
    # the calculator takes it into account at once (the calendar cache is cleared)
    html = text(admin.get(PAGE, {"received": "2027-04-29", "days": 1}))
    assert "thứ Sáu, 30/4/2027" in html
    admin.post(reverse("dossiers:swap-delete", args=[swap.pk]))
    assert not CalendarSwap.objects.exists()


def test_officers_cannot_change_the_calendar(cast, client_for):
    officer = client_for(cast.officer)
    assert officer.post(ADD, {"date": "2027-05-03", "kind": "day_off"}).status_code == 403
    swap = CalendarSwap.objects.create(date=dt.date(2027, 5, 3), kind="day_off")
    assert officer.post(reverse("dossiers:swap-delete", args=[swap.pk])).status_code == 403
    assert CalendarSwap.objects.count() == 1
    assert "Thêm ngày hoán đổi" not in text(officer.get(PAGE, {"year": 2027}))
