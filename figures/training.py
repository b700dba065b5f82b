"""Figures of the Training page: learning curves, decision regions, confidence map."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from figures.style import TARGET_OUTLINE, base_layout, class_color, panel_axes, side_by_side
from i18n import t

# One marker per class as well as one colour: never colour alone.
CLASS_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "star", "cross", "pentagon")
RUN_STYLES = ({"color": "#0072B2", "width": 3}, {"color": "#D55E00", "width": 2.5, "dash": "dash"})


def make_training_curves(
    runs: Sequence[tuple[str, np.ndarray, np.ndarray]],
    *,
    title: str,
    step_label: str,
    loss_label: str,
    accuracy_label: str,
) -> go.Figure:
    """Each run's cross-entropy (left) and accuracy (right) after 0, 1, ... S steps.

    ``runs``: (name, cross_entropy (S+1,), accuracy (S+1,)); the first is the run the page
    trained, the second (if any) the other loss, for comparison.
    """
    data = []
    for (name, ce, accuracy), style in zip(runs, RUN_STYLES, strict=False):
        steps = np.arange(len(ce))
        for k, (values, label) in enumerate(((ce, loss_label), (accuracy, accuracy_label))):
            data.append(
                {"type": "scatter", "x": steps, "y": values, "mode": "lines", "name": name,
                 "line": style, "legendgroup": name, "showlegend": k == 0,
                 "hovertemplate": f"{name}<br>{step_label} %{{x}}<br>{label} = %{{y:.4f}}"
                 "<extra></extra>",
                 **panel_axes(k)}
            )  # fmt: skip
    panels = side_by_side(
        [loss_label, accuracy_label], [step_label] * 2, [loss_label, accuracy_label]
    )
    panels["yaxis"] |= {"rangemode": "tozero"}
    panels["yaxis2"] |= {"range": [0, 1.02], "tickformat": ".0%"}
    layout = base_layout(
        title, step_label, loss_label, 360,
        legend={"orientation": "h", "yref": "container", "y": 0.0, "yanchor": "bottom"},
    )  # fmt: skip
    layout.update(panels)
    layout["margin"]["t"] = 90
    return go.Figure({"data": data, "layout": layout})


def _points(
    points: np.ndarray, labels: np.ndarray, class_names: Sequence[str], legend: bool
) -> list[dict]:
    traces = []
    for k, name in enumerate(class_names):
        mine = labels == k
        traces.append(
            {"type": "scatter", "x": points[mine, 0], "y": points[mine, 1], "mode": "markers",
             "name": name, "showlegend": legend,
             "marker": {"color": class_color(k), "symbol": CLASS_SYMBOLS[k % len(CLASS_SYMBOLS)],
                        "size": 7, "line": {"color": TARGET_OUTLINE, "width": 0.8}},
             "hovertemplate": f"{t('figure.class')} {name}<br>(%{{x:.3f}}, %{{y:.3f}})"
                              "<extra></extra>"}
        )  # fmt: skip
    return traces


def make_decision_map(
    xs: np.ndarray,
    ys: np.ndarray,
    probs: np.ndarray,
    points: np.ndarray,
    labels: np.ndarray,
    class_names: Sequence[str],
    *,
    confidence: bool,
    title: str,
    value_label: str,
    shown: np.ndarray | None = None,
) -> go.Figure:
    """The plane coloured by the model, with the training points on top.

    ``probs``: (R, R, K) softmax on the grid ``xs`` (R,) x ``ys`` (R,). ``confidence=False``:
    each cell in the colour of its predicted class (the decision regions);
    ``confidence=True``: the largest probability, 1/K (unsure) to 1 (certain), in grey.
    ``points`` (n, 2) and ``labels`` (n,) are the training points; ``shown`` (n,) bool, if
    given, draws only those (the Training page: the ones the model gets wrong).
    """
    n_classes = probs.shape[2]
    predicted = probs.argmax(2)
    if confidence:
        background = {
            # float32: Plotly sends typed arrays, and the eye cannot tell float64 apart
            "type": "heatmap", "x": xs, "y": ys, "z": probs.max(2).astype(np.float32),
            "zmin": 1 / n_classes,
            "zmax": 1.0, "colorscale": "Greys", "reversescale": False, "opacity": 0.85,
            # under the map: a colour bar at the side would squeeze a square plot
            "colorbar": {"title": {"text": value_label, "side": "top"}, "orientation": "h",
                         "thickness": 10, "len": 0.9, "y": -0.32, "yanchor": "top"},
            "hovertemplate": "(%{x:.2f}, %{y:.2f})<br>" + value_label
            + " = %{z:.3f}<extra></extra>",
        }  # fmt: skip
    else:
        # A discrete colour scale: class k owns the band [k - 0.5, k + 0.5) of z.
        scale = []
        for k in range(n_classes):
            scale += [[k / n_classes, class_color(k)], [(k + 1) / n_classes, class_color(k)]]
        background = {
            "type": "heatmap", "x": xs, "y": ys, "z": predicted, "zmin": -0.5,
            "zmax": n_classes - 0.5, "colorscale": scale, "showscale": False, "opacity": 0.35,
            "hovertemplate": "(%{x:.2f}, %{y:.2f})<br>" + value_label
            + " %{z}<extra></extra>",
        }  # fmt: skip
        if list(class_names) != [str(k) for k in range(n_classes)]:
            # names other than the indices travel per cell (the JSON grows by R * R names)
            background["customdata"] = np.asarray(class_names, dtype=object)[predicted]
            background["hovertemplate"] = background["hovertemplate"].replace(
                "%{z}", "%{customdata}"
            )
    layout = base_layout(
        title, "x₁", "x₂", 460,
        yaxis={"scaleanchor": "x", "scaleratio": 1, "constrain": "domain"},
        xaxis={"constrain": "domain"},
        legend={"orientation": "h", "yref": "container", "y": 0.0, "yanchor": "bottom"},
    )  # fmt: skip
    if shown is not None:
        points, labels = points[shown], labels[shown]
    data = [background, *_points(points, labels, class_names, legend=not confidence)]
    return go.Figure({"data": data, "layout": layout})
