"""A unit files its outline report (page and XLSX, one set of checks), the head submits,
the district returns one with a reason, compiles, and compiles again after a late filer."""

from __future__ import annotations

import pytest

from cchc.reports.outlines import services
from cchc.reports.outlines.models import OutlineReportStatus
from cchc.reports.outlines.services import EntriesInvalid, ReportError

from .conftest import SEED_003_PERIOD, entries, filled_workbook

SEED_003_HEADINGS = [
    "I. KẾT QUẢ CHỈ SỐ CCHC NĂM 2022",
    "1. Kết quả đạt được",
    "2. Đánh giá chung",
    "2.1. Ưu điểm",
    "2.2. Tồn tại, hạn chế",
    "2.3. Nguyên nhân tồn tại, hạn chế",
    "II. KẾT QUẢ THỰC HIỆN CÔNG TÁC CCHC TỪ NGÀY 15/12/2022 ĐẾN NGÀY 30/3/2023",
    "1. Kết quả công tác CCHC từ ngày 15/12/2022 đến ngày 30/3/2023",
    "2. Tồn tại, hạn chế",
    "III. MỘT SỐ NHIỆM VỤ VÀ GIẢI PHÁP TRONG THỜI GIAN TỚI",
]


def test_seed_003_period_and_structure_are_produced(cast, dossiers_q1, cycles):
    """Seed 003: Đồng Tâm's report on 15/12/2022–30/3/2023 with the 2022 index."""
    import datetime as dt

    from cchc.documents.document import plain_text
    from cchc.reports.outlines import documents

    from .conftest import OUTLINES

    outline = services.outline_load(source=OUTLINES / "hd-bc-cchc-quy-xa.yaml")
    report = services.report_open(outline=outline, unit=cast.dong_tam, period=SEED_003_PERIOD)
    doc = documents.document_for(report, today=dt.date(2023, 3, 31))
    lines = plain_text(doc).split("\n")
    positions = [lines.index(h) for h in SEED_003_HEADINGS]
    assert positions == sorted(positions)
    assert doc.title == (
        "Kết quả đánh giá Chỉ số cải cách hành chính năm 2022 và nhiệm vụ trọng tâm năm 2023",
    )
    text = plain_text(doc)
    assert "Chỉ số CCHC đã công bố gần nhất (%) (Chỉ số CCHC năm 2022): 87,75%." in text
    from cchc.reports.checker import check_text

    assert check_text(text) == []


def test_seed_003_period_is_accepted_and_cites_the_2022_index(cast, dossiers_q1, cycles):
    from .conftest import OUTLINES

    outline = services.outline_load(source=OUTLINES / "hd-bc-cchc-quy-xa.yaml")
    area_outline = outline
    report = services.report_open(
        outline=outline, unit=cast.dong_tam, period=SEED_003_PERIOD, by=cast.officer
    )
    assert report.period_label == "Từ ngày 15/12/2022 đến ngày 30/3/2023"
    values = services.report_values(report)
    # measured through reports.sources, the same figures the periodic reports print
    from cchc.dossiers.periods import parse_period
    from cchc.reports import sources

    stats = sources.unit_dossiers(cast.dong_tam, parse_period(SEED_003_PERIOD)).stats
    assert values["dossiers_received"] == stats.received_total
    assert values["dossiers_resolved"] == stats.resolved_total
    measured = services.measured_for(report)
    assert measured.index_year == 2022  # the latest published index, alongside the period
    assert values["par_index"] == "87.747"  # stored exact; rounded once, for display
    from cchc.reports.outlines.rules import format_value

    assert format_value(area_outline.spec().figure("par_index"), values["par_index"]) == "87,75%"
    assert values["plan_tasks"] is None  # no issued plan: no data, never 0


def test_bad_entries_change_nothing_and_are_all_named(area, cast):
    report = services.report_open(outline=area.outline, unit=cast.dong_tam, period="2023")
    services.report_save(report=report, values={"legal_docs_issued": "4"}, by=cast.officer)
    with pytest.raises(EntriesInvalid) as info:
        services.report_save(
            report=report,
            values={
                "legal_docs_issued": "7",
                "propaganda_items": "-1",
                "plan_issued_on": "1/1/2020",
            },
            narratives={"the_che_text": "Không được lưu"},
            by=cast.officer,
        )
    assert [e.key for e in info.value.errors] == ["plan_issued_on", "propaganda_items"]
    report.refresh_from_db()
    assert report.values == {"legal_docs_issued": 4}
    assert report.narratives == {}


def test_submit_requires_everything_then_locks_and_freezes(area, cast, dossiers_q1):
    report = services.report_open(outline=area.outline, unit=cast.dong_tam, period="2023")
    with pytest.raises(EntriesInvalid, match="chưa nhập"):
        services.report_submit(report=report, by=cast.head)
    spec = area.outline.spec()
    services.report_save(report=report, values=entries(spec), by=cast.officer)
    report = services.report_submit(report=report, by=cast.head)
    assert report.status == OutlineReportStatus.SUBMITTED
    assert report.measured["values"]["dossiers.received"] == dossiers_q1.received
    with pytest.raises(ReportError):
        services.report_save(report=report, values={"legal_docs_issued": "9"}, by=cast.officer)
    with pytest.raises(ReportError, match="lý do"):
        services.report_return(report=report, reason=" ", by=area.district_officer)
    report = services.report_return(
        report=report, reason="Thiếu số liệu giải ngân", by=area.district_officer
    )
    assert report.status == OutlineReportStatus.RETURNED
    services.report_save(report=report, values={"legal_docs_issued": "9"}, by=cast.officer)
    reasons = [h.history_change_reason for h in report.history.order_by("history_date")]
    assert "Gửi cấp trên" in reasons and "Trả lại: Thiếu số liệu giải ngân" in reasons
    assert reasons[-1] == "Cập nhật trên trang"


def test_xlsx_round_trip_and_bad_input_refused_whole(area, cast):
    spec = area.outline.spec()
    report = services.report_open(outline=area.outline, unit=cast.thanh_xa, period="2023")
    good = entries(spec, legal_docs_issued=5, plan_issued_on="15/1/2023")
    bad = dict(good, legal_docs_issued="năm", investment_disbursed="9.000.000")
    data = filled_workbook(spec, bad, {"the_che_text": "Rà soát 12 văn bản."})
    with pytest.raises(EntriesInvalid) as info:
        services.report_import_xlsx(report=report, data=data, by=cast.officer_thanh_xa)
    messages = [str(e) for e in info.value.errors]
    assert any(
        m.startswith("Trang «Số liệu», dòng ") and "số nguyên không âm" in m for m in messages
    )
    assert any("lớn hơn kế hoạch vốn đầu tư công" in m for m in messages)
    report.refresh_from_db()
    assert report.values == {} and report.narratives == {}  # nothing of it kept
    data = filled_workbook(spec, good, {"the_che_text": "Rà soát 12 văn bản."})
    report = services.report_import_xlsx(report=report, data=data, by=cast.officer_thanh_xa)
    assert report.values["legal_docs_issued"] == 5
    assert report.values["plan_issued_on"] == "2023-01-15"
    assert report.narratives["the_che_text"] == "Rà soát 12 văn bản."
    # a measured figure typed into the workbook is refused, not taken
    data = filled_workbook(spec, {"dossiers_received": 40}, {})
    with pytest.raises(EntriesInvalid, match="do hệ thống tính"):
        services.report_import_xlsx(report=report, data=data, by=cast.officer_thanh_xa)


def test_workbook_that_is_not_the_template_is_refused(area, cast):
    report = services.report_open(outline=area.outline, unit=cast.thanh_xa, period="2023")
    with pytest.raises(EntriesInvalid, match="Không đọc được tệp XLSX"):
        services.report_import_xlsx(report=report, data=b"not a workbook", by=cast.officer)


def test_compile_names_the_missing_commune_and_keeps_the_district_text(area, cast, dossiers_q1):
    spec = area.outline.spec()
    period = "2023"
    for unit, head, docs in (
        (cast.dong_tam, cast.head, "3"),
        (cast.thanh_xa, area.head_thanh_xa, "4"),
    ):
        r = services.report_open(outline=area.outline, unit=unit, period=period)
        services.report_save(
            report=r,
            values=entries(spec, legal_docs_issued=docs),
            narratives={"the_che_text": f"Thể chế của {unit.name}."},
            by=head,
        )
        services.report_submit(report=r, by=head)
    district = services.report_open(outline=area.outline, unit=cast.district, period=period)
    district = services.report_compile(report=district, by=area.district_officer)
    assert district.compiled["filed"] == ["Xã Đồng Tâm", "Xã Thanh Xá"]
    assert district.compiled["missing"] == ["Xã Hưng Thái"]
    assert district.compiled["figures"]["legal_docs_issued"]["value"] == 7
    assert district.compiled["figures"]["dossiers_received"]["value"] == dossiers_q1.received
    assert district.compiled["narratives"]["the_che_text"] == [
        ["Xã Đồng Tâm", "Thể chế của Xã Đồng Tâm."],
        ["Xã Thanh Xá", "Thể chế của Xã Thanh Xá."],
    ]
    services.report_save(
        report=district,
        narratives={"the_che_text": "Huyện đã ban hành 3 kế hoạch."},
        by=area.district_officer,
    )
    # Hưng Thái files late; compiling again updates the figures, not the district's text
    r = services.report_open(outline=area.outline, unit=area.hung_thai, period=period)
    services.report_save(
        report=r, values=entries(spec, legal_docs_issued="1"), by=area.head_hung_thai
    )
    services.report_submit(report=r, by=area.head_hung_thai)
    district = services.report_compile(report=district, by=area.district_officer)
    assert district.compiled["missing"] == []
    assert district.compiled["figures"]["legal_docs_issued"]["value"] == 8
    assert district.narratives["the_che_text"] == "Huyện đã ban hành 3 kế hoạch."


def test_outline_with_reports_is_not_replaced(area, cast):
    from tests.reports.outlines.conftest import OUTLINES

    services.report_open(outline=area.outline, unit=cast.dong_tam, period="2023")
    with pytest.raises(services.OutlineInUse):
        services.outline_load(source=OUTLINES / "hd-bc-cchc-nam.yaml")


def test_period_kind_outside_the_outline_is_refused(area, cast):
    with pytest.raises(ReportError, match="không dùng cho kỳ"):
        services.report_open(outline=area.outline, unit=cast.dong_tam, period="2023-M03")


def test_demo_loads_the_shipped_outlines_twice_safely(db):
    from cchc.reports.outlines import demo
    from cchc.reports.outlines.models import Outline

    demo.load_outlines()
    demo.load_outlines()
    assert set(Outline.objects.values_list("code", flat=True)) == {
        "hd-bc-cchc-nam-2021",
        "hd-bc-cchc-quy-xa-2023",
        "bc-cchc-2-cap-2025",
        "so-ket-de-an-2020-2025",
    }
