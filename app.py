"""The cross-entropy explainer: page config, navigation and the shared sidebar.

streamlit run app.py
"""

from pathlib import Path

import streamlit as st

from i18n import t
from ui import boundary, entry, session, sidebar
from ui.navigation import PAGES

st.set_page_config(page_title=t("app.title"), page_icon=t("app.icon"), layout="wide")
entry.mark_entrypoint()
session.initialize()  # the URL's state, before any widget exists

page = st.navigation(
    [
        st.Page(
            # Absolute: st.Page resolves a relative path against the main script's folder,
            # which is cloud/ when Community Cloud runs cloud/streamlit_app.py.
            Path(__file__).resolve().parent / spec.path,
            title=t(spec.title_key),
            icon=spec.icon,
            url_path=spec.url_path or None,
            default=spec.default,
        )
        for spec in PAGES
    ]
)
# After st.navigation, not before: a widget made before it, whose value was set through
# session_state (as initialize() does from the URL), loses that value on the first rerun.
sidebar.render()
boundary.run_page(page)  # an unexpected error: an apology on this page, the app goes on
