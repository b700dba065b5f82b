"""Small computations the concept pages show: sigmoid, entropy, softmax with temperature,
and where the naive softmax overflows. Torch only; PyTorch's own functions are the check.
"""

from __future__ import annotations

import math

import torch

from ce_core.functional import ArrayLike, as_float_tensor, softmax


def sigmoid(x: ArrayLike) -> torch.Tensor:
    """``1 / (1 + exp(-x))``, elementwise, written so that neither branch overflows.

    >>> sigmoid([0.0, 1000.0, -1000.0])
    tensor([0.5000, 1.0000, 0.0000])
    """
    x = as_float_tensor(x)
    # For x < 0 use exp(x) / (1 + exp(x)): exp of a negative number never overflows.
    z = torch.exp(-x.abs())
    return torch.where(x >= 0, 1 / (1 + z), z / (1 + z))


def softmax_temperature(logits: ArrayLike, temperature: float, dim: int = -1) -> torch.Tensor:
    """``softmax(acts / T)``: T > 1 flattens the distribution, T < 1 sharpens it.

    >>> softmax_temperature([2.0, 0.0], 2.0)
    tensor([0.7311, 0.2689])
    """
    if not temperature > 0:
        raise ValueError(f"temperature must be positive, not {temperature!r}")
    return softmax(as_float_tensor(logits) / temperature, dim)


def entropy(probs: ArrayLike, dim: int = -1) -> torch.Tensor:
    """``-sum(p * log p)`` in nats, with 0 * log 0 = 0. Between 0 (one class) and ln C (uniform).

    >>> entropy([0.5, 0.5])
    tensor(0.6931)
    """
    probs = as_float_tensor(probs)
    terms = torch.where(
        probs > 0, probs * probs.clamp_min(torch.finfo(probs.dtype).tiny).log(), 0.0
    )
    return -terms.sum(dim)


def exp_overflow_threshold(dtype: torch.dtype) -> float:
    """The largest x whose exp is finite in ``dtype``: ln(max) (88.72 float32, 709.78 float64).

    >>> round(exp_overflow_threshold(torch.float32), 2)
    88.72
    """
    return math.log(torch.finfo(dtype).max)


def softmax_parts(logits: ArrayLike) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """The book's softmax in its three visible parts for one row (C,): ``exp(acts)``, their
    sum, and ``exp / sum`` (computed the stable way, so it stays exact where exp overflows).

    >>> exp, total, probs = softmax_parts([0.0, 0.0])
    >>> exp, total, probs
    (tensor([1., 1.]), tensor(2.), tensor([0.5000, 0.5000]))
    """
    logits = as_float_tensor(logits)
    exp = logits.exp()
    return exp, exp.sum(-1), softmax(logits)
