"""Layer 5 for the two languages: every page drawn in Traditional Chinese in Chromium (its
charts and pictures, no error), the choice kept in the URL across a page change, and
English again with the parameter gone."""

from __future__ import annotations

import re

import pytest
from harness import screenshot, type_into_cell, wait_idle

from i18n import t
from ui.navigation import PAGES

ZH = "zh-TW"
PICTURE = "[data-testid='stImage'] img, [data-testid='stImageContainer'] img"
CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.mark.parametrize("spec", PAGES, ids=lambda spec: spec.key)
def test_every_page_draws_in_chinese(page, server, spec):
    page.goto(f"{server}/{spec.url_path}?lang={ZH}")
    wait_idle(page)
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator(".js-plotly-plot").count() + page.locator(PICTURE).count() >= 1
    title = page.locator("h1").first.inner_text()
    assert CJK.search(title), title
    # the charts' own texts (titles, written above them by ui/charts.py, and axes) are
    # Chinese too
    chart_text = page.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot')]
        .map(gd => ((gd.layout.meta || {}).title || '') + ' ' + [...gd.querySelectorAll(
          '.xtitle, .ytitle')].map(e => e.textContent).join(' ')).join(' ')""")
    assert chart_text == "" or CJK.search(chart_text), chart_text
    assert f"lang={ZH}" in page.url
    screenshot(page, f"zh-{spec.url_path or 'home'}")


def test_the_language_is_kept_across_pages_and_english_drops_it(page, server):
    page.goto(f"{server}/?lang={ZH}")
    wait_idle(page)
    page.locator("[data-testid='stSidebarNav'] a").filter(has_text=t("nav.training", ZH)).click()
    page.wait_for_url(re.compile(r"/training"))
    wait_idle(page)
    assert page.locator("h1").first.inner_text().startswith(t("training.title", ZH)[:4])
    page.wait_for_function("() => location.search.includes('lang=zh-TW')")
    page.get_by_text("English", exact=True).click()
    page.wait_for_timeout(300)
    wait_idle(page)
    assert page.locator("h1").first.inner_text() == t("training.title", "en")
    page.wait_for_function("() => !location.search.includes('lang=')")


def test_switching_the_language_keeps_an_edit_of_the_home_editor(page, server):
    """The editor's columns are the classes' names, renamed by a switch (cat -> 貓): it starts
    again from the state, with the learner's edit."""
    page.goto(f"{server}/?p=five-classes")
    wait_idle(page)
    editor = page.locator("[data-testid='stDataFrame']").first
    type_into_cell(page, editor, row=0, col=2, text="1.5")
    page.wait_for_function("() => location.search.includes('e=0_0_1.5')")
    wait_idle(page)
    page.get_by_text("繁體中文", exact=True).click()
    page.wait_for_function("() => location.search.includes('lang=zh-TW')")
    wait_idle(page)
    assert "e=0_0_1.5" in page.url
    editor = page.locator("[data-testid='stDataFrame']").first
    assert page.get_by_text("貓").count() >= 1  # the classes renamed (cat -> 貓)
    assert float(editor.locator("td#glide-cell-2-0").inner_text()) == 1.5
    assert page.locator("[data-testid='stException']").count() == 0
