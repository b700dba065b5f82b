"""``explain``: every stage from raw activations to the reduced loss, plus PyTorch's check.

This is the UI's single entry point. It validates what a learner typed (on the CPU), moves
the numbers to the chosen device and dtype, and computes the chain the book walks through:

    acts -> acts - max -> exp -> row sums -> softmax -> sm_acts[idx, targ] -> log -> negate
         -> reduce

then the gradient of the reduced loss, and ``F.cross_entropy`` on the same input and device
as the reference the app shows next to its own number.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch
import torch.nn.functional as F

from ce_core.device import resolve_device
from ce_core.errors import InputError
from ce_core.functional import weighted_row_sum
from ce_core.validate import (
    ArrayLike,
    Reduction,
    as_class_weight,
    as_ignore_index,
    as_index_targets,
    as_label_smoothing,
    as_matrix,
    as_probability_targets,
    check_reduction,
    is_probability_target,
    is_single_row,
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

    @property
    def predicted(self) -> torch.Tensor:
        """(N,) the class with the largest activation (computed on demand: argmax is slow)."""
        return self.logits.argmax(1)

    def target_distribution(self) -> torch.Tensor:
        """(N, C) the distribution each row's loss is taken against, before class weights.

        A one-hot row for a class index, the given row for probability targets; label
        smoothing mixes in ``eps / C`` everywhere; ignored rows are all zeros. With it,
        ``losses == -(target_distribution() * weight * log_probs).sum(1)``: the seed's
        "one-hot times log" is the same as looking up the target's log.
        """
        return _target_distribution(
            self.target,
            self.target_kind,
            self.ignored,
            self.n_classes,
            self.label_smoothing,
            self.logits.dtype,
        )


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
    names = _class_names(class_names, n_classes)
    if is_probability_target(target, 1 if single else 2):
        targ = as_probability_targets(
            target,
            (n_rows, n_classes),
            class_names=class_names,
            require_normalized=require_normalized,
        )
        kind = "probability"
    else:
        targ = as_index_targets(
            target, n_rows, n_classes, ignore_index=ignore_index, class_names=class_names
        )
        kind = "index"
    class_weight = as_class_weight(weight, n_classes, class_names)

    # Everything is valid: now, and only now, move to the device.
    acts = acts.to(device=target_device, dtype=target_dtype or acts.dtype)
    targ = targ.to(device=target_device, dtype=acts.dtype if kind == "probability" else None)
    if class_weight is not None:
        class_weight = class_weight.to(device=target_device, dtype=acts.dtype)
    with torch.no_grad():
        return _compute(acts, targ, kind, names, class_weight, ignore_index, reduction, eps, single)


@functools.lru_cache(maxsize=64)
def _default_class_names(n_classes: int) -> tuple[str, ...]:
    return tuple(str(c) for c in range(n_classes))


def _class_names(class_names: Sequence[str] | None, n_classes: int) -> tuple[str, ...]:
    if class_names is None:
        return _default_class_names(n_classes)
    names = tuple(str(name) for name in class_names)
    if len(names) != n_classes:
        raise InputError(
            f"there are {len(names)} class names for {n_classes} classes", argument="class_names"
        )
    if len(set(names)) != len(names):
        raise InputError("class names must be different from each other", argument="class_names")
    return names


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
        safe = target.masked_fill(ignored, 0)
        dist = F.one_hot(safe, n_classes).to(dtype)
    if eps > 0:
        dist = dist * (1 - eps) + eps / n_classes
    return dist.masked_fill(ignored[:, None], 0.0)


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
    row_max = acts.amax(1, keepdim=True)  # (N, 1)
    shifted = acts - row_max  # (N, C)
    exp = shifted.exp()  # (N, C)
    exp_sum = exp.sum(1, keepdim=True)  # (N, 1)
    log_exp_sum = exp_sum.log()  # (N, 1)
    probs = exp / exp_sum  # (N, C)
    log_probs = shifted - log_exp_sum  # (N, C)

    if kind == "index":
        target_stages = _index_target_stages(probs, log_probs, targ, weight, ignore_index, eps)
    else:
        target_stages = _probability_target_stages(probs, log_probs, targ, weight, eps)
    ignored, target_prob, target_log_prob, target_weight, losses, denominator = target_stages

    if reduction == "none":
        loss, scale = losses, torch.ones_like(denominator)
    elif reduction == "sum":
        loss, scale = losses.sum(), torch.ones_like(denominator)
    else:
        loss, scale = losses.sum() / denominator, 1.0 / denominator

    grad = _grad(probs, targ, kind, ignored, weight, eps, scale)
    options = {
        "weight": weight,
        "ignore_index": ignore_index,
        "reduction": reduction,
        "label_smoothing": eps,
    }
    reference = _on_given_shapes(F.cross_entropy, acts, targ, options, single)
    return Stages(
        logits=acts,
        target=targ,
        target_kind=kind,
        class_names=names,
        weight=weight,
        ignore_index=ignore_index,
        reduction=reduction,
        label_smoothing=eps,
        single_sample=single,
        row_max=row_max[:, 0],
        shifted=shifted,
        exp=exp,
        exp_sum=exp_sum[:, 0],
        log_sum_exp=(log_exp_sum + row_max)[:, 0],
        probs=probs,
        log_probs=log_probs,
        ignored=ignored,
        target_prob=target_prob,
        target_log_prob=target_log_prob,
        target_weight=target_weight,
        losses=losses,
        denominator=denominator,
        loss=loss,
        grad=grad,
        reference_loss=reference,
        max_abs_diff=max_abs_diff(loss, reference),
        device=str(acts.device),
        dtype=str(acts.dtype).removeprefix("torch."),
    )


def _index_target_stages(
    probs: torch.Tensor,
    log_probs: torch.Tensor,
    targ: torch.Tensor,
    weight: torch.Tensor | None,
    ignore_index: int,
    eps: float,
) -> tuple[torch.Tensor, ...]:
    """ignored, target_prob, target_log_prob, target_weight, losses (all (N,)), denominator."""
    n_classes = probs.shape[1]
    ignored = targ == ignore_index  # (N,)
    safe = targ.masked_fill(ignored, 0)[:, None]  # (N, 1)
    nan = torch.full((), math.nan, dtype=probs.dtype, device=probs.device)
    target_prob = probs.gather(1, safe)[:, 0].where(~ignored, nan)  # sm_acts[idx, targ]
    target_log_prob = log_probs.gather(1, safe)[:, 0].where(~ignored, nan)
    target_weight = torch.ones_like(target_prob) if weight is None else weight[safe[:, 0]]
    target_weight = target_weight.masked_fill(ignored, 0.0)
    # -w[targ] * log_softmax[idx, targ], picked the way nll_loss picks it (no one-hot
    # product, so an underflowed log-prob elsewhere in the row cannot leak in as 0 * -inf)
    losses = (-target_weight * target_log_prob).masked_fill(ignored, 0.0)
    if eps > 0:
        smooth = -weighted_row_sum(log_probs, weight).masked_fill(ignored, 0.0)
        losses = (1 - eps) * losses + (eps / n_classes) * smooth
    return ignored, target_prob, target_log_prob, target_weight, losses, target_weight.sum()


def _probability_target_stages(
    probs: torch.Tensor,
    log_probs: torch.Tensor,
    targ: torch.Tensor,
    weight: torch.Tensor | None,
    eps: float,
) -> tuple[torch.Tensor, ...]:
    """As ``_index_target_stages`` for targets (N, C) that are probabilities; mean divides by N."""
    n_rows, n_classes = probs.shape
    ignored = torch.zeros(n_rows, dtype=torch.bool, device=probs.device)
    target_prob = (targ * probs).sum(1)  # the probability expected under the target
    target_log_prob = (targ * log_probs).sum(1)
    dist = _target_distribution(targ, "probability", ignored, n_classes, eps, probs.dtype)
    coef = dist if weight is None else dist * weight  # (N, C)
    losses = -(coef * log_probs).sum(1)
    denominator = torch.tensor(float(n_rows), dtype=probs.dtype, device=probs.device)
    return ignored, target_prob, target_log_prob, torch.ones_like(losses), losses, denominator


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
    row_coef = target_coef + smooth_coef.sum()  # (N,) sum(q) * scale
    # Masking the (N,) coefficients, not the (N, C) result: 0 * inf stays out when the
    # denominator is 0 (every row ignored).
    row_coef = row_coef.masked_fill(ignored, 0.0)
    grad = probs * row_coef[:, None]  # (N, C)
    grad.scatter_add_(1, safe[:, None], -target_coef.masked_fill(ignored, 0.0)[:, None])
    if eps > 0:
        grad -= smooth_coef
        grad.masked_fill_(ignored[:, None], 0.0)
    return grad


def _on_given_shapes(
    route: Callable[..., torch.Tensor],
    acts: torch.Tensor,
    targ: torch.Tensor,
    options: dict,
    single: bool,
) -> torch.Tensor:
    """``route(acts, targ, **options)`` on the shapes the learner gave: a single sample (C,)
    goes to PyTorch as (C,), not as the batch of one the stages use, and comes back shaped
    like ``Stages.loss``."""
    ref_acts, ref_targ = (acts[0], targ[0]) if single else (acts, targ)
    # No torch.no_grad here: autograd_grad differentiates through this; the other callers
    # pass tensors that do not require grad (or run under no_grad themselves).
    loss = route(ref_acts, ref_targ, **options)
    return loss.reshape(-1) if single and options["reduction"] == "none" else loss


def max_abs_diff(ours: torch.Tensor, theirs: torch.Tensor) -> float:
    """max |ours - theirs|; positions where both are nan agree (0)."""
    both_nan = ours.isnan() & theirs.isnan()
    diff = (ours - theirs).abs().masked_fill(both_nan, 0.0)
    return float(diff.max()) if diff.numel() else 0.0


def loss_options(stages: Stages) -> dict:
    """The keyword arguments of ``F.cross_entropy`` that reproduce ``stages``' options."""
    return {
        "weight": stages.weight,
        "ignore_index": stages.ignore_index,
        "reduction": stages.reduction,
        "label_smoothing": stages.label_smoothing,
    }


def pytorch_losses(stages: Stages) -> dict[str, torch.Tensor]:
    """PyTorch's two public routes on the same input, options and device as ``stages``.

    ``{"F.cross_entropy": ..., "nn.CrossEntropyLoss": ...}``, each shaped like ``stages.loss``.
    The page shows them next to ce_core's number; ``max_abs_diff`` measures the distance.
    """
    options = loss_options(stages)

    def module_route(acts: torch.Tensor, targ: torch.Tensor, **options: object) -> torch.Tensor:
        return torch.nn.CrossEntropyLoss(**options)(acts, targ)

    module = _on_given_shapes(
        module_route, stages.logits, stages.target, options, stages.single_sample
    )
    return {"F.cross_entropy": stages.reference_loss, "nn.CrossEntropyLoss": module}
