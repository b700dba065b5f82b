"""Small computations the concept pages show: sigmoid, entropy, softmax with temperature and
its sweeps, where the naive softmax overflows, one-hot rows and the spreadsheet's product.
Torch only; PyTorch's own functions are the check.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import torch

from ce_core import primitives as P
from ce_core.errors import InputError
from ce_core.functional import ArrayLike, as_float_tensor, cross_entropy, nll_loss, softmax
from ce_core.information import entropy
from ce_core.reference import loss_options

if TYPE_CHECKING:
    from ce_core.stages import Stages


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
        raise InputError("temperature_not_positive", argument="temperature", value=temperature)
    return softmax(as_float_tensor(logits) / temperature, dim)


def softmax_by_temperature(logits: ArrayLike, temperatures: ArrayLike) -> torch.Tensor:
    """(T, C): row k is ``softmax(acts / temperatures[k])``, acts (C,); one batched softmax.

    >>> softmax_by_temperature([2.0, 0.0], [1.0, 2.0])
    tensor([[0.8808, 0.1192],
            [0.7311, 0.2689]])
    """
    logits, temperatures = as_float_tensor(logits), as_float_tensor(temperatures)
    if not bool((temperatures > 0).all()):
        raise InputError("temperature_not_positive", argument="temperature",
                         value=float(temperatures.min()))  # fmt: skip
    return softmax(logits[None, :] / temperatures[:, None].to(logits.dtype))


def entropy_by_temperature(logits: ArrayLike, temperatures: ArrayLike) -> torch.Tensor:
    """The entropy of ``softmax(acts / T)`` for each of ``temperatures`` (T,), acts (C,):
    one batched softmax over a (T, C) matrix.

    >>> entropy_by_temperature([2.0, 0.0], [1e-3, 1e3])
    tensor([0.0000, 0.6931])
    """
    return entropy(softmax_by_temperature(logits, temperatures))


def confidence_curve(gaps: ArrayLike, n_classes: int) -> torch.Tensor:
    """(G, C): row g is ``softmax([gap_g, 0, ..., 0])``, one class ``gap`` above the others.

    >>> confidence_curve([0.0, math.log(2)], 2)
    tensor([[0.5000, 0.5000],
            [0.6667, 0.3333]])
    """
    gaps = as_float_tensor(gaps)
    rows = torch.zeros(len(gaps), n_classes, dtype=gaps.dtype)
    rows[:, 0] = gaps
    return softmax(rows)


def double_softmax_bound(n_classes: int) -> float:
    """The most a target can get from a softmax taken twice: ``e / (e + C - 1)``.

    The second softmax's inputs are probabilities, in [0, 1]: at best the target's is 1 and
    every other 0. So ``-ln p(target)`` never falls below ``ln(1 + (C - 1) / e)``.

    >>> round(double_softmax_bound(2), 4), round(double_softmax_bound(37), 4)
    (0.7311, 0.0702)
    """
    if n_classes < 2:
        raise InputError("too_few_classes", argument="n_classes", n_classes=n_classes)
    return math.e / (math.e + n_classes - 1)


@dataclass(frozen=True)
class AgainstGuessing:
    """A batch's loss beside the loss of guessing every class equally (scalars)."""

    mean_loss: float  # the loss with reduction "mean", whatever the page's reduction
    guessing_loss: float  # the same loss for all-equal activations: ln C
    perplexity: float  # e^mean_loss
    typical_p: float  # e^-mean_loss: the (weighted) geometric mean of p(target)


def against_guessing(stages: Stages) -> AgainstGuessing:
    """The stages' mean loss, its perplexity, and the loss of a uniform guess.

    The mean is the stages' own losses over their denominator, whatever the reduction. The
    guess is computed, not assumed: the same targets and options on all-zero activations
    (every class 1 / C). For normalized targets that is ln C, with rows ignored, weighted or
    smoothed; with class weights and label smoothing together it differs (PyTorch's
    weighted mean divides the smoothing term, which weighs every class, by the targets'
    weights).
    """
    options = loss_options(stages).kwargs() | {"reduction": "mean"}
    mean = float(P.reduce(stages.losses, "mean", stages.denominator))
    with torch.no_grad():
        guess = float(cross_entropy(torch.zeros_like(stages.logits), stages.target, **options))
    return AgainstGuessing(mean, guess, math.exp(mean), math.exp(-mean))


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


def negative_log(probs: ArrayLike) -> torch.Tensor:
    """``-log(p)``, the loss of a target given probability p: 0 at p = 1, growing without
    bound as p -> 0 (inf at exactly 0).

    >>> negative_log([0.99, 0.999])
    tensor([0.0101, 0.0010])
    """
    return -as_float_tensor(probs).log() + 0.0  # + 0.0: -log(1) is -0.0, shown as "-0.0000"


def one_hot(targets: ArrayLike, n_classes: int, dtype: torch.dtype = torch.float64) -> torch.Tensor:
    """(N,) class indices -> (N, C) rows of 0s with a 1 at the target.

    >>> one_hot([1, 0], 3)
    tensor([[0., 1., 0.],
            [1., 0., 0.]], dtype=torch.float64)
    """
    return torch.nn.functional.one_hot(torch.as_tensor(targets), n_classes).to(dtype)


def one_hot_log_loss(one_hot: ArrayLike, probs: ArrayLike) -> torch.Tensor:
    """The spreadsheet's cross-entropy per row: ``-sum(one_hot * log(probs))`` (N, C) -> (N,).

    >>> one_hot_log_loss([[1.0, 0.0]], [[0.9, 0.1]])
    tensor([0.1054])
    """
    one_hot, probs = as_float_tensor(one_hot), as_float_tensor(probs)
    # where, not a plain product: a 0 in one_hot times log(0) = -inf must stay 0
    return -torch.where(one_hot > 0, one_hot * probs.log(), 0.0).sum(-1)


@dataclass(frozen=True)
class OneHotLookup:
    """The spreadsheet's two ways to one loss per row, and Excel's base-10 version."""

    one_hot: torch.Tensor  # (N, C)
    probs: torch.Tensor  # (N, C) softmax
    by_product: torch.Tensor  # (N,) -sum(one_hot * ln p)
    by_lookup: torch.Tensor  # (N,) -ln p[idx, targ]
    by_lookup_log10: torch.Tensor  # (N,) -log10 p[idx, targ]: Excel's LOG
    by_if: torch.Tensor  # (N,) the sheet's IF column: -ln p(cat) if a cat, else -ln p(dog)


def one_hot_vs_lookup(logits: ArrayLike, targets: ArrayLike) -> OneHotLookup:
    """Seed 003's spreadsheet: one-hot times log, summed, is the same as looking up the log
    of the target's probability; Excel's LOG is base 10.

    >>> table = one_hot_vs_lookup([[0.0, 0.0]], [0])
    >>> [round(float(v[0]), 4) for v in (table.by_product, table.by_lookup, table.by_lookup_log10)]
    [0.6931, 0.6931, 0.301]
    """
    probs = softmax(torch.as_tensor(logits, dtype=torch.float64))
    targets = torch.as_tensor(targets)
    hot = one_hot(targets, probs.shape[1])
    by_lookup = nll_loss(probs.log(), targets, reduction="none")
    # IF(isCat, LN(p_cat), LN(p_dog)): the two-branch pick, so two classes only (the sheet's)
    by_if = -where_vs_index(probs, targets).by_where.log()
    return OneHotLookup(hot, probs, one_hot_log_loss(hot, probs), by_lookup,
                        by_lookup / math.log(10), by_if)  # fmt: skip


@dataclass(frozen=True)
class WhereVsIndex:
    """The book's binary pick, ``torch.where``, beside the indexing that generalizes it."""

    by_where: torch.Tensor  # (N,) where(targ == 1, p[:, 1], p[:, 0]): two branches only
    by_index: torch.Tensor  # (N,) p[idx, targ]: one of C columns per row
    mnist_loss: float  # the book's mnist_loss on these predictions: mean(1 - p[idx, targ])


def where_vs_index(probs: ArrayLike, targets: ArrayLike) -> WhereVsIndex:
    """Why the book's ``torch.where(targets == 1, ...)`` stops at two classes.

    ``mnist_loss`` (chapter 4) picks between two columns with ``torch.where``; with C > 2
    classes a row whose target is 2 or more still gets column 0, because ``where`` has two
    branches. Indexing ``probs[idx, targ]`` picks any of the C columns. (N, C), (N,).

    >>> w = where_vs_index([[0.25, 0.25, 0.5]], [2])
    >>> float(w.by_where[0]), float(w.by_index[0])
    (0.25, 0.5)
    """
    probs = as_float_tensor(probs)
    targets = torch.as_tensor(targets)
    by_index = probs[torch.arange(len(targets)), targets]
    by_where = torch.where(targets == 1, probs[:, 1], probs[:, 0])
    return WhereVsIndex(by_where, by_index, float((1 - by_index).mean()))


def product_and_log_sum(probs: ArrayLike) -> tuple[torch.Tensor, torch.Tensor]:
    """(prod(p), sum(log p)) in the input's dtype: the product underflows to 0 long before
    the sum of logs leaves the range of ordinary numbers.

    >>> product_and_log_sum(torch.full((200,), 0.01))
    (tensor(0.), tensor(-921.0342))
    """
    probs = as_float_tensor(probs)
    return probs.prod(-1), probs.log().sum(-1)
