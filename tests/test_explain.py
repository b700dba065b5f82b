"""Layer 1 for explain(): every stage against PyTorch, the gradient against autograd."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from test_functional import DTYPES, REDUCTIONS, make_batch, make_probabilities, make_weight
from torch_compare import assert_close

import ce_core


def autograd_grad(logits, target, reduction, **kwargs):
    """d loss / d logits from PyTorch's autograd (of the sum of losses for "none")."""
    leaf = logits.detach().clone().requires_grad_()
    loss = F.cross_entropy(leaf, target, reduction=reduction, **kwargs)
    (loss.sum() if reduction == "none" else loss).backward()
    return leaf.grad


@pytest.mark.parametrize("shape", [(6, 2), (64, 37), (9, 1000), (5,)])
@pytest.mark.parametrize("dtype", DTYPES)
def test_every_stage_matches_torch(shape, dtype, device):
    logits, target = make_batch(shape, dtype, "cpu")
    s = ce_core.explain(logits, target, device=device)
    batch = logits.reshape(-1, shape[-1]).to(device)
    targ = target.reshape(-1).to(device)
    assert s.logits.shape == batch.shape and s.device.startswith(device)
    assert_close(s.row_max, batch.max(1).values, dtype)
    assert_close(s.shifted, batch - batch.max(1, keepdim=True).values, dtype)
    assert_close(s.exp, s.shifted.exp(), dtype)
    assert_close(s.exp_sum, s.shifted.exp().sum(1), dtype)
    assert_close(s.log_sum_exp, torch.logsumexp(batch, 1), dtype)
    assert_close(s.probs, torch.softmax(batch, 1), dtype)
    assert_close(s.log_probs, torch.log_softmax(batch, 1), dtype)
    rows = torch.arange(len(targ), device=device)
    assert_close(s.target_prob, torch.softmax(batch, 1)[rows, targ], dtype)
    assert_close(s.target_log_prob, torch.log_softmax(batch, 1)[rows, targ], dtype)
    assert_close(s.losses, F.cross_entropy(batch, targ, reduction="none"), dtype)
    assert_close(s.loss, F.cross_entropy(batch, targ), dtype)
    assert s.max_abs_diff <= 2e-5


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("smoothing", [0.0, 0.2])
@pytest.mark.parametrize("kind", ["index", "index-ignored", "probability"])
def test_loss_reference_and_grad(dtype, reduction, weighted, smoothing, kind, device):
    logits, target = make_batch((10, 4), dtype, device)
    if kind == "index-ignored":
        target[[1, 4]] = -100
    if kind == "probability":
        target = make_probabilities((10, 4), dtype, device)
    weight = make_weight(4, dtype, device) if weighted else None
    kwargs = {"weight": weight, "label_smoothing": smoothing}
    s = ce_core.explain(logits, target, reduction=reduction, device=device, **kwargs)
    expected = F.cross_entropy(logits, target, reduction=reduction, **kwargs)
    assert s.loss.shape == expected.shape == s.reference_loss.shape
    assert_close(s.loss, expected, dtype)
    assert_close(s.reference_loss, expected, dtype)
    assert_close(s.losses, F.cross_entropy(logits, target, reduction="none", **kwargs), dtype)
    assert_close(s.grad, autograd_grad(logits, target, reduction, **kwargs), dtype)
    assert s.max_abs_diff < (2e-5 if dtype == torch.float32 else 1e-10)
    # losses == -(target distribution * weight * log_probs).sum(1): one-hot x log == lookup
    coef = s.target_distribution() * (1.0 if weight is None else weight)
    assert_close(s.losses, -(coef * s.log_probs).sum(1), dtype)


def test_all_ignored_batch_gives_nan_mean_zero_grad():
    logits = torch.randn(3, 4)
    target = torch.full((3,), -100)
    s = ce_core.explain(logits, target, device="cpu")
    assert torch.isnan(s.loss) and torch.isnan(s.reference_loss)
    assert s.max_abs_diff == 0.0  # nan on both sides agrees
    assert torch.equal(s.grad, autograd_grad(logits, target, "mean"))
    assert torch.isnan(s.target_prob).all() and s.ignored.all()


def test_grad_is_softmax_minus_one_hot():
    acts, targ = ce_core.PRESETS["3-vs-7"].tensors()
    s = ce_core.explain(acts, targ, reduction="sum", device="cpu")
    torch.testing.assert_close(s.grad, torch.softmax(acts, 1) - F.one_hot(targ, 2))


def test_probability_target_prob_is_the_expected_probability():
    acts = torch.tensor([[1.0, 2.0, 3.0]])
    soft = torch.tensor([[0.2, 0.3, 0.5]])
    s = ce_core.explain(acts, soft, device="cpu")
    assert s.target_kind == "probability"
    torch.testing.assert_close(s.target_prob, (soft * torch.softmax(acts, 1)).sum(1))
    one_hot = ce_core.explain(acts, [[0.0, 0.0, 1.0]], device="cpu")
    index = ce_core.explain(acts, [2], device="cpu")
    torch.testing.assert_close(one_hot.loss, index.loss)
    torch.testing.assert_close(one_hot.target_prob, index.target_prob)


@pytest.mark.parametrize("dtype", [None, torch.float64, "float64", "float32"])
def test_dtype_is_kept_unless_given(dtype):
    logits = torch.randn(4, 3, dtype=torch.float32)
    s = ce_core.explain(logits, [0, 1, 2, 0], dtype=dtype, device="cpu")
    expected = {None: "float32", torch.float64: "float64", "float64": "float64"}.get(
        dtype, "float32"
    )
    assert s.dtype == expected and str(s.probs.dtype) == f"torch.{expected}"
    assert ce_core.explain(np.zeros((2, 2)), [0, 1], device="cpu").dtype == "float64"
    assert ce_core.explain([[0.0, 1.0]], [0], device="cpu").dtype == "float32"


def test_single_sample_is_a_batch_of_one():
    p = ce_core.PRESETS["five-classes"]
    s = ce_core.explain(p.logits[0], p.targets[0], class_names=p.class_names, device="cpu")
    assert s.single_sample and s.logits.shape == (1, 5)
    exp_sum = s.exp_sum * s.row_max.exp()  # undo the max-shift: sum of exp(acts)
    torch.testing.assert_close(exp_sum, torch.tensor([12.1376]), atol=1e-4, rtol=0)
    none = ce_core.explain(p.logits[0], 3, reduction="none", device="cpu")
    assert none.loss.shape == none.reference_loss.shape == (1,)


def test_text_cells_and_class_name_targets_are_understood():
    s = ce_core.explain(
        [["1.5", " -2 "], ["0", "3e-1"]], ["dog", 0], class_names=["cat", "dog"], device="cpu"
    )
    torch.testing.assert_close(s.logits, torch.tensor([[1.5, -2.0], [0.0, 0.3]]))
    assert s.target.tolist() == [1, 0]
    assert s.class_names == ("cat", "dog")
    spreadsheet = ce_core.explain([[1.0, 2.0]], [1.0], device="cpu")  # integral float target
    assert spreadsheet.target.tolist() == [1]


def test_explain_does_not_track_gradients_or_change_its_input():
    logits = torch.randn(3, 4, requires_grad=True)
    before = logits.detach().clone()
    s = ce_core.explain(logits, [0, 1, 2], device="cpu")
    assert not s.loss.requires_grad and not s.grad.requires_grad
    assert torch.equal(logits.detach(), before)


@pytest.mark.parametrize("preset", list(ce_core.PRESETS))
def test_every_preset_explains_and_agrees_with_torch(preset):
    p = ce_core.PRESETS[preset]
    acts, targ = p.tensors()
    s = ce_core.explain(p.logits, p.targets, class_names=p.class_names, device="cpu")
    assert (s.n_rows, s.n_classes) == p.shape
    assert s.max_abs_diff < 2e-5
    torch.testing.assert_close(s.loss, F.cross_entropy(acts, targ))
    torch.testing.assert_close(s.probs.sum(1), torch.ones(s.n_rows))
