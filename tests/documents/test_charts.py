from __future__ import annotations

import io
from decimal import Decimal

import numpy as np
import pytest
from PIL import Image

from cchc.documents import charts
from cchc.documents.document import Chart, Series
from tests.documents.document_sample import SHORT_NAMES, component_chart

D = Decimal

RANKING = Chart(
    kind="hbar",
    title="Xếp hạng Chỉ số CCHC cấp xã năm 2022",
    categories=("Nghĩa An", "Hưng Long", "Đồng Tâm", "Tân Hương", "Ứng Hòe"),
    series=(Series("Chỉ số", (D("91.2"), D("89.05"), D("87.75"), D("80.5"), D("74.33"))),),
    max_value=D(100),
    highlight="Đồng Tâm",
    height_cm=6,
)

TREND = Chart(
    kind="line",
    title="Hồ sơ tiếp nhận theo tháng",
    categories=tuple(f"T{m}" for m in range(1, 13)),
    series=(
        Series(
            "Trực tuyến",
            (D(40), D(52), D(94), None, D(61), D(70), D(66), D(58), D(77), D(81), D(90), D(102)),
        ),
    ),
    places=0,
    value_label="Số hồ sơ",
    height_cm=7,
)


def _all_charts() -> list[Chart]:
    two_years = Chart(
        kind="bar",
        title="So sánh",
        categories=SHORT_NAMES[:3],
        series=(Series("2021", (D(70), D(80), None)), Series("2022", (D("78.93"), D(95), D(90)))),
        max_value=D(100),
        percent=True,
    )
    return [component_chart("bar"), component_chart("radar"), RANKING, TREND, two_years]


def _png(chart: Chart, dpi: int = 100) -> Image.Image:
    return Image.open(io.BytesIO(charts.render_png(chart, dpi=dpi))).convert("RGB")


def _dark_fraction(image: Image.Image) -> float:
    return float((np.asarray(image.convert("L")) < 200).mean())


def _red_pixels(image: Image.Image) -> int:
    rgb = np.asarray(image).astype(int)
    return int(((rgb[..., 0] > 170) & (rgb[..., 1] < 40) & (rgb[..., 2] < 40)).sum())


@pytest.mark.parametrize("chart", _all_charts(), ids=lambda c: f"{c.kind}-{c.title[:12]}")
def test_each_kind_renders_png_of_its_size_and_not_blank(chart):
    image = _png(chart)
    assert abs(image.width - round(chart.width_cm / 2.54 * 100)) <= 2
    assert abs(image.height - round(chart.height_cm / 2.54 * 100)) <= 2
    assert 0.02 < _dark_fraction(image) < 0.6


@pytest.mark.parametrize("chart", _all_charts(), ids=lambda c: f"{c.kind}-{c.title[:12]}")
def test_each_kind_renders_svg(chart):
    svg = charts.render_svg(chart)
    assert svg.lstrip().startswith("<?xml")
    assert "<svg" in svg and svg.rstrip().endswith("</svg>")
    # Text is drawn as outlines, so the PDF does not depend on the chart's font.
    assert "<text" not in svg


def test_svg_is_reproducible():
    assert charts.render_svg(RANKING) == charts.render_svg(RANKING)


def test_labels_print_the_vietnamese_way():
    chart = component_chart("bar")
    assert charts.value_label(D("87.745"), chart) == "87,75%"
    assert charts.value_label(D("95"), chart) == "95%"
    assert charts.value_label(None, chart) == ""
    assert charts.value_label(D("1086"), TREND) == "1.086"


def test_ranking_marks_the_unit_reported_on():
    image = _png(RANKING)
    assert _red_pixels(image) > 200  # the HIGHLIGHT bar (#c00000)
    plain = Chart(**{**RANKING.__dict__, "highlight": None})
    assert _red_pixels(_png(plain)) == 0


def test_charts_use_a_font_with_vietnamese_letters():
    from cchc.documents import fonts

    path = charts.font_file()
    if not fonts.check_fonts().ok:
        pytest.skip("no Vietnamese-capable serif font installed: " + fonts.INSTALL_HINT)
    assert "Tinos" in path or "Liberation" in path
    assert fonts.missing_letters(path) == ""
