"""Every page draws its Plotly figures, and its pictures, the same way."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go
import streamlit as st

from figures.bar_picture import Picture

CONFIG = {"displaylogo": False}


def show_chart(
    figure: go.Figure, *, alt: str = "", key: str | None = None, selectable: bool = False
) -> None:
    """``st.plotly_chart`` with the app's settings: ``theme=None`` (figures/style.py is the
    look on every page), no Plotly logo, a text alternative. ``selectable``: a click on a
    point reruns the script with the selection (under ``key``)."""
    selection = {"on_select": "rerun", "selection_mode": "points"} if selectable else {}
    st.plotly_chart(figure, key=key, alt=alt, theme=None, config=CONFIG, **selection)


def _picture_title(title: str, code: str) -> None:
    """A picture's title and its PyTorch expression, above it (a Plotly figure carries
    them in its layout: figures/style.py ``base_layout``)."""
    st.markdown(f"**{title}** — `{code}`")


def show_pictures(pictures: Sequence[Picture], *, title: str, code: str) -> None:
    """Pictures side by side under one title, each as wide as its column (one under the
    other on a phone, where Streamlit stacks columns); each one's text alternative is its
    ``alt``."""
    _picture_title(title, code)
    for column, picture in zip(st.columns(len(pictures)), pictures, strict=True):
        column.image(picture.svg, alt=picture.alt, width="stretch")


def show_picture(picture: Picture, *, title: str, code: str) -> None:
    """A picture under its title, at its own width (narrower on a screen that is narrower)."""
    _picture_title(title, code)
    st.image(picture.svg, alt=picture.alt, width=picture.width)
