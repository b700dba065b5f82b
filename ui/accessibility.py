"""What every page needs for a screen reader, a keyboard, a phone and a learner who turns off
motion, and Streamlit's frontend does not give by itself (docs/app.md, "Accessibility").

``apply`` sends, on every run, one hidden element with

- a style sheet: captions dark enough to read (Streamlit draws them in the text colour at
  60 % opacity, a contrast of 4.09 on white; WCAG AA asks 4.5), a visible focus ring on
  everything the keyboard reaches, the page links' and the metrics' long labels wrapped
  instead of cut off with an ellipsis in a narrow column, and no
  animations or transitions when the system asks for reduced motion;
- a script that sets the document's language (``<html lang>``, WCAG 3.1.1: a screen
  reader reads 交叉熵 with a Chinese voice) and keeps two things true as Streamlit draws:
  a formula wider than its column is shrunk to fit (to ``MIN_FORMULA_SCALE`` of its size;
  past that it scrolls inside its own box), an exploration's readout wider than its chart
  is drawn smaller (down to ``MIN_READOUT_PX``), and every box that still scrolls (a
  formula, a code block) can take the keyboard's focus and is named, so that arrow keys
  scroll it (axe-core's ``scrollable-region-focusable``).

Nothing in the element comes from what a user typed: the language is one of
``i18n.LANGUAGES`` and the labels come from the catalog, JSON-encoded.
"""

from __future__ import annotations

import json

import streamlit as st

from i18n import current_language, t
from ui import preload

CONTAINER_KEY = "accessibility"  # Streamlit gives the container the class st-key-<key>
CAPTION_COLOR = "#62636C"  # 5.96:1 on white, 5.45:1 on the sidebar's #F2F5F9
FOCUS_COLOR = "#0072B2"  # the theme's primary colour: 5.19:1 on white, 4.74:1 on the sidebar
MIN_FORMULA_SCALE = 0.7  # smaller, a formula's indices get hard to read on a phone
MIN_READOUT_PX = 9  # the smallest an exploration's readout is drawn (14 px as designed)
# The page is fitted again this long after Streamlit last changed it: once per rerun, not
# at each of the rerun's many changes
SETTLE_MS = 120

STYLE = f"""
{preload.hiding_rule(CONTAINER_KEY)}
[data-testid=stCaptionContainer] {{ color: {CAPTION_COLOR}; opacity: 1; }}
.katex-display {{ padding-right: 2px; }}
:focus-visible {{ outline: 2px solid {FOCUS_COLOR} !important; outline-offset: 2px; }}
[data-testid=stPageLink-NavLink] span, [data-testid=stPageLink-NavLink] p,
[data-testid=stMetricLabel] [data-testid=stMarkdownContainer], [data-testid=stMetricLabel] p {{
  white-space: normal; overflow: visible; text-overflow: clip; overflow-wrap: anywhere;
}}
.js-plotly-plot[data-ce-readout] .slider-group > .slider-label {{
  font-size: var(--ce-readout-size) !important;
}}
@media (prefers-reduced-motion: reduce) {{
  *, *::before, *::after {{
    animation-duration: 0.01ms !important; animation-iteration-count: 1 !important;
    transition-duration: 0.01ms !important; scroll-behavior: auto !important;
  }}
}}
"""

# The boxes of code that may scroll (st.code's, and code blocks in Markdown); the browser
# tests look for the same ones
CODE_BOXES = (
    "[data-testid=stCode] pre, [data-testid=stCode] > div, [data-testid=stMarkdownContainer] pre"
)

# Installed once per browser tab (window.__ceAccessibility); each run updates the language
# and the labels, and fits the page again.
SCRIPT = """
(() => {
  const settings = %(settings)s;
  document.documentElement.lang = settings.lang;
  window.__ceAccessibilitySettings = settings;
  if (window.__ceAccessibility) { window.__ceAccessibility(); return; }
  const SCROLLERS = [['.katex-display', 'formula'], [%(code_boxes)s, 'code']];
  // The room a formula has is its element's, not its own box's: Streamlit draws a formula
  // in a flex box as wide as the formula (up to the column), so the box's own width would
  // follow every change of size (and shrink the formula a little more at each rerun).
  const roomOf = el => (el.closest('[data-testid=stElementContainer]') || el.parentElement)
    .clientWidth;
  // A formula only ever scrolls sideways; a code box with a height also scrolls down. Any
  // overflow counts, as for axe-core: KaTeX's content runs 2 px past a box drawn as wide as
  // the formula, hence the style sheet's 2 px of padding, without which every formula that
  // fits would scroll by 2 px.
  const scrolls = (el, kind) => el.scrollWidth > el.clientWidth
    || (kind === 'code' && el.scrollHeight > el.clientHeight);
  // Fonts that finish loading change every formula's width without changing its text or
  // its room: each one is fitted again then.
  let fontGeneration = 0;
  // Each formula is measured again only when its text, its room or the fonts changed, and
  // its size is written only when it must change: reading a page already laid out costs
  // nothing, but each write followed by a read lays the whole page out again.
  const fitFormula = el => {
    const room = roomOf(el);
    const key = fontGeneration + ':' + room + ':' + el.textContent;
    if (!room || el.__ceFitted === key) return;
    // a size of its own: drawn smaller for an earlier text or room, measured at full size
    if (el.style.fontSize) el.style.fontSize = '';
    // a second pass for the parts that do not scale with the font (struts, rules)
    let scale = 1;
    for (let pass = 0; pass < 4 && scale > settings.minScale && el.scrollWidth > room;
         pass++) {
      scale = Math.max(settings.minScale, scale * room / el.scrollWidth - 0.01);
      el.style.fontSize = scale.toFixed(3) + 'em';
    }
    el.__ceFitted = key;
  };
  const nameScrollers = () => {
    const labels = window.__ceAccessibilitySettings.labels;
    for (const [selector, kind] of SCROLLERS) {
      for (const el of document.querySelectorAll(selector)) {
        if (scrolls(el, kind)) {
          if (el.dataset.ceScrolls === kind && el.getAttribute('aria-label') === labels[kind])
            continue;
          el.tabIndex = 0;
          el.setAttribute('role', 'group');  // a named group: a region would be a landmark
          el.setAttribute('aria-label', labels[kind]);
          el.dataset.ceScrolls = kind;
        } else if (el.dataset.ceScrolls) {
          el.removeAttribute('tabindex');
          el.removeAttribute('role');
          el.removeAttribute('aria-label');
          delete el.dataset.ceScrolls;
        }
      }
    }
  };
  // A readout above an exploration's slider (figures/explore.py) too long for the chart's
  // width (a phone's): drawn smaller, never below minReadout px, so that it ends inside the
  // chart. Plotly writes it again at every frame: the size is a style rule (!important
  // wins over Plotly's inline size) fed by a variable on the chart, and it only shrinks
  // until the window is resized, so that frames do not change size back and forth.
  const READOUT = '.slider-group > .slider-label';
  const fitReadout = gd => {
    const label = gd.querySelector(READOUT);
    if (!label) return;
    const size = parseFloat(getComputedStyle(label).fontSize);
    const text = label.getBoundingClientRect();
    const room = gd.getBoundingClientRect().right - text.left - 4;
    if (!size || !text.width || text.width <= room) return;
    const smaller = Math.max(settings.minReadout, size * room / text.width);
    gd.dataset.ceReadout = '';
    gd.style.setProperty('--ce-readout-size', smaller.toFixed(1) + 'px');
  };
  const fitPage = () => {
    for (const el of document.querySelectorAll('.katex-display')) fitFormula(el);
    nameScrollers();
    for (const gd of document.querySelectorAll('.js-plotly-plot')) fitReadout(gd);
  };
  // The page is looked at again once Streamlit has stopped drawing for a moment (a rerun
  // changes the page many times); a drag's frames change only a chart, whose readout is
  // looked at again on the next frame.
  let pageTimer = null, plotFrame = null;
  const plots = new Set();
  const schedulePage = () => {
    clearTimeout(pageTimer);
    pageTimer = setTimeout(fitPage, settings.settleMs);
  };
  const observe = records => {
    let page = false;
    for (const record of records) {
      const plot = record.target.closest && record.target.closest('.js-plotly-plot');
      if (plot) plots.add(plot); else page = true;
    }
    if (page) schedulePage();
    if (plots.size && !plotFrame) plotFrame = requestAnimationFrame(() => {
      plotFrame = null;
      for (const gd of plots) fitReadout(gd);
      plots.clear();
    });
  };
  const resized = () => {
    for (const gd of document.querySelectorAll('.js-plotly-plot[data-ce-readout]')) {
      delete gd.dataset.ceReadout;
      gd.style.removeProperty('--ce-readout-size');
    }
    schedulePage();
  };
  window.__ceAccessibility = schedulePage;
  new MutationObserver(observe).observe(document.body, {childList: true, subtree: true});
  window.addEventListener('resize', resized);
  // the main column changes width without a window resize (the sidebar opened or closed),
  // and an expander that opens shows what it already held (a formula inside): fit again
  const main = document.querySelector('[data-testid=stMain]');
  let mainWidth = 0;
  if (main && window.ResizeObserver) new ResizeObserver(entries => {
    const width = Math.round(entries[0].contentRect.width);  // its height changes at each rerun
    if (width !== mainWidth) { mainWidth = width; resized(); }
  }).observe(main);
  document.addEventListener('toggle', schedulePage, true);
  if (document.fonts) document.fonts.addEventListener('loadingdone', () => {
    fontGeneration++;
    schedulePage();
  });
  schedulePage();
})();
"""


def page_html(language: str, labels: dict[str, str]) -> str:
    """The hidden element's HTML for ``language`` (a code of ``i18n.LANGUAGES``) and the
    names of the boxes that scroll (``{"formula": ..., "code": ...}``)."""
    settings = {
        "lang": language,
        "labels": labels,
        "minScale": MIN_FORMULA_SCALE,
        "minReadout": MIN_READOUT_PX,
        "settleMs": SETTLE_MS,
    }
    # json.dumps escapes nothing HTML cares about inside <script>: no "</" can come from the
    # catalog's labels, and the test of this module checks it
    script = SCRIPT % {"settings": json.dumps(settings), "code_boxes": json.dumps(CODE_BOXES)}
    return f"<style>{STYLE}</style><script>{script}</script>"


def apply() -> None:
    """Send the element (every run: the language may have changed)."""
    labels = {"formula": t("a11y.formula_region"), "code": t("a11y.code_region")}
    with st.container(key=CONTAINER_KEY):
        st.html(page_html(current_language(), labels), unsafe_allow_javascript=True)
