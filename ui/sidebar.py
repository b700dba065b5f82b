"""The shared sidebar: device, dtype and reduction, with the device that really computed."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

import ce_core
from i18n import t
from ui.state import DTYPES


@dataclass(frozen=True)
class Options:
    device_choice: str  # what the learner picked
    device: str  # what computes: the choice, or cpu when the choice is unavailable
    device_note: str | None  # why it fell back, if it did
    dtype: str
    reduction: str


def resolve(choice: str) -> tuple[str, str | None]:
    """The device to compute on, falling back to cpu with a note when unavailable."""
    try:
        return str(ce_core.resolve_device(choice)), None
    except ce_core.InputError as error:
        return "cpu", t("sidebar.device_fallback", choice=choice, reason=str(error))


def render() -> Options:
    """Draw the sidebar's widgets (keys: device, dtype, reduction) and return their values."""
    with st.sidebar:
        st.header(t("sidebar.header"))
        choice = st.selectbox(
            t("sidebar.device"), ce_core.DEVICE_CHOICES, key="device", help=t("sidebar.device_help")
        )
        device, note = resolve(choice)
        if note:
            st.warning(note)
        dtype = st.radio(
            t("sidebar.dtype"), DTYPES, key="dtype", horizontal=True, help=t("sidebar.dtype_help")
        )
        reduction = st.radio(
            t("sidebar.reduction"),
            ce_core.REDUCTIONS,
            key="reduction",
            horizontal=True,
            help=t("sidebar.reduction_help"),
        )
        st.caption(t("sidebar.computed_on", device=device, dtype=dtype))
    return Options(choice, device, note, dtype, reduction)


def current() -> Options:
    """The options as the sidebar last set them (for pages, which run after the sidebar)."""
    choice = st.session_state.get("device", "auto")
    device, note = resolve(choice)
    return Options(
        choice,
        device,
        note,
        st.session_state.get("dtype", "float32"),
        st.session_state.get("reduction", "mean"),
    )
