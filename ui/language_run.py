"""The Language models page's run: its settings, and training with a progress bar.

Outside the page script for the reason ui/training_run.py gives: a class defined in a page
is a new class on every rerun, and the session's run would never equal the settings.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from ce_core import language_model
from i18n import t

RUN_KEY = "lm_run"


@dataclass(frozen=True)
class Settings:
    kind: language_model.ModelKind
    context: int  # characters the MLP sees (the bigram: 1)
    lr: float
    steps: int
    label_smoothing: float
    seed: int


def current_run(text: language_model.Text, settings: Settings) -> language_model.LanguageRun:
    """The session's run for these settings, training (with a progress bar) only when they
    changed. One small model a session (at most 7,584 numbers: the MLP with a context of
    8), nothing shared."""
    kept = st.session_state.get(RUN_KEY)
    if kept is not None and kept[0] == settings:
        return kept[1]
    bar = st.progress(0.0, text=t("language.progress", step=0, steps=settings.steps))

    def on_step(step: int, loss: float) -> None:
        bar.progress(step / settings.steps, text=t("language.progress", step=step,
                                                   steps=settings.steps))  # fmt: skip

    run = language_model.train(
        text, kind=settings.kind, context=settings.context, steps=settings.steps,
        lr=settings.lr, label_smoothing=settings.label_smoothing, seed=settings.seed,
        on_step=on_step,
    )  # fmt: skip
    bar.empty()
    st.session_state[RUN_KEY] = (settings, run)
    return run
