"""The Training page's run: its settings, training with a progress bar, what it draws.

Outside the page script on purpose: a page is executed afresh on every rerun, so a class
defined there is a new class each time, and a run kept in the session would never compare
equal to the current settings (the page would retrain on every redraw).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
import streamlit as st
import torch

from ce_core import calibration, default_class_names, training
from figures.explore import PlayLabels
from figures.training import make_replay
from i18n import t
from ui.view import to_numpy

# The replay sends both maps (two pictures) and every point's x for every kept step: 40 x 40
# cells a map and about 41 frames keep its figure under 1 MB at the settings' maxima (2,400
# points; tests/test_explorations_training.py).
GRID_RESOLUTION = 40
# Steps asked of training.replay_steps: geometric spacing merges the first ones, leaving 11
# (10 steps) to about 41 (2,000 steps) distinct kept steps, the replay's frames.
REPLAY_COUNT = 46


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
class Replay:
    """The model after each kept step, on a grid over the points: what the replay draws.

    F kept steps, R grid cells a side, n training points. ``predicted[f, i, j]`` is at
    ``(grid_x[j], grid_y[i])`` (the layout of a heatmap's z)."""

    steps: np.ndarray  # (F,) int: 0 (untrained), ..., the last step
    grid_x: np.ndarray  # (R,) float32
    grid_y: np.ndarray  # (R,) float32
    predicted: np.ndarray  # (F, R, R) int8: the class the model picks there
    confidence: np.ndarray  # (F, R, R) float32: its largest softmax probability there
    wrong: np.ndarray  # (F, n) bool: the training points the model classifies wrongly
    accuracy: np.ndarray  # (F,) on the training points
    cross_entropy: np.ndarray  # (F,)


@dataclass(frozen=True)
class Run:
    """What the page draws of a finished training, as numpy, and the trained run itself
    (its model and snapshots, from which ``replay`` was drawn)."""

    settings: Settings
    points: np.ndarray  # (n, 2)
    labels: np.ndarray  # (n,)
    losses: tuple[training.LossKind, ...]  # what each run trained with, the page's first
    # (CE (S+1,), accuracy (S+1,)) of each run: index s is the model after s steps
    histories: list[tuple[np.ndarray, np.ndarray]]
    trained: training.TrainResult  # the run with settings.loss, snapshots at replay.steps
    replay: Replay  # the maps after each kept step of ``trained``
    seconds: float
    # each run's model's calibration on held-out points
    reports: list[calibration.Calibration]

    @property
    def names(self) -> list[str]:
        """The runs' losses by name, in the current language (a run kept in the session
        is drawn again in another language without training again)."""
        return [t(f"training.loss_{loss}") for loss in self.losses]

    @property
    def curves(self) -> list[tuple[str, np.ndarray, np.ndarray]]:
        """(loss name, CE (S+1,), accuracy (S+1,)) of each run."""
        return [(name, *history) for name, history in zip(self.names, self.histories,
                                                             strict=True)]  # fmt: skip

    @property
    def calibrations(self) -> list[tuple[str, calibration.Calibration]]:
        """(loss name, calibration) of each run, as ``curves``."""
        return list(zip(self.names, self.reports, strict=True))

    @property
    def finals(self) -> list[tuple[str, float, float]]:
        """(loss name, accuracy, cross-entropy) after the last step: each curve's end."""
        return [(name, float(accuracy[-1]), float(ce[-1])) for name, ce, accuracy in self.curves]


def replay_of(result: training.TrainResult, data: training.Dataset) -> Replay:
    """The maps of ``result``'s model after each of its snapshots, on ``data``'s points.

    Computed once, when the run is trained: the page's figure only draws them as pictures
    (about 40 ms for 41 frames of two maps) and sends them.
    """
    steps = sorted(result.snapshots)
    predicted, confidence, wrong, accuracy, cross_entropy = [], [], [], [], []
    for step in steps:
        net = training.model_after(result, step)
        # the grid spans the points, the same at every step: only the maps on it change
        xs, ys, probs = training.probabilities_on_grid(net, data.points, GRID_RESOLUTION)
        top, picked = probs.max(-1)  # (R, R) each
        predicted.append(picked.numpy().astype(np.int8))
        confidence.append(top.numpy())  # float32, as the model computed it
        wrong.append((training.predictions(net, data.points) != data.labels).numpy())
        acc, ce = training.evaluate(net, data.points, data.labels)
        accuracy.append(acc)
        cross_entropy.append(ce)
    return Replay(
        steps=np.asarray(steps), grid_x=xs.numpy(), grid_y=ys.numpy(),
        predicted=np.stack(predicted), confidence=np.stack(confidence), wrong=np.stack(wrong),
        accuracy=np.asarray(accuracy), cross_entropy=np.asarray(cross_entropy),
    )  # fmt: skip


def replay_figure(run: Run) -> go.Figure:
    """The run replayed: both maps after each kept step, one frame each, with the step's
    numbers above Plotly's slider and a Play button; it starts at the last step."""
    replay, steps, n = run.replay, run.settings.steps, len(run.labels)
    readouts = [
        t("training.replay_readout", step=int(step), steps=steps, accuracy=float(accuracy),
          ce=float(ce), wrong=int(wrong), n=n)
        for step, accuracy, ce, wrong in zip(replay.steps, replay.accuracy,
                                             replay.cross_entropy, replay.wrong.sum(axis=1),
                                             strict=True)
    ]  # fmt: skip
    return make_replay(
        replay.grid_x, replay.grid_y, replay.predicted, replay.confidence, replay.wrong,
        run.points, run.labels, default_class_names(run.settings.n_classes),
        [str(step) for step in replay.steps], readouts,
        title=t("training.replay_title", loss=run.finals[0][0]),
        regions_title=t("training.regions_title"), confidence_title=t("training.confidence_title"),
        confidence_value=t("training.confidence_value"),
        play=PlayLabels(t("training.play"), t("training.pause")),
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

        # Snapshots for the replay of the run the page draws (not the comparison).
        snapshot_at = training.replay_steps(settings.steps, REPLAY_COUNT) if i == 0 else ()
        results.append(
            training.train(
                data, model=settings.model, hidden=settings.hidden, loss=loss, lr=settings.lr,
                steps=settings.steps, seed=settings.seed, on_step=on_step,
                snapshot_at=snapshot_at,
            )
        )  # fmt: skip
    bar.empty()
    fit, test = (held_out(settings, part) for part in (1, 2))
    return Run(
        settings=settings, points=to_numpy(data.points), labels=data.labels.numpy(),
        losses=tuple(losses), histories=[_with_final(r) for r in results],
        trained=results[0], replay=replay_of(results[0], data),
        seconds=time.perf_counter() - started,
        reports=[calibrated(r.model, fit, test) for r in results],
    )  # fmt: skip


def held_out(settings: Settings, part: int) -> training.Dataset:
    """Points the model never trained on, drawn like its training points (another seed)."""
    seed = training.held_out_seed(settings.seed, part)
    return training.make_dataset(settings.dataset, settings.n_classes, settings.n_per_class,
                                 settings.noise, seed)  # fmt: skip


def calibrated(
    model: torch.nn.Module, fit: training.Dataset, test: training.Dataset
) -> calibration.Calibration:
    """Temperature fitted on ``fit``'s points, reliability judged on ``test``'s."""
    with torch.no_grad():
        return calibration.calibrate(model(fit.points), fit.labels, model(test.points),
                                     test.labels)  # fmt: skip


def _with_final(result: training.TrainResult) -> tuple[np.ndarray, np.ndarray]:
    """Cross-entropy and accuracy (S+1,) after 0..S steps: the history, then the final."""
    ce = np.append(to_numpy(result.cross_entropy), result.final_cross_entropy)
    accuracy = np.append(to_numpy(result.accuracy), result.final_accuracy)
    return ce, accuracy
