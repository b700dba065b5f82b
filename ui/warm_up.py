"""Do, when the server starts, what the first page view would otherwise wait for.

The first script run of a fresh server imports torch (about 1 s on this machine), pandas
and pyarrow (the editor and the tables), Plotly's figure classes and JSON encoder, and
computes the home page for the first time (the first call of a torch op, Plotly's
validators and Streamlit's Arrow conversion are each slow once). ``app.py`` runs
``warm_up`` in a background thread as the server starts, so that work overlaps with the
browser loading Streamlit's frontend; a session that arrives before it is done waits only
for what is left (Python's import lock). Nothing it builds is kept: no state is shared
between sessions.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
import time
from collections.abc import AsyncIterator

from streamlit.logger import get_logger

# Streamlit's logger setup (its format, the server's log level): the line shows in the log
LOG: logging.Logger = get_logger("cross_entropy_explainer.warm_up")
WARM_UP_SWITCH_INTERVAL_S = 0.0005  # Python's default is 0.005


def warm_up() -> float:
    """Import and run once what the home page needs, on its default preset; seconds taken."""
    started = time.perf_counter()
    # Imported for their first-use cost, measured in the first script run's profile:
    # st.set_page_config checks the page icon against Streamlit's emoji table (its module
    # compiles one huge regex: 0.23 s), and st.table formats the book's table with a
    # pandas Styler (its module loads Jinja templates: 0.05 s).
    import pandas.io.formats.style  # noqa: F401
    import plotly.io
    import streamlit.emojis  # noqa: F401
    from streamlit import dataframe_util

    import ce_core
    import figures
    from ui.state import DEFAULT_PRESET
    from ui.view import View

    preset = ce_core.PRESETS[DEFAULT_PRESET]
    stages = ce_core.explain(preset.logits, preset.targets, class_names=preset.class_names)
    view = View.of(stages)
    figure = figures.make_matrix_heatmap(
        view.probs, view.class_names, view.target, title="softmax", value_label="p"
    )
    plotly.io.to_json(figure, validate=False)
    table = figures.make_book_table(
        view.probs, view.target, view.target_prob, view.losses, view.class_names
    )
    dataframe_util.convert_anything_to_arrow_bytes(table)
    return time.perf_counter() - started


def _warm_up_logged() -> None:
    # The server's event loop shares the GIL with this thread while it sends the browser
    # Streamlit's JavaScript: a shorter switch interval hands the GIL back sooner (measured:
    # its main bundle arrived in 0.18 s instead of 0.70 s). Not a lower OS priority: once
    # the first session waits for the warm-up, the warm-up is what it waits on (measured:
    # cold start 5.3-5.4 s at the normal priority, 5.7-5.9 s at nice 10).
    interval = sys.getswitchinterval()
    sys.setswitchinterval(WARM_UP_SWITCH_INTERVAL_S)
    try:
        LOG.info("warm-up done in %.2f s", warm_up())
    except Exception:  # never fatal: the first session then does the work itself
        LOG.warning("warm-up failed; the first page view will be slower", exc_info=True)
    finally:
        sys.setswitchinterval(interval)


@contextlib.asynccontextmanager
async def lifespan(_app: object) -> AsyncIterator[None]:
    """The server's lifespan (``st.App``): start the warm-up, do not wait for it."""
    threading.Thread(target=_warm_up_logged, name="warm-up", daemon=True).start()
    yield
