"""ce_core.information and binary_cross_entropy_with_logits against PyTorch: layers 1 and 2
(torch.distributions, F.kl_div, F.cross_entropy with probability targets,
F.binary_cross_entropy_with_logits), and the identities the Entropy & KL page teaches."""

from __future__ import annotations

import math
import re

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from torch.distributions import Categorical

import ce_core
from ce_core import information


@st.composite
def distributions(draw, n_classes=None, zeros=True):
    """A distribution (C,) in float64 (some classes 0 when ``zeros``)."""
    n = n_classes or draw(st.integers(1, 10))
    low = 0.0 if zeros else 1e-3
    weights = draw(arrays("float64", (n,), elements=st.floats(low, 10.0)))
    if weights.sum() == 0:
        weights[0] = 1.0
    return torch.from_numpy(weights / weights.sum())


@st.composite
def pairs(draw):
    """(p, q) over the same classes; q has no zeros (KL finite)."""
    n = draw(st.integers(1, 10))
    return draw(distributions(n)), draw(distributions(n, zeros=False))


def kl_by_pytorch(p: torch.Tensor, q: torch.Tensor) -> torch.Tensor:
    # F.kl_div(input=log q, target=p) is sum p (log p - log q): KL(p || q)
    return F.kl_div(q.log(), p, reduction="sum")


# ---------------------------------------------------------------------------- layer 1


def test_entropy_is_torch_distributions():
    p = torch.tensor([[0.5, 0.25, 0.125, 0.125], [1.0, 0.0, 0.0, 0.0]], dtype=torch.float64)
    torch.testing.assert_close(ce_core.entropy(p), Categorical(probs=p).entropy())
    torch.testing.assert_close(ce_core.entropy(p, unit="bits"), torch.tensor([1.75, 0.0]).double())


def test_cross_entropy_of_distributions_is_f_cross_entropy_with_probability_targets():
    logits = torch.tensor([[2.0, 0.5, -1.0], [0.0, 0.0, 3.0]], dtype=torch.float64)
    p = torch.tensor([[0.7, 0.2, 0.1], [0.0, 0.5, 0.5]], dtype=torch.float64)
    q = torch.softmax(logits, 1)
    torch.testing.assert_close(
        ce_core.cross_entropy_of_distributions(p, q), F.cross_entropy(logits, p, reduction="none")
    )


def test_kl_is_f_kl_div_and_the_difference_of_the_two_entropies():
    p = torch.tensor([0.5, 0.25, 0.125, 0.125], dtype=torch.float64)
    q = torch.tensor([0.125, 0.5, 0.25, 0.125], dtype=torch.float64)  # Colah's Bob and Alice
    torch.testing.assert_close(ce_core.kl_divergence(p, q), kl_by_pytorch(p, q))
    torch.testing.assert_close(
        ce_core.kl_divergence(p, q),
        torch.distributions.kl_divergence(Categorical(p), Categorical(q)),
    )
    bits = information.compare(p, q, unit="bits")
    # Bob's words coded with Alice's code: 2.375 bits a word; Alice's with Bob's: 2.25
    assert (bits.entropy_p, bits.cross_pq, bits.kl_pq) == pytest.approx((1.75, 2.375, 0.625))
    assert (bits.entropy_q, bits.cross_qp, bits.kl_qp) == pytest.approx((1.75, 2.25, 0.5))


def test_with_a_one_hot_truth_cross_entropy_is_kl_is_the_loss():
    logits = torch.tensor([0.02, -2.49, -1.75, 2.07, 1.077], dtype=torch.float64)
    q = torch.softmax(logits, 0)
    p = ce_core.one_hot([3], 5)[0]
    c = information.compare(p, q)
    loss = float(F.cross_entropy(logits[None], torch.tensor([3])))
    assert c.entropy_p == 0.0
    assert c.cross_pq == pytest.approx(loss) and c.kl_pq == pytest.approx(loss)
    assert float(c.cross_terms.sum()) == pytest.approx(loss)
    assert float(c.surprisal_q[3]) == pytest.approx(loss)


def test_zero_probabilities():
    # a class the truth never has costs nothing, even where q = 0
    assert float(ce_core.kl_divergence([0.5, 0.5, 0.0], [0.5, 0.5, 0.0])) == 0.0
    assert float(ce_core.cross_entropy_of_distributions([1.0, 0.0], [1.0, 0.0])) == 0.0
    # the truth happens where the model says never: infinite, not nan
    assert ce_core.kl_divergence([0.5, 0.5], [1.0, 0.0]).item() == math.inf
    assert ce_core.cross_entropy_of_distributions([0.5, 0.5], [1.0, 0.0]).item() == math.inf
    c = information.compare([0.5, 0.5, 0.0], [1.0, 0.0, 0.0])
    assert (c.impossible, c.impossible_reverse) == ([1], [])
    assert c.kl_pq == math.inf and math.isfinite(c.kl_qp)
    assert (
        ce_core.surprisal([0.0]).item() == math.inf
        and str(ce_core.surprisal([1.0])) != "tensor([-0.])"
    )


def test_units():
    assert float(ce_core.surprisal(0.5, unit="bits")) == pytest.approx(1.0)
    assert float(ce_core.entropy([0.25] * 4, unit="bits")) == pytest.approx(2.0)
    # the spreadsheet's base 10: Excel's LOG
    assert float(ce_core.surprisal(torch.tensor(0.1).double(), unit="log10")) == pytest.approx(1.0)
    assert math.exp(information.NATS_PER_BIT) == pytest.approx(2.0)
    with pytest.raises(ce_core.InputError, match="unit"):
        ce_core.entropy([0.5, 0.5], unit="bans")


def test_the_page_numbers_of_the_issue():
    # the book's 0.99 and 0.999 in both units
    assert ce_core.surprisal(torch.tensor([0.99, 0.999]).double()).tolist() == pytest.approx(
        [0.01005, 0.0010005], rel=1e-3
    )
    # label smoothing 0.1 with 2 classes: the lowest loss is the smoothed target's entropy
    row = information.smoothed_target(0, 2, 0.1)
    assert float(ce_core.entropy(row)) == pytest.approx(0.1985, abs=1e-4)
    best = F.cross_entropy(row.log()[None], torch.tensor([0]), label_smoothing=0.1)
    assert float(best) == pytest.approx(float(ce_core.entropy(row)))
    # the uniform guess: ln C
    assert float(ce_core.entropy(torch.full((37,), 1 / 37))) == pytest.approx(math.log(37))


def test_as_distribution_names_the_cell():
    names = ["cat", "dog", "fish"]
    assert information.as_distribution([2, 1, 1], argument="p").tolist() == [0.5, 0.25, 0.25]
    cases = {
        "q (the model): class 'dog' is empty or not a number (NaN)": [1, None, 1],
        "q (the model): class 'dog' is 'x', which is not a number": [1, "x", 1],
        "q (the model): class 'fish' is empty or not a number": [1, 1, float("nan")],
        "q (the model): class 'cat' is +infinite": [math.inf, 1, 1],
        "q (the model): class 'dog' is -1; probabilities cannot be negative": [1, -1, 1],
        "q (the model): every weight is 0": [0, 0, 0],
    }
    for message, weights in cases.items():
        with pytest.raises(ce_core.InputError, match=re.escape(message)) as caught:
            information.as_distribution(weights, argument="q", class_names=names)
        assert caught.value.argument == "q"
    with pytest.raises(ce_core.InputError, match="p has shape"):
        ce_core.kl_divergence([0.5, 0.5], [1.0, 0.0, 0.0])


def test_smoothed_target_checks_its_arguments():
    with pytest.raises(ce_core.InputError, match="label_smoothing"):
        information.smoothed_target(0, 3, 1.5)
    with pytest.raises(ce_core.InputError, match="at least 2 classes"):
        information.smoothed_target(0, 1, 0.1)
    with pytest.raises(ce_core.InputError, match="only 3 classes"):
        information.smoothed_target(3, 3, 0.1)


# ---------------------------------------------------------------------------- layer 2


@given(pairs())
def test_cross_entropy_is_entropy_plus_kl(pair):
    p, q = pair
    torch.testing.assert_close(
        ce_core.cross_entropy_of_distributions(p, q),
        ce_core.entropy(p) + ce_core.kl_divergence(p, q),
    )
    torch.testing.assert_close(ce_core.kl_divergence(p, q), kl_by_pytorch(p, q).clamp_min(0))


@given(pairs())
def test_kl_is_never_negative_and_zero_against_itself(pair):
    p, q = pair
    assert float(ce_core.kl_divergence(p, q)) >= 0.0
    assert float(ce_core.kl_divergence(q, q)) == pytest.approx(0.0, abs=1e-12)


@given(distributions())
def test_entropy_lies_between_zero_and_log_c(p):
    h = float(ce_core.entropy(p))
    assert -1e-12 <= h <= math.log(len(p)) + 1e-12
    assert float(ce_core.entropy(p, unit="bits")) == pytest.approx(h / math.log(2))


@given(pairs())
def test_bits_are_nats_over_ln_2(pair):
    p, q = pair
    nats, bits = information.compare(p, q), information.compare(p, q, unit="bits")
    for name in ("entropy_p", "entropy_q", "cross_pq", "cross_qp", "kl_pq", "kl_qp"):
        assert getattr(bits, name) == pytest.approx(getattr(nats, name) / math.log(2), abs=1e-12)


# ---------------------------------------------------------------------------- BCE


@st.composite
def binary_batches(draw):
    n, c = draw(st.integers(1, 6)), draw(st.integers(1, 5))
    logits = draw(arrays("float64", (n, c), elements=st.floats(-200, 200)))
    target = draw(arrays("float64", (n, c), elements=st.floats(0, 1)))
    weight = draw(st.none() | arrays("float64", (c,), elements=st.floats(0, 3)))
    pos_weight = draw(st.none() | arrays("float64", (c,), elements=st.floats(0, 5)))
    return [
        None if a is None else torch.from_numpy(a) for a in (logits, target, weight, pos_weight)
    ]


@given(binary_batches(), st.sampled_from(ce_core.REDUCTIONS))
def test_binary_cross_entropy_with_logits_is_pytorchs(batch, reduction):
    logits, target, weight, pos_weight = batch
    options = {"weight": weight, "pos_weight": pos_weight, "reduction": reduction}
    torch.testing.assert_close(
        ce_core.binary_cross_entropy_with_logits(logits, target, **options),
        F.binary_cross_entropy_with_logits(logits, target, **options),
    )


@given(binary_batches(), st.sampled_from(ce_core.REDUCTIONS))
def test_the_naive_binary_cross_entropy_is_pytorchs_with_its_clamp(batch, reduction):
    logits, target, weight, _ = batch
    for probs in (torch.sigmoid(logits), torch.sigmoid(logits.float())):  # float32 saturates
        torch.testing.assert_close(
            ce_core.binary_cross_entropy(probs, target.to(probs.dtype), weight, reduction),
            F.binary_cross_entropy(probs, target.to(probs.dtype), weight, reduction=reduction),
        )


@given(st.floats(-10, 10), st.floats(0, 1))  # beyond, 1 - sigmoid(x) loses its digits
def test_binary_cross_entropy_is_the_cross_entropy_of_two_outcomes(x, y):
    logit = torch.tensor(x, dtype=torch.float64)
    q = torch.sigmoid(logit)
    two = ce_core.cross_entropy_of_distributions(torch.tensor([y, 1 - y], dtype=torch.float64),
                                                 torch.stack([q, 1 - q]))  # fmt: skip
    bce = ce_core.binary_cross_entropy_with_logits(logit, torch.tensor(y, dtype=torch.float64))
    assert float(bce) == pytest.approx(float(two), rel=1e-7)  # 1 - q loses digits near q = 1


def test_binary_cross_entropy_pos_weight_and_saturation():
    # 300 negatives and 100 positives: pos_weight 3 weighs the positives' part three times
    x, y = torch.tensor([0.4]), torch.tensor([1.0])
    plain = ce_core.binary_cross_entropy_with_logits(x, y)
    assert float(
        ce_core.binary_cross_entropy_with_logits(x, y, pos_weight=torch.tensor([3.0]))
    ) == (pytest.approx(3 * float(plain)))
    # the naive route saturates: sigmoid(-200) is 0 in float32, and PyTorch clamps its log
    far = torch.tensor([-200.0])
    assert float(ce_core.binary_cross_entropy_with_logits(far, y)) == pytest.approx(200.0)
    assert float(F.binary_cross_entropy(torch.sigmoid(far), y)) == pytest.approx(100.0)
    with pytest.raises(ce_core.InputError, match="target has shape"):
        ce_core.binary_cross_entropy_with_logits(torch.zeros(2, 3), torch.zeros(2))
    grad_x = torch.tensor([1.5], requires_grad=True)
    ce_core.binary_cross_entropy_with_logits(grad_x, torch.tensor([0.0])).backward()
    assert float(grad_x.grad) == pytest.approx(float(torch.sigmoid(torch.tensor(1.5))))
