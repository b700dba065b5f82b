"""K-dimensional inputs (N, C, d1, ..., dK) and zero-size tensors: ce_core's four functions
against torch.nn.functional, on the shapes PyTorch's own tests use for these losses
(common_nn's CrossEntropyLoss / NLLLoss "2d", "3d" and "dim_is_3" cases, with weights,
ignore_index, label smoothing and probability targets), and a language model's
(batch, vocabulary, time)."""

from __future__ import annotations

import itertools

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st

import ce_core

SHAPES = {
    "2d": (2, 3, 5, 5),  # common_nn: CrossEntropyLoss_2d, NLLLoss2d
    "3d": (2, 3, 5, 5, 2),  # NLLLoss_dim_is_3, CrossEntropyLoss_3d
    "1d": (2, 3, 4),  # one spatial dimension
    "tokens": (4, 11, 7),  # (batch, vocabulary, time): transpose(1, 2) of (B, T, V)
    "one_position": (2, 3, 1),
    "no_positions": (2, 3, 0),
    "no_rows": (0, 3, 4),
}
OPTIONS = {
    "plain": {},
    "weights": {"weight": "random"},
    "ignore_index": {"ignore_index": 1},
    "smoothing": {"label_smoothing": 0.15},
    "all": {"weight": "random", "ignore_index": 0, "label_smoothing": 0.3},
}


def case(shape, options, dtype, seed=0):
    generator = torch.Generator().manual_seed(seed)
    n, c, *positions = shape
    logits = torch.randn(shape, generator=generator, dtype=dtype)
    target = torch.randint(0, c, (n, *positions), generator=generator)
    probs = torch.softmax(torch.randn(shape, generator=generator, dtype=dtype), 1)
    kwargs = dict(options)
    if kwargs.get("weight") == "random":
        kwargs["weight"] = torch.rand(c, generator=generator, dtype=dtype)
    return logits, target, probs, kwargs


def tolerance(dtype):
    return (
        {"atol": 1e-5, "rtol": 1e-5} if dtype == torch.float32 else {"atol": 1e-12, "rtol": 1e-12}
    )


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64], ids=["f32", "f64"])
@pytest.mark.parametrize("reduction", ce_core.REDUCTIONS)
@pytest.mark.parametrize("options", OPTIONS.values(), ids=OPTIONS.keys())
@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
def test_cross_entropy_with_class_indices_is_pytorchs(shape, options, reduction, dtype):
    logits, target, _, kwargs = case(shape, options, dtype)
    expected = F.cross_entropy(logits, target, reduction=reduction, **kwargs)
    got = ce_core.cross_entropy(logits, target, reduction=reduction, **kwargs)
    assert got.shape == expected.shape
    torch.testing.assert_close(got, expected, equal_nan=True, **tolerance(dtype))


@pytest.mark.parametrize("reduction", ce_core.REDUCTIONS)
@pytest.mark.parametrize("options", [{}, {"weight": "random"}, {"label_smoothing": 0.2}],
                         ids=["plain", "weights", "smoothing"])  # fmt: skip
@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
def test_cross_entropy_with_probabilities_is_pytorchs(shape, options, reduction):
    logits, _, probs, kwargs = case(shape, options, torch.float64)
    expected = F.cross_entropy(logits, probs, reduction=reduction, **kwargs)
    got = ce_core.cross_entropy(logits, probs, reduction=reduction, **kwargs)
    assert got.shape == expected.shape
    torch.testing.assert_close(got, expected, equal_nan=True, **tolerance(torch.float64))


@pytest.mark.parametrize("reduction", ce_core.REDUCTIONS)
@pytest.mark.parametrize("options", [{}, {"weight": "random"}, {"ignore_index": 2}],
                         ids=["plain", "weights", "ignore_index"])  # fmt: skip
@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
def test_nll_loss_is_pytorchs(shape, options, reduction):
    logits, target, _, kwargs = case(shape, options, torch.float64)
    log_probs = F.log_softmax(logits, 1)
    expected = F.nll_loss(log_probs, target, reduction=reduction, **kwargs)
    got = ce_core.nll_loss(log_probs, target, reduction=reduction, **kwargs)
    assert got.shape == expected.shape
    torch.testing.assert_close(got, expected, equal_nan=True, **tolerance(torch.float64))


def test_a_language_model_s_two_spellings_are_one_loss():
    """(B, T, V) logits: the K-dimensional form with the vocabulary moved to dim 1 equals
    the rows form, and the padding (-100) counts in neither sum nor denominator."""
    generator = torch.Generator().manual_seed(1)
    logits = torch.randn(3, 6, 20, generator=generator)  # (B, T, V)
    targets = torch.randint(0, 20, (3, 6), generator=generator)
    targets[0, 4:] = -100  # a shorter sequence, padded
    k_dim = ce_core.cross_entropy(logits.transpose(1, 2), targets)
    rows = ce_core.cross_entropy(logits.reshape(-1, 20), targets.reshape(-1))
    torch.testing.assert_close(k_dim, rows)
    torch.testing.assert_close(k_dim, F.cross_entropy(logits.transpose(1, 2), targets))
    per_token = ce_core.cross_entropy(logits.transpose(1, 2), targets, reduction="none")
    assert per_token.shape == (3, 6) and bool((per_token[0, 4:] == 0).all())
    torch.testing.assert_close(k_dim, per_token.sum() / 16)  # 18 tokens, 2 of them padding


@given(st.integers(1, 3), st.integers(1, 5), st.lists(st.integers(1, 4), min_size=1, max_size=3),
       st.integers(0, 2**16))  # fmt: skip
def test_every_k_dimensional_shape_is_its_rows(n, c, positions, seed):
    logits, target, _, _ = case((n, c, *positions), {}, torch.float64, seed)
    rows = logits.movedim(1, -1).reshape(-1, c)
    torch.testing.assert_close(
        ce_core.cross_entropy(logits, target, reduction="none").reshape(-1),
        ce_core.cross_entropy(rows, target.reshape(-1), reduction="none"),
    )


SOFTMAX_SHAPES = [(), (0,), (5,), (2, 0), (0, 3), (2, 3), (2, 3, 4), (2, 0, 4)]


@pytest.mark.parametrize("function", ["softmax", "log_softmax"])
@pytest.mark.parametrize("shape", SOFTMAX_SHAPES, ids=str)
def test_softmax_on_every_dim_and_zero_size_tensors(function, shape):
    logits = torch.randn(shape, dtype=torch.float64) * 5
    dims = range(-len(shape), len(shape)) if shape else [0, -1]
    for dim in dims:
        expected = getattr(F, function)(logits, dim)
        got = getattr(ce_core, function)(logits, dim)
        assert got.shape == expected.shape
        torch.testing.assert_close(got, expected)


def test_a_target_of_the_wrong_shape_is_named():
    with pytest.raises(ce_core.InputError, match=r"target has shape \(2, 4\).*\(2, 4, 5\)"):
        ce_core.cross_entropy(torch.zeros(2, 3, 4, 5), torch.zeros(2, 4, dtype=torch.long))
    target = torch.zeros(2, 4, dtype=torch.long)
    target[1, 2] = 3
    with pytest.raises(ce_core.InputError, match=r"row \(1, 2\) is 3, but there are only 3"):
        ce_core.cross_entropy(torch.zeros(2, 3, 4), target)


def test_k_dimensional_gradients_are_pytorchs():
    for options in itertools.islice(OPTIONS.values(), 5):
        logits, target, _, kwargs = case((2, 3, 4, 2), options, torch.float64)
        ours, theirs = logits.clone().requires_grad_(), logits.clone().requires_grad_()
        ce_core.cross_entropy(ours, target, **kwargs).backward()
        F.cross_entropy(theirs, target, **kwargs).backward()
        torch.testing.assert_close(ours.grad, theirs.grad)


@pytest.mark.parametrize("block_cells", [1, 7, 64])
def test_the_streamed_positions_agree_across_block_boundaries(monkeypatch, block_cells):
    """On the CPU without a graph, the classes are reduced in (C, block) slices of each
    sample (no copy of the input): blocks of 1 position, of a few, and of all of them."""
    from ce_core import functional

    monkeypatch.setattr(functional, "BLOCK_CELLS", block_cells)
    logits, target, _, kwargs = case((3, 4, 5, 3), OPTIONS["all"], torch.float64, seed=3)
    for reduction in ce_core.REDUCTIONS:
        torch.testing.assert_close(
            ce_core.cross_entropy(logits, target, reduction=reduction, **kwargs),
            F.cross_entropy(logits, target, reduction=reduction, **kwargs),
        )
