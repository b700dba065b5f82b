"""ce_core's concept helpers against PyTorch: sigmoid, entropy, temperature, overflow."""

from __future__ import annotations

import math

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import ce_core

finite = st.floats(-1e4, 1e4, allow_nan=False)


@given(st.lists(finite, min_size=1, max_size=20))
def test_sigmoid_matches_torch_and_stays_finite(values):
    x = torch.tensor(values, dtype=torch.float64)
    ours = ce_core.sigmoid(x)
    torch.testing.assert_close(ours, torch.sigmoid(x))
    assert torch.isfinite(ours).all()


def test_two_class_softmax_is_sigmoid_of_the_difference():
    acts, _ = ce_core.PRESETS["3-vs-7"].tensors(torch.float64)
    torch.testing.assert_close(
        ce_core.softmax(acts)[:, 0], ce_core.sigmoid(acts[:, 0] - acts[:, 1])
    )
    assert not torch.allclose(ce_core.sigmoid(acts).sum(1), torch.ones(6, dtype=torch.float64))


@given(st.lists(finite, min_size=2, max_size=12))
def test_entropy_between_zero_and_log_c(values):
    probs = ce_core.softmax(torch.tensor(values, dtype=torch.float64))
    h = ce_core.entropy(probs)
    expected = torch.distributions.Categorical(probs=probs).entropy()
    torch.testing.assert_close(h, expected, atol=1e-9, rtol=1e-9)
    assert -1e-12 <= float(h) <= math.log(len(values)) + 1e-9


def test_entropy_of_one_hot_and_uniform():
    assert float(ce_core.entropy([1.0, 0.0, 0.0])) == 0.0
    assert math.isclose(float(ce_core.entropy([0.25] * 4)), math.log(4), rel_tol=1e-6)  # float32


@pytest.mark.parametrize("temperature", [0.1, 1.0, 10.0])
def test_temperature_matches_torch(temperature):
    acts = torch.tensor([0.02, -2.49, -1.75, 2.07, 1.077], dtype=torch.float64)
    torch.testing.assert_close(
        ce_core.softmax_temperature(acts, temperature), torch.softmax(acts / temperature, 0)
    )
    with pytest.raises(ValueError, match="positive"):
        ce_core.softmax_temperature(acts, 0.0)


def test_higher_temperature_flattens():
    acts = torch.tensor([2.0, 1.0, 0.0])
    entropies = [float(ce_core.entropy(ce_core.softmax_temperature(acts, x))) for x in (0.1, 1, 10)]
    assert entropies == sorted(entropies)


@pytest.mark.parametrize(("dtype", "limit"), [(torch.float32, 88.72), (torch.float64, 709.78)])
def test_the_overflow_threshold(dtype, limit):
    threshold = ce_core.exp_overflow_threshold(dtype)
    assert round(threshold, 2) == limit
    below = torch.tensor([threshold - 0.01, 0.0], dtype=dtype)
    above = torch.tensor([threshold + 0.5, 0.0], dtype=dtype)
    assert torch.isfinite(ce_core.softmax_naive(below)).all()
    assert torch.isnan(ce_core.softmax_naive(above)).any()
    assert torch.isfinite(ce_core.softmax(above)).all()


def test_softmax_parts():
    exp, total, probs = ce_core.softmax_parts([0.02, -2.49, -1.75, 2.07, 1.077])
    assert abs(float(total) - 12.14) < 5e-3  # seed 003's sum of the exponentials
    torch.testing.assert_close(probs, exp / total)


def test_negative_log_and_the_seeds_numbers():
    losses = ce_core.negative_log(torch.tensor([0.99, 0.999], dtype=torch.float64))
    torch.testing.assert_close(losses, torch.tensor([0.01005034, 0.0010005], dtype=torch.float64),
                               atol=1e-7, rtol=0)  # fmt: skip
    assert math.copysign(1.0, float(ce_core.negative_log(1.0))) == 1.0  # +0.0, not -0.0
    assert float(ce_core.negative_log(0.0)) == math.inf


def test_one_hot_times_log_is_the_index_lookup():
    p = ce_core.PRESETS["cat-vs-dog"]
    probs = ce_core.softmax(torch.tensor(p.logits, dtype=torch.float64))
    targets = torch.tensor(p.targets)
    one_hot = torch.nn.functional.one_hot(targets, 2).double()
    torch.testing.assert_close(
        ce_core.one_hot_log_loss(one_hot, probs),
        torch.nn.functional.nll_loss(probs.log(), targets, reduction="none"),
    )
    # a zero probability where the one-hot is 0 adds nothing (no 0 * -inf = nan)
    assert float(ce_core.one_hot_log_loss([1.0, 0.0], [1.0, 0.0])) == 0.0


def test_products_underflow_where_sums_of_logs_do_not():
    probs = torch.full((50,), 0.1)
    product, log_sum = ce_core.product_and_log_sum(probs)
    assert float(product) == 0.0  # 1e-50 is below float32's smallest number
    assert math.isclose(float(log_sum), 50 * math.log(0.1), rel_tol=1e-5)
    product64, _ = ce_core.product_and_log_sum(torch.full((50,), 0.1, dtype=torch.float64))
    assert math.isclose(float(product64), 1e-50, rel_tol=1e-9)
