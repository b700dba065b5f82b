"""ui.view.View, the written-out sample, the reduction and the code the home page shows."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import ce_core
from ui.formula import reduction_latex, sample_latex
from ui.reproduce import pytorch_code
from ui.view import View


def view_of(preset="3-vs-7", **kwargs):
    p = ce_core.PRESETS[preset]
    stages = ce_core.explain(p.logits, p.targets, class_names=p.class_names, device="cpu", **kwargs)
    return View.of(stages)


def test_the_view_carries_pytorchs_two_routes():
    view = view_of()
    assert set(view.checks) == {"F.cross_entropy", "nn.CrossEntropyLoss"}
    for value in view.checks.values():
        np.testing.assert_allclose(value, 1.7790, atol=2e-4)
    assert view.max_abs_diff < 2e-5 and view.device == "cpu" and view.dtype == "float32"


def test_sample_latex_writes_the_sample_out_with_its_numbers():
    latex = sample_latex(view_of().stages, 0)
    for number in ("-0.9916", "-2.2545", "1.2828", "0.7795", "0.2491"):
        assert number in latex
    assert latex.startswith(r"\begin{aligned}") and latex.endswith(r"\end{aligned}")


def test_long_rows_are_elided_but_keep_the_target():
    view = view_of("pet-breed")
    latex = sample_latex(view.stages, 0)
    assert r"\cdots" in latex and f"{view.exp[0, 7]:.4f}" in latex


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_reduction_latex(reduction):
    latex = reduction_latex(view_of(reduction=reduction).stages)
    assert "0.2491" in latex
    if reduction == "mean":
        assert "1.7790" in latex and r"\tfrac{1}{6}" in latex
    if reduction == "sum":
        assert "10.6741" in latex or "10.6742" in latex


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_generated_code_reproduces_the_numbers(reduction):
    view = view_of("three-classes", reduction=reduction)
    code = pytorch_code(view.stages)
    namespace: dict = {}
    exec(compile(code, "<generated>", "exec"), namespace)  # our own generated text
    acts, targ = namespace["acts"], namespace["targ"]
    kwargs = {} if reduction == "mean" else {"reduction": reduction}
    loss = torch.nn.functional.cross_entropy(acts, targ, **kwargs)
    np.testing.assert_allclose(loss.numpy(), view.loss, atol=2e-4)
