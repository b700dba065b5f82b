"""Can a model's probabilities be trusted? Reliability (confidence against accuracy), the
expected calibration error, and temperature scaling.

A classifier is calibrated when, among the points it gives a top probability of about 0.8,
about 80 % are right. Group held-out points by their top probability (equal-width bins on
[0, 1]); each bin's mean confidence against its accuracy is the reliability diagram, and
ECE = sum over bins of (bin size / n) * |accuracy - confidence|. Cross-entropy is a proper
scoring rule: its expected value is lowest when the probabilities are the true ones, so
it is also the right objective for fixing them afterwards. Temperature scaling (Guo et
al., 2017) divides every logit by one scalar T > 0, fitted on held-out points by
minimising their cross-entropy: the argmax, and so the accuracy, cannot change, only how
sure the model sounds. Torch only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from ce_core.errors import InputError
from ce_core.functional import ArrayLike, as_float_tensor, cross_entropy, softmax

N_BINS = 10
# T is searched in [1 / 50, 50]: wider than any fit of this app's models (measured: 0.3-4)
BETA_RANGE = (1 / 50, 50.0)
GOLDEN = (math.sqrt(5) - 1) / 2


@dataclass(frozen=True)
class Reliability:
    """A model's top probabilities against its hits, on n points, in B bins of [0, 1].

    ``edges`` (B + 1,); per bin (B,): ``counts``, ``confidence`` (mean top probability)
    and ``accuracy`` (fraction right), both nan for an empty bin. Scalars: ``ece``,
    ``mean_confidence``, ``accuracy_all`` and ``cross_entropy`` (the mean over the n
    points, nats)."""

    edges: torch.Tensor
    counts: torch.Tensor
    confidence: torch.Tensor
    accuracy: torch.Tensor
    ece: float
    mean_confidence: float
    accuracy_all: float
    cross_entropy: float


def reliability(
    logits: ArrayLike, labels: ArrayLike, temperature: float = 1.0, n_bins: int = N_BINS
) -> Reliability:
    """The reliability of ``softmax(logits / temperature)`` (n, K) for ``labels`` (n,).

    >>> r = reliability([[2.0, 0.0], [2.0, 0.0], [0.0, 2.0], [0.0, 2.0]], [0, 0, 0, 1])
    >>> r.counts.tolist(), round(r.ece, 4), r.accuracy_all
    ([0, 0, 0, 0, 0, 0, 0, 0, 4, 0], 0.1308, 0.75)
    """
    logits = as_float_tensor(logits)
    labels = torch.as_tensor(labels)
    if not temperature > 0:
        raise InputError("temperature_not_positive", argument="temperature", value=temperature)
    scaled = logits / temperature
    top = softmax(scaled).amax(1)  # (n,)
    # the prediction is the largest logit, whatever T (dividing could round two into a tie)
    hit = (logits.argmax(1) == labels).to(top.dtype)  # (n,)
    edges = torch.linspace(0, 1, n_bins + 1, dtype=top.dtype)
    # bin b holds (edges[b], edges[b + 1]]; a top probability is above 1 / K > 0
    which = (torch.bucketize(top, edges) - 1).clamp(0, n_bins - 1)  # (n,)
    counts = torch.bincount(which, minlength=n_bins)  # (B,)
    sums = torch.zeros(2, n_bins, dtype=top.dtype).index_add_(1, which, torch.stack([top, hit]))
    confidence, accuracy = sums / counts  # nan where a bin is empty (0 / 0)
    share = counts.to(top.dtype) / len(top)
    ece = float(torch.nansum(share * (accuracy - confidence).abs()))
    return Reliability(edges, counts, confidence, accuracy, ece, float(top.mean()),
                       float(hit.mean()), float(cross_entropy(scaled, labels)))  # fmt: skip


def fit_temperature(logits: ArrayLike, labels: ArrayLike) -> float:
    """The T > 0 that minimises the mean cross-entropy of ``logits / T`` (n, K) for
    ``labels`` (n,): a golden-section search on 1 / T, where the loss is convex (a
    log-sum-exp of lines in 1 / T minus a line).

    Three of four points right, each at a margin of 4: the fit makes the top probability
    sigmoid(4 / T) the accuracy, 0.75, so T = 4 / ln 3.

    >>> round(fit_temperature([[4.0, 0.0], [4.0, 0.0], [0.0, 4.0], [4.0, 0.0]], [0, 0, 1, 1]),
    ...       4), round(4 / math.log(3), 4)
    (3.641, 3.641)
    """
    logits = as_float_tensor(logits).to(torch.float64)
    labels = torch.as_tensor(labels)

    def loss(beta: float) -> float:
        return float(cross_entropy(logits * beta, labels))

    low, high = BETA_RANGE
    a, b = high - GOLDEN * (high - low), low + GOLDEN * (high - low)
    loss_a, loss_b = loss(a), loss(b)
    while high - low > 1e-7 * (1 + high):
        if loss_a < loss_b:
            high, b, loss_b = b, a, loss_a
            a = high - GOLDEN * (high - low)
            loss_a = loss(a)
        else:
            low, a, loss_a = a, b, loss_b
            b = low + GOLDEN * (high - low)
            loss_b = loss(b)
    return 1 / ((low + high) / 2)


@dataclass(frozen=True)
class Calibration:
    """A model before and after temperature scaling: T fitted on one set of held-out points,
    both reliabilities measured on another (fitting and judging on the same points would
    flatter T)."""

    temperature: float
    before: Reliability
    after: Reliability


def calibrate(
    fit_logits: ArrayLike,
    fit_labels: ArrayLike,
    test_logits: ArrayLike,
    test_labels: ArrayLike,
    n_bins: int = N_BINS,
) -> Calibration:
    """T fitted on (``fit_logits`` (m, K), ``fit_labels`` (m,)), and the reliability of
    (``test_logits`` (n, K), ``test_labels`` (n,)) at T = 1 and at the fitted T."""
    temperature = fit_temperature(fit_logits, fit_labels)
    return Calibration(
        temperature,
        reliability(test_logits, test_labels, 1.0, n_bins),
        reliability(test_logits, test_labels, temperature, n_bins),
    )
