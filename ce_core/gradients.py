"""Gradients: one step on the activations, and why classifiers do not train with MSE.

``Stages.grad`` is cross-entropy's gradient in closed form (``reference.autograd_grad`` is
PyTorch's autograd on the same input). ``loss_curves`` puts four classification losses side
by side for one sample, as functions of its target probability, with their gradients with
respect to the target's logit: the one that matters for learning.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F

from ce_core.errors import InputError

# The losses compared, in the order the page draws them; the text catalog names each
# (``gradients.loss_<key>``).
CROSS_ENTROPY, MSE, MNIST_LOSS, BINARY_CROSS_ENTROPY = (
    "cross_entropy", "mse", "mnist_loss", "binary_cross_entropy",
)  # fmt: skip
# The losses whose curves change with the number of classes: each averages C squared or
# binary errors, and the non-target classes share 1 - p. Cross-entropy (-log p) and
# mnist_loss (1 - p) see the target's probability only.
DEPENDS_ON_CLASS_COUNT = frozenset({MSE, BINARY_CROSS_ENTROPY})


def gradient_step(logits: torch.Tensor, grad: torch.Tensor, lr: float) -> torch.Tensor:
    """One step of gradient descent on the activations themselves: ``acts - lr * grad``.

    (N, C) -> (N, C). As if the model could move its outputs freely; a real model moves
    its weights, and the outputs follow.
    """
    if not lr > 0:
        raise InputError("lr_not_positive", argument="lr", value=lr)
    return logits - lr * grad


@dataclass(frozen=True)
class LossCurve:
    """One loss for a sample whose target probability runs over a grid of P values."""

    key: str  # one of CROSS_ENTROPY, MSE, MNIST_LOSS, BINARY_CROSS_ENTROPY
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
        raise InputError("too_few_classes", argument="n_classes", n_classes=n_classes)
    p = torch.as_tensor(target_prob, dtype=torch.float64).reshape(-1)  # (P,)
    if not bool(((p > 0) & (p < 1)).all()):
        raise InputError("target_prob_range", argument="target_prob")
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
    for key, loss_of in per_sample.items():
        logits = base_logits.clone().requires_grad_(True)
        with torch.enable_grad():
            loss = loss_of(logits)  # (P,) one independent sample per grid point
            loss.sum().backward()
        curves.append(LossCurve(key, loss.detach(), logits.grad[:, 0]))
    return curves


def exact_target_grads(target_prob: torch.Tensor, n_classes: int) -> dict[str, torch.Tensor]:
    """The gradients ``loss_curves`` takes by autograd, in closed form, (P,) each.

    With the target's probability ``p`` and the rest shared evenly by the other ``C - 1``
    classes, the derivatives with respect to the target's logit are: cross-entropy
    ``p - 1``; mnist_loss (``1 - p``) ``-p (1 - p)``; MSE (the mean of the C squared
    errors) ``-2 p (1 - p)^2 / (C - 1)``. The last two carry a factor ``p``.

    >>> {k: round(float(v), 4) for k, v in exact_target_grads(torch.tensor([0.5]), 2).items()}
    {'cross_entropy': -0.5, 'mnist_loss': -0.25, 'mse': -0.25}
    """
    if n_classes < 2:
        raise InputError("too_few_classes", argument="n_classes", n_classes=n_classes)
    p = torch.as_tensor(target_prob, dtype=torch.float64)
    return {
        CROSS_ENTROPY: p - 1,
        MNIST_LOSS: -p * (1 - p),
        MSE: -2 * p * (1 - p) ** 2 / (n_classes - 1),
    }
