"""A bar chart drawn as an SVG picture, for a chart that a slider draws again on every move.

A Plotly chart drawn again costs the browser about a quarter of a slider move (its layout,
its SVG, the page laid out around it: docs/benchmarks.md); a picture costs it an image
decode. The picture looks like the app's Plotly bars (figures/style.py: grid, axis lines,
class colours, the value on each bar) and carries every number in its text alternative,
since a picture has no hover.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

import numpy as np

from figures.style import AXIS_LINE, FONT_FAMILY, GRID, NEUTRAL, REFERENCE_LINE, TEXT

WIDTH, HEIGHT = 340, 290  # a panel's units (the Softmax row's: shown as wide as its column)
LEFT, RIGHT, TOP = 62, 8, 24  # margins: tick labels and the axis title; the labels above bars
X_TITLE_SPACE = 26  # under the class names
FONT, SMALL_FONT, SMALLEST = 14, 12, 8  # titles and bar values; tick labels; the least
EM = 0.55  # a glyph's width in ems, generous: a picture draws with the system's fonts
# East Asian wide characters: CJK ideographs and punctuation, kana, hangul, full-width forms
WIDE = re.compile(
    r"[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60]"
)


def text_ems(text: str) -> float:
    """How wide ``text`` draws, in ems: a Chinese character (or a full-width sign) a whole
    em, any other glyph EM."""
    wide = len(WIDE.findall(text))
    return wide + EM * (len(text) - wide)


LONGEST_NAME = 12  # characters of a class name under its bar; longer ones end in "…"
BAR_SHARE = 0.8  # of a class's band (Plotly's default bar gap)
# A white edge around a label, drawn under its letters: readable across a line or a bar
HALO = {"stroke": "white", "stroke_width": 3, "paint_order": "stroke", "stroke_linejoin": "round"}
HATCH = (  # the stripes of a hatched bar, Plotly's "/" pattern
    '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse">'
    f'<path d="M0,6L6,0M-1,1L1,-1M5,7L7,5" stroke="{NEUTRAL}"/></pattern></defs>'
)


@dataclass(frozen=True)
class Picture:
    """An SVG document and its text alternative (every number it shows)."""

    svg: str
    alt: str
    width: int  # its width in CSS pixels, at which it draws its text at the page's sizes


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
    # A span below the smallest normal float (say the bars 0 and 5e-324) cannot be cut into
    # ticks: its sixth is 0. Such bars are drawn as all equal are, on a unit range.
    if high - low < sys.float_info.min:
        high = low + 1.0
    room = 0.15 * (high - low)
    return (low - room if low < 0 else 0.0, high + room if high > 0 else 0.0)


def shown(value: float, digits: int = 4) -> str:
    """A value as a bar's label: ``digits`` significant digits, a true minus sign."""
    return f"{value:.{digits}g}".replace("-", "−")


def _short(name: str) -> str:
    return name if len(name) <= LONGEST_NAME else name[: LONGEST_NAME - 1] + "…"


def _attributes(attributes: dict[str, object]) -> str:
    # text_anchor="end" -> text-anchor="end"; class_ -> class
    return "".join(f' {key.rstrip("_").replace("_", "-")}="{value}"'
                   for key, value in attributes.items())  # fmt: skip


def _text(x: float, y: float, text: str, size: int, **attributes: object) -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}"{_attributes(attributes)}>'
            f"{escape(text)}</text>")  # fmt: skip


def _lines(x: float, y: float, lines: Sequence[str], size: int, **attributes: object) -> str:
    """Lines of text, the first one's baseline at ``y``, each under the last."""
    spans = "".join(f'<tspan x="{x:.1f}" dy="{0 if k == 0 else 1.15 * size:.1f}">{escape(line)}'
                    "</tspan>" for k, line in enumerate(lines))  # fmt: skip
    return f'<text y="{y:.1f}" font-size="{size}"{_attributes(attributes)}>{spans}</text>'


@dataclass(frozen=True)
class Bars:
    """What a bar picture draws, one entry per bar (N,): the ``values``, the ``ticks`` under
    the bars (class names, sample indices; a "\\n" starts a second line, drawn if it fits), the fill
    ``colors``; the ``labels`` above the bars ("\\n" between lines; default: each value, to
    the digits that fit),
    an ``outlines`` colour (None: none) and ``hatched`` bars (drawn hollow and striped)."""

    values: np.ndarray
    ticks: Sequence[str]
    colors: Sequence[str]
    labels: Sequence[str] | None = None
    outlines: Sequence[str | None] | None = None
    hatched: Sequence[bool] | None = None


def _value_label(value: float, band: float) -> str:
    """A value to the most significant digits (4, 3 or 2) that fit its bar's ``band`` at the
    smallest size."""
    for digits in (4, 3):
        if EM * SMALLEST * len(shown(value, digits)) <= band:
            return shown(value, digits)
    return shown(value, 2)


def _tick_step(ticks: Sequence[str], band: float) -> int:
    """Every how many bars a sample index is written, so that indices do not overlap."""
    widest = SMALL_FONT * max(map(text_ems, ticks)) + 4
    return next(step for step in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10**9)
                if step * band >= widest)  # fmt: skip


@dataclass(frozen=True)
class _TickLayout:
    lines: list[list[str]]  # written under each bar, one line or two
    step: int  # every how many bars
    turned: bool  # one line each, turned 40 degrees
    height: float  # the space they take under the plot


def _tick_layout(ticks: Sequence[str], band: float) -> _TickLayout:
    """Second lines only where they fit; sample indices every few bars, other ticks turned
    when they do not fit their ``band`` (each cut at ``LONGEST_NAME``)."""
    lines = [[_short(line) for line in tick.split("\n")] for tick in ticks]
    seconds = [line for tick in lines for line in tick[1:]]
    if seconds and SMALL_FONT * max(map(text_ems, seconds)) > band:
        lines = [tick[:1] for tick in lines]
    firsts = [tick[0] for tick in lines]
    indices = all(first.isdigit() for first in firsts)
    step = _tick_step(firsts, band) if indices else 1
    if step > 1:
        lines = [tick[:1] for tick in lines]
    widest = SMALL_FONT * max(text_ems(line) for tick in lines for line in tick)
    if not indices and widest > band:
        height = widest * math.sin(math.radians(40)) + SMALL_FONT + 10
        return _TickLayout([tick[:1] for tick in lines], step, True, height)
    return _TickLayout(lines, step, False, 1.15 * SMALL_FONT * max(map(len, lines)) + 10)


def _y_axis(
    low: float, high: float, y_of: Callable[[float], float], right: float, bottom: float
) -> list[str]:
    """Grid lines and their values, and the axis lines (left and bottom)."""
    parts = []
    for tick in nice_ticks(low, high):
        y = y_of(tick)
        parts.append(f'<line x1="{LEFT}" x2="{right}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="{AXIS_LINE if tick == 0 else GRID}"/>')  # fmt: skip
        parts.append(_text(LEFT - 8, y + 4, shown(tick, 6), SMALL_FONT, text_anchor="end"))
    parts.append(f'<path d="M{LEFT},{TOP}V{bottom:.1f}H{right}" fill="none" '
                 f'stroke="{AXIS_LINE}"/>')  # fmt: skip
    return parts


def bar_panel(
    bars: Bars,
    *,
    y_title: str,
    x_title: str,
    y_range: tuple[float, float] | None = None,
    reference: tuple[float, str] | None = None,
    alt: str | None = None,
    width: int = WIDTH,
) -> Picture:
    """One bar from zero to each value of ``bars``, its label above it (below, for a negative
    value); the y axis spans ``y_range`` or ``value_range``, and ``reference`` (value, text)
    is a dashed line across it. Ticks as ``_tick_layout`` fits them. ``alt`` replaces the
    text alternative (by default: the y title, then each tick and value)."""
    values = np.asarray(bars.values, dtype=float)
    n_bars = len(values)
    finite = values[np.isfinite(values)]
    low, high = y_range or value_range(finite if len(finite) else np.zeros(1))
    right = width - RIGHT
    band = (right - LEFT) / n_bars
    ticks = _tick_layout(bars.ticks, band)
    bottom = HEIGHT - X_TITLE_SPACE - ticks.height  # the plot's lower edge

    def y_of(value: float) -> float:
        inside = min(max(value, low), high)  # a bar beyond the range ends at its edge
        return TOP + (bottom - TOP) * (high - inside) / (high - low)

    parts = [HATCH, *_y_axis(low, high, y_of, right, bottom)]
    zero = y_of(0.0)
    labels = bars.labels or [_value_label(v, band) for v in values.tolist()]
    outlines = bars.outlines or [None] * n_bars
    hatched = bars.hatched or [False] * n_bars
    for c, value in enumerate(values.tolist()):
        centre = LEFT + (c + 0.5) * band
        end = y_of(value) if math.isfinite(value) else zero
        box = (f'x="{centre - BAR_SHARE * band / 2:.2f}" y="{min(end, zero):.2f}" '
               f'width="{BAR_SHARE * band:.2f}" height="{abs(end - zero):.2f}"')  # fmt: skip
        stroke = f' stroke="{outlines[c]}" stroke-width="1.5"' if outlines[c] else ""
        fill = "white" if hatched[c] else bars.colors[c]
        parts.append(f'<rect class="bar" {box} fill="{fill}"{stroke}/>')
        if hatched[c]:
            parts.append(f'<rect {box} fill="url(#hatch)"/>')
        if labels[c]:
            lines = labels[c].split("\n")
            size = max(SMALLEST, min(FONT, int(band / max(map(text_ems, lines)))))  # fits
            first = (end - 4 - 1.15 * size * (len(lines) - 1) if value >= 0 or not
                     math.isfinite(value) else end + size + 2)  # fmt: skip
            parts.append(_lines(centre, first, lines, size, text_anchor="middle", class_="value",
                                **HALO))  # fmt: skip
        if c % ticks.step:
            continue
        if ticks.turned:
            turn = f"translate({centre:.1f},{bottom + 14:.1f}) rotate(-40)"
            parts.append(f'<text transform="{turn}" font-size="{SMALL_FONT}" text-anchor="end"'
                         f' class="tick">{escape(ticks.lines[c][0])}</text>')  # fmt: skip
        else:
            parts.append(_lines(centre, bottom + 18, ticks.lines[c], SMALL_FONT,
                                text_anchor="middle", class_="tick"))  # fmt: skip
    if reference is not None and math.isfinite(reference[0]) and low <= reference[0] <= high:
        y = y_of(reference[0])
        parts.append(f'<line x1="{LEFT}" x2="{right}" y1="{y:.1f}" y2="{y:.1f}" stroke-width="1.5"'
                     f' stroke="{REFERENCE_LINE}" stroke-dasharray="6,4"/>')  # fmt: skip
        parts.append(_text(right - 4, y - 6, reference[1], SMALL_FONT, text_anchor="end",
                           class_="reference", **HALO))  # fmt: skip
    plot_middle = (TOP + bottom) / 2
    parts.append(f'<text transform="translate(18,{plot_middle:.1f}) rotate(-90)" '
                 f'font-size="{FONT}" text-anchor="middle">{escape(y_title)}</text>')  # fmt: skip
    parts.append(_text((LEFT + right) / 2, HEIGHT - 8, x_title, FONT, text_anchor="middle"))
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {HEIGHT}" '
           f'width="{width}" height="{HEIGHT}" font-family="{FONT_FAMILY}" fill="{TEXT}">'
           f'<rect width="{width}" height="{HEIGHT}" fill="white"/>'
           f'{"".join(parts)}</svg>')  # fmt: skip
    if alt is None:
        pairs = zip(bars.ticks, values.tolist(), strict=True)
        alt = f"{y_title}: " + ", ".join(f"{tick} {shown(value, 6)}" for tick, value in pairs)
    return Picture(svg, alt, width)
