"""Every use the app makes of Streamlit beyond its public API (``import streamlit as st``), in
one place, each guarded: a Streamlit release that moves one makes the app slower or its log
plainer, never broken. Why each is worth it, as measured: docs/app.md, "Streamlit internals".
``tests/test_streamlit_internals.py`` serves every page with each of them missing.
"""

from __future__ import annotations

import importlib
import logging
from pathlib import Path

import streamlit as st

# Modules whose first import is slow on the first page view (the warm-up imports them):
# the page icon is checked against Streamlit's emoji table, and st.table formats the book's
# table with a pandas Styler.
SLOW_FIRST_IMPORTS = ("streamlit.emojis", "pandas.io.formats.style")


def in_script_run() -> bool:
    """Whether this thread runs a session's script (it has a ScriptRunContext): the server's
    warm-up thread does not, and reading the session there only logs warnings. True when a
    release moved the function: the caller then reads the session as it would anyway."""
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx
    except ImportError:
        return True
    return get_script_run_ctx(suppress_warning=True) is not None


def pages_manager() -> type | None:
    """Streamlit's ``PagesManager``, whose class attribute ``uses_pages_directory`` turns its
    older pages/ mode off (ui/entry.py); None when a release moved either."""
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:
        return None
    return PagesManager if hasattr(PagesManager, "uses_pages_directory") else None


def logger(name: str) -> logging.Logger:
    """A logger in Streamlit's format and at the server's level, so its lines show in the log;
    a plain ``logging`` logger when that helper moved."""
    try:
        from streamlit.logger import get_logger
    except ImportError:
        return logging.getLogger(name)
    return get_logger(name)


def static_js_folder() -> Path:
    """The folder of the frontend's JavaScript chunks in the installed Streamlit (its build
    layout: a release may move it; ui/preload.py then finds no chunk and loads nothing)."""
    return Path(st.__file__).parent / "static" / "static" / "js"


def import_slow_modules() -> list[str]:
    """Import ``SLOW_FIRST_IMPORTS``; the names that could not be imported."""
    missing = []
    for name in SLOW_FIRST_IMPORTS:
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    return missing


def skip_the_bare_mode_check() -> bool:
    """Mark Streamlit's "run this with ``streamlit run``" warning as already given, so that
    the first element a server sends does not look for a reason to give it; False when a
    release moved the flag.

    The check (``env_util.is_repl``) calls ``inspect.stack()``, which reads the source of
    every frame on the stack and resolves the file of every imported module: about 0.4 s
    holding the GIL, once per process, just as the first session sends its first element.
    Call it only in a server that ``streamlit run`` started, where the warning is never due.
    """
    try:
        from streamlit import delta_generator
    except ImportError:
        return False
    if not hasattr(delta_generator, "_use_warning_has_been_displayed"):
        return False
    delta_generator._use_warning_has_been_displayed = True
    return True


def to_arrow(frame: object) -> bytes | None:
    """Streamlit's own conversion of a table for the browser (slow the first time); None
    when a release moved it."""
    try:
        from streamlit import dataframe_util

        return dataframe_util.convert_anything_to_arrow_bytes(frame)
    except (ImportError, AttributeError):
        return None
