"""Framework YAML: the shipped files, validation naming code and field, round trip."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc.frameworks import spec
from cchc.frameworks.spec import (
    KNOWN_METRICS,
    Criterion,
    Framework,
    FrameworkError,
    Grade,
    Remediation,
    Threshold,
    dump_framework,
    load_framework,
)

FRAMEWORKS = Path(__file__).resolve().parents[2] / "frameworks"
HD = FRAMEWORKS / "hd-xa-2022.yaml"
DEMO = FRAMEWORKS / "minh-hoa-xa.yaml"

# The example of issue 5, completed so that it is valid.
ISSUE_EXAMPLE = """
code: hd-xa-2022
name: Bộ chỉ số CCHC của UBND cấp xã, tỉnh Hải Dương, giai đoạn 2022–2030
grades:
  - {code: xuat_sac, label: Hoàn thành xuất sắc nhiệm vụ, min_index: 90, min_component: 80}
  - {code: tot, label: Hoàn thành tốt nhiệm vụ, min_index: 80, min_component: 70}
  - {code: hoan_thanh, label: Hoàn thành nhiệm vụ, min_index: 65, min_component: 50}
  - {code: khong_hoan_thanh, label: Không hoàn thành nhiệm vụ}
remediation: {below_percent: 75, components: ["1"]}
criteria:
  - code: "1"
    title: Công tác chỉ đạo, điều hành CCHC
    max: 3
    graded: true
    children:
      - {code: "1.1", title: Kế hoạch, max: 2, method: evidence}
      - code: "1.2"
        title: Tỷ lệ hồ sơ TTHC giải quyết đúng hạn
        max: 1
        method: metric
        metric: on_time_rate
        thresholds: [{min: 100, points: 1}, {min: 95, points: 0.5}, {min: 0, points: 0}]
  - {code: "2", title: SIPAS, max: 10, graded: false, method: survey, survey: sipas}
"""


def test_issue_example_loads():
    fw = load_framework(ISSUE_EXAMPLE)
    assert fw.max == 13
    assert [c.code for c in fw.criteria] == ["1", "2"]
    leaf = fw.node("1.2")
    assert leaf.method == "metric" and leaf.metric == "on_time_rate"
    assert leaf.thresholds == (
        Threshold(Decimal(100), Decimal(1)),
        Threshold(Decimal(95), Decimal("0.5")),
        Threshold(Decimal(0), Decimal(0)),
    )
    assert fw.node("1").graded is True and fw.node("2").graded is False
    assert fw.node("1.1").graded is False  # graded is a component's property only
    assert fw.ancestors("1.2") == ["1"]
    assert fw.component_of("1.2") == "1"
    assert [g.code for g in fw.grades] == ["xuat_sac", "tot", "hoan_thanh", "khong_hoan_thanh"]
    assert fw.grades[-1].is_floor and all(g.inclusive for g in fw.grades)
    assert fw.remediation == Remediation(Decimal(75), ("1",))


def test_hai_duong_2022_commune_framework():
    fw = load_framework(HD)
    assert fw.code == "hd-xa-2022"
    maxima = [c.max for c in fw.criteria]
    assert [c.code for c in fw.criteria] == [str(i) for i in range(1, 11)]
    assert maxima == [
        Decimal(x) for x in ["15", "5", "18.5", "6", "11", "7", "11.5", "2", "14", "10"]
    ]
    assert fw.max == 100
    assert [c.graded for c in fw.criteria] == [True] * 7 + [False] * 3
    assert fw.node("9").method == "survey" and fw.node("10").survey == "sipas"
    assert all(node.source for node in fw.walk())
    # sub-criteria are not known: every component says so rather than inventing them
    assert all(c.is_leaf and c.note for c in fw.criteria)
    assert [(g.code, g.min_index, g.min_component) for g in fw.grades] == [
        ("xuat_sac", 90, 80),
        ("tot", 80, 70),
        ("hoan_thanh", 65, 50),
        ("khong_hoan_thanh", None, None),
    ]
    assert fw.remediation is not None
    assert fw.remediation.below_percent == 75
    assert fw.remediation.components == ("3", "7")
    assert fw.remediation.grades == ("hoan_thanh",)


def test_demo_framework_is_labelled_illustrative():
    fw = load_framework(DEMO, metrics=KNOWN_METRICS)
    assert "minh họa" in fw.name.lower()
    assert "minh-hoa" in DEMO.name
    assert fw.max == 100
    on_time = [n for n in fw.leaves() if n.metric == "on_time_rate"]
    assert len(on_time) == 1
    assert on_time[0].thresholds == (
        Threshold(Decimal(100), Decimal(1)),
        Threshold(Decimal(95), Decimal("0.5")),
        Threshold(Decimal(0), Decimal(0)),
    )
    assert any(n.method == "survey" for n in fw.leaves())
    assert all(node.source for node in fw.walk())


@pytest.mark.parametrize("path", [HD, DEMO], ids=["hd", "demo"])
def test_shipped_files_round_trip(path):
    fw = load_framework(path)
    text = dump_framework(fw)
    assert load_framework(text) == fw
    assert dump_framework(load_framework(text)) == text


def test_load_from_string_path():
    assert load_framework(str(HD)).code == "hd-xa-2022"


def _replace(old: str, new: str) -> str:
    assert old in ISSUE_EXAMPLE, old
    return ISSUE_EXAMPLE.replace(old, new, 1)


LEAF_12 = '      - code: "1.2"\n'
THRESHOLDS = "[{min: 100, points: 1}, {min: 95, points: 0.5}, {min: 0, points: 0}]"

INVALID = {
    "duplicate code": (_replace('{code: "1.1"', '{code: "2"'), "2", "code"),
    "parent max not the sum": (_replace("max: 3\n", "max: 4\n"), "1", "max"),
    "leaf without method": (_replace(", method: evidence}", "}"), "1.1", "method"),
    "unknown method": (_replace("method: evidence", "method: guess"), "1.1", "method"),
    "thresholds not descending": (
        _replace(
            THRESHOLDS, "[{min: 95, points: 1}, {min: 100, points: 0.5}, {min: 0, points: 0}]"
        ),
        "1.2",
        "thresholds",
    ),
    "thresholds without floor": (
        _replace(THRESHOLDS, "[{min: 100, points: 1}, {min: 95, points: 0.5}]"),
        "1.2",
        "thresholds",
    ),
    "threshold points above max": (
        _replace(THRESHOLDS, "[{min: 100, points: 2}, {min: 0, points: 0}]"),
        "1.2",
        "thresholds",
    ),
    "threshold points rising": (
        _replace(
            THRESHOLDS, "[{min: 100, points: 0.5}, {min: 95, points: 1}, {min: 0, points: 0}]"
        ),
        "1.2",
        "thresholds",
    ),
    "threshold table not a list": (
        _replace(THRESHOLDS, "{min: 0, points: 0}"),
        "1.2",
        "thresholds",
    ),
    "grades out of order": (
        _replace("min_index: 80, min_component: 70", "min_index: 95, min_component: 70"),
        "grades[tot]",
        "min_index",
    ),
    "floor grade with a condition": (
        _replace("label: Không hoàn thành nhiệm vụ}", "label: Không, min_index: 10}"),
        "grades[khong_hoan_thanh]",
        "min_index",
    ),
    "middle grade without condition": (
        _replace(", min_index: 65, min_component: 50", ""),
        "grades[hoan_thanh]",
        "min_index",
    ),
    "min_component rising": (
        _replace("min_index: 65, min_component: 50", "min_index: 65, min_component: 75"),
        "grades[hoan_thanh]",
        "min_component",
    ),
    "remediation names unknown component": (
        _replace('components: ["1"]', 'components: ["1", "7"]'),
        "remediation",
        "components",
    ),
    "remediation names unknown grade": (
        _replace('components: ["1"]', 'components: ["1"], grades: [kha]'),
        "remediation",
        "grades",
    ),
    "unknown key": (_replace("max: 1\n", "max: 1\n        maximum: 1\n"), "1.2", "maximum"),
    "code written as a float": (_replace('{code: "1.1"', "{code: 1.1"), "1", "code"),
    "metric without name": (_replace("        metric: on_time_rate\n", ""), "1.2", "metric"),
    "survey without name": (_replace(", survey: sipas}", "}"), "2", "survey"),
    "graded below a component": (
        _replace("method: evidence}", "method: evidence, graded: true}"),
        "1.1",
        "graded",
    ),
    "metric key on an evidence leaf": (
        _replace("method: evidence}", "method: evidence, metric: on_time_rate}"),
        "1.1",
        "metric",
    ),
    "method on a parent": (
        _replace("    graded: true\n", "    graded: true\n    method: evidence\n"),
        "1",
        "method",
    ),
    "max not a number": (_replace("max: 2,", "max: hai,"), "1.1", "max"),
    "max zero": (_replace("max: 10,", "max: 0,"), "2", "max"),
    "title missing": (_replace("title: SIPAS, ", ""), "2", "title"),
    "full_at with thresholds": (
        _replace(
            "        metric: on_time_rate\n", "        metric: on_time_rate\n        full_at: 80\n"
        ),
        "1.2",
        "full_at",
    ),
}


@pytest.mark.parametrize("text, code, field", INVALID.values(), ids=INVALID.keys())
def test_validation_names_code_and_field(text, code, field):
    with pytest.raises(FrameworkError) as caught:
        load_framework(text)
    assert (caught.value.code, caught.value.field) == (code, field)
    assert code in str(caught.value) and field in str(caught.value)


def test_first_problem_is_reported():
    text = _replace("max: 3\n", "max: 4\n")
    text = text.replace("{min: 0, points: 0}]", "]")  # 1.2 (inside 1) is read before 1's sum
    with pytest.raises(FrameworkError) as caught:
        load_framework(text)
    assert caught.value.code == "1.2"


def test_messages_are_module_constants():
    with pytest.raises(FrameworkError) as caught:
        load_framework(_replace(", method: evidence}", "}"))
    assert caught.value.message == spec.ERR_LEAF_METHOD


def test_bad_yaml():
    with pytest.raises(FrameworkError) as caught:
        load_framework("code: x\ncriteria: [\n")
    assert caught.value.code is None and caught.value.message.startswith("Tệp YAML")


def test_not_a_mapping():
    with pytest.raises(FrameworkError) as caught:
        load_framework("- a\n- b\n")
    assert caught.value.message == spec.ERR_NOT_MAPPING


def test_metric_names_hook():
    text = _replace("metric: on_time_rate", "metric: qd766.2.1")
    assert load_framework(text).node("1.2").metric == "qd766.2.1"
    with pytest.raises(FrameworkError) as caught:
        load_framework(text, metrics=KNOWN_METRICS)
    assert (caught.value.code, caught.value.field) == ("1.2", "metric")
    assert load_framework(text, metrics=lambda name: name.startswith("qd766.")).code
    with pytest.raises(FrameworkError):
        load_framework(_replace("metric: on_time_rate", "metric: On Time"))


def test_inclusive_false_round_trips():
    text = _replace(
        "min_index: 80, min_component: 70", "min_index: 80, min_component: 70, inclusive: false"
    )
    fw = load_framework(text)
    assert fw.grade("tot").inclusive is False
    assert load_framework(dump_framework(fw)) == fw


# ---------------------------------------------------------------- generated round trips

_points = st.decimals(min_value=Decimal("0.25"), max_value=Decimal(20), places=2)


@st.composite
def frameworks(draw):
    components = []
    for i in range(1, draw(st.integers(1, 4)) + 1):
        code = str(i)
        children = []
        for j in range(1, draw(st.integers(0, 3)) + 1):
            kind = draw(st.sampled_from(["evidence", "metric", "survey"]))
            cmax = draw(_points)
            extra = {}
            if kind == "metric":
                extra = {"metric": "on_time_rate", "full_at": Decimal(80)}
            elif kind == "survey":
                extra = {"survey": "sipas", "scale": Decimal(5)}
            children.append(
                Criterion(
                    code=f"{code}.{j}",
                    title=f"Tiêu chí {code}.{j}",
                    max=cmax,
                    method=kind,
                    note=draw(st.sampled_from([None, "ghi chú: có dấu hai chấm"])),
                    **extra,
                )
            )
        if children:
            total = sum((c.max for c in children), Decimal(0))
            components.append(
                Criterion(
                    code=code,
                    title=f"Lĩnh vực {code}",
                    max=total,
                    graded=draw(st.booleans()),
                    children=tuple(children),
                )
            )
        else:
            components.append(
                Criterion(
                    code=code,
                    title=f"Lĩnh vực {code}",
                    max=draw(_points),
                    graded=True,
                    method="evidence",
                    source="Seed 003",
                )
            )
    grades = (
        Grade("a", "A", Decimal(90), Decimal("80.5")),
        Grade("b", "B", Decimal(80), None, inclusive=draw(st.booleans())),
        Grade("c", "C"),
    )
    return Framework(
        code="gen",
        name="Sinh tự động: 'x'",
        criteria=tuple(components),
        grades=grades,
        remediation=Remediation(Decimal(75), ("1",), ("c",)),
    )


@settings(max_examples=60, deadline=None)
@given(frameworks())
def test_dump_load_round_trip(fw):
    assert load_framework(dump_framework(fw)) == fw
