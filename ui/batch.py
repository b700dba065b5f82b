"""The batch a page after the home page works on: the home page's own, or one of the seeds'.

The home page's batch is its last valid input (with the learner's edits); on a session that
has not drawn the home page yet, the batch its state (from the URL) describes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

import ce_core
from i18n import t
from ui import keys, session
from ui.state import apply_edits

HOME = "home"


@dataclass(frozen=True)
class Batch:
    key: str  # HOME or a preset's key
    logits: np.ndarray  # (N, C)
    targets: np.ndarray  # (N,) class indices
    class_names: tuple[str, ...]


def home_batch() -> Batch:
    """The home page's batch: its last valid view, else its state's batch if complete."""
    view = st.session_state.get(keys.LAST_VALID_VIEW)
    if view is not None:
        return Batch(HOME, view.logits, view.target.astype(np.int64), view.class_names)
    session.initialize()  # a no-op under app.py; a page run on its own (tests) needs it
    state = session.state()
    source = state.source.batch()
    acts, targets = apply_edits(source, state.cell_edits, state.target_edits)
    complete = all(v is not None for row in acts for v in row) and None not in targets
    if not complete:  # a cleared cell in a shared link: the batch before the edits
        acts, targets = source.logits, source.targets
    return Batch(HOME, np.asarray(acts, dtype=float), np.asarray(targets), source.class_names)


def preset_batch(key: str) -> Batch:
    preset = ce_core.PRESETS[key]
    return Batch(
        key, np.asarray(preset.logits, dtype=float), np.asarray(preset.targets),
        preset.class_names,
    )  # fmt: skip


def preset_titles() -> dict[str, str]:
    """Each preset's key and its title in the catalog's words."""
    return {key: preset.title.render() for key, preset in ce_core.PRESETS.items()}


def batch_picker(key: str, label_key: str = "batch.source") -> Batch:
    """A select box of the home page's batch and the presets; returns the chosen batch."""
    titles = {HOME: t("batch.home")} | preset_titles()
    choice = st.selectbox(t(label_key), list(titles), format_func=titles.__getitem__, key=key)
    return home_batch() if choice == HOME else preset_batch(choice)
