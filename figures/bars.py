"""Per-sample bar charts: the row sums, the target's probability, the loss."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from figures.style import (
    NEUTRAL,
    REFERENCE_LINE,
    SELECTED,
    STALE_OPACITY,
    TARGET_OUTLINE,
    base_layout,
    class_color,
    stale_title,
)

LABELLED_BARS = 16  # up to this many samples, each bar carries its number


def _bars(
    values: np.ndarray,
    *,
    title: str,
    value_label: str,
    code: str | None,
    selected: int | None,
    stale: bool,
    stale_note: str,
    colors: Sequence[str] | str = NEUTRAL,
    outline: str | None = None,
    text: Sequence[str] | None = None,
    customdata: np.ndarray | None = None,
    hovertemplate: str | None = None,
    yaxis: dict | None = None,
    **layout: object,
) -> go.Figure:
    """One bar per sample (idx); the selected sample framed in the highlight colour."""
    n_rows = len(values)
    base_line = outline or (colors if isinstance(colors, str) else NEUTRAL)
    bar = {
        "type": "bar",
        "x": list(range(n_rows)),
        "y": values,
        "marker": {
            "color": colors,
            "line": {
                "color": [SELECTED if r == selected else base_line for r in range(n_rows)],
                "width": [4 if r == selected else (1.5 if outline else 0) for r in range(n_rows)],
            },
        },
        "text": text,
        "customdata": customdata,
        "hovertemplate": hovertemplate
        or "idx %{x}<br>" + value_label + " = %{y:.6g}<extra></extra>",
        "opacity": STALE_OPACITY if stale else 1.0,
        "cliponaxis": False,
    }
    figure_layout = base_layout(
        stale_title(title, stale, stale_note),
        "sample (idx)",
        value_label,
        320 if n_rows <= LABELLED_BARS else 380,
        code=code,
        xaxis={"dtick": 1} if n_rows <= LABELLED_BARS else {},
        yaxis=yaxis or {"rangemode": "tozero"},
        showlegend=False,
        **layout,
    )
    return go.Figure({"data": [bar], "layout": figure_layout})


def _labels(values: np.ndarray) -> list[str] | None:
    return [f"{v:.4f}" for v in values] if len(values) <= LABELLED_BARS else None


def make_row_sums(
    exp_sum: np.ndarray,
    *,
    title: str,
    value_label: str,
    code: str | None = None,
    selected: int | None = None,
    stale: bool = False,
    stale_note: str = "last valid input",
) -> go.Figure:
    """(N,) sum of exp(acts - m) per row: what softmax divides each row by."""
    exp_sum = np.asarray(exp_sum, dtype=float)
    figure = _bars(
        exp_sum, title=title, value_label=value_label, code=code, selected=selected, stale=stale,
        stale_note=stale_note, text=_labels(exp_sum),
    )  # fmt: skip
    figure.data[0].textposition = "outside"
    return figure


def make_target_prob_bars(
    target_prob: np.ndarray,
    targets: Sequence[int] | np.ndarray,
    class_names: Sequence[str],
    *,
    title: str,
    value_label: str,
    code: str | None = None,
    ignored_label: str = "ignored",
    selected: int | None = None,
    stale: bool = False,
    stale_note: str = "last valid input",
) -> go.Figure:
    """(N,) softmax probability of each row's target, coloured by the target's class.

    Every bar is a target, so every bar is outlined; the class name is on the bar and in
    the hover, so colour is never the only cue. Ignored rows (nan) show no bar.
    """
    target_prob = np.asarray(target_prob, dtype=float)
    targets = [int(t) for t in targets]
    valid = [0 <= t < len(class_names) for t in targets]
    names = [class_names[t] if ok else ignored_label for t, ok in zip(targets, valid, strict=True)]
    figure = _bars(
        np.nan_to_num(target_prob, nan=0.0),
        title=title,
        value_label=value_label,
        code=code,
        selected=selected,
        stale=stale,
        stale_note=stale_note,
        colors=[class_color(t) if ok else NEUTRAL for t, ok in zip(targets, valid, strict=True)],
        outline=TARGET_OUTLINE,
        text=names if len(targets) <= LABELLED_BARS else None,
        customdata=np.array([names, [f"{p:.6g}" for p in target_prob]], dtype=object).T,
        hovertemplate=(
            "idx %{x}, targ = %{customdata[0]}<br>" + value_label
            + " = %{customdata[1]}<extra></extra>"
        ),
        yaxis={"range": [0, 1.05]},
    )  # fmt: skip
    figure.data[0].update(textposition="inside", insidetextanchor="end")
    return figure


def make_loss_bars(
    losses: np.ndarray,
    reduced: float | None,
    *,
    title: str,
    value_label: str,
    reduced_label: str,
    code: str | None = None,
    selected: int | None = None,
    stale: bool = False,
    stale_note: str = "last valid input",
) -> go.Figure:
    """(N,) per-sample loss -log(p) as bars, with the reduced loss as a dashed line.

    ``reduced`` is the mean to draw, or None (a sum or "none" is not on the per-sample
    scale; the page states it in words).
    """
    losses = np.asarray(losses, dtype=float)
    shapes, annotations = [], []
    if reduced is not None and np.isfinite(reduced):
        # a plain shape + annotation: add_hline does the same at several times the cost
        shapes.append(
            {
                "type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": reduced, "y1": reduced,
                "line": {"color": REFERENCE_LINE, "dash": "dash", "width": 2},
            }
        )  # fmt: skip
        annotations.append(
            {
                "xref": "paper", "x": 1, "y": reduced, "yanchor": "bottom", "xanchor": "right",
                "text": f"{reduced_label} = {reduced:.4f}", "showarrow": False,
                "font": {"color": REFERENCE_LINE}, "bgcolor": "rgba(255,255,255,0.8)",
            }
        )  # fmt: skip
    figure = _bars(
        losses, title=title, value_label=value_label, code=code, selected=selected, stale=stale,
        stale_note=stale_note, text=_labels(losses), shapes=shapes, annotations=annotations,
    )  # fmt: skip
    figure.data[0].textposition = "outside"
    return figure
