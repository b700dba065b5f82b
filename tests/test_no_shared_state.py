"""Static guards of the hardening rules: no raw HTML, no state shared between sessions."""

from __future__ import annotations

import pkgutil
from pathlib import Path

import pytest
from apptest_helpers import APP_SOURCES, ROOT

import ce_core
import figures
import i18n
import ui
from ui.navigation import PAGES

# The one st.html: its text is built from the names of Streamlit's own static files, each
# checked against a strict pattern (tests/test_preload.py), never from anything typed.
# ui/highlight.py's style rules are built from chart keys (constants) and numbers the app
# chose (the sample's index, the Gradients page's class count). ui/accessibility.py's is a
# constant style sheet and script with the language code and catalog labels JSON-encoded
# (tests/test_accessibility_element.py).
RAW_HTML_ALLOWED = (
    ROOT / "ui" / "preload.py",
    ROOT / "ui" / "highlight.py",
    ROOT / "ui" / "accessibility.py",
)


@pytest.mark.parametrize("path", APP_SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_raw_html_and_no_cached_resources(path: Path):
    text = path.read_text()
    assert "unsafe_allow_html" not in text  # markdown only: user text cannot become HTML
    assert "st.html(" not in text or path in RAW_HTML_ALLOWED
    # st.cache_resource hands every session the same object: one session's change would
    # show in another's. Nothing here needs it (st.cache_data copies; the session keeps runs).
    assert "cache_resource" not in text


def test_every_source_file_is_checked():
    """The walk covers app.py, every registered page and every module of the packages."""
    expected = {ROOT / "app.py"} | {ROOT / spec.path for spec in PAGES}
    for package in (ce_core, figures, i18n, ui):
        folder = Path(package.__path__[0])
        expected |= {folder / f"{m.name}.py" for m in pkgutil.iter_modules(package.__path__)}
    assert expected <= set(APP_SOURCES)
