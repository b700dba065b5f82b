"""Figures of the Gradients page: per-row gradient bars, the losses compared, the steps."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from figures.explore import Frame, frame_labels, with_slider
from figures.style import (
    CLASS_PALETTE,
    NEUTRAL,
    REFERENCE_LINE,
    SELECTED,
    TARGET_OUTLINE,
    base_layout,
    class_color,
    panel_axes,
    side_by_side,
)
from i18n import t

MAX_GRADIENT_ROWS = 8  # small multiples beyond this are unreadable; the page picks rows
PANEL_TOP_MARGIN = 110  # room for the panels' titles under the code line

# One colour and one dash per loss (not class colours: losses are not classes).
LOSS_STYLES = (
    {"color": "#0072B2", "dash": "solid", "width": 3.5},
    {"color": "#D55E00", "dash": "dash", "width": 2.5},
    {"color": "#009E73", "dash": "dot", "width": 2.5},
    {"color": "#CC79A7", "dash": "dashdot", "width": 2.5},
)
# The loss comparison's fixed y ranges: cross-entropy's loss runs off the top near p = 0, where
# the gradients (all negative, at least -1) matter
LOSS_RANGE, GRAD_RANGE = (0.0, 5.0), (-1.05, 0.05)
LEGEND_BELOW = {"orientation": "h", "yref": "container", "y": 0.0, "yanchor": "bottom"}


def _panels_layout(title: str, height: int, code: str | None, panels: dict, **more) -> dict:
    layout = base_layout(title, "", "", height, code=code, **more)
    layout.update(panels)
    layout["margin"]["t"] = PANEL_TOP_MARGIN
    return layout


def make_gradient_rows(
    autograd: np.ndarray,
    formula: np.ndarray,
    rows: Sequence[int],
    targets: np.ndarray,
    class_names: Sequence[str],
    *,
    title: str,
    grad_label: str,
    autograd_label: str,
    formula_label: str,
    code: str | None = None,
) -> go.Figure:
    """Small multiples, one per row in ``rows``: d loss / d acts[idx, c] over the classes.

    ``autograd``, ``formula``: (N, C). Autograd's values are bars in the class colours, the
    target's bar outlined in black (it is the only negative one); the formula's values are
    black diamonds on top, so that agreement is visible at a glance.
    """
    rows = [r for r in rows if 0 <= r < len(autograd)][:MAX_GRADIENT_ROWS]
    n_classes = autograd.shape[1]
    names = list(class_names)
    data = []
    for k, r in enumerate(rows):
        targ = int(targets[r]) if targets.ndim == 1 else -1
        hover = (
            f"idx {r}, {t('figure.class')} %{{x}}<br>%{{fullData.name}} = %{{y:.6g}}<extra></extra>"
        )
        data += [
            {"type": "bar", "x": names, "y": autograd[r], "name": autograd_label,
             "showlegend": k == 0, "legendgroup": "autograd", "hovertemplate": hover,
             "marker": {"color": [class_color(c) for c in range(n_classes)],
                        "line": {"color": [TARGET_OUTLINE if c == targ else "white"
                                           for c in range(n_classes)],
                                 "width": [3 if c == targ else 0 for c in range(n_classes)]}},
             **panel_axes(k)},
            {"type": "scatter", "x": names, "y": formula[r], "mode": "markers",
             "name": formula_label, "showlegend": k == 0, "legendgroup": "formula",
             "marker": {"symbol": "diamond", "size": 9, "color": TARGET_OUTLINE},
             "hovertemplate": hover, **panel_axes(k)},
        ]  # fmt: skip
    panels = side_by_side(
        [f"idx {r}" for r in rows], [t("figure.class")] * len(rows),
        [grad_label] + [""] * (len(rows) - 1), gap=0.02, shared_y=True,
    )  # fmt: skip
    for k in range(len(rows)):
        suffix = "" if k == 0 else str(k + 1)
        # Class names such as "3" and "7" must stay labels, not become a numeric axis.
        panels[f"xaxis{suffix}"] |= {"type": "category", "tickangle": -45 if n_classes > 4 else 0,
                                     "title": {"text": ""}}  # fmt: skip
        panels[f"yaxis{suffix}"] |= {"zeroline": True, "zerolinecolor": REFERENCE_LINE}
    layout = _panels_layout(title, 340, code, panels, legend=LEGEND_BELOW, bargap=0.15)
    return go.Figure({"data": data, "layout": layout})


def _now_xy(p: float, values: Sequence[float], y_range: tuple[float, float]) -> dict:
    """The x and y of ``_now_trace``: the dotted line at ``p`` through the panel, then one
    point per curve at its value, each apart (``None`` breaks the line between them)."""
    xs, ys = [p, p], list(y_range)
    for value in values:
        xs += [None, p]
        ys += [None, value]
    return {"x": xs, "y": ys}


def _now_trace(k: int, names: Sequence[str], y_range: tuple[float, float]) -> dict:
    """Where the slider is on panel ``k``: one trace for the dotted line and every curve's
    point (coloured like its curve), so that a frame updates one trace per panel."""
    points = _now_xy(0.0, [0.0] * len(names), y_range)
    hidden = [0, 0]  # the line's two ends carry no marker
    sizes, widths, colors = list(hidden), list(hidden), [SELECTED] * 2
    hovers = ["p = %{x:.4g}<extra></extra>"] * 2
    for name, style in zip(names, LOSS_STYLES, strict=False):
        sizes += [0, 11]
        widths += [0, 1]
        colors += [SELECTED, style["color"]]
        hovers += ["", name + "<br>p = %{x:.4g}<br>%{y:.6g}<extra></extra>"]
    return {
        "type": "scatter", **points, "mode": "lines+markers", "name": "p", "showlegend": False,
        "line": {"color": SELECTED, "dash": "dot", "width": 1}, "hovertemplate": hovers,
        "marker": {"symbol": "diamond", "size": sizes, "color": colors,
                   "line": {"color": TARGET_OUTLINE, "width": widths}},
        **panel_axes(k),
    }  # fmt: skip


def _curve_shape(grid: np.ndarray, values: np.ndarray, k: int, name: str, style: dict) -> dict:
    """One curve (P,) over ``grid`` (P,) on panel ``k``, drawn as a layout path in data
    coordinates, clipped to the panel like a trace (``_legend_key`` is its legend entry)."""
    suffix = "" if k == 0 else str(k + 1)
    points = zip(grid.tolist(), values.tolist(), strict=True)
    path = "M" + "L".join(f"{x:.5g},{y:.5g}" for x, y in points)  # 5 digits: below a pixel
    return {
        "type": "path", "path": path, "xref": f"x{suffix}", "yref": f"y{suffix}",
        "line": style, "layer": "between", "name": name, "legendgroup": name,
        "showlegend": False,
    }  # fmt: skip


def _legend_key(name: str, style: dict) -> dict:
    """The legend's entry for a curve: a line of no length (nothing to see on the figure),
    since the legend draws a path shape as a blob and a line shape as a line in its style.
    Its ``legendgroup`` makes a click on it hide or show the curve's two paths."""
    return {
        "type": "line", "xref": "paper", "yref": "paper", "x0": 0, "x1": 0, "y0": 0, "y1": 0,
        "line": style, "name": name, "legendgroup": name, "showlegend": True,
    }  # fmt: skip


def make_loss_comparison(
    grid: np.ndarray,
    curves: Sequence[tuple[str, np.ndarray, np.ndarray]],
    frame_probs: np.ndarray,
    frame_points: Sequence[tuple[np.ndarray, np.ndarray]],
    active: int,
    *,
    title: str,
    p_label: str,
    loss_label: str,
    grad_label: str,
    readouts: Sequence[str],
    code: str | None = None,
) -> go.Figure:
    """Losses (left) and their gradients with respect to the target's logit (right), with
    each curve's point at the p of the figure's own slider.

    ``curves``: (name, loss (P,), grad (P,)) over the target probability ``grid`` (P,),
    at most one per style of ``LOSS_STYLES``. ``frame_probs`` (F,) are the slider's
    positions, ``active`` the starting one; ``frame_points``: per curve, its (loss (F,),
    grad (F,)) at those positions; ``readouts`` (F,) the numbers printed at each.

    On every frame of the slider Plotly recomputes every trace of the figure, point by point,
    at a millisecond and more each (measured while dragging: bench/bench_drag.py). The eight
    curves, which never move, are layout shapes instead, and the figure has only the two
    traces that follow p: the curves show no hover, but their points at p do (the readout
    and the page's table hold every number).
    """
    curves = list(curves)[: len(LOSS_STYLES)]
    names = [name for name, _, _ in curves]
    shapes = [
        _curve_shape(grid, values, k, name, style)
        for (name, loss, grad), style in zip(curves, LOSS_STYLES, strict=False)
        for k, values in enumerate((loss, grad))
    ]
    shapes += [_legend_key(name, style) for name, style in zip(names, LOSS_STYLES, strict=False)]
    data = [_now_trace(k, names, y_range) for k, y_range in enumerate((LOSS_RANGE, GRAD_RANGE))]
    # The right panel's title names its y axis, and one x title serves both panels: on a
    # phone, two long x titles and a y title between the panels run into each other
    panels = side_by_side([loss_label, grad_label], ["", ""], [loss_label, ""])
    panels["annotations"].append(
        {"text": p_label, "xref": "paper", "yref": "paper", "x": 0.5, "y": 0.0,
         "xanchor": "center", "yanchor": "top", "yshift": -30, "showarrow": False,
         "font": {"size": 14}}
    )  # fmt: skip
    panels["xaxis"] |= {"range": [0, 1]}
    panels["xaxis2"] |= {"range": [0, 1]}
    panels["yaxis"] |= {"range": list(LOSS_RANGE)}
    panels["yaxis2"] |= {"range": list(GRAD_RANGE), "zeroline": True,
                         "zerolinecolor": REFERENCE_LINE}  # fmt: skip
    # 470 px: the panels keep their height above a readout of three lines
    layout = _panels_layout(title, 470, code, panels, legend=LEGEND_BELOW, shapes=shapes)
    # (F, curves) per panel, rounded to what a pixel shows
    losses = np.round(np.stack([loss for loss, _ in frame_points[: len(curves)]], 1), 4)
    grads = np.round(np.stack([grad for _, grad in frame_points[: len(curves)]], 1), 4)
    frames = [
        Frame(label, [_now_xy(p, loss_row, LOSS_RANGE), _now_xy(p, grad_row, GRAD_RANGE)], text)
        for label, p, loss_row, grad_row, text in zip(
            frame_labels(frame_probs, 3), frame_probs.tolist(), losses.tolist(), grads.tolist(),
            readouts, strict=True)
    ]  # fmt: skip
    return with_slider({"data": data, "layout": layout}, frames, traces=[0, 1], active=active)


def make_step_history(
    losses: np.ndarray,
    target_probs: np.ndarray,
    targets: np.ndarray,
    *,
    title: str,
    step_label: str,
    loss_label: str,
    prob_label: str,
    code: str | None = None,
) -> go.Figure:
    """The loss (left) and each sample's target probability (right) after each step.

    ``losses``: (S,) with step 0 the starting point; ``target_probs``: (S, N);
    ``targets``: (N,) class indices (the line's colour; ignored rows are grey).
    """
    steps = list(range(len(losses)))
    data = [
        {"type": "scatter", "x": steps, "y": losses, "mode": "lines+markers", "name": loss_label,
         "line": {"color": CLASS_PALETTE[0], "width": 3},
         "hovertemplate": f"{step_label} %{{x}}<br>{loss_label} = %{{y:.6g}}<extra></extra>",
         **panel_axes(0)}
    ]  # fmt: skip
    for r in range(target_probs.shape[1]):
        k = int(targets[r])
        data.append(
            {"type": "scatter", "x": steps, "y": target_probs[:, r], "mode": "lines+markers",
             "name": f"idx {r}", "marker": {"size": 5},
             "line": {"color": class_color(k) if k >= 0 else NEUTRAL, "width": 1.5},
             "hovertemplate": f"idx {r}<br>{step_label} %{{x}}<br>p = %{{y:.4f}}<extra></extra>",
             **panel_axes(1)}
        )  # fmt: skip
    panels = side_by_side([loss_label, prob_label], [step_label] * 2, [loss_label, prob_label])
    panels["yaxis"] |= {"rangemode": "tozero"}
    panels["yaxis2"] |= {"range": [0, 1.02]}
    for axis in ("xaxis", "xaxis2"):
        panels[axis] |= {"rangemode": "tozero"}
    layout = _panels_layout(title, 340, code, panels, showlegend=False)
    return go.Figure({"data": data, "layout": layout})
