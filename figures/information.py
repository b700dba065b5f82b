"""Figures of the Entropy & KL page: surprisal in three bases, H(p) + KL = H(p, q) as stacked
bars, Colah's coding picture, and two curves that meet the other pages (label smoothing's
floor, entropy against temperature).

Every number comes in from ce_core (``ce_core.information``); the builders only draw it.
An infinite value (a class the truth has and the model rules out) is drawn as a bar to the
top of the axis marked ∞, never as a missing bar that would read as 0.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from figures.explore import Frame, frame_labels, with_slider
from figures.style import (
    NEUTRAL,
    SELECTED,
    TARGET_OUTLINE,
    base_layout,
    class_color,
    current_point,
    reference_line,
)

BASE_COLORS = {"nats": class_color(0), "bits": class_color(1), "log10": class_color(2)}
INFINITE = "∞"
EPS_HOVER = "eps = %{x:.3f}<br>%{y:.4f}<extra></extra>"


def _mark_position(index: int, p: float) -> str:
    """Where a mark's text goes: left of the points near p = 1, alternately above and below
    (0.98 and 0.99 sit close together); under the lowest curve elsewhere, centred in the
    middle of the axis (a text to the right of p = 0.5 runs past a phone-wide chart)."""
    if p > 0.9:
        return ("top left", "bottom left")[index % 2]
    return "bottom right" if p < 0.3 else "bottom center"


def make_surprisal_curve(
    grid: np.ndarray,
    curves: dict[str, np.ndarray],
    frame_probs: np.ndarray,
    frame_values: dict[str, np.ndarray],
    active: int,
    *,
    unit: str,
    names: dict[str, str],
    marks: Sequence[tuple[str, float, float]],
    title: str,
    p_label: str,
    y_label: str,
    readout: str,
    code: str,
) -> go.Figure:
    """-log p over (0, 1) in nats, bits and base 10 (the spreadsheet's LOG) on a log axis,
    where the three are parallel (each a fixed multiple of the others) and 0.99 and 0.999
    are a decade apart; the chosen ``unit``'s curve drawn solid. Labelled points, and a
    point per curve that follows the figure's own slider over p.

    ``grid`` (K,) and ``curves[base]`` (K,) draw the curves (bases "nats", "bits",
    "log10"); ``frame_probs`` (F,) are the slider's positions (below 1: a log axis has no
    0) with ``frame_values[base]`` (F,); ``active`` the starting one. ``marks``: (text, p,
    -log p) points (0.99 and 0.999 on the chosen curve, the spreadsheet's rows on the base-10
    one). ``readout``: a catalog text with ``{p}``, ``{nats}``, ``{bits}`` and ``{log10}``.
    """
    bases = ("nats", "bits", "log10")
    data = [
        {"type": "scatter", "x": grid, "y": curves[base], "mode": "lines", "name": names[base],
         "line": {"color": BASE_COLORS[base], "width": 3.5 if base == unit else 1.5,
                  "dash": "solid" if base == unit else "dot"},
         "hovertemplate": f"p = %{{x:.6g}}<br>{names[base]} = %{{y:.6g}}<extra></extra>"}
        for base in bases
    ]  # fmt: skip
    # frames move trace 3: one point on each curve at the slider's p
    data.append(
        current_point(0.0, 0.0, name="p", hovertemplate="p = %{x:.6g}<br>%{y:.6g}<extra></extra>")
        | {"x": [0.5] * 3, "y": [1.0] * 3}
    )
    if marks:
        texts, probs, values = zip(*marks, strict=True)
        data.append(
            {"type": "scatter", "x": list(probs), "y": list(values), "mode": "markers+text",
             "text": list(texts), "name": names["marks"],
             "textposition": [_mark_position(k, p) for k, p in enumerate(probs)],
             "marker": {"size": 9, "symbol": "x", "color": TARGET_OUTLINE},
             "hovertemplate": "%{text}<br>p = %{x:.6g}<br>%{y:.6g}<extra></extra>"}
        )  # fmt: skip
    low = float(min(v[-1] for v in frame_values.values()))  # the smallest: base 10 at 0.999
    layout = base_layout(
        title, p_label, y_label, 460, code=code, xaxis={"range": [0, 1.0]},
        yaxis={"type": "log", "range": [math.log10(low) - 0.3, math.log10(12.0)]},
        legend={"orientation": "h", "yref": "container", "y": 0.0, "yanchor": "bottom"},
    )  # fmt: skip
    labels = frame_labels(frame_probs, 3)
    frames = [
        Frame(label, [{"x": [p] * 3, "y": [round(float(frame_values[b][f]), 4) for b in bases]}],
              readout.format(p=p, **{b: float(frame_values[b][f]) for b in bases}))
        for f, (label, p) in enumerate(zip(labels, frame_probs.tolist(), strict=True))
    ]  # fmt: skip
    return with_slider({"data": data, "layout": layout}, frames, traces=[3], active=active)


@dataclass(frozen=True)
class PairBars:
    """The numbers of ``make_entropy_bars``, in one unit: for "p coded with q" and "q coded
    with p", the entropy and the KL (inf allowed), and the bars' names."""

    entropies: tuple[float, float]  # H(p), H(q)
    kls: tuple[float, float]  # KL(p || q), KL(q || p)
    x_labels: tuple[str, str]  # "H(p, q)", "H(q, p)" with what they are
    entropy_names: tuple[str, str]  # "H(p)", "H(q)"
    kl_names: tuple[str, str]  # "KL(p‖q)", "KL(q‖p)"


def make_entropy_bars(bars: PairBars, *, title: str, y_label: str, code: str) -> go.Figure:
    """Two stacked bars: H(p) + KL(p || q) = H(p, q) and H(q) + KL(q || p) = H(q, p), each
    part labelled with its value. Unequal heights are KL's asymmetry. An infinite KL is a
    bar to the top of the axis, labelled ∞."""
    finite = [v for v in (*bars.entropies, *(e + k for e, k in zip(bars.entropies, bars.kls,
                                                                     strict=True)))
              if math.isfinite(v)]  # fmt: skip
    top = max([*finite, 0.1]) * 1.25
    data = []
    for k in range(2):
        kl = bars.kls[k]
        shown_kl = kl if math.isfinite(kl) else top - bars.entropies[k]
        for value, shown, name, color in (
            (bars.entropies[k], bars.entropies[k], bars.entropy_names[k], NEUTRAL),
            (kl, shown_kl, bars.kl_names[k], SELECTED),
        ):
            text = f"{name} = {value:.4f}" if math.isfinite(value) else f"{name} = {INFINITE}"
            data.append(
                {"type": "bar", "x": [bars.x_labels[k]], "y": [shown], "name": name,
                 "marker": {"color": color, "line": {"color": TARGET_OUTLINE, "width": 1}},
                 "text": [text], "textposition": "inside", "insidetextanchor": "middle",
                 "showlegend": False,
                 "hovertemplate": f"{text}<extra></extra>"}
            )  # fmt: skip
    totals = [e + k for e, k in zip(bars.entropies, bars.kls, strict=True)]
    notes = [
        {"x": bars.x_labels[k], "y": min(total, top), "yanchor": "bottom", "showarrow": False,
         "text": f"<b>{total:.4f}</b>" if math.isfinite(total) else f"<b>{INFINITE}</b>"}
        for k, total in enumerate(totals)
    ]  # fmt: skip
    layout = base_layout(
        title, "", y_label, 400, code=code, barmode="stack", yaxis={"range": [0, top * 1.08]},
        annotations=notes, bargap=0.45,
    )  # fmt: skip
    return go.Figure({"data": data, "layout": layout})


def coding_table(
    class_names: Sequence[str],
    p: np.ndarray,
    length_q: np.ndarray,
    length_p: np.ndarray,
    *,
    class_label: str,
    q_name: str,
    p_name: str,
) -> pd.DataFrame:
    """The coding picture's numbers, class by class: p_c, -log q_c (inf where q_c = 0: the
    picture draws it to the top) and -log p_c. (C,) each."""
    return pd.DataFrame(
        {class_label: list(class_names), "p": np.asarray(p, dtype=float),
         q_name: np.asarray(length_q, dtype=float), p_name: np.asarray(length_p, dtype=float)}
    )  # fmt: skip


def make_coding_picture(
    p: np.ndarray,
    length_q: np.ndarray,
    length_p: np.ndarray,
    class_names: Sequence[str],
    *,
    title: str,
    x_label: str,
    y_label: str,
    q_name: str,
    p_name: str,
    code: str,
) -> go.Figure:
    """Colah's picture of a code: each class a rectangle as wide as its share of the events
    (p_c) and as tall as its code length under q (-log q_c), so the coloured area is H(p, q);
    a dashed outline at the best lengths (-log p_c), whose area is H(p). Classes with p_c = 0
    take no width. (C,) each; an infinite length is drawn to the top, labelled ∞."""
    shown = p > 0
    finite = np.concatenate([length_q[shown & np.isfinite(length_q)], length_p[shown]])
    top = max(float(finite.max()) if finite.size else 1.0, 0.5) * 1.25
    left = np.concatenate([[0.0], np.cumsum(p)[:-1]])
    centre = left + p / 2
    heights = np.where(np.isfinite(length_q), length_q, top)
    data = [
        {"type": "bar", "x": centre[shown], "y": heights[shown], "width": p[shown],
         "name": q_name, "customdata": np.asarray(class_names, dtype=object)[shown],
         "marker": {"color": [class_color(c) for c in np.flatnonzero(shown)], "opacity": 0.75,
                    "line": {"color": "white", "width": 1}},
         "text": [INFINITE if not np.isfinite(v) else f"{v:.3g}" for v in length_q[shown]],
         "textposition": "inside",
         "hovertemplate": "%{customdata}: p = %{width:.4f}<br>" + q_name
         + " = %{text}<extra></extra>"},
        {"type": "bar", "x": centre[shown], "y": length_p[shown], "width": p[shown],
         "name": p_name, "customdata": np.asarray(class_names, dtype=object)[shown],
         "marker": {"color": "rgba(0,0,0,0)",
                    "line": {"color": TARGET_OUTLINE, "width": 2}},
         "hovertemplate": "%{customdata}: p = %{width:.4f}<br>" + p_name
         + " = %{y:.4g}<extra></extra>"},
    ]  # fmt: skip
    layout = base_layout(
        title, x_label, y_label, 420, code=code, barmode="overlay",
        xaxis={"range": [0, 1], "tickformat": ".2f"}, yaxis={"range": [0, top]},
        legend={"orientation": "h", "yref": "container", "y": 0.0, "yanchor": "bottom"},
    )  # fmt: skip
    return go.Figure({"data": data, "layout": layout})


def make_smoothing_floor(
    eps: np.ndarray,
    floors: np.ndarray,
    class_counts: Sequence[int],
    active: int,
    *,
    title: str,
    eps_label: str,
    y_label: str,
    readouts: Sequence[str],
    code: str,
) -> go.Figure:
    """The lowest loss a label-smoothed target allows (its entropy) against eps, one curve
    per class count, and a point per curve on the figure's own slider over the same eps.

    ``eps`` (F,) with ``floors`` (len(class_counts), F); ``readouts`` (F,): each position's
    numbers, printed above the slider; ``active`` the starting position."""
    data = [
        {"type": "scatter", "x": eps, "y": floors[k], "mode": "lines", "name": f"C = {count}",
         "line": {"color": class_color(k), "width": 3},
         "hovertemplate": f"C = {count}<br>{EPS_HOVER}"}
        for k, count in enumerate(class_counts)
    ]  # fmt: skip
    point = len(data)
    data.append(
        current_point(0.0, 0.0, name="eps", hovertemplate=EPS_HOVER)
        | {"x": [0.0] * len(class_counts), "y": [0.0] * len(class_counts)}
    )
    top = float(np.nanmax(floors)) * 1.1
    layout = base_layout(
        title, eps_label, y_label, 420, code=code, xaxis={"range": [0, 1]},
        yaxis={"range": [0, top]},
        legend={"orientation": "h", "yref": "container", "y": 0.0, "yanchor": "bottom"},
    )  # fmt: skip
    frames = [
        Frame(label, [{"x": [value] * len(class_counts),
                       "y": [round(float(v), 4) for v in floors[:, f]]}], readouts[f])
        for f, (label, value) in enumerate(zip(frame_labels(eps, 2), eps.tolist(), strict=True))
    ]  # fmt: skip
    return with_slider({"data": data, "layout": layout}, frames, traces=[point], active=active)


def make_entropy_by_temperature(
    temperatures: np.ndarray,
    entropies: np.ndarray,
    ceiling: float,
    at_one: float,
    *,
    title: str,
    t_label: str,
    y_label: str,
    ceiling_text: str,
    at_one_name: str,
    code: str,
) -> go.Figure:
    """The entropy of softmax(acts / T) against T (log axis): from 0 (T -> 0, all on the
    largest activation) up to log C (T -> inf, uniform), the ceiling drawn dashed, T = 1
    marked. (K,) each."""
    line, note = reference_line(ceiling, ceiling_text)
    data = [
        {"type": "scatter", "x": temperatures, "y": entropies, "mode": "lines",
         "name": y_label, "line": {"color": class_color(0), "width": 3},
         "hovertemplate": "T = %{x:.3g}<br>%{y:.4f}<extra></extra>"},
        current_point(1.0, at_one, name=at_one_name,
                      hovertemplate="T = 1<br>%{y:.4f}<extra></extra>"),
    ]  # fmt: skip
    layout = base_layout(
        title, t_label, y_label, 380, code=code, xaxis={"type": "log"},
        yaxis={"range": [0, ceiling * 1.15]}, shapes=[line], annotations=[note], showlegend=False,
    )  # fmt: skip
    return go.Figure({"data": data, "layout": layout})
