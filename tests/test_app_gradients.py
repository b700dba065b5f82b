"""The "Gradients" page through AppTest: the formula, the loss comparison, the steps."""

from __future__ import annotations

import json

import pytest
import torch
import torch.nn.functional as F
from apptest_helpers import APP, ROOT, run_script
from plotly_payload import at_class_count
from streamlit.testing.v1 import AppTest

import ce_core

PAGE = ROOT / "pages" / "gradients.py"
PRESET = ce_core.PRESETS["3-vs-7"]


def run_page() -> AppTest:
    return run_script(PAGE)


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    return " ".join(parts + [x.value for x in at.latex] + [i.value for i in at.info])


def metric(at: AppTest, starts: str) -> str:
    return next(m.value for m in at.metric if m.label.startswith(starts))


def test_autograd_and_the_formula_agree_on_the_books_batch():
    at = run_page()
    assert "between autograd and the formula: 0.00e+00" in texts(at) or "e-0" in texts(at)
    grad = (
        torch.softmax(torch.tensor(PRESET.logits), 1) - F.one_hot(torch.tensor(PRESET.targets))
    ) / 6
    assert f"{float(grad[0, 0]):.4f}" in at.latex[0].value  # idx 0, class 3: (0.7795 - 1) / 6
    assert "divided by N = 6" in texts(at)
    assert len(at.get("plotly_chart")) == 5


@pytest.mark.parametrize(("reduction", "said"), [("sum", "no division"), ("none", "their sum")])
def test_the_sidebars_reduction_changes_the_gradient(reduction, said):
    at = run_page()
    at.session_state["reduction"] = reduction
    at.run()
    assert not at.exception and said in texts(at)


def loss_comparison(at: AppTest) -> dict:
    """The figure with a slider of its own: the losses compared."""
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    (spec,) = [spec for spec in specs if spec["layout"].get("sliders")]
    return spec


def readouts(at: AppTest) -> dict[str, str]:
    """The loss comparison's slider: each position's readout, by the position's name."""
    steps = loss_comparison(at)["layout"]["sliders"][0]["steps"]
    return {step["value"]: step["label"] for step in steps}


def test_confidently_wrong_only_cross_entropy_pushes():
    at = run_page()
    assert "gr_p" not in [slider.key for slider in at.slider]  # p is the chart's own slider
    confidently_wrong = at_class_count(readouts(at)["0.010"], 3)
    assert "CE -0.9900" in confidently_wrong
    mse = float(confidently_wrong.split("MSE ", 1)[1].split("<br>")[0])
    assert abs(mse) < 0.01  # MSE: vanished
    assert "pushes 101.0× as hard" in confidently_wrong  # 2 / (2 * 0.01 * 0.99)
    assert "**4.0×**" in texts(at) and "**201×**" in texts(at)  # at p = 0.5 and p = 0.005


def test_the_exact_gradients_are_written_out_with_autograds_numbers():
    at = run_page()
    at.slider(key="gr_classes").set_value(5).run()
    readout = at_class_count(readouts(at)["0.200"], 5)
    latex = next(x.value for x in at.latex if "mnist" in x.value)
    p, c = 0.2, 5
    exact = {"CE": p - 1, "mnist": -p * (1 - p),
             "MSE": -2 * p * (1 - p) ** 2 / (c - 1)}  # fmt: skip
    for name, value in exact.items():
        assert f"{name} {value:.4f}" in readout
    assert "C - 1" in latex and "p - 1" in latex  # the formulas, for every p
    assert "for C = 5: at every position of the slider" in texts(at)
    # the figure holds every class count; the page's style rule shows C = 5's numbers
    (rule,) = [html.proto.body for html in at.get("html") if "class-count" in html.proto.body]
    assert ':not([style="--class-count:5"])' in rule


def test_the_mean_is_not_said_to_fix_the_learning_rate():
    text = texts(run_page())  # reduction "mean"
    assert "does not grow with the batch size" in text
    assert "does not need to change" not in text


@pytest.mark.parametrize("n_classes", [2, 10])
def test_class_count_extremes(n_classes):
    at = run_page()
    at.slider(key="gr_classes").set_value(n_classes).run()
    assert not at.exception


def test_a_step_lowers_the_loss_and_reset_goes_back():
    at = run_page()
    assert metric(at, "loss after 0 steps") == "1.7790"
    at.button(key="gr_step").click().run()
    after = float(metric(at, "loss after 1 steps"))
    acts = torch.tensor(PRESET.logits, requires_grad=True)
    F.cross_entropy(acts, torch.tensor(PRESET.targets)).backward()
    stepped = acts.detach() - 1.0 * acts.grad
    assert after == pytest.approx(
        float(F.cross_entropy(stepped, torch.tensor(PRESET.targets))), abs=1e-4
    )
    at.button(key="gr_step").click().run()
    assert float(metric(at, "loss after 2 steps")) < after
    at.button(key="gr_reset").click().run()
    assert metric(at, "loss after 0 steps") == "1.7790"


def test_a_huge_learning_rate_many_times_stays_finite():
    at = run_page()
    at.select_slider(key="gr_lr").set_value(100.0).run()
    for _ in range(5):
        at.button(key="gr_step").click().run()
    assert not at.exception
    value = float(metric(at, "loss after 5 steps"))
    assert 0.0 <= value < 1.7790


def test_no_rows_selected_is_fine():
    at = run_page()
    at.multiselect(key="gr_rows").set_value([]).run()
    assert not at.exception and len(at.get("plotly_chart")) == 4


def test_a_new_batch_starts_the_steps_over():
    at = run_page()
    at.button(key="gr_step").click().run()
    at.selectbox(key="gr_source").set_value("pet-batch").run()
    assert not at.exception
    assert any(m.label.startswith("loss after 0 steps") for m in at.metric)


def test_the_page_inside_the_app():
    at = run_script(APP)
    at.switch_page("pages/gradients.py").run()
    assert not at.exception
    assert at.title[0].value.startswith("Gradients")
