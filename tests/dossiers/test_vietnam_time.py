"""Issue 14: dates are Vietnam time wherever shown or used as a boundary. A dossier received
at 06:28 on 6/12/2026 in Vietnam (23:28 on 5/12 in UTC) is a 6/12 dossier on its page, its
timeline, its receipt, in the statistics and in the token list; naive times in an import
are Vietnam time."""

from __future__ import annotations

import datetime as dt
import html
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from cchc.core.formatting import vn_date
from cchc.core.models import ApiToken
from cchc.dossiers import services
from cchc.dossiers.models import Dossier, local_date
from cchc.dossiers.periods import vn_today

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
MORNING = dt.datetime(2026, 12, 6, 6, 28, tzinfo=VN)


def test_plain_dates_are_vietnam_dates():
    utc = MORNING.astimezone(dt.UTC)
    assert utc.day == 5  # the trap
    assert vn_date(utc) == "06/12/2026"
    assert local_date(utc) == dt.date(2026, 12, 6)
    assert vn_today(utc) == dt.date(2026, 12, 6)
    assert vn_date(dt.date(2026, 12, 6)) == "06/12/2026"


@time_machine.travel(dt.datetime(2026, 12, 6, 6, 30, tzinfo=VN), tick=False)
def test_a_dossier_received_at_0628_is_a_6_12_dossier_everywhere(cast, client_for, procedures):
    dossier = services.dossier_create(
        unit=cast.dong_tam, procedure=procedures["land"], code="H1", applicant="Nguyễn Văn A",
        channel="truc_tiep", received_at=MORNING, by=cast.officer,
    )  # fmt: skip
    dossier = Dossier.objects.get(pk=dossier.pk)  # read back: the database gives UTC
    assert dossier.received_on == dt.date(2026, 12, 6)
    client = client_for(cast.officer)
    page = html.unescape(
        client.get(
            reverse("dossiers:dossier", args=[cast.dong_tam.pk, dossier.pk])
        ).content.decode()
    )
    assert "05/12/2026" not in page
    assert re.search(r"Tiếp nhận lúc</dt><dd>06:28, 06/12/2026", page)
    timeline = page.split("<time", 1)[1]
    assert "06/12/2026" in timeline.split("</time>")[0]
    receipt = html.unescape(
        client.get(
            reverse("dossiers:receipt", args=[cast.dong_tam.pk, dossier.pk])
        ).content.decode()
    ).replace("\xa0", " ")  # a paragraph's last two words are joined by a no-break space
    assert "06 giờ 28 phút, ngày 06/12/2026" in receipt
    # the token list
    ApiToken.issue(user=cast.officer, name="máy chủ tỉnh")
    account = html.unescape(client.get(reverse("account")).content.decode())
    assert "06/12/2026" in account and "05/12/2026" not in account


def test_naive_times_in_an_import_are_vietnam_time(cast, procedures, settings, tmp_path):
    """Whatever the server's zone: 00:30 on 6/12 in the file is a 6/12 dossier."""
    from cchc.dossiers.imports import dossiers_import

    settings.TIME_ZONE = "UTC"
    path = tmp_path / "d.csv"
    path.write_text(
        "code,unit,procedure,channel,received_at,fee\n"
        f"H9,{cast.dong_tam.scheme}-{cast.dong_tam.code},1.004873,truc_tiep,2026-12-06 00:30,\n",
        encoding="utf-8",
    )
    with time_machine.travel(dt.datetime(2026, 12, 6, 9, tzinfo=VN), tick=False):
        dossiers_import(source=path, filename=path.name, by=None)
    d = Dossier.objects.get(code="H9")
    assert d.received_on == dt.date(2026, 12, 6)
    assert d.received_at == dt.datetime(2026, 12, 6, 0, 30, tzinfo=VN)
    # an empty fee: the procedure's fee from the catalogue (issue 14)
    assert d.fee == 50000
