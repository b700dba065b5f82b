"""The book's table: one column per class, then targ, idx and loss."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd


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
