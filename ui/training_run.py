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
import torch

from ce_core import training
from i18n import t
from ui.view import to_numpy

GRID_RESOLUTION = 80  # 6,400 cells per map: smooth to the eye, quick to redraw on a replay


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
    """What the page draws of a finished training, as numpy, and the trained run itself
    (its model and snapshots, for replaying the maps step by step)."""

    settings: Settings
    points: np.ndarray  # (n, 2)
    labels: np.ndarray  # (n,)
    # (loss name, CE (S+1,), accuracy (S+1,)): index s is the model after s steps
    curves: list[tuple[str, np.ndarray, np.ndarray]]
    trained: training.TrainResult  # the run with settings.loss, snapshots at replay_steps
    seconds: float

    @property
    def finals(self) -> list[tuple[str, float, float]]:
        """(loss name, accuracy, cross-entropy) after the last step: each curve's end."""
        return [(name, float(accuracy[-1]), float(ce[-1])) for name, ce, accuracy in self.curves]

    @property
    def replay_steps(self) -> list[int]:
        return sorted(self.trained.snapshots)


@dataclass(frozen=True)
class Maps:
    """The model after some number of steps, on a grid over the points."""

    grid_x: np.ndarray  # (R,)
    grid_y: np.ndarray  # (R,)
    grid_probs: np.ndarray  # (R, R, K) softmax
    accuracy: float  # on the training points
    cross_entropy: float
    wrong: np.ndarray  # (n,) bool: the training points the model classifies wrongly


def maps_after(run: Run, step: int) -> Maps:
    """The decision maps of ``run``'s model after ``step`` steps (one of its snapshots)."""
    net = training.model_after(run.trained, step)
    points = torch.from_numpy(run.points).float()  # (n, 2); the model is float32
    labels = torch.from_numpy(run.labels)
    xs, ys, probs = training.probabilities_on_grid(net, points, GRID_RESOLUTION)
    accuracy, cross_entropy = training.evaluate(net, points, labels)
    return Maps(
        grid_x=to_numpy(xs), grid_y=to_numpy(ys), grid_probs=to_numpy(probs),
        accuracy=accuracy, cross_entropy=cross_entropy,
        wrong=(training.predictions(net, points) != labels).numpy(),  # CPU: from_numpy
    )  # fmt: skip


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

        # Snapshots for the replay slider of the run the page draws (not the comparison).
        snapshot_at = training.replay_steps(settings.steps) if i == 0 else ()
        results.append(
            training.train(
                data, model=settings.model, hidden=settings.hidden, loss=loss, lr=settings.lr,
                steps=settings.steps, seed=settings.seed, on_step=on_step,
                snapshot_at=snapshot_at,
            )
        )  # fmt: skip
    bar.empty()
    names = [t(f"training.loss_{loss}") for loss in losses]
    return Run(
        settings=settings, points=to_numpy(data.points), labels=data.labels.numpy(),
        curves=[(n, *_with_final(r)) for n, r in zip(names, results, strict=True)],
        trained=results[0], seconds=time.perf_counter() - started,
    )  # fmt: skip


def _with_final(result: training.TrainResult) -> tuple[np.ndarray, np.ndarray]:
    """Cross-entropy and accuracy (S+1,) after 0..S steps: the history, then the final."""
    ce = np.append(to_numpy(result.cross_entropy), result.final_cross_entropy)
    accuracy = np.append(to_numpy(result.accuracy), result.final_accuracy)
    return ce, accuracy
