"""Figures of the PyTorch page: what each sample adds to the loss under the options."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from figures.style import (
    NEUTRAL,
    TARGET_OUTLINE,
    base_layout,
    class_color,
    reference_line,
)
from i18n import t

LABELLED_BARS = 16


def make_weighted_losses(
    losses: np.ndarray,
    target_weight: np.ndarray,
    ignored: np.ndarray,
    targets: np.ndarray,
    class_names: Sequence[str],
    reduced: float | None,
    *,
    title: str,
    loss_label: str,
    reduced_label: str,
    ignored_label: str,
    code: str | None = None,
) -> go.Figure:
    """One bar per sample: its loss as ``reduction='none'`` returns it (weighted).

    ``losses``, ``target_weight``, ``ignored``: (N,). ``targets``: (N,) class indices, or
    (N, C) probabilities (bars then take the colour of each row's likeliest class).
    Ignored rows are drawn as hollow grey bars labelled ``ignored_label`` (their loss is 0
    and they count in neither sum); ``reduced`` (the mean or the sum) is a dashed line.
    """
    losses = np.asarray(losses, dtype=float)
    n_rows = len(losses)
    classes = targets.argmax(1) if targets.ndim == 2 else targets
    pairs = list(zip(classes, ignored, strict=True))
    colors = [NEUTRAL if ig else class_color(int(k)) for k, ig in pairs]
    names = ["—" if ig else class_names[int(k)] for k, ig in pairs]
    text = None
    if n_rows <= LABELLED_BARS:
        text = [
            ignored_label if ig else f"{v:.3f}<br>w={w:.3g}"
            for v, w, ig in zip(losses, target_weight, ignored, strict=True)
        ]
    bars = {
        "type": "bar", "x": list(range(n_rows)), "y": losses, "text": text,
        "textposition": "outside", "cliponaxis": False, "name": loss_label,
        "marker": {"color": ["white" if ig else c for c, ig in zip(colors, ignored, strict=True)],
                   "line": {"color": [NEUTRAL if ig else TARGET_OUTLINE for ig in ignored],
                            "width": 1.5},
                   "pattern": {"shape": ["/" if ig else "" for ig in ignored],
                               "fgcolor": NEUTRAL}},
        "customdata": np.stack([np.asarray(names, dtype=object),
                                np.asarray(target_weight, dtype=float)], 1),
        "hovertemplate": f"idx %{{x}}, targ %{{customdata[0]}}<br>{t('figure.weight')}"
        " %{customdata[1]:.4g}<br>"
        + loss_label + " = %{y:.6g}<extra></extra>",
    }  # fmt: skip
    shapes, annotations = [], []
    if reduced is not None and np.isfinite(reduced):
        line, note = reference_line(reduced, f"{reduced_label} = {reduced:.4f}")
        shapes, annotations = [line], [note]
    finite = losses[np.isfinite(losses)]
    top = max(float(finite.max()) if len(finite) else 1.0, reduced or 0.0, 1e-6)
    layout = base_layout(
        title, t("figure.sample_axis"), loss_label, 360, code=code,
        xaxis={"dtick": 1} if n_rows <= LABELLED_BARS else {},
        yaxis={"range": [0, top * 1.3]}, shapes=shapes, annotations=annotations,
        showlegend=False,
    )  # fmt: skip
    return go.Figure({"data": [bars], "layout": layout})
