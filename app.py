"""The cross-entropy explainer: page config, navigation and the shared sidebar.

    streamlit run app.py

This file has two roles. ``streamlit run`` finds the ``app`` at the bottom, an
``st.App``, and serves through it: its lifespan starts importing and computing what the
home page needs while the browser is still loading (``ui/warm_up.py``; the first view of
a fresh server would otherwise wait for torch's import). Each session then runs this same
file as its Streamlit script (``__name__ == "__main__"``, as under AppTest too), and
``main`` draws the page. A Streamlit without ``st.App`` serves the script as before, only
without the warm-up.
"""

from pathlib import Path

import streamlit as st

from ui import preload, warm_up


def main() -> None:
    # First, before the imports below wait for the warm-up: the browser starts loading the
    # code of the charts, grids and formulas while the server works (ui/preload.py).
    preload.start_loading()
    # Imported here, not at the top: the server imports this file as it starts, and these
    # pull in torch — the warm-up's thread imports them instead, in parallel.
    from i18n import t
    from ui import accessibility, boundary, compute, entry, language, path, session, sidebar
    from ui.navigation import PAGES

    compute.use_one_thread()
    session.initialize()  # the URL's state (the language too), before any widget or text
    if language.switched():
        session.rebase_editor()  # its columns are the classes' names, now in the new language
    st.set_page_config(page_title=t("app.title"), page_icon=t("app.icon"), layout="wide")
    entry.mark_entrypoint()
    accessibility.apply()  # the page's language, contrast, focus, formulas that fit

    pages = {
        spec.key: st.Page(
            # Absolute: st.Page resolves a relative path against the main script's
            # folder, which is cloud/ when Community Cloud runs cloud/streamlit_app.py.
            Path(__file__).resolve().parent / spec.path,
            title=t(spec.title_key),
            icon=spec.icon,
            url_path=spec.url_path or None,
            default=spec.default,
        )
        for spec in PAGES
    }
    page = st.navigation(list(pages.values()))  # the sidebar lists them first, in path order
    current = next((key for key, known in pages.items() if known == page), None)
    # After st.navigation, not before: a widget made before it, whose value was set through
    # session_state (as initialize() does from the URL), loses that value on the first rerun.
    # The page reads the options with sidebar.options(), and links to others through path.
    with sidebar.given(sidebar.render(current)), path.given(pages):
        boundary.run_page(page)  # an unexpected error: an apology on this page, the app goes on
    language.keep_in_url()  # on every page: a link copied anywhere opens in this language


if __name__ == "__main__":
    main()
elif hasattr(st, "App"):  # imported by the server that `streamlit run app.py` starts
    app = st.App(__file__, lifespan=warm_up.lifespan)
