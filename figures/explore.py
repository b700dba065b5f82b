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

from collections.abc import Sequence
from dataclasses import dataclass

import plotly.graph_objects as go

from figures.style import SELECTED, TEXT

# A frame replaces the data of its traces without redrawing the axes: what makes a drag
# follow the mouse. Heatmaps need a full redraw (Plotly animates only scatter and bar
# geometry in place), so their figures pass redraw=True.
FRAME_OPTIONS = {"mode": "immediate", "transition": {"duration": 0}}
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
    numbers at this value, printed above the slider (Plotly's text: ``<sup>``, ``<b>``)."""

    name: str
    data: list[dict]
    readout: str


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
    redraw: bool = False,
) -> go.Figure:
    """``spec`` (a figure's ``{"data", "layout"}``) with one frame per value and Plotly's
    slider over them, starting at ``frames[active]``.

    ``traces`` are the indices (into ``spec["data"]``) of the traces a frame updates; the
    starting frame's updates are applied to ``spec`` itself, so the figure as first drawn
    and the slider agree.
    """
    if not frames:
        raise ValueError("an exploration needs at least one frame")
    if not 0 <= active < len(frames):
        raise ValueError(f"active={active} is not a frame index (0..{len(frames) - 1})")
    data = [dict(trace) for trace in spec["data"]]
    start = frames[active]
    for index, update in zip(traces, start.data, strict=True):
        data[index] |= update
    layout = dict(spec["layout"])
    margin = dict(layout.get("margin", {}))
    height = layout.get("height", 360)
    plot_height = height - margin.get("t", 100) - margin.get("b", 70)
    room = SLIDER_ROOM + (PLAY_ROW if play else 0)
    margin["b"] = margin.get("b", 70) + room  # the slider (and Play) under the x axis title
    layout["margin"] = margin
    layout["height"] = height + room
    animate = FRAME_OPTIONS | {"frame": {"duration": 0, "redraw": redraw}}
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
                 "args": [[frame.name], animate]}
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
                         "duration": play.frame_ms, "redraw": redraw}}]},
                    {"label": play.pause, "method": "animate", "args": [[None], animate]},
                ],
            }
        ]  # fmt: skip
    plotly_frames = [
        {"name": frame.name, "traces": list(traces), "data": frame.data} for frame in frames
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


def frame_labels(values: Sequence[float], digits: int) -> list[str]:
    """Frame names (and slider labels) for parameter values, unique at ``digits`` decimals."""
    labels = [f"{value:.{digits}f}" for value in values]
    if len(set(labels)) != len(labels):
        raise ValueError(f"{digits} decimals do not tell every value apart")
    return labels
