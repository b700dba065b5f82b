"""Layer 5 for the Entropy & KL page: real Chromium, real server. The unit switch, an edit of
q, a cleared cell, and the surprisal chart's own slider."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from harness import clear_cell, drag_exploration, screenshot, type_into_cell, wait_idle

import ce_core

EXCEPTION = "[data-testid='stException']"
METRIC = "[data-testid='stMetricValue']"
ERROR = "[data-testid='stAlertContentError']"
FIVE = ce_core.PRESETS["five-classes"]


def fish_loss(q: torch.Tensor) -> float:
    return float(F.cross_entropy(q.log()[None], torch.tensor([3])))


def wait_for_metric(page, value: str) -> None:
    page.wait_for_function(
        "([s, v]) => document.querySelector(s)?.innerText === v", arg=[METRIC, value],
        timeout=30_000,
    )  # fmt: skip
    wait_idle(page)


def test_entropy_page_units_edits_and_the_surprisal_slider(page, server):
    page.goto(f"{server}/entropy")
    wait_idle(page)
    assert page.locator(EXCEPTION).count() == 0
    q = torch.softmax(torch.tensor(FIVE.logits[0], dtype=torch.float64), 0)
    loss = fish_loss(q)
    assert page.locator(METRIC).first.inner_text() == f"{loss:.4f}"
    # bits: every number divided by ln 2
    page.get_by_text("bits", exact=True).first.click()
    wait_for_metric(page, f"{loss / math.log(2):.4f}")
    page.get_by_text("nats", exact=True).first.click()
    wait_for_metric(page, f"{loss:.4f}")
    # the model's weight for fish doubled: q is divided by its new sum
    grid = page.locator("[data-testid='stDataFrame']").filter(has_text="q (the model)").first
    typed = f"{2 * float(q[3]):.4f}"  # the column's step: 4 decimals
    type_into_cell(page, grid, row=3, col=2, text=typed)
    edited = q.clone()
    edited[3] = float(typed)
    wait_for_metric(page, f"{fish_loss(edited / edited.sum()):.4f}")
    # a cleared cell: named, the page goes on, the edit above is kept
    clear_cell(page, grid, row=1, col=2)
    page.locator(ERROR).first.wait_for(timeout=30_000)
    wait_idle(page)
    assert "q (the model): class 'dog' is empty" in page.locator(ERROR).first.inner_text()
    assert grid.locator("td#glide-cell-2-3").inner_text().strip() == typed
    assert page.locator(EXCEPTION).count() == 0
    screenshot(page, "entropy-cleared-cell")
    # the surprisal chart's own slider, dragged to its left end: p = 0.001, no rerun
    readout = page.locator(".js-plotly-plot .slider-container text.slider-label").first
    drag_exploration(page, 0, fraction=0.0)
    assert readout.text_content().startswith("p = 0.001:  6.9078 nats · 9.9658 bits")
    assert page.locator(EXCEPTION).count() == 0
