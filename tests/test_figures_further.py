"""Figure builders of the PyTorch, Gradients and Training pages: data, marks, titled axes."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest
import torch
from plotly_payload import picture, values
from svg_picture import SVG, axis_map, bars_of, parse, text_of

import ce_core
from ce_core import training
from ce_core.gradients import (
    BINARY_CROSS_ENTROPY,
    CROSS_ENTROPY,
    DEPENDS_ON_CLASS_COUNT,
    MNIST_LOSS,
    MSE,
    loss_curves,
)
from ce_core.reference import autograd_grad
from figures.explore import PlayLabels
from figures.gradients import (
    MAX_GRADIENT_ROWS,
    LossAtCounts,
    class_count_rule,
    make_gradient_rows,
    make_loss_comparison,
    make_step_history,
    per_count_text,
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


def weighted_losses(stages: ce_core.Stages, reduced: float | None, reduction: str = "mean"):
    return make_weighted_losses(
        to_numpy(stages.losses), to_numpy(stages.target_weight), stages.ignored.numpy(),
        to_numpy(stages.target), stages.class_names, reduced, loss_label="loss",
        reduced_label=reduction, ignored_label="ignored", alt="Losses:",
    )  # fmt: skip


def test_weighted_losses_show_what_none_returns_and_hollow_ignored_rows():
    stages = stages_of(weight=[1.0, 3.0], target=[0, -100, 0, 1, 1, 0])
    picture = weighted_losses(stages, float(stages.loss))
    root = parse(picture.svg)
    bars, y_of = bars_of(root), axis_map(root)
    losses = to_numpy(stages.losses)
    heights = np.array([float(bar.get("height")) for bar in bars])
    np.testing.assert_allclose(heights, losses * (y_of(0) - y_of(1)), atol=0.01)
    values = [text_of(t) for t in root.iter(f"{SVG}text") if t.get("class") == "value"]
    assert values[1] == "ignored" and values[3] == f"{losses[3]:.3f}\nw=3"
    assert bars[1].get("fill") == "white" and bars[3].get("fill") == class_color(1)
    assert bars[3].get("stroke") == TARGET_OUTLINE and bars[1].get("stroke") == NEUTRAL
    assert len([r for r in root.iter(f"{SVG}rect") if r.get("fill") == "url(#hatch)"]) == 1
    ticks = [text_of(t) for t in root.iter(f"{SVG}text") if t.get("class") == "tick"]
    assert ticks[:4] == ["0\n3", "1\n—", "2\n3", "3\n7"]  # index and target under each bar
    line = next(x for x in root.iter(f"{SVG}line") if x.get("stroke-dasharray"))
    assert float(line.get("y1")) == pytest.approx(y_of(float(stages.loss)), abs=0.1)  # the mean
    reference = next(t for t in root.iter(f"{SVG}text") if t.get("class") == "reference")
    assert reference.text == f"mean = {float(stages.loss):.4f}"
    # no hover in a picture: its text alternative has every sample's numbers
    assert picture.alt.startswith("Losses: idx 0 (target 3, weight 1): ")
    assert "idx 1: ignored" in picture.alt and f"weight 3): {losses[3]:.6g}" in picture.alt


def test_weighted_losses_with_probability_targets_and_nan_mean():
    soft = stages_of(target=[[0.2, 0.8]] * 6)
    root = parse(weighted_losses(soft, None, "none").svg)
    assert {bar.get("fill") for bar in bars_of(root)} == {class_color(1)}  # the likeliest class
    assert not [x for x in root.iter(f"{SVG}line") if x.get("stroke-dasharray")]
    ignored = stages_of(target=[-100] * 6)
    root = parse(weighted_losses(ignored, float(ignored.loss)).svg)
    assert not [x for x in root.iter(f"{SVG}line") if x.get("stroke-dasharray")]  # a nan mean
    assert {bar.get("stroke") for bar in bars_of(root)} == {NEUTRAL}


def test_weighted_losses_of_a_large_batch_write_every_few_indices():
    logits = torch.randn(64, 5, generator=torch.Generator().manual_seed(0))
    stages = ce_core.explain(logits, torch.arange(64) % 5, device="cpu")
    root = parse(weighted_losses(stages, float(stages.loss)).svg)
    assert len(bars_of(root)) == 64
    assert not [t for t in root.iter(f"{SVG}text") if t.get("class") == "value"]  # too narrow
    ticks = [text_of(t) for t in root.iter(f"{SVG}text") if t.get("class") == "tick"]
    assert ticks == [str(k) for k in range(0, 64, 5)]


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


def test_loss_comparison_draws_every_class_count_and_the_current_point():
    grid = torch.linspace(0.01, 0.99, 50, dtype=torch.float64)
    probs = np.array([0.1, 0.3])
    counts = (2, 3)
    over_grid = [loss_curves(grid, c) for c in counts]
    at_probs = [loss_curves(torch.from_numpy(probs), c) for c in counts]

    def rows(group: list, i: int, field: str) -> np.ndarray:  # (K, P) or (K, F)
        return np.stack([to_numpy(getattr(curves[i], field)) for curves in group])

    losses = [
        LossAtCounts(key, rows(over_grid, i, "loss"), rows(over_grid, i, "grad"),
                     rows(at_probs, i, "loss"), rows(at_probs, i, "grad"),
                     key in DEPENDS_ON_CLASS_COUNT)
        for i, key in enumerate(c.key for c in over_grid[0])
    ]  # fmt: skip
    fig = make_loss_comparison(
        to_numpy(grid), counts, losses, probs, 1, title="t", p_label="p", loss_label="loss",
        grad_label="grad", readouts=["a", "b"],
    )  # fmt: skip
    figure = fig.to_dict()
    go.Figure(figure)  # valid for Plotly, frames included
    # cross-entropy and mnist_loss never move and do not depend on C: layout paths; MSE and
    # binary cross-entropy: one picture per class count; every legend entry a line of no
    # length in its curve's style
    paths = [shape for shape in fig.layout.shapes if shape.type == "path"]
    keys = [shape for shape in fig.layout.shapes if shape.type == "line"]
    assert len(paths) == 4 and [path.yref for path in paths[:2]] == ["y", "y2"]
    assert len(fig.layout.images) == len(counts)
    assert [key.name for key in keys] == [c.key for c in over_grid[0]]
    assert all(k.showlegend for k in keys) and len({k.line.dash for k in keys}) == 4
    first = paths[1].path.removeprefix("M").split("L")[0]  # cross-entropy's gradient at 0.01
    assert [float(v) for v in first.split(",")] == [0.01, round(float(over_grid[0][0].grad[0]), 4)]
    assert len(figure["data"]) == 2
    # Plotly would hover the hidden counts' points too, and label the wrong one
    assert all(trace["hoverinfo"] == "skip" for trace in figure["data"])
    assert [frame["traces"] for frame in figure["frames"]] == [[0, 1], [0, 1]]
    loss_now, grad_now = figure["frames"][1]["data"]  # p = 0.3, the starting frame
    # the dotted line, then cross-entropy's and mnist_loss's points, then MSE's and binary
    # cross-entropy's at 2 and at 3 classes
    assert grad_now["x"] == [0.3, 0.3] + [None, 0.3] * 6  # each point apart from the next
    by_key = [{c.key: c for c in curves} for curves in at_probs]
    assert grad_now["y"][3:6:2] == [round(float(by_key[0][k].grad[1]), 4)
                                    for k in (CROSS_ENTROPY, MNIST_LOSS)]  # fmt: skip
    assert grad_now["y"][7::2] == [round(float(by_key[c][k].grad[1]), 4)
                                 for k in (MSE, BINARY_CROSS_ENTROPY) for c in (0, 1)]  # fmt: skip
    assert loss_now["y"][7::2] == [round(float(by_key[c][k].loss[1]), 4)
                                 for k in (MSE, BINARY_CROSS_ENTROPY) for c in (0, 1)]  # fmt: skip
    assert [step["label"] for step in figure["layout"]["sliders"][0]["steps"]] == ["a", "b"]
    assert figure["layout"]["sliders"][0]["active"] == 1


def test_the_class_count_rule_shows_one_count():
    losses = [LossAtCounts(name, *[np.zeros((2, 1))] * 4, per_count)
              for name, per_count in (("ce", False), ("mse", True), ("bce", True))]  # fmt: skip
    rule = class_count_rule(".chart", (2, 3), 3, losses)
    assert ".chart .layer-below .imagelayer image:not(:nth-of-type(2))" in rule
    # a panel's points: the line's two ends, cross-entropy's, then mse at 2 and 3, bce at 2, 3
    assert ".point:nth-child(n + 4):not(:nth-child(5)):not(:nth-child(7))" in rule
    assert ':not([style="--class-count:3"])' in rule
    assert per_count_text((2, 3), ["x", "y"]) == (
        '<span style="--class-count:2">x</span><span style="--class-count:3">y</span>'
    )


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
