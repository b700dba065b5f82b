"""The Training page's run: its settings, training with a progress bar, what it draws.

Outside the page script on purpose: a page is executed afresh on every rerun, so a class
defined there is a new class each time, and a run kept in the session would never compare
equal to the current settings (the page would retrain on every redraw).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import streamlit as st

from ce_core import training
from i18n import t
from ui.view import to_numpy

GRID_RESOLUTION = 120


@dataclass(frozen=True)
class Settings:
    dataset: str
    n_classes: int
    n_per_class: int
    noise: float
    seed: int
    model: str
    hidden: int
    loss: str
    lr: float
    steps: int
    compare: bool


@dataclass(frozen=True)
class Run:
    """What the page draws of a finished training, as numpy (the model stays in the run)."""

    settings: Settings
    points: np.ndarray  # (n, 2)
    labels: np.ndarray  # (n,)
    curves: list[tuple[str, np.ndarray, np.ndarray]]  # (loss name, CE (S,), accuracy (S,))
    finals: list[tuple[str, float, float]]  # (loss name, accuracy, cross-entropy)
    grid_x: np.ndarray  # (R,)
    grid_y: np.ndarray  # (R,)
    grid_probs: np.ndarray  # (R, R, K) softmax of the model trained with settings.loss
    seconds: float


def train(settings: Settings) -> Run:
    """Train (and, if asked, train the other loss too) with a progress bar."""
    started = time.perf_counter()
    data = training.make_dataset(
        settings.dataset, settings.n_classes, settings.n_per_class, settings.noise, settings.seed
    )
    losses = [settings.loss]
    if settings.compare:
        losses += [other for other in training.LOSSES if other != settings.loss]
    bar = st.progress(0.0, text=t("training.progress", step=0, steps=settings.steps,
                                  loss=t(f"training.loss_{settings.loss}")))  # fmt: skip
    results = []
    for i, loss in enumerate(losses):

        def on_step(step: int, value: float, i: int = i, loss: str = loss) -> None:
            done = (i * settings.steps + step) / (len(losses) * settings.steps)
            bar.progress(done, text=t("training.progress", step=step, steps=settings.steps,
                                      loss=t(f"training.loss_{loss}")))  # fmt: skip

        results.append(
            training.train(
                data, model=settings.model, hidden=settings.hidden, loss=loss, lr=settings.lr,
                steps=settings.steps, seed=settings.seed, on_step=on_step,
            )
        )  # fmt: skip
    bar.empty()
    xs, ys, probs = training.probabilities_on_grid(results[0].model, data.points, GRID_RESOLUTION)
    names = [t(f"training.loss_{loss}") for loss in losses]
    return Run(
        settings=settings, points=to_numpy(data.points), labels=data.labels.numpy(),
        curves=[(n, to_numpy(r.cross_entropy), to_numpy(r.accuracy))
                for n, r in zip(names, results, strict=True)],
        finals=[(n, r.final_accuracy, r.final_cross_entropy)
                for n, r in zip(names, results, strict=True)],
        grid_x=to_numpy(xs), grid_y=to_numpy(ys), grid_probs=to_numpy(probs),
        seconds=time.perf_counter() - started,
    )  # fmt: skip
