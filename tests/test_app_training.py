"""The "Training" page through AppTest: it trains on "Train", keeps its run, replays it
step by step without training again, and survives extremes."""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest
from apptest_helpers import APP, ROOT, run_script
from streamlit.testing.v1 import AppTest

from ui.training_run import maps_after

PAGE = ROOT / "pages" / "training.py"


def run_page() -> AppTest:
    return run_script(PAGE)


def train(at: AppTest) -> AppTest:
    """Press the settings form's "Train" button."""
    (button,) = [b for b in at.button if b.label == "Train"]
    return button.click().run()


def sent_array(value: list | dict) -> np.ndarray:
    """An array of a chart's JSON as Plotly sends it: a list, or base64 typed-array data."""
    if isinstance(value, dict):
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
    return np.asarray(value)


def accuracies(at: AppTest) -> dict[str, float]:
    return {m.label: float(m.value.rstrip("%")) / 100 for m in at.metric}


def test_the_default_classifier_learns_the_spirals():
    at = run_page()
    shown = accuracies(at)
    assert list(shown) == ["accuracy, trained with cross-entropy",
                           "accuracy, trained with MSE on softmax"]  # fmt: skip
    ce, mse = shown.values()
    assert ce >= 0.85 and mse < ce
    assert any("Trained 2 × 300 steps" in c.value for c in at.caption)
    assert len(at.get("plotly_chart")) == 3
    assert "F.cross_entropy(acts, y)" in at.code[0].value
    assert at.select_slider(key="tr_replay").value == 300
    assert any("After 300 of 300 steps" in c.value for c in at.caption)


def test_redrawing_does_not_train_again_nor_does_moving_a_slider_until_train():
    at = run_page()
    trained_in = at.session_state["tr_run"].seconds  # a new training has a new duration
    at.run()
    assert at.session_state["tr_run"].seconds == trained_in
    at.slider(key="tr_noise").set_value(0.2).run()
    assert at.session_state["tr_run"].seconds == trained_in, "trained before Train"
    # A form's values travel with its submit button (AppTest, like a browser, drops a form
    # widget's unsubmitted value when the page reruns).
    at.slider(key="tr_noise").set_value(0.2)
    train(at)
    assert at.session_state["tr_run"].seconds != trained_in
    assert at.session_state["tr_run"].settings.noise == 0.2


def test_the_replay_shows_earlier_steps_without_training_again():
    at = run_page()
    run = at.session_state["tr_run"]
    assert run.replay_steps[0] == 0 and run.replay_steps[-1] == 300
    at.select_slider(key="tr_replay").set_value(0).run()
    assert not at.exception
    assert at.session_state["tr_run"] is run
    # The untrained model guesses: about 1/3 right on three balanced classes, and its
    # cross-entropy is the first point of the curve.
    untrained = next(c.value for c in at.caption if c.value.startswith("After 0 of 300"))
    assert f"cross-entropy {run.curves[0][1][0]:.4f}" in untrained
    at.select_slider(key="tr_replay").set_value(run.replay_steps[5]).run()
    assert any(f"After {run.replay_steps[5]} of 300" in c.value for c in at.caption)
    # The confidence map marks the points the model gets wrong at that step: as many as
    # its accuracy leaves (the regions map keeps them all).
    maps = maps_after(run, run.replay_steps[5])
    assert maps.wrong.dtype == bool and maps.wrong.shape == run.labels.shape
    assert maps.wrong.sum() == round((1 - maps.accuracy) * len(run.labels))
    regions, confidence = (json.loads(c.proto.spec) for c in at.get("plotly_chart")[1:])
    assert sum(len(sent_array(trace["x"])) for trace in regions["data"][1:]) == len(run.labels)
    assert sum(len(sent_array(trace["x"])) for trace in confidence["data"][1:]) == maps.wrong.sum()
    assert confidence["layout"]["title"]["text"].endswith(f"wrong: {maps.wrong.sum()}")
    assert any(f"only the {maps.wrong.sum()} of 300 points" in c.value for c in at.caption)
    # Training again with other steps starts the replay at the new last step.
    at.slider(key="tr_steps").set_value(100)
    train(at)
    assert at.select_slider(key="tr_replay").value == 100


def test_the_same_seed_gives_the_same_result():
    first = run_page()
    second = run_page()
    assert accuracies(first) == accuracies(second)
    assert (
        first.session_state["tr_run"].curves[0][1] == second.session_state["tr_run"].curves[0][1]
    ).all()


def test_training_with_mse_alone():
    at = run_page()
    at.toggle(key="tr_compare").set_value(False)
    at.radio(key="tr_loss").set_value("mse")
    train(at)
    assert list(accuracies(at)) == ["accuracy, trained with MSE on softmax"]
    assert "F.mse_loss" in at.code[0].value


@pytest.mark.parametrize(
    "settings",
    [
        {"tr_classes": 8, "tr_points": 300, "tr_noise": 0.5, "tr_steps": 10, "tr_hidden": 2},
        {"tr_classes": 2, "tr_points": 10, "tr_noise": 0.0, "tr_steps": 2000, "tr_hidden": 128},
    ],
    ids=["biggest-data-fewest-steps", "smallest-data-most-steps"],
)
def test_every_controls_extremes(settings):
    at = run_page()
    for key, value in settings.items():
        at.slider(key=key).set_value(value)
    train(at)
    assert not at.exception
    assert at.session_state["tr_run"].settings.steps == settings["tr_steps"]
    for dataset in ("blobs", "moons"):
        at.radio(key="tr_dataset").set_value(dataset)
        train(at)
        assert not at.exception
        assert at.session_state["tr_run"].settings.dataset == dataset


def test_a_learning_rate_too_large_is_explained():
    at = run_page()
    at.radio(key="tr_dataset").set_value("blobs")
    for key, value in {
        "tr_classes": 8,
        "tr_points": 300,
        "tr_noise": 0.5,
        "tr_hidden": 128,
    }.items():
        at.slider(key=key).set_value(value)
    at.select_slider(key="tr_lr").set_value(3.0)
    train(at)
    assert not at.exception
    assert any("too large" in w.value for w in at.warning)


def test_a_linear_model_on_spirals():
    at = run_page()
    at.radio(key="tr_model").set_value("linear")
    train(at)
    assert not at.exception
    assert "nn.Linear(2, K)" in at.code[0].value
    assert max(accuracies(at).values()) < 0.8


def test_the_page_inside_the_app():
    at = run_script(APP)
    at.switch_page("pages/training.py").run()
    assert not at.exception
    assert at.title[0].value.startswith("Training")
