"""Sliders that answer without redrawing what they do not change (issue #18), in Chromium.

- The home page's sample: a style rule marks the selected row on the matrices and its bars;
  no chart is drawn again (each chart element keeps a mark the test puts on it), and the
  server sends none (the loss chart is drawn outside the slider's fragment).
- The Gradients page's number of classes: a style rule shows that count's curves, points and
  numbers in the loss comparison, which holds every count; the chart is not drawn again, nor
  sent. Its learning rate changes nothing shown until a step: a move sends only the slider.
- Explorations (figures/explore.py): dragging a chart's own slider redraws the chart in the
  browser and prints its numbers; the server runs no script for it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F
from harness import drag_exploration, screenshot, wait_idle

import ce_core

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from reruns import RerunWatch

VERMILLION = "rgb(213, 94, 0)"  # figures.style.SELECTED
MATRICES = ("matrix_logits", "matrix_exp", "matrix_softmax")
TAG_CHARTS = "() => document.querySelectorAll('.js-plotly-plot').forEach((el, k) => el.__mark = k)"
UNTAGGED = (
    "() => [...document.querySelectorAll('.js-plotly-plot')]"
    ".filter(el => el.__mark === undefined).length"
)
STROKE = """([selector]) => [...document.querySelectorAll(selector)].map(el => {
  const style = getComputedStyle(el); return [style.stroke, style.strokeOpacity]; })"""


def frame_of_row(page, key: str, row: int) -> list:
    return page.evaluate(STROKE, [f'.st-key-{key} .shapelayer path[data-index="{row}"]'])


def test_moving_the_sample_marks_it_without_redrawing_a_chart(page, server):
    watch = RerunWatch(page)
    page.goto(server)
    wait_idle(page)
    for key in MATRICES:
        assert frame_of_row(page, key, 0) == [[VERMILLION, "1"]]
        assert frame_of_row(page, key, 1)[0][1] == "0"  # drawn, not seen
    page.evaluate(TAG_CHARTS)
    runs, charts = watch.count(), watch.charts_sent
    slider = page.get_by_role("slider").first
    slider.focus()
    slider.press("ArrowRight")
    page.get_by_text("Sample 1, written out").wait_for(timeout=30_000)
    wait_idle(page)
    assert watch.wait_after(runs) is not None
    assert watch.charts_sent == charts  # the move sent no chart, not even by reference
    for key in MATRICES:
        assert frame_of_row(page, key, 1) == [[VERMILLION, "1"]]
        assert frame_of_row(page, key, 0)[0][1] == "0"
    for key in ("row_sums", "target_loss_chart"):
        bars = page.evaluate(STROKE, [f".st-key-{key} .barlayer .points .point path"])
        per_trace = len(bars) // (2 if key == "target_loss_chart" else 1)
        marked = [k % per_trace for k, (stroke, _) in enumerate(bars) if stroke == VERMILLION]
        assert marked and set(marked) == {1}, key
    assert page.evaluate(UNTAGGED) == 0  # every chart is the element it was: none redrawn
    screenshot(page, "home-sample-1")


SHOWN_IN_COMPARISON = """() => {
  const chart = document.querySelector('.st-key-gr_comparison');
  const shown = el => getComputedStyle(el).display !== 'none';
  const readout = [...chart.querySelectorAll('.slider-container text.slider-label')]
    .find(text => !text.closest('.slider-label-group'));
  const words = [...readout.querySelectorAll('tspan.line')].map(line => [...line.childNodes]
    .filter(node => node.nodeType === 3 || shown(node)).map(node => node.textContent).join(''));
  return {
    pictures: [...chart.querySelectorAll('.imagelayer image')].map(shown),
    points: [...chart.querySelectorAll('.scatterlayer .trace')].map(
      trace => [...trace.querySelectorAll('.point')].filter(shown).length),
    readout: words.join(' | '),
  };
}"""


def test_the_number_of_classes_shows_its_curves_without_a_redraw(page, server):
    watch = RerunWatch(page)
    page.goto(f"{server}/gradients")
    wait_idle(page)
    shown = page.evaluate(SHOWN_IN_COMPARISON)
    assert shown["pictures"] == [count == 3 for count in range(2, 11)]
    # per panel: the dotted line's two ends, cross-entropy, mnist_loss, MSE and binary CE
    assert shown["points"] == [6, 6]
    assert "MSE -0.0451 | cross-entropy pushes 21.1× as hard" in shown["readout"]  # p = 0.05
    page.evaluate(TAG_CHARTS)
    runs, charts = watch.count(), watch.charts_sent
    slider = page.get_by_role("slider", name="Classes (C)")
    slider.focus()
    for _ in range(7):
        slider.press("ArrowRight")
        wait_idle(page)
    page.get_by_text("for C = 10:").wait_for(timeout=30_000)
    assert watch.wait_after(runs) is not None
    assert watch.charts_sent == charts  # seven moves sent no chart, not even by reference
    shown = page.evaluate(SHOWN_IN_COMPARISON)
    assert shown["pictures"] == [count == 10 for count in range(2, 11)]
    assert shown["points"] == [6, 6]
    # -2 p (1 - p)^2 / (C - 1) at p = 0.05, C = 10; and (C - 1) / (2 p (1 - p))
    assert "MSE -0.0100 | cross-entropy pushes 94.7× as hard" in shown["readout"]
    assert page.evaluate(UNTAGGED) == 0  # the same chart elements: nothing drawn again
    screenshot(page, "gradients-ten-classes")


def test_the_learning_rate_reruns_only_itself(page, server):
    watch = RerunWatch(page)
    page.goto(f"{server}/gradients")
    wait_idle(page)
    runs, sent = watch.count(), len(watch.elements)
    slider = page.get_by_role("slider", name="Learning rate (lr)")
    slider.focus()
    slider.press("ArrowRight")
    assert watch.wait_after(runs) is not None
    wait_idle(page)
    assert watch.elements[sent:] == ["slider"]  # the section's charts and metrics stay
    assert slider.get_attribute("aria-valuetext") == "3.0"
    page.get_by_role("button", name="Take a step").click()
    loss = page.get_by_test_id("stMetric").filter(has_text="loss after 1 steps")
    loss.wait_for(timeout=30_000)
    # the step used the rate the slider's own fragment set: the home batch's loss after
    # acts -= 3.0 * acts.grad (float32, the sidebar's default)
    home = ce_core.PRESETS["3-vs-7"]
    acts = torch.tensor(home.logits, requires_grad=True)
    targets = torch.tensor(home.targets)
    F.cross_entropy(acts, targets).backward()
    expected = float(F.cross_entropy(acts.detach() - 3.0 * acts.grad, targets))
    shown = loss.get_by_test_id("stMetricValue").inner_text()
    assert float(shown) == pytest.approx(expected, abs=1e-4)


def test_dragging_an_exploration_redraws_it_with_no_rerun(page, server):
    watch = RerunWatch(page)
    page.goto(f"{server}/softmax")
    wait_idle(page)
    page.get_by_role("tab", name="One class ahead").click()  # a tab draws only while open
    page.locator(".js-plotly-plot .slider-container").first.wait_for(timeout=30_000)
    wait_idle(page)
    runs = watch.count()
    readout = page.locator(".js-plotly-plot .slider-container text.slider-label").first
    assert "gap = 1.0" in readout.text_content()
    events = drag_exploration(page, 0, fraction=0.5)
    assert len(events["drawn"]) >= 20  # a frame drawn for each step crossed
    assert "gap = 5.0" in readout.text_content()
    assert "p(top) = 0.9738" in readout.text_content()  # e^5 / (e^5 + 4)
    marker = page.evaluate(
        "() => [...document.querySelectorAll('.js-plotly-plot')]"
        ".find(gd => gd.layout.sliders).data[2].x[0]"
    )
    assert marker == 5.0
    page.wait_for_timeout(300)
    assert watch.count() == runs  # the server ran nothing for the drag
    screenshot(page, "softmax-dragged")


# Per figure with a slider: the marks each trace draws (bars, markers), in the figure's order
MARKS = """() => [...document.querySelectorAll('.js-plotly-plot')]
  .filter(gd => gd.layout.sliders && gd.layout.sliders.length)
  .map(gd => [...gd.querySelectorAll('.cartesianlayer g.trace')]
    .map(trace => trace.querySelectorAll('.point').length))"""


@pytest.mark.parametrize(
    ("path", "tab"),
    [("/softmax", "Sigmoid or softmax"), ("/softmax", "Temperature"), ("/training", None)],
)
def test_a_drag_keeps_drawing_what_does_not_move(page, server, path, tab):
    """Without a redraw Plotly plots only a frame's traces: a figure whose frames left out a
    still trace (the multi-label view's softmax bars, the replay's regions panel) lost it on
    the first frame. Every trace draws as many marks after a drag as before it."""
    page.goto(f"{server}{path}")
    wait_idle(page)
    if tab:
        page.get_by_role("tab", name=tab).click()
    page.locator(".js-plotly-plot .slider-container").first.wait_for(timeout=60_000)
    wait_idle(page)
    (before,) = page.evaluate(MARKS)
    assert sum(before) > 0
    events = drag_exploration(page, 0, moves=20, fraction=0.5)
    assert events["drawn"]
    (after,) = page.evaluate(MARKS)
    if path == "/training":  # the wrong points change; the regions' points (first) do not
        assert after[: len(before) - 1] == before[:-1]
    else:
        assert after == before
    screenshot(page, f"dragged-{path.strip('/')}-{tab or 'replay'}")
