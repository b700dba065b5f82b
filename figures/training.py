"""Figures of the Training page: learning curves; decision regions and confidence map, replayed."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from figures.explore import Frame, PlayLabels, with_slider
from figures.style import TARGET_OUTLINE, base_layout, class_color, panel_axes, side_by_side
from i18n import t

# One marker per class as well as one colour: never colour alone.
CLASS_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "star", "cross", "pentagon")
# The replay's heights in pixels: title and legend; the square maps; the x axis titles
# (with_slider adds the room of the slider, its one-line readout and the Play row under them)
REPLAY_TOP, REPLAY_PLOT, REPLAY_BOTTOM = 110, 360, 70
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
    points: np.ndarray, labels: np.ndarray, class_names: Sequence[str], panel: int
) -> list[dict]:
    """One marker trace per class on panel ``panel`` (0: with the legend, hoverable)."""
    traces = []
    for k, name in enumerate(class_names):
        mine = labels == k
        traces.append(
            {"type": "scatter", "x": points[mine, 0], "y": points[mine, 1], "mode": "markers",
             "name": name, "showlegend": panel == 0, "legendgroup": name,
             "marker": {"color": class_color(k), "symbol": CLASS_SYMBOLS[k % len(CLASS_SYMBOLS)],
                        "size": 7, "line": {"color": TARGET_OUTLINE, "width": 0.8}},
             "hovertemplate": f"{t('figure.class')} {name}<br>(%{{x:.3f}}, %{{y:.3f}})"
                              "<extra></extra>",
             **panel_axes(panel)}
        )  # fmt: skip
    return traces


def make_replay(
    xs: np.ndarray,
    ys: np.ndarray,
    predicted: np.ndarray,
    confidence: np.ndarray,
    wrong: np.ndarray,
    points: np.ndarray,
    labels: np.ndarray,
    class_names: Sequence[str],
    names: Sequence[str],
    readouts: Sequence[str],
    *,
    title: str,
    regions_title: str,
    confidence_title: str,
    regions_value: str,
    confidence_value: str,
    play: PlayLabels,
) -> go.Figure:
    """A training run replayed: the decision regions (left) and the confidence map (right)
    after each of F kept steps, one frame per step, with Plotly's slider and Play.

    ``predicted`` (F, R, R) ints: the class picked at ``(xs[j], ys[i])``, ``xs`` and ``ys``
    (R,); ``confidence`` (F, R, R): its softmax probability (the largest, 1/K to 1);
    ``wrong`` (F, n) bool: the training points ``points`` (n, 2), ``labels`` (n,) that the
    model classifies wrongly at each step, the only ones drawn on the confidence map.
    ``names`` (F,) name the frames (the step numbers); ``readouts`` (F,) are each step's
    numbers, printed above the slider. The figure starts at the last step.
    """
    n_classes = len(class_names)
    # float32: Plotly sends typed arrays, 4 bytes a number, and the hover shows 3 decimals
    points = np.asarray(points, dtype=np.float32)
    xs, ys = np.asarray(xs, dtype=np.float32), np.asarray(ys, dtype=np.float32)
    # A discrete colour scale: class k owns the band [k - 0.5, k + 0.5) of z.
    scale = []
    for k in range(n_classes):
        scale += [[k / n_classes, class_color(k)], [(k + 1) / n_classes, class_color(k)]]
    place = "(%{x:.2f}, %{y:.2f})<br>"
    regions = {
        "type": "heatmap", "x": xs, "y": ys, "zmin": -0.5, "zmax": n_classes - 0.5,
        "colorscale": scale, "showscale": False, "opacity": 0.35,
        # the classes are named by their index (the page's default names): z is the name
        "hovertemplate": f"{place}{regions_value} %{{z}}<extra></extra>", **panel_axes(0),
    }  # fmt: skip
    sure = {
        "type": "heatmap", "x": xs, "y": ys, "zmin": 1 / n_classes, "zmax": 1.0,
        # Plotly's Greys runs from black (0) to white (1): reversed, sure is dark and the
        # boundaries, where the model is unsure, are light
        "colorscale": "Greys", "reversescale": True, "opacity": 0.85,
        "colorbar": {"title": {"text": confidence_value, "side": "right"}, "thickness": 10,
                     "len": 0.9, "x": 1.0, "xpad": 8, "tickformat": ".2f"},
        "hovertemplate": f"{place}{confidence_value} = %{{z:.2f}}<extra></extra>",
        **panel_axes(1),
    }  # fmt: skip
    # The confidence map draws only the points wrong at the frame's step: every point is in
    # its class's trace once, and a frame sets each one's opacity, 1 (wrong) or 0 (right):
    # two characters a point, where the wrong points' coordinates would take a dozen each
    # (at the settings' maxima most points are wrong in many frames). Not hoverable: the
    # map's own hover, the confidence at the place, is what that panel is about.
    overlay = [
        trace | {"hoverinfo": "skip", "hovertemplate": None}
        for trace in _points(points, labels, class_names, panel=1)
    ]
    data = [regions, *_points(points, labels, class_names, panel=0), sure, *overlay]
    sure_index = 1 + n_classes
    panels = side_by_side([regions_title, confidence_title], ["x₁", "x₁"], ["x₂", ""],
                          gap=0.1)  # fmt: skip
    for suffix in ("", "2"):
        # square cells: the plane is not stretched
        panels[f"xaxis{suffix}"] |= {"constrain": "domain"}
        panels[f"yaxis{suffix}"] |= {"scaleanchor": f"x{suffix}", "scaleratio": 1,
                                     "constrain": "domain"}  # fmt: skip
    layout = base_layout(
        title, "", "", REPLAY_TOP + REPLAY_PLOT + REPLAY_BOTTOM,
        margin={"l": 50, "r": 80, "t": REPLAY_TOP, "b": REPLAY_BOTTOM},
        # the classes' key on one row under the title, above the panels' titles (the
        # slider and its readout take the room under the maps). Placed in pixels from the
        # maps' top: the maps are REPLAY_PLOT high whatever the figure's width.
        legend={"orientation": "h", "y": 1 + (REPLAY_TOP - 44) / REPLAY_PLOT,
                "yanchor": "top", "x": 0.0, "xanchor": "left"},
    )  # fmt: skip
    layout["title"] |= {"yref": "container", "y": 1.0, "yanchor": "top", "pad": {"t": 12}}
    layout.update(panels)
    labels_of = [labels == k for k in range(n_classes)]
    frames = []
    for name, readout, cls, top, bad in zip(names, readouts, predicted, confidence, wrong,
                                            strict=True):  # fmt: skip
        # (each update names its trace's type: Plotly's validation takes an untyped one for
        # a scatter, which has no z)
        update = [
            {"type": "heatmap", "z": cls.astype(np.int8)},
            # float64 after rounding: a float32 would print as 0.8700000047683716
            {"type": "heatmap", "z": np.round(top.astype(np.float64), 2)},
            # the whole marker: with_slider applies the starting frame one level deep
            # (``trace | update``), so a marker of opacities only would lose its colour and
            # symbol in the figure as first drawn
            *(
                {"marker": overlay[k]["marker"] | {"opacity": bad[mine].astype(np.int8)}}
                for k, mine in enumerate(labels_of)
            ),
        ]
        frames.append(Frame(name, update, readout))
    traces = [0, sure_index, *range(sure_index + 1, sure_index + 1 + n_classes)]
    return with_slider({"data": data, "layout": layout}, frames, traces=traces,
                       active=len(frames) - 1, play=play, redraw=True)  # fmt: skip
