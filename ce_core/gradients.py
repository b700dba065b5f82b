"""Gradients: cross-entropy's ``softmax - one_hot`` by autograd, and why not MSE.

``Stages.grad`` is the closed form; ``autograd_grad`` asks PyTorch's autograd for the same
thing, so the Gradients page can show both and their difference. ``loss_curves`` puts four
classification losses side by side for one sample, as functions of its target probability,
with their gradients with respect to the target's logit: the one that matters for learning.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F

from ce_core.errors import InputError
from ce_core.stages import Stages, _on_given_shapes, loss_options

# Loss names for the comparison, in the order the page draws them.
CROSS_ENTROPY = "cross-entropy"
MSE = "MSE on probabilities"
MNIST_LOSS = "mnist_loss (the book's)"
BINARY_CROSS_ENTROPY = "binary cross-entropy"
CURVE_LOSSES = (CROSS_ENTROPY, MSE, MNIST_LOSS, BINARY_CROSS_ENTROPY)


def autograd_grad(stages: Stages) -> torch.Tensor:
    """(N, C) d loss / d logits by PyTorch's autograd through ``F.cross_entropy``.

    Same input, options and device as ``stages``; for ``reduction="none"`` the gradient of
    the sum of the per-sample losses (as ``Stages.grad``).
    """
    acts = stages.logits.detach().clone().requires_grad_(True)  # (N, C)
    with torch.enable_grad():
        loss = _on_given_shapes(
            F.cross_entropy, acts, stages.target, loss_options(stages), stages.single_sample
        )
        loss.sum().backward()
    return acts.grad


def gradient_step(logits: torch.Tensor, grad: torch.Tensor, lr: float) -> torch.Tensor:
    """One step of gradient descent on the activations themselves: ``acts - lr * grad``.

    (N, C) -> (N, C). As if the model could move its outputs freely; a real model moves
    its weights, and the outputs follow.
    """
    if not lr > 0:
        raise InputError(f"the learning rate must be positive, not {lr!r}", argument="lr")
    return logits - lr * grad


@dataclass(frozen=True)
class LossCurve:
    """One loss for a sample whose target probability runs over a grid of P values."""

    name: str
    loss: torch.Tensor  # (P,)
    grad: torch.Tensor  # (P,) d loss / d (the target's logit)


def _mnist_loss(probs: torch.Tensor, one_hot: torch.Tensor) -> torch.Tensor:
    """The book's ``mnist_loss`` per sample, on probabilities already squashed: 1 - p_target.

    ``torch.where(targets == 1, 1 - predictions, predictions)`` read at the target.
    """
    return torch.where(one_hot == 1, 1 - probs, probs).mul(one_hot).sum(1)


def loss_curves(target_prob: torch.Tensor, n_classes: int = 2) -> list[LossCurve]:
    """Four losses for one sample of ``n_classes`` classes, target probability ``p``, (P,).

    The sample's logits are ``log([p, (1-p)/(C-1), ...])`` (so softmax gives back ``p`` for
    the target and shares the rest evenly). Each loss's gradient with respect to the
    target's logit comes from autograd; cross-entropy's is ``p - 1``, while MSE's and
    mnist_loss's carry a factor ``p (1 - p)`` that vanishes when the model is confidently
    wrong (p near 0): the reason classifiers train with cross-entropy.

    >>> ce, mse, mnist, bce = loss_curves(torch.tensor([0.01, 0.5], dtype=torch.float64))
    >>> ce.grad.tolist(), [round(g, 4) for g in mse.grad.tolist()]
    ([-0.99, -0.5], [-0.0196, -0.25])
    """
    if n_classes < 2:
        raise InputError(f"need at least 2 classes, not {n_classes}", argument="n_classes")
    p = torch.as_tensor(target_prob, dtype=torch.float64).reshape(-1)  # (P,)
    if not bool(((p > 0) & (p < 1)).all()):
        raise InputError(
            "target probabilities must lie strictly between 0 and 1", argument="target_prob"
        )
    rest = ((1 - p) / (n_classes - 1))[:, None].expand(-1, n_classes - 1)  # (P, C-1)
    base_logits = torch.cat([p[:, None], rest], dim=1).log()  # (P, C), target = class 0
    target = torch.zeros(len(p), dtype=torch.long)
    one_hot = F.one_hot(target, n_classes).to(p.dtype)  # (P, C)

    per_sample = {
        CROSS_ENTROPY: lambda z: F.cross_entropy(z, target, reduction="none"),
        MSE: lambda z: ((z.softmax(1) - one_hot) ** 2).mean(1),
        MNIST_LOSS: lambda z: _mnist_loss(z.softmax(1), one_hot),
        BINARY_CROSS_ENTROPY: lambda z: F.binary_cross_entropy(
            z.softmax(1), one_hot, reduction="none"
        ).mean(1),
    }
    curves = []
    for name, loss_of in per_sample.items():
        logits = base_logits.clone().requires_grad_(True)
        with torch.enable_grad():
            loss = loss_of(logits)  # (P,) one independent sample per grid point
            loss.sum().backward()
        curves.append(LossCurve(name, loss.detach(), logits.grad[:, 0]))
    return curves
