"""Per-sample bar charts: the row sums, the target's probability, the loss."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from figures.style import (
    NEUTRAL,
    SELECTED,
    STALE_OPACITY,
    TARGET_OUTLINE,
    base_layout,
    class_color,
    reference_line,
    stale_title,
)
from i18n import t

LABELLED_BARS = 16  # up to this many samples, each bar carries its number


def _bar_trace(
    values: np.ndarray,
    *,
    value_label: str,
    selected: int | None,
    stale: bool,
    colors: Sequence[str] | str = NEUTRAL,
    outline: str | None = None,
    text: Sequence[str] | None = None,
    customdata: np.ndarray | None = None,
    hovertemplate: str | None = None,
) -> dict:
    """One bar per sample (idx); the selected sample framed in the highlight colour."""
    n_rows = len(values)
    base_line = outline or (colors if isinstance(colors, str) else NEUTRAL)
    return {
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
        "name": value_label,
    }


def _bars(
    trace: dict,
    *,
    title: str,
    value_label: str,
    code: str | None,
    stale: bool,
    stale_note: str,
    yaxis: dict | None = None,
    **layout: object,
) -> go.Figure:
    """A figure of one per-sample bar trace."""
    n_rows = len(trace["x"])
    figure_layout = base_layout(
        stale_title(title, stale, stale_note),
        t("figure.sample_axis"),
        value_label,
        320 if n_rows <= LABELLED_BARS else 380,
        code=code,
        xaxis={"dtick": 1} if n_rows <= LABELLED_BARS else {},
        yaxis=yaxis or {"rangemode": "tozero"},
        showlegend=False,
        **layout,
    )
    return go.Figure({"data": [trace], "layout": figure_layout})


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
    stale_note: str = "",
) -> go.Figure:
    """(N,) sum of exp(acts - m) per row: what softmax divides each row by."""
    exp_sum = np.asarray(exp_sum, dtype=float)
    trace = _bar_trace(
        exp_sum, value_label=value_label, selected=selected, stale=stale, text=_labels(exp_sum)
    )
    trace["textposition"] = "outside"
    return _bars(
        trace, title=title, value_label=value_label, code=code, stale=stale,
        stale_note=stale_note,
    )  # fmt: skip


def _target_trace(
    target_prob: np.ndarray,
    targets: Sequence[int] | np.ndarray,
    class_names: Sequence[str],
    *,
    value_label: str,
    ignored_label: str,
    selected: int | None,
    stale: bool,
) -> dict:
    target_prob = np.asarray(target_prob, dtype=float)
    targets = [int(t) for t in targets]
    valid = [0 <= t < len(class_names) for t in targets]
    names = [class_names[t] if ok else ignored_label for t, ok in zip(targets, valid, strict=True)]
    trace = _bar_trace(
        np.nan_to_num(target_prob, nan=0.0),
        value_label=value_label,
        selected=selected,
        stale=stale,
        colors=[class_color(t) if ok else NEUTRAL for t, ok in zip(targets, valid, strict=True)],
        outline=TARGET_OUTLINE,
        text=names if len(targets) <= LABELLED_BARS else None,
        customdata=np.array([names, [f"{p:.6g}" for p in target_prob]], dtype=object).T,
        hovertemplate=(
            "idx %{x}, targ = %{customdata[0]}<br>" + value_label
            + " = %{customdata[1]}<extra></extra>"
        ),
    )  # fmt: skip
    trace.update(textposition="inside", insidetextanchor="end")
    return trace


def _mean_line(reduced: float | None, label: str, yref: str = "y") -> tuple[list, list]:
    """The mean as a dashed line with its value, or nothing for a sum / "none" / nan."""
    if reduced is None or not np.isfinite(reduced):
        return [], []
    line, note = reference_line(reduced, f"{label} = {reduced:.4f}", yref=yref)
    return [line], [note]


def make_target_and_loss(
    target_prob: np.ndarray,
    targets: Sequence[int] | np.ndarray,
    class_names: Sequence[str],
    losses: np.ndarray,
    reduced: float | None,
    *,
    title: str,
    target_label: str,
    loss_label: str,
    reduced_label: str,
    code: str | None = None,
    ignored_label: str = "",
    selected: int | None = None,
    stale: bool = False,
    stale_note: str = "",
) -> go.Figure:
    """Stages 5-7 in one figure, sample by sample: p(targ) on top, -log p(targ) below.

    The two panels share the sample axis, so a small probability and its large loss stand
    one above the other. One figure rather than two: each Plotly figure costs a redraw
    when the selected sample moves.
    """
    n_rows = len(losses)
    top = _target_trace(
        target_prob, targets, class_names, value_label=target_label,
        ignored_label=ignored_label or t("figure.ignored"), selected=selected, stale=stale,
    )  # fmt: skip
    bottom = _bar_trace(
        np.asarray(losses, dtype=float), value_label=loss_label, selected=selected, stale=stale,
        text=_labels(np.asarray(losses, dtype=float)),
    )  # fmt: skip
    bottom.update(textposition="outside", xaxis="x2", yaxis="y2")
    shapes, annotations = _mean_line(reduced, reduced_label, yref="y2")
    dtick = 1 if n_rows <= LABELLED_BARS else None
    layout = base_layout(
        stale_title(title, stale, stale_note),
        t("figure.sample_axis"),
        target_label,
        560 if n_rows <= LABELLED_BARS else 620,
        code=code,
        xaxis={"anchor": "y", "showticklabels": False, "dtick": dtick},
        yaxis={"domain": [0.56, 1.0], "range": [0, 1.05]},
        showlegend=False,
        shapes=shapes,
        annotations=annotations,
    )
    # The loss panel: the same axis style, its own domain and titles.
    shared_x = {k: v for k, v in layout["xaxis"].items() if k != "showticklabels"}
    shared_y = {k: v for k, v in layout["yaxis"].items() if k not in ("domain", "range")}
    layout["xaxis"]["title"] = {"text": ""}
    layout["xaxis2"] = shared_x | {"anchor": "y2", "matches": "x"}
    layout["yaxis2"] = shared_y | {
        "domain": [0.0, 0.44],
        "rangemode": "tozero",
        "title": {"text": loss_label},
    }
    return go.Figure({"data": [top, bottom], "layout": layout})
