"""One-parameter explorations that follow the mouse: Plotly's own slider over frames.

The page computes, in one batched ce_core call, what the figure shows at every position of
the parameter. The figure is drawn once at the starting position; each frame carries only
what moves there (the data of the traces that change), rounded to what is shown, and the
slider prints that position's numbers above itself (the step's label: changing it costs no
relayout of the figure, where an annotation's text would). Dragging Plotly's slider
(``layout.sliders``) swaps frames in the browser, with no rerun of the script; ``play``
adds Play / Pause buttons that step through every frame (``layout.updatemenus``).

Plotly's slider and buttons are drawn in SVG: a learner who cannot use a mouse reads every
frame's numbers in the table a page shows beside the figure.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from figures.style import SELECTED, TEXT

# A frame replaces the data of its traces (and the sources of layout images) without
# redrawing the figure: what makes a drag follow the mouse. A full redraw ("redraw": true,
# which heatmaps need: Plotly animates scatter and bar geometry in place, not a heatmap's z)
# takes several times the 33 ms a frame may (docs/benchmarks.md): a map that changes from
# frame to frame is a layout image instead (figures/raster.py).
FRAME_OPTIONS = {"mode": "immediate", "transition": {"duration": 0}}
ANIMATE = FRAME_OPTIONS | {"frame": {"duration": 0, "redraw": False}}
SLIDER_PAD_TOP = 80  # px from the plot's bottom edge to the slider: below the x axis title
SLIDER_ROOM = 110  # px added under the plot for the slider and its one-line readout
# Play and Pause sit in a row of their own under the slider, at the left, where they cover
# nothing (beside the rail they would need more than the width a readout leaves them).
# Plotly places buttons in "paper" units only, relative to the plot: measured in Chromium,
# 72 px under the plot's bottom edge puts them 16 px under the slider, at any width.
PLAY_OFFSET, PLAY_ROW = 72, 40


@dataclass(frozen=True)
class Frame:
    """The figure at one value of the parameter.

    ``name``: the frame's name, the parameter's value as text (``frame_labels``). ``data``:
    one trace update (a dict of the properties that change, e.g. ``{"x": [...], "y":
    [...]}``) per index of ``with_slider``'s ``traces``, in that order. ``readout``: the
    numbers at this value, printed above the slider (Plotly's text: ``<sup>``, ``<b>``).
    ``layout``: what changes in the layout, merged into it the way Plotly merges a frame
    (dicts by key, lists of dicts by index: ``{"images": [{"source": ...}]}`` swaps the first
    image's picture and keeps its place)."""

    name: str
    data: list[dict]
    readout: str
    layout: dict | None = None


@dataclass(frozen=True)
class PlayLabels:
    play: str
    pause: str
    frame_ms: int = 120  # one frame every 120 ms: the regions form slowly enough to watch


def with_slider(
    spec: dict,
    frames: Sequence[Frame],
    *,
    traces: Sequence[int],
    active: int,
    play: PlayLabels | None = None,
) -> go.Figure:
    """``spec`` (a figure's ``{"data", "layout"}``) with one frame per value and Plotly's
    slider over them, starting at ``frames[active]``.

    ``traces`` are the indices (into ``spec["data"]``) of the traces a frame updates; the
    starting frame's updates (data and layout) are merged into ``spec`` itself, so the figure
    as first drawn and the slider agree.
    """
    if not frames:
        raise ValueError("an exploration needs at least one frame")
    if not 0 <= active < len(frames):
        raise ValueError(f"active={active} is not a frame index (0..{len(frames) - 1})")
    data = list(spec["data"])
    start = frames[active]
    for index, update in zip(traces, start.data, strict=True):
        data[index] = merged(data[index], update)
    layout = merged(spec["layout"], start.layout or {})
    margin = dict(layout.get("margin", {}))
    height = layout.get("height", 360)
    plot_height = height - margin.get("t", 100) - margin.get("b", 70)
    room = SLIDER_ROOM + (PLAY_ROW if play else 0)
    margin["b"] = margin.get("b", 70) + room  # the slider (and Play) under the x axis title
    layout["margin"] = margin
    layout["height"] = height + room
    layout["sliders"] = [
        {
            "active": active,
            "currentvalue": {"font": {"size": 14, "color": TEXT}, "xanchor": "left"},
            # The steps' labels are the readouts: the ticks under the rail stay unlabelled
            "font": {"color": "rgba(0,0,0,0)", "size": 8},
            "ticklen": 4,
            "pad": {"t": SLIDER_PAD_TOP, "b": 0},  # below the x axis title
            "len": 1.0,
            "x": 0.0,
            "bordercolor": "#B8BEC9",
            "activebgcolor": SELECTED,
            "steps": [
                {"method": "animate", "label": frame.readout, "value": frame.name,
                 "args": [[frame.name], ANIMATE]}
                for frame in frames
            ],
        }
    ]  # fmt: skip
    if play:
        layout["updatemenus"] = [
            {
                "type": "buttons", "direction": "left", "showactive": False,
                "x": 0.0, "xanchor": "left", "y": -PLAY_OFFSET / plot_height,
                "yanchor": "top", "pad": {"t": SLIDER_PAD_TOP + 10, "r": 10},
                "buttons": [
                    {"label": play.play, "method": "animate",
                     "args": [None, FRAME_OPTIONS | {"fromcurrent": True, "frame": {
                         "duration": play.frame_ms, "redraw": False}}]},
                    {"label": play.pause, "method": "animate", "args": [[None], ANIMATE]},
                ],
            }
        ]  # fmt: skip
    kept = kept_traces(data, traces)
    plotly_frames = [
        {"name": frame.name, "traces": [*traces, *kept], "data": [*frame.data, *[{}] * len(kept)]}
        | ({"layout": frame.layout} if frame.layout else {})
        for frame in frames
    ]
    return FramedFigure({"data": data, "layout": layout}, plotly_frames)


class FramedFigure(go.Figure):
    """A ``go.Figure`` whose frames stay plain dicts until it is written out (``to_dict``,
    which ``st.plotly_chart`` calls). Plotly turns each frame into objects even unvalidated,
    about half a millisecond a frame, on every rerun; the tests validate the whole dict once
    (``go.Figure(figure.to_dict())``)."""

    def __init__(self, spec: dict, frames: list[dict]) -> None:
        super().__init__(spec, _validate=False)
        self._plain_frames = frames

    def to_dict(self) -> dict:
        return super().to_dict() | {"frames": self._plain_frames}


def kept_traces(data: Sequence[dict], traces: Sequence[int]) -> list[int]:
    """The traces a frame must name, unchanged, besides the ``traces`` it moves, for Plotly to
    keep drawing them.

    Without a redraw, Plotly plots a frame's traces only: a subplot none of whose traces the
    frame names is emptied, and a bar trace it does not name is dropped (its scatter traces
    stay). So a frame names every bar trace, and the first trace of each subplot it would
    otherwise leave out (a figure puts a trace without points first there, if it has one)."""
    named = set(traces)
    subplots = {_subplot(data[index]) for index in traces}
    kept = []
    for index, trace in enumerate(data):
        if index in named:
            continue
        subplot = _subplot(trace)
        if trace.get("type") == "bar" or subplot not in subplots:
            kept.append(index)
            subplots.add(subplot)
    return kept


def _subplot(trace: dict) -> tuple[str, str]:
    return trace.get("xaxis", "x"), trace.get("yaxis", "y")


def merged(base: dict, update: dict) -> dict:
    """``base`` with ``update`` merged in as Plotly merges a frame into a figure: dicts key by
    key, lists of dicts item by item, anything else replaced. Neither argument is changed."""
    out = dict(base)
    for key, value in update.items():
        old = out.get(key)
        if isinstance(value, dict) and isinstance(old, dict):
            out[key] = merged(old, value)
        elif (isinstance(value, list) and isinstance(old, list) and len(value) <= len(old)
              and all(isinstance(item, dict) for item in value + old)):  # fmt: skip
            out[key] = [merged(o, v) for o, v in zip(old, value, strict=False)] + old[len(value) :]
        else:
            out[key] = value
    return out


def typed(values: np.ndarray) -> dict:
    """``values`` (any shape) as Plotly's typed array (base64 of its bytes, 4 for a float32),
    what ``go.Figure.to_dict`` writes for a trace's numpy arrays; a frame's plain dict is
    written as JSON numbers instead, a dozen characters each."""
    values = np.ascontiguousarray(values)
    spec = {
        "dtype": values.dtype.str.lstrip("<|="),
        "bdata": base64.b64encode(values.tobytes()).decode(),
    }
    if values.ndim > 1:
        spec["shape"] = ",".join(str(n) for n in values.shape)
    return spec


def frame_labels(values: Sequence[float], digits: int) -> list[str]:
    """Frame names (and slider labels) for parameter values, unique at ``digits`` decimals."""
    labels = [f"{value:.{digits}f}" for value in values]
    if len(set(labels)) != len(labels):
        raise ValueError(f"{digits} decimals do not tell every value apart")
    return labels
