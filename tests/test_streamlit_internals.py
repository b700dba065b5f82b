"""Streamlit beyond its public API lives in ui/streamlit_internals.py only, and the app serves
every page when a Streamlit release has moved any of it (docs/app.md, "Streamlit internals")."""

from __future__ import annotations

import ast
import logging
import runpy
import sys
from pathlib import Path

import pytest
import streamlit as st
from apptest_helpers import APP, APP_SOURCES, ROOT
from streamlit.testing.v1 import AppTest

from i18n import t
from ui import preload, streamlit_internals, warm_up
from ui.navigation import PAGES

PUBLIC = {"streamlit", "streamlit.testing.v1", "streamlit.components.v1"}
HOME = ROOT / "ui" / "streamlit_internals.py"


def streamlit_imports(path: Path) -> set[str]:
    """The Streamlit modules a source file imports (``from streamlit import x``: streamlit.x)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("streamlit")}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("streamlit"):
            if node.module == "streamlit":
                found |= {f"streamlit.{alias.name}" for alias in node.names}
            else:
                found.add(node.module)
    return found


@pytest.mark.parametrize("path", APP_SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_only_one_module_uses_streamlits_internals(path):
    private = streamlit_imports(path) - PUBLIC
    assert private == set() or path == HOME, private


def test_the_internals_module_is_where_they_are():
    assert streamlit_imports(HOME) - PUBLIC == {
        "streamlit.runtime.pages_manager", "streamlit.logger", "streamlit.dataframe_util",
        "streamlit.delta_generator", "streamlit.runtime.scriptrunner",
    }  # fmt: skip


def test_the_bare_mode_check_is_skipped_once_marked(monkeypatch):
    """What the flag buys: with it set, the first element does not walk the stack."""
    from streamlit import delta_generator, env_util

    def walks_the_stack() -> bool:
        raise AssertionError("is_repl was called")

    monkeypatch.setattr(delta_generator, "_use_warning_has_been_displayed", False)
    monkeypatch.setattr(env_util, "is_repl", walks_the_stack)
    with pytest.raises(AssertionError, match="is_repl"):  # unmarked: the check runs
        delta_generator._maybe_print_use_warning()
    monkeypatch.setattr(delta_generator, "_use_warning_has_been_displayed", False)
    assert streamlit_internals.skip_the_bare_mode_check()
    delta_generator._maybe_print_use_warning()  # marked: no check


# ---------------------------------------------------------------------------- each one missing


def test_a_moved_pages_manager_is_none(monkeypatch):
    monkeypatch.setitem(sys.modules, "streamlit.runtime.pages_manager", None)  # ImportError
    assert streamlit_internals.pages_manager() is None


def test_a_moved_script_run_context_reads_the_session_as_usual(monkeypatch):
    monkeypatch.setitem(sys.modules, "streamlit.runtime.scriptrunner", None)
    assert streamlit_internals.in_script_run() is True


def test_a_moved_logger_is_a_plain_one(monkeypatch):
    monkeypatch.setitem(sys.modules, "streamlit.logger", None)
    log = streamlit_internals.logger("ce_test")
    assert isinstance(log, logging.Logger) and log.name == "ce_test"


def test_a_moved_arrow_conversion_is_skipped(monkeypatch):
    monkeypatch.delattr("streamlit.dataframe_util.convert_anything_to_arrow_bytes")
    assert streamlit_internals.to_arrow([[1.0]]) is None


def test_a_moved_slow_module_is_reported_not_raised(monkeypatch):
    monkeypatch.setitem(sys.modules, "streamlit.emojis", None)
    assert streamlit_internals.import_slow_modules() == ["streamlit.emojis"]


def test_a_moved_bare_mode_flag_is_left_alone(monkeypatch):
    monkeypatch.delattr("streamlit.delta_generator._use_warning_has_been_displayed")
    assert not streamlit_internals.skip_the_bare_mode_check()
    from streamlit import delta_generator

    assert not hasattr(delta_generator, "_use_warning_has_been_displayed")


def test_a_moved_static_folder_means_no_loader(tmp_path):
    assert preload.chunk_names(tmp_path / "moved") == ()


def test_without_st_app_the_server_serves_the_plain_script(monkeypatch):
    monkeypatch.delattr(st, "App")
    names = runpy.run_path(str(APP), run_name="app")  # as the server imports it
    assert "app" not in names and callable(names["main"])


@pytest.fixture
def internals_missing(monkeypatch, tmp_path):
    """Every internal as a Streamlit release that moved it would leave it."""
    monkeypatch.setattr(streamlit_internals, "pages_manager", lambda: None)
    monkeypatch.setattr(streamlit_internals, "to_arrow", lambda frame: None)
    monkeypatch.setattr(
        streamlit_internals,
        "import_slow_modules",
        lambda: list(streamlit_internals.SLOW_FIRST_IMPORTS),
    )
    monkeypatch.setattr(preload, "STATIC_JS", tmp_path / "moved")
    monkeypatch.setattr(preload, "chunk_names", lambda static_js=None: ())


def test_every_page_is_served_with_every_internal_missing(internals_missing):
    assert warm_up.warm_up() > 0  # the warm-up still computes the home page
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    for spec in PAGES:
        at.switch_page(spec.path).run()
        assert not at.exception, (spec.path, at.exception)
        page_title = t(spec.title_key.removeprefix("nav.") + ".title")  # nav.log: log.title
        assert [title.value for title in at.title] == [page_title]


def test_a_page_opened_first_is_drawn_without_the_pages_manager(internals_missing):
    """A deep link to a fresh server runs the page file alone; without the manager the page
    cannot reroute through app.py, and draws itself with the default options."""
    for spec in PAGES[1:]:
        at = AppTest.from_file(str(ROOT / spec.path), default_timeout=60)
        at.run()
        assert not at.exception, (spec.path, at.exception)
        assert at.title
