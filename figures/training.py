"""Figures of the Training page: learning curves; decision regions and confidence map, replayed."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from figures.explore import Frame, PlayLabels, typed, with_slider
from figures.raster import class_picture, grey_picture, layout_image
from figures.style import TARGET_OUTLINE, base_layout, class_color, panel_axes, side_by_side
from i18n import t

# One marker per class as well as one colour: never colour alone.
CLASS_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "star", "cross", "pentagon")
# Their numbers in Plotly's list of symbols: a trace with one symbol a point sends these as
# bytes, where the names would take a dozen characters a point
SYMBOL_NUMBERS = {"circle": 0, "square": 1, "diamond": 2, "cross": 3, "x": 4, "triangle-up": 5,
                  "pentagon": 13, "star": 17}  # fmt: skip
# The replay's heights in pixels: title and legend; the square maps; the x axis titles
# (with_slider adds the room of the slider, its one-line readout and the Play row under them)
REPLAY_TOP, REPLAY_PLOT, REPLAY_BOTTOM = 110, 360, 70
# The maps' opacity over the plot: the regions light enough for the points on them to stand
# out; the confidence strong enough that the light boundaries read against the sure places
REGIONS_OPACITY, CONFIDENCE_OPACITY = 0.35, 0.85
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
    confidence_value: str,
    play: PlayLabels,
) -> go.Figure:
    """A training run replayed: the decision regions (left) and the confidence map (right)
    after each of F kept steps, one frame per step, with Plotly's slider and Play.

    ``predicted`` (F, R, R) ints: the class picked at ``(xs[j], ys[i])``, ``xs`` and ``ys``
    (R,, evenly spaced); ``confidence`` (F, R, R): its softmax probability (the largest, 1/K
    to 1); ``wrong`` (F, n) bool: the training points ``points`` (n, 2), ``labels`` (n,) that
    the model classifies wrongly at each step, the only ones drawn on the confidence map.
    ``names`` (F,) name the frames (the step numbers); ``readouts`` (F,) are each step's
    numbers, printed above the slider. The figure starts at the last step.

    The maps are pictures (layout images, one pixel a cell: figures/raster.py) that a frame
    swaps, and the wrong points are one trace whose x a frame sets (NaN where the model is
    right: not drawn). A frame redraws nothing else, where heatmaps would redraw the whole
    figure, several times slower than a drag needs. The maps' cells have no hover (the
    readout and the page's table give each step's numbers); the points do.
    """
    n_classes = len(class_names)
    # float32: Plotly sends typed arrays, 4 bytes a number, and the hover shows 3 decimals
    points = np.asarray(points, dtype=np.float32)
    xs, ys = np.asarray(xs, dtype=np.float32), np.asarray(ys, dtype=np.float32)
    colors = [class_color(k) for k in range(n_classes)]
    low = 1 / n_classes  # the least the largest of K probabilities can be

    def pictures(classes: np.ndarray, top: np.ndarray) -> dict:
        return {"images": [{"source": class_picture(classes, colors)},
                           {"source": grey_picture(top, low, 1.0)}]}  # fmt: skip

    # The confidence's colour bar, from a trace that draws nothing (the map is a picture). It
    # is the regions' panel's first trace: the one the frames name for Plotly to keep that
    # panel drawn (explore.kept_traces), which costs nothing to plot.
    scale_key = {
        "type": "scatter", "x": [None, None], "y": [None, None], "mode": "markers",
        "showlegend": False, "hoverinfo": "skip",
        "marker": {"color": [low, 1.0], "cmin": low, "cmax": 1.0, "showscale": True,
                   # Plotly's Greys runs from black (0) to white (1): reversed, sure is dark
                   # and the boundaries, where the model is unsure, are light
                   "colorscale": "Greys", "reversescale": True,
                   "colorbar": {"title": {"text": confidence_value, "side": "right"},
                                "thickness": 10, "len": 0.9, "x": 1.0, "xpad": 8,
                                "tickformat": ".2f"}},
        **panel_axes(0),
    }  # fmt: skip
    # The confidence map's points: every point once, coloured and shaped by its class; a
    # frame sends their x only, NaN where the model is right. Not hoverable: the map is what
    # that panel is about, and the regions' panel names every point.
    wrong_points = {
        "type": "scatter", "x": points[:, 0], "y": points[:, 1], "mode": "markers",
        "showlegend": False, "hoverinfo": "skip",
        # colour and symbol by class index, a byte a point: the classes' colours as a scale
        # whose k-th stop is class k's colour
        "marker": {"color": np.asarray(labels, dtype=np.uint8), "cmin": 0,
                   "cmax": max(n_classes - 1, 1), "showscale": False,
                   "colorscale": [[k / max(n_classes - 1, 1), color]
                                  for k, color in enumerate(colors)],
                   "symbol": np.asarray([SYMBOL_NUMBERS[CLASS_SYMBOLS[k % len(CLASS_SYMBOLS)]]
                                         for k in labels], dtype=np.uint8),
                   "size": 7, "line": {"color": TARGET_OUTLINE, "width": 0.8}},
        **panel_axes(1),
    }  # fmt: skip
    data = [scale_key, *_points(points, labels, class_names, panel=0), wrong_points]
    panels = side_by_side([regions_title, confidence_title], ["x₁", "x₁"], ["x₂", ""],
                          gap=0.1)  # fmt: skip
    x_span = [float(xs[0] - (xs[1] - xs[0]) / 2), float(xs[-1] + (xs[1] - xs[0]) / 2)]
    y_span = [float(ys[0] - (ys[1] - ys[0]) / 2), float(ys[-1] + (ys[1] - ys[0]) / 2)]
    for suffix in ("", "2"):
        # the axes span the maps exactly, with square cells (the plane is not stretched); no
        # grid: the pictures lie under it, and the maps show where the points are
        panels[f"xaxis{suffix}"] |= {"constrain": "domain", "range": x_span,
                                     "showgrid": False, "zeroline": False}  # fmt: skip
        panels[f"yaxis{suffix}"] |= {"scaleanchor": f"x{suffix}", "scaleratio": 1,
                                     "constrain": "domain", "range": y_span,
                                     "showgrid": False, "zeroline": False}  # fmt: skip
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
    # the pictures' sources are the starting frame's (with_slider merges them in)
    layout["images"] = [
        layout_image("", xs, ys, panel=0, opacity=REGIONS_OPACITY),
        layout_image("", xs, ys, panel=1, opacity=CONFIDENCE_OPACITY),
    ]
    frames = [
        Frame(name, [{"x": typed(np.where(bad, points[:, 0], np.nan).astype(np.float32))}], readout,
              layout=pictures(classes, top))
        for name, readout, classes, top, bad in zip(names, readouts, predicted, confidence,
                                                    wrong, strict=True)
    ]  # fmt: skip
    return with_slider({"data": data, "layout": layout}, frames, traces=[len(data) - 1],
                       active=len(frames) - 1, play=play)  # fmt: skip
