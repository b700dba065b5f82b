"""Every page draws its Plotly figures the same way."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

CONFIG = {"displaylogo": False}


def show_chart(
    figure: go.Figure, *, alt: str = "", key: str | None = None, selectable: bool = False
) -> None:
    """``st.plotly_chart`` with the app's settings: ``theme=None`` (figures/style.py is the
    look on every page), no Plotly logo, a text alternative. ``selectable``: a click on a
    point reruns the script with the selection (under ``key``)."""
    selection = {"on_select": "rerun", "selection_mode": "points"} if selectable else {}
    st.plotly_chart(figure, key=key, alt=alt, theme=None, config=CONFIG, **selection)
