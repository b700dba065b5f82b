"""The reliability diagram of the Training page: confidence bins against accuracy, before
and after temperature scaling (ce_core.calibration computes every number)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from figures.style import (
    REFERENCE_LINE,
    SELECTED,
    base_layout,
    class_color,
    panel_axes,
    side_by_side,
)


@dataclass(frozen=True)
class Panel:
    """One diagram: per bin (B,) ``counts``, ``confidence`` and ``accuracy`` (nan where a
    bin is empty), the bins' ``edges`` (B + 1,), and its title (with its ECE)."""

    edges: np.ndarray
    counts: np.ndarray
    confidence: np.ndarray
    accuracy: np.ndarray
    title: str


def make_reliability(
    panels: Sequence[Panel],
    *,
    title: str,
    confidence_label: str,
    accuracy_label: str,
    accuracy_name: str,
    gap_name: str,
    ideal_name: str,
    code: str,
) -> go.Figure:
    """Reliability diagrams side by side (one y axis): in each bin of top probability, a bar
    as high as the fraction right and, in the highlight colour, a line at the bin's mean
    confidence. A calibrated model's bars reach their lines, and the dashed diagonal. Each
    bar is labelled with its number of points, at its foot."""
    layout_panels = side_by_side([p.title for p in panels], [confidence_label] * len(panels),
                                 [accuracy_label] + [""] * (len(panels) - 1),
                                 shared_y=True)  # fmt: skip
    data = []
    for k, panel in enumerate(panels):
        shown = panel.counts > 0
        centres = ((panel.edges[:-1] + panel.edges[1:]) / 2)[shown]
        width = float(np.diff(panel.edges).min()) * 0.9
        accuracy, confidence = panel.accuracy[shown], panel.confidence[shown]
        counts = panel.counts[shown]
        hover = np.stack([confidence, accuracy, counts], 1)
        axes = panel_axes(k)
        data += [
            {"type": "bar", "x": centres, "y": accuracy, "width": width, "name": accuracy_name,
             "marker": {"color": class_color(0)}, "text": [f"{int(n)}" for n in counts],
             "textposition": "inside", "insidetextanchor": "start", "textangle": 0,
             "textfont": {"size": 11}, "customdata": hover,
             "legendgroup": "accuracy", "showlegend": k == 0,
             "hovertemplate": f"{confidence_label} %{{customdata[0]:.3f}}<br>"
                              f"{accuracy_label} %{{customdata[1]:.3f}}<br>"
                              "n = %{customdata[2]:.0f}<extra></extra>", **axes},
            # the bin's mean confidence: a bar reaching this line is calibrated there
            {"type": "scatter", "x": centres, "y": confidence, "mode": "markers",
             "name": gap_name, "legendgroup": "gap", "showlegend": k == 0,
             "marker": {"symbol": "line-ew", "size": 22, "line": {"color": SELECTED, "width": 3}},
             "hoverinfo": "skip", **axes},
            {"type": "scatter", "x": [0, 1], "y": [0, 1], "mode": "lines", "name": ideal_name,
             "legendgroup": "ideal", "showlegend": k == 0, "hoverinfo": "skip",
             "line": {"color": REFERENCE_LINE, "dash": "dash", "width": 1.5}, **axes},
        ]  # fmt: skip
    for suffix in ("", *(str(k + 1) for k in range(1, len(panels)))):
        layout_panels[f"xaxis{suffix}"] |= {"range": [0, 1]}
        layout_panels[f"yaxis{suffix}"] |= {"range": [0, 1.02]}
    layout = base_layout(
        title, confidence_label, accuracy_label, 430, code=code, barmode="overlay",
        legend={"orientation": "h", "yref": "container", "y": 0.0, "yanchor": "bottom"},
    )  # fmt: skip
    layout.update(layout_panels)
    layout["margin"] |= {"t": 110, "b": 110}
    return go.Figure({"data": data, "layout": layout})
