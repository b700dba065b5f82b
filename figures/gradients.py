"""Figures of the Gradients page: per-row gradient bars, the losses compared, the steps."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass

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
# What ties a readout's numbers that depend on C to ``class_count_rule``: a style that marks
# each count's (Plotly keeps a span's style on its <tspan>)
PER_COUNT_STYLE = "--class-count:"
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


@dataclass(frozen=True)
class LossAtCounts:
    """One loss of the comparison at every class count of the page's C slider, (K, ...) rows.

    ``loss``, ``grad``: (K, P) over the figure's grid of target probabilities; ``loss_at``,
    ``grad_at``: (K, F) at the exploration's positions. A loss that does not depend on C
    (``per_count`` False: every row the same) is drawn once, from its first row."""

    name: str
    loss: np.ndarray
    grad: np.ndarray
    loss_at: np.ndarray
    grad_at: np.ndarray
    per_count: bool


def _now_xy(p: float, values: Sequence[float], y_range: tuple[float, float]) -> dict:
    """The x and y of ``_now_trace``: the dotted line at ``p`` through the panel, then one
    point per curve at its value, each apart (``None`` breaks the line between them)."""
    xs, ys = [p, p], list(y_range)
    for value in values:
        xs += [None, p]
        ys += [None, value]
    return {"x": xs, "y": ys}


def _now_trace(k: int, shared: Sequence[dict], per_count: Sequence[dict], n_counts: int,
               y_range: tuple[float, float]) -> dict:  # fmt: skip
    """Where the slider is on panel ``k``: one trace (Plotly's work per frame grows with the
    traces it animates) for the dotted line, the point of every ``shared`` curve (its
    style) and the points of every ``per_count`` curve at every class count, each coloured
    like its curve (``class_count_rule`` shows the chosen count's).

    No hover: Plotly picks the hovered point among the hidden ones too, and labels the
    wrong one (the readout prints the gradients at p, the page's table every number)."""
    points = _now_xy(0.0, [0.0] * (len(shared) + len(per_count) * n_counts), y_range)
    sizes, widths, colors = [0, 0], [0, 0], [SELECTED] * 2  # the line's ends: no marker
    for style in [*shared, *[style for style in per_count for _ in range(n_counts)]]:
        sizes += [0, 11]  # a break in the line, then the point
        widths += [0, 1]
        colors += [SELECTED, style["color"]]
    return {
        "type": "scatter", **points, "mode": "lines+markers", "name": "p", "showlegend": False,
        "line": {"color": SELECTED, "dash": "dot", "width": 1}, "hoverinfo": "skip",
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
    since the legend draws a path shape as a blob and a line shape as a line in its style
    (the figure turns clicks on the legend off: they would hide a shape, not a picture)."""
    return {
        "type": "line", "xref": "paper", "yref": "paper", "x0": 0, "x1": 0, "y0": 0, "y1": 0,
        "line": style, "name": name, "legendgroup": name, "showlegend": True,
    }  # fmt: skip


def _dash_array(style: dict) -> str:
    """Plotly's dash pattern for a line style (``Drawing.dashStyle``), for an SVG stroke."""
    unit = max(style["width"], 3)
    return {"solid": "none", "dot": f"{unit},{unit}", "dash": f"{3 * unit},{3 * unit}",
            "dashdot": f"{3 * unit},{unit},{unit},{unit}"}[style["dash"]]  # fmt: skip


def _count_picture(grid: np.ndarray, curves: Sequence[tuple[np.ndarray, np.ndarray, dict]],
                   domains: Sequence[Sequence[float]], index: int) -> dict:  # fmt: skip
    """One class count's curves as a layout image over the plot area: an SVG, stretched, that
    draws each curve ``(loss (P,), grad (P,), style)`` over ``grid`` (P,) in the loss and
    gradient panels (x ``domains``, in paper units), clipped to each, its strokes in screen
    pixels like Plotly's.

    Per frame, Plotly fills in the defaults of every layout shape (not of the picture's
    contents): nine counts' curves as 36 shapes cost a drag a third more time per frame than
    one picture per count (docs/benchmarks.md)."""
    size = 1000  # the picture's units: a thousandth of the plot area
    paths, clips = [], []
    for k, (domain, (low, high)) in enumerate(zip(domains, (LOSS_RANGE, GRAD_RANGE), strict=True)):
        left, right = domain[0] * size, domain[1] * size
        clips.append(f'<clipPath id="p{k}"><rect x="{left:.1f}" y="0" '
                     f'width="{right - left:.1f}" height="{size}"/></clipPath>')  # fmt: skip
        xs = left + grid * (right - left)
        for loss, grad, style in curves:
            ys = size * (high - (loss, grad)[k]) / (high - low)
            d = "M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs.tolist(), ys.tolist(),
                                                                    strict=True))  # fmt: skip
            paths.append(
                f'<path d="{d}" clip-path="url(#p{k})" fill="none" stroke="{style["color"]}" '
                f'stroke-width="{style["width"]}" stroke-dasharray="{_dash_array(style)}" '
                'vector-effect="non-scaling-stroke"/>'
            )
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
           f'preserveAspectRatio="none">{"".join(clips)}{"".join(paths)}</svg>')  # fmt: skip
    return {
        "source": "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode(),
        "xref": "paper", "yref": "paper", "x": 0, "sizex": 1, "sizey": 1, "xanchor": "left",
        "yanchor": "top", "sizing": "stretch", "layer": "below",
        # Plotly binds layout images to elements by their place: each count's picture sits a
        # billionth of the plot's height apart from the last, to keep an element of its own
        "y": 1 + index * 1e-9,
    }  # fmt: skip


def per_count_text(class_counts: Sequence[int], texts: Sequence[str]) -> str:
    """A readout's number that depends on C, written once per class count (``texts``, (K,))
    in spans that ``class_count_rule`` hides but for the chosen count's."""
    return "".join(
        f'<span style="{PER_COUNT_STYLE}{count}">{text}</span>'
        for count, text in zip(class_counts, texts, strict=True)
    )


def class_count_rule(scope: str, class_counts: Sequence[int], chosen: int,
                     losses: Sequence[LossAtCounts]) -> str:  # fmt: skip
    """CSS that leaves visible, in the loss comparison under the selector ``scope``, the
    curves, points and readout numbers of ``chosen`` classes only."""
    n_counts, k = len(class_counts), list(class_counts).index(chosen)
    n_varying = sum(loss.per_count for loss in losses)
    # A panel's points in the page: the dotted line's two ends, the shared curves' points,
    # then the per-count ones (Plotly draws no element for a point at None)
    first = 2 + sum(not loss.per_count for loss in losses)
    shown = "".join(f":not(:nth-child({first + m * n_counts + k + 1}))" for m in range(n_varying))
    hidden = "display: none !important;"
    return "\n".join([
        f"{scope} .layer-below .imagelayer image:not(:nth-of-type({k + 1})) {{ {hidden} }}",
        f"{scope} .scatterlayer .point:nth-child(n + {first + 1}){shown} {{ {hidden} }}",
        f'{scope} tspan[style^="{PER_COUNT_STYLE}"]:not([style="{PER_COUNT_STYLE}{chosen}"])'
        f" {{ {hidden} }}",
    ])  # fmt: skip


def make_loss_comparison(
    grid: np.ndarray,
    class_counts: Sequence[int],
    losses: Sequence[LossAtCounts],
    frame_probs: np.ndarray,
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
    each curve's point at the p of the figure's own slider, for every class count at once.

    ``grid`` (P,): the curves' target probabilities; ``class_counts`` (K,): the page's C
    slider's positions; ``losses``: at most one per style of ``LOSS_STYLES``;
    ``frame_probs`` (F,): the figure's slider's positions, ``active`` the starting one;
    ``readouts`` (F,): the numbers printed at each (``per_count_text`` for those that depend
    on C).

    The figure is the same at every C: the page's C slider changes one style rule
    (``class_count_rule``) that shows the chosen count's curves, points and numbers, and the
    browser draws nothing again (a new figure costs more than the rest of a move:
    docs/benchmarks.md). On every frame of the figure's slider Plotly recomputes every trace
    it names point by point, and fills in every layout shape's defaults: so the curves,
    which never move, are layout shapes (those that do not depend on C) and pictures (those
    that do), and each panel has one trace, the one that follows p. Nothing hovers; the
    readout and the page's table hold every number.
    """
    losses = list(losses)[: len(LOSS_STYLES)]
    styled = list(zip(losses, LOSS_STYLES, strict=False))
    shared = [(loss, style) for loss, style in styled if not loss.per_count]
    varying = [(loss, style) for loss, style in styled if loss.per_count]
    n_counts = len(class_counts)
    shapes = [
        _curve_shape(grid, values[0], k, loss.name, style)
        for loss, style in shared
        for k, values in enumerate((loss.loss, loss.grad))
    ]
    shapes += [_legend_key(loss.name, style) for loss, style in styled]
    shared_styles = [style for _, style in shared]
    per_count_styles = [style for _, style in varying]
    ranges = (LOSS_RANGE, GRAD_RANGE)
    data = [_now_trace(k, shared_styles, per_count_styles, n_counts, ranges[k]) for k in (0, 1)]
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
    domains = [panels["xaxis"]["domain"], panels["xaxis2"]["domain"]]
    pictures = [
        _count_picture(grid, [(loss.loss[count], loss.grad[count], style)
                              for loss, style in varying], domains, count)
        for count in range(n_counts)
    ] if varying else []  # fmt: skip
    # A click on a legend entry hides a shape's curve but not a picture's: no clicks
    legend = LEGEND_BELOW | {"itemclick": False, "itemdoubleclick": False}
    # 470 px: the panels keep their height above a readout of three lines
    layout = _panels_layout(title, 470, code, panels, legend=legend, shapes=shapes,
                            images=pictures)  # fmt: skip

    def at(group: list, field: str) -> list[list[float]]:
        """(F, curves) of the group's ``field`` (count by count for the varying ones),
        rounded to what a pixel shows."""
        if not group:
            return [[] for _ in frame_probs]
        rows = [getattr(loss, field)[: None if loss.per_count else 1] for loss, _ in group]
        columns = np.concatenate(rows)  # (curves, F), or (curves x K, F)
        return np.round(columns.T, 4).tolist()

    shared_loss, shared_grad = at(shared, "loss_at"), at(shared, "grad_at")
    count_loss, count_grad = at(varying, "loss_at"), at(varying, "grad_at")
    frames = [
        Frame(label, [_now_xy(p, shared_loss[f] + count_loss[f], LOSS_RANGE),
                      _now_xy(p, shared_grad[f] + count_grad[f], GRAD_RANGE)], text)
        for f, (label, p, text) in enumerate(
            zip(frame_labels(frame_probs, 3), frame_probs.tolist(), readouts, strict=True))
    ]  # fmt: skip
    return with_slider({"data": data, "layout": layout}, frames, traces=[0, 1],
                       active=active)  # fmt: skip


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
