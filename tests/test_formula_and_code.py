"""ui.formula and ui.reproduce: the PyTorch page's formula, its code, and its CSV."""

from __future__ import annotations

import io
import math
import subprocess
import sys

import pandas as pd
import pytest
import torch

import ce_core
from ce_core.reference import pytorch_routes
from i18n import t
from ui.formula import all_ignored, denominator_kind, per_sample_latex, reduction_latex
from ui.reproduce import pytorch_code, stages_frame

PRESET = ce_core.PRESETS["3-vs-7"]


def explain(**options) -> ce_core.Stages:
    target = options.pop("target", PRESET.targets)
    return ce_core.explain(
        PRESET.logits, target, device="cpu", class_names=PRESET.class_names, **options
    )


@pytest.mark.parametrize(
    ("options", "kind", "shown"),
    [
        ({}, "n_rows", r"\frac{10.6741}{6} = 1.7790"),
        ({"weight": [1.0, 3.0]}, "weights", "1 + 3 + 1 + 3 + 3 + 1 = 12"),
        ({"ignore_index": 1}, "not_ignored", r"\frac{2.3015}{3} = 0.7672"),
        ({"reduction": "sum"}, "none", r"\ell_i = 10.6741"),
        ({"reduction": "none"}, "none", r"6 \text{ numbers}"),
        ({"target": [[0.5, 0.5]] * 6, "weight": [1.0, 2.0]}, "n_rows", "N"),
    ],
)
def test_the_denominator_is_spelled_out(options, kind, shown):
    stages = explain(**options)
    assert denominator_kind(stages) == kind
    assert shown in reduction_latex(stages)


def test_the_per_sample_formula_follows_the_options():
    assert per_sample_latex(explain()).startswith(r"\ell_i = -\ln p_{i, y_i}")
    assert r"w_{y_i}" in per_sample_latex(explain(weight=[1.0, 2.0]))
    smoothed = per_sample_latex(explain(label_smoothing=0.25))
    assert r"(1-0.25)" in smoothed and r"\frac{0.25}{C}" in smoothed
    assert smoothed.startswith(r"\begin{gathered}")  # softmax's line under ℓ's: it fits
    assert "if } y_i = 1" in per_sample_latex(explain(ignore_index=1))
    soft = per_sample_latex(explain(target=[[0.5, 0.5]] * 6))
    assert r"q_{i,c}" in soft


def test_all_ignored_with_mean_is_nan_and_said_so():
    stages = explain(target=[7] * 6, ignore_index=7)
    assert all_ignored(stages)
    assert reduction_latex(stages).endswith(r"\mathrm{nan}")
    assert not all_ignored(explain())


CODE_CASES = [
    {},
    {"reduction": "none"},
    {"weight": [1.0, 3.0], "reduction": "sum"},
    {"ignore_index": 1},
    {"target": [0, -100, 1, 1, -100, 0]},
    {"label_smoothing": 0.3, "weight": [2.0, 0.5]},
    {"target": [[0.9, 0.1], [0.2, 0.8], [0.5, 0.5], [1.0, 0.0], [0.3, 0.7], [0.6, 0.4]]},
    {"target": [[0.5, 0.6]] * 6, "require_normalized": False, "weight": [1.0, 2.0]},
    {"dtype": "float64", "label_smoothing": 0.1},
]


def run_code(code: str) -> dict[str, list[float]]:
    """Run the shown code in a fresh interpreter; {route: values} from its output."""
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    printed = {}
    for line in out.strip().splitlines():
        name, value = line.split(": ", 1)
        parsed = eval(value, {"nan": math.nan})  # a float or a list of floats: tolist()
        printed[name] = parsed if isinstance(parsed, list) else [parsed]
    return printed


@pytest.mark.parametrize("options", CODE_CASES, ids=str)
def test_the_shown_code_prints_the_pages_numbers(options):
    stages = explain(**options)
    printed = run_code(pytorch_code(stages))
    routes = {
        t(f"pytorch.route_{r.key}"): r.value for r in pytorch_routes(stages) if r.value is not None
    }
    assert set(printed) == set(routes)
    for name, value in routes.items():
        expected = value.reshape(-1).double().tolist()
        assert printed[name] == pytest.approx(expected, rel=1e-6, abs=1e-7, nan_ok=True), name
        ours = stages.loss.reshape(-1).double().tolist()
        assert printed[name] == pytest.approx(ours, rel=1e-5, abs=1e-6, nan_ok=True)


def test_the_code_reads_back_the_exact_tensors():
    stages = explain(dtype="float32")
    code = pytorch_code(stages)
    assert "[0.156, -1.9368]" in code  # the shortest float32 text, not 0.15600000321865082
    namespace: dict = {}
    exec(code.replace("print(", "(lambda *a: None)("), namespace)  # the page's own code
    assert torch.equal(namespace["acts"], stages.logits)
    assert torch.equal(namespace["targ"], stages.target)


def test_the_csv_holds_every_stage():
    stages = explain(weight=[1.0, 3.0])
    frame = stages_frame(stages)
    back = pd.read_csv(io.StringIO(frame.to_csv(index=False)))
    assert len(back) == 6
    for column in ("acts[3]", "softmax[7]", "log_softmax[3]", "grad[7]", "target prob",
                   "loss (reduction none)", "target weight", "logsumexp"):  # fmt: skip
        assert column in back.columns
    assert back["softmax[3]"].round(4).tolist()[:2] == [0.7795, 0.8902]
    assert back["target weight"].tolist() == [1, 3, 1, 3, 3, 1]
    soft = stages_frame(explain(target=[[0.5, 0.5]] * 6))
    assert "targ[3]" in soft.columns and "ignored" not in soft.columns
