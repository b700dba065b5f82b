"""Figures of the softmax page: one row through exp and softmax, confidence, temperature,
and independent sigmoids beside softmax."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from figures.style import NEUTRAL, base_layout, class_color, current_point, reference_line
from i18n import t


def _class_bars(values: np.ndarray, class_names: Sequence[str], label: str, axis: str) -> dict:
    return {
        "type": "bar",
        "x": list(class_names),
        "y": np.asarray(values, dtype=float),
        "xaxis": f"x{axis}",
        "yaxis": f"y{axis}",
        "marker": {"color": [class_color(c) for c in range(len(class_names))]},
        "text": [f"{v:.4g}" for v in values],
        "textposition": "outside",
        "cliponaxis": False,
        "hovertemplate": f"{t('figure.class')} %{{x}}<br>{label} = %{{y:.6g}}<extra></extra>",
        "name": label,
    }


def make_row_stages(
    acts: np.ndarray,
    exp: np.ndarray,
    probs: np.ndarray,
    class_names: Sequence[str],
    *,
    title: str,
    labels: tuple[str, str, str],
    code: str | None = None,
) -> go.Figure:
    """One row of activations (C,), its exponentials and its softmax, side by side."""
    data = [
        _class_bars(values, class_names, label, axis)
        for values, label, axis in zip((acts, exp, probs), labels, ("", "2", "3"), strict=True)
    ]
    layout = base_layout(title, t("figure.class"), labels[0], 380, code=code, showlegend=False)
    x_style = {k: v for k, v in layout["xaxis"].items() if k != "title"}
    y_style = {k: v for k, v in layout["yaxis"].items() if k != "title"}
    for index, (axis, label) in enumerate(zip(("", "2", "3"), labels, strict=True)):
        domain = [index * 0.36, index * 0.36 + 0.28]
        layout[f"xaxis{axis}"] = x_style | {"domain": domain, "anchor": f"y{axis}",
                                            "title": {"text": t("figure.class")}}  # fmt: skip
        layout[f"yaxis{axis}"] = y_style | {"anchor": f"x{axis}", "title": {"text": label},
                                            "rangemode": "tozero"}  # fmt: skip
    layout["yaxis3"]["range"] = [0, 1.1]
    return go.Figure({"data": data, "layout": layout})


def make_confidence_curve(
    gaps: np.ndarray,
    top_probs: np.ndarray,
    ratios: np.ndarray,
    gap: float,
    top_prob: float,
    *,
    title: str,
    gap_label: str,
    prob_label: str,
    ratio_label: str,
) -> go.Figure:
    """p(top) and p(top) / p(other) = e^gap as one activation pulls ahead by ``gap``."""
    hover_p = gap_label + " = %{x:.3g}<br>" + prob_label + " = %{y:.6g}<extra></extra>"
    hover_r = gap_label + " = %{x:.3g}<br>" + ratio_label + " = %{y:.6g}<extra></extra>"
    data = [
        {"type": "scatter", "x": gaps, "y": top_probs, "mode": "lines", "name": prob_label,
         "line": {"color": class_color(0), "width": 3},
         "hovertemplate": hover_p},
        {"type": "scatter", "x": gaps, "y": ratios, "mode": "lines", "name": ratio_label,
         "yaxis": "y2", "line": {"color": class_color(1), "width": 2, "dash": "dot"},
         "hovertemplate": hover_r},
        current_point(gap, top_prob, name=t("figure.now"), hovertemplate=hover_p),
    ]  # fmt: skip
    layout = base_layout(
        title, gap_label, prob_label, 380,
        yaxis={"range": [0, 1.05]},
        legend={"orientation": "h", "yref": "container", "y": 0.0, "yanchor": "bottom"},
    )  # fmt: skip
    layout["yaxis2"] = {
        "title": {"text": ratio_label}, "overlaying": "y", "side": "right", "type": "log",
        "showgrid": False, "dtick": 1, "exponentformat": "power",
    }  # fmt: skip
    layout["margin"] = layout["margin"] | {"r": 70}
    return go.Figure({"data": data, "layout": layout})


def make_temperature_curve(
    temperatures: np.ndarray,
    entropies: np.ndarray,
    max_entropy: float,
    temperature: float,
    current_entropy: float,
    *,
    title: str,
    temperature_label: str,
    entropy_label: str,
    max_label: str,
) -> go.Figure:
    """Entropy of softmax(acts / T) against T (log axis), with ln C, the uniform's entropy."""
    hover = "T = %{x:.3g}<br>" + entropy_label + " = %{y:.6g}<extra></extra>"
    data = [
        {"type": "scatter", "x": temperatures, "y": entropies, "mode": "lines",
         "line": {"color": class_color(2), "width": 3}, "name": entropy_label,
         "hovertemplate": hover},
        current_point(temperature, current_entropy, name=t("figure.now"), hovertemplate=hover),
    ]  # fmt: skip
    line, note = reference_line(max_entropy, f"{max_label} = {max_entropy:.4f}", side="left")
    layout = base_layout(
        title, temperature_label, entropy_label, 340, xaxis={"type": "log"},
        yaxis={"range": [0, max_entropy * 1.15]}, shapes=[line], annotations=[note],
        showlegend=False,
    )  # fmt: skip
    return go.Figure({"data": data, "layout": layout})


def make_sigmoid_vs_softmax(
    sigmoids: np.ndarray,
    probs: np.ndarray,
    class_names: Sequence[str],
    *,
    title: str,
    sigmoid_label: str,
    softmax_label: str,
    threshold_label: str,
) -> go.Figure:
    """Per class: an independent sigmoid (may all be low) beside softmax (always sums to 1)."""
    data = [
        {"type": "bar", "x": list(class_names), "y": sigmoids, "name": sigmoid_label,
         "marker": {"color": NEUTRAL, "pattern": {"shape": "/"}},
         "hovertemplate": f"{t('figure.class')} %{{x}}<br>{sigmoid_label} = %{{y:.6g}}"
         "<extra></extra>"},
        {"type": "bar", "x": list(class_names), "y": probs, "name": softmax_label,
         "marker": {"color": [class_color(c) for c in range(len(class_names))]},
         "hovertemplate": f"{t('figure.class')} %{{x}}<br>{softmax_label} = %{{y:.6g}}"
         "<extra></extra>"},
    ]  # fmt: skip
    line, note = reference_line(0.5, threshold_label)
    layout = base_layout(
        title, t("figure.class"), t("figure.probability"), 360, yaxis={"range": [0, 1.05]},
        barmode="group", shapes=[line], annotations=[note],
        legend={"orientation": "h", "yref": "container", "y": 0.0, "yanchor": "bottom"},
    )  # fmt: skip
    return go.Figure({"data": data, "layout": layout})
