"""The "Training" page through AppTest: it trains on "Train", keeps its run, replays it
step by step in one chart (its own slider: no rerun), and survives extremes."""

from __future__ import annotations

import json

import numpy as np
import pytest
from apptest_helpers import APP, ROOT, run_script
from plotly_payload import values
from streamlit.testing.v1 import AppTest
from test_explorations_training import PAGE_MAXIMA

PAGE = ROOT / "pages" / "training.py"


def training_loop(at: AppTest) -> str:
    """The page's last code block: the training loop for its settings."""
    return at.code[-1].value


def replay_tables(at: AppTest) -> list:
    """The replay's numbers table, once opened (the calibration table is always shown)."""
    return [d for d in at.dataframe if "step" in d.value.columns]


def run_page() -> AppTest:
    return run_script(PAGE)


def train(at: AppTest) -> AppTest:
    """Press the settings form's "Train" button."""
    (button,) = [b for b in at.button if b.label == "Train"]
    return button.click().run()


def replay_spec(at: AppTest) -> dict:
    """The replay's figure as the page sends it: the chart with a slider."""
    (spec,) = [
        spec for spec in (json.loads(chart.proto.spec) for chart in at.get("plotly_chart"))
        if spec["layout"].get("sliders")
    ]  # fmt: skip
    return spec


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
    # the curves; both maps in one replay chart; the reliability diagram
    assert len(at.get("plotly_chart")) == 3
    assert "F.cross_entropy(acts, y)" in training_loop(at)
    slider = replay_spec(at)["layout"]["sliders"][0]
    assert slider["steps"][slider["active"]]["label"].startswith("<b>Step 300</b> of 300:")
    # tests/test_explorations_training.py sizes the replay at these settings' maxima
    for key, maximum in PAGE_MAXIMA.items():
        assert at.slider(key=key).max == maximum


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


def test_the_replay_is_one_chart_with_a_frame_per_kept_step():
    at = run_page()
    run = at.session_state["tr_run"]
    # the chart's own slider replays: no Streamlit slider (the learning rate's is a setting)
    assert [slider.key for slider in at.select_slider] == ["tr_lr"]
    spec = replay_spec(at)
    steps = [int(frame["name"]) for frame in spec["frames"]]
    assert steps == list(run.replay.steps) and steps[0] == 0 and steps[-1] == 300
    assert 30 <= len(steps) <= 60
    # The untrained model: its readout's cross-entropy is the first point of the curve, and
    # the confidence map draws as many points as its accuracy leaves wrong.
    labels = {step["args"][0][0]: step["label"] for step in spec["layout"]["sliders"][0]["steps"]}
    untrained = run.replay.wrong[0]
    assert f"cross-entropy {run.curves[0][1][0]:.4f}" in labels["0"]
    assert f"{untrained.sum()} of 300 points wrong" in labels["0"]
    assert untrained.sum() == round((1 - run.curves[0][2][0]) * len(run.labels))
    n_classes = run.settings.n_classes
    drawn = spec["frames"][0]["data"][0]  # the wrong points' x: NaN where right
    assert np.isfinite(values(drawn["x"])).sum() == untrained.sum()
    # The regions map keeps every point, drawn once per class
    points = spec["data"][1 : 1 + n_classes]
    assert sum(len(values(trace["x"])) for trace in points) == len(run.labels)
    # The numbers' table (for the keyboard) lists every frame, drawn once opened (its open
    # state is the expander's key), without training again
    assert not replay_tables(at)
    at.session_state["tr_replay_numbers"] = True
    at.run()
    (table,) = replay_tables(at)
    assert list(table.value["step"]) == steps
    assert list(table.value["points wrong (of 300)"]) == list(run.replay.wrong.sum(axis=1))
    assert at.session_state["tr_run"] is run
    # Training again with other steps replays the new run, from its last step.
    at.slider(key="tr_steps").set_value(100)
    train(at)
    spec = replay_spec(at)
    assert spec["frames"][-1]["name"] == "100"
    assert spec["layout"]["sliders"][0]["active"] == len(spec["frames"]) - 1


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
    assert "F.mse_loss" in training_loop(at)
    # calibration: one run, one row, no choice of diagram, and how to see the other loss
    (table,) = [d.value for d in at.dataframe if "ECE" in d.value.columns]
    assert list(table["trained with"]) == ["MSE on softmax"]
    assert not [r for r in at.radio if r.key == "tr_calibration_run"]
    assert any("trained with the other loss beside this one" in m.value for m in at.markdown)


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
    assert "nn.Linear(2, K)" in training_loop(at)
    assert max(accuracies(at).values()) < 0.8


def test_the_page_inside_the_app():
    at = run_script(APP)
    at.switch_page("pages/training.py").run()
    assert not at.exception
    assert at.title[0].value.startswith("Training")
