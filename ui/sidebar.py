"""The shared sidebar: device, dtype and reduction, with the device that really computed.

``app.py`` draws it once per run and hands its ``Options`` to the page it runs
(``given``); a page reads them with ``options()`` and passes them down to what it calls.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass

import streamlit as st

import ce_core
from i18n import t
from ui import keys, language, path
from ui.state import DTYPES


@dataclass(frozen=True)
class Options:
    device_choice: str  # what the learner picked
    device: str  # what computes: the choice, or cpu when the choice is unavailable
    device_note: str | None  # why it fell back, if it did
    dtype: str
    reduction: str


_GIVEN: ContextVar[Options | None] = ContextVar("sidebar_options", default=None)


def resolve(choice: str) -> tuple[str, str | None]:
    """The device to compute on, falling back to cpu with a note when unavailable."""
    try:
        return str(ce_core.resolve_device(choice)), None
    except ce_core.InputError as error:
        return "cpu", t("sidebar.device_fallback", choice=choice, reason=error.message.render())


def render(current_page: str | None = None) -> Options:
    """Draw the sidebar: where the learner is on the path (under the pages' list, which
    Streamlit draws first), then the compute settings; return the settings."""
    with st.sidebar:
        language.selector()
        path.sidebar_step(current_page)
        st.header(t("sidebar.header"))
        choice = st.selectbox(t("sidebar.device"), ce_core.DEVICE_CHOICES, key=keys.DEVICE,
                              help=t("sidebar.device_help"))  # fmt: skip
        device, note = resolve(choice)
        if note:
            st.warning(note)
        dtype = st.radio(t("sidebar.dtype"), DTYPES, key=keys.DTYPE, horizontal=True,
                         help=t("sidebar.dtype_help"))  # fmt: skip
        reduction = st.radio(t("sidebar.reduction"), ce_core.REDUCTIONS, key=keys.REDUCTION,
                             horizontal=True, help=t("sidebar.reduction_help"))  # fmt: skip
        st.caption(t("sidebar.computed_on", device=device, dtype=dtype))
    return Options(choice, device, note, dtype, reduction)


def _from_state() -> Options:
    """The options the sidebar's widgets hold in the session (their defaults if none)."""
    choice = st.session_state.get(keys.DEVICE, ce_core.DEVICE_CHOICES[0])
    device, note = resolve(choice)
    return Options(choice, device, note, st.session_state.get(keys.DTYPE, DTYPES[0]),
                   st.session_state.get(keys.REDUCTION, "mean"))  # fmt: skip


@contextlib.contextmanager
def given(options: Options) -> Iterator[None]:
    """While app.py runs the page: the options its sidebar was drawn with."""
    token = _GIVEN.set(options)
    try:
        yield
    finally:
        _GIVEN.reset(token)


def options() -> Options:
    """The options app.py's sidebar gave this run. A page that Streamlit runs without app.py
    (a test running the page file alone; AppTest's reruns) reads the sidebar's keys."""
    return _GIVEN.get() or _from_state()
