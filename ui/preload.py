"""Start loading the browser code of the page's charts, grids and formulas at once.

Streamlit's frontend loads the code of an element type only when the first element of that
type arrives: Plotly (a 4.7 MB module), the data grid (1.5 MB with its Arrow helpers) and
KaTeX. On a fresh server's first view the script sends its first chart only once torch is
imported and the page computed; the browser then fetches, compiles and evaluates Plotly
before it can draw anything, one after the other (the timeline is in docs/benchmarks.md).

``start_loading`` sends, as each run's first element, a hidden ``st.html`` whose script
imports those modules by the URLs the frontend itself imports them from (so the browser
holds one copy): the browser compiles and evaluates them while the server is still
working, and when the elements arrive their code is there. Only the three large modules:
importing the widgets' modules as well (and the small chunks they pull in) was measured
slower (docs/benchmarks.md). The HTML is built only from the names of files in the
installed Streamlit's own static folder (``ui.streamlit_internals``), checked against a
strict pattern: nothing a user can type reaches it.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import streamlit as st

from ui import streamlit_internals

STATIC_JS = streamlit_internals.static_js_folder()
# By the stem of their chunk's name; the rest is a content hash that changes with each
# Streamlit release. The largest first: its download starts first.
CHUNK_STEMS = ("PlotlyChart", "DataFrame", "rehype-katex")
CHUNK_NAME = re.compile(r"^[A-Za-z-]+\.[A-Za-z0-9_-]+\.js$")
CONTAINER_KEY = "chunk-preload"  # Streamlit gives the container the class st-key-<key>
LOADED_MARK = "preloaded "  # + the chunk's name: a performance mark once it is evaluated


@functools.cache
def chunk_names(static_js: Path = STATIC_JS) -> tuple[str, ...]:
    """The file names of ``CHUNK_STEMS``' chunks in ``static_js``. A stem with no chunk or
    with several (a Streamlit that bundles differently) is left out: nothing to preload."""
    names = []
    for stem in CHUNK_STEMS:
        found = [path.name for path in static_js.glob(f"{stem}.*.js")]
        if len(found) == 1 and CHUNK_NAME.match(found[0]):
            names.append(found[0])
    return tuple(names)


def hiding_rule(key: str) -> str:
    """CSS that hides the keyed container ``key`` (Streamlit gives it the class
    st-key-<key>) and the layout wrapper around it, which would still take a gap's height:
    for an element that only carries a style sheet or a script."""
    hidden = f".st-key-{key}"
    return f"{hidden}, [data-testid=stLayoutWrapper]:has(> {hidden}) {{display: none}}"


def loader_html(names: tuple[str, ...]) -> str:
    """A hidden element whose script imports ``names`` from the folder of Streamlit's entry
    script (``static/js/`` under the app's base URL) and marks each one evaluated; a
    failure is ignored (the frontend then loads the module itself, as it would have)."""
    style = hiding_rule(CONTAINER_KEY)
    script = (
        "(() => {"
        "const entry = document.querySelector('script[type=module][src*=\"/js/index.\"]');"
        "if (!entry) return;"
        f"for (const name of {json.dumps(list(names))})"
        " import(new URL(name, entry.src).href)"
        f".then(() => performance.mark({json.dumps(LOADED_MARK)} + name), () => {{}});"
        "})();"
    )
    return f"<style>{style}</style><script>{script}</script>"


def start_loading() -> None:
    """Call first in every run, before any import that waits for torch (see the module doc).

    Sent on every run, not only the first, so that the elements after it keep their
    places. When the browser runs the script again (on another page), the modules are
    already loaded: nothing is fetched or evaluated twice.
    """
    names = chunk_names()
    if names:
        with st.container(key=CONTAINER_KEY):
            st.html(loader_html(names), unsafe_allow_javascript=True)
