"""Where the name comes from: surprisal, entropy, cross-entropy of two distributions and the
KL divergence between them, in nats or bits.

For distributions p (the truth) and q (the model's beliefs) over the same C classes:

    surprisal of an event    -log q_c
    entropy                  H(p)    = -sum_c p_c log p_c
    cross-entropy            H(p, q) = -sum_c p_c log q_c   (the average surprisal of the truth
                                                             under the model's beliefs)
    KL divergence            KL(p || q) = sum_c p_c log(p_c / q_c) = H(p, q) - H(p)

A term with p_c = 0 is 0 whatever q_c is (an event that never happens costs nothing); a
class the truth gives p_c > 0 and the model q_c = 0 makes H(p, q) and KL infinite. With a
one-hot p, H(p) = 0 and H(p, q) = KL(p || q) = -log q_target: the loss of
``F.cross_entropy``. ``unit="bits"`` divides by ln 2 (log base 2; 1 nat = 1 / ln 2 bits),
``"log10"`` by ln 10 (the spreadsheet's Excel LOG).
Torch only; ``torch.distributions``, ``F.kl_div`` and ``F.cross_entropy`` are the check.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import torch

from ce_core import primitives as P
from ce_core.coerce import as_row
from ce_core.errors import InputError
from ce_core.functional import ArrayLike, as_float_tensor
from ce_core.options import as_label_smoothing, check_choice
from i18n import Message

Unit = Literal["nats", "bits", "log10"]
UNITS: tuple[str, ...] = ("nats", "bits")  # the page's switch
NATS_PER_BIT = math.log(2)  # 1 bit = ln 2 nats = 0.6931 nats; 1 nat = 1.4427 bits
# One unit of each log base, in nats; "log10" is the spreadsheet's Excel LOG (base 10)
NATS_PER_UNIT = {"nats": 1.0, "bits": NATS_PER_BIT, "log10": math.log(10)}


def in_unit(nats: torch.Tensor, unit: Unit) -> torch.Tensor:
    """Values in nats converted to ``unit`` (same shape): bits = nats / ln 2, base 10 =
    nats / ln 10."""
    check_choice("unit", unit, tuple(NATS_PER_UNIT))
    return nats if unit == "nats" else nats / NATS_PER_UNIT[unit]


def _xlogy(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """``x * log(y)`` with 0 where x = 0, whatever y (even 0): the convention 0 log 0 = 0."""
    return torch.where(x == 0, torch.zeros((), dtype=x.dtype), x * y.log())


def _pair(p: ArrayLike, q: ArrayLike) -> tuple[torch.Tensor, torch.Tensor]:
    p, q = as_float_tensor(p), as_float_tensor(q)
    if p.shape != q.shape:
        raise InputError("distributions_shape", argument="q", p_shape=tuple(p.shape),
                         q_shape=tuple(q.shape))  # fmt: skip
    dtype = torch.promote_types(p.dtype, q.dtype)
    return p.to(dtype), q.to(dtype)


def surprisal(probs: ArrayLike, unit: Unit = "nats") -> torch.Tensor:
    """``-log p`` elementwise (same shape): how surprising an event of probability p is. 0 at
    p = 1, infinite at p = 0.

    >>> surprisal([0.5, 0.99, 0.999], unit="bits")
    tensor([1.0000, 0.0145, 0.0014])
    """
    return in_unit(-as_float_tensor(probs).log(), unit) + 0.0  # + 0.0: -log 1 is -0.0


def entropy(probs: ArrayLike, dim: int = -1, unit: Unit = "nats") -> torch.Tensor:
    """``H(p) = -sum(p * log p)`` along ``dim``, with 0 log 0 = 0: the shape without ``dim``.
    Between 0 (one certain class) and log C (all C classes equally likely).

    >>> entropy([0.5, 0.5]), entropy([0.5, 0.5], unit="bits")
    (tensor(0.6931), tensor(1.))
    """
    probs = as_float_tensor(probs)
    # + 0.0: no "-0.0000" for a certain distribution
    return in_unit(-_xlogy(probs, probs).sum(dim), unit) + 0.0


def cross_entropy_of_distributions(
    p: ArrayLike, q: ArrayLike, dim: int = -1, unit: Unit = "nats"
) -> torch.Tensor:
    """``H(p, q) = -sum(p * log q)`` along ``dim`` (p, q of one shape; the shape without
    ``dim``): the average surprisal, under q, of events drawn from p. Infinite where some
    class has p > 0 and q = 0.

    >>> cross_entropy_of_distributions([1.0, 0.0], [0.25, 0.75])
    tensor(1.3863)
    """
    p, q = _pair(p, q)
    return in_unit(-_xlogy(p, q).sum(dim), unit) + 0.0


def kl_divergence(p: ArrayLike, q: ArrayLike, dim: int = -1, unit: Unit = "nats") -> torch.Tensor:
    """``KL(p || q) = sum(p * (log p - log q))`` along ``dim``: what coding p with q's beliefs
    costs beyond H(p). Never negative; 0 only where q = p; not symmetric.

    >>> kl_divergence([0.5, 0.5], [0.9, 0.1]), kl_divergence([0.9, 0.1], [0.5, 0.5])
    (tensor(0.5108), tensor(0.3681))
    """
    p, q = _pair(p, q)
    # p log p - p log q, each with 0 log 0 = 0: an infinite -p log q stays +inf, never nan
    terms = _xlogy(p, p) - _xlogy(p, q)
    return in_unit(terms.sum(dim).clamp_min(0.0), unit)


@dataclass(frozen=True)
class Comparison:
    """Two distributions over the same C classes, and everything the page shows about them.

    Per class (C,): ``p``, ``q`` (normalised), ``surprisal_q`` (-log q_c, the code length of
    class c under q), ``cross_terms`` (-p_c log q_c, which sum to H(p, q)), ``entropy_terms``
    (-p_c log p_c, which sum to H(p)). Scalars: ``entropy_p`` H(p), ``entropy_q`` H(q),
    ``cross_pq`` H(p, q), ``cross_qp`` H(q, p), ``kl_pq`` KL(p || q), ``kl_qp`` KL(q || p).
    All in ``unit``; ``impossible`` lists the classes where p > 0 and q = 0 (H(p, q) and
    KL(p || q) infinite), ``impossible_reverse`` those where q > 0 and p = 0.
    """

    unit: str
    p: torch.Tensor
    q: torch.Tensor
    surprisal_q: torch.Tensor
    cross_terms: torch.Tensor
    entropy_terms: torch.Tensor
    entropy_p: float
    entropy_q: float
    cross_pq: float
    cross_qp: float
    kl_pq: float
    kl_qp: float
    impossible: list[int]
    impossible_reverse: list[int]


def compare(p: ArrayLike, q: ArrayLike, unit: Unit = "nats") -> Comparison:
    """Everything about a pair of distributions (C,) each: see ``Comparison``.

    >>> c = compare([1.0, 0.0], [0.8, 0.2])
    >>> round(c.entropy_p, 4), round(c.cross_pq, 4), round(c.kl_pq, 4)
    (0.0, 0.2231, 0.2231)
    """
    p, q = _pair(p, q)
    check_choice("unit", unit, tuple(NATS_PER_UNIT))
    return Comparison(
        unit, p, q, surprisal(q, unit), in_unit(-_xlogy(p, q), unit) + 0.0,
        in_unit(-_xlogy(p, p), unit) + 0.0,
        float(entropy(p, unit=unit)), float(entropy(q, unit=unit)),
        float(cross_entropy_of_distributions(p, q, unit=unit)),
        float(cross_entropy_of_distributions(q, p, unit=unit)),
        float(kl_divergence(p, q, unit=unit)), float(kl_divergence(q, p, unit=unit)),
        ((p > 0) & (q == 0)).nonzero().flatten().tolist(),
        ((q > 0) & (p == 0)).nonzero().flatten().tolist(),
    )  # fmt: skip


def as_distribution(
    weights: ArrayLike, *, argument: str, class_names: Sequence[str] | None = None
) -> torch.Tensor:
    """Non-negative weights for C classes (C,), as typed, divided by their sum: a
    distribution (C,) in float64. ``argument`` ("p" or "q") names them in messages, which
    name the cell: empty, not a number, infinite, negative, or all zero.

    >>> as_distribution([2, 1, 1], argument="p")
    tensor([0.5000, 0.2500, 0.2500], dtype=torch.float64)
    """
    what = f"distribution_{argument}"
    values = as_row(weights, argument=argument, what=what, class_names=class_names, low=0.0,
                    outside="probability_negative")  # fmt: skip
    total = float(values.sum())
    if not total > 0:
        raise InputError("distribution_zero", argument=argument, what=Message(f"error.what_{what}"))
    return values / total


def smoothed_target(target: int, n_classes: int, label_smoothing: float) -> torch.Tensor:
    """The target distribution that ``label_smoothing = eps`` trains towards (C,), float64:
    ``(1 - eps) * one_hot + eps / C``. Its entropy is the lowest loss that target allows
    (reached when the model's softmax equals it).

    >>> smoothed_target(0, 2, 0.1)
    tensor([0.9500, 0.0500], dtype=torch.float64)
    """
    if n_classes < 2:
        raise InputError("too_few_classes", argument="n_classes", n_classes=n_classes)
    if not 0 <= target < n_classes:
        raise InputError("target_out_of_range", argument="target", row=0, value=target,
                         n_classes=n_classes, last=n_classes - 1, ignore_index=-100)  # fmt: skip
    one_hot = torch.nn.functional.one_hot(torch.tensor(target), n_classes).to(torch.float64)
    return P.smooth(one_hot, as_label_smoothing(label_smoothing))  # the loss's own smoothing
