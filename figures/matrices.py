"""Annotated heatmaps of an (N, C) stage: logits, exp, softmax, log_softmax, gradient."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from figures.style import (
    DIVERGING_SCALE,
    SEQUENTIAL_SCALE,
    STALE_OPACITY,
    TARGET_OUTLINE,
    base_layout,
    stale_title,
)
from i18n import t

HIDDEN = "rgba(0,0,0,0)"  # a frame drawn but not seen, until a style rule shows it

MAX_ANNOTATED_CELLS = 400  # beyond this the numbers are unreadable; hover still has them


def make_matrix_heatmap(
    values: np.ndarray,
    class_names: Sequence[str],
    targets: Sequence[int] | np.ndarray,
    *,
    title: str,
    value_label: str,
    code: str | None = None,
    diverging: bool = False,
    frame_rows: bool = False,
    stale: bool = False,
    stale_note: str = "",
    x_title: str = "",
    y_title: str = "",
) -> go.Figure:
    """An (N, C) matrix, one row per sample, each row's target cell outlined.

    ``targets`` (N,) are class indices; one outside 0..C-1 (an ignored row) outlines
    nothing. ``frame_rows``: every row gets a frame, drawn invisible; the page shows the
    selected sample's with a style rule (``ui/highlight.py``), so that moving the sample
    redraws no matrix. Row ``r``'s frame is shape ``r``. ``diverging`` centres the colours on
    0 (logits).
    """
    values = np.asarray(values, dtype=float)
    n_rows, n_classes = values.shape
    annotate = values.size <= MAX_ANNOTATED_CELLS
    heatmap = {
        "type": "heatmap",
        "z": values,
        "x": list(range(n_classes)),
        "y": list(range(n_rows)),
        "colorscale": DIVERGING_SCALE if diverging else SEQUENTIAL_SCALE,
        "zmid": 0.0 if diverging else None,
        "texttemplate": "%{z:.4f}" if annotate else None,
        "customdata": np.broadcast_to(np.asarray(class_names, dtype=object), values.shape),
        "hovertemplate": (
            f"idx %{{y}}, {t('figure.class')} %{{customdata}}<br>"
            + value_label
            + " = %{z:.6g}<extra></extra>"
        ),
        # A colour bar only when the cells carry no numbers: on an annotated matrix it would
        # repeat them, and it costs the browser a fifth of drawing the chart.
        "showscale": not annotate,
        "colorbar": {"title": {"text": value_label, "side": "right"}, "thickness": 14},
        "opacity": STALE_OPACITY if stale else 1.0,
        "xgap": 1,
        "ygap": 1,
    }
    # A legend entry that says what the outline means (the target is never colour alone).
    target_key = {
        "type": "scatter",
        "x": [None],
        "y": [None],
        "mode": "markers",
        "name": t("figure.target_legend"),
        "marker": {
            "symbol": "square-open",
            "size": 14,
            "color": TARGET_OUTLINE,
            "line": {"width": 3},
        },
    }
    cells = [(row, int(col)) for row, col in enumerate(targets) if 0 <= int(col) < n_classes]
    shapes = [_row_frame(row, n_classes) for row in range(n_rows)] if frame_rows else []
    shapes += [_cells_outline(cells)] if cells else []
    layout = base_layout(
        stale_title(title, stale, stale_note),
        x_title or t("figure.class"),
        y_title or t("figure.sample_axis"),
        min(1500, 175 + max(2, n_rows) * (34 if annotate else 18)),
        code=code,
        xaxis={
            "tickmode": "array", "tickvals": list(range(n_classes)), "ticktext": list(class_names),
            "showgrid": False, "zeroline": False, "tickangle": 0 if n_classes <= 8 else -60,
        },
        yaxis={
            "tickmode": "array", "tickvals": list(range(n_rows)),
            "ticktext": [str(r) for r in range(n_rows)], "autorange": "reversed",
            "showgrid": False, "zeroline": False,
        },
        shapes=shapes,
        # under the plot, so that it never collides with the title's code line
        legend={"orientation": "h", "yref": "container", "y": 0.0, "yanchor": "bottom",
                "x": 1.0, "xanchor": "right"},
        showlegend=True,
    )  # fmt: skip
    return go.Figure({"data": [heatmap, target_key], "layout": layout})


def _cells_outline(cells: list[tuple[int, int]]) -> dict:
    """One SVG path outlining every (row, col) cell: a single shape is far cheaper for
    Plotly to validate and draw than one rectangle per row."""
    path = " ".join(
        f"M{col - 0.5},{row - 0.5}H{col + 0.5}V{row + 0.5}H{col - 0.5}Z" for row, col in cells
    )
    return {"type": "path", "path": path, "line": {"color": TARGET_OUTLINE, "width": 3},
            "layer": "above"}  # fmt: skip


def _row_frame(row: int, n_classes: int) -> dict:
    """Row ``row``'s frame, transparent until a style rule colours it (``SELECTED``)."""
    return {
        "type": "rect",
        "x0": -0.5, "x1": n_classes - 0.5, "y0": row - 0.5, "y1": row + 0.5,
        "line": {"color": HIDDEN, "width": 3, "dash": "dot"},
        "layer": "above",
    }  # fmt: skip
