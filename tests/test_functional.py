"""Layer 1: ce_core's four functions against torch.nn.functional, option by option."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch_compare import assert_close

import ce_core

SHAPES = [(6, 2), (6, 3), (64, 37), (17, 1000), (1, 5), (5,)]
DTYPES = [torch.float32, torch.float64]
REDUCTIONS = ["none", "mean", "sum"]


def make_batch(shape, dtype, device, seed=0, scale=3.0):
    """Random logits and valid class-index targets, seeded per shape."""
    gen = torch.Generator().manual_seed(seed + sum(shape))
    logits = (torch.randn(shape, generator=gen, dtype=torch.float64) * scale).to(dtype)
    n_classes = shape[-1]
    target_shape = shape[:-1]
    target = torch.randint(0, n_classes, target_shape, generator=gen)
    return logits.to(device), target.to(device)


def make_probabilities(shape, dtype, device, seed=1):
    gen = torch.Generator().manual_seed(seed + sum(shape))
    raw = torch.rand(shape, generator=gen, dtype=torch.float64)
    return (raw / raw.sum(-1, keepdim=True)).to(dtype).to(device)


def make_weight(n_classes, dtype, device):
    return torch.linspace(0.2, 2.0, n_classes, dtype=dtype, device=device)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("dtype", DTYPES)
def test_softmax_and_log_softmax_match_torch(shape, dtype, device):
    logits, _ = make_batch(shape, dtype, device)
    assert_close(ce_core.softmax(logits), F.softmax(logits, dim=-1), dtype)
    assert_close(ce_core.log_softmax(logits), F.log_softmax(logits, dim=-1), dtype)
    assert_close(ce_core.softmax(logits, dim=0), F.softmax(logits, dim=0), dtype)
    assert_close(ce_core.log_softmax(logits, dim=0), F.log_softmax(logits, dim=0), dtype)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_nll_loss_matches_torch(shape, dtype, reduction, weighted, device):
    logits, target = make_batch(shape, dtype, device)
    log_probs = F.log_softmax(logits, dim=-1)
    weight = make_weight(shape[-1], dtype, device) if weighted else None
    ours = ce_core.nll_loss(log_probs, target, weight=weight, reduction=reduction)
    theirs = F.nll_loss(log_probs, target, weight=weight, reduction=reduction)
    assert ours.shape == theirs.shape
    assert_close(ours, theirs, dtype)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("smoothing", [0.0, 0.1, 1.0])
def test_cross_entropy_index_targets_match_torch(
    shape, dtype, reduction, weighted, smoothing, device
):
    logits, target = make_batch(shape, dtype, device)
    weight = make_weight(shape[-1], dtype, device) if weighted else None
    kwargs = {"weight": weight, "reduction": reduction, "label_smoothing": smoothing}
    ours = ce_core.cross_entropy(logits, target, **kwargs)
    theirs = F.cross_entropy(logits, target, **kwargs)
    assert ours.shape == theirs.shape
    assert ours.device == logits.device
    assert_close(ours, theirs, dtype)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("smoothing", [0.0, 0.25])
def test_cross_entropy_probability_targets_match_torch(
    shape, dtype, reduction, weighted, smoothing, device
):
    logits, _ = make_batch(shape, dtype, device)
    probs = make_probabilities(shape, dtype, device)
    weight = make_weight(shape[-1], dtype, device) if weighted else None
    kwargs = {"weight": weight, "reduction": reduction, "label_smoothing": smoothing}
    ours = ce_core.cross_entropy(logits, probs, **kwargs)
    theirs = F.cross_entropy(logits, probs, **kwargs)
    assert ours.shape == theirs.shape
    assert_close(ours, theirs, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("smoothing", [0.0, 0.3])
@pytest.mark.parametrize("ignore_index", [-100, 2])
def test_ignore_index_leaves_numerator_and_denominator(
    dtype, reduction, weighted, smoothing, ignore_index, device
):
    logits, target = make_batch((12, 5), dtype, device)
    target[::3] = ignore_index  # rows 0, 3, 6, 9 are ignored
    weight = make_weight(5, dtype, device) if weighted else None
    kwargs = {
        "weight": weight,
        "reduction": reduction,
        "label_smoothing": smoothing,
        "ignore_index": ignore_index,
    }
    ours = ce_core.cross_entropy(logits, target, **kwargs)
    assert_close(ours, F.cross_entropy(logits, target, **kwargs), dtype)
    log_probs = F.log_softmax(logits, dim=1)
    kwargs.pop("label_smoothing")
    ours = ce_core.nll_loss(log_probs, target, **kwargs)
    assert_close(ours, F.nll_loss(log_probs, target, **kwargs), dtype)


@pytest.mark.parametrize("smoothing", [0.0, 0.2])
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_all_ignored_gives_nan_mean_and_zero_sum(smoothing, weighted, device):
    logits, _ = make_batch((4, 3), torch.float32, device)
    target = torch.full((4,), -100, device=device)
    weight = make_weight(3, torch.float32, device) if weighted else None
    for reduction, expected in [("mean", float("nan")), ("sum", 0.0)]:
        kwargs = {"weight": weight, "reduction": reduction, "label_smoothing": smoothing}
        ours = ce_core.cross_entropy(logits, target, **kwargs)
        theirs = F.cross_entropy(logits, target, **kwargs)
        assert_close(ours, theirs, torch.float32)
        assert_close(ours.cpu(), torch.tensor(expected), torch.float32)
    none = ce_core.cross_entropy(logits, target, reduction="none")
    assert torch.equal(none, torch.zeros(4, device=device))


def test_weighted_mean_divides_by_the_targets_weights():
    logits = torch.tensor([[2.0, 0.0], [0.0, 2.0], [1.0, 1.0]])
    target = torch.tensor([0, 0, 1])
    weight = torch.tensor([3.0, 0.5])
    per_row = -F.log_softmax(logits, 1)[range(3), target] * weight[target]
    expected = per_row.sum() / (3.0 + 3.0 + 0.5)
    torch.testing.assert_close(ce_core.cross_entropy(logits, target, weight=weight), expected)


def test_inputs_may_be_numpy_arrays_and_nested_lists():
    acts = [[-0.9916, -2.2545], [0.1560, -1.9368]]
    reference = F.cross_entropy(torch.tensor(acts), torch.tensor([0, 1]))
    for logits, target in [
        (acts, [0, 1]),
        (np.array(acts, dtype=np.float32), np.array([0, 1])),
        (torch.tensor(acts), [0, 1]),
    ]:
        torch.testing.assert_close(ce_core.cross_entropy(logits, target), reference)
    assert ce_core.softmax(np.array(acts)).dtype == torch.float64  # numpy keeps its dtype
    assert ce_core.softmax(acts).dtype == torch.float32  # lists follow torch.tensor
    torch.testing.assert_close(
        ce_core.nll_loss(np.log(np.array([[0.5, 0.5]])), np.array([1])),
        torch.tensor(np.log(2.0), dtype=torch.float64),
    )


def test_single_sample_shapes_match_torch():
    logits = torch.tensor([0.02, -2.49, -1.75, 2.07, 1.077])
    for reduction in REDUCTIONS:
        ours = ce_core.cross_entropy(logits, torch.tensor(3), reduction=reduction)
        theirs = F.cross_entropy(logits, torch.tensor(3), reduction=reduction)
        assert ours.shape == theirs.shape == ()
        torch.testing.assert_close(ours, theirs)
        soft = torch.tensor([0.1, 0.0, 0.0, 0.9, 0.0])
        torch.testing.assert_close(
            ce_core.cross_entropy(logits, soft, reduction=reduction),
            F.cross_entropy(logits, soft, reduction=reduction),
        )
    assert ce_core.cross_entropy(logits, 3).shape == ()  # a plain int target works too


def test_gradients_flow_through_the_functions_like_torch():
    logits, target = make_batch((8, 6), torch.float64, "cpu")
    weight = make_weight(6, torch.float64, "cpu")
    for smoothing in (0.0, 0.1):
        ours_in = logits.clone().requires_grad_()
        theirs_in = logits.clone().requires_grad_()
        kwargs = {"weight": weight, "label_smoothing": smoothing}
        ce_core.cross_entropy(ours_in, target, **kwargs).backward()
        F.cross_entropy(theirs_in, target, **kwargs).backward()
        torch.testing.assert_close(ours_in.grad, theirs_in.grad)


@pytest.mark.parametrize("dtype", DTYPES)
def test_extreme_logits_stay_finite_and_match_torch(dtype, device):
    logits = torch.tensor(
        [[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4], [1e4, 1e4 - 1, 1e4 - 2], [0.0, 0.0, 1e4]],
        dtype=dtype,
        device=device,
    )
    target = torch.tensor([1, 0, 2, 0], device=device)
    probs = ce_core.softmax(logits)
    assert torch.isfinite(probs).all()
    assert torch.isfinite(ce_core.log_softmax(logits)).all()
    for reduction in REDUCTIONS:
        ours = ce_core.cross_entropy(logits, target, reduction=reduction, label_smoothing=0.1)
        assert torch.isfinite(ours).all()
        assert_close(
            ours,
            F.cross_entropy(logits, target, reduction=reduction, label_smoothing=0.1),
            dtype,
        )


def test_naive_softmax_overflows_where_the_stable_one_does_not():
    logits = torch.tensor([[100.0, 0.0], [1.0, 2.0]])
    naive = ce_core.softmax_naive(logits)
    assert torch.isnan(naive[0, 0])  # exp(100) = inf in float32: inf / inf
    torch.testing.assert_close(naive[1], F.softmax(logits[1], dim=0))
    torch.testing.assert_close(ce_core.softmax(logits), F.softmax(logits, dim=1))
    assert torch.isneginf(ce_core.log_softmax_naive(torch.tensor([[0.0, -200.0]])))[0, 1]


def test_cross_entropy_is_log_softmax_then_nll_loss():
    """The seed's claim: softmax+log+nll_loss == log_softmax+nll_loss == cross_entropy."""
    acts, targ = ce_core.PRESETS["3-vs-7"].tensors()
    via_softmax = ce_core.nll_loss(torch.log(ce_core.softmax(acts)), targ)
    via_log_softmax = ce_core.nll_loss(ce_core.log_softmax(acts), targ)
    direct = ce_core.cross_entropy(acts, targ)
    torch.testing.assert_close(via_softmax, direct)
    torch.testing.assert_close(via_log_softmax, direct)
    torch.testing.assert_close(direct, torch.nn.CrossEntropyLoss()(acts, targ))
