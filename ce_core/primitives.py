"""The pieces every loss here is built from, each written once.

In the spirit of jax's ``log_softmax`` and optax's ``softmax_cross_entropy``: shift each row
by its maximum, take the log-sum-exp of the shifted row, and the loss is a two-line
combination of the two. ``functional`` (the four public functions) and ``stages``
(``explain``) are both assembled from these; neither writes the formulas again.

Shapes: a batch is (N, C), one row per sample; per-row results are (N,).
"""

from __future__ import annotations

import torch

from ce_core.options import Reduction


def row_max(logits: torch.Tensor, dim: int = -1) -> torch.Tensor:
    """The maximum along ``dim``, kept as a dimension of size 1: the shift m.

    Detached: the result of softmax does not depend on the shift, so no gradient needs to
    flow through it (and detaching saves amax's backward).
    """
    if logits.dim() and logits.shape[dim] == 0:  # no classes: nothing to shift (amax refuses)
        shape = list(logits.shape)
        shape[dim] = 1
        return logits.new_zeros(shape)
    return logits.amax(dim, keepdim=True).detach()


def shifted_logsumexp(shifted: torch.Tensor, dim: int = -1) -> torch.Tensor:
    """``log(sum(exp(shifted)))`` along ``dim`` (kept, size 1) for rows already shifted by
    their max: every ``exp`` is at most 1 and the sum at least 1, so the log is finite."""
    return shifted.exp().sum(dim, keepdim=True).log()


def log_softmax_of_shifted(shifted: torch.Tensor, dim: int = -1) -> torch.Tensor:
    """``log_softmax(x) = (x - m) - log(sum(exp(x - m)))``, from ``shifted = x - m``."""
    return shifted - shifted_logsumexp(shifted, dim)


def pick(values: torch.Tensor, targ: torch.Tensor) -> torch.Tensor:
    """``values[idx, targ]``: (N, C), (N,) -> (N,), the book's ``sm_acts[idx, targ]``.

    ``targ`` must hold valid class indices (ignored rows replaced by any valid one).
    """
    return values.gather(1, targ[:, None])[:, 0]


def safe_targets(targ: torch.Tensor, ignore_index: int) -> tuple[torch.Tensor, torch.Tensor]:
    """(ignored (N,) bool, targ with ignored rows pointing at class 0 (N,)): every row can
    then be picked, and the ignored ones are masked out afterwards."""
    ignored = targ == ignore_index
    return ignored, targ.masked_fill(ignored, 0)


def target_weights(
    safe_targ: torch.Tensor, ignored: torch.Tensor, weight: torch.Tensor | None, like: torch.Tensor
) -> torch.Tensor:
    """(N,) the weight of each row's target class (1 without weights), 0 for ignored rows:
    what a row counts for in the weighted mean's denominator."""
    picked = torch.ones_like(like) if weight is None else weight[safe_targ]
    return picked.masked_fill(ignored, 0.0)


def weighted_row_sum(matrix: torch.Tensor, weight: torch.Tensor | None) -> torch.Tensor:
    """(N, C) -> (N,): ``sum_c w_c * matrix[:, c]``, without an (N, C) product."""
    return matrix.sum(1) if weight is None else matrix @ weight


def smooth(distribution: torch.Tensor, eps: float) -> torch.Tensor:
    """Label smoothing of (N, C) target distributions: ``(1 - eps) * q + eps / C``."""
    if eps == 0:
        return distribution
    return distribution * (1 - eps) + eps / distribution.shape[-1]


def index_target_losses(
    target_nll: torch.Tensor,
    smooth_nll: torch.Tensor | None,
    targ_weight: torch.Tensor,
    ignored: torch.Tensor,
    eps: float,
    n_classes: int,
) -> torch.Tensor:
    """Per-row losses (N,) for class-index targets, from the row's two log-likelihoods.

    ``target_nll``: ``-log_softmax(x)[targ]`` (N,). ``smooth_nll``: ``-sum_c w_c
    log_softmax(x)_c`` (N,), needed only when ``eps > 0``. A row costs
    ``(1 - eps) * w[targ] * target_nll + (eps / C) * smooth_nll``; ignored rows cost 0.
    The target is picked the way ``nll_loss`` picks it (no one-hot product), so an
    underflowed log-probability elsewhere in the row cannot leak in as ``0 * -inf``.
    """
    losses = (targ_weight * target_nll).masked_fill(ignored, 0.0)
    if eps > 0:
        losses = (1 - eps) * losses + (eps / n_classes) * smooth_nll.masked_fill(ignored, 0.0)
    return losses


def probability_target_losses(
    log_probs: torch.Tensor, target: torch.Tensor, weight: torch.Tensor | None, eps: float
) -> torch.Tensor:
    """Per-row losses (N,) for class-probability targets (N, C): ``-sum_c w_c q_c
    log_softmax(x)_c`` with ``q`` the smoothed target."""
    coefficients = smooth(target, eps)
    if weight is not None:
        coefficients = coefficients * weight  # (N, C) * (C,)
    return -(coefficients * log_probs).sum(1)


def reduce(
    losses: torch.Tensor, reduction: Reduction, denominator: torch.Tensor | float
) -> torch.Tensor:
    """losses (N,) -> themselves ("none"), their sum, or their sum over ``denominator``.

    The mean's denominator is the sum of the targets' weights for class indices (the number
    of rows not ignored, without weights) and N for probabilities: PyTorch's rules. 0 / 0 =
    nan on purpose: PyTorch's mean over a batch whose targets are all ignored is nan.
    """
    if reduction == "none":
        return losses
    if reduction == "sum":
        return losses.sum()
    return losses.sum() / denominator
