"""Figures of the log & likelihood page: the log curve with the batch's samples on it."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from figures.style import TARGET_OUTLINE, base_layout, class_color, current_point


def make_log_curve(
    grid: np.ndarray,
    log_grid: np.ndarray,
    sample_probs: np.ndarray,
    sample_losses: np.ndarray,
    sample_targets: Sequence[int],
    class_names: Sequence[str],
    probability: float,
    loss: float,
    *,
    title: str,
    p_label: str,
    log_label: str,
    loss_label: str,
    samples_label: str,
    marks: Sequence[float] = (),
    code: str | None = None,
) -> go.Figure:
    """log(p) and -log(p) over (0, 1], the batch's samples on -log(p), and the slider's p.

    ``grid`` / ``log_grid``: (K,) probabilities and their natural logs. Samples are drawn as
    circles outlined in black and coloured by their target class (hover names it); ``marks``
    are probabilities labelled on the curve (0.99 and 0.999 on the page).
    """
    names = [class_names[t] if 0 <= t < len(class_names) else "?" for t in sample_targets]
    data = [
        {"type": "scatter", "x": grid, "y": log_grid, "mode": "lines", "name": log_label,
         "line": {"color": "#8C8C8C", "width": 2, "dash": "dot"},
         "hovertemplate": "p = %{x:.6g}<br>" + log_label + " = %{y:.6g}<extra></extra>"},
        {"type": "scatter", "x": grid, "y": -log_grid, "mode": "lines", "name": loss_label,
         "line": {"color": class_color(0), "width": 3},
         "hovertemplate": "p = %{x:.6g}<br>" + loss_label + " = %{y:.6g}<extra></extra>"},
        {"type": "scatter", "x": sample_probs, "y": sample_losses, "mode": "markers",
         "name": samples_label, "customdata": np.array(names, dtype=object),
         "marker": {"size": 11, "color": [class_color(t) for t in sample_targets],
                    "line": {"color": TARGET_OUTLINE, "width": 1.5}},
         "hovertemplate": "idx %{pointNumber}, targ = %{customdata}<br>p = %{x:.6g}<br>"
         + loss_label + " = %{y:.6g}<extra></extra>"},
        current_point(probability, loss, name="p",
                      hovertemplate="p = %{x:.6g}<br>" + loss_label + " = %{y:.6g}<extra></extra>"),
    ]  # fmt: skip
    if marks:
        marks_loss = [-float(np.log(m)) for m in marks]
        data.append(
            {"type": "scatter", "x": list(marks), "y": marks_loss, "mode": "markers+text",
             "text": [f"p={m:g}: {v:.4g}" for m, v in zip(marks, marks_loss, strict=True)],
             "textposition": ["top left", "bottom left"][: len(marks)] or None,
             "marker": {"size": 9, "symbol": "x", "color": "#111111"}, "name": "0.99 / 0.999",
             "hovertemplate": "p = %{x:.6g}<br>" + loss_label + " = %{y:.6g}<extra></extra>"}
        )  # fmt: skip
    layout = base_layout(
        title, p_label, f"{log_label} / {loss_label}", 420, code=code,
        xaxis={"range": [0, 1.02]}, yaxis={"range": [-7.5, 7.5], "zeroline": True},
        legend={"orientation": "h", "yref": "container", "y": 0.0, "yanchor": "bottom"},
    )  # fmt: skip
    return go.Figure({"data": data, "layout": layout})
