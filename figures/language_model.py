"""Figures of the Language models page: the bigram table, the training curves on the loss
axis with its reference levels, and a sentence coloured by each character's loss."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import plotly.colors
import plotly.graph_objects as go

from figures.explore import Frame, typed, with_slider
from figures.style import MONO_FAMILY, base_layout, reference_line

# Symbols a reader cannot see, as the page shows them: the line break (start and end of a
# sentence) and the space
VISIBLE = {"\n": "↵", " ": "␣"}
LOSS_SCALE = "OrRd"  # light: a character the model expected; dark red: a surprise
# Light (p near 0) to dark, as stops: a figure with frames is not validated, and plotly.js's
# own "Blues" runs the other way (plotly.py's validation is what turns the name around)
PROBABILITY_SCALE = [
    [k / (len(plotly.colors.sequential.Blues) - 1), color]
    for k, color in enumerate(plotly.colors.sequential.Blues)
]
CELLS_PER_ROW = 16  # a sentence's characters a row: still readable on a phone's 390 px
CURVE_STYLES = (
    {"color": "#0072B2", "width": 3},
    {"color": "#D55E00", "width": 2.5, "dash": "dash"},
    {"color": "#009E73", "width": 2, "dash": "dot"},
)  # fmt: skip


def visible(symbol: str) -> str:
    """A symbol as the page prints it: ↵ for the line break, ␣ for the space."""
    return VISIBLE.get(symbol, symbol)


def make_bigram_table(
    symbols: Sequence[str],
    counts: np.ndarray,
    probs: Sequence[np.ndarray],
    names: Sequence[str],
    readouts: Sequence[str],
    active: int,
    *,
    title: str,
    code: str,
    previous_label: str,
    next_label: str,
    hover: str,
) -> go.Figure:
    """p(next | previous) as a V x V heatmap (row: the previous symbol, column: the next),
    with the figure's own slider over what is added to every count.

    ``counts`` (V, V) the times each pair came; ``probs`` one (V, V) table per slider
    position, rows summing to 1; ``names`` and ``readouts`` each position's label and the
    numbers printed above the slider; ``hover`` a Plotly hovertemplate over x, y, z and
    customdata (the count).
    """
    labels = [visible(s) for s in symbols]
    data = [{
        "type": "heatmap", "z": typed(probs[active].astype(np.float32)), "x": labels,
        "y": labels, "customdata": typed(counts.astype(np.int32)), "colorscale": PROBABILITY_SCALE,
        "zmin": 0, "zmax": 1, "xgap": 1, "ygap": 1,
        "colorbar": {"title": {"text": "p"}, "thickness": 12},
        "hovertemplate": hover + "<extra></extra>",
    }]  # fmt: skip
    # 10 px symbols: the 32 columns' labels still fit side by side on a phone
    axis = {"type": "category", "tickfont": {"family": MONO_FAMILY, "size": 10}, "showgrid": False,
            "dtick": 1, "ticks": ""}  # fmt: skip
    layout = base_layout(
        title, next_label, previous_label, 640, code=code, xaxis=axis | {"side": "top"},
        yaxis=axis | {"autorange": "reversed"},
    )  # fmt: skip
    layout["margin"] |= {"t": 150, "l": 60, "b": 20}  # the x axis and its title are on top
    layout["xaxis"]["title"]["standoff"] = 4
    frames = [
        Frame(name, [{"z": typed(table.astype(np.float32))}], readout)
        for name, table, readout in zip(names, probs, readouts, strict=True)
    ]
    return with_slider({"data": data, "layout": layout}, frames, traces=[0], active=active)


@dataclass(frozen=True)
class Level:
    """A horizontal reference on the loss axis: its label and its value."""

    label: str
    value: float


def make_language_curves(
    curves: Sequence[tuple[str, np.ndarray]],
    levels: Sequence[Level],
    *,
    title: str,
    step_label: str,
    loss_label: str,
) -> go.Figure:
    """Loss curves (S+1,) after 0..S steps, with dashed levels on the same loss axis.

    ``curves``: (name, values) for at most three curves (the training text's loss, the
    held-out lines', the smoothed objective); ``levels``: ln V, the text's entropies, the
    floor of label smoothing.
    """
    data = [
        {"type": "scatter", "x": np.arange(len(values)), "y": values, "mode": "lines",
         "name": name, "line": style,
         "hovertemplate": f"{name}<br>{step_label} %{{x}}<br>%{{y:.4f}}<extra></extra>"}
        for (name, values), style in zip(curves, CURVE_STYLES, strict=False)
    ]  # fmt: skip
    shapes, notes = [], []
    for k, level in enumerate(levels):
        # labels alternate sides: two close levels do not print over each other
        line, note = reference_line(level.value, level.label, side="right" if k % 2 else "left")
        shapes.append(line)
        notes.append(note)
    top = max([level.value for level in levels]
              + [float(np.nanmax(values)) for _, values in curves])  # fmt: skip
    layout = base_layout(
        title, step_label, loss_label, 420, yaxis={"range": [0, top * 1.08]},
        legend={"orientation": "h", "yref": "container", "y": 0.0, "yanchor": "bottom"},
        shapes=shapes, annotations=notes,
    )  # fmt: skip
    layout["margin"]["b"] = 110
    return go.Figure({"data": data, "layout": layout})


def make_scored_sentence(
    characters: Sequence[str],
    losses: np.ndarray,
    details: Sequence[str],
    *,
    title: str,
    loss_label: str,
    top: float,
) -> go.Figure:
    """The sentence's characters in rows of CELLS_PER_ROW, each cell coloured by its loss.

    ``losses`` (T,) nats; ``details`` (T,) hover texts (p, the top 5); ``top`` the colour
    scale's maximum (at least the largest loss).
    """
    n = len(characters)
    rows = -(-n // CELLS_PER_ROW)
    width = min(n, CELLS_PER_ROW)
    z = np.full((rows, width), np.nan)
    text = np.full((rows, width), "", dtype=object)
    hover = np.full((rows, width), "", dtype=object)
    for i, (character, loss, detail) in enumerate(zip(characters, losses, details, strict=True)):
        r, c = divmod(i, CELLS_PER_ROW)
        z[r, c], text[r, c], hover[r, c] = loss, visible(character), detail
    data = [{
        "type": "heatmap", "z": z, "text": text, "hovertext": hover,
        "texttemplate": "%{text}", "textfont": {"family": MONO_FAMILY, "size": 16},
        "colorscale": LOSS_SCALE, "zmin": 0, "zmax": max(top, float(np.nanmax(losses))),
        "xgap": 2, "ygap": 2, "hovertemplate": "%{hovertext}<extra></extra>",
        "colorbar": {"title": {"text": loss_label, "side": "right"}, "thickness": 12},
    }]  # fmt: skip
    hidden = {"showticklabels": False, "showgrid": False, "showline": False, "ticks": "",
              "zeroline": False, "title": {"text": ""}}  # fmt: skip
    layout = base_layout(
        title, "", "", 90 + 40 * rows, xaxis=hidden | {"range": [-0.5, CELLS_PER_ROW - 0.5]},
        yaxis=hidden | {"autorange": "reversed"},
    )  # fmt: skip
    layout["margin"] |= {"l": 10, "b": 10}
    return go.Figure({"data": data, "layout": layout})
