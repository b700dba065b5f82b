"""``explain``: every stage from raw activations to the reduced loss, plus PyTorch's check.

This is the UI's single entry point. It reads what a learner typed (on the CPU), moves the
numbers to the chosen device and dtype, and computes the chain the book walks through:

    acts -> acts - max -> exp -> row sums -> softmax -> sm_acts[idx, targ] -> log -> negate
         -> reduce

with the same ``primitives`` as ``cross_entropy``, then the gradient of the reduced loss, and
``F.cross_entropy`` on the same input and device as the reference the app shows next to its
own number (``reference``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import torch
import torch.nn.functional as F

from ce_core import primitives as P
from ce_core import reference
from ce_core.coerce import (
    ArrayLike,
    as_class_names,
    as_index_targets,
    as_matrix,
    as_probability_targets,
    is_probability_target,
    is_single_row,
)
from ce_core.options import (
    Reduction,
    as_class_weight,
    as_ignore_index,
    as_label_smoothing,
    check_reduction,
    resolve_device,
    resolve_dtype,
)


@dataclass(frozen=True, eq=False)
class Stages:
    """Every intermediate of cross-entropy for a batch of N rows and C classes.

    All tensors live on ``device``. A single sample of shape (C,) is explained as a batch of
    one, so every per-row field has a leading dimension N >= 1.
    """

    # inputs, as computed on
    logits: torch.Tensor  # (N, C) acts
    target: torch.Tensor  # (N,) class indices, or (N, C) class probabilities
    target_kind: str  # "index" | "probability"
    class_names: tuple[str, ...]  # (C,)
    weight: torch.Tensor | None  # (C,) class weights, None = all ones
    ignore_index: int
    reduction: str
    label_smoothing: float
    single_sample: bool  # the input was (C,), not (N, C)

    # softmax, the stable way
    row_max: torch.Tensor  # (N,) m = acts.max(dim=1)
    shifted: torch.Tensor  # (N, C) acts - m, all <= 0
    exp: torch.Tensor  # (N, C) exp(acts - m), in (0, 1]
    exp_sum: torch.Tensor  # (N,) sum of exp(acts - m), in [1, C]
    log_sum_exp: torch.Tensor  # (N,) logsumexp(acts) = log(exp_sum) + m
    probs: torch.Tensor  # (N, C) sm_acts = exp / exp_sum
    log_probs: torch.Tensor  # (N, C) log_softmax = shifted - log(exp_sum)

    # the target and the loss
    ignored: torch.Tensor  # (N,) bool, target == ignore_index (always False for probabilities)
    target_prob: torch.Tensor  # (N,) sm_acts[idx, targ]; expected probability for soft targets
    target_log_prob: torch.Tensor  # (N,) log_softmax[idx, targ]; expected log-prob for soft
    target_weight: torch.Tensor  # (N,) weight of each row in the mean (0 for ignored rows)
    losses: torch.Tensor  # (N,) per-sample loss, reduction="none"
    denominator: torch.Tensor  # () what "mean" divides by: sum of target weights, or N
    loss: torch.Tensor  # () reduced loss, or (N,) when reduction="none"
    grad: torch.Tensor  # (N, C) d loss / d logits (of losses.sum() for "none")

    # the check
    reference_loss: torch.Tensor  # same shape as loss: F.cross_entropy on the same input
    max_abs_diff: float  # max |loss - reference_loss|, nan positions that agree count as 0
    device: str
    dtype: str

    @property
    def n_rows(self) -> int:
        return self.logits.shape[0]

    @property
    def n_classes(self) -> int:
        return self.logits.shape[1]

    def target_distribution(self) -> torch.Tensor:
        """(N, C) the distribution each row's loss is taken against, before class weights.

        A one-hot row for a class index, the given row for probability targets; label
        smoothing mixes in ``eps / C`` everywhere; ignored rows are all zeros. With it,
        ``losses == -(target_distribution() * weight * log_probs).sum(1)``: the seed's
        "one-hot times log" is the same as looking up the target's log.
        """
        return _target_distribution(
            self.target, self.target_kind, self.ignored, self.n_classes, self.label_smoothing,
            self.logits.dtype,
        )  # fmt: skip


def _target_distribution(
    target: torch.Tensor,
    kind: str,
    ignored: torch.Tensor,
    n_classes: int,
    eps: float,
    dtype: torch.dtype,
) -> torch.Tensor:
    """(N, C): one-hot (or the given probabilities), smoothed, zero rows where ignored."""
    if kind == "probability":
        dist = target.to(dtype)
    else:
        dist = F.one_hot(target.masked_fill(ignored, 0), n_classes).to(dtype)
    return P.smooth(dist, eps).masked_fill(ignored[:, None], 0.0)


def explain(
    logits: ArrayLike,
    target: ArrayLike,
    *,
    weight: ArrayLike | None = None,
    ignore_index: int = -100,
    reduction: Reduction = "mean",
    label_smoothing: float = 0.0,
    device: str | torch.device = "auto",
    dtype: torch.dtype | str | None = None,
    class_names: Sequence[str] | None = None,
    require_normalized: bool = True,
) -> Stages:
    """Validate a learner's input and compute every stage of cross-entropy on ``device``.

    ``logits``: (N, C) or (C,) numbers (tensor, numpy array, nested lists, text cells).
    ``target``: (N,) class indices (or class names when ``class_names`` are given), or class
    probabilities of the same shape as ``logits``. Raises :class:`InputError`, naming the
    argument, row or cell, for anything that cannot be computed; all checks run on the CPU
    before anything is sent to the device. ``require_normalized=False`` accepts probability
    rows that do not sum to 1, as PyTorch does.

    >>> s = explain([[-0.9916, -2.2545], [0.1560, -1.9368]], [0, 1], device="cpu")
    >>> s.target_prob, s.losses, s.loss
    (tensor([0.7795, 0.1098]), tensor([0.2491, 2.2091]), tensor(1.2291))
    """
    check_reduction(reduction)
    eps = as_label_smoothing(label_smoothing)
    ignore_index = as_ignore_index(ignore_index)
    target_device = resolve_device(device)
    target_dtype = resolve_dtype(dtype)
    single = is_single_row(logits)

    acts = as_matrix(logits, class_names=class_names)  # (N, C)
    n_rows, n_classes = acts.shape
    names = as_class_names(class_names, n_classes)
    kind = "probability" if is_probability_target(target, 1 if single else 2) else "index"
    if kind == "probability":
        targ = as_probability_targets(target, (n_rows, n_classes), class_names=class_names,
                                      require_normalized=require_normalized)  # fmt: skip
    else:
        targ = as_index_targets(target, n_rows, n_classes, ignore_index=ignore_index,
                                class_names=class_names)  # fmt: skip
    class_weight = as_class_weight(weight, n_classes, class_names)

    # Everything is valid: now, and only now, move to the device.
    acts = acts.to(device=target_device, dtype=target_dtype or acts.dtype)
    targ = targ.to(device=target_device, dtype=acts.dtype if kind == "probability" else None)
    if class_weight is not None:
        class_weight = class_weight.to(device=target_device, dtype=acts.dtype)
    with torch.no_grad():
        return _compute(acts, targ, kind, names, class_weight, ignore_index, reduction, eps, single)


def _compute(
    acts: torch.Tensor,
    targ: torch.Tensor,
    kind: str,
    names: tuple[str, ...],
    weight: torch.Tensor | None,
    ignore_index: int,
    reduction: str,
    eps: float,
    single: bool,
) -> Stages:
    row_max = P.row_max(acts, 1)  # (N, 1)
    shifted = acts - row_max  # (N, C)
    exp = shifted.exp()  # (N, C)
    exp_sum = exp.sum(1, keepdim=True)  # (N, 1)
    log_exp_sum = exp_sum.log()  # (N, 1)
    probs = exp / exp_sum  # (N, C)
    log_probs = shifted - log_exp_sum  # (N, C)

    if kind == "index":
        ignored, safe = P.safe_targets(targ, ignore_index)  # (N,), (N,)
        nan = torch.full((), math.nan, dtype=probs.dtype, device=probs.device)
        target_prob = P.pick(probs, safe).where(~ignored, nan)  # sm_acts[idx, targ]
        target_log_prob = P.pick(log_probs, safe).where(~ignored, nan)
        target_weight = P.target_weights(safe, ignored, weight, target_prob)
        smooth_nll = -P.weighted_row_sum(log_probs, weight) if eps > 0 else None
        losses = P.index_target_losses(-target_log_prob, smooth_nll, target_weight, ignored, eps,
                                       acts.shape[1])  # fmt: skip
        denominator = target_weight.sum()
    else:
        ignored = torch.zeros(acts.shape[0], dtype=torch.bool, device=acts.device)
        target_prob = (targ * probs).sum(1)  # the probability expected under the target
        target_log_prob = (targ * log_probs).sum(1)
        target_weight = torch.ones_like(target_prob)
        losses = P.probability_target_losses(log_probs, targ, weight, eps)
        denominator = torch.tensor(float(acts.shape[0]), dtype=acts.dtype, device=acts.device)
    loss = P.reduce(losses, reduction, denominator)

    scale = 1.0 / denominator if reduction == "mean" else torch.ones_like(denominator)
    options = reference.LossOptions(weight, ignore_index, reduction, eps)
    reference_loss = reference.reference_loss(acts, targ, options, single)
    return Stages(
        logits=acts, target=targ, target_kind=kind, class_names=names, weight=weight,
        ignore_index=ignore_index, reduction=reduction, label_smoothing=eps,
        single_sample=single, row_max=row_max[:, 0], shifted=shifted, exp=exp,
        exp_sum=exp_sum[:, 0], log_sum_exp=(log_exp_sum + row_max)[:, 0], probs=probs,
        log_probs=log_probs, ignored=ignored, target_prob=target_prob,
        target_log_prob=target_log_prob, target_weight=target_weight, losses=losses,
        denominator=denominator, loss=loss,
        grad=_grad(probs, targ, kind, ignored, weight, eps, scale),
        reference_loss=reference_loss, max_abs_diff=reference.max_abs_diff(loss, reference_loss),
        device=str(acts.device), dtype=str(acts.dtype).removeprefix("torch."),
    )  # fmt: skip


def _grad(
    probs: torch.Tensor,
    targ: torch.Tensor,
    kind: str,
    ignored: torch.Tensor,
    weight: torch.Tensor | None,
    eps: float,
    scale: torch.Tensor,
) -> torch.Tensor:
    """(N, C) d loss / d logits, in closed form.

    Each row's loss is ``-sum_c q_c log_softmax(x)_c`` with ``q = weight * target
    distribution``, and d/dx of that is ``sum(q) * softmax(x) - q``: for a one-hot target
    without weights, the book's "softmax minus one-hot". ``scale`` is 1 / denominator for
    "mean". Ignored rows get exactly 0, as PyTorch's autograd gives them.
    """
    n_classes = probs.shape[1]
    if kind == "probability":
        dist = _target_distribution(targ, kind, ignored, n_classes, eps, probs.dtype)
        coef = dist if weight is None else dist * weight  # (N, C)
        return (coef.sum(1, keepdim=True) * probs - coef) * scale

    # Class indices: q = (1 - eps) * w[targ] * one_hot + (eps / C) * w, built without
    # materializing the one-hot: scale the softmax per row, then subtract q in place.
    safe = targ.masked_fill(ignored, 0)  # (N,)
    class_weight = torch.ones(n_classes, dtype=probs.dtype, device=probs.device)
    if weight is not None:
        class_weight = weight
    target_coef = (1 - eps) * class_weight[safe] * scale  # (N,)
    smooth_coef = (eps / n_classes) * class_weight * scale  # (C,)
    # Masking the (N,) coefficients, not the (N, C) result: 0 * inf stays out when the
    # denominator is 0 (every row ignored).
    row_coef = (target_coef + smooth_coef.sum()).masked_fill(ignored, 0.0)  # (N,) sum(q) * scale
    grad = probs * row_coef[:, None]  # (N, C)
    grad.scatter_add_(1, safe[:, None], -target_coef.masked_fill(ignored, 0.0)[:, None])
    if eps > 0:
        grad -= smooth_coef
        grad.masked_fill_(ignored[:, None], 0.0)
    return grad
