"""Gradients: reference.autograd_grad against the closed form, and the four losses' gradients."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given
from test_properties import batches
from torch_compare import assert_close

import ce_core
from ce_core.gradients import (
    BINARY_CROSS_ENTROPY,
    CROSS_ENTROPY,
    DEPENDS_ON_CLASS_COUNT,
    MNIST_LOSS,
    MSE,
    gradient_step,
    loss_curves,
)
from ce_core.reference import autograd_grad

PRESET = ce_core.PRESETS["3-vs-7"]
OPTIONS = [
    {},
    {"reduction": "sum"},
    {"reduction": "none"},
    {"weight": [1.0, 3.0], "label_smoothing": 0.1},
    {"ignore_index": 1},
]


@pytest.mark.parametrize("options", OPTIONS, ids=str)
def test_autograd_equals_softmax_minus_one_hot(options, device):
    stages = ce_core.explain(PRESET.logits, PRESET.targets, device=device, **options)
    by_autograd = autograd_grad(stages)
    assert by_autograd.device.type == torch.device(device).type
    assert_close(by_autograd, stages.grad, torch.float32)
    if not options:  # the book's formula, literally
        acts = torch.tensor(PRESET.logits, device=device)
        one_hot = F.one_hot(torch.tensor(PRESET.targets, device=device), 2)
        assert_close(by_autograd, (torch.softmax(acts, 1) - one_hot) / 6, torch.float32)


def test_autograd_on_a_single_sample():
    stages = ce_core.explain(PRESET.logits[0], 1, device="cpu")
    assert autograd_grad(stages).shape == (1, 2)
    assert_close(autograd_grad(stages), stages.grad, torch.float32)


@given(batches(max_rows=5, max_classes=6))
def test_each_rows_gradient_sums_to_zero(batch):
    logits, targets = batch
    grad = autograd_grad(ce_core.explain(logits, targets, device="cpu"))
    assert_close(grad.sum(1), torch.zeros(len(logits), dtype=grad.dtype), torch.float64)


def test_a_small_step_lowers_the_loss():
    stages = ce_core.explain(PRESET.logits, PRESET.targets, device="cpu")
    stepped = gradient_step(stages.logits, stages.grad, lr=1.0)
    after = ce_core.explain(stepped, PRESET.targets, device="cpu")
    assert float(after.loss) < float(stages.loss)
    assert bool((after.target_prob > stages.target_prob).all())


@pytest.mark.parametrize("lr", [0.0, -1.0, float("nan")])
def test_a_step_needs_a_positive_learning_rate(lr):
    stages = ce_core.explain(PRESET.logits, PRESET.targets, device="cpu")
    with pytest.raises(ce_core.InputError, match="learning rate"):
        gradient_step(stages.logits, stages.grad, lr)


P = torch.tensor([0.001, 0.01, 0.2, 0.5, 0.8, 0.999], dtype=torch.float64)


def test_two_class_curves_match_their_closed_forms():
    curves = {c.key: c for c in loss_curves(P, n_classes=2)}
    q = 1 - P
    assert_close(curves[CROSS_ENTROPY].loss, -P.log(), torch.float64)
    assert_close(curves[CROSS_ENTROPY].grad, P - 1, torch.float64)
    assert_close(curves[MSE].loss, q**2, torch.float64)  # ((1-p)^2 + (1-p)^2) / 2
    assert_close(curves[MSE].grad, -2 * P * q**2, torch.float64)
    assert_close(curves[MNIST_LOSS].loss, q, torch.float64)
    assert_close(curves[MNIST_LOSS].grad, -P * q, torch.float64)
    # with two classes binary cross-entropy is cross-entropy
    assert_close(curves[BINARY_CROSS_ENTROPY].loss, curves[CROSS_ENTROPY].loss, torch.float64)


@pytest.mark.parametrize("n_classes", [2, 3, 10])
def test_only_cross_entropy_keeps_pushing_when_confidently_wrong(n_classes):
    curves = {c.key: c for c in loss_curves(P, n_classes)}
    assert float(curves[CROSS_ENTROPY].grad[0]) == pytest.approx(-0.999)
    for name in (MSE, MNIST_LOSS):
        assert abs(float(curves[name].grad[0])) < 0.01  # vanishes at p = 0.001
    for curve in curves.values():
        assert bool((curve.grad <= 0).all())  # every loss wants p up
        assert bool((curve.loss[:-1] >= curve.loss[1:]).all())  # and falls as p rises


@pytest.mark.parametrize("bad", [[0.0], [1.0], [-0.5], [float("nan")]])
def test_curves_need_probabilities_strictly_inside(bad):
    with pytest.raises(ce_core.InputError, match="strictly between 0 and 1"):
        loss_curves(torch.tensor(bad))


def test_curves_need_two_classes():
    with pytest.raises(ce_core.InputError, match="at least 2 classes"):
        loss_curves(P, n_classes=1)


def test_which_losses_depend_on_the_class_count():
    """The Gradients page draws a loss once, or once per class count, by this set."""
    p = torch.linspace(0.01, 0.99, 25, dtype=torch.float64)
    by_count = {c: {curve.key: curve for curve in loss_curves(p, c)} for c in (2, 3, 10)}
    for key in by_count[2]:
        same = all(
            torch.allclose(by_count[c][key].loss, by_count[2][key].loss, rtol=1e-12)
            and torch.allclose(by_count[c][key].grad, by_count[2][key].grad, rtol=1e-12)
            for c in (3, 10)
        )
        assert same == (key not in DEPENDS_ON_CLASS_COUNT), key
