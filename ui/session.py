"""The page state in ``st.session_state``, initialised once per session from the URL and
written back to the URL on every change.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from ui import keys, language
from ui.state import PageState, Source, UrlProblem, apply_edits, decode, encode


def initialize() -> None:
    """First run of a session: read the URL into the state and the widgets' keys.

    Must run before any widget is created (Streamlit lets a script set a widget's value
    through session_state only before the widget exists in that run).
    """
    if keys.STATE in st.session_state:
        return
    state, problems = decode(st.query_params.to_dict())
    # a bad ?lang= is reported under the language's choice, on whichever page opened
    st.session_state[keys.URL_PROBLEMS] = [p for p in problems if p.param != "lang"]
    st.session_state[keys.LANGUAGE_PROBLEMS] = [p for p in problems if p.param == "lang"]
    st.session_state.setdefault(keys.LANGUAGE, state.language)  # a test may have chosen
    st.session_state[keys.DEVICE] = state.device
    st.session_state[keys.DTYPE] = state.dtype
    st.session_state[keys.REDUCTION] = state.reduction
    st.session_state[keys.SAMPLE] = state.sample
    _set_state(state, reset_editor=True)


def rebase_editor() -> None:
    """Start the editor again from the state's batch and edits: its columns are the classes'
    names, which a change of language renames (a new editor, whose own record would be
    empty); the learner's edits are the state's, so none is lost."""
    if keys.STATE in st.session_state:
        _set_state(state(), reset_editor=True)


def state() -> PageState:
    return st.session_state[keys.STATE]


def problems() -> list[UrlProblem]:
    """The URL's malformed parameters, reported once (then forgotten)."""
    return st.session_state.pop(keys.URL_PROBLEMS, [])


def _set_state(new: PageState, reset_editor: bool) -> None:
    st.session_state[keys.STATE] = new
    if reset_editor:
        # The editor shows the source with the state's edits; its own record of edits
        # belongs to the previous base and is dropped.
        st.session_state.pop(keys.EDITOR, None)
        st.session_state[keys.EDITOR_BASE] = apply_edits(
            new.source.batch(), new.cell_edits, new.target_edits
        )


def change_source(source: Source) -> None:
    """A new batch: edits and the selected sample start over."""
    st.session_state[keys.SAMPLE] = 0
    _set_state(
        replace(state(), source=source, cell_edits={}, target_edits={}, sample=0),
        reset_editor=True,
    )


def update(**changes: object) -> PageState:
    """Record what this run read from the widgets (no editor reset)."""
    new = replace(state(), **changes)
    st.session_state[keys.STATE] = new
    return new


def sync_url(page_state: PageState) -> None:
    """Write the state into the URL (only when it changed: each write is a history entry)."""
    params = encode(replace(page_state, language=language.current()))
    if params != st.query_params.to_dict():
        st.query_params.from_dict(params)
