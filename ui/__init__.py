"""Streamlit-side helpers shared by the pages: state, URL sync, sidebar, stage views.

``state`` and ``view`` are pure (no Streamlit) and tested directly; ``session`` and
``sidebar`` talk to Streamlit.
"""
