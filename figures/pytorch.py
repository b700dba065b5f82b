"""Figures of the PyTorch page: what each sample adds to the loss under the options."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from figures.bar_picture import Bars, Picture, bar_panel
from figures.style import NEUTRAL, TARGET_OUTLINE, class_color
from i18n import t

LABELLED_BARS = 16
WIDE = 460  # CSS pixels: the results column's width at 1400 px, text at the page's sizes


def make_weighted_losses(
    losses: np.ndarray,
    target_weight: np.ndarray,
    ignored: np.ndarray,
    targets: np.ndarray,
    class_names: Sequence[str],
    reduced: float | None,
    *,
    loss_label: str,
    reduced_label: str,
    ignored_label: str,
    alt: str,
) -> Picture:
    """One bar per sample: its loss as ``reduction='none'`` returns it (weighted), as a
    picture (every move of the page's arguments draws it again: figures/bar_picture.py).

    ``losses``, ``target_weight``, ``ignored``: (N,). ``targets``: (N,) class indices, or
    (N, C) probabilities (bars then take the colour of each row's likeliest class). Each bar
    is in its target's colour, outlined, its index and target under it; ignored rows are
    hollow striped bars labelled ``ignored_label`` (their loss is 0 and they count in neither
    sum); ``reduced`` (the mean or the sum) is a dashed line. Up to ``LABELLED_BARS`` bars
    carry their loss and weight. ``alt`` opens the text alternative; every sample's numbers
    follow it.
    """
    losses = np.asarray(losses, dtype=float)
    n_rows = len(losses)
    classes = targets.argmax(1) if targets.ndim == 2 else targets
    pairs = list(zip(classes, ignored, strict=True))
    names = ["—" if ig else class_names[int(k)] for k, ig in pairs]
    rows = list(zip(losses.tolist(), np.asarray(target_weight, dtype=float).tolist(),
                    ignored, names, strict=True))  # fmt: skip
    labels = [ignored_label if ig else f"{v:.3f}\nw={w:.3g}" for v, w, ig, _ in rows]
    bars = Bars(
        losses, [f"{idx}\n{name}" for idx, name in enumerate(names)],
        [NEUTRAL if ig else class_color(int(k)) for k, ig in pairs],
        labels=labels if n_rows <= LABELLED_BARS else [""] * n_rows,
        outlines=[NEUTRAL if ig else TARGET_OUTLINE for ig in ignored],
        hatched=[bool(ig) for ig in ignored],
    )  # fmt: skip
    reference = None
    if reduced is not None and np.isfinite(reduced):
        reference = (reduced, f"{reduced_label} = {reduced:.4f}")
    finite = losses[np.isfinite(losses)]
    top = max(float(finite.max()) if len(finite) else 1.0, reduced or 0.0, 1e-6)
    samples = "; ".join(
        t("figure.losses_alt_ignored", idx=idx) if ig
        else t("figure.losses_alt_sample", idx=idx, target=name, weight=w, loss=v)
        for idx, (v, w, ig, name) in enumerate(rows)
    )  # fmt: skip
    return bar_panel(
        bars, y_title=loss_label, x_title=t("figure.sample_axis"), y_range=(0.0, top * 1.3),
        reference=reference, width=WIDE,
        alt=f"{alt} {samples}" + (f"; {reference[1]}." if reference else "."),
    )  # fmt: skip
