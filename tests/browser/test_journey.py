"""Layer 5: a learner's journey in real Chromium against a real `streamlit run` server."""

from __future__ import annotations

import re

import pytest
import torch
import torch.nn.functional as F
from harness import (
    PICTURE,
    clear_cell,
    drag_exploration,
    screenshot,
    streamlit_server,
    type_into_cell,
    wait_idle,
)

import ce_core
from ui import preload
from ui.navigation import PAGES

METRIC = "[data-testid='stMetricValue']"
ALERT = "[data-testid='stAlert']"
ERROR_ALERT = "[data-testid='stAlertContentError']"
EXCEPTION = "[data-testid='stException']"
EDITOR = "[data-testid='stDataFrame']"
THREE_VS_SEVEN = ce_core.PRESETS["3-vs-7"]


def open_page(page, url: str) -> None:
    page.goto(url)
    wait_idle(page)
    assert page.locator(EXCEPTION).count() == 0


def loss_shown(page) -> str:
    return page.locator(METRIC).first.inner_text()


def wait_for_loss_change(page, before: str) -> str:
    page.wait_for_function(
        "([selector, before]) => { const el = document.querySelector(selector);"
        " return el && el.innerText !== before; }",
        arg=[METRIC, before],
        timeout=30_000,
    )
    wait_idle(page)
    return loss_shown(page)


def expected(acts, targ, **kwargs) -> str:
    return f"{float(F.cross_entropy(torch.tensor(acts), torch.tensor(targ), **kwargs)):.4f}"


@pytest.mark.parametrize("spec", PAGES, ids=lambda spec: spec.path)
def test_every_page_renders_its_charts(page, server, spec):
    open_page(page, f"{server}/{spec.url_path}")
    assert page.locator(".js-plotly-plot").count() + page.locator(PICTURE).count() >= 1
    # every picture decoded (an SVG that is not well-formed draws as a broken image)
    assert page.evaluate(f"""() => [...document.querySelectorAll("{PICTURE}")]
        .every(img => img.complete && img.naturalWidth > 0)""")
    assert page.locator(ERROR_ALERT).count() == 0  # success/info boxes are part of pages
    screenshot(page, f"page-{spec.url_path or 'home'}")


def test_the_charts_grids_and_formulas_code_is_loaded_once_by_the_hidden_loader(page, server):
    open_page(page, server)
    page.get_by_role("link", name="Softmax").first.click()  # another page: the loader again
    wait_idle(page)
    evaluated = page.evaluate(
        "(prefix) => performance.getEntriesByType('mark').map(m => m.name)"
        ".filter(name => name.startsWith(prefix))",
        preload.LOADED_MARK,
    )
    names = preload.chunk_names()
    assert set(evaluated) == {preload.LOADED_MARK + name for name in names}
    fetched = page.evaluate(
        "() => performance.getEntriesByType('resource').map(e => e.name.split('/').pop())"
    )
    for name in names:  # the frontend's own import found the loader's module: one download
        assert fetched.count(name) == 1, name
    wrapper = page.locator("[data-testid='stLayoutWrapper']").filter(
        has=page.locator(f".st-key-{preload.CONTAINER_KEY}")
    )
    assert wrapper.count() == 1 and wrapper.is_hidden()  # takes no room on the page


def test_editing_a_cell_moves_every_stage(page, server):
    open_page(page, server)
    assert loss_shown(page) == "1.7790"
    type_into_cell(page, page.locator(EDITOR).first, row=0, col=2, text="5")
    after = wait_for_loss_change(page, "1.7790")
    acts = [list(row) for row in THREE_VS_SEVEN.logits]
    acts[0][0] = 5.0
    assert after == expected(acts, THREE_VS_SEVEN.targets)
    assert "e=0_0_5" in page.url
    # every route agrees, and the written-out sample uses the new number
    # ce_core's loss and PyTorch's two (the metrics after them compare with guessing)
    assert set(page.locator(METRIC).all_inner_texts()[:3]) == {after}
    assert "5.0000" in page.locator("[data-testid='stMarkdownContainer'] .katex").first.inner_text()
    screenshot(page, "journey-edited")


def test_a_cleared_cell_gets_a_message_and_the_app_keeps_running(page, server):
    open_page(page, server)
    grid = page.locator(EDITOR).first
    type_into_cell(page, grid, row=1, col=3, text="2.5")
    edited = wait_for_loss_change(page, "1.7790")
    clear_cell(page, grid, row=3, col=2)
    alert = page.locator(ALERT).filter(has_text="row 3, class '3' is empty")
    alert.wait_for(timeout=30_000)
    wait_idle(page)
    assert page.locator(EXCEPTION).count() == 0
    assert "e=1_1_2.5~3_0_" in page.url  # the other edit is kept
    assert loss_shown(page) == edited  # the last valid numbers stay, labelled
    assert page.get_by_text("last valid input").count() >= 1
    screenshot(page, "journey-error")
    type_into_cell(page, grid, row=3, col=2, text="-2")
    wait_for_loss_change(page, edited)
    assert page.locator(ERROR_ALERT).count() == 0  # (the page's "Notice" is an alert too)


def test_moving_a_slider_rewrites_the_sample(page, server):
    open_page(page, server)
    slider = page.get_by_role("slider").first
    slider.focus()
    slider.press("ArrowRight")
    slider.press("ArrowRight")
    page.get_by_text("Sample 2, written out").wait_for(timeout=30_000)
    wait_idle(page)
    assert re.search(r"[?&]i=2\b", page.url)
    assert "0.1517" in page.locator(".katex").first.inner_text()  # sm_acts[2, 0]


def test_a_shared_link_opens_the_same_view_in_a_new_tab(context, server):
    first = context.new_page()
    open_page(first, f"{server}/?p=three-classes")
    type_into_cell(first, first.locator(EDITOR).first, row=4, col=3, text="1.25")
    wait_for_loss_change(first, "1.3337")
    first.get_by_role("slider").first.focus()
    first.get_by_role("slider").first.press("ArrowRight")
    first.get_by_text("Sample 1, written out").wait_for(timeout=30_000)
    wait_idle(first)
    shared = first.url
    assert "p=three-classes" in shared and "i=1" in shared

    second = context.new_page()
    open_page(second, shared)
    assert second.locator(METRIC).all_inner_texts() == first.locator(METRIC).all_inner_texts()
    assert second.get_by_text("Sample 1, written out").count() == 1
    assert second.url == shared
    screenshot(second, "journey-shared")


def test_the_sidebar_keeps_its_choice_across_reruns(page, server):
    open_page(page, server)
    page.locator("[data-testid='stSidebar']").get_by_text("sum", exact=True).click()
    after = wait_for_loss_change(page, "1.7790")
    assert after == expected(THREE_VS_SEVEN.logits, THREE_VS_SEVEN.targets, reduction="sum")
    type_into_cell(page, page.locator(EDITOR).first, row=0, col=2, text="0")
    wait_for_loss_change(page, after)
    assert "red=sum" in page.url  # a rerun did not reset the sidebar's radio


def test_clicking_a_bar_selects_that_sample(page, server):
    open_page(page, server)
    chart = page.locator(".js-plotly-plot").filter(has_text="p(targ)").first
    chart.scroll_into_view_if_needed()
    chart.locator(".barlayer .point path").nth(3).click(force=True)  # sample 3's p(targ) bar
    page.get_by_text("Sample 3, written out").wait_for(timeout=30_000)
    wait_idle(page)
    assert re.search(r"[?&]i=3\b", page.url)
    assert "0.4755" in page.locator(".katex").first.inner_text()  # sm_acts[3, 1]


def test_softmax_page_sliders_move_its_charts(page, server):
    open_page(page, f"{server}/softmax")
    cat = page.get_by_role("slider", name="cat")
    before = page.locator(".katex").first.inner_text()
    cat.focus()
    for _ in range(3):
        cat.press("ArrowRight")
    page.wait_for_function(
        "([before]) => document.querySelector('.katex')?.innerText !== before",
        arg=[before],
        timeout=30_000,
    )
    wait_idle(page)
    assert "0.05" in page.locator("[data-testid='stSlider']").nth(1).inner_text()  # 0.02 + 0.03
    # push the overflow slider to its end: the naive softmax breaks, the page does not
    largest = page.get_by_role("slider", name="Largest activation")
    largest.focus()
    largest.press("End")
    page.get_by_text("overflows to inf").wait_for(timeout=30_000)
    wait_idle(page)
    assert page.locator(EXCEPTION).count() == 0
    screenshot(page, "softmax-extremes")


def test_log_page_curve_follows_its_own_slider(page, server):
    open_page(page, f"{server}/log_likelihood")
    readout = page.locator(".js-plotly-plot .slider-container text.slider-label").first
    drag_exploration(page, 0, fraction=0.0)  # the left end: p = 0.001
    assert "6.9078" in readout.text_content()  # -ln 0.001
    drag_exploration(page, 0, fraction=1.0)  # p = 1: no loss at all
    assert "p = 1.000" in readout.text_content() and "0.0000" in readout.text_content()
    assert page.locator(EXCEPTION).count() == 0
    screenshot(page, "log-extremes")


@pytest.mark.parametrize("spec", [s for s in PAGES if s.url_path], ids=lambda s: s.url_path)
def test_a_deep_link_to_a_fresh_server_opens_the_page_inside_the_app(browser, spec):
    """The first request a server sees is a deep link: still app.py's navigation and sidebar."""
    with streamlit_server() as fresh:
        page = browser.new_page()
        open_page(page, f"{fresh}/{spec.url_path}")
        assert page.get_by_text("Compute settings").count() == 1  # the shared sidebar
        assert page.get_by_text("Page not found").count() == 0
        nav = page.locator("[data-testid='stSidebarNav'] a").all_inner_texts()
        assert len(nav) == len(PAGES)
        page.close()
