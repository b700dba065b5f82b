"""Layer 5 for the PyTorch, Gradients and Training pages: real Chromium, real server."""

from __future__ import annotations

import subprocess
import sys

import pytest
import torch
import torch.nn.functional as F
from harness import drag_exploration, screenshot, type_into_cell, wait_idle

import ce_core

EXCEPTION = "[data-testid='stException']"
METRIC = "[data-testid='stMetricValue']"
CODE = "[data-testid='stCode']"
PRESET = ce_core.PRESETS["3-vs-7"]
ACTS, TARG = torch.tensor(PRESET.logits), torch.tensor(PRESET.targets)


def open_page(page, url: str) -> None:
    page.goto(url)
    wait_idle(page)
    assert page.locator(EXCEPTION).count() == 0


def route_table(page) -> dict[str, str]:
    """The routes table, read from the grid's accessible twin (route -> value)."""
    grid = page.locator("[data-testid='stDataFrame']").filter(has_text="F.cross_entropy").first
    rows = {}
    for row in range(5):
        name = grid.locator(f"td#glide-cell-0-{row}").inner_text().strip()
        rows[name] = grid.locator(f"td#glide-cell-1-{row}").inner_text().strip()
    return rows


def wait_for_routes(page, value: str) -> dict[str, str]:
    page.wait_for_function(
        "v => [...document.querySelectorAll('td')].some(td => td.innerText.trim() === v)",
        arg=value,
        timeout=30_000,
    )
    wait_idle(page)
    return route_table(page)


def run_shown_code(page) -> dict[str, float]:
    code = page.locator(CODE).filter(has_text="routes = {").inner_text()
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    return {
        name: float(value) for name, value in (line.split(": ", 1) for line in out.splitlines())
    }


def test_pytorch_page_weights_edit_and_the_shown_code_agree(page, server):
    open_page(page, f"{server}/pytorch")
    assert set(route_table(page).values()) == {"1.779012"}
    page.get_by_text("Per-class weights (weight=)").click()
    wait_idle(page)
    weights = page.locator("[data-testid='stDataFrame']").filter(has_text="weight").first
    type_into_cell(page, weights, row=1, col=1, text="3")
    expected = f"{float(F.cross_entropy(ACTS, TARG, weight=torch.tensor([1.0, 3.0]))):.6f}"
    routes = wait_for_routes(page, expected)
    assert set(routes.values()) == {expected}
    assert page.get_by_text("weighted mean").count() >= 1
    # the page's code, run as a learner would paste it, prints the page's numbers
    printed = run_shown_code(page)
    assert {f"{v:.6f}" for v in printed.values()} == {expected}
    # a mistake switched on: the wrong number next to the right one
    page.get_by_text("softmax before CrossEntropyLoss (a double softmax)").click()
    page.locator(METRIC).first.wait_for(timeout=30_000)
    wait_idle(page)
    assert page.locator(METRIC).all_inner_texts()[1] == expected[:6]
    assert page.locator(EXCEPTION).count() == 0
    screenshot(page, "pytorch-weighted")


def test_pytorch_page_label_smoothing_slider(page, server):
    open_page(page, f"{server}/pytorch")
    slider = page.get_by_role("slider", name="label_smoothing")
    slider.focus()
    for _ in range(10):
        slider.press("ArrowRight")  # 0.10
    expected = f"{float(F.cross_entropy(ACTS, TARG, label_smoothing=0.1)):.6f}"
    routes = wait_for_routes(page, expected)
    assert routes["F.cross_entropy"] == routes["nn.CrossEntropyLoss"] == expected
    assert routes["log_softmax → nll_loss"] == "—"
    slider.press("End")  # the extreme: 1.0, a uniform target
    wait_for_routes(page, f"{float(F.cross_entropy(ACTS, TARG, label_smoothing=1.0)):.6f}")
    assert page.locator(EXCEPTION).count() == 0


def test_gradients_page_steps_lower_the_loss(page, server):
    open_page(page, f"{server}/gradients")
    assert page.locator(".js-plotly-plot").count() == 5
    metric = page.locator(METRIC).first
    assert metric.inner_text() == "1.7790"
    page.get_by_role("button", name="Take a step").click()
    page.wait_for_function(
        "s => document.querySelector(s)?.innerText !== '1.7790'", arg=METRIC, timeout=30_000
    )
    wait_idle(page)
    acts = ACTS.clone().requires_grad_()
    F.cross_entropy(acts, TARG).backward()
    after = F.cross_entropy(acts.detach() - acts.grad, TARG)
    assert metric.inner_text() == f"{float(after):.4f}"
    # the comparison chart's own slider to its left end: confidently wrong
    readout = page.locator(".js-plotly-plot .slider-container text.slider-label").first
    drag_exploration(page, 0, fraction=0.0)
    assert "CE -0.9950" in readout.text_content()  # p = 0.005: p - 1
    assert page.locator(EXCEPTION).count() == 0
    screenshot(page, "gradients-stepped")


def test_training_page_trains_on_train_and_replays_its_steps(page, server):
    open_page(page, f"{server}/training")
    # the curves, the replay's maps, and the reliability diagram
    assert page.locator(".js-plotly-plot").count() == 3
    page.get_by_text("Trained 2 × 300 steps").wait_for(timeout=30_000)
    # Moving a setting's slider does not train: the form waits for "Train".
    slider = page.get_by_role("slider", name="Steps")
    slider.focus()
    slider.press("ArrowRight")
    page.wait_for_timeout(1_000)
    assert page.get_by_text("Trained 2 × 300 steps").count() == 1
    page.get_by_role("button", name="Train", exact=True).click()
    page.get_by_text("Trained 2 × 310 steps").wait_for(timeout=60_000)
    wait_idle(page)
    accuracy = float(page.locator(METRIC).first.inner_text().rstrip("%"))
    assert accuracy >= 85.0
    assert page.locator("[data-testid='stProgress']").count() == 0  # the bar is gone
    # The replay's own slider shows the untrained model without training again.
    readout = page.locator(".js-plotly-plot .slider-container text.slider-label").first
    drag_exploration(page, 0, fraction=0.0)
    assert "Step 0 of 310" in readout.text_content()
    page.wait_for_timeout(500)
    assert page.get_by_text("Trained 2 × 310 steps").count() == 1
    # Calibration: the diagram of the MSE run, on held-out points, without training again
    which = page.get_by_role("radiogroup", name="Diagram of the model trained with")
    which.scroll_into_view_if_needed()
    which.get_by_text("MSE on softmax").click()
    # exact: the chart's title above it, not the label of its numbers' expander
    page.get_by_text("Reliability on held-out points (MSE on softmax)", exact=True).wait_for(
        timeout=30_000
    )
    wait_idle(page)
    assert page.get_by_text("Trained 2 × 310 steps").count() == 1
    assert page.locator(EXCEPTION).count() == 0
    screenshot(page, "training-replayed")


@pytest.mark.parametrize("path", ["pytorch", "gradients", "training"])
def test_every_further_page_has_no_error_box(page, server, path):
    open_page(page, f"{server}/{path}")
    assert page.locator("[data-testid='stAlertContentError']").count() == 0


def test_the_community_cloud_entrypoint_serves_every_page(browser):
    """cloud/streamlit_app.py, as Community Cloud runs it: the same pages, deep links too."""
    from harness import ROOT, streamlit_server

    from ui.navigation import PAGES

    with streamlit_server(ROOT / "cloud" / "streamlit_app.py") as url:
        page = browser.new_page()
        open_page(page, f"{url}/gradients")
        assert page.get_by_text("Compute settings").count() == 1
        assert len(page.locator("[data-testid='stSidebarNav'] a").all_inner_texts()) == len(PAGES)
        assert page.locator(".js-plotly-plot").count() >= 1
        page.close()
