"""The softmax page's explorations (the charts' own sliders) against PyTorch, frame by frame.

The figures are read off the page as AppTest runs it (the spec Streamlit would send), so
what is checked is what a learner sees at every position of each slider.
"""

from __future__ import annotations

import base64
import json
import math

import numpy as np
import plotly.graph_objects as go
import pytest
import torch
from apptest_helpers import ROOT, run_script

import ce_core

PAGE = ROOT / "pages" / "softmax.py"
ACTS = torch.tensor([0.02, -2.49, -1.75, 2.07, 1.08], dtype=torch.float64)  # the sliders
MAX_FIGURE_BYTES = 1_000_000


VIEWS = ("One class ahead", "Temperature", "Sigmoid or softmax")  # the tabs with one


def figures_of(view: str, **sliders: float) -> list[dict]:
    """The figures the page sends with the tab of ``view`` open (and ``sliders`` set)."""
    at = run_script(PAGE)
    for key, value in sliders.items():
        at.slider(key=key).set_value(value)
    at.session_state["sm_view"] = view
    at.run()
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


@pytest.fixture(scope="module")
def explorations() -> dict[str, dict]:
    """The page's figures that have a slider, by title."""
    specs = [spec for view in VIEWS for spec in figures_of(view)]
    with_slider = [spec for spec in specs if spec["layout"].get("sliders")]
    return {spec["layout"]["meta"]["title"]: spec for spec in with_slider}


def values(array: list | dict) -> np.ndarray:
    """A trace's numbers: a list, or Plotly's typed array ({"dtype", "bdata": base64})."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"])
    return np.asarray(array, dtype=float)


def frames_by_value(spec: dict) -> list[tuple[float, dict, str]]:
    """(parameter, frame, readout) for every step of the figure's slider."""
    frames = {frame["name"]: frame for frame in spec["frames"]}
    steps = spec["layout"]["sliders"][0]["steps"]
    return [(float(step["value"]), frames[step["args"][0][0]], step["label"]) for step in steps]


def test_three_explorations_each_small_and_valid(explorations):
    assert len(explorations) == 3
    for title, spec in explorations.items():
        go.Figure(spec)  # Plotly's own validation of every property, frames included
        assert len(json.dumps(spec)) < MAX_FIGURE_BYTES, title
        assert len(spec["frames"]) == len(spec["layout"]["sliders"][0]["steps"]) >= 30
        # a frame carries only the traces that move, not the figure again
        # (besides the unchanged traces it names for Plotly to keep drawing: explore.kept_traces)
        assert all(len(f["data"]) == len(f["traces"]) for f in spec["frames"])
        assert all(len([d for d in f["data"] if d]) < len(spec["data"]) for f in spec["frames"])
        assert all("layout" not in frame for frame in spec["frames"])


def test_every_confidence_frame_is_softmax_of_a_gap(explorations):
    spec = next(s for title, s in explorations.items() if title.startswith("Confidence"))
    for gap, frame, readout in frames_by_value(spec):
        probs = torch.softmax(torch.tensor([gap, 0.0, 0.0, 0.0, 0.0], dtype=torch.float64), 0)
        (top,), (ratio,) = frame["data"][0]["y"], frame["data"][1]["y"]
        assert frame["data"][0]["x"] == [gap] == frame["data"][1]["x"]
        assert top == pytest.approx(float(probs[0]), abs=5e-5)
        assert ratio == pytest.approx(math.exp(gap), rel=5e-4)  # the odds are e^gap exactly
        assert f"p(top) = {float(probs[0]):.4f}" in readout
    active = spec["layout"]["sliders"][0]["active"]
    assert frames_by_value(spec)[active][0] == 1.0  # drawn first at gap = 1
    assert spec["data"][2]["x"] == [1.0]


def test_every_temperature_frame_is_softmax_of_acts_over_t(explorations):
    spec = next(s for title, s in explorations.items() if title.startswith("Temperature"))
    values = frames_by_value(spec)
    assert values[0][0] == pytest.approx(0.1) and values[-1][0] == pytest.approx(10.0)
    for temperature, frame, readout in values:
        probs = torch.softmax(ACTS / temperature, 0)
        np.testing.assert_allclose(frame["data"][0]["y"], probs.numpy(), atol=5e-5)
        entropy = torch.distributions.Categorical(probs=probs).entropy().item()
        assert frame["data"][1]["y"][0] == pytest.approx(entropy, abs=5e-5)
        assert f"entropy {entropy:.4f} nats" in readout and f"ln C = {math.log(5):.4f}" in readout


def test_every_multilabel_frame_is_sigmoid_and_softmax_of_shifted_acts(explorations):
    spec = next(s for title, s in explorations.items() if title.startswith("Independent"))
    for offset, frame, readout in frames_by_value(spec):
        shifted = ACTS + offset
        np.testing.assert_allclose(frame["data"][0]["y"], torch.sigmoid(shifted), atol=5e-5)
        # softmax does not move with the offset: its bars are drawn once, right for every one
        np.testing.assert_allclose(
            values(spec["data"][1]["y"]), torch.softmax(shifted, 0), atol=1e-12
        )
        above = [n for n, s in zip(("cat", "dog", "plane", "fish", "building"),
                                   torch.sigmoid(shifted), strict=True) if s > 0.5]  # fmt: skip
        assert readout.endswith(", ".join(above) or "none")
        assert "softmax picks fish" in readout


def test_the_explorations_follow_the_activations():
    (temperature,) = figures_of("Temperature", sm_act_0=5.0)  # cat is now the largest
    acts = ACTS.clone()
    acts[0] = 5.0
    for value, frame, _ in frames_by_value(temperature):
        np.testing.assert_allclose(frame["data"][0]["y"], torch.softmax(acts / value, 0), atol=5e-5)


def test_softmax_by_temperature_is_one_batched_softmax():
    temperatures = torch.tensor([0.1, 1.0, 10.0], dtype=torch.float64)
    expected = torch.stack([torch.softmax(ACTS / T, 0) for T in temperatures])
    torch.testing.assert_close(ce_core.softmax_by_temperature(ACTS, temperatures), expected)
    with pytest.raises(ce_core.InputError):
        ce_core.softmax_by_temperature(ACTS, torch.tensor([1.0, 0.0]))
