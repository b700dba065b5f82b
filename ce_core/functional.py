"""softmax, log_softmax, nll_loss and cross_entropy, assembled from ``primitives``.

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

import contextlib
import math
from collections.abc import Callable, Iterator

import numpy as np
import torch

from ce_core import primitives as P
from ce_core.coerce import ArrayLike, as_index_targets, is_probability_target
from ce_core.errors import InputError
from ce_core.options import Reduction, as_class_weight, as_label_smoothing, check_reduction
from i18n import Message


def as_float_tensor(values: ArrayLike, device: torch.device | None = None) -> torch.Tensor:
    """Tensors pass through (moved to ``device`` if given); numpy arrays and lists are converted.

    Integer input becomes torch's default float dtype; floats keep their dtype.
    """
    # numpy keeps its dtype; nested lists follow torch's rules (Python floats -> float32)
    tensor = values if isinstance(values, torch.Tensor) else torch.as_tensor(values)
    if not (tensor.is_floating_point() or tensor.is_complex()):
        tensor = tensor.to(torch.get_default_dtype())
    return tensor if device is None else tensor.to(device)


def softmax(logits: ArrayLike, dim: int = -1) -> torch.Tensor:
    """``exp(x) / exp(x).sum(dim)``, computed as ``exp(x - max) / exp(x - max).sum(dim)``.

    Shape: same as ``logits``. Every entry is in [0, 1] and each slice along ``dim`` sums to 1.

    >>> softmax([[-0.9916, -2.2545]])
    tensor([[0.7795, 0.2205]])
    """
    logits = as_float_tensor(logits)
    exp = (logits - P.row_max(logits, dim)).exp()
    return exp / exp.sum(dim, keepdim=True)


def log_softmax(logits: ArrayLike, dim: int = -1) -> torch.Tensor:
    """``log(softmax(x))`` without ever forming the softmax: ``(x - m) - log(sum(exp(x - m)))``.

    Shape: same as ``logits``. Entries are <= 0 and finite for any finite input.

    >>> log_softmax([[-0.9916, -2.2545]])
    tensor([[-0.2491, -1.5120]])
    """
    logits = as_float_tensor(logits)
    return P.log_softmax_of_shifted(logits - P.row_max(logits, dim), dim)


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


def _as_batch(values: ArrayLike, argument: str) -> tuple[torch.Tensor, bool]:
    """(N, C) and whether the input was a single sample (C,), a batch of one here."""
    tensor = as_float_tensor(values)
    if tensor.dim() not in (1, 2):
        raise InputError("batch_shape", argument=argument, shape=tuple(tensor.shape))
    return (tensor.unsqueeze(0), True) if tensor.dim() == 1 else (tensor, False)


def _class_weight(
    weight: ArrayLike | None, n_classes: int, like: torch.Tensor
) -> torch.Tensor | None:
    """PyTorch's weights (negative ones allowed), one per class, on ``like``'s device and
    dtype."""
    weight = as_class_weight(weight, n_classes, allow_negative=True)
    return None if weight is None else weight.to(device=like.device, dtype=like.dtype)


def _index_targets(
    target: ArrayLike, n_rows: int, n_classes: int, device: torch.device, ignore_index: int
) -> torch.Tensor:
    """(N,) class indices, checked against ``n_classes``, on ``device``."""
    # Range-checked before any gather: on CUDA an out-of-range index is a device-side
    # assert that poisons the whole process, not an exception.
    targ = as_index_targets(target, n_rows, n_classes, ignore_index=ignore_index,
                            integers_only=True)  # fmt: skip
    return targ.to(device)


def _unbatch(loss: torch.Tensor, single: bool, reduction: str) -> torch.Tensor:
    return loss.squeeze(0) if single and reduction == "none" else loss


def _k_dimensional(
    loss: Callable[..., torch.Tensor], values: torch.Tensor, target: ArrayLike, argument: str,
    reduction: str, **options: object,
) -> torch.Tensor:  # fmt: skip
    """``loss`` on a K-dimensional input (N, C, d1, ..., dK), one row per position: a
    language model's (batch, vocabulary, time), an image's pixels.

    The rows (N * d1 * ... * dK, C) are the same loss's 2-D input, with the target
    (N, d1, ..., dK) flattened alike, or class probabilities (N, C, d1, ..., dK) moved alike;
    every mean PyTorch takes (over the targets' weights, or over the positions) is then the
    2-D one. ``reduction="none"`` returns (N, d1, ..., dK)."""
    n_rows, n_classes, *positions = values.shape
    target = torch.as_tensor(target)
    rows = values.movedim(1, -1).reshape(-1, n_classes)  # (M, C): a copy
    if target.shape == values.shape and target.is_floating_point():
        target_rows = target.movedim(1, -1).reshape(-1, n_classes)  # (M, C) probabilities
    else:
        target_rows = _position_targets(target, values, argument)  # (M,) class indices
    with _named_by_position((n_rows, *positions)):
        result = loss(rows, target_rows, reduction=reduction, **options)
    return result.reshape(n_rows, *positions) if reduction == "none" else result


def _position_targets(target: torch.Tensor, values: torch.Tensor, argument: str) -> torch.Tensor:
    """Class-index targets (N, d1, ..., dK) for ``values`` (N, C, d1, ..., dK), flattened."""
    n_rows, _, *positions = values.shape
    if tuple(target.shape) != (n_rows, *positions):
        raise InputError("k_dim_target_shape", argument="target", shape=tuple(target.shape),
                         name=argument, input=tuple(values.shape),
                         expected=(n_rows, *positions))  # fmt: skip
    return target.reshape(-1)


@contextlib.contextmanager
def _named_by_position(shape: tuple[int, ...]) -> Iterator[None]:
    """A bad target found in the flattened rows is named by its position (n, d1, ..., dK)
    in an input of ``shape`` (N, d1, ..., dK)."""
    try:
        yield
    except InputError as error:
        if error.row is None:
            raise
        position = tuple(int(i) for i in np.unravel_index(error.row, shape))
        raise InputError(error.code, argument=error.argument, row=position, column=error.column,
                         **error.params) from None  # fmt: skip


def nll_loss(
    log_probs: ArrayLike,
    target: ArrayLike,
    weight: ArrayLike | None = None,
    ignore_index: int = -100,
    reduction: Reduction = "mean",
) -> torch.Tensor:
    """Negative log likelihood: ``-log_probs[idx, targ]``, weighted and reduced.

    It takes no log (the book's point): fed softmax outputs it returns ``-sm_acts[idx, targ]``.

    Shapes: ``log_probs`` (N, C) with ``target`` (N,), (C,) with a scalar target, or
    (N, C, d1, ..., dK) with (N, d1, ..., dK). Returns the target's shape with
    ``reduction="none"``, else a scalar. The weighted
    mean divides by the sum of the targets' weights; ignored rows count in neither sum.

    >>> nll_loss([[0.7795, 0.2205], [0.8902, 0.1098]], [0, 1], reduction="none")
    tensor([-0.7795, -0.1098])
    """
    check_reduction(reduction)
    values = as_float_tensor(log_probs)
    if values.dim() > 2:
        return _k_dimensional(nll_loss, values, target, "log_probs", reduction, weight=weight,
                              ignore_index=ignore_index)  # fmt: skip
    batch, single = _as_batch(values, "log_probs")  # (N, C)
    ignored, safe = P.safe_targets(_index_targets(target, *batch.shape, batch.device,
                                                  ignore_index), ignore_index)  # fmt: skip
    picked = P.pick(batch, safe)  # (N,) log_probs[idx, targ]
    targ_weight = P.target_weights(safe, ignored, _class_weight(weight, batch.shape[1], batch),
                                   picked)  # fmt: skip
    losses = P.index_target_losses(-picked, None, targ_weight, ignored, 0.0, batch.shape[1])
    return _unbatch(P.reduce(losses, reduction, targ_weight.sum()), single, reduction)


def cross_entropy(
    logits: ArrayLike,
    target: ArrayLike,
    weight: ArrayLike | None = None,
    ignore_index: int = -100,
    reduction: Reduction = "mean",
    label_smoothing: float = 0.0,
) -> torch.Tensor:
    """Softmax, log and negative log likelihood in one: ``nll_loss(log_softmax(acts), targ)``.

    Shapes: ``logits`` (N, C), (C,) or (N, C, d1, ..., dK). ``target`` is either class
    indices, (N,), a scalar or (N, d1, ..., dK), or class probabilities of the same shape as
    ``logits`` (the rule PyTorch uses). Returns the per-sample (per-position) losses with
    ``reduction="none"``, else a scalar.

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
    values = as_float_tensor(logits)
    if values.dim() > 2:
        if _streams(values) and not torch.as_tensor(target).is_floating_point():
            return _positions_cross_entropy(values, target, weight, ignore_index, reduction, eps)
        return _k_dimensional(cross_entropy, values, target, "logits", reduction, weight=weight,
                              ignore_index=ignore_index, label_smoothing=eps)  # fmt: skip
    batch, single = _as_batch(values, "logits")  # (N, C)
    weight = _class_weight(weight, batch.shape[1], batch)
    if is_probability_target(target, 1 if single else 2):
        target = torch.as_tensor(target).to(device=batch.device, dtype=batch.dtype)
        if target.numel() != batch.numel():
            raise InputError("probabilities_shape", argument="target", shape=tuple(target.shape),
                             what=Message("error.what_target_probabilities"),
                             expected=tuple(batch.shape[single:]))  # fmt: skip
        log_probs = log_softmax(batch, dim=1)  # (N, C)
        losses = P.probability_target_losses(log_probs, target.reshape(batch.shape), weight, eps)
        return _unbatch(P.reduce(losses, reduction, batch.shape[0]), single, reduction)

    ignored, safe = P.safe_targets(_index_targets(target, *batch.shape, batch.device,
                                                  ignore_index), ignore_index)  # fmt: skip
    row_max, log_sum_exp, shifted_sum = _row_statistics(batch, weight, with_sum=eps > 0)
    losses, targ_weight = _index_target_losses(
        log_sum_exp - (P.pick(batch, safe) - row_max), log_sum_exp, shifted_sum, safe, ignored,
        weight, eps, batch.shape[1],
    )  # fmt: skip
    return _unbatch(P.reduce(losses, reduction, targ_weight.sum()), single, reduction)


def _index_target_losses(
    target_nll: torch.Tensor, log_sum_exp: torch.Tensor, shifted_sum: torch.Tensor | None,
    safe: torch.Tensor, ignored: torch.Tensor, weight: torch.Tensor | None, eps: float,
    n_classes: int,
) -> tuple[torch.Tensor, torch.Tensor]:  # fmt: skip
    """Per-row losses (M,) and the targets' weights (M,), the mean's denominator, from each
    row's -log_softmax at its target, log-sum-exp and (for label smoothing) shifted sum."""
    smooth_nll = None
    if eps > 0:
        # -sum_c w_c log_softmax(x)_c = W * log(sum(exp(x - m))) - sum_c w_c (x_c - m)
        total_weight = n_classes if weight is None else weight.sum()
        smooth_nll = total_weight * log_sum_exp - shifted_sum
    targ_weight = P.target_weights(safe, ignored, weight, target_nll)
    losses = P.index_target_losses(target_nll, smooth_nll, targ_weight, ignored, eps, n_classes)
    return losses, targ_weight


def _positions_cross_entropy(
    values: torch.Tensor, target: ArrayLike, weight: ArrayLike | None, ignore_index: int,
    reduction: str, eps: float,
) -> torch.Tensor:  # fmt: skip
    """``cross_entropy`` of class indices on (N, C, d1, ..., dK) without moving the classes
    last: each sample's (C, positions) block is reduced along its classes in place, blocks
    of about ``BLOCK_CELLS`` at a time (what a language model's logits need: no copy of the
    largest tensor of its training step)."""
    n_rows, n_classes, *positions = values.shape
    # (N, C, P): a view of a contiguous input
    grid = values.reshape(n_rows, n_classes, math.prod(positions))
    flat = _position_targets(torch.as_tensor(target), values, "logits")  # (N * P,)
    with _named_by_position((n_rows, *positions)):
        targ = _index_targets(flat, len(flat), n_classes, grid.device, ignore_index)
    ignored, safe = P.safe_targets(targ, ignore_index)
    weight = _class_weight(weight, n_classes, grid)
    stats = _position_statistics(grid, safe.view(grid.shape[0], grid.shape[2]), weight, eps > 0)
    target_nll, log_sum_exp, shifted_sum = stats  # (N * P,) each
    losses, targ_weight = _index_target_losses(target_nll, log_sum_exp, shifted_sum, safe,
                                               ignored, weight, eps, n_classes)  # fmt: skip
    result = P.reduce(losses, reduction, targ_weight.sum())
    return result.reshape(n_rows, *positions) if reduction == "none" else result


# Rows are streamed through blocks of about this many cells (4 MB of float32), so the
# exp(x - m) temporary stays in cache instead of round-tripping through memory (the block
# sizes measured are in docs/benchmarks.md).
BLOCK_CELLS = 1 << 20


def _row_statistics(
    logits: torch.Tensor, weight: torch.Tensor | None, with_sum: bool
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor | None]:
    """For each row of logits (N, C): its max m (N,), log(sum(exp(x - m))) (N,) and, when
    ``with_sum``, sum_c w_c (x_c - m) (N,) (w = 1 without a weight), for label smoothing.
    """
    if not _streams(logits):
        # Differentiable (or on a GPU, where one (N, C) temporary is cheap): plain tensors.
        row_max = P.row_max(logits, 1)  # (N, 1)
        shifted = logits - row_max  # (N, C), <= 0
        shifted_sum = P.weighted_row_sum(shifted, weight) if with_sum else None
        # In place when no graph needs `shifted`: one (N, C) temporary on the GPU, not two
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
            shifted_sum[rows] = P.weighted_row_sum(shifted, weight)
        torch.sum(shifted.exp_(), 1, out=exp_sum[rows])
    return row_max, exp_sum.log_(), shifted_sum


def _streams(logits: torch.Tensor) -> bool:
    """Whether the loss is computed block by block: on the CPU, with no graph recorded."""
    return not logits.requires_grad and logits.device.type == "cpu"


def _position_statistics(
    grid: torch.Tensor, safe: torch.Tensor, weight: torch.Tensor | None, with_sum: bool
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor | None]:
    """For each position of ``grid`` (N, C, P), with its target class ``safe`` (N, P): the
    target's -log_softmax, log(sum(exp(x - m))) and, when ``with_sum``, sum_c w_c (x_c - m),
    each (N * P,), reducing along C one (C, block) slice at a time."""
    n_rows, n_classes, n_positions = grid.shape
    block = max(1, BLOCK_CELLS // max(n_classes, 1))
    target_nll = grid.new_empty(n_rows, n_positions)
    log_sum_exp = grid.new_empty(n_rows, n_positions)
    shifted_sum = grid.new_empty(n_rows, n_positions) if with_sum else None
    buffer = grid.new_empty(n_classes, min(block, n_positions))
    for n in range(n_rows):
        for start in range(0, n_positions, block):
            cols = slice(start, start + block)
            part = grid[n, :, cols]  # (C, B), strided
            part_max = part.amax(0, keepdim=True)  # (1, B)
            shifted = torch.sub(part, part_max, out=buffer[:, : part.shape[1]])  # (C, B)
            picked = shifted.gather(0, safe[n, cols][None])[0]  # (B,) x[targ] - m
            if shifted_sum is not None:
                shifted_sum[n, cols] = shifted.sum(0) if weight is None else weight @ shifted
            log_sum_exp[n, cols] = shifted.exp_().sum(0).log_()
            target_nll[n, cols] = log_sum_exp[n, cols] - picked
    flat = (target_nll.reshape(-1), log_sum_exp.reshape(-1))
    return (*flat, None if shifted_sum is None else shifted_sum.reshape(-1))


# ---------------------------------------------------------------------------- sigmoid outputs


def binary_cross_entropy_with_logits(
    logits: ArrayLike,
    target: ArrayLike,
    weight: ArrayLike | None = None,
    reduction: Reduction = "mean",
    pos_weight: ArrayLike | None = None,
) -> torch.Tensor:
    """One sigmoid per output and its log loss: ``-[y log sigmoid(x) + (1 - y) log(1 -
    sigmoid(x))]`` elementwise, never forming the sigmoid.

    Each output is a yes/no question of its own (multi-label: several can say yes, or none).
    ``-log sigmoid(x) = log(1 + exp(-x))``, the log-sum-exp of 0 and -x, written stably as
    ``max(-x, 0) + log1p(exp(-|x|))``; ``-log(1 - sigmoid(x)) = x - log sigmoid(x)``. So per
    element ``(1 - y) x + (1 + (w_pos - 1) y) (max(-x, 0) + log1p(exp(-|x|)))``: ``pos_weight``
    (broadcast along the last dimension, one per class) multiplies the positives' part,
    ``weight`` (broadcast to the input) the whole; the mean divides by the number of
    elements. Shapes: ``target`` the shape of ``logits`` (any shape); returns that shape
    with ``reduction="none"``, else a scalar.

    >>> binary_cross_entropy_with_logits([[20.0, -20.0, 0.0]], [[1.0, 1.0, 0.5]],
    ...                                  reduction="none")
    tensor([[2.0612e-09, 2.0000e+01, 6.9315e-01]])
    """
    check_reduction(reduction)
    x, y = _binary_pair(logits, target)
    softplus_neg = (-x).clamp_min(0) + (-x.abs()).exp().log1p()  # (...) -log sigmoid(x)
    if pos_weight is None:
        losses = (1 - y) * x + softplus_neg
    else:
        pw = as_float_tensor(pos_weight, x.device).to(x.dtype)
        losses = (1 - y) * x + (1 + (pw - 1) * y) * softplus_neg
    return _weighted_and_reduced(losses, weight, reduction)


def _binary_pair(outputs: ArrayLike, target: ArrayLike) -> tuple[torch.Tensor, torch.Tensor]:
    """The outputs and a target of the same shape (0 to 1 each), in the outputs' dtype."""
    out = as_float_tensor(outputs)
    y = as_float_tensor(target, out.device)
    if y.shape != out.shape:
        raise InputError("bce_target_shape", argument="target", shape=tuple(y.shape),
                         expected=tuple(out.shape))  # fmt: skip
    return out, y.to(out.dtype)


def _weighted_and_reduced(
    losses: torch.Tensor, weight: ArrayLike | None, reduction: str
) -> torch.Tensor:
    """Elementwise losses times ``weight`` (broadcast), then PyTorch's reduction: the mean
    over every element."""
    if weight is not None:
        losses = losses * as_float_tensor(weight, losses.device).to(losses.dtype)
    if reduction == "none":
        return losses
    return losses.sum() if reduction == "sum" else losses.mean()


def binary_cross_entropy(
    probs: ArrayLike,
    target: ArrayLike,
    weight: ArrayLike | None = None,
    reduction: Reduction = "mean",
) -> torch.Tensor:
    """The naive route, from probabilities: ``-[y log p + (1 - y) log(1 - p)]`` elementwise,
    each log clamped at -100, as ``F.binary_cross_entropy`` does.

    Fed ``sigmoid(x)``, it saturates: in float32 ``sigmoid(-200)`` is 0 and ``sigmoid(20)``
    is 1, so the loss of a confidently wrong output stops at the clamp, 100, where
    ``binary_cross_entropy_with_logits`` gives 200 (or 20). Shapes as there.

    >>> binary_cross_entropy(torch.sigmoid(torch.tensor([-200.0, 20.0])),
    ...                      torch.tensor([1.0, 0.0]), reduction="none")
    tensor([100., 100.])
    """
    check_reduction(reduction)
    p, y = _binary_pair(probs, target)
    log_p, log_not_p = p.log().clamp_min(-100), (1 - p).log().clamp_min(-100)
    return _weighted_and_reduced(-(y * log_p + (1 - y) * log_not_p), weight, reduction)
