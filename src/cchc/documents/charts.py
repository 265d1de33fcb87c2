"""Charts for reports (component bars, ranking, radar, monthly trend) as SVG and PNG.

matplotlib draws them through its object API (no pyplot, no global backend state), with the
same Times-compatible face as the documents and numbers printed the Vietnamese way.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # documents are made on servers without a display

from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from cchc.core.formatting import vn_number  # noqa: E402
from cchc.documents.document import Chart  # noqa: E402
from cchc.documents.fonts import SERIF_FAMILIES  # noqa: E402

# Dark first colours so a report printed in black and white still tells series apart.
PALETTE = ("#1f4e79", "#c55a11", "#548235", "#7f6000", "#7030a0", "#595959")
HIGHLIGHT = "#c00000"
MUTED = "#8ea9c8"

_RC = {
    "font.family": "serif",
    "font.serif": [*SERIF_FAMILIES, "DejaVu Serif"],
    "font.size": 9,
    "axes.titlesize": 10.5,
    "axes.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.fonttype": "path",  # glyphs as outlines: the PDF needs no font to show the chart
    "svg.hashsalt": "cchc",  # stable ids, so the same data gives the same file
    "axes.unicode_minus": False,
}


@lru_cache(maxsize=1)
def _serif_families() -> list[str]:
    """The serif list with the Vietnamese-capable family fontconfig found first. That file
    is added to matplotlib's font list directly: matplotlib keeps its own cache of installed
    fonts, which is stale when the fonts were installed after its first run."""
    from matplotlib import font_manager

    from cchc.documents import fonts

    found = fonts.check_fonts()
    if not found.ok:
        return [*SERIF_FAMILIES, "DejaVu Serif"]
    name = font_manager.FontProperties(fname=found.path).get_name()
    for path in Path(found.path).parent.iterdir():  # regular, bold, italic of the family
        if path.suffix.lower() in {".ttf", ".otf"} and path.name.startswith(name.split()[0]):
            font_manager.fontManager.addfont(str(path))
    return [name, *SERIF_FAMILIES, "DejaVu Serif"]


@contextmanager
def _style() -> Iterator[None]:
    with matplotlib.rc_context({**_RC, "font.serif": _serif_families()}):
        yield


def value_label(value: Decimal | int | float | None, chart: Chart) -> str:
    """The label printed on a bar or point: 87,75 or 87,75% (rounded half-up)."""
    if value is None:
        return ""
    text = vn_number(Decimal(str(value)), chart.places)
    return text + "%" if chart.percent else text


def font_file() -> str:
    """The font file charts are drawn with (Tinos when installed), for the setup check."""
    from matplotlib.font_manager import FontProperties, findfont

    with _style():
        return findfont(FontProperties(family="serif"), fallback_to_default=True)


def _axis_formatter(chart: Chart) -> FuncFormatter:
    def fmt(value: float, _pos: int) -> str:
        text = vn_number(Decimal(repr(float(value))), 1)
        return text + "%" if chart.percent else text

    return FuncFormatter(fmt)


def _floats(values: tuple[Decimal | int | None, ...]) -> list[float]:
    # Plotting only: matplotlib works in floats; printed labels come from the Decimals.
    return [math.nan if v is None else float(v) for v in values]


def _wrap(label: str, width: int) -> str:
    """A label on as many lines as it needs, broken between words: never cut short."""
    return "\n".join(textwrap.wrap(label, width, break_long_words=False)) or label


# Characters per line of a category label, by kind (at the label's font size).
HBAR_WRAP = 48
RADAR_WRAP = 18
LABEL_LINE_CM = 0.36  # one line of an 8 pt label, with its leading


def _bar_wrap(chart: Chart) -> int:
    """Characters per line under a bar: as many as the bar's share of the width holds
    (about 0,15 cm a character at 7,5 pt), never fewer than 10."""
    per_category_cm = chart.width_cm * 0.85 / max(len(chart.categories), 1)
    return max(10, int(per_category_cm / 0.15))


def category_labels(chart: Chart) -> list[str]:
    """The category labels as drawn: whole, wrapped between words."""
    width = {"hbar": HBAR_WRAP, "radar": RADAR_WRAP, "bar": _bar_wrap(chart)}.get(chart.kind)
    if width is None:
        return list(chart.categories)
    return [_wrap(c, width) for c in chart.categories]


def figure_size_cm(chart: Chart) -> tuple[float, float]:
    """The drawn size: the chart's own, taller when its labels need the room, so that a
    long label is wrapped onto more lines instead of being cut or overlapping."""
    lines = [label.count("\n") + 1 for label in category_labels(chart)]
    height = chart.height_cm
    if chart.kind == "hbar":
        # bars are evenly spaced: each takes the room of the tallest label, plus the
        # title, the axis and its label
        tallest = max(max(lines, default=1), 1.4)
        height = max(height, 2.4 + len(lines) * tallest * LABEL_LINE_CM)
    elif chart.kind == "bar":
        height = max(height, 5.5 + max(lines, default=1) * LABEL_LINE_CM)
    elif chart.kind == "radar":
        # the labels above and below the circle take their lines out of its height
        top_bottom = max(lines, default=1)
        height = max(height, 6.5 + 2 * top_bottom * LABEL_LINE_CM)
    return chart.width_cm, round(height, 2)


def _legend(fig: Figure, chart: Chart) -> None:
    """Below the plot, outside it: a legend inside the axes covers points and labels."""
    fig.legend(loc="outside lower center", frameon=False, fontsize=8, ncols=len(chart.series))


def _color(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def _top(chart: Chart) -> float:
    if chart.max_value is not None:
        return float(chart.max_value)
    values = [float(v) for s in chart.series for v in s.values if v is not None]
    return max(values, default=1.0) or 1.0


def upright_value_labels(chart: Chart) -> bool:
    """Value labels stand on end when the widest is wider than its bar: side by side
    they would run into each other ("89,84%89,84%")."""
    n = max(len(chart.series), 1)
    bar_cm = chart.width_cm * 0.85 / max(len(chart.categories), 1) * 0.8 / n * 0.92
    widest = max((len(value_label(v, chart)) for s in chart.series for v in s.values), default=0)
    return widest * VALUE_CHAR_CM > bar_cm


VALUE_CHAR_CM = 0.14  # one character of a 7,5–8 pt value label


def _bar(fig: Figure, chart: Chart) -> None:
    ax = fig.add_subplot()
    n = max(len(chart.series), 1)
    width = 0.8 / n
    xs = list(range(len(chart.categories)))
    upright = upright_value_labels(chart)
    for si, series in enumerate(chart.series):
        offset = (si - (n - 1) / 2) * width
        heights = _floats(series.values)
        bars = ax.bar([x + offset for x in xs], heights, width * 0.92, color=_color(si))
        bars.set_label(series.name)
        labels = [value_label(v, chart) for v in series.values]
        ax.bar_label(
            bars,
            labels=labels,
            padding=2,
            fontsize=7.5 if n > 1 else 8,
            rotation=90 if upright else 0,
        )
    ax.set_xticks(xs, category_labels(chart), fontsize=7.5)
    # room above the tallest bar for its label, lying or standing
    ax.set_ylim(0, _top(chart) * (1.3 if upright else 1.1))
    if chart.max_value is not None:  # no tick above the scale's maximum (no "125%")
        ax.set_yticks([t for t in ax.get_yticks() if 0 <= t <= _top(chart) + 1e-9])
    ax.yaxis.set_major_formatter(_axis_formatter(chart))
    if chart.value_label:
        ax.set_ylabel(chart.value_label)
    ax.grid(axis="y", color="#d9d9d9", linewidth=0.6)
    ax.set_axisbelow(True)
    if len(chart.series) > 1:
        _legend(fig, chart)


def _hbar(fig: Figure, chart: Chart) -> None:
    ax = fig.add_subplot()
    series = chart.series[0]
    ys = list(range(len(chart.categories)))
    colors = [
        HIGHLIGHT if chart.highlight and c == chart.highlight else _color(0)
        for c in chart.categories
    ]
    if chart.highlight:
        colors = [c if c == HIGHLIGHT else MUTED for c in colors]
    bars = ax.barh(ys, _floats(series.values), 0.7, color=colors)
    ax.bar_label(
        bars, labels=[value_label(v, chart) for v in series.values], padding=2, fontsize=7.5
    )
    ax.set_yticks(ys, category_labels(chart), fontsize=8)
    ax.invert_yaxis()  # rank 1 on top
    ax.set_xlim(0, _top(chart) * 1.1)
    ax.xaxis.set_major_formatter(_axis_formatter(chart))
    if chart.value_label:
        ax.set_xlabel(chart.value_label)
    ax.grid(axis="x", color="#d9d9d9", linewidth=0.6)
    ax.set_axisbelow(True)
    if chart.highlight:
        for tick in ax.get_yticklabels():
            if tick.get_text().replace("\n", " ") == chart.highlight:
                tick.set_fontweight("bold")
                tick.set_color(HIGHLIGHT)


def _radar(fig: Figure, chart: Chart) -> None:
    ax = fig.add_subplot(projection="polar")
    count = len(chart.categories)
    angles = [2 * math.pi * i / count for i in range(count)]
    ax.set_theta_offset(math.pi / 2)
    ax.set_theta_direction(-1)
    top = _top(chart)
    for si, series in enumerate(chart.series):
        values = [0.0 if math.isnan(v) else v for v in _floats(series.values)]
        ax.plot(
            [*angles, angles[0]],
            [*values, values[0]],
            color=_color(si),
            linewidth=1.4,
            marker="o",
            markersize=3,
            label=series.name,
        )
        ax.fill([*angles, angles[0]], [*values, values[0]], color=_color(si), alpha=0.15)
    ax.set_xticks(angles, category_labels(chart), fontsize=7.5)
    ax.tick_params(axis="x", pad=6)
    for label, angle in zip(ax.get_xticklabels(), angles, strict=True):
        # Labels grow away from the circle, so long names never cross it.
        side = math.sin(angle)
        label.set_horizontalalignment(
            "left" if side > 0.1 else "right" if side < -0.1 else "center"
        )
    ax.set_rlabel_position(180 / count)  # radial scale between two spokes, clear of labels
    ax.set_ylim(0, top)
    ticks = [top * k / 5 for k in range(1, 6)]
    ax.set_yticks(ticks)
    ax.yaxis.set_major_formatter(_axis_formatter(chart))
    ax.tick_params(axis="y", labelsize=7, colors="#595959")
    ax.grid(color="#bfbfbf", linewidth=0.6)
    ax.spines["polar"].set_color("#bfbfbf")
    if len(chart.series) > 1:
        _legend(fig, chart)


def _line(fig: Figure, chart: Chart) -> None:
    ax = fig.add_subplot()
    xs = list(range(len(chart.categories)))
    single = len(chart.series) == 1
    for si, series in enumerate(chart.series):
        ax.plot(
            xs,
            _floats(series.values),
            color=_color(si),
            linewidth=1.6,
            marker="o",
            markersize=3.5,
            label=series.name,
        )
        if single:
            for x, v in zip(xs, series.values, strict=True):
                if v is not None:
                    ax.annotate(
                        value_label(v, chart),
                        (x, float(v)),
                        textcoords="offset points",
                        xytext=(0, 5),
                        ha="center",
                        fontsize=7.5,
                    )
    ax.set_xticks(xs, list(chart.categories), fontsize=8)
    ax.set_ylim(0, _top(chart) * 1.12)
    if chart.places == 0:  # counts: no tick at half a dossier
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_formatter(_axis_formatter(chart))
    if chart.value_label:
        ax.set_ylabel(chart.value_label)
    ax.grid(axis="y", color="#d9d9d9", linewidth=0.6)
    ax.set_axisbelow(True)
    if not single:
        _legend(fig, chart)


_DRAW = {"bar": _bar, "hbar": _hbar, "radar": _radar, "line": _line}


def _figure(chart: Chart) -> Figure:
    width, height = figure_size_cm(chart)
    fig = Figure(figsize=(width / 2.54, height / 2.54), layout="constrained")
    _DRAW[chart.kind](fig, chart)
    if chart.title:
        fig.suptitle(chart.title, fontsize=10.5, fontweight="bold")
    return fig


def render_svg(chart: Chart) -> str:
    """The chart as a standalone SVG document (text drawn as outlines)."""
    with _style():
        fig = _figure(chart)
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": "CCHC"})
    return buf.getvalue()


def render_png(chart: Chart, dpi: int = 200) -> bytes:
    """The chart as PNG; 200 dpi prints sharp at its width in the document."""
    with _style():
        fig = _figure(chart)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi, facecolor="white")
    return buf.getvalue()


@lru_cache(maxsize=8)
def png_once(chart: Chart) -> bytes:
    """render_png, kept for the last few charts: a report's DOCX and PDF show the same
    chart, drawn once (issue 18: a batch prints both formats of each report). Charts are
    frozen, so equal charts are the same drawing."""
    return render_png(chart)
