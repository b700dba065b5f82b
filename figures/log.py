"""Figures of the log & likelihood page: the log curve with the batch's samples on it."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from figures.explore import Frame, frame_labels, with_slider
from figures.style import TARGET_OUTLINE, base_layout, class_color, current_point


def make_log_curve(
    grid: np.ndarray,
    log_grid: np.ndarray,
    sample_probs: np.ndarray,
    sample_losses: np.ndarray,
    sample_targets: Sequence[int],
    class_names: Sequence[str],
    frame_probs: np.ndarray,
    frame_log_probs: np.ndarray,
    frame_losses: np.ndarray,
    active: int,
    *,
    title: str,
    p_label: str,
    log_label: str,
    loss_label: str,
    samples_label: str,
    readout: str,
    marks: Sequence[tuple[float, float]] = (),
    code: str | None = None,
) -> go.Figure:
    """log(p) and -log(p) over (0, 1], the batch's samples on -log(p), and a point on -log(p)
    that follows the figure's own slider over p.

    ``grid`` / ``log_grid``: (K,) probabilities and their natural logs, drawn as curves.
    Samples are drawn as circles outlined in black and coloured by their target class (hover
    names it). ``frame_probs`` (F,) are the slider's positions, with their ``frame_log_probs``
    and ``frame_losses`` (F,); ``active`` the starting one. ``readout`` is a catalog text
    with ``{p}``, ``{log_p}`` and ``{loss}``. ``marks`` are (p, -log p) pairs labelled on
    the curve (0.99 and 0.999 on the page).
    """
    names = [class_names[t] if 0 <= t < len(class_names) else "?" for t in sample_targets]
    hover_loss = "p = %{x:.6g}<br>" + loss_label + " = %{y:.6g}<extra></extra>"
    data = [
        {"type": "scatter", "x": grid, "y": log_grid, "mode": "lines", "name": log_label,
         "line": {"color": "#8C8C8C", "width": 2, "dash": "dot"},
         "hovertemplate": "p = %{x:.6g}<br>" + log_label + " = %{y:.6g}<extra></extra>"},
        {"type": "scatter", "x": grid, "y": -log_grid, "mode": "lines", "name": loss_label,
         "line": {"color": class_color(0), "width": 3}, "hovertemplate": hover_loss},
        {"type": "scatter", "x": sample_probs, "y": sample_losses, "mode": "markers",
         "name": samples_label, "customdata": np.array(names, dtype=object),
         "marker": {"size": 11, "color": [class_color(t) for t in sample_targets],
                    "line": {"color": TARGET_OUTLINE, "width": 1.5}},
         "hovertemplate": "idx %{pointNumber}, targ = %{customdata}<br>p = %{x:.6g}<br>"
         + loss_label + " = %{y:.6g}<extra></extra>"},
        # where the slider is: frames move it (trace 3), the rest is drawn once
        current_point(0.0, 0.0, name="p", hovertemplate=hover_loss),
    ]  # fmt: skip
    if marks:
        probs, losses = zip(*marks, strict=True)
        data.append(
            {"type": "scatter", "x": list(probs), "y": list(losses), "mode": "markers+text",
             "text": [f"p={m:g}: {v:.4g}" for m, v in marks],
             "textposition": ["top left", "bottom left"][: len(marks)] or None,
             "marker": {"size": 9, "symbol": "x", "color": "#111111"}, "name": "0.99 / 0.999",
             "hovertemplate": hover_loss}
        )  # fmt: skip
    layout = base_layout(
        title, p_label, f"{log_label} / {loss_label}", 420, code=code,
        xaxis={"range": [0, 1.02]}, yaxis={"range": [-7.5, 7.5], "zeroline": True},
        legend={"orientation": "h", "yref": "container", "y": 0.0, "yanchor": "bottom"},
    )  # fmt: skip
    labels = frame_labels(frame_probs, 3)
    frames = [
        Frame(label, [{"x": [p], "y": [round(loss, 4)]}],
              readout.format(p=p, log_p=log_p, loss=loss))
        for label, p, log_p, loss in zip(labels, frame_probs.tolist(), frame_log_probs.tolist(),
                                         frame_losses.tolist(), strict=True)
    ]  # fmt: skip
    return with_slider({"data": data, "layout": layout}, frames, traces=[3], active=active)
