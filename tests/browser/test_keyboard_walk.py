"""Layer 5, keyboard only: the home page walked with Tab, the arrow keys, Enter and Space
alone — choose a preset, edit a matrix cell, change a target, move the sample, answer a
question, open the next page — with the focus visible at every stop (docs/app.md,
"Accessibility")."""

from __future__ import annotations

import contextlib

import pytest
import torch
import torch.nn.functional as F
from harness import wait_idle
from playwright.sync_api import TimeoutError as PlaywrightTimeout

import ce_core
from i18n import t
from ui.navigation import PAGES

METRIC = "[data-testid='stMetricValue']"
MAX_TABS = 120  # more stops than the home page has before its last link

FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {visible: false, what: 'nothing'};
  const style = getComputedStyle(el);
  const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
    || style.boxShadow !== 'none';
  const box = el.getBoundingClientRect();
  // In the data grid the focus sits on a cell of its accessible twin (a table drawn under
  // the canvas); the grid draws the selected cell's ring on the canvas itself.
  const gridCell = el.closest('[data-testid=stDataFrame]') && el.tagName === 'TD'
    && el.getAttribute('aria-selected') === 'true';
  return {
    visible: gridCell || (ring && box.width > 0 && box.height > 0),
    what: `${el.tagName} ${el.getAttribute('aria-label') || el.textContent.slice(0, 40)}`,
    testid: el.closest('[data-testid]')?.getAttribute('data-testid') || '',
    role: el.getAttribute('role') || '',
    label: el.getAttribute('aria-label') || '',
    text: (el.closest('label, a, button, summary') || el).textContent.slice(0, 200),
  };
}"""


def focused(page) -> dict:
    return page.evaluate(FOCUS)


def tab_to(page, wanted, *, backwards: bool = False) -> dict:
    """Press Tab (Shift+Tab) until ``wanted(focus)`` holds; every stop on the way must show
    where the focus is."""
    trail = [focused(page)["what"]]
    for _ in range(MAX_TABS):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        focus = focused(page)
        trail.append(focus["what"])
        assert focus["visible"], f"the focus is not visible on {focus['what']}, after {trail}"
        if wanted(focus):
            return focus
    raise AssertionError(f"{MAX_TABS} presses of Tab did not reach the element")


SELECTED_CELL = (
    "document.querySelector('[data-testid=stDataFrame] td[aria-selected=true]')?.id || ''"
)


def selected_cell(page) -> str:
    return page.evaluate(f"() => {SELECTED_CELL}")


def move_to_cell(page, column: int, row: int) -> None:
    """Arrow keys until the grid's cell (column, row) is selected (the index column is 0);
    each press waits for the selection to move (the grid draws it on its next frame)."""
    if not selected_cell(page):
        page.keyboard.press("ArrowDown")  # the first arrow selects a cell
        page.wait_for_function(f"() => ({SELECTED_CELL}) !== ''", timeout=5_000)
    for _ in range(40):
        current = selected_cell(page)
        col, r = (int(v) for v in current.removeprefix("glide-cell-").split("-"))
        if (col, r) == (column, row):
            return
        key = "ArrowRight" if col < column else "ArrowLeft" if col > column else None
        page.keyboard.press(key or ("ArrowDown" if r < row else "ArrowUp"))
        with contextlib.suppress(PlaywrightTimeout):  # pressed too early: press again
            page.wait_for_function(
                f"before => ({SELECTED_CELL}) !== before", arg=current, timeout=2_000
            )
    raise AssertionError(
        f"could not reach cell ({column}, {row}): at {selected_cell(page)}, "
        f"the focus on {focused(page)['what']}"
    )


def choose(page, wanted: str) -> None:
    """In an open list (focus on its box), arrow down to the option ``wanted``, then Enter.
    The box names the option the arrows reached (``aria-activedescendant``)."""
    for _ in range(40):
        highlighted = page.evaluate(
            "() => document.getElementById("
            "document.activeElement.getAttribute('aria-activedescendant') || '')?.innerText"
            " || ''"
        )
        if highlighted.strip() == wanted:
            page.keyboard.press("Enter")
            return
        page.keyboard.press("ArrowDown")
        page.wait_for_timeout(50)
    raise AssertionError(f"no option {wanted!r} in the list")


def loss_after_change(page, before: str) -> str:
    page.wait_for_function(
        "([selector, before]) => document.querySelector(selector)?.innerText !== before",
        arg=[METRIC, before],
        timeout=30_000,
    )
    wait_idle(page)
    return page.locator(METRIC).first.inner_text()


def expected_loss(acts, targets) -> str:
    return f"{float(F.cross_entropy(torch.tensor(acts), torch.tensor(targets))):.4f}"


@pytest.mark.timeout(240)
def test_the_home_page_with_the_keyboard_alone(page, server):
    page.goto(server)
    wait_idle(page)
    loss = page.locator(METRIC).first.inner_text()

    # 1. Choose a preset: the Batch box, arrow down to "three classes", Enter
    tab_to(page, lambda f: f["role"] == "combobox" and f["label"] == t("pipeline.source"))
    page.keyboard.press("ArrowDown")  # opens the list
    page.locator("[role=option]").first.wait_for()
    choose(page, t("preset.title_three-classes"))
    preset = ce_core.PRESETS["three-classes"]
    acts = [list(row) for row in preset.logits]
    targets = list(preset.targets)
    loss = loss_after_change(page, loss)
    assert loss == expected_loss(acts, targets)

    # 2. Edit a matrix cell: Tab into the grid, arrows to row 1's first class, Enter, type
    tab_to(page, lambda f: f["testid"] == "data-grid-canvas")
    move_to_cell(page, 2, 1)  # columns: idx, targ, then the classes
    page.keyboard.press("Enter")
    page.wait_for_selector("input.gdg-input, textarea.gdg-input", timeout=5_000)
    page.keyboard.press("Control+A")
    page.keyboard.type("3")
    page.wait_for_timeout(300)  # the grid commits its own copy of the value a moment later
    page.keyboard.press("Enter")
    acts[1][0] = 3.0
    loss = loss_after_change(page, loss)
    assert loss == expected_loss(acts, targets)

    # 3. Change a target: row 2's targ, Enter opens its list, an arrow, Enter
    move_to_cell(page, 1, 2)  # the grid kept the focus
    page.keyboard.press("Enter")
    page.locator("[role=option]").first.wait_for(timeout=5_000)
    targets[2] = 2  # from class 0
    choose(page, preset.class_names[2])
    loss = loss_after_change(page, loss)
    assert loss == expected_loss(acts, targets)

    # 4. Move the sample: Tab to its slider, an arrow to the right
    tab_to(page, lambda f: f["label"] == t("pipeline.sample"))
    assert page.evaluate("document.activeElement.value") == "0"
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.activeElement.value === '1'", timeout=10_000)
    wait_idle(page)
    assert page.get_by_text(t("stage.selected_title", idx=1)).count() >= 1

    # 5. Answer a question: Tab to its choices, an arrow picks one, Tab to Reveal, Enter
    tab_to(page, lambda f: f["testid"] == "stRadio" or f["role"] == "radio"
           or f["testid"] == "stRadioOption")  # fmt: skip
    page.keyboard.press("ArrowDown")
    wait_idle(page)
    tab_to(page, lambda f: t("quiz.reveal") in f["text"])
    page.keyboard.press("Enter")
    page.wait_for_selector(
        "[data-testid=stAlertContentSuccess], [data-testid=stAlertContentError]", timeout=20_000
    )

    # 6. Open the next page: Tab to the "Next" link, Enter
    softmax = next(spec for spec in PAGES if spec.key == "softmax")
    tab_to(page, lambda f: f["testid"] == "stPageLink-NavLink"
           and t(softmax.title_key) in f["text"] and "Next" in f["text"])  # fmt: skip
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{softmax.url_path}**", timeout=20_000)
    wait_idle(page)
    assert page.locator("[data-testid=stException]").count() == 0
