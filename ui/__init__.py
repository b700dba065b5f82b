"""Between the pages and ce_core: the one compute path (``compute`` -> ``view``), the sidebar's
options, the home page's inputs and stages, formulas and generated code, the page state and
its URL, and Streamlit beyond its public API (``streamlit_internals``). docs/app.md maps them.

``state``, ``view``, ``formula``, ``reproduce`` and ``text`` are pure (no Streamlit) and
tested directly; the others talk to Streamlit.
"""

from ui import language as _language

# The texts' language is the session's (ui/language.py): installed once, when a page or
# app.py first imports ui.
_language.install()
