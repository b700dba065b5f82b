"""Layer 5, accessibility: axe-core's WCAG 2.0 / 2.1 A and AA rules (and its best
practices) on every page in both languages, on a phone and on a desktop; nothing cut off or
scrolling sideways at 390, 1280 and 1920 px (docs/app.md, "Accessibility")."""

from __future__ import annotations

import contextlib

import pytest
from axe_playwright_python.sync_playwright import Axe
from harness import wait_idle
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from i18n import LANGUAGES
from ui import accessibility
from ui.navigation import PAGES

WCAG_AA = {
    # and axe's best practices (headings in order, unique landmarks): none is serious today
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
BLOCKING = {"serious", "critical"}
# Findings that come from Streamlit itself and that the app cannot fix, each with its
# upstream issue. None is needed today: the list is where one would go, rule by rule and
# element by element, never a rule turned off for the whole page.
STREAMLIT_FINDINGS: dict[str, str] = {}
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
WIDE = {"width": 1920, "height": 1000}

# What a page must not do at any width: text cut off at a chart's edge or a formula wider
# than its column (the page scrolls only downwards). Each finding: what, where, how far.
CUT_OFF = """() => {
  const found = [];
  const seen = el => el.getClientRects().length > 0;
  for (const gd of document.querySelectorAll('.js-plotly-plot')) {
    const box = gd.getBoundingClientRect();
    const texts = gd.querySelectorAll(
      '.gtitle, .g-gtitle text, .annotation-text, .legendtext, .textpoint text,'
      + ' .slider-group > .slider-label, .xtitle, .ytitle, .xtick text, .ytick text');
    for (const text of texts) {
      const b = text.getBoundingClientRect();
      if (seen(text) && b.width && (b.left < box.left - 1 || b.right > box.right + 1))
        found.push(`chart text "${text.textContent.slice(0, 50)}" spans`
          + ` ${Math.round(b.left)}..${Math.round(b.right)},`
          + ` its chart ${Math.round(box.left)}..${Math.round(box.right)}`);
    }
  }
  for (const formula of document.querySelectorAll('.katex-display')) {
    // its element's box: the formula's own boxes are only as wide as the formula
    const element = formula.closest('[data-testid=stElementContainer]')
      || formula.parentElement;
    const column = element.getBoundingClientRect();
    const b = formula.getBoundingClientRect();
    if (b.right > column.right + 1)
      found.push(`formula "${formula.textContent.slice(0, 40)}" ends at ${Math.round(b.right)}`
        + `, its column at ${Math.round(column.right)}`);
    const scrolls = formula.scrollWidth > formula.clientWidth;
    if (seen(formula) && scrolls !== (formula.tabIndex === 0))
      found.push(`formula "${formula.textContent.slice(0, 40)}" `
        + (scrolls ? 'scrolls but takes no focus' : 'takes the focus but does not scroll'));
  }
  const main = document.querySelector('[data-testid=stMain]');
  for (const text of main.querySelectorAll('[data-testid=stMarkdownContainer]')) {
    if (seen(text) && !text.closest('[data-testid=stExpanderDetails], .katex-display')
        && text.scrollWidth > text.clientWidth + 1)
      found.push(`text "${text.textContent.slice(0, 40)}" is cut off`
        + ` (${text.scrollWidth} px in ${text.clientWidth})`);
  }
  const page = document.documentElement;
  if (page.scrollWidth > window.innerWidth)
    found.push(`the page scrolls sideways: ${page.scrollWidth} px in ${window.innerWidth}`);
  return found;
}"""

# Formulas drawn smaller than designed although they fit their element at full size (each
# is measured at full size for a moment, then given its size back).
NEEDLESSLY_SMALL = """() => {
  const found = [];
  for (const formula of document.querySelectorAll('.katex-display')) {
    const size = formula.style.fontSize;
    if (!size || !formula.getClientRects().length) continue;
    formula.style.fontSize = '';
    const room = (formula.closest('[data-testid=stElementContainer]') || formula.parentElement)
      .clientWidth;
    if (formula.scrollWidth <= room)
      found.push(`formula "${formula.textContent.slice(0, 40)}" drawn at ${size}`
        + ` though ${formula.scrollWidth} px fit in ${room}`);
    formula.style.fontSize = size;
  }
  return found;
}"""


def blocking_violations(page) -> list[str]:
    """axe-core's serious and critical WCAG A / AA violations on ``page``, one line per
    element, less the listed Streamlit findings."""
    results = Axe().run(page, options=WCAG_AA).response
    lines = []
    for violation in results["violations"]:
        if violation["impact"] not in BLOCKING:
            continue
        for node in violation["nodes"]:
            target = " ".join(map(str, node["target"]))
            if f"{violation['id']} {target}" in STREAMLIT_FINDINGS:
                continue
            lines.append(f"{violation['id']} ({violation['impact']}): {target}: "
                         f"{node.get('failureSummary', '')}")  # fmt: skip
    return lines


# The accessibility script has looked at the page as it is now: every formula shown has been
# fitted, and every formula or code box shown takes the focus exactly when it scrolls.
FITTED = """code => {
  const shown = el => el.getClientRects().length > 0;
  const settled = (el, scrolls) => !shown(el) || scrolls === (el.tabIndex === 0);
  return [...document.querySelectorAll('.katex-display')].every(el =>
      !shown(el) || (el.__ceFitted !== undefined && settled(el, el.scrollWidth > el.clientWidth)))
    && [...document.querySelectorAll(code)].every(el => settled(el,
      el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight));
}"""
FITTED_TIMEOUT_MS = 10_000  # a loaded machine delays the script's timer, never this long


def open_page(context, server: str, spec, language: str):
    page = context.new_page()
    query = "" if language == "en" else f"?lang={language}"
    page.goto(f"{server}/{spec.url_path}{query}")
    wait_idle(page, charts=spec.key != "check")
    # the accessibility script fits the page once Streamlit has stopped drawing for a moment:
    # that moment, then what the script's timer shows it did (a busy machine delays timers)
    page.wait_for_timeout(accessibility.SETTLE_MS + 300)
    # on a timeout, the assertions that follow say what is not fitted, element by element
    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_function(FITTED, arg=accessibility.CODE_BOXES, timeout=FITTED_TIMEOUT_MS)
    return page


PAGE_LANGUAGES = [(spec, language) for spec in PAGES for language in LANGUAGES]
IDS = [f"{spec.key}-{language}" for spec, language in PAGE_LANGUAGES]


@pytest.mark.parametrize(("spec", "language"), PAGE_LANGUAGES, ids=IDS)
def test_phone_page_passes_axe_and_fits(browser, server, spec, language):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        page = open_page(context, server, spec, language)
        assert page.evaluate("document.documentElement.lang") == language
        sidebar = page.locator("[data-testid=stSidebar]")
        assert sidebar.get_attribute("data-collapsed") == "true"  # collapsed on a phone
        assert blocking_violations(page) == []
        assert page.evaluate(CUT_OFF) == []
        assert page.evaluate(NEEDLESSLY_SMALL) == []
    finally:
        context.close()


@pytest.mark.parametrize(("spec", "language"), PAGE_LANGUAGES, ids=IDS)
def test_desktop_page_passes_axe_and_fits(browser, server, spec, language):
    context = browser.new_context(viewport=DESKTOP)
    try:
        page = open_page(context, server, spec, language)
        assert page.evaluate("document.documentElement.lang") == language
        assert blocking_violations(page) == []
        assert page.evaluate(CUT_OFF) == []
        assert page.evaluate(NEEDLESSLY_SMALL) == []
        page.set_viewport_size(WIDE)
        page.wait_for_timeout(800)  # Plotly relayouts its charts to the wider columns
        assert page.evaluate(CUT_OFF) == []
        assert page.evaluate(NEEDLESSLY_SMALL) == []
    finally:
        context.close()


@pytest.mark.parametrize("motion", ["reduce", "no-preference"])
def test_reduced_motion_stops_the_pages_transitions(browser, server, motion):
    context = browser.new_context(viewport=DESKTOP, reduced_motion=motion)
    try:
        page = open_page(context, server, PAGES[0], "en")
        durations = page.evaluate(
            "() => [...document.querySelectorAll('[data-testid=stExpander] summary, button')]"
            ".map(el => getComputedStyle(el).transitionDuration)"
        )
        stopped = [d for d in durations if d in ("1e-05s", "0.00001s")]
        assert durations and (len(stopped) == len(durations)) == (motion == "reduce")
    finally:
        context.close()


FORMULA_SIZES = """() => [...document.querySelectorAll('.katex-display')]
  .map(formula => [formula.textContent.slice(0, 30), getComputedStyle(formula).fontSize])"""


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_formula_is_drawn_smaller_only_when_it_does_not_fit(browser, server, language):
    """Fitting measures a formula's element, not its own box (which Streamlit draws only as
    wide as the formula): measured on its own box, formulas that fit were drawn smaller, a
    little more at some reruns. On a phone the home page's formulas do not fit and are drawn
    smaller; widened again, they are drawn at full size again."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = open_page(context, server, PAGES[0], language)
        assert page.evaluate(NEEDLESSLY_SMALL) == []
        before = page.evaluate(FORMULA_SIZES)
        assert len(before) >= 2  # the selected sample's computation and the reduction
        sample = page.get_by_role("slider").first
        for key in ("ArrowRight", "ArrowLeft") * 2:  # back to the same sample: the same texts
            sample.focus()
            sample.press(key)
            wait_idle(page)
            page.wait_for_timeout(accessibility.SETTLE_MS + 300)
            assert page.evaluate(NEEDLESSLY_SMALL) == []
        assert page.evaluate(FORMULA_SIZES) == before
        page.set_viewport_size(PHONE)
        page.wait_for_timeout(accessibility.SETTLE_MS + 800)  # columns stack, charts relayout
        assert page.evaluate(CUT_OFF) == []
        on_a_phone = page.evaluate(FORMULA_SIZES)
        assert [size for (_, size), (_, wide) in zip(on_a_phone, before, strict=True)
                if size != wide]  # fmt: skip
        page.set_viewport_size(WIDE)
        page.wait_for_timeout(accessibility.SETTLE_MS + 800)
        assert page.evaluate(NEEDLESSLY_SMALL) == []
        assert page.evaluate(FORMULA_SIZES) == before  # KaTeX sizes in em: as at 1400 px
    finally:
        context.close()


def test_switching_the_language_switches_the_documents_language(browser, server):
    context = browser.new_context(viewport=DESKTOP)
    try:
        page = open_page(context, server, PAGES[0], "en")
        assert page.evaluate("document.documentElement.lang") == "en"
        sidebar = page.locator("[data-testid=stSidebar]")
        sidebar.get_by_text(LANGUAGES["zh-TW"], exact=True).click()
        page.wait_for_function("() => document.documentElement.lang === 'zh-TW'", timeout=30_000)
        wait_idle(page)
    finally:
        context.close()
