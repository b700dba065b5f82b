"""The app-wide error boundary: an unexpected exception becomes a short apology, not a
traceback, and the rest of the app (sidebar, navigation, other pages) keeps working.

Streamlit's own control flow (``st.rerun``, ``st.stop``, a fragment's rerun) raises
``ScriptControlException``, a ``BaseException``: ``except Exception`` lets it through, as it
must. The traceback goes to the server's log, where an operator can read it.
"""

from __future__ import annotations

import functools
import logging
import os
import uuid
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import streamlit as st

from i18n import t

LOG = logging.getLogger("cross_entropy_explainer")
# The test suite sets this so that an unexpected exception still fails the test that
# caused it, instead of becoming an apology nobody reads.
STRICT_ENV = "CE_EXPLAINER_STRICT"
P = ParamSpec("P")
R = TypeVar("R")


def apologize(error: Exception) -> None:
    """Log ``error`` with a reference the page shows, and show the apology."""
    if os.environ.get(STRICT_ENV):
        raise error
    reference = uuid.uuid4().hex[:8]
    LOG.error("unexpected error (reference %s)", reference, exc_info=error)
    st.error(t("app.error_boundary", reference=reference), icon=":material/error:")


def run_page(page: st.navigation) -> None:  # type: ignore[valid-type]
    """``page.run()`` inside the boundary."""
    try:
        page.run()
    except Exception as error:
        apologize(error)


def guarded(function: Callable[P, R]) -> Callable[P, R | None]:
    """The boundary for a function that reruns on its own (an ``st.fragment``)."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R | None:
        try:
            return function(*args, **kwargs)
        except Exception as error:
            apologize(error)
            return None

    return wrapper
