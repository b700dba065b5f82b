"""Figures of the Gradients page: per-row gradient bars, the losses compared, the steps."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

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


def make_loss_comparison(
    grid: np.ndarray,
    curves: Sequence[tuple[str, np.ndarray, np.ndarray]],
    probability: float,
    current: Sequence[tuple[float, float]],
    *,
    title: str,
    p_label: str,
    loss_label: str,
    grad_label: str,
    code: str | None = None,
) -> go.Figure:
    """Losses (left) and their gradients with respect to the target's logit (right).

    ``curves``: (name, loss (P,), grad (P,)) over the target probability ``grid`` (P,);
    ``current``: each curve's (loss, grad) at the slider's ``probability``, marked.
    """
    data = []
    for (name, loss, grad), style, now in zip(curves, LOSS_STYLES, current, strict=False):
        hover = name + "<br>p = %{x:.4g}<br>%{y:.6g}<extra></extra>"
        for k, values in enumerate((loss, grad)):
            data += [
                {"type": "scatter", "x": grid, "y": values, "mode": "lines", "name": name,
                 "line": style, "legendgroup": name, "showlegend": k == 0,
                 "hovertemplate": hover, **panel_axes(k)},
                {"type": "scatter", "x": [probability], "y": [now[k]], "mode": "markers",
                 "name": name, "legendgroup": name, "showlegend": False, "hovertemplate": hover,
                 "marker": {"color": style["color"], "size": 11, "symbol": "diamond",
                            "line": {"color": TARGET_OUTLINE, "width": 1}},
                 **panel_axes(k)},
            ]  # fmt: skip
    panels = side_by_side([loss_label, grad_label], [p_label] * 2, [loss_label, grad_label])
    panels["xaxis"] |= {"range": [0, 1]}
    panels["xaxis2"] |= {"range": [0, 1]}
    panels["yaxis"] |= {"range": [0, 5]}
    panels["yaxis2"] |= {"range": [-1.05, 0.05], "zeroline": True, "zerolinecolor": REFERENCE_LINE}
    now_lines = [
        {"type": "line", "xref": f"x{s}", "yref": f"y{s} domain", "x0": probability,
         "x1": probability, "y0": 0, "y1": 1, "line": {"color": SELECTED, "dash": "dot"}}
        for s in ("", "2")
    ]  # fmt: skip
    layout = _panels_layout(title, 430, code, panels, legend=LEGEND_BELOW, shapes=now_lines)
    return go.Figure({"data": data, "layout": layout})


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
