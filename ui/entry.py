"""Make sure every page runs inside app.py's navigation, even on a deep link to a fresh server.

Streamlit still knows its older multipage mode, which runs the files of a ``pages/``
folder on its own. Until some session has run ``app.py`` (whose ``st.navigation`` turns
that mode off for the process), the very first request for, say, ``/softmax`` runs
``pages/softmax.py`` alone: no page config, no shared sidebar, no URL state. Pages call
``require_entrypoint()`` first; in that situation it turns the old mode off and reruns, and
the rerun goes through ``app.py`` to the same page.
"""

from __future__ import annotations

import streamlit as st

from ui import keys, streamlit_internals


def mark_entrypoint() -> None:
    """Called by app.py on every run."""
    st.session_state[keys.ENTRYPOINT_RAN] = True


def require_entrypoint() -> None:
    """Rerun through app.py when Streamlit ran this page without it (see the module doc).

    Without Streamlit's ``PagesManager`` (moved by a release) such a page is drawn on its own
    (no sidebar; the default options) until some session opens the app's home, as before
    this guard existed.
    """
    manager = streamlit_internals.pages_manager()
    if st.session_state.get(keys.ENTRYPOINT_RAN) or not (manager and manager.uses_pages_directory):
        return  # inside app.py's navigation, or a test running the page file alone
    manager.uses_pages_directory = False  # what st.navigation itself sets
    st.rerun()
