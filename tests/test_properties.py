"""Layer 2: properties that hold for every batch, checked with Hypothesis."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import ce_core


@st.composite
def batches(draw, max_rows=8, max_classes=12, bound=30.0):
    """(logits (N, C) float64, targets (N,)) with finite logits in [-bound, bound]."""
    n_rows = draw(st.integers(1, max_rows))
    n_classes = draw(st.integers(1, max_classes))
    cells = st.floats(-bound, bound, allow_nan=False, allow_infinity=False)
    logits = draw(arrays("float64", (n_rows, n_classes), elements=cells))
    targets = draw(st.lists(st.integers(0, n_classes - 1), min_size=n_rows, max_size=n_rows))
    return torch.from_numpy(logits), torch.tensor(targets)


@given(batches())
def test_softmax_rows_are_probabilities(batch):
    logits, _ = batch
    probs = ce_core.softmax(logits)
    assert (probs >= 0).all() and (probs <= 1).all()
    torch.testing.assert_close(probs.sum(1), torch.ones(len(logits), dtype=torch.float64))


@given(batches(), st.floats(-1e3, 1e3, allow_nan=False))
def test_shifting_a_row_changes_nothing(batch, shift):
    logits, target = batch
    torch.testing.assert_close(ce_core.softmax(logits + shift), ce_core.softmax(logits))
    torch.testing.assert_close(
        ce_core.cross_entropy(logits + shift, target, reduction="none"),
        ce_core.cross_entropy(logits, target, reduction="none"),
        atol=1e-9,
        rtol=1e-9,
    )


@given(batches(), st.floats(0, 1), st.sampled_from(["none", "mean", "sum"]))
def test_loss_is_never_negative_and_matches_torch(batch, smoothing, reduction):
    logits, target = batch
    loss = ce_core.cross_entropy(logits, target, reduction=reduction, label_smoothing=smoothing)
    assert (loss >= 0).all()
    expected = F.cross_entropy(logits, target, reduction=reduction, label_smoothing=smoothing)
    torch.testing.assert_close(loss, expected, atol=1e-10, rtol=1e-10)


@given(st.integers(1, 50), st.integers(1, 1000), st.floats(-1e4, 1e4))
def test_equal_logits_give_log_c(n_rows, n_classes, value):
    logits = torch.full((n_rows, n_classes), value, dtype=torch.float64)
    target = torch.arange(n_rows) % n_classes
    loss = ce_core.cross_entropy(logits, target)
    assert math.isclose(float(loss), math.log(n_classes), rel_tol=1e-12, abs_tol=1e-12)


@given(batches())
def test_one_hot_probability_target_equals_the_index_target(batch):
    logits, target = batch
    one_hot = F.one_hot(target, logits.shape[1]).to(logits.dtype)
    for reduction in ("none", "mean", "sum"):
        torch.testing.assert_close(
            ce_core.cross_entropy(logits, one_hot, reduction=reduction),
            ce_core.cross_entropy(logits, target, reduction=reduction),
        )


@given(batches(bound=1e4), st.sampled_from([torch.float32, torch.float64]))
def test_extreme_logits_stay_finite(batch, dtype):
    logits, target = batch
    logits = logits.to(dtype)
    assert torch.isfinite(ce_core.softmax(logits)).all()
    assert torch.isfinite(ce_core.log_softmax(logits)).all()
    assert torch.isfinite(ce_core.cross_entropy(logits, target, reduction="none")).all()
    stages = ce_core.explain(logits, target, device="cpu")
    for name in ("probs", "log_probs", "losses", "grad", "exp_sum", "log_sum_exp"):
        assert torch.isfinite(getattr(stages, name)).all(), name


@given(batches(), st.sampled_from(["none", "mean", "sum"]), st.floats(0, 1))
def test_explain_grad_matches_autograd(batch, reduction, smoothing):
    logits, target = batch
    weight = torch.linspace(0.5, 1.5, logits.shape[1], dtype=torch.float64)
    stages = ce_core.explain(
        logits,
        target,
        weight=weight,
        reduction=reduction,
        label_smoothing=smoothing,
        device="cpu",
    )
    leaf = logits.clone().requires_grad_()
    loss = F.cross_entropy(
        leaf, target, weight=weight, reduction=reduction, label_smoothing=smoothing
    )
    (loss.sum() if reduction == "none" else loss).backward()
    torch.testing.assert_close(stages.grad, leaf.grad)
    # each row's gradient sums to zero: softmax and the target both sum to the same total
    torch.testing.assert_close(stages.grad.sum(1), torch.zeros(len(logits), dtype=torch.float64))
