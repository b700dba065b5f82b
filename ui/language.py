"""The learner's language: chosen at the top of the sidebar, kept in the session and in the
URL as ``?lang=zh-TW`` (absent: English), so that a shared link opens in it.

``i18n`` reads the current language through the source installed here (``install``, done
when ``ui`` is imported): the session's choice while a session's script runs, English
elsewhere (the server's warm-up thread, ce_core used as a library).
"""

from __future__ import annotations

import streamlit as st

import i18n
from i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from ui import keys, streamlit_internals
from ui.text import escape_markdown


def current() -> str:
    """The session's language, or English outside a session's run."""
    if not streamlit_internals.in_script_run():
        return DEFAULT_LANGUAGE
    return st.session_state.get(keys.LANGUAGE, DEFAULT_LANGUAGE)


def install() -> None:
    """Make ``current`` the language of every text ``i18n`` renders."""
    i18n.set_language_source(current)


def switched() -> bool:
    """Whether the language changed since the session's last run (then remembered)."""
    language, shown = current(), st.session_state.get(keys.LANGUAGE_SHOWN)
    st.session_state[keys.LANGUAGE_SHOWN] = language
    return shown is not None and shown != language


def url_params() -> dict[str, str]:
    """The language's part of the URL: nothing for English."""
    language = current()
    return {} if language == DEFAULT_LANGUAGE else {"lang": language}


def selector() -> None:
    """The choice of language, with the URL's bad ``?lang=`` reported under it once."""
    st.radio(t("sidebar.language"), list(LANGUAGES), key=keys.LANGUAGE, horizontal=True,
             format_func=LANGUAGES.__getitem__)  # fmt: skip
    for problem in st.session_state.pop(keys.LANGUAGE_PROBLEMS, []):
        # the reason quotes the link's own text: no Markdown of a stranger's reaches the page
        st.warning(t("sidebar.language_url", reason=escape_markdown(problem.reason.render())))


def keep_in_url() -> None:
    """Write the language into the URL, or take it out for English (only when it differs:
    each write is a history entry)."""
    wanted = url_params().get("lang")
    if st.query_params.get("lang") != wanted:
        if wanted is None:
            del st.query_params["lang"]
        else:
            st.query_params["lang"] = wanted
