"""The wrong person on the plan routes that no test named (issue 12, finding 5): what they
cannot see is 404 with the one message, what they see but may not change is 403, and
nothing changes."""

from __future__ import annotations

import pytest

from cchc.plans.models import Plan, PlanItem, StaffMember
from cchc.units.permissions import NOT_FOUND
from tests.plans.test_views import _staffing, inspection  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def test_another_communes_officer_gets_404_on_plan_edit_and_deletes(cast, plan, client_for):
    staffing = _staffing(cast)
    item = plan.items.get(code="1.2")
    member = staffing.members.first()
    client = client_for(cast.officer_thanh_xa)
    response = client.get(f"/plans/{plan.pk}/edit/")
    assert response.status_code == 404 and NOT_FOUND in response.content.decode()
    assert client.post(f"/plans/{plan.pk}/edit/", {"title": "Chiếm"}).status_code == 404
    assert client.post(f"/plans/{plan.pk}/delete/").status_code == 404
    assert client.post(f"/plans/items/{item.pk}/delete/").status_code == 404
    assert client.post(f"/plans/staffing/members/{member.pk}/delete/").status_code == 404
    plan.refresh_from_db()
    assert plan.title != "Chiếm"
    assert Plan.objects.filter(pk=plan.pk).exists()
    assert PlanItem.objects.filter(pk=item.pk).exists()
    assert StaffMember.objects.filter(pk=member.pk).exists()


def test_the_appraiser_sees_the_plan_but_may_not_change_it(cast, plan, client_for):
    client = client_for(cast.appraiser)  # assigned to Đồng Tâm: may read
    item = plan.items.get(code="1.2")
    assert client.post(f"/plans/{plan.pk}/edit/", {"title": "x"}).status_code == 403
    assert client.post(f"/plans/{plan.pk}/delete/").status_code == 403
    assert client.post(f"/plans/items/{item.pk}/delete/").status_code == 403
    assert Plan.objects.filter(pk=plan.pk).exists()


def test_recommendation_add_is_the_organisers(cast, inspection, client_for):  # noqa: F811
    url = f"/plans/inspections/{inspection.pk}/recommendations/"
    before = inspection.recommendations.count()
    # A unit inspected sees the inspection (its own part) but may not add to it.
    data = {"unit": cast.dong_tam.pk, "text": "Kiến nghị tự thêm"}
    assert client_for(cast.officer).post(url, data).status_code == 403
    # The province's department appraiser sees neither the district nor its communes' part.
    other = client_for(cast.appraiser)
    cast.appraiser.appraisal_assignments.all().delete()
    assert other.post(url, data).status_code == 404
    assert inspection.recommendations.count() == before
