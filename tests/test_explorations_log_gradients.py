"""The Log and Gradients pages' explorations (the charts' own sliders), frame by frame,
against PyTorch.

The figures are read off the pages as AppTest runs them (the spec Streamlit would send), so
what is checked is what a learner sees at every position of each slider: the point on each
curve and the numbers of the readout, to the rounding each uses (4 decimals: 5e-5).
"""

from __future__ import annotations

import base64
import json
import math
import re

import numpy as np
import plotly.graph_objects as go
import plotly.io
import pytest
import torch
import torch.nn.functional as F
from apptest_helpers import ROOT, run_script
from plotly_payload import at_class_count
from streamlit.testing.v1 import AppTest

from ce_core.gradients import (
    BINARY_CROSS_ENTROPY,
    CROSS_ENTROPY,
    MNIST_LOSS,
    MSE,
    exact_target_grads,
    loss_curves,
)

MAX_FIGURE_BYTES = 1_000_000
ROUNDING = 5e-5 + 1e-12  # half the last of 4 decimals
NUMBER = r"(-?\d+\.\d+)"
CLASS_COUNTS = tuple(range(2, 11))  # the Gradients page's C slider, 2 to 10 classes


def exploration(at: AppTest) -> dict:
    """The page's one figure with a slider of its own."""
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    (spec,) = [spec for spec in specs if spec["layout"].get("sliders")]
    return spec


def frames_by_value(spec: dict) -> list[tuple[float, dict, str]]:
    """(parameter, frame, readout) for every step of the figure's slider, in its order."""
    frames = {frame["name"]: frame for frame in spec["frames"]}
    steps = spec["layout"]["sliders"][0]["steps"]
    return [(float(step["value"]), frames[step["args"][0][0]], step["label"]) for step in steps]


def readout_numbers(pattern: str, readout: str) -> list[float]:
    match = re.fullmatch(pattern, readout)
    assert match, readout
    return [float(value) for value in match.groups()]


def assert_small_and_valid(spec: dict) -> None:
    go.Figure(spec)  # Plotly's own validation of every property, frames included
    assert len(plotly.io.to_json(spec, validate=False)) < MAX_FIGURE_BYTES
    assert len(spec["frames"]) == len(spec["layout"]["sliders"][0]["steps"])
    # a frame carries only the traces that move, not the figure again (its layout, its curves)
    assert all(len(f["data"]) == len(f["traces"]) <= len(spec["data"]) for f in spec["frames"])
    assert all(set(f) == {"name", "traces", "data"} for f in spec["frames"])


# ------------------------------------------------------------------------------ the log curve

LOG_READOUT = rf"p = {NUMBER}:  log p = {NUMBER},  −log p = {NUMBER}"


@pytest.fixture(scope="module")
def log_curve() -> dict:
    return exploration(run_script(ROOT / "pages" / "log_likelihood.py"))


def test_the_log_curve_is_small_and_valid(log_curve):
    assert_small_and_valid(log_curve)


def test_the_log_curves_positions(log_curve):
    values = [p for p, _, _ in frames_by_value(log_curve)]
    assert len(values) == 111 and values == sorted(set(values))
    assert values[0] == 0.001 and values[-1] == 1.0
    assert {0.01, 0.1, 0.5, 0.99, 0.999} <= set(values)
    assert values[log_curve["layout"]["sliders"][0]["active"]] == 0.5  # drawn first at 0.5
    assert log_curve["data"][3]["x"] == [0.5]
    # denser where -log(p) is steep: every thousandth below p = 0.01
    assert sum(p < 0.01 for p in values) == 9


def test_every_log_frame_is_minus_log_p(log_curve):
    for p, frame, readout in frames_by_value(log_curve):
        log_p = float(torch.log(torch.tensor(p, dtype=torch.float64)))
        (update,) = frame["data"]
        assert frame["traces"] == [3] and update["x"] == [p]
        assert update["y"][0] == pytest.approx(-log_p, abs=ROUNDING)
        shown_p, shown_log, shown_loss = readout_numbers(LOG_READOUT, readout)
        assert shown_p == p and frame["name"] == f"{p:.3f}"
        assert shown_log == pytest.approx(log_p, abs=ROUNDING)
        assert shown_loss == pytest.approx(-log_p, abs=ROUNDING)
        assert "-0.0000" not in readout  # log(1) is 0


def test_the_marks_and_the_samples_stay_on_the_curve(log_curve):
    marks = log_curve["data"][4]
    assert marks["x"] == [0.99, 0.999]
    for p, loss in zip(marks["x"], marks["y"], strict=True):
        assert loss == pytest.approx(-math.log(p), rel=1e-12)
    samples = log_curve["data"][2]  # numpy arrays travel as base64 (plotly's "bdata")
    probs, losses = (np.frombuffer(base64.b64decode(samples[axis]["bdata"]), samples[axis]["dtype"])
                     for axis in ("x", "y"))  # fmt: skip
    np.testing.assert_allclose(losses, -np.log(probs), rtol=1e-5)


# ----------------------------------------------------------------- the gradients compared

GRADIENT_READOUT = (
    rf"p = {NUMBER},  ∂loss/∂a<sub>t</sub>:<br>CE {NUMBER},  mnist {NUMBER},  MSE {NUMBER}<br>"
    rf"cross-entropy pushes {NUMBER}× as hard as MSE"
)


def by_autograd(p: float, n_classes: int) -> list[tuple[float, float]]:
    """(loss, d loss / d the target's logit) of cross-entropy, MSE, mnist_loss and binary
    cross-entropy, in the figure's order, for one sample whose softmax gives the target p
    and shares the rest evenly; one backward each."""
    rest = [(1 - p) / (n_classes - 1)] * (n_classes - 1)
    one_hot = F.one_hot(torch.tensor(0), n_classes).to(torch.float64)
    losses = [
        lambda z: F.cross_entropy(z, torch.tensor(0)),
        lambda z: F.mse_loss(z.softmax(0), one_hot),
        lambda z: 1 - z.softmax(0)[0],
        lambda z: F.binary_cross_entropy(z.softmax(0), one_hot),
    ]
    results = []
    for loss_of in losses:
        logits = torch.tensor([p, *rest], dtype=torch.float64).log().requires_grad_()
        loss = loss_of(logits)
        loss.backward()
        results.append((float(loss.detach()), float(logits.grad[0])))
    return results


@pytest.fixture(scope="module")
def gradient_pages() -> dict[int, AppTest]:
    """The page at 3 classes (the default), 2 and 10."""
    pages = {}
    for n_classes in (3, 2, 10):
        at = run_script(ROOT / "pages" / "gradients.py")
        if n_classes != 3:
            at.slider(key="gr_classes").set_value(n_classes).run()
            assert not at.exception
        pages[n_classes] = at
    return pages


def test_the_gradient_figure_is_small_and_valid(gradient_pages):
    for at in gradient_pages.values():
        assert_small_and_valid(exploration(at))


def test_the_gradient_figures_positions(gradient_pages):
    spec = exploration(gradient_pages[3])
    values = [p for p, _, _ in frames_by_value(spec)]
    assert len(values) == 101 and values == sorted(set(values))
    assert values[0] == 0.005 and values[-1] == 0.995 and {0.01, 0.5} <= set(values)
    assert values[spec["layout"]["sliders"][0]["active"]] == 0.05  # drawn first at 0.05


def class_count_rule(at: AppTest) -> str:
    """The style rule the page writes for the C slider."""
    (rule,) = [html.proto.body for html in at.get("html") if "class-count" in html.proto.body]
    return rule


def test_the_c_slider_changes_a_style_rule_not_the_figure(gradient_pages):
    # the browser draws the figure once: every class count is in it
    specs = {n: exploration(at) for n, at in gradient_pages.items()}
    assert specs[2] == specs[3] == specs[10]
    assert len(specs[3]["layout"]["images"]) == len(CLASS_COUNTS)  # MSE's, BCE's curves
    for n_classes, at in gradient_pages.items():
        rule = class_count_rule(at)
        assert f':not([style="--class-count:{n_classes}"])' in rule
        count = CLASS_COUNTS.index(n_classes)
        assert f"image:not(:nth-of-type({count + 1}))" in rule


@pytest.mark.parametrize("n_classes", CLASS_COUNTS)
def test_each_count_picture_draws_that_counts_curves(gradient_pages, n_classes):
    spec = exploration(gradient_pages[3])
    image = spec["layout"]["images"][CLASS_COUNTS.index(n_classes)]
    svg = base64.b64decode(image["source"].split(",", 1)[1]).decode()
    paths = re.findall(r'<path d="M([^"]*)" clip-path="url\(#p(\d)\)"', svg)
    assert [panel for _, panel in paths] == ["0", "0", "1", "1"]  # MSE, BCE in each panel
    grid = torch.linspace(0.0025, 0.9975, 200, dtype=torch.float64)
    curves = {c.key: c for c in loss_curves(grid, n_classes)}
    # ce_core's curves, which the picture draws, are PyTorch's own at every tenth point
    for i in range(0, len(grid), 10):
        expected = by_autograd(float(grid[i]), n_classes)
        for key, (loss, grad) in ((MSE, expected[1]), (BINARY_CROSS_ENTROPY, expected[3])):
            assert float(curves[key].loss[i]) == pytest.approx(loss, rel=1e-9, abs=1e-12)
            assert float(curves[key].grad[i]) == pytest.approx(grad, rel=1e-9, abs=1e-12)
    domains = [spec["layout"]["xaxis"]["domain"], spec["layout"]["xaxis2"]["domain"]]
    ranges = [spec["layout"]["yaxis"]["range"], spec["layout"]["yaxis2"]["range"]]
    for (d, panel), key in zip(paths, [MSE, BINARY_CROSS_ENTROPY] * 2, strict=True):
        k = int(panel)
        (left, right), (low, high) = domains[k], ranges[k]
        points = np.array([[float(v) for v in xy.split(",")] for xy in d.split("L")])
        drawn_p = (points[:, 0] / 1000 - left) / (right - left)
        drawn_value = high - points[:, 1] / 1000 * (high - low)
        expected = (curves[key].loss if k == 0 else curves[key].grad).numpy()
        np.testing.assert_allclose(drawn_p, grid.numpy(), atol=1e-3)
        # a tenth of a thousandth of the plot: far below a pixel
        np.testing.assert_allclose(drawn_value, expected, atol=(high - low) * 1e-4)


@pytest.mark.parametrize("n_classes", [3, 2, 10])
def test_every_gradient_frame_is_autograds(gradient_pages, n_classes):
    spec = exploration(gradient_pages[n_classes])
    for p, frame, readout in frames_by_value(spec):
        at_counts = {count: by_autograd(p, count) for count in CLASS_COUNTS}
        expected = at_counts[n_classes]
        loss_panel, grad_panel = frame["data"]
        for panel, k in ((loss_panel, 0), (grad_panel, 1)):
            # the dotted line, cross-entropy's and mnist_loss's points, then MSE's and binary
            # cross-entropy's at every class count
            assert panel["x"] == [p, p] + [None, p] * (2 + 2 * len(CLASS_COUNTS))
            shared = panel["y"][3:6:2]
            per_count = panel["y"][7::2]
            for shown, value in zip(shared, (expected[0], expected[2]), strict=True):
                assert shown == pytest.approx(value[k], abs=ROUNDING)
            wanted = [at_counts[c][i][k] for i in (1, 3) for c in CLASS_COUNTS]
            assert per_count == pytest.approx(wanted, abs=ROUNDING)
        exact = {
            key: float(g)
            for key, g in exact_target_grads(
                torch.tensor(p, dtype=torch.float64), n_classes
            ).items()
        }
        shown_p, ce, mnist, mse, ratio = readout_numbers(
            GRADIENT_READOUT, at_class_count(readout, n_classes)
        )
        assert shown_p == p and frame["name"] == f"{p:.3f}"
        for shown, key, autograd in ((ce, CROSS_ENTROPY, expected[0][1]),
                                     (mnist, MNIST_LOSS, expected[2][1]),
                                     (mse, MSE, expected[1][1])):  # fmt: skip
            assert shown == pytest.approx(exact[key], abs=ROUNDING)
            assert shown == pytest.approx(autograd, abs=ROUNDING)
        # cross-entropy's gradient over MSE's is (C - 1) / (2 p (1 - p)), to one decimal
        assert ratio == pytest.approx((n_classes - 1) / (2 * p * (1 - p)), abs=0.05 + 1e-9)
        assert "-0.0000" not in readout


@pytest.mark.parametrize("n_classes", [3, 2, 10])
def test_the_sentences_hold_at_every_position(gradient_pages, n_classes):
    at = gradient_pages[n_classes]
    text = " ".join(m.value for m in at.markdown)
    # the smallest ratio, at p = 0.5, and the ratio at the lowest position, p = 0.005
    assert f"**{2 * (n_classes - 1):.1f}×**" in text
    assert "At p = 0.005, where" in text
    assert f"**{(n_classes - 1) / (2 * 0.005 * 0.995):.0f}×**" in text
    caption = next(c.value for c in at.caption if "closed form" in c.value)
    assert f"for C = {n_classes}:" in caption
    assert float(caption.rsplit("within ", 1)[1].rstrip(".")) < 1e-12


def test_the_curves_drawn_once_are_autograds(gradient_pages):
    """The curves that do not depend on C are layout paths (they never move): every point of
    each, loss and gradient, against PyTorch, to the 5 significant digits the path is
    written with."""
    spec = exploration(gradient_pages[3])
    paths = [shape for shape in spec["layout"]["shapes"] if shape["type"] == "path"]
    assert len(paths) == 4  # (cross-entropy, mnist_loss) x (loss, gradient)
    points = [[tuple(map(float, xy.split(","))) for xy in path["path"][1:].split("L")]
              for path in paths]  # fmt: skip
    for k, (p, _) in enumerate(points[0]):
        expected = by_autograd(p, 3)  # (loss, gradient) of each loss, in the figure's order
        for curve, (loss, grad) in enumerate((expected[0], expected[2])):
            assert points[2 * curve][k] == pytest.approx((p, loss), rel=1e-4, abs=1e-9)
            assert points[2 * curve + 1][k] == pytest.approx((p, grad), rel=1e-4, abs=1e-9)
    assert [path["yref"] for path in paths[:2]] == ["y", "y2"]  # loss left, gradient right
