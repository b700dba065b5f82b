"""ce_core.calibration (reliability, ECE, temperature scaling), its figure, and the Training
page's calibration section, against PyTorch and a plain reference."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from apptest_helpers import ROOT, run_script
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import ce_core
from ce_core import calibration, training
from figures.calibration import Panel, make_reliability
from i18n import t


def reference_ece(
    top: np.ndarray, picked: np.ndarray, labels: np.ndarray, n_bins: int = 10
) -> float:
    """The textbook loop over top probabilities and picked classes (n,): bins (b / B,
    (b + 1) / B], |accuracy - confidence| weighted by the bin's share of the points."""
    ece = 0.0
    for b in range(n_bins):
        low, high = b / n_bins, (b + 1) / n_bins
        inside = (top > low) & (top <= high)
        if inside.any():
            ece += inside.mean() * abs(
                (picked[inside] == labels[inside]).mean() - top[inside].mean()
            )
    return ece


@st.composite
def predictions(draw):
    n, k = draw(st.integers(1, 40)), draw(st.integers(2, 6))
    logits = draw(arrays("float64", (n, k), elements=st.floats(-8, 8)))
    labels = draw(arrays("int64", (n,), elements=st.integers(0, k - 1)))
    return torch.from_numpy(logits), torch.from_numpy(labels)


@given(predictions())
def test_reliability_is_the_textbook_ece(batch):
    logits, labels = batch
    r = calibration.reliability(logits, labels)
    top, picked = torch.softmax(logits, 1).amax(1), logits.argmax(1)
    assert r.ece == pytest.approx(reference_ece(top.numpy(), picked.numpy(), labels.numpy()),
                                  abs=1e-12)  # fmt: skip
    assert int(r.counts.sum()) == len(labels) and 0 <= r.ece <= 1
    assert r.cross_entropy == pytest.approx(float(F.cross_entropy(logits, labels)))
    assert r.accuracy_all == pytest.approx(float((logits.argmax(1) == labels).double().mean()))


@settings(max_examples=40)
@given(predictions(), st.floats(0.05, 20))
def test_a_temperature_changes_no_prediction(batch, temperature):
    logits, labels = batch
    before = calibration.reliability(logits, labels)
    after = calibration.reliability(logits, labels, temperature)
    assert after.accuracy_all == before.accuracy_all


@settings(max_examples=30)
@given(predictions())
def test_the_fitted_temperature_minimises_the_cross_entropy(batch):
    logits, labels = batch
    fitted = calibration.fit_temperature(logits, labels)
    low, high = 1 / calibration.BETA_RANGE[1], 1 / calibration.BETA_RANGE[0]
    assert low <= fitted <= high

    def loss(temperature: float) -> float:
        return float(F.cross_entropy(logits / temperature, labels))

    for nearby in (fitted * 1.01, fitted / 1.01):
        if low <= nearby <= high:
            assert loss(fitted) <= loss(nearby) + 1e-9


def test_the_page_shows_the_lbfgs_fit_of_pytorch():
    """The code on the page (LBFGS on log T, PyTorch's own optimizer) finds ce_core's T."""
    generator = torch.Generator().manual_seed(0)
    labels = torch.randint(0, 3, (200,), generator=generator)
    logits = 4 * F.one_hot(labels, 3).double() + 2 * torch.randn(200, 3, generator=generator,
                                                                  dtype=torch.float64)  # fmt: skip
    names = {"model": lambda points: points, "fit_points": logits, "test_points": logits,
             "fit_labels": labels}  # fmt: skip
    exec(compile(t("training.calibration_pytorch"), "<shown code>", "exec"), names)
    assert names["T"] == pytest.approx(calibration.fit_temperature(logits, labels), rel=1e-4)
    assert names["T"] > 1  # these logits are overconfident: the noise outweighs the margin


def test_a_perfect_model_has_no_calibration_error_and_a_bad_temperature_is_named():
    logits = torch.tensor([[50.0, 0.0], [0.0, 50.0]])
    r = calibration.reliability(logits, torch.tensor([0, 1]))
    assert r.ece == pytest.approx(0.0, abs=1e-6) and r.counts.tolist()[-1] == 2
    assert math.isnan(float(r.accuracy[0]))  # an empty bin has no accuracy
    with pytest.raises(ce_core.InputError, match="temperature must be positive"):
        calibration.reliability(logits, torch.tensor([0, 1]), temperature=0.0)


def test_the_diagram_draws_each_bins_numbers():
    logits = torch.tensor([[2.0, 0.0], [2.0, 0.0], [0.0, 2.0], [0.0, 0.5], [3.0, 0.0]])
    r = calibration.reliability(logits, torch.tensor([0, 1, 1, 0, 0]))
    panel = Panel(r.edges.numpy(), r.counts.numpy(), r.confidence.numpy(), r.accuracy.numpy(), "a")
    bars, lines, ideal = make_reliability(
        [panel], title="t", confidence_label="c", accuracy_label="a", accuracy_name="a",
        gap_name="g", ideal_name="i", code="c",
    ).data  # fmt: skip
    shown = r.counts > 0
    assert list(bars.y) == pytest.approx(r.accuracy[shown].tolist())
    assert list(lines.y) == pytest.approx(r.confidence[shown].tolist())
    assert list(bars.text) == [str(int(n)) for n in r.counts[shown]]
    assert list(ideal.x) == [0, 1] and list(ideal.y) == [0, 1]


def test_the_held_out_seeds_differ_from_the_training_seed():
    seeds = {training.held_out_seed(7, part) for part in (0, 1, 2)}
    assert len(seeds) == 3 and training.held_out_seed(7, 0) == 7
    assert training.held_out_seed(2**31 - 1, 1) < 2**31


def test_the_training_page_calibrates_each_run_on_held_out_points():
    at = run_script(ROOT / "pages" / "training.py")
    run = at.session_state["tr_run"]
    chosen = run.settings
    seed = training.held_out_seed(chosen.seed, 2)
    test = training.make_dataset(chosen.dataset, chosen.n_classes, chosen.n_per_class,
                                 chosen.noise, seed)  # fmt: skip
    table = next(d.value for d in at.dataframe if "ECE" in d.value.columns)
    assert len(table) == 2  # cross-entropy, and MSE to compare
    for (name, report), row in zip(run.calibrations, table.itertuples(index=False), strict=True):
        assert row[0] == name
        assert float(row[2]) == pytest.approx(report.before.cross_entropy, abs=5e-5)
        assert float(row[3]) == pytest.approx(report.before.ece, abs=5e-5)
        assert row[1] == row[7]  # the accuracy before and after T
    # the first row is the model the page trained, judged on points it never saw
    with torch.no_grad():
        logits = run.trained.model(test.points)
    assert float(table.iloc[0, 2]) == pytest.approx(float(F.cross_entropy(logits, test.labels)),
                                                    abs=5e-5)  # fmt: skip
    said = " ".join(m.value for m in at.markdown)
    assert "the accuracy stays" in said and "Brier score" in said
    assert any("can its probabilities be trusted" in h.value for h in at.header)
