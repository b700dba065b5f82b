"""The Training page's replay (its chart's own slider and Play) against the trained run,
frame by frame.

The figure is built the way the page builds it (``ui.training_run.replay_figure``) from a
real short run (``ui.training_run.train``); every frame is checked against the model after
that step, rebuilt here from the run's snapshot, and its readout against the run's
recorded history. The size at the settings' maxima is checked on a run of those shapes.
"""

from __future__ import annotations

import re

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest
import torch
from plotly_payload import palette, picture, values

from ce_core import training
from figures.raster import hex_rgb
from figures.style import class_color
from ui.training_run import (
    GRID_RESOLUTION,
    REPLAY_COUNT,
    Replay,
    Run,
    Settings,
    replay_figure,
    train,
)

MAX_FIGURE_BYTES = 1_000_000
# The maxima of the page's settings sliders (pages/training.py; tests/test_app_training.py
# checks that the page still has these)
PAGE_MAXIMA = {"tr_classes": 8, "tr_points": 300, "tr_steps": 2000, "tr_hidden": 128}
SHORT = Settings("spirals", 3, 20, 0.1, 0, "mlp", 16, "cross_entropy", 0.3, 60, False)
# Two lines, each short enough for a phone's width (one line ran out of a 390 px figure)
READOUT = re.compile(
    r"<b>Step (\d+)</b> of (\d+):  (\d+) of (\d+) points wrong<br>"
    r"accuracy ([\d.]+)%,  cross-entropy ([\d.]+)"
)


@pytest.fixture(scope="module")
def run() -> Run:
    return train(SHORT)


@pytest.fixture(scope="module")
def spec(run: Run) -> dict:
    """The figure as Streamlit sends it (``st.plotly_chart`` writes ``to_dict``)."""
    return replay_figure(run).to_dict()


def test_one_frame_per_kept_step_from_the_untrained_model_to_the_last(run, spec):
    steps = sorted(run.trained.snapshots)
    assert steps == training.replay_steps(SHORT.steps, REPLAY_COUNT)
    assert steps[0] == 0 and steps[-1] == SHORT.steps
    names = [frame["name"] for frame in spec["frames"]]
    assert names == [str(step) for step in steps]
    slider = spec["layout"]["sliders"][0]
    assert [s["args"][0][0] for s in slider["steps"]] == names
    assert slider["active"] == len(names) - 1  # the figure starts at the last step
    # the maps are pictures that a frame swaps: no frame redraws the figure
    assert not any(s["args"][1]["frame"]["redraw"] for s in slider["steps"])
    play, pause = spec["layout"]["updatemenus"][0]["buttons"]
    assert play["label"].endswith("Play") and pause["label"].endswith("Pause")
    assert not play["args"][1]["frame"]["redraw"]


def test_every_frame_is_the_model_after_its_step(run, spec):
    """Both maps and the wrong points of each frame, against the model rebuilt from the
    run's snapshot; the readout against the run's recorded history."""
    points = torch.from_numpy(run.points).float()  # (n, 2): the model is float32
    labels = torch.from_numpy(run.labels)
    k = SHORT.n_classes
    wrong_points = len(spec["data"]) - 1  # the colour bar's, k point traces, the wrong points
    name, ce_history, accuracy_history = run.curves[0]
    assert name == "cross-entropy"
    readouts = {s["args"][0][0]: s["label"] for s in spec["layout"]["sliders"][0]["steps"]}
    for frame in spec["frames"]:
        step = int(frame["name"])
        net = training.model_after(run.trained, step)
        xs, ys, probs = training.probabilities_on_grid(net, points, GRID_RESOLUTION)
        # the grid: the same at every step, placed once (the pictures' cells are its cells)
        regions_image, sure_image = spec["layout"]["images"]
        step_x, step_y = float(xs[1] - xs[0]), float(ys[1] - ys[0])
        assert regions_image["x"] == pytest.approx(float(xs[0]) - step_x / 2)
        assert regions_image["y"] == pytest.approx(float(ys[-1]) + step_y / 2)
        assert sure_image["sizey"] == pytest.approx(step_y * GRID_RESOLUTION)
        regions_source, sure_source = (image["source"] for image in frame["layout"]["images"])
        # a picture's first row is the grid's top row (the last of ys)
        np.testing.assert_array_equal(picture(regions_source)[::-1], probs.argmax(-1).numpy())
        assert palette(regions_source)[:k] == [hex_rgb(class_color(c)) for c in range(k)]
        top = probs.max(-1).values.double().numpy()
        expected = 255 * (1 - (top - 1 / k) / (1 - 1 / k))  # sure is black, 1/k is white
        shown = picture(sure_source)[::-1].astype(np.float64)
        np.testing.assert_allclose(shown, expected, atol=0.5 + 1e-6)  # to the grey level
        wrong = (training.predictions(net, points) != labels).numpy()
        # the wrong points, and the regions' panel's first trace (unchanged: explore.py)
        assert frame["traces"] == [wrong_points, 0] and frame["data"][1] == {}
        update = frame["data"][0]
        x = values(update["x"])
        # every point once, drawn exactly where it is wrong at this step
        np.testing.assert_array_equal(np.isfinite(x), wrong)
        np.testing.assert_array_equal(x[wrong], run.points[wrong, 0].astype(np.float32))
        # The readout: the run's recorded accuracy and cross-entropy after ``step`` steps,
        # and as many wrong points as the frame draws
        match = READOUT.fullmatch(readouts[frame["name"]])
        assert match, readouts[frame["name"]]
        shown_step, of, n_wrong, n, accuracy, ce = match.groups()
        assert (int(shown_step), int(of)) == (step, SHORT.steps)
        assert f"{accuracy}%" == f"{accuracy_history[step]:.1%}"
        assert ce == f"{ce_history[step]:.4f}"
        assert int(n_wrong) == wrong.sum() == round((1 - accuracy_history[step]) * len(labels))
        assert int(n) == len(labels)


def test_the_figure_as_first_drawn_is_its_last_frame(run, spec):
    last = spec["frames"][-1]
    index, update = last["traces"][0], last["data"][0]
    np.testing.assert_array_equal(values(spec["data"][index]["x"]), values(update["x"]))
    drawn = [image["source"] for image in spec["layout"]["images"]]
    assert drawn == [image["source"] for image in last["layout"]["images"]]
    # the regions map draws every point, in one trace per class (the legend)
    k = SHORT.n_classes
    assert sum(len(values(spec["data"][1 + c]["x"])) for c in range(k)) == len(run.labels)
    assert spec["data"][0]["marker"]["cmin"] == pytest.approx(1 / k)  # the colour bar


def test_the_figure_validates(spec):
    go.Figure(spec)  # Plotly's own validation of every property, frames included
    # a frame carries only what moves: the wrong points' x and the two pictures
    # (besides the unchanged traces it names for Plotly to keep drawing: explore.kept_traces)
    assert all(len(f["data"]) == len(f["traces"]) for f in spec["frames"])
    assert all(len([d for d in f["data"] if d]) < len(spec["data"]) for f in spec["frames"])
    assert all(list(frame["layout"]) == ["images"] for frame in spec["frames"])
    assert all(list(image) == ["source"] for f in spec["frames"] for image in f["layout"]["images"])


def max_run() -> Run:
    """A run with the shapes of the page's maxima (8 classes, 2,400 points, 2,000 steps, so
    the most kept steps) and the longest numbers: training for real at those settings takes
    about a minute, and the figure's size depends on the shapes only (each frame sends both
    maps and every point's x)."""
    k, n_per_class, steps = PAGE_MAXIMA["tr_classes"], PAGE_MAXIMA["tr_points"], 2000
    kept = np.asarray(training.replay_steps(steps, REPLAY_COUNT))
    f, r, n = len(kept), GRID_RESOLUTION, k * n_per_class
    rng = np.random.default_rng(0)
    data = training.make_dataset("spirals", k, n_per_class, 0.5, seed=0)
    tiny = training.train(data, hidden=2, steps=1)  # only its type is used
    settings = Settings("spirals", k, n_per_class, 0.5, 0, "mlp", PAGE_MAXIMA["tr_hidden"],
                        "cross_entropy", 0.1, steps, True)  # fmt: skip
    # 2 decimals with a nonzero last digit: the longest a confidence is written
    confidence = (rng.integers(13, 99, (f, r, r)) + 0.01 * rng.integers(1, 10, (f, r, r))) / 100
    replay = Replay(
        steps=kept, grid_x=np.linspace(-2.5, 2.5, r, dtype=np.float32),
        grid_y=np.linspace(-2.5, 2.5, r, dtype=np.float32),
        predicted=rng.integers(0, k, (f, r, r)).astype(np.int8),
        confidence=confidence.astype(np.float32), wrong=rng.random((f, n)) < 0.5,
        accuracy=np.full(f, 0.123456), cross_entropy=np.full(f, 12.345678),
    )  # fmt: skip
    history = np.full(steps + 1, 12.345678), np.full(steps + 1, 0.123456)
    return Run(
        settings=settings, points=data.points.numpy(), labels=data.labels.numpy(),
        losses=("cross_entropy", "mse"), histories=[history, history], trained=tiny,
        replay=replay, seconds=60.0, reports=[],  # the replay does not draw them
    )  # fmt: skip


def test_the_figure_stays_under_1_mb_at_the_settings_maxima():
    run = max_run()
    spec = replay_figure(run).to_dict()
    assert 40 <= len(spec["frames"]) <= 60
    size = len(pio.to_json(spec, validate=False))
    assert size < MAX_FIGURE_BYTES, f"{size:,} bytes"
