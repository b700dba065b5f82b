"""The book's table: one column per class, then targ, idx and loss."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from i18n import t


def make_book_table(
    probs: np.ndarray,
    targets: Sequence[int] | np.ndarray,
    target_prob: np.ndarray,
    losses: np.ndarray,
    class_names: Sequence[str],
) -> pd.DataFrame:
    """(N, C) softmax, targ, idx, the picked probability and -log of it, as in the book.

    The book's "loss" column is ``sm_acts[idx, targ]`` (before the log); both are shown.
    Columns are named after the classes, so ``class_names`` must be unique.
    """
    table = pd.DataFrame(np.asarray(probs, dtype=float), columns=list(class_names))
    table["targ"] = [int(t) for t in targets]
    table["idx"] = range(len(table))
    table["sm_acts[idx, targ]"] = np.asarray(target_prob, dtype=float)
    table["-log(p)"] = np.asarray(losses, dtype=float)
    return table


def make_sample_table(
    logits: np.ndarray,
    exp: np.ndarray,
    probs: np.ndarray,
    class_names: Sequence[str],
    target: int,
    target_mark: str,
) -> pd.DataFrame:
    """One sample's row at every stage, one line per class: acts, exp(acts - m), softmax.

    The target's line is marked in words (``target_mark``), not by colour.
    """
    return pd.DataFrame(
        {
            t("figure.class"): list(class_names),
            "acts": np.asarray(logits, dtype=float),
            "exp(acts − m)": np.asarray(exp, dtype=float),
            "softmax": np.asarray(probs, dtype=float),
            "targ": [target_mark if c == target else "" for c in range(len(class_names))],
        }
    )


def make_loss_table(
    target_prob: np.ndarray,
    targets: Sequence[int] | np.ndarray,
    losses: np.ndarray,
    ignored: np.ndarray,
    class_names: Sequence[str],
    *,
    target_label: str,
    loss_label: str,
    ignored_mark: str,
) -> pd.DataFrame:
    """The numbers of the target-and-loss chart, one row per sample (N,): idx, the target's
    class (``ignored_mark`` for an ignored sample), its probability (blank where ignored:
    the chart draws no bar) and its loss (0 where ignored, as PyTorch's reduction='none')."""
    ignored = np.asarray(ignored, dtype=bool)
    return pd.DataFrame(
        {
            "idx": range(len(losses)),
            "targ": [ignored_mark if skip else class_names[int(k)]
                     for k, skip in zip(targets, ignored, strict=True)],
            target_label: np.where(ignored, np.nan, np.asarray(target_prob, dtype=float)),
            loss_label: np.asarray(losses, dtype=float),
        }
    )  # fmt: skip
