"""A generated report's numbers are the statistics and results they come from: dossier
figures equal the dossier selectors, index figures equal the evaluation results — for a
unit with ties, a unit with zero dossiers and a framework that changed between years."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from cchc.core.formatting import round_half_up
from cchc.documents.document import Table, plain_text
from cchc.dossiers import selectors as dossier_selectors
from cchc.dossiers.periods import parse_period
from cchc.evaluations import selectors as ev
from cchc.reports import generate, kinds
from cchc.reports.builders.common import snapshot

pytestmark = pytest.mark.django_db
D = Decimal


def build(kind, unit, period):
    return generate.build(kinds.kind_for(kind), unit, parse_period(period))


def test_quarterly_dossier_figures_equal_the_statistics(cast, dossiers_q1):
    period = parse_period("2023-Q1")
    doc = build("unit-quarterly", cast.dong_tam, "2023-Q1")
    figures = snapshot(doc)["figures"]
    stats = dossier_selectors.unit_stats(cast.dong_tam, period)
    assert figures["dossiers.received"] == stats.received_total == dossiers_q1.received
    assert figures["dossiers.received_online"] == stats.received_truc_tuyen == 6
    assert figures["dossiers.carried_over"] == stats.carried_over == 1
    assert figures["dossiers.received_all"] == stats.carried_over + stats.received_total
    assert figures["dossiers.resolved"] == stats.resolved_total == dossiers_q1.resolved
    assert figures["dossiers.resolved_late"] == stats.resolved_late == dossiers_q1.late
    assert figures["dossiers.pending"] == stats.pending_total == dossiers_q1.pending
    assert D(figures["dossiers.online_rate"]) == stats.rates.online == D("75.00")
    assert D(figures["dossiers.on_time_rate"]) == stats.rates.on_time == D("85.71")
    # the table's total row is the same statistics, and its rows add up to it
    table = next(b for b in doc.body if isinstance(b, Table))
    total = table.totals_texts()
    assert total[2:] == ["9", "6", "1", "7", "6", "1", "2", "0"]
    sums = [sum(int(row[i]) for row in table.body_texts()) for i in range(2, 10)]
    assert [str(x) for x in sums] == total[2:]
    # last year's Q1 (3 received, 1 online): the online rate rose by points, not percent
    assert D(figures["dossiers.change.online_rate_pp"]) == D("75.00") - D("33.33")
    assert "tăng 41,67 điểm phần trăm" in plain_text(doc)


def test_no_dossier_data_is_not_printed_as_no_dossier(cast, dossiers_q1):
    # Issue 14: Thanh Xá holds no dossier data; the report said "không có hồ sơ thủ tục
    # hành chính nào được tiếp nhận" as a fact.
    doc = build("unit-quarterly", cast.thanh_xa, "2023-Q1")
    text = plain_text(doc)
    assert "không có hồ sơ thủ tục hành chính nào" not in text
    assert "chưa có số liệu hồ sơ thủ tục hành chính" in text
    assert not any(key.startswith("dossiers.") for key in snapshot(doc)["figures"])


def test_zero_dossiers_say_so_and_print_no_rate(cast, dossiers_q1):
    from cchc.core.services import coverage_record

    period = parse_period("2023-Q1")
    coverage_record(unit_id=cast.thanh_xa.pk, source="dossiers", start=period.start, end=period.end)
    doc = build("unit-quarterly", cast.thanh_xa, "2023-Q1")
    text = plain_text(doc)
    assert "không có hồ sơ thủ tục hành chính nào" in text
    figures = snapshot(doc)["figures"]
    assert not any(key.startswith("dossiers.") for key in figures)
    form = build("tt01-form", cast.district, "2023-Q1")
    rows = next(b for b in form.body if isinstance(b, Table)).body_texts()
    thanh_xa = next(r for r in rows if r[1] == "Xã Thanh Xá")
    assert thanh_xa[2:] == ["0"] * 11
    rates = [b for b in form.body if isinstance(b, Table)][1].body_texts()
    assert next(r for r in rates if r[1] == "Xã Thanh Xá")[2:] == ["–"] * 5


def test_statistics_form_prints_no_zero_for_missing_data(cast, dossiers_q1):
    # Issue 14: the TT01 form printed a row of zeros for Thanh Xá, which holds no dossier
    # data, and an all-zero total for a unit without data.
    form = build("tt01-form", cast.district, "2023-Q1")
    tables = [b for b in form.body if isinstance(b, Table)]
    thanh_xa = next(r for r in tables[0].body_texts() if r[1].startswith("Xã Thanh Xá"))
    assert thanh_xa[1] == "Xã Thanh Xá (chưa có số liệu)"
    assert thanh_xa[2:] == ["–"] * 11
    rates = next(r for r in tables[1].body_texts() if r[1].startswith("Xã Thanh Xá"))
    assert rates[2:] == ["–"] * 5
    assert "chưa có số liệu của 1/2 đơn vị" in plain_text(form)
    # the unit's own form: no total of zeros, no keyed figure
    own = build("tt01-form", cast.thanh_xa, "2023-Q1")
    text = plain_text(own)
    table = next(b for b in own.body if isinstance(b, Table))
    assert table.totals_texts()[1:] == ["Tổng cộng (chưa có số liệu)", *["–"] * 11]
    assert "chưa có số liệu hồ sơ thủ tục hành chính" in text
    assert not any(key.startswith("form06.") for key in snapshot(own)["figures"])


def test_statistics_form_does_not_print_unknown_carried_over(cast, dossiers_q1):
    # The data starts inside the quarter: what came from the quarter before is unknown.
    from cchc.core.models import DataCoverage

    DataCoverage.objects.filter(unit=cast.dong_tam).update(start=dt.date(2023, 1, 10))
    form = build("tt01-form", cast.dong_tam, "2023-Q1")
    table = next(b for b in form.body if isinstance(b, Table))
    carried = table.totals_texts()[2 + 3]
    assert carried == "–"
    text = plain_text(form)
    assert "số liệu từ 10/01/2023" in text


def test_statistics_form_adds_up_over_the_units(cast, dossiers_q1):
    period = parse_period("2023-Q1")
    form = build("tt01-form", cast.district, "2023-Q1")
    figures = snapshot(form)["figures"]
    total = dossier_selectors.unit_stats(cast.district, period, include_descendants=True)
    assert figures["form06.received_all"] == total.carried_over + total.received_total
    assert figures["form06.resolved_total"] == total.resolved_total
    assert figures["form06.pending_total"] == total.pending_total
    assert (
        figures["form06.received_all"]
        == figures["form06.resolved_total"] + figures["form06.pending_total"]
    )


def test_tied_units_share_the_rank_in_every_report(cast, cycles):
    cycle_unit = cycles["2022"].cycle_units.get(unit=cast.dong_tam)
    result = ev.unit_result(cycle_unit)
    assert (result.rank.rank, result.rank.of) == (1, 2)
    doc = build("unit-annual", cast.dong_tam, "2022")
    figures = snapshot(doc)["figures"]
    assert D(figures["index.total"]) == result.total == D("87.747")
    assert D(figures["index.index"]) == round_half_up(result.index, 2) == D("87.75")
    assert figures["index.rank"] == 1 and figures["index.rank_of"] == 2
    # component ranks are dense ranks of distinct scores: 11,84 < 12,84 -> 2/2 hạng
    assert figures["index.components.1.rank"] == result.components["1"].rank.rank == 2
    assert figures["index.components.1.rank_of"] == result.components["1"].rank.of == 2
    for code, comp in result.components.items():
        assert D(figures[f"index.components.{code}.score"]) == comp.score
    # the ranking table of the results notice prints both units at rank 1
    notice = build("index-results", cast.district, "2022")
    table = next(b for b in notice.body if isinstance(b, Table))
    assert [row[0] for row in table.body_texts()] == ["1", "1"]


def test_changed_framework_is_compared_in_points_of_percent(cast, cycles):
    cycle_unit = cycles["2022"].cycle_units.get(unit=cast.dong_tam)
    comparison = ev.unit_comparison(cycle_unit)
    assert comparison is not None and not comparison.same_framework
    doc = build("unit-annual", cast.dong_tam, "2022")
    figures = snapshot(doc)["figures"]
    now = round_half_up(ev.unit_result(cycle_unit).index, 2)
    then = round_half_up(ev.unit_result(ev.previous_cycle_unit(cycle_unit)).index, 2)
    assert D(figures["index.change.index_pp"]) == now - then == D("2.61")
    text = plain_text(doc)
    assert "Chỉ số tăng 2,61 điểm phần trăm" in text
    assert "Bộ chỉ số năm 2022 có điều chỉnh so với năm 2021" in text
    assert "Xây dựng và phát triển Chính quyền điện tử" in text.split("có điều chỉnh")[1]
    table = [b for b in doc.body if isinstance(b, Table)][-1]
    row7 = next(r for r in table.body_texts() if r[0] == "7")
    # 10,19/11,5 = 88,61% in 2022 against 8/10 = 80% in 2021
    assert row7[4:] == ["88,61", "1/1", "80,00", "8,61"]


def test_area_report_counts_equal_the_results(cast, cycles, dossiers_q1):
    doc = build("province-annual", cast.district, "2022")
    figures = snapshot(doc)["figures"]
    results = [r for _, r in ev.cycle_results_by_unit(cycles["2022"])]
    assert figures["area.units"] == len(results) == 2
    assert figures["area.grades.tot"] == sum(1 for r in results if r.grade.code == "tot")
    assert figures["area.previous.grades.hoan_thanh"] == 2
    period = parse_period("2022")
    total = dossier_selectors.unit_stats(cast.district, period, include_descendants=True)
    assert figures["dossiers.received"] == total.received_total
    annex = doc.annexes[0]
    assert annex.totals_texts()[2] == str(total.carried_over + total.received_total)


def test_staff_shares_are_those_of_seed_000(cast, staffing):
    doc = build("unit-annual", cast.dong_tam, "2022")
    text = plain_text(doc)
    assert "hoàn thành xuất sắc nhiệm vụ 4 người (23,5%)" in text
    assert "hoàn thành tốt nhiệm vụ 13 người (76,5%)" in text
    figures = snapshot(doc)["figures"]
    assert figures["staff.rated"] == 17 and figures["staff.allotted"] == 20


def test_self_inspection_prints_the_inspections_records(cast, self_inspection):
    doc = build("self-inspection", cast.thanh_xa, "2023")
    text = plain_text(doc)
    assert "Thực hiện Quyết định số 137/QĐ-UBND ngày 22/8/2023" in text
    assert "Qua kiểm tra đã chỉ ra 2 tồn tại, hạn chế ở 2 lĩnh vực" in text
    assert "Có 06/16 địa chỉ thư công vụ" in text
    assert "báo cáo kết quả khắc phục về UBND xã trước ngày 18/9/2023" in text


def test_no_published_cycle_is_a_clear_error(cast):
    from cchc.reports.sources import SourceError

    with pytest.raises(SourceError, match="Chưa có kỳ đánh giá Chỉ số CCHC năm 2022"):
        build("index-results", cast.district, "2022")


def test_a_report_without_inspections_keeps_the_section_and_says_no_data(cast, dossiers_q1):
    # Issue 14: the demo's 2025 annual report had no inspection section at all.
    doc = build("unit-quarterly", cast.dong_tam, "2023-Q1")
    text = plain_text(doc)
    assert "Công tác kiểm tra cải cách hành chính" in text
    assert "chưa có số liệu về các đợt kiểm tra, tự kiểm tra" in text


def test_a_month_counted_short_is_labelled_by_its_reporting_month():
    from cchc.dossiers.periods import Period
    from cchc.reports.sources import month_label

    # Tháng 12/2026 is 15/11–14/12; counted to 20/11 it is still T12, and says so
    assert month_label(
        Period(dt.date(2026, 11, 15), dt.date(2026, 11, 20), "month", "Tháng 12/2026")
    ) == ("T12/2026 (đến 20/11)")
    assert month_label(
        Period(dt.date(2026, 11, 15), dt.date(2026, 12, 14), "month", "Tháng 12/2026")
    ) == ("T12/2026")
