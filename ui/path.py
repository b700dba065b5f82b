"""The path through the pages: "start here" on the home page, a sentence on what to notice
at the top of each page, "Next" at its end, and where the learner is, in the sidebar.

``app.py`` hands over the ``st.Page`` objects it registered (``given``), so the links are
Streamlit's own page links: they keep the session. A page that Streamlit runs without
app.py (a test running the page file alone) has no registered pages; it names the next
page without a link.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from contextvars import ContextVar

import streamlit as st

from i18n import t
from ui.navigation import PAGES, PageSpec

_REGISTERED: ContextVar[Mapping[str, object] | None] = ContextVar("path_pages", default=None)


@contextlib.contextmanager
def given(pages: Mapping[str, object]) -> Iterator[None]:
    """While app.py runs the page: its ``st.Page`` objects by the page's key."""
    token = _REGISTERED.set(pages)
    try:
        yield
    finally:
        _REGISTERED.reset(token)


def spec_of(key: str) -> PageSpec:
    """The page whose key (``nav.<key>``) is ``key``; KeyError for an unknown one."""
    for spec in PAGES:
        if spec.key == key:
            return spec
    raise KeyError(key)


def step_of(key: str) -> int:
    """The page's place on the path, from 1."""
    return PAGES.index(spec_of(key)) + 1


def page_link(spec: PageSpec, label: str) -> None:
    """A link to the page, or its name in bold where no page is registered."""
    page = (_REGISTERED.get() or {}).get(spec.key)
    if page is None:
        st.markdown(f"**{label}**")
    else:
        st.page_link(page, label=label, icon=spec.icon)


def start_here() -> None:
    """The home page's map: every page in order, with what it teaches, and the glossary."""
    with st.container(border=True):
        st.header(t("path.start_header"))  # h2 under the page title: headings in order
        st.markdown(t("path.start_text", steps=len(PAGES)))
        for step, spec in enumerate(PAGES, start=1):
            page_link(spec, t("path.step", step=step, title=t(spec.title_key),
                              teaches=t(f"path.teaches_{spec.key}")))  # fmt: skip
        with st.expander(t("path.glossary_header")):
            st.markdown(t("path.glossary"))


def notice(key: str) -> None:
    """The one thing to notice on this page, at its top."""
    st.info(t(f"path.notice_{key}"), icon=":material/visibility:")


def next_step(key: str) -> None:
    """The page's last element: a link to the next page on the path (or back to the start)."""
    st.divider()
    step = step_of(key)
    if step == len(PAGES):
        st.markdown(t("path.last"))
        page_link(PAGES[0], t("path.back_to_start", title=t(PAGES[0].title_key)))
        return
    following = PAGES[step]
    page_link(following, t("path.next", title=t(following.title_key),
                           teaches=t(f"path.teaches_{following.key}")))  # fmt: skip


def sidebar_step(key: str | None) -> None:
    """Under the pages' list: where the learner is on the path."""
    if key is not None:
        st.caption(t("path.sidebar_step", step=step_of(key), steps=len(PAGES)))
