"""Figure builders of the PyTorch, Gradients and Training pages: data, marks, titled axes."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest
import torch
from plotly_payload import picture, values

import ce_core
from ce_core import training
from ce_core.gradients import loss_curves
from ce_core.reference import autograd_grad
from figures.explore import PlayLabels
from figures.gradients import (
    MAX_GRADIENT_ROWS,
    make_gradient_rows,
    make_loss_comparison,
    make_step_history,
)
from figures.pytorch import make_weighted_losses
from figures.style import NEUTRAL, TARGET_OUTLINE, class_color
from figures.training import CLASS_SYMBOLS, SYMBOL_NUMBERS, make_replay, make_training_curves
from ui.view import to_numpy

PRESET = ce_core.PRESETS["3-vs-7"]


def stages_of(**options) -> ce_core.Stages:
    target = options.pop("target", PRESET.targets)
    return ce_core.explain(
        PRESET.logits, target, class_names=PRESET.class_names, device="cpu", **options
    )


def test_weighted_losses_show_what_none_returns_and_hollow_ignored_rows():
    stages = stages_of(weight=[1.0, 3.0], target=[0, -100, 0, 1, 1, 0])
    fig = make_weighted_losses(
        to_numpy(stages.losses), to_numpy(stages.target_weight), stages.ignored.numpy(),
        stages.target.numpy(), stages.class_names, float(stages.loss), title="t",
        loss_label="loss", reduced_label="mean", ignored_label="ignored",
    )  # fmt: skip
    bars = fig.data[0]
    np.testing.assert_allclose(np.asarray(bars.y), to_numpy(stages.losses))
    assert bars.text[1] == "ignored" and "w=3" in bars.text[3]
    assert bars.marker.color[1] == "white" and bars.marker.pattern.shape[1] == "/"
    assert bars.marker.color[3] == class_color(1)
    assert fig.layout.shapes[0].y0 == float(stages.loss)  # the weighted mean, dashed
    assert fig.layout.xaxis.title.text and fig.layout.yaxis.title.text


def test_weighted_losses_with_probability_targets_and_nan_mean():
    soft = stages_of(target=[[0.2, 0.8]] * 6)
    fig = make_weighted_losses(
        to_numpy(soft.losses), to_numpy(soft.target_weight), soft.ignored.numpy(),
        to_numpy(soft.target), soft.class_names, None, title="t", loss_label="l",
        reduced_label="none", ignored_label="ignored",
    )  # fmt: skip
    assert set(fig.data[0].marker.color) == {class_color(1)}  # the likeliest class
    assert not fig.layout.shapes
    ignored = stages_of(target=[-100] * 6)
    fig = make_weighted_losses(
        to_numpy(ignored.losses), to_numpy(ignored.target_weight), ignored.ignored.numpy(),
        ignored.target.numpy(), ignored.class_names, float(ignored.loss), title="t",
        loss_label="l", reduced_label="mean", ignored_label="ignored",
    )  # fmt: skip
    assert not fig.layout.shapes  # a nan mean draws no line
    assert set(fig.data[0].marker.line.color) == {NEUTRAL}


def test_gradient_rows_put_the_formula_on_autograds_bars():
    stages = stages_of()
    grad = to_numpy(autograd_grad(stages))
    fig = make_gradient_rows(
        grad, to_numpy(stages.grad), range(10), stages.target.numpy(), stages.class_names,
        title="t", grad_label="g", autograd_label="autograd", formula_label="formula",
    )  # fmt: skip
    bars = [trace for trace in fig.data if trace.type == "bar"]
    diamonds = [trace for trace in fig.data if trace.type == "scatter"]
    assert len(bars) == len(diamonds) == min(6, MAX_GRADIENT_ROWS)
    np.testing.assert_allclose(np.asarray(bars[1].y), grad[1])
    np.testing.assert_allclose(np.asarray(diamonds[1].y), to_numpy(stages.grad[1]))
    assert list(bars[1].x) == ["3", "7"] and fig.layout.xaxis.type == "category"
    assert bars[1].marker.line.color[1] == TARGET_OUTLINE  # idx 1's target is class 1
    assert fig.layout.yaxis.title.text == "g"


def test_loss_comparison_draws_four_curves_and_the_current_point():
    grid = torch.linspace(0.01, 0.99, 50, dtype=torch.float64)
    curves = loss_curves(grid, 3)
    probs = np.array([0.1, 0.3])
    now = loss_curves(torch.from_numpy(probs), 3)
    fig = make_loss_comparison(
        to_numpy(grid), [(c.key, to_numpy(c.loss), to_numpy(c.grad)) for c in curves], probs,
        [(to_numpy(c.loss), to_numpy(c.grad)) for c in now], 1, title="t", p_label="p",
        loss_label="loss", grad_label="grad", readouts=["a", "b"],
    )  # fmt: skip
    figure = fig.to_dict()
    go.Figure(figure)  # valid for Plotly, frames included
    # the curves never move: layout paths (4 losses x (loss, gradient)), each legend entry a
    # line of no length in the curve's style; the two traces follow p
    paths = [shape for shape in fig.layout.shapes if shape.type == "path"]
    keys = [shape for shape in fig.layout.shapes if shape.type == "line"]
    assert len(paths) == 8 and [path.yref for path in paths[:2]] == ["y", "y2"]
    assert [key.name for key in keys] == [c.key for c in curves] and all(k.showlegend for k in keys)
    assert len({path.line.dash for path in paths}) == 4  # told apart without colour
    first = paths[1].path.removeprefix("M").split("L")[0]  # cross-entropy's gradient at 0.01
    assert [float(v) for v in first.split(",")] == [0.01, round(float(curves[0].grad[0]), 4)]
    assert len(figure["data"]) == 2
    assert [frame["traces"] for frame in figure["frames"]] == [[0, 1], [0, 1]]
    loss_now, grad_now = figure["frames"][1]["data"]  # p = 0.3, the starting frame
    assert grad_now["x"] == [0.3, 0.3] + [None, 0.3] * 4  # the dotted line, then the points
    assert grad_now["y"][3::2] == [round(float(c.grad[1]), 4) for c in now]
    assert loss_now["y"][3::2] == [round(float(c.loss[1]), 4) for c in now]
    assert list(fig.data[1].marker.color[3::2]) == [key.line.color for key in keys]
    assert [step["label"] for step in figure["layout"]["sliders"][0]["steps"]] == ["a", "b"]
    assert figure["layout"]["sliders"][0]["active"] == 1


def test_step_history_plots_the_loss_and_each_target_probability():
    fig = make_step_history(
        np.array([1.78, 1.5, 1.3]), np.array([[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]]),
        np.array([0, 1]), title="t", step_label="step", loss_label="loss", prob_label="p",
    )  # fmt: skip
    assert list(fig.data[0].y) == [1.78, 1.5, 1.3]
    assert list(fig.data[2].y) == [0.2, 0.4, 0.6]
    assert fig.data[2].line.color == class_color(1)


def test_the_symbol_numbers_are_plotlys():
    """Plotly lists each symbol as (number, "number", name): the numbers the replay sends."""
    symbols = go.Scatter()._get_validator("marker").data_class()._get_validator("symbol").values
    for name in CLASS_SYMBOLS:
        assert symbols[symbols.index(name) - 2] == SYMBOL_NUMBERS[name]


def test_training_figures():
    data = training.make_dataset("blobs", 3, 20, 0.1, seed=0)
    result = training.train(data, steps=30)
    fig = make_training_curves(
        [("cross-entropy", to_numpy(result.cross_entropy), to_numpy(result.accuracy))],
        title="t", step_label="step", loss_label="loss", accuracy_label="accuracy",
    )  # fmt: skip
    assert len(fig.data) == 2 and len(fig.data[0].y) == 30
    assert list(fig.data[0].x[:2]) == [0, 1]  # index s: the model after s steps
    # The replay: both maps after each kept step (here 0 and 30), one frame each
    result = training.train(data, steps=30, snapshot_at=(0, 30))
    grids = [training.probabilities_on_grid(training.model_after(result, s), data.points, 40)
             for s in (0, 30)]  # fmt: skip
    xs, ys = to_numpy(grids[0][0]), to_numpy(grids[0][1])
    probs = np.stack([to_numpy(p) for _, _, p in grids])  # (2, 40, 40, 3)
    wrong = np.stack([(training.predictions(training.model_after(result, s), data.points)
                       != data.labels).numpy() for s in (0, 30)])  # fmt: skip
    fig = make_replay(
        xs, ys, probs.argmax(-1), probs.max(-1), wrong, to_numpy(data.points),
        data.labels.numpy(), ["0", "1", "2"], ["0", "30"], ["step 0", "step 30"], title="t",
        regions_title="r", confidence_title="c", confidence_value="m",
        play=PlayLabels("Play", "Pause"),
    )  # fmt: skip
    scale_key, *points, overlay = fig.data
    assert [p.marker.symbol for p in points] == list(CLASS_SYMBOLS[:3])
    labels = data.labels.numpy()
    # colour and symbol by class: class k's symbol number and the k-th stop of the scale
    assert list(overlay.marker.symbol) == [SYMBOL_NUMBERS[CLASS_SYMBOLS[k]] for k in labels]
    assert list(overlay.marker.color) == list(labels)
    scale = [color for _, color in overlay.marker.colorscale]
    assert scale == [class_color(k) for k in range(3)] and overlay.marker.cmax == 2
    assert fig.layout.yaxis.scaleanchor == "x" and fig.layout.yaxis2.scaleanchor == "x2"
    assert overlay.xaxis == "x2" and scale_key.marker.showscale and not scale_key.x[0]
    assert overlay.hoverinfo == "skip" and all(p.hoverinfo != "skip" for p in points)
    # every frame names the regions' panel's first trace too (unchanged): Plotly keeps it
    assert all(f["traces"] == [4, 0] and f["data"][1] == {} for f in fig.to_dict()["frames"])
    # drawn at the last step: the wrong points where they are, the others not drawn (NaN)
    shown = values(overlay.x).astype(np.float64)
    np.testing.assert_array_equal(np.isfinite(shown), wrong[-1])
    np.testing.assert_allclose(shown[wrong[-1]], to_numpy(data.points)[wrong[-1], 0], rtol=1e-6)
    # the maps: pictures covering the grid's cells exactly, on their own panels
    regions_image, sure_image = fig.layout.images
    assert (regions_image.xref, sure_image.xref) == ("x", "x2")
    step = float(xs[1] - xs[0])
    assert regions_image.x == pytest.approx(xs[0] - step / 2)
    assert regions_image.sizex == pytest.approx(step * 40)
    assert list(fig.layout.xaxis.range) == pytest.approx([xs[0] - step / 2, xs[-1] + step / 2])
    classes = np.asarray(picture(regions_image.source))[::-1]  # row 0 of z is the bottom
    np.testing.assert_array_equal(classes, probs[-1].argmax(-1))
    frames = fig.to_dict()["frames"]
    assert [f["name"] for f in frames] == ["0", "30"]
    assert [s.label for s in fig.layout.sliders[0].steps] == ["step 0", "step 30"]
