from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from cchc.service_index.definition import (
    DEFAULT_PATH,
    DefinitionError,
    IndexDefinition,
    Rule,
    load_definition_text,
    parse_definition,
)

RAW: dict[str, Any] = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))


def raw() -> dict[str, Any]:
    return copy.deepcopy(RAW)


def indicator(data: dict[str, Any], code: str) -> dict[str, Any]:
    for group in data["groups"]:
        for item in group["indicators"]:
            if item["code"] == code:
                return item
    raise KeyError(code)


def test_the_qd766_definition(definition: IndexDefinition) -> None:
    assert definition.total_max_points == 100
    assert [(g.title, g.max_points) for g in definition.groups] == [
        ("Công khai, minh bạch", 18),
        ("Tiến độ, kết quả giải quyết", 20),
        # The portal's six groups: online service and online payment apart (issue 14).
        ("Cung cấp dịch vụ trực tuyến", 12),
        ("Thanh toán trực tuyến", 10),
        ("Số hóa hồ sơ", 22),
        ("Mức độ hài lòng", 18),
    ]
    # Notes for the page are in Vietnamese, and no program file is cited as a basis.
    for i in definition.indicators:
        assert ".js" not in (i.source or "")
        assert " the " not in f" {i.note or ''} "
    assert [i.code for i in definition.indicators] == [
        "1.1", "1.2", "1.3", "1.4", "2.1", "3.full", "3.1", "3.3", "3.5", "3.5b", "3.6",
        "4.1", "4.2", "4.ecopy", "4.3", "4.4", "4.5a", "4.5b", "5.2", "5.3", "5.4",
    ]  # fmt: skip
    # the points the official summaries confirm [V]
    assert definition.indicator("1.2").max_points == 4
    assert definition.indicator("2.1").max_points == 20
    assert definition.indicator("5.4").max_points == 6
    assert definition.indicator("5.4").rule == Rule("full_at", Decimal(90))
    assert definition.indicator("4.2").rule == Rule("full_at", Decimal(80))
    assert definition.not_available_points == 4
    for i in definition.indicators:
        assert i.source and i.confidence in ("V", "S", "U"), i.code
        # an indicator whose points or formula are unconfirmed says why
        if i.confidence == "U":
            assert i.note, i.code
    assert {n.code for n in definition.not_encoded} >= {"2.2", "5.1"}
    assert definition.indicator("2.1").metric_name == "qd766.2.1"


def test_group_max_must_equal_its_indicators() -> None:
    data = raw()
    indicator(data, "1.1")["max_points"] = 5
    with pytest.raises(DefinitionError) as err:
        parse_definition(data)
    assert (err.value.code, err.value.field) == ("nhóm 1", "max_points")
    assert "17" in err.value.message and "18" in err.value.message


def test_total_must_equal_groups() -> None:
    data = raw()
    data["total_max_points"] = 99
    with pytest.raises(DefinitionError) as err:
        parse_definition(data)
    assert (err.value.code, err.value.field) == ("qd766-2022", "total_max_points")


def test_unknown_count_name_is_named() -> None:
    data = raw()
    indicator(data, "2.1")["numerator"] = "dossiers.on_tme"
    with pytest.raises(DefinitionError) as err:
        parse_definition(data)
    assert (err.value.code, err.value.field) == ("2.1", "numerator")
    assert "dossiers.on_tme" in str(err.value)


@pytest.mark.parametrize(
    ("code", "change", "field"),
    [
        ("4.2", {"rule": {"kind": "full_at", "full_at": 120}}, "rule.full_at"),
        ("4.2", {"rule": {"kind": "full_at"}}, "rule.full_at"),
        ("1.1", {"rule": {"kind": "proportional", "full_at": 80}}, "rule.full_at"),
        ("1.1", {"rule": {"kind": "steps"}}, "kind"),
        ("1.1", {"when_empty": "hundred"}, "when_empty"),
        ("1.1", {"data": "maybe"}, "data"),
        ("1.1", {"confidence": "X"}, "confidence"),
        ("1.1", {"max_points": "six"}, "max_points"),
        ("1.1", {"max_points": -6}, "max_points"),
        ("1.1", {"treshold": 80}, "treshold"),
        ("1.1", {"denominator": None}, "denominator"),
        ("1.1", {"source": ""}, "source"),
    ],
)
def test_bad_indicator_fields_are_named(code: str, change: dict[str, Any], field: str) -> None:
    data = raw()
    indicator(data, code).update(change)
    with pytest.raises(DefinitionError) as err:
        parse_definition(data)
    assert (err.value.code, err.value.field) == (code, field)


def test_duplicate_code() -> None:
    data = raw()
    indicator(data, "1.2")["code"] = "1.1"
    with pytest.raises(DefinitionError) as err:
        parse_definition(data)
    assert (err.value.code, err.value.field) == ("1.1", "code")


def test_not_available_needs_no_counts_but_others_do() -> None:
    data = raw()
    assert "numerator" not in indicator(data, "4.5a")
    parse_definition(data)
    del indicator(data, "4.4")["numerator"]
    with pytest.raises(DefinitionError) as err:
        parse_definition(data)
    assert (err.value.code, err.value.field) == ("4.4", "numerator")


def test_yaml_syntax_error_names_the_file() -> None:
    with pytest.raises(DefinitionError) as err:
        load_definition_text("code: [", name="x.yaml")
    assert err.value.code == "x.yaml"


def test_decimal_points_stay_exact() -> None:
    data = raw()
    indicator(data, "1.1")["max_points"] = 5.5
    indicator(data, "1.3")["max_points"] = 2.5
    definition = parse_definition(data)
    assert definition.indicator("1.1").max_points == Decimal("5.5")


def test_rule_points() -> None:
    at_80 = Rule("full_at", Decimal(80))
    assert at_80.points(8, 10, Decimal(4)) == 4  # exactly at the threshold: full points
    assert at_80.points(7, 10, Decimal(4)) == Decimal("3.5")  # 70 × 4 / 80
    assert Rule("proportional").points(1, 4, Decimal(6)) == Decimal("1.5")
    assert Rule("proportional").points(5, 4, Decimal(6)) == 6  # never above max
    assert at_80.describe().startswith("Đạt từ 80% trở lên")


@given(
    den=st.integers(1, 10_000),
    data=st.data(),
    threshold=st.integers(1, 100),
    max_points=st.sampled_from([Decimal(2), Decimal(6), Decimal("18.5"), Decimal(20)]),
)
def test_rule_points_bounded_and_monotone(
    den: int, data: st.DataObject, threshold: int, max_points: Decimal
) -> None:
    rule = Rule("full_at", Decimal(threshold))
    num = data.draw(st.integers(0, den))
    points = rule.points(num, den, max_points)
    assert 0 <= points <= max_points
    if num < den:
        assert rule.points(num + 1, den, max_points) >= points
    if num * 100 >= threshold * den:
        assert points == max_points
