"""Results pages: the ranking per block, a unit's card (seed 003: Đồng Tâm 87,75, tốt, the
gap to xuất sắc), charts, XLSX, history, remediation duties, and the public pages."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc.evaluations import services
from cchc.evaluations.models import CycleState, RemediationDuty, RemediationStatus
from cchc.surveys.services import survey_result_set
from tests.evaluations.conftest import score_of

pytestmark = pytest.mark.django_db

# Seed 003: Đồng Tâm 2022, components 1..10.
DONG_TAM = ["11.84", "4.75", "16.62", "6", "11", "5", "10.19", "1.577", "11.49", "9.28"]
# Thanh Xá (invented): TTHC under 75% of 18.5, so it owes a remediation plan.
THANH_XA = ["12.5", "4.5", "13", "5.5", "10", "6", "9", "1.6", "11", "9.1"]


def _score(cycle_unit, values, cast, by):
    for code, value in zip(range(1, 9), values[:8], strict=True):
        services.self_assessment_set_score(
            score=score_of(cycle_unit, str(code)), value=value, note="", by=by
        )


def build_2022(cast, framework, *, publish=True, blocks=("Khối xã", "Khối xã")):
    cycle = services.cycle_open(
        framework=framework,
        year=2022,
        name="Chỉ số CCHC năm 2022 của UBND các xã",
        organiser=cast.province,
        units={cast.dong_tam: blocks[0], cast.thanh_xa: blocks[1]},
        measure_start=dt.date(2021, 12, 15),
        measure_end=dt.date(2022, 12, 14),
        appraising_body=cast.department,
        remediation_deadline=dt.date(2023, 4, 10),
        by=cast.administrator,
    )
    services.cycle_transition(
        cycle=cycle, to_state=CycleState.SELF_ASSESSMENT, by=cast.administrator
    )
    dong_tam = cycle.cycle_units.get(unit=cast.dong_tam)
    thanh_xa = cycle.cycle_units.get(unit=cast.thanh_xa)
    _score(dong_tam, DONG_TAM, cast, cast.officer)
    _score(thanh_xa, THANH_XA, cast, cast.officer_thanh_xa)
    survey_result_set(
        cycle=cycle, unit=cast.dong_tam, survey="sipas", value="92.8", by=cast.administrator
    )
    survey_result_set(
        cycle=cycle, unit=cast.thanh_xa, survey="sipas", value="91", by=cast.administrator
    )
    services.self_assessment_submit(cycle_unit=dong_tam, by=cast.head)
    services.cycle_transition(cycle=cycle, to_state=CycleState.APPRAISAL, by=cast.administrator)
    for cu, values in ((dong_tam, DONG_TAM), (thanh_xa, THANH_XA)):
        services.appraisal_set_score(
            score=score_of(cu, "9"),
            value=values[8],
            reason="Kết quả điều tra XHH",
            by=cast.appraiser,
        )
        services.appraisal_set_score(
            score=score_of(cu, "10"), value=values[9], reason="Quy đổi SIPAS", by=cast.appraiser
        )
        services.appraisal_finalise_unit(cycle_unit=cu, by=cast.appraiser)
    services.cycle_transition(cycle=cycle, to_state=CycleState.FINALISED, by=cast.administrator)
    if publish:
        services.cycle_publish(
            cycle=cycle,
            decision_no="766/QĐ-UBND",
            decision_date=dt.date(2023, 3, 16),
            by=cast.administrator,
        )
    cycle.refresh_from_db()
    return (
        cycle,
        cycle.cycle_units.get(unit=cast.dong_tam),
        cycle.cycle_units.get(unit=cast.thanh_xa),
    )


@pytest.fixture
def published(cast, hd_framework):
    return build_2022(cast, hd_framework)


@pytest.fixture
def finalised(cast, hd_framework):
    return build_2022(cast, hd_framework, publish=False)


def test_unit_card_gives_seed_003_figures_and_the_gap(cast, client_for, published):
    cycle, dong_tam, _ = published
    html = client_for(cast.officer).get(reverse("unit-result", args=[dong_tam.pk])).content.decode()
    # As seed 003 prints them (core.formatting): component 8 "1,577", the total "87,75".
    assert "87,75" in html and "87,75%" in html and "1,577" in html
    assert "Hoàn thành tốt nhiệm vụ" in html
    assert "1/2" in html  # two units in the test block
    # Đồng Tâm 2022, tốt → xuất sắc: component 1 +0,16 (80%), component 6 +0,6, index +2,253.
    assert "Khôi phục 0,16 điểm ở lĩnh vực 1" in html
    assert "Khôi phục 0,6 điểm ở lĩnh vực 6" in html
    assert "2,253" in html and "Hoàn thành xuất sắc nhiệm vụ" in html


def test_a_single_component_gap_reads_as_one_sentence(cast, client_for, hd_framework):
    from cchc.evaluations.classification import grade_gap
    from cchc.evaluations.scoring import score_unit
    from cchc.evaluations.views.display import gap_view

    fw = hd_framework.spec()
    # Index 86,4% but component 6 at 4.4/7 (62,9%): hoàn thành; 0,5 more points in 6 → tốt.
    scores = dict(
        zip(
            map(str, range(1, 11)),
            ["13", "4.75", "16.62", "6", "11", "4.4", "10.19", "1.6", "11.49", "9.28"],
            strict=True,
        )
    )
    unit = score_unit(fw, scores)
    view = gap_view(fw, grade_gap(fw, unit))
    assert view.summary == "Khôi phục 0,5 điểm ở lĩnh vực 6 sẽ đạt “Hoàn thành tốt nhiệm vụ”."


def test_results_are_hidden_until_published(cast, client, client_for, finalised):
    cycle, dong_tam, _ = finalised
    url = reverse("cycle-results", args=[cycle.pk])
    assert client.get(url).status_code == 302
    assert client_for(cast.officer).get(url).status_code == 403
    assert (
        client_for(cast.officer).get(reverse("cycle-results-xlsx", args=[cycle.pk])).status_code
        == 403
    )
    assert client_for(cast.appraiser).get(url).status_code == 403
    assert client_for(cast.administrator).get(url).status_code == 200
    # The public never sees an unpublished cycle.
    assert client.get(reverse("public-cycle", args=[cycle.pk])).status_code == 404
    assert client.get(reverse("public-unit", args=[cycle.pk, cast.dong_tam.pk])).status_code == 404
    assert client.get(reverse("public-cycle-xlsx", args=[cycle.pk])).status_code == 404
    assert "Chỉ số CCHC năm 2022" not in client.get(reverse("public-results")).content.decode()
    # A unit's own card is visible to its people, marked provisional until published.
    card = client_for(cast.officer).get(reverse("unit-result", args=[dong_tam.pk]))
    assert card.status_code == 200
    assert (
        client_for(cast.officer_thanh_xa)
        .get(reverse("unit-result", args=[dong_tam.pk]))
        .status_code
        == 404
    )


def test_ranking_table_per_block(cast, client_for, published):
    cycle, _, _ = published
    html = (
        client_for(cast.administrator)
        .get(reverse("cycle-results", args=[cycle.pk]))
        .content.decode()
    )
    assert "Khối xã" in html
    assert html.index("Xã Đồng Tâm") < html.index("Xã Thanh Xá")  # 87,75 before Thanh Xá
    assert "LV 3" in html and "11,84" in html


def test_xlsx_export_has_ranking_and_components(cast, client_for, published):
    from openpyxl import load_workbook

    cycle, _, _ = published
    response = client_for(cast.administrator).get(reverse("cycle-results-xlsx", args=[cycle.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Xếp hạng"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(r for r in rows if r and r[0] == "Khối")
    body = rows[rows.index(header) + 1 :]
    first = dict(zip(header, body[0], strict=False))
    assert first["Đơn vị"] == "Xã Đồng Tâm" and first["Hạng"] == 1
    assert float(first["Chỉ số (%)"]) == 87.75
    assert float(first["LV 1 điểm"]) == 11.84
    assert "Lĩnh vực" in book.sheetnames


def test_charts_are_svg(cast, client_for, published):
    cycle, dong_tam, _ = published
    client = client_for(cast.officer)
    for kind in ("bar", "radar", "ranking"):
        response = client.get(reverse("unit-chart", args=[dong_tam.pk, kind]))
        assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
        assert b"<svg" in response.content[:500]


def test_history_shows_who_when_old_new_why(cast, client_for, published):
    _, dong_tam, _ = published
    html = (
        client_for(cast.officer).get(reverse("unit-history", args=[dong_tam.pk])).content.decode()
    )
    assert "Điểm thẩm định" in html and "Kết quả điều tra XHH" in html
    assert "Trần Văn Minh" in html  # the appraiser
    assert "Phạm Thị Lan" in html  # the officer
    assert (
        client_for(cast.officer_thanh_xa)
        .get(reverse("unit-history", args=[dong_tam.pk]))
        .status_code
        == 404
    )


def test_public_pages_show_published_results_without_login(client, published):
    cycle, dong_tam, _ = published
    listing = client.get(reverse("public-results")).content.decode()
    assert "Chỉ số CCHC năm 2022 của UBND các xã" in listing and "766/QĐ-UBND" in listing
    page = client.get(reverse("public-cycle", args=[cycle.pk])).content.decode()
    assert "Xã Đồng Tâm" in page and "87,75%" in page
    assert "Phương pháp đánh giá" in page and "18,5" in page  # maxima published with results
    assert "Hoàn thành xuất sắc nhiệm vụ" in page  # the grade rules
    card = client.get(reverse("public-unit", args=[cycle.pk, dong_tam.unit_id]))
    assert card.status_code == 200
    assert "Khôi phục 0,16 điểm ở lĩnh vực 1" in card.content.decode()
    chart = client.get(reverse("public-unit-chart", args=[cycle.pk, dong_tam.unit_id, "bar"]))
    assert chart["Content-Type"] == "image/svg+xml"
    assert client.get(reverse("public-cycle-xlsx", args=[cycle.pk])).status_code == 200
    assert client.get(reverse("public-framework", args=[cycle.pk])).content.startswith(
        b"code: hd-xa-2022"
    )
    # Evidence and internal pages stay closed.
    assert client.get(reverse("unit-result", args=[dong_tam.pk])).status_code == 302


def test_remediation_duties_list_and_plan(cast, client_for, published, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cycle, _, thanh_xa = published
    duty = RemediationDuty.objects.get(cycle_unit=thanh_xa)
    assert duty.components == ["3"] and duty.deadline == dt.date(2023, 4, 10)
    admin = client_for(cast.administrator).get(reverse("remediation-list")).content.decode()
    assert "Xã Thanh Xá" in admin and "10/4/2023" in admin
    mine = client_for(cast.officer).get(reverse("remediation-list")).content.decode()
    assert "Xã Thanh Xá" not in mine
    url = reverse("remediation-submit", args=[duty.pk])
    assert client_for(cast.officer).get(url).status_code == 404
    officer = client_for(cast.officer_thanh_xa)
    assert officer.get(url).status_code == 200
    plan = SimpleUploadedFile("ke-hoach-khac-phuc.pdf", b"%PDF-1.4\n%%EOF\n")
    assert officer.post(url, {"plan_file": plan, "note": "Số hóa 100% hồ sơ"}).status_code == 302
    duty.refresh_from_db()
    assert duty.status == RemediationStatus.SUBMITTED
    accept = reverse("remediation-accept", args=[duty.pk])
    assert client_for(cast.officer_thanh_xa).post(accept).status_code == 403
    assert client_for(cast.administrator).post(accept).status_code == 302
    duty.refresh_from_db()
    assert duty.status == RemediationStatus.ACCEPTED


def test_comparison_with_previous_cycle_flags_framework_changes(
    cast, client_for, published, demo_framework, fake_metrics
):
    from tests.evaluations.conftest import fill_self_scores

    cycle = services.cycle_open(
        framework=demo_framework,
        year=2023,
        name="Chỉ số CCHC năm 2023",
        organiser=cast.province,
        units={cast.dong_tam: "Khối xã", cast.thanh_xa: "Khối xã"},
        measure_start=dt.date(2022, 12, 15),
        measure_end=dt.date(2023, 12, 14),
        by=cast.administrator,
    )
    services.cycle_transition(
        cycle=cycle, to_state=CycleState.SELF_ASSESSMENT, by=cast.administrator
    )
    dong_tam = cycle.cycle_units.get(unit=cast.dong_tam)
    fill_self_scores(dong_tam, cast.officer)
    html = client_for(cast.officer).get(reverse("unit-result", args=[dong_tam.pk])).content.decode()
    assert "So sánh với kỳ trước" in html and "Chỉ số CCHC năm 2022 của UBND các xã" in html
    assert "bộ chỉ số đã thay đổi" in html
    assert "Bộ chỉ số thay đổi tiêu chí của lĩnh vực" in html
