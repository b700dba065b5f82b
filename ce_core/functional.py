"""softmax, log_softmax, nll_loss and cross_entropy, written from the stages.

Same semantics as the ``torch.nn.functional`` functions of the same names for inputs of shape
(C,) and (N, C), class-index and class-probability targets. PyTorch's own functions are only
ever the check (see ``tests/``), never the implementation.

The stable route is the max-shift: for a row ``x`` with maximum ``m``,

    log_softmax(x) = (x - m) - log(sum(exp(x - m)))

``x - m <= 0``, so ``exp`` never overflows, and the sum is at least 1 (the max's own term),
so its log is finite. ``softmax_naive`` is the textbook ``exp(x) / exp(x).sum()``, kept
because watching it turn into ``nan`` at ``x = 100`` is the lesson.
"""

from __future__ import annotations

import torch

from ce_core.errors import InputError
from ce_core.validate import ArrayLike, Reduction, as_label_smoothing, check_reduction

# ---------------------------------------------------------------------------- conversions


def as_float_tensor(values: ArrayLike, device: torch.device | None = None) -> torch.Tensor:
    """Tensors pass through (moved to ``device`` if given); numpy arrays and lists are converted.

    Integer input becomes torch's default float dtype; floats keep their dtype.
    """
    # numpy keeps its dtype; nested lists follow torch's rules (Python floats -> float32)
    tensor = values if isinstance(values, torch.Tensor) else torch.as_tensor(values)
    if not (tensor.is_floating_point() or tensor.is_complex()):
        tensor = tensor.to(torch.get_default_dtype())
    return tensor if device is None else tensor.to(device)


def _check_batch_shape(tensor: torch.Tensor, what: str) -> None:
    if tensor.dim() not in (1, 2):
        raise InputError(
            f"{what} must have shape (C,) or (N, C), not {tuple(tensor.shape)}", argument=what
        )


def _index_targets(
    target: ArrayLike, n_rows: int, n_classes: int, ignore_index: int, device: torch.device
) -> torch.Tensor:
    """Class-index targets as a (N,) long tensor on ``device``, range-checked.

    The range check runs before any gather: on CUDA an out-of-range index is a device-side
    assert that poisons the whole process, not an exception.
    """
    target = target if isinstance(target, torch.Tensor) else torch.as_tensor(target)
    if target.is_floating_point() or target.is_complex() or target.dtype == torch.bool:
        raise InputError(
            f"class-index targets must be integers, not {target.dtype}", argument="target"
        )
    target = target.reshape(-1).to(device=device, dtype=torch.long)
    if target.numel() != n_rows:
        raise InputError(f"there are {target.numel()} targets for {n_rows} rows", argument="target")
    bad = (target != ignore_index) & ((target < 0) | (target >= n_classes))
    if bool(bad.any()):
        row = int(bad.nonzero()[0, 0])
        raise InputError(
            f"the target of row {row} is {int(target[row])}, but classes are numbered "
            f"0 to {n_classes - 1}",
            argument="target",
            row=row,
        )
    return target


def _class_weight(
    weight: ArrayLike | None, n_classes: int, like: torch.Tensor
) -> torch.Tensor | None:
    if weight is None:
        return None
    weight = as_float_tensor(weight, like.device).to(like.dtype).reshape(-1)
    if weight.numel() != n_classes:
        raise InputError(
            f"weight has {weight.numel()} entries but there are {n_classes} classes",
            argument="weight",
        )
    return weight


def _reduce(
    losses: torch.Tensor, reduction: str, denominator: torch.Tensor | float
) -> torch.Tensor:
    """losses: (N,). 'mean' divides by ``denominator`` (a count or a sum of weights).

    0 / 0 = nan on purpose: PyTorch's mean over a batch whose targets are all ignored is nan.
    """
    if reduction == "none":
        return losses
    if reduction == "sum":
        return losses.sum()
    return losses.sum() / denominator


# ---------------------------------------------------------------------------- softmax


def _row_max(logits: torch.Tensor, dim: int) -> torch.Tensor:
    # The max only shifts the numbers; the result does not depend on it, so no gradient
    # needs to flow through it (and detaching saves amax's backward).
    return logits.amax(dim, keepdim=True).detach()


def softmax(logits: ArrayLike, dim: int = -1) -> torch.Tensor:
    """``exp(x) / exp(x).sum(dim)``, computed as ``exp(x - max) / exp(x - max).sum(dim)``.

    Shape: same as ``logits``. Every entry is in [0, 1] and each slice along ``dim`` sums to 1.

    >>> softmax([[-0.9916, -2.2545]])
    tensor([[0.7795, 0.2205]])
    """
    logits = as_float_tensor(logits)
    exp = (logits - _row_max(logits, dim)).exp()
    return exp / exp.sum(dim, keepdim=True)


def log_softmax(logits: ArrayLike, dim: int = -1) -> torch.Tensor:
    """``log(softmax(x))`` without ever forming the softmax: ``(x - m) - log(sum(exp(x - m)))``.

    Shape: same as ``logits``. Entries are <= 0 and finite for any finite input.

    >>> log_softmax([[-0.9916, -2.2545]])
    tensor([[-0.2491, -1.5120]])
    """
    logits = as_float_tensor(logits)
    shifted = logits - _row_max(logits, dim)
    return shifted - shifted.exp().sum(dim, keepdim=True).log()


def softmax_naive(logits: ArrayLike, dim: int = -1) -> torch.Tensor:
    """The textbook softmax, ``exp(x) / exp(x).sum(dim)``: overflows on purpose.

    In float32, ``exp(89)`` is already ``inf``, so a row holding 100 comes out as ``nan``.

    >>> softmax_naive([[100.0, 0.0]])
    tensor([[nan, 0.]])
    """
    exp = as_float_tensor(logits).exp()
    return exp / exp.sum(dim, keepdim=True)


def log_softmax_naive(logits: ArrayLike, dim: int = -1) -> torch.Tensor:
    """``log(softmax_naive(x))``: underflow to 0 turns into ``-inf``, overflow into ``nan``.

    >>> log_softmax_naive([[0.0, -200.0]])
    tensor([[0., -inf]])
    """
    return softmax_naive(logits, dim).log()


# ---------------------------------------------------------------------------- losses


def nll_loss(
    log_probs: ArrayLike,
    target: ArrayLike,
    weight: ArrayLike | None = None,
    ignore_index: int = -100,
    reduction: Reduction = "mean",
) -> torch.Tensor:
    """Negative log likelihood: ``-log_probs[idx, targ]``, weighted and reduced.

    It takes no log (the book's point): fed softmax outputs it returns ``-sm_acts[idx, targ]``.

    Shapes: ``log_probs`` (N, C) with ``target`` (N,), or (C,) with a scalar target.
    Returns (N,) (or a scalar for (C,)) with ``reduction="none"``, else a scalar. The weighted
    mean divides by the sum of the targets' weights; ignored rows count in neither sum.

    >>> nll_loss([[0.7795, 0.2205], [0.8902, 0.1098]], [0, 1], reduction="none")
    tensor([-0.7795, -0.1098])
    """
    check_reduction(reduction)
    log_probs = as_float_tensor(log_probs)
    _check_batch_shape(log_probs, "log_probs")
    single = log_probs.dim() == 1
    batch = log_probs.unsqueeze(0) if single else log_probs  # (N, C)
    n_rows, n_classes = batch.shape
    targ = _index_targets(target, n_rows, n_classes, ignore_index, batch.device)  # (N,)
    weight = _class_weight(weight, n_classes, batch)

    ignored = targ == ignore_index  # (N,)
    safe_targ = targ.masked_fill(ignored, 0)  # any valid index; the row is masked below
    picked = batch.gather(1, safe_targ[:, None]).squeeze(1)  # (N,) log_probs[idx, targ]
    targ_weight = torch.ones_like(picked) if weight is None else weight[safe_targ]
    targ_weight = targ_weight.masked_fill(ignored, 0.0)  # (N,)
    losses = torch.where(ignored, torch.zeros_like(picked), -targ_weight * picked)
    loss = _reduce(losses, reduction, targ_weight.sum())
    return loss.squeeze(0) if single and reduction == "none" else loss


def cross_entropy(
    logits: ArrayLike,
    target: ArrayLike,
    weight: ArrayLike | None = None,
    ignore_index: int = -100,
    reduction: Reduction = "mean",
    label_smoothing: float = 0.0,
) -> torch.Tensor:
    """Softmax, log and negative log likelihood in one: ``nll_loss(log_softmax(acts), targ)``.

    Shapes: ``logits`` (N, C) or (C,). ``target`` is either class indices, (N,) or a scalar,
    or class probabilities of the same shape as ``logits`` (the rule PyTorch uses).
    Returns (N,) (a scalar for (C,)) with ``reduction="none"``, else a scalar.

    With class indices each row costs ``log(sum(exp(x - m))) - (x[targ] - m)``: a log-sum-exp
    minus the target's logit, never materializing the (N, C) softmax. With
    ``label_smoothing = eps`` the target becomes ``(1 - eps) * one_hot + eps / C``.

    >>> acts = [[-0.9916, -2.2545], [0.1560, -1.9368], [-0.6164, 1.1047],
    ...         [-2.0798, -2.1778], [1.6429, -3.7728], [-1.2445, -2.9512]]
    >>> cross_entropy(acts, [0, 1, 0, 1, 1, 0])
    tensor(1.7790)
    """
    check_reduction(reduction)
    eps = as_label_smoothing(label_smoothing)
    logits = as_float_tensor(logits)
    _check_batch_shape(logits, "logits")
    target = target if isinstance(target, torch.Tensor) else torch.as_tensor(target)
    single = logits.dim() == 1
    batch = logits.unsqueeze(0) if single else logits  # (N, C)
    n_rows, n_classes = batch.shape
    weight = _class_weight(weight, n_classes, batch)

    if target.shape == logits.shape:  # class probabilities
        probs = target.to(device=batch.device, dtype=batch.dtype).reshape(batch.shape)  # (N, C)
        losses = _probability_target_losses(batch, probs, weight, eps)
        loss = _reduce(losses, reduction, n_rows)
    else:
        targ = _index_targets(target, n_rows, n_classes, ignore_index, batch.device)
        losses, denominator = _index_target_losses(batch, targ, weight, ignore_index, eps)
        loss = _reduce(losses, reduction, denominator)
    return loss.squeeze(0) if single and reduction == "none" else loss


def _index_target_losses(
    logits: torch.Tensor,
    targ: torch.Tensor,
    weight: torch.Tensor | None,
    ignore_index: int,
    eps: float,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Per-row losses (N,) and the mean's denominator for class-index targets.

    logits (N, C), targ (N,). Each row costs ``log(sum(exp(x - m))) - (x[targ] - m)``;
    nothing of shape (N, C) is kept (see ``_row_statistics``).
    """
    n_classes = logits.shape[1]
    ignored = targ == ignore_index  # (N,)
    safe_targ = targ.masked_fill(ignored, 0)  # (N,) any valid index; the row is masked below
    row_max, log_sum_exp, shifted_sum = _row_statistics(logits, weight, with_sum=eps > 0)
    target_shifted = logits.gather(1, safe_targ[:, None])[:, 0] - row_max  # (N,) x[targ] - m

    targ_weight = torch.ones_like(log_sum_exp) if weight is None else weight[safe_targ]
    targ_weight = targ_weight.masked_fill(ignored, 0.0)  # (N,)
    nll = log_sum_exp - target_shifted  # (N,) = -log_softmax(x)[targ]
    losses = torch.where(ignored, torch.zeros_like(nll), targ_weight * nll)
    if eps > 0:
        # -sum_c w_c log_softmax(x)_c = W * log(sum(exp(x - m))) - sum_c w_c (x_c - m)
        total_weight = n_classes if weight is None else weight.sum()
        smooth = (total_weight * log_sum_exp - shifted_sum).masked_fill(ignored, 0.0)  # (N,)
        losses = (1 - eps) * losses + (eps / n_classes) * smooth
    return losses, targ_weight.sum()


# Rows are streamed through blocks of about this many cells (4 MB of float32), so the
# exp(x - m) temporary stays in cache: on a 65536 x 1000 CPU batch this is about 2x faster
# than materializing the whole (N, C) temporary (see docs/benchmarks.md).
BLOCK_CELLS = 1 << 20


def _row_statistics(
    logits: torch.Tensor, weight: torch.Tensor | None, with_sum: bool
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor | None]:
    """For each row of logits (N, C): its max m (N,), log(sum(exp(x - m))) (N,) and, when
    ``with_sum``, sum_c w_c (x_c - m) (N,) (w = 1 without a weight), for label smoothing.
    """
    if logits.requires_grad or logits.device.type != "cpu":
        # Differentiable (or on a GPU, where one (N, C) temporary is cheap): plain tensors.
        row_max = _row_max(logits, 1)  # (N, 1)
        shifted = logits - row_max  # (N, C), <= 0
        shifted_sum = weighted_row_sum(shifted, weight) if with_sum else None
        exp = shifted.exp() if shifted.requires_grad else shifted.exp_()
        return row_max[:, 0], exp.sum(1).log(), shifted_sum

    n_rows, n_classes = logits.shape
    block_rows = max(1, BLOCK_CELLS // max(n_classes, 1))
    row_max = logits.new_empty(n_rows)
    exp_sum = logits.new_empty(n_rows)
    shifted_sum = logits.new_empty(n_rows) if with_sum else None
    buffer = logits.new_empty(min(block_rows, n_rows), n_classes)
    for start in range(0, n_rows, block_rows):
        rows = slice(start, start + block_rows)
        block = logits[rows]  # (B, C)
        block_max = block.amax(1, keepdim=True)  # (B, 1)
        shifted = torch.sub(block, block_max, out=buffer[: len(block)])  # (B, C)
        row_max[rows] = block_max[:, 0]
        if shifted_sum is not None:
            shifted_sum[rows] = weighted_row_sum(shifted, weight)
        torch.sum(shifted.exp_(), 1, out=exp_sum[rows])
    return row_max, exp_sum.log_(), shifted_sum


def weighted_row_sum(matrix: torch.Tensor, weight: torch.Tensor | None) -> torch.Tensor:
    """(N, C) -> (N,): sum_c w_c * matrix[:, c], without an (N, C) product."""
    return matrix.sum(1) if weight is None else matrix @ weight


def _probability_target_losses(
    logits: torch.Tensor, probs: torch.Tensor, weight: torch.Tensor | None, eps: float
) -> torch.Tensor:
    """Per-row losses (N,) for class-probability targets: ``-sum_c w_c q_c log_softmax(x)_c``.

    logits, probs: (N, C). ``q = (1 - eps) * probs + eps / C``. PyTorch's mean divides these
    by N, not by the weights.
    """
    n_classes = logits.shape[1]
    if eps > 0:
        probs = probs * (1 - eps) + eps / n_classes
    if weight is not None:
        probs = probs * weight  # (N, C) * (C,)
    return -(probs * log_softmax(logits, dim=1)).sum(1)
