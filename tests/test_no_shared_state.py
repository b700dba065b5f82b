"""Static guards of the hardening rules: no raw HTML, no state shared between sessions."""

from __future__ import annotations

from pathlib import Path

import pytest
from apptest_helpers import ROOT

FOLDERS = ("pages", "ui", "figures", "ce_core", "i18n", "cloud")
# The one st.html: its text is built from the names of Streamlit's own static files, each
# checked against a strict pattern (tests/test_preload.py), never from anything typed.
RAW_HTML_ALLOWED = ROOT / "ui" / "preload.py"
SOURCES = [ROOT / "app.py", *sorted(p for f in FOLDERS for p in (ROOT / f).rglob("*.py"))]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_raw_html_and_no_cached_resources(path: Path):
    text = path.read_text()
    assert "unsafe_allow_html" not in text  # markdown only: user text cannot become HTML
    assert "st.html(" not in text or path == RAW_HTML_ALLOWED
    # st.cache_resource hands every session the same object: one session's change would
    # show in another's. Nothing here needs it (st.cache_data copies; the session keeps runs).
    assert "cache_resource" not in text


def test_every_source_file_was_checked():
    assert len(SOURCES) > 30
