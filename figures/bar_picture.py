"""A bar chart drawn as an SVG picture, for a chart that a slider draws again on every move.

A Plotly chart drawn again costs the browser about a quarter of a slider move (its layout,
its SVG, the page laid out around it: docs/benchmarks.md); a picture costs it an image
decode. The picture looks like the app's Plotly bars (figures/style.py: grid, axis lines,
class colours, the value on each bar) and carries every number in its text alternative,
since a picture has no hover.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

import numpy as np

from figures.style import AXIS_LINE, FONT_FAMILY, GRID, TEXT

WIDTH, HEIGHT = 340, 290  # the picture's units; it is shown as wide as its column
LEFT, RIGHT, TOP = 62, 8, 24  # margins: tick labels and the axis title; the labels above bars
X_TITLE_SPACE = 26  # under the class names
FONT, SMALL_FONT = 14, 12  # axis titles and bar values; tick labels
EM = 0.55  # a glyph's width in ems, generous: a picture draws with the system's fonts
LONGEST_NAME = 12  # characters of a class name under its bar; longer ones end in "…"
BAR_SHARE = 0.8  # of a class's band (Plotly's default bar gap)


@dataclass(frozen=True)
class Picture:
    """An SVG document and its text alternative (every number it shows)."""

    svg: str
    alt: str


def nice_ticks(low: float, high: float, count: int = 6) -> list[float]:
    """About ``count`` round tick values (steps of 1, 2, 2.5 or 5 x 10^k) within [low, high]."""
    raw_step = (high - low) / count
    magnitude = 10.0 ** math.floor(math.log10(raw_step))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw_step * 0.999)
    first = math.ceil(low / step - 1e-9)
    last = math.floor(high / step + 1e-9)
    return [round(k * step, 12) for k in range(first, last + 1)]


def value_range(values: np.ndarray) -> tuple[float, float]:
    """The axis range of bars from zero to ``values`` (C,), with room for their labels."""
    low, high = min(0.0, float(values.min())), max(0.0, float(values.max()))
    if high == low:
        high = low + 1.0
    room = 0.15 * (high - low)
    return (low - room if low < 0 else 0.0, high + room if high > 0 else 0.0)


def shown(value: float, digits: int = 4) -> str:
    """A value as a bar's label: ``digits`` significant digits, a true minus sign."""
    return f"{value:.{digits}g}".replace("-", "−")


def _short(name: str) -> str:
    return name if len(name) <= LONGEST_NAME else name[: LONGEST_NAME - 1] + "…"


def _text(x: float, y: float, text: str, size: int, **attributes: str) -> str:
    # text_anchor="end" -> text-anchor="end"; class_ -> class
    more = "".join(f' {key.rstrip("_").replace("_", "-")}="{value}"'
                   for key, value in attributes.items())  # fmt: skip
    return f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}"{more}>{escape(text)}</text>'


def bar_panel(
    values: np.ndarray,
    class_names: Sequence[str],
    colors: Sequence[str],
    *,
    y_title: str,
    x_title: str,
    y_range: tuple[float, float] | None = None,
) -> Picture:
    """One bar per class from zero to ``values`` (C,), each in its class's colour, its value
    above it (below, for a negative one); the y axis spans ``y_range`` or ``value_range``.
    Class names that do not fit under their bars are turned (and cut at ``LONGEST_NAME``)."""
    values = np.asarray(values, dtype=float)
    low, high = y_range or value_range(values)
    names = [_short(name) for name in class_names]
    band = (WIDTH - LEFT - RIGHT) / len(values)
    widest = EM * SMALL_FONT * max(len(name) for name in names)
    turned = widest > band
    name_space = (widest * math.sin(math.radians(40)) + SMALL_FONT if turned else SMALL_FONT) + 10
    bottom = HEIGHT - X_TITLE_SPACE - name_space  # the plot's lower edge

    def y_of(value: float) -> float:
        return TOP + (bottom - TOP) * (high - value) / (high - low)

    parts = []
    for tick in nice_ticks(low, high):
        y = y_of(tick)
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="{AXIS_LINE if tick == 0 else GRID}"/>')  # fmt: skip
        parts.append(_text(LEFT - 8, y + 4, shown(tick, 6), SMALL_FONT, text_anchor="end"))
    parts.append(f'<path d="M{LEFT},{TOP}V{bottom:.1f}H{WIDTH - RIGHT}" fill="none" '
                 f'stroke="{AXIS_LINE}"/>')  # fmt: skip
    zero = y_of(0.0)
    for c, (value, name, color) in enumerate(zip(values.tolist(), names, colors, strict=True)):
        centre = LEFT + (c + 0.5) * band
        top = min(y_of(value), zero)
        parts.append(f'<rect class="bar" x="{centre - BAR_SHARE * band / 2:.2f}" y="{top:.2f}" '
                     f'width="{BAR_SHARE * band:.2f}" height="{abs(y_of(value) - zero):.2f}" '
                     f'fill="{color}"/>')  # fmt: skip
        label = shown(value)
        size = max(8, min(FONT, int(band / (EM * len(label)))))  # fits its band
        label_y = y_of(value) - 4 if value >= 0 else y_of(value) + size + 2
        parts.append(_text(centre, label_y, label, size, text_anchor="middle", class_="value"))
        if turned:
            turn = f"translate({centre:.1f},{bottom + 14:.1f}) rotate(-40)"
            parts.append(f'<text transform="{turn}" font-size="{SMALL_FONT}" text-anchor="end">'
                         f"{escape(name)}</text>")  # fmt: skip
        else:
            parts.append(_text(centre, bottom + 18, name, SMALL_FONT, text_anchor="middle"))
    plot_middle = (TOP + bottom) / 2
    parts.append(f'<text transform="translate(18,{plot_middle:.1f}) rotate(-90)" '
                 f'font-size="{FONT}" text-anchor="middle">{escape(y_title)}</text>')  # fmt: skip
    parts.append(_text((LEFT + WIDTH - RIGHT) / 2, HEIGHT - 8, x_title, FONT, text_anchor="middle"))
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
           f'width="{WIDTH}" height="{HEIGHT}" font-family="{FONT_FAMILY}" fill="{TEXT}">'
           f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>'
           f'{"".join(parts)}</svg>')  # fmt: skip
    pairs = zip(class_names, values.tolist(), strict=True)
    alt = f"{y_title}: " + ", ".join(f"{name} {shown(value, 6)}" for name, value in pairs)
    return Picture(svg, alt)
