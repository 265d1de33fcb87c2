"""Filing rules over plain data: what a unit may enter, the computed percentages, and the
compilation up the hierarchy (missing units named, never counted as zero)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cchc.reports.outlines import rules as R
from cchc.reports.outlines.spec import load_outline

OUTLINE = load_outline(Path(__file__).resolve().parents[3] / "outlines" / "hd-bc-cchc-nam.yaml")
START, END = dt.date(2020, 12, 15), dt.date(2021, 12, 14)


def check(raw, **kw):
    return R.check_entries(OUTLINE, raw, start=START, end=END, **kw)


def test_clean_entries_are_parsed_the_vietnamese_way():
    clean, errors = check(
        {
            "legal_docs_issued": "1.086",
            "investment_plan": 2_500_000_000,
            "investment_disbursed": "2.000.000.000",
            "plan_issued": "có",
            "plan_issued_on": "29/12/2020",
            "propaganda_items": 12.0,
            "staff_rated": "",
        }
    )
    assert errors == []
    assert clean == {
        "legal_docs_issued": 1086,
        "investment_plan": 2_500_000_000,
        "investment_disbursed": 2_000_000_000,
        "plan_issued": True,
        "plan_issued_on": "2020-12-29",
        "propaganda_items": 12,
        "staff_rated": None,
    }


@pytest.mark.parametrize(
    ("key", "value", "fragment"),
    [
        ("legal_docs_issued", "-3", "số nguyên không âm"),
        ("legal_docs_issued", "2,5", "số nguyên không âm"),
        ("legal_docs_issued", 2.5, "số nguyên không âm"),
        ("legal_docs_issued", "mười", "số nguyên không âm"),
        ("plan_issued", "có lẽ", "«có» hoặc «không»"),
        ("plan_issued_on", "31/02/2021", "phải là một ngày"),
        ("plan_issued_on", "01/01/2022", "nằm ngoài kỳ báo cáo (15/12/2020 – 14/12/2021)"),
        ("dossiers_received", "12", "do hệ thống tính"),
        ("online_rate", "50", "do hệ thống tính"),
        ("no_such_figure", "1", "không có trong đề cương"),
    ],
)
def test_bad_entries_are_refused_with_the_figure_named(key, value, fragment):
    clean, errors = check({key: value})
    assert len(errors) == 1
    assert errors[0].key == key
    assert fragment in errors[0].message


def test_a_part_is_not_above_its_whole_entered_or_measured():
    _clean, errors = check({"investment_plan": "100", "investment_disbursed": "150"})
    assert [e.key for e in errors] == ["investment_disbursed"]
    assert "lớn hơn kế hoạch vốn đầu tư công được giao (100)" in errors[0].message
    # results returned by post are part of the resolved dossiers CCHC measured
    _clean, errors = check({"results_by_post": "231"}, measured={"dossiers_resolved": 200})
    assert [e.key for e in errors] == ["results_by_post"]
    _clean, errors = check({"results_by_post": "200"}, measured={"dossiers_resolved": 200})
    assert errors == []


def test_submitting_requires_every_entered_figure():
    _clean, errors = check({"legal_docs_issued": "3"}, require_all=True)
    missing = {e.key for e in errors}
    assert "legal_docs_issued" not in missing
    assert "plan_issued" in missing and "investment_plan" in missing
    assert all(e.message == R.ERR_MISSING for e in errors)


def test_percentages_are_computed_never_typed():
    values = R.complete_values(OUTLINE, {"dossiers_in_time": 190, "dossiers_resolved": 191})
    assert values["on_time_rate"] == "99.48"
    values = R.complete_values(OUTLINE, {"dossiers_in_time": 0, "dossiers_resolved": 0})
    assert values["on_time_rate"] is None  # no denominator: no rate, never 0%
    assert "chưa có số liệu để tính tỷ lệ" in R.sentence(
        OUTLINE, OUTLINE.figure("on_time_rate"), values
    )


def test_sentences_in_official_wording():
    values = R.complete_values(OUTLINE, {"dossiers_in_time": 22604, "dossiers_resolved": 22604})
    assert (
        R.sentence(OUTLINE, OUTLINE.figure("on_time_rate"), values)
        == "Đã giải quyết trả trước và đúng hạn 22.604/22.604 hồ sơ, đạt tỷ lệ 100%."
    )
    assert (
        R.sentence(OUTLINE, OUTLINE.figure("investment_plan"), {"investment_plan": 1_500_000})
        == "Kế hoạch vốn đầu tư công được giao: 1.500.000 đồng."
    )
    assert R.sentence(OUTLINE, OUTLINE.figure("legal_docs_issued"), {}) == (
        "Số văn bản quy phạm pháp luật ban hành: chưa có số liệu."
    )


def test_compile_names_missing_units_and_never_counts_them_as_zero():
    filed = [
        (
            "Xã A",
            {
                "legal_docs_issued": 3,
                "plan_issued": True,
                "dossiers_in_time": 9,
                "dossiers_resolved": 10,
                "plan_issued_on": "2020-12-29",
            },
        ),
        (
            "Xã B",
            {
                "legal_docs_issued": 2,
                "plan_issued": False,
                "dossiers_in_time": 10,
                "dossiers_resolved": 10,
                "plan_issued_on": "2021-01-05",
            },
        ),
        ("Xã C", {"legal_docs_issued": None, "plan_issued": True}),
    ]
    compiled = R.aggregate(OUTLINE, filed, ["Xã D"])
    docs = compiled.figures["legal_docs_issued"]
    assert docs.value == 5 and docs.of == 2
    assert docs.no_data == ("Xã C",) and docs.missing == ("Xã D",)
    assert compiled.figures["plan_issued"].value == 2  # count of units that said yes
    assert compiled.figures["plan_issued"].of == 3
    # the area's rate from the summed parts of the units that have both
    assert compiled.figures["on_time_rate"].value == "95.00"
    assert compiled.figures["on_time_rate"].no_data == ("Xã C",)
    assert dict(compiled.figures["plan_issued_on"].items) == {
        "Xã A": "2020-12-29",
        "Xã B": "2021-01-05",
    }
    text = R.compiled_sentence(OUTLINE, OUTLINE.figure("legal_docs_issued"), docs, unit_word="xã")
    assert text == (
        "Số văn bản quy phạm pháp luật ban hành (tổng của 2 xã): 5 "
        "(chưa có số liệu: Xã C; chưa gửi báo cáo: Xã D)."
    )
    yes = R.compiled_sentence(
        OUTLINE, OUTLINE.figure("plan_issued"), compiled.figures["plan_issued"], unit_word="xã"
    )
    assert yes.startswith("Đã ban hành Kế hoạch thực hiện nhiệm vụ CCHC năm: 2/3 xã đã báo cáo")
    assert "chưa gửi báo cáo: Xã D" in yes


def test_compile_with_nobody_filed_has_no_figures_but_names_everyone():
    compiled = R.aggregate(OUTLINE, [], ["Xã A", "Xã B"])
    assert compiled.figures["legal_docs_issued"].value is None
    assert compiled.missing == ("Xã A", "Xã B")
    assert compiled.figures["on_time_rate"].value is None
