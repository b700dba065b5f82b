"""A small classifier trained live: 2-D points in K classes, a linear model or an MLP.

Everything is deterministic for a seed: the data comes from a ``torch.Generator`` and the
weights are initialised from another (never from the global RNG's state, which concurrent
sessions of the app share). Training is full-batch gradient descent with momentum, with
cross-entropy or, for comparison, mean squared error between the softmax and one-hot
targets. No UI here: the Training page passes ``on_step`` to drive its progress bar.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

import torch
import torch.nn.functional as F
from torch import nn

from ce_core.errors import InputError
from ce_core.options import check_choice

DatasetKind = Literal["blobs", "moons", "spirals"]
ModelKind = Literal["linear", "mlp"]
LossKind = Literal["cross_entropy", "mse"]
DATASETS: tuple[DatasetKind, ...] = ("blobs", "moons", "spirals")
MODELS: tuple[ModelKind, ...] = ("linear", "mlp")
LOSSES: tuple[LossKind, ...] = ("cross_entropy", "mse")

MIN_CLASSES, MAX_CLASSES = 2, 8
MAX_POINTS_PER_CLASS = 500
MAX_HIDDEN = 256
MAX_STEPS = 5000
MOMENTUM = 0.9


@dataclass(frozen=True)
class Dataset:
    points: torch.Tensor  # (n, 2) float32, roughly within [-1.5, 1.5]
    labels: torch.Tensor  # (n,) int64 in [0, K)
    n_classes: int


def _check_range(name: str, value: float, low: float, high: float) -> None:
    if not (isinstance(value, (int, float)) and low <= value <= high):
        raise InputError("out_of_range", argument=name, name=name, low=low, high=high, value=value)


def make_dataset(
    kind: DatasetKind = "spirals",
    n_classes: int = 3,
    n_per_class: int = 100,
    noise: float = 0.1,
    seed: int = 0,
) -> Dataset:
    """``n_per_class`` points for each of ``n_classes`` classes in the plane.

    - blobs: a Gaussian cloud per class, centres on a circle.
    - moons: interleaved half circles, alternately opening down and up (sklearn's two
      moons, continued for K classes).
    - spirals: K arms winding out of the centre (CS231n's spiral data).
    ``noise`` is the standard deviation of the Gaussian jitter added to every point.
    """
    check_choice("dataset", kind, DATASETS, argument="kind")
    _check_range("n_classes", n_classes, MIN_CLASSES, MAX_CLASSES)
    _check_range("n_per_class", n_per_class, 1, MAX_POINTS_PER_CLASS)
    _check_range("noise", noise, 0.0, 2.0)
    generator = torch.Generator().manual_seed(int(seed))
    k = torch.arange(n_classes).repeat_interleave(n_per_class)  # (n,) labels
    u = torch.rand(len(k), generator=generator, dtype=torch.float64)  # (n,) along the shape
    if kind == "blobs":
        angle = 2 * math.pi * k / n_classes
        centres = torch.stack([angle.cos(), angle.sin()], 1)  # (n, 2)
        spread = 0.15 * torch.randn(len(k), 2, generator=generator, dtype=torch.float64)
        points = centres + spread
    elif kind == "moons":
        t = math.pi * u
        up = (k % 2 == 0).double() * 2 - 1  # +1: an arch, -1: a bowl
        points = torch.stack([k + t.cos() * up, 0.5 * (k % 2) + t.sin() * up], 1)
        points = (points - points.mean(0)) / (0.5 * (n_classes + 1))
    else:
        radius = u
        angle = 2 * math.pi * k / n_classes + 4.0 * u
        points = radius[:, None] * torch.stack([angle.cos(), angle.sin()], 1)
    points = points + noise * torch.randn(len(k), 2, generator=generator, dtype=torch.float64)
    return Dataset(points.float(), k, n_classes)


# Held-out points come from the same settings with another seed: a fresh draw of the same
# shapes, which the model never trained on. Part 1 fits the temperature, part 2 judges it.
HELD_OUT_STRIDE = 1_000_003


def held_out_seed(seed: int, part: int) -> int:
    """The seed of held-out set ``part`` (1, 2, ...) for training data drawn with ``seed``.

    >>> held_out_seed(0, 1), held_out_seed(0, 2)
    (1000003, 2000006)
    """
    return (int(seed) + part * HELD_OUT_STRIDE) % 2**31


def make_model(kind: ModelKind, n_classes: int, hidden: int = 32, seed: int = 0) -> nn.Module:
    """A linear model (2 -> K) or an MLP (2 -> h -> h -> K, ReLU), seeded.

    Weights are drawn as ``nn.Linear`` draws them (uniform in +-1/sqrt(fan_in)) but from a
    private generator.
    """
    check_choice("model", kind, MODELS)
    _check_range("hidden", hidden, 1, MAX_HIDDEN)
    # nn.Linear draws its first weights from the global RNG; they are overwritten below from
    # a private generator, so the result never depends on what else drew from it. (Building
    # on the meta device would skip that draw, but its first use is slower than the draw.)
    if kind == "linear":
        model = nn.Linear(2, n_classes)
    else:
        model = nn.Sequential(
            nn.Linear(2, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(),
            nn.Linear(hidden, n_classes),
        )  # fmt: skip
    generator = torch.Generator().manual_seed(int(seed))
    with torch.no_grad():
        for layer in model.modules():
            if isinstance(layer, nn.Linear):
                bound = 1 / math.sqrt(layer.in_features)
                layer.weight.uniform_(-bound, bound, generator=generator)
                layer.bias.uniform_(-bound, bound, generator=generator)
    return model


def training_loss(logits: torch.Tensor, labels: torch.Tensor, loss: LossKind) -> torch.Tensor:
    """The objective: cross-entropy on the logits, or MSE of their softmax to one-hot."""
    if loss == "cross_entropy":
        return F.cross_entropy(logits, labels)
    one_hot = F.one_hot(labels, logits.shape[1]).to(logits.dtype)  # (n, K)
    return F.mse_loss(logits.softmax(1), one_hot)


def sgd_momentum_step(
    parameters: list[torch.Tensor],
    grads: tuple[torch.Tensor, ...],
    velocity: list[torch.Tensor],
    lr: float,
    momentum: float = MOMENTUM,
) -> None:
    """``torch.optim.SGD(lr, momentum)``'s update, in place: v = m v + g; p -= lr v.

    Written out rather than constructing ``torch.optim.SGD``, whose first construction in a
    process imports ``torch._dynamo``, which takes longer than a whole training of the
    Training page (docs/benchmarks.md). A test checks it against torch.optim.SGD.
    """
    with torch.no_grad():
        for p, g, v in zip(parameters, grads, velocity, strict=True):
            v.mul_(momentum).add_(g)
            p.sub_(lr * v)


@dataclass(frozen=True)
class TrainResult:
    model: nn.Module
    loss: torch.Tensor  # (steps,) the objective that was minimized, before each step
    cross_entropy: torch.Tensor  # (steps,) the model's cross-entropy, whatever it trained on
    accuracy: torch.Tensor  # (steps,) fraction of points classified right
    final_accuracy: float  # after the last step
    final_cross_entropy: float
    # the parameters after each asked-for number of steps (0: as initialized), for replay
    snapshots: dict[int, dict[str, torch.Tensor]]


def train(
    data: Dataset,
    *,
    model: ModelKind = "mlp",
    hidden: int = 32,
    loss: LossKind = "cross_entropy",
    lr: float = 0.5,
    steps: int = 300,
    seed: int = 0,
    on_step: Callable[[int, float], None] | None = None,
    snapshot_at: Iterable[int] = (),
) -> TrainResult:
    """Full-batch gradient descent with momentum for ``steps`` steps; deterministic.

    ``on_step(step, loss)`` is called every 10 steps and after the last (a progress bar).
    ``snapshot_at``: numbers of steps (0..steps) after which to keep a copy of the
    parameters in ``snapshots`` (see ``replay_steps`` and ``model_after``).
    """
    check_choice("loss", loss, LOSSES)
    _check_range("lr", lr, 1e-6, 100.0)
    _check_range("steps", steps, 1, MAX_STEPS)
    keep = set(snapshot_at)
    for step in keep:
        _check_range("snapshot_at", step, 0, steps)
    net = make_model(model, data.n_classes, hidden, seed)
    snapshots = {0: _copy_parameters(net)} if 0 in keep else {}
    parameters = list(net.parameters())
    velocity = [torch.zeros_like(p) for p in parameters]
    history = torch.empty(3, steps)  # loss, cross-entropy, accuracy
    x, y = data.points, data.labels
    for step in range(steps):
        logits = net(x)  # (n, K)
        objective = training_loss(logits, y, loss)
        grads = torch.autograd.grad(objective, parameters)
        sgd_momentum_step(parameters, grads, velocity, lr)
        with torch.no_grad():
            history[0, step] = objective
            history[1, step] = F.cross_entropy(logits, y) if loss != "cross_entropy" else objective
            history[2, step] = accuracy(logits, y)
        if step + 1 in keep:
            snapshots[step + 1] = _copy_parameters(net)
        if on_step is not None and (step % 10 == 9 or step == steps - 1):
            on_step(step + 1, float(objective.detach()))
    final_accuracy, final_ce = evaluate(net, x, y)
    net.eval()
    return TrainResult(net, history[0], history[1], history[2], final_accuracy, final_ce, snapshots)


def evaluate(net: nn.Module, points: torch.Tensor, labels: torch.Tensor) -> tuple[float, float]:
    """The accuracy and the cross-entropy of ``net`` on ``points`` (n, 2), ``labels`` (n,)."""
    with torch.no_grad():
        logits = net(points)  # (n, K)
    return float(accuracy(logits, labels)), float(F.cross_entropy(logits, labels))


def predictions(net: nn.Module, points: torch.Tensor) -> torch.Tensor:
    """The class ``net`` picks for each of ``points`` (n, 2): its largest logit, (n,)."""
    with torch.no_grad():
        return net(points).argmax(1)


def accuracy(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """The fraction of rows of ``logits`` (n, K) whose largest entry is at ``labels`` (n,)."""
    return (logits.argmax(1) == labels).float().mean()


def _copy_parameters(net: nn.Module) -> dict[str, torch.Tensor]:
    return {name: value.detach().clone() for name, value in net.state_dict().items()}


def replay_steps(steps: int, count: int = 25) -> list[int]:
    """About ``count`` step numbers from 0 to ``steps``, denser at the start.

    Spaced geometrically because a model changes most in its first steps: for 300 steps,
    0, 1, 2, 3, 4, 6, 7, 9, 12, 15, 20, ... 234, 300.
    """
    _check_range("steps", steps, 1, MAX_STEPS)
    n = max(count - 1, 2)
    spaced = {round(steps ** (i / (n - 1))) for i in range(n)}
    return [0, *sorted(spaced | {steps})]


def model_after(result: TrainResult, step: int) -> nn.Module:
    """A copy of ``result.model`` with the parameters it had after ``step`` steps."""
    if step not in result.snapshots:
        kept = ", ".join(str(s) for s in sorted(result.snapshots))
        raise InputError("snapshot_unknown", argument="step", kept=kept, value=step)
    net = copy.deepcopy(result.model)
    net.load_state_dict(result.snapshots[step])
    net.eval()
    return net


def probabilities_on_grid(
    model: nn.Module, points: torch.Tensor, resolution: int = 120, margin: float = 0.25
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """The model's softmax over a square grid covering ``points`` (n, 2).

    Returns the grid's x (R,) and y (R,) coordinates and the probabilities (R, R, K), with
    ``probs[i, j]`` at ``(x[j], y[i])`` (the layout of a heatmap's z).
    """
    low = points.min(0).values - margin
    high = points.max(0).values + margin
    xs = torch.linspace(float(low[0]), float(high[0]), resolution)
    ys = torch.linspace(float(low[1]), float(high[1]), resolution)
    grid_y, grid_x = torch.meshgrid(ys, xs, indexing="ij")  # (R, R) each
    flat = torch.stack([grid_x.reshape(-1), grid_y.reshape(-1)], 1)  # (R*R, 2)
    with torch.no_grad():
        probs = model(flat).softmax(1)  # (R*R, K)
    return xs, ys, probs.reshape(resolution, resolution, -1)
