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
    width, height = charts.figure_size_cm(chart)
    assert width == chart.width_cm and height >= chart.height_cm
    assert abs(image.width - round(width / 2.54 * 100)) <= 2
    assert abs(image.height - round(height / 2.54 * 100)) <= 2
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


# ---------------------------------------------------------------- labels never cut

# The PAR index components as the frameworks name them: long, as a report prints them.
COMPONENTS = (
    "Công tác chỉ đạo, điều hành CCHC",
    "Cải cách thể chế",
    "Cải cách thủ tục hành chính",
    "Cải cách tổ chức bộ máy hành chính",
    "Cải cách chế độ công vụ",
    "Cải cách tài chính công",
    "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số",
    "Tác động của CCHC đến phát triển kinh tế - xã hội",
    "Đánh giá của các tổ chức đối với CCHC (điều tra xã hội học)",
    "Chỉ số hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính (SIPAS)",
)
NOW = tuple(
    D(v) for v in ("78.93", "95", "89.84", "100", "100", "71.43", "88.61", "78.85", "82.07", "92.8")
)
THEN = tuple(
    D(v) for v in ("66.67", "95", "89.84", "100", "100", "71.43", "80", "85.71", "82.07", "92.8")
)


def _long_charts() -> list[Chart]:
    both = (Series("Năm 2022", NOW), Series("Năm 2021", THEN))
    common = {"categories": COMPONENTS, "max_value": D(100), "percent": True}
    return [
        Chart(kind="bar", title="Một năm", series=both[:1], height_cm=8.5, **common),
        Chart(kind="bar", title="Hai năm", series=both, height_cm=8.5, **common),
        Chart(kind="hbar", title="Bình quân", series=both[:1], height_cm=6, **common),
        Chart(kind="radar", title="Radar", series=both, height_cm=9.5, **common),
        Chart(
            kind="line",
            title="Hồ sơ theo tháng",
            categories=("T1/2023", "T2/2023", "T3/2023"),
            series=(Series("Tiếp nhận mới", (3, 1, 4)), Series("Đã giải quyết", (4, 1, 2))),
            places=0,
            value_label="Số hồ sơ",
            height_cm=7.5,
        ),
    ]


@pytest.fixture
def drawn():
    """Draw a chart as render_png does; its texts are measured in the same style (font)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    def draw(chart: Chart):
        fig = charts._figure(chart)
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        return fig, canvas.get_renderer()

    with charts._style():
        yield draw


def _shown_tick_labels(ax) -> list:
    """Tick labels actually drawn: matplotlib keeps labels for ticks outside the limits."""
    out = []
    for axis in (ax.xaxis, ax.yaxis):
        low, high = sorted(axis.get_view_interval())
        for tick in axis.get_major_ticks():
            if (
                tick.label1.get_visible()
                and tick.label1.get_text()
                and low <= tick.get_loc() <= high
            ):
                out.append(tick.label1)
    return out


def _texts(fig, ax) -> dict[str, list]:
    legends = [*fig.legends, *([ax.get_legend()] if ax.get_legend() else [])]
    legend = [t for lg in legends for t in lg.get_texts()]
    return {
        "ticks": _shown_tick_labels(ax),
        "values": [t for t in ax.texts if t.get_text()],
        "legend": list(legend),
    }


@pytest.mark.parametrize("chart", _long_charts(), ids=lambda c: f"{c.kind}-{c.title}")
def test_long_labels_are_whole_and_inside_the_figure(chart, drawn):
    """A component's whole title is drawn (wrapped, never cut with "…"), and every text of
    the chart lies inside the image, so none is clipped at its edge."""
    fig, renderer = drawn(chart)
    ax = fig.axes[0]
    figure_box = fig.bbox
    for group, texts in _texts(fig, ax).items():
        for text in texts:
            box = text.get_window_extent(renderer)
            inside = (
                box.x0 >= figure_box.x0 - 0.5
                and box.y0 >= figure_box.y0 - 0.5
                and box.x1 <= figure_box.x1 + 0.5
                and box.y1 <= figure_box.y1 + 0.5
            )
            assert inside, f"{group} «{text.get_text()}» is cut at the edge"
    if chart.kind == "line":
        return
    labels = ax.get_yticklabels() if chart.kind == "hbar" else ax.get_xticklabels()
    drawn = [t.get_text().replace("\n", " ") for t in labels]
    assert drawn == list(chart.categories)
    assert all("…" not in t for t in drawn)


def _overlaps(a, b) -> bool:
    return a.x0 < b.x1 - 0.5 and b.x0 < a.x1 - 0.5 and a.y0 < b.y1 - 0.5 and b.y0 < a.y1 - 0.5


@pytest.mark.parametrize("chart", _long_charts(), ids=lambda c: f"{c.kind}-{c.title}")
def test_labels_do_not_run_into_each_other(chart, drawn):
    """Two value labels side by side ("89,84%89,84%"), two wrapped category labels, or
    the legend over a label: each would make the other unreadable."""
    fig, renderer = drawn(chart)
    ax = fig.axes[0]
    texts = _texts(fig, ax)
    boxes = {
        k: [(t.get_text(), t.get_window_extent(renderer)) for t in v] for k, v in texts.items()
    }
    for group in ("ticks", "values"):
        items = boxes[group]
        for i, (text_a, a) in enumerate(items):
            for text_b, b in items[i + 1 :]:
                assert not _overlaps(a, b), f"{group}: «{text_a}» runs into «{text_b}»"
    for legend_text, legend_box in boxes["legend"]:
        for text, box in boxes["ticks"] + boxes["values"]:
            assert not _overlaps(legend_box, box), f"legend «{legend_text}» covers «{text}»"
    for legend in [*fig.legends, *([ax.get_legend()] if ax.get_legend() else [])]:
        # nor does a legend cover the plot: it stands outside it
        assert not _overlaps(legend.get_window_extent(renderer), ax.bbox)
