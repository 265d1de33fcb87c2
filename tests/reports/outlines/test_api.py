"""The outline reports API: the same services, checks and access as the pages — list the
outlines, open a unit's report for any period, read every figure, save entries and
narrative (every error named, nothing saved), submit, return with a reason, compile."""

from __future__ import annotations

import datetime as dt
import json

from cchc.reports.outlines import services
from cchc.reports.outlines.models import OutlineReport, OutlineReportStatus

from .conftest import SEED_003_PERIOD, entries

BASE = "/api/outlines"


def _json(client, method, url, body=None):
    return client.generic(method, url, json.dumps(body or {}), content_type="application/json")


def test_outlines_are_listed_with_their_headings(client_for, cast, area):
    response = client_for(cast.officer).get(f"{BASE}/")
    assert response.status_code == 200
    row = next(o for o in response.json() if o["code"] == area.outline.code)
    assert row["structure"] == "2008"
    assert row["periods"] == ["year"]
    assert row["headings"][:2] == [
        "KẾT QUẢ THỰC HIỆN CÔNG TÁC CCHC NĂM {year}",
        "Công tác chỉ đạo, điều hành",
    ]


def test_open_read_save_submit_return_compile(client_for, cast, area):
    # client_for signs the one test client in as that person: each step signs in again
    officer = client_for(cast.officer)
    url = f"{BASE}/units/{cast.dong_tam.pk}/reports"
    opened = _json(officer, "POST", url, {"outline": area.outline.code, "period": "2023"})
    assert opened.status_code == 200, opened.content
    report = opened.json()
    assert report["status"] == "draft"
    assert report["period_label"]
    figures = {f["key"]: f for f in report["figures"]}
    assert figures["legal_docs_issued"]["source"] == "entered"
    assert figures["legal_docs_issued"]["value"] is None
    assert figures["legal_docs_issued"]["text"] == "chưa có số liệu"  # never 0
    # opening again is the same report; the list finds it by period
    again = _json(officer, "POST", url, {"outline": area.outline.code, "period": "2023"})
    assert again.json()["id"] == report["id"]
    listed = officer.get(f"{url}?period=2023").json()
    assert [r["id"] for r in listed] == [report["id"]]
    assert officer.get(f"{url}?period=2022").json() == []

    detail = f"{BASE}/reports/{report['id']}"
    # every bad entry is named at once, nothing saved
    bad = _json(
        officer,
        "PATCH",
        detail,
        {"values": {"legal_docs_issued": "-1", "staff_excellent": "9", "staff_rated": "2"}},
    )
    assert bad.status_code == 422
    fields = {e["field"] for e in bad.json()["errors"]}
    assert {"legal_docs_issued", "staff_excellent"} <= fields
    assert OutlineReport.objects.get(pk=report["id"]).values == {}

    good = _json(
        officer,
        "PATCH",
        detail,
        {
            "values": entries(area.outline.spec(), legal_docs_issued="3"),
            "narratives": {"the_che_text": "Rà soát 3 văn bản."},
        },
    )
    assert good.status_code == 200, good.content
    saved = {f["key"]: f for f in good.json()["figures"]}
    assert saved["legal_docs_issued"]["value"] == 3
    narrative = next(n for n in good.json()["narratives"] if n["key"] == "the_che_text")
    assert narrative["text"] == "Rà soát 3 văn bản." and narrative["section"] == "2.1"

    # the officer may not submit; the head may, then it is locked
    assert officer.post(f"{detail}/submit").status_code == 403
    head = client_for(cast.head)
    submitted = head.post(f"{detail}/submit")
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["status"] == "submitted"
    locked = _json(client_for(cast.officer), "PATCH", detail, {"narratives": {"uu_diem": "x"}})
    assert locked.status_code == 422
    assert "không sửa được" in locked.json()["detail"]

    # the district returns it, with a reason
    district = client_for(area.district_officer)
    no_reason = _json(district, "POST", f"{detail}/return", {"reason": "  "})
    assert no_reason.status_code == 422
    assert no_reason.json()["errors"][0]["field"] == "reason"
    returned = _json(district, "POST", f"{detail}/return", {"reason": "Thiếu số liệu tài chính"})
    assert returned.status_code == 200
    assert returned.json()["status"] == "returned"
    assert returned.json()["returned_reason"] == "Thiếu số liệu tài chính"
    assert client_for(cast.head).post(f"{detail}/submit").status_code == 200
    district = client_for(area.district_officer)  # one test client: sign in again

    # the district compiles: Đồng Tâm filed, the others are named as not filed
    up = _json(
        district,
        "POST",
        f"{BASE}/units/{cast.district.pk}/reports",
        {"outline": area.outline.code, "period": "2023"},
    ).json()
    compiled = district.post(f"{BASE}/reports/{up['id']}/compile")
    assert compiled.status_code == 200, compiled.content
    assert compiled.json()["compiled"]["filed"] == ["Xã Đồng Tâm"]
    assert compiled.json()["compiled"]["missing"] == ["Xã Hưng Thái", "Xã Thanh Xá"]


def test_api_refuses_as_the_pages_do(client_for, client, cast, area):
    report = services.report_open(outline=area.outline, unit=cast.dong_tam, period="2023")
    detail = f"{BASE}/reports/{report.pk}"
    assert client.get(detail).status_code == 401
    assert client_for(cast.officer_thanh_xa).get(detail).status_code == 404  # not theirs
    assert client_for(area.district_officer).get(detail).status_code == 200
    # the level above reads but does not write a commune's report
    write = _json(client_for(area.district_officer), "PATCH", detail, {"values": {"x": "1"}})
    assert write.status_code == 403
    assert OutlineReport.objects.get(pk=report.pk).values == {}
    assert (
        _json(client_for(cast.head), "POST", f"{detail}/return", {"reason": "x"}).status_code == 403
    )
    # opening a report for a unit one may only read
    url = f"{BASE}/units/{cast.dong_tam.pk}/reports"
    opened = _json(client_for(area.district_officer), "POST", url, {"outline": area.outline.code})
    assert opened.status_code == 403
    assert _json(client_for(cast.officer_thanh_xa), "POST", url, {}).status_code == 404


def test_open_names_bad_outline_and_period(client_for, cast, area):
    url = f"{BASE}/units/{cast.dong_tam.pk}/reports"
    officer = client_for(cast.officer)
    unknown = _json(officer, "POST", url, {"outline": "khong-co", "period": "2023"})
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "outline"
    quarter = _json(officer, "POST", url, {"outline": area.outline.code, "period": "2023-Q1"})
    assert quarter.status_code == 422
    assert quarter.json()["errors"][0]["field"] == "period"
    assert "không dùng cho kỳ" in quarter.json()["detail"]
    garbage = _json(officer, "POST", url, {"outline": area.outline.code, "period": "năm ngoái"})
    assert garbage.status_code == 422 and garbage.json()["errors"][0]["field"] == "period"
    assert not OutlineReport.objects.exists()


def test_any_period_through_the_api(client_for, cast):
    """Seed 003's period, 15/12/2022–30/3/2023, on the quarterly outline."""
    from .conftest import OUTLINES

    outline = services.outline_load(source=OUTLINES / "hd-bc-cchc-quy-xa.yaml")
    response = _json(
        client_for(cast.officer),
        "POST",
        f"{BASE}/units/{cast.dong_tam.pk}/reports",
        {"outline": outline.code, "period": SEED_003_PERIOD},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["period_start"] == dt.date(2022, 12, 15).isoformat()
    assert body["period_end"] == dt.date(2023, 3, 30).isoformat()
    assert OutlineReport.objects.get(pk=body["id"]).status == OutlineReportStatus.DRAFT
