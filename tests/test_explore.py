"""figures/explore.py: the one helper for explorations that follow the mouse."""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio
import pytest

from figures.explore import Frame, PlayLabels, frame_labels, kept_traces, with_slider

SPEC = {
    "data": [
        {"type": "scatter", "x": [0, 1], "y": [0, 1], "mode": "lines"},
        {"type": "scatter", "x": [0], "y": [0], "mode": "markers"},
    ],
    "layout": {"height": 300, "margin": {"b": 70}},
}
VALUES = [0.0, 0.5, 1.0]
FRAMES = [
    Frame(name, [{"x": [v], "y": [v]}], f"v = {name}")
    for name, v in zip(frame_labels(VALUES, 1), VALUES, strict=True)
]


def test_the_figure_starts_at_the_active_frame_and_the_slider_agrees():
    figure = with_slider(SPEC, FRAMES, traces=[1], active=1).to_dict()
    assert figure["data"][1]["x"] == [0.5] and figure["data"][0]["x"] == [0, 1]
    slider = figure["layout"]["sliders"][0]
    assert slider["active"] == 1
    assert [step["label"] for step in slider["steps"]] == ["v = 0.0", "v = 0.5", "v = 1.0"]
    assert [step["args"][0] for step in slider["steps"]] == [["0.0"], ["0.5"], ["1.0"]]
    assert all(step["args"][1]["frame"]["redraw"] is False for step in slider["steps"])
    assert SPEC["data"][1]["x"] == [0]  # the caller's spec is not changed


def test_frames_carry_only_the_traces_that_move():
    figure = with_slider(SPEC, FRAMES, traces=[1], active=0).to_dict()
    assert [frame["name"] for frame in figure["frames"]] == ["0.0", "0.5", "1.0"]
    assert all(frame["traces"] == [1] and len(frame["data"]) == 1 for frame in figure["frames"])
    go.Figure(figure)  # valid for Plotly, frames included
    assert '"frames"' in pio.to_json(figure, validate=False)


def test_play_adds_play_and_pause_through_every_frame():
    figure = with_slider(SPEC, FRAMES, traces=[1], active=0,
                         play=PlayLabels("Play", "Pause", frame_ms=100)).to_dict()  # fmt: skip
    play, pause = figure["layout"]["updatemenus"][0]["buttons"]
    assert play["label"] == "Play" and play["args"][0] is None  # None: every frame in turn
    assert play["args"][1]["frame"] == {"duration": 100, "redraw": False}
    assert pause["label"] == "Pause" and pause["args"][0] == [None]
    go.Figure(figure)


def test_room_is_made_for_the_slider():
    layout = with_slider(SPEC, FRAMES, traces=[1], active=0).to_dict()["layout"]
    assert layout["height"] > 300 and layout["margin"]["b"] > 70


@pytest.mark.parametrize(("active", "message"), [(3, "not a frame index"), (-1, "not a frame")])
def test_a_bad_start_is_refused(active, message):
    with pytest.raises(ValueError, match=message):
        with_slider(SPEC, FRAMES, traces=[1], active=active)


def test_frames_need_one_update_per_moving_trace():
    with pytest.raises(ValueError):
        with_slider(SPEC, FRAMES, traces=[0, 1], active=0)  # two traces, one update each
    with pytest.raises(ValueError, match="at least one frame"):
        with_slider(SPEC, [], traces=[1], active=0)


def test_labels_must_tell_the_values_apart():
    assert frame_labels([0.1, 0.25], 2) == ["0.10", "0.25"]
    with pytest.raises(ValueError, match="decimals"):
        frame_labels([0.11, 0.12], 1)


def test_frames_name_what_plotly_would_otherwise_stop_drawing():
    """Without a redraw Plotly plots a frame's traces only: it empties a subplot the frame
    leaves out and drops a bar trace it does not name. Each frame names them, unchanged."""
    spec = {
        "data": [
            {"type": "bar", "x": ["a", "b"], "y": [1, 2]},  # moves
            {"type": "bar", "x": ["a", "b"], "y": [2, 1]},  # still: named
            {"type": "scatter", "x": [0], "y": [0]},  # same subplot, a scatter: not needed
            {"type": "scatter", "x": [0], "y": [0], "xaxis": "x2", "yaxis": "y2"},  # named
            {"type": "scatter", "x": [1], "y": [1], "xaxis": "x2", "yaxis": "y2"},
        ],
        "layout": {},
    }
    frames = [Frame("0", [{"y": [3, 4]}], "r")]
    figure = with_slider(spec, frames, traces=[0], active=0).to_dict()
    (frame,) = figure["frames"]
    assert frame["traces"] == [0, 1, 3] and frame["data"] == [{"y": [3, 4]}, {}, {}]
    assert kept_traces(spec["data"], [3]) == [0, 1]  # the bars; subplot x2y2 is named
