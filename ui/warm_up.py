"""Do, when the server starts, what the first page view would otherwise wait for.

The first script run of a fresh server imports torch, pandas and pyarrow (the editor and
the tables), Plotly's figure classes and JSON encoder, and computes the home page for the
first time (the first call of a torch op, Plotly's validators and Streamlit's Arrow
conversion are each slow once; docs/benchmarks.md has the profile). ``app.py`` runs
``warm_up`` in a background thread as the server starts, so that work overlaps with the
browser loading Streamlit's frontend; a session that arrives before it is done waits only
for what is left (Python's import lock). Nothing it builds is kept: no state is shared
between sessions.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import sys
import threading
import time
from collections.abc import AsyncIterator

from ui import streamlit_internals

LOG: logging.Logger = streamlit_internals.logger("cross_entropy_explainer.warm_up")
WARM_UP_SWITCH_INTERVAL_S = 0.0005  # Python's default is 0.005


def warm_up() -> float:
    """Import and run once what the home page needs, on its default preset; seconds taken."""
    started = time.perf_counter()
    streamlit_internals.import_slow_modules()
    import plotly.io

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
    streamlit_internals.to_arrow(table)
    return time.perf_counter() - started


def freeze_what_stays() -> int:
    """Collect the young garbage, then move every object still alive (modules, classes,
    functions: what the server keeps until it stops) out of the reach of the garbage
    collector (``gc.freeze``); how many objects are frozen.

    Streamlit ends every script run with ``gc.collect(2)`` (its ``runner.postScriptGC``), a
    walk of every tracked object: after the warm-up's imports, about 0.1 s that holds the
    GIL, and so the server's event loop, before the browser hears that the run is over. A
    frozen object is left out of that walk; what sessions create later is collected as
    before. Called once, at startup: a session's objects frozen later would never be freed
    (what a session that arrived before the warm-up ended holds then stays, once).

    Young generations only: the warm-up's own garbage is young, and a full collection
    here would walk the imports once more (0.2-0.4 s holding the GIL while the first
    session runs its page). What a full one would still find is frozen for good: 139
    objects, about 21 KB, measured after the warm-up.
    """
    gc.collect(1)
    gc.freeze()
    return gc.get_freeze_count()


def _warm_up_logged() -> None:
    # The server's event loop shares the GIL with this thread while it sends the browser
    # Streamlit's JavaScript: a shorter switch interval hands the GIL back sooner. Not a
    # lower OS priority: once the first session waits for the warm-up, the warm-up is what
    # it waits on. (Both measured: docs/benchmarks.md.)
    interval = sys.getswitchinterval()
    sys.setswitchinterval(WARM_UP_SWITCH_INTERVAL_S)
    try:
        LOG.info("warm-up done in %.2f s", warm_up())
        LOG.info("%d objects frozen", freeze_what_stays())
    except Exception:  # never fatal: the first session then does the work itself
        LOG.warning("warm-up failed; the first page view will be slower", exc_info=True)
    finally:
        sys.setswitchinterval(interval)


@contextlib.asynccontextmanager
async def lifespan(_app: object) -> AsyncIterator[None]:
    """The server's lifespan (``st.App``): start the warm-up, do not wait for it."""
    streamlit_internals.skip_the_bare_mode_check()  # a server, so the warning is never due
    threading.Thread(target=_warm_up_logged, name="warm-up", daemon=True).start()
    yield
