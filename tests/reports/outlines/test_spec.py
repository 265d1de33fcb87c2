"""The outline format: the shipped outlines load and round-trip; every bad node is refused
with its path, its key and a Vietnamese reason."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from cchc.reports.outlines import spec as S
from cchc.reports.outlines.spec import OutlineError, dump_outline, load_outline
from tests.reports.seed_headings import seed_headings

OUTLINES = Path(__file__).resolve().parents[3] / "outlines"

# Seed 004 (Tứ Kỳ, 2021), every heading in order, read from the seed itself
# (tests/reports/seed_headings.py); "CHỈ SỔ" of the original corrected.
SEED_004_HEADINGS = seed_headings("004")


def minimal(**figure) -> dict:
    base = {
        "key": "f",
        "label": "Số liệu",
        "unit": "count",
        "source": "entered",
        "aggregate": "sum",
    }
    base.update(figure)
    base = {k: v for k, v in base.items() if v is not None}
    return {
        "code": "t",
        "name": "Thử",
        "title": "Báo cáo {period}",
        "sections": [
            {
                "code": "I",
                "title": "MỤC",
                "sections": [{"code": "1", "title": "Con", "figures": [base]}],
            }
        ],
    }


@pytest.mark.parametrize(
    "name",
    [
        "hd-bc-cchc-nam.yaml",
        "hd-bc-cchc-quy-xa.yaml",
        "bc-cchc-2-cap-2025.yaml",
        "so-ket-de-an-2020-2025.yaml",
    ],
)
def test_shipped_outlines_load_and_round_trip(name):
    outline = load_outline(OUTLINES / name)
    assert load_outline(dump_outline(outline)) == outline
    assert outline.source  # each names its sources
    for fig in outline.figures():
        if fig.unit == S.UNIT_PERCENT:
            assert fig.is_computed or fig.is_measured  # a percentage is never typed


def test_seed_004_outline_has_every_heading_in_order():
    outline = load_outline(OUTLINES / "hd-bc-cchc-nam.yaml")
    assert outline.headings(year=2021, next_year=2022) == SEED_004_HEADINGS
    assert outline.structure == "2008"


def test_two_level_outline_is_for_the_2025_structure():
    outline = load_outline(OUTLINES / "bc-cchc-2-cap-2025.yaml")
    assert outline.structure == "2025"
    assert str(outline.valid_from) == "2025-07-01"


@pytest.mark.parametrize(
    ("figure", "field", "message"),
    [
        ({"unit": "kg"}, "unit", S.ERR_UNIT.format(value="kg")),
        ({"source": "typed"}, "source", S.ERR_SOURCE.format(value="typed")),
        ({"unit": "percent", "aggregate": "min"}, "source", S.ERR_PERCENT_TYPED),
        ({"source": "measured"}, "measure", S.ERR_MEASURE_REQUIRED),
        (
            {"source": "measured", "measure": "dossiers.nothing"},
            "measure",
            S.ERR_MEASURE_UNKNOWN.format(value="dossiers.nothing"),
        ),
        ({"measure": "dossiers.received"}, "measure", S.ERR_MEASURE_NOT_MEASURED),
        ({"aggregate": None}, "aggregate", S.ERR_AGG_REQUIRED),
        ({"aggregate": "avg"}, "aggregate", S.ERR_AGG_UNKNOWN.format(value="avg")),
        ({"unit": "text"}, "aggregate", S.ERR_AGG_FOR_UNIT.format(value="sum", unit="text")),
        ({"part_of": "f"}, "part_of", S.ERR_PART_OF_SELF),
        ({"part_of": "ghost"}, "part_of", S.ERR_PART_OF_REF.format(value="ghost")),
        ({"maxium": 3}, "maxium", S.ERR_UNKNOWN_KEY.format(key="maxium")),
        ({"sentence": "Có {total} hồ sơ"}, "sentence", None),
        ({"key": "Bad Key"}, "key", S.ERR_KEY.format(value="Bad Key")),
    ],
)
def test_bad_figure_is_refused_with_its_path(figure, field, message):
    data = minimal(**figure)
    with pytest.raises(OutlineError) as info:
        load_outline(data)
    error = info.value
    assert error.field == field
    assert error.path.startswith("mục I › 1 › số liệu")
    if message:
        assert error.message == message
    assert str(error).startswith("mục I › 1 › số liệu")


def test_percentage_must_name_two_counts_in_the_outline():
    data = minimal()
    figs = data["sections"][0]["sections"][0]["figures"]
    figs.append(
        {
            "key": "r",
            "label": "Tỷ lệ",
            "unit": "percent",
            "numerator": "f",
            "denominator": "nothing",
        }
    )
    with pytest.raises(OutlineError) as info:
        load_outline(data)
    assert info.value.field == "denominator"
    assert info.value.message == S.ERR_RATIO_REF.format(value="nothing")
    figs[-1]["denominator"] = "f"
    with pytest.raises(OutlineError, match="hai số liệu khác nhau"):
        load_outline(data)
    figs.insert(
        0, {"key": "g", "label": "Tổng", "unit": "count", "source": "entered", "aggregate": "sum"}
    )
    figs[-1]["denominator"] = "g"
    outline = load_outline(data)
    assert outline.figure("r").is_computed and outline.figure("r").aggregate is None
    figs[-1]["aggregate"] = "sum"
    with pytest.raises(OutlineError, match="không khai báo aggregate"):
        load_outline(data)


def test_measured_unit_must_match_the_registry():
    data = minimal(source="measured", measure="index.value", aggregate="sum")
    with pytest.raises(OutlineError) as info:
        load_outline(data)
    assert info.value.field == "unit"


def test_duplicate_keys_and_section_codes_are_refused():
    data = minimal()
    section = data["sections"][0]["sections"][0]
    section["narratives"] = [{"key": "f", "label": "Lời"}]
    with pytest.raises(OutlineError, match="đã dùng ở chỗ khác"):
        load_outline(data)
    data = minimal()
    data["sections"][0]["sections"].append({"code": "1", "title": "Lặp"})
    with pytest.raises(OutlineError) as info:
        load_outline(data)
    assert info.value.path == "mục I › 1" and info.value.field == "code"


def test_title_placeholders_are_checked():
    data = minimal()
    data["sections"][0]["title"] = "KẾT QUẢ NĂM {nam}"
    with pytest.raises(OutlineError) as info:
        load_outline(data)
    assert info.value.path == "mục I" and info.value.field == "title"


def test_unreadable_yaml_names_the_line():
    with pytest.raises(OutlineError, match="line"):
        load_outline("code: [unclosed\nname: x\n")


def test_dump_is_stable_yaml():
    outline = load_outline(OUTLINES / "bc-cchc-2-cap-2025.yaml")
    data = yaml.safe_load(dump_outline(outline))
    assert data["code"] == "bc-cchc-2-cap-2025"
    assert data["sections"][0]["figures"][0]["key"] == "plan_issued"
