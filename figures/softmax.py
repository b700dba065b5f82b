"""Figures of the softmax page: one row through exp and softmax, confidence, temperature,
and independent sigmoids beside softmax."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from figures.bar_picture import Bars, Picture, bar_panel
from figures.explore import Frame, frame_labels, with_slider
from figures.style import (
    NEUTRAL,
    base_layout,
    class_color,
    current_point,
    panel_axes,
    reference_line,
    side_by_side,
)
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
    labels: tuple[str, str, str],
) -> tuple[Picture, Picture, Picture]:
    """One row of activations (C,), its exponentials and its softmax, as three bar pictures:
    the activation sliders draw them again on every move (figures/bar_picture.py)."""
    colors = [class_color(c) for c in range(len(class_names))]
    return tuple(
        bar_panel(Bars(values, class_names, colors), y_title=label, x_title=t("figure.class"),
                  y_range=y_range)
        for values, label, y_range in zip((acts, exp, probs), labels, (None, None, (0.0, 1.1)),
                                          strict=True)
    )  # fmt: skip


def make_confidence_curve(
    gaps: np.ndarray,
    top_probs: np.ndarray,
    ratios: np.ndarray,
    frame_gaps: np.ndarray,
    frame_top_probs: np.ndarray,
    frame_ratios: np.ndarray,
    active: int,
    *,
    title: str,
    gap_label: str,
    prob_label: str,
    ratio_label: str,
    readout: str,
) -> go.Figure:
    """p(top) and p(top) / p(other) = e^gap as one activation pulls ahead by ``gap``.

    ``gaps`` (K,) draw the curves; ``frame_gaps`` (G,) are the slider's positions, with
    their p(top) and ratio (G,); ``active`` the starting one. ``readout`` is a catalog
    text with ``{gap}``, ``{p}`` and ``{ratio}``.
    """
    hover_p = gap_label + " = %{x:.3g}<br>" + prob_label + " = %{y:.6g}<extra></extra>"
    hover_r = gap_label + " = %{x:.3g}<br>" + ratio_label + " = %{y:.6g}<extra></extra>"
    data = [
        {"type": "scatter", "x": gaps, "y": top_probs, "mode": "lines", "name": prob_label,
         "line": {"color": class_color(0), "width": 3},
         "hovertemplate": hover_p},
        {"type": "scatter", "x": gaps, "y": ratios, "mode": "lines", "name": ratio_label,
         "yaxis": "y2", "line": {"color": class_color(1), "width": 2, "dash": "dot"},
         "hovertemplate": hover_r},
        current_point(0.0, 0.0, name=t("figure.now"), hovertemplate=hover_p),
        current_point(0.0, 1.0, name=t("figure.now"), hovertemplate=hover_r) | {"yaxis": "y2",
                                                                             "showlegend": False},
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
    labels = frame_labels(frame_gaps, 1)
    frames = [
        Frame(label, [{"x": [gap], "y": [round(p, 4)]}, {"x": [gap], "y": [float(f"{r:.4g}")]}],
              readout.format(gap=gap, p=p, ratio=r))
        for label, gap, p, r in zip(labels, frame_gaps.tolist(), frame_top_probs.tolist(),
                                    frame_ratios.tolist(), strict=True)
    ]  # fmt: skip
    return with_slider({"data": data, "layout": layout}, frames, traces=[2, 3], active=active)


def make_temperature_exploration(
    probs: np.ndarray,
    entropies: np.ndarray,
    temperatures: np.ndarray,
    class_names: Sequence[str],
    max_entropy: float,
    active: int,
    *,
    title: str,
    probs_title: str,
    entropy_title: str,
    entropy_label: str,
    max_label: str,
    readout: str,
) -> go.Figure:
    """softmax(acts / T) per class (bars) beside the entropy against T (log axis), one frame
    per temperature: ``probs`` (T, C), ``entropies`` (T,), ``temperatures`` (T,).

    ``readout`` is a catalog text with ``{temperature}``, ``{entropy}`` and ``{max}``.
    """
    hover = "T = %{x:.3g}<br>" + entropy_label + " = %{y:.6g}<extra></extra>"
    panels = side_by_side([probs_title, entropy_title], [t("figure.class"), "T"],
                          [t("figure.probability"), entropy_label], gap=0.12)  # fmt: skip
    bars = _class_bars(probs[active], class_names, "softmax(acts / T)", "")
    bars |= {"texttemplate": "%{y:.3f}", "text": None}
    data = [
        bars,
        {"type": "scatter", "x": temperatures, "y": entropies, "mode": "lines",
         "line": {"color": class_color(2), "width": 3}, "name": entropy_label,
         "hovertemplate": hover, **panel_axes(1)},
        current_point(0.0, 0.0, name=t("figure.now"), hovertemplate=hover) | panel_axes(1),
    ]  # fmt: skip
    line, note = reference_line(max_entropy, f"{max_label} = {max_entropy:.4f}", yref="y2",
                                side="left")  # fmt: skip
    line |= {"xref": "x2 domain"}
    note |= {"xref": "x2 domain"}
    layout = base_layout(title, "", "", 380, showlegend=False, shapes=[line],
                         margin={"l": 70, "r": 20, "t": 90, "b": 70})  # fmt: skip
    layout |= {k: v for k, v in panels.items() if k != "annotations"}
    layout["annotations"] = [*panels["annotations"], note]
    layout["yaxis"] |= {"range": [0, 1.12]}
    layout["xaxis2"] |= {"type": "log"}
    layout["yaxis2"] |= {"range": [0, max_entropy * 1.15]}
    labels = frame_labels(temperatures, 3)
    frames = [
        Frame(label, [{"y": np.round(row, 4)}, {"x": [temp], "y": [round(h, 4)]}],
              readout.format(temperature=temp, entropy=h, max=max_entropy))
        for label, row, temp, h in zip(labels, probs, temperatures.tolist(),
                                       entropies.tolist(), strict=True)
    ]  # fmt: skip
    return with_slider({"data": data, "layout": layout}, frames, traces=[0, 2], active=active)


def make_sigmoid_vs_softmax(
    sigmoids: np.ndarray,
    probs: np.ndarray,
    offsets: np.ndarray,
    class_names: Sequence[str],
    active: int,
    *,
    title: str,
    sigmoid_label: str,
    softmax_label: str,
    threshold_label: str,
    readouts: Sequence[str],
) -> go.Figure:
    """Per class: an independent sigmoid (may all be low) beside softmax (always sums to 1),
    one frame per offset added to every activation: ``sigmoids`` and ``probs`` (O, C),
    ``offsets`` (O,), ``readouts`` (O,) the numbers printed at each."""
    data = [
        {"type": "bar", "x": list(class_names), "y": sigmoids[active], "name": sigmoid_label,
         "marker": {"color": NEUTRAL, "pattern": {"shape": "/"}},
         "hovertemplate": f"{t('figure.class')} %{{x}}<br>{sigmoid_label} = %{{y:.6g}}"
         "<extra></extra>"},
        {"type": "bar", "x": list(class_names), "y": probs[active], "name": softmax_label,
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
    labels = frame_labels(offsets, 1)
    # Only the sigmoids move: softmax is the same at every offset (the page says so and
    # shows the largest change), so its bars are drawn once from the starting offset.
    frames = [
        Frame(label, [{"y": np.round(sig, 4)}], text)
        for label, sig, text in zip(labels, sigmoids, readouts, strict=True)
    ]
    return with_slider({"data": data, "layout": layout}, frames, traces=[0], active=active)
