"""The status forms of a plan item and of a breakthrough registration (plans/views/common.change_status)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages

from cchc.plans.models import Breakthrough

pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_item_status_saved_with_its_reason_refused_with_the_code(cast, plan, client_for, frozen):
    client = client_for(cast.officer)
    item = plan.items.get(code="1.2")
    url = f"/plans/items/{item.pk}/status/"
    response = client.post(url, {"status": "in_progress", "reason": "Đã bắt đầu"})
    assert response.status_code == 302
    assert _messages(response) == ["1.2: Đang thực hiện."]
    item.refresh_from_db()
    assert item.status == "in_progress"
    assert item.history.order_by("-history_id").first().history_change_reason == "Đã bắt đầu"
    # a parent's status is derived: the refusal names the item
    parent = plan.items.get(code="1")
    response = client.post(f"/plans/items/{parent.pk}/status/", {"status": "done"})
    message = _messages(response)[-1]
    assert message.startswith("1: Trạng thái của ") and "các mục con" in message
    response = client.post(url, {"status": "nonsense"})
    assert _messages(response)[-1] == "1.2: trạng thái không hợp lệ."


def test_registration_status_by_its_unit(cast, client_for, frozen):
    admin = client_for(cast.administrator)
    response = admin.post(
        "/plans/breakthrough/new/",
        {"title": "Đăng ký đột phá 2023", "year": 2023, "deadline": "2023-06-30"},
    )
    officer = client_for(cast.officer)
    reg_url = officer.post(response["Location"], {"title": "Số hóa sổ hộ tịch"})["Location"]
    response = officer.post(reg_url.rstrip("/") + "/status/", {"status": "done"})
    assert response.status_code == 302 and response["Location"] == reg_url
    before = _messages(response)
    assert before[-1] == "Đã cập nhật trạng thái."
    registration = Breakthrough.objects.get(title="Số hóa sổ hộ tịch")
    assert registration.status == "done" and registration.done_on == dt.date(2023, 7, 1)
    response = officer.post(reg_url.rstrip("/") + "/status/", {"status": "nonsense"})
    assert _messages(response) == before  # an invalid form: nothing saved, nothing said
