"""Running the app or one page under Streamlit's AppTest, the same way in every test file; and
the app's source files, for the static checks."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app.py"
# Every Python file of the app (what the static checks walk)
APP_FOLDERS = ("pages", "ui", "figures", "ce_core", "i18n", "cloud")
APP_SOURCES = [APP, *sorted(p for folder in APP_FOLDERS for p in (ROOT / folder).rglob("*.py"))]


def run_script(path: Path, query: dict[str, str] | None = None) -> AppTest:
    """Run ``path`` once (with ``query`` as the URL's parameters); fail on any exception."""
    at = AppTest.from_file(str(path), default_timeout=60)
    if query:
        at.query_params.update(query)
    at.run()
    assert not at.exception, at.exception
    return at
