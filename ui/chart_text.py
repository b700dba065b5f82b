"""One sentence per chart with the numbers it shows now: the end of a chart's accessible
name (``ui.charts.show_chart``'s ``alt``), for a learner who cannot see the picture.

Each function takes what the page computed (NumPy arrays, shapes in the docstrings) and
returns a sentence from the catalog's ``summary`` section.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from i18n import t


def matrix_summary(values: np.ndarray, class_names: Sequence[str]) -> str:
    """(N, C) ``values``: where the largest and the smallest finite values are."""
    values = np.asarray(values, dtype=float)
    finite = np.where(np.isfinite(values), values, np.nan)
    if not np.isfinite(finite).any():
        return t("summary.no_finite")
    high = np.unravel_index(np.nanargmax(finite), values.shape)
    low = np.unravel_index(np.nanargmin(finite), values.shape)
    return t(
        "summary.matrix",
        high=float(values[high]), high_row=int(high[0]), high_class=class_names[int(high[1])],
        low=float(values[low]), low_row=int(low[0]), low_class=class_names[int(low[1])],
    )  # fmt: skip


def _counted(target_prob: np.ndarray, ignored: np.ndarray | None) -> np.ndarray:
    """The samples that count: not ignored, with a target probability."""
    counted = np.isfinite(target_prob)
    if ignored is not None:
        counted &= ~np.asarray(ignored, dtype=bool)
    return np.flatnonzero(counted)


def loss_summary(
    losses: np.ndarray, target_prob: np.ndarray, ignored: np.ndarray | None = None
) -> str:
    """(N,) per-sample ``losses`` and ``target_prob`` (``ignored``: (N,) bool, samples left
    out): the sample that loses most and the one that loses least. "Because its target's
    probability is p" only where the loss is -log p (not with class weights or label
    smoothing, which change it)."""
    losses, target_prob = np.asarray(losses, dtype=float), np.asarray(target_prob, dtype=float)
    counted = _counted(target_prob, ignored)
    counted = counted[~np.isnan(losses[counted])]
    if counted.size == 0:
        return t("summary.nothing_counted")
    worst = int(counted[np.argmax(losses[counted])])
    best = int(counted[np.argmin(losses[counted])])
    with np.errstate(divide="ignore"):
        is_log = bool(np.isclose(losses[worst], -np.log(target_prob[worst]), rtol=1e-4))
    key = "summary.losses" if is_log else "summary.losses_other"
    return t(key, worst=worst, loss=float(losses[worst]), p=float(target_prob[worst]),
             best=best, best_loss=float(losses[best]))  # fmt: skip


def row_sums_summary(sums: np.ndarray) -> str:
    """(N,) sums of each row's exponentials: the largest and the smallest."""
    sums = np.asarray(sums, dtype=float)
    finite = np.flatnonzero(np.isfinite(sums))
    if finite.size == 0:
        return t("summary.no_finite")
    high, low = int(finite[np.argmax(sums[finite])]), int(finite[np.argmin(sums[finite])])
    return t("summary.row_sums", high=float(sums[high]), high_row=high,
             low=float(sums[low]), low_row=low)  # fmt: skip


def target_prob_summary(target_prob: np.ndarray, ignored: np.ndarray | None = None) -> str:
    """(N,) each sample's probability of its target: the lowest and the highest (ignored
    samples left out)."""
    target_prob = np.asarray(target_prob, dtype=float)
    counted = _counted(target_prob, ignored)
    if counted.size == 0:
        return t("summary.nothing_counted")
    low = int(counted[np.argmin(target_prob[counted])])
    high = int(counted[np.argmax(target_prob[counted])])
    return t("summary.target_prob", low=float(target_prob[low]), low_row=low,
             high=float(target_prob[high]), high_row=high)  # fmt: skip


def agreement_summary(rows: Sequence[int], difference: float) -> str:
    """The rows drawn, and the largest difference between autograd and the formula."""
    rows_text = t("summary.list_separator").join(str(r) for r in rows)
    return t("summary.agreement", rows=rows_text, diff=difference)


def history_summary(losses: np.ndarray, target_prob: np.ndarray) -> str:
    """(S + 1,) the loss before and after each step; (S + 1, N) each sample's target
    probability (NaN where ignored): where both start and end."""
    target_prob = np.asarray(target_prob, dtype=float)
    counted = np.isfinite(target_prob).any(axis=0)
    if not counted.any():
        return t("summary.nothing_counted")
    mean_p = target_prob[:, counted].mean(axis=1)
    if len(losses) == 1:
        return t("summary.history_start", loss=float(losses[0]), p=float(mean_p[0]))
    return t("summary.history", steps=len(losses) - 1, start=float(losses[0]),
             end=float(losses[-1]), p_start=float(mean_p[0]), p_end=float(mean_p[-1]))  # fmt: skip


def training_summary(curves: Sequence[tuple[str, np.ndarray, np.ndarray]]) -> str:
    """Each run's (name, cross-entropy per step, accuracy per step): start and end of both."""
    return " ".join(
        t("summary.training_run", loss=name, start=float(ce[0]), end=float(ce[-1]),
          acc_start=float(accuracy[0]), acc_end=float(accuracy[-1]))
        for name, ce, accuracy in curves
    )  # fmt: skip
