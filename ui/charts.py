"""Every page draws its Plotly figures, and its pictures, the same way: a title that wraps
on a phone, a chart whose accessible name says what it shows, and its numbers a click away."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from figures.bar_picture import Picture
from figures.chart_numbers import chart_tables
from figures.explore import FramedFigure
from i18n import t
from ui.text import escape_markdown

# The mode bar keeps what a keyboard can use too: download, zoom in and out, reset (and
# Streamlit's fullscreen). The drag modes (zoom box, pan) need a pointer, and a mouse still
# zooms by dragging; autoscale does what reset does here.
CONFIG = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["zoom2d", "pan2d", "select2d", "lasso2d", "autoScale2d"],
}
# What base_layout (figures/style.py) leaves above the plot for a title, and for its code
# line under it: taken away when the page writes them above the chart instead. What stays
# is room for Plotly's mode bar.
TITLE_ROOM, CODE_ROOM, MODE_BAR_ROOM = 36, 24, 24


def show_chart(
    figure: go.Figure,
    *,
    alt: str,
    key: str | None = None,
    numbers_key: str | None = None,
    selectable: bool = False,
    table: Callable[[], pd.DataFrame] | None = None,
) -> None:
    """``st.plotly_chart`` with the app's settings: ``theme=None`` (figures/style.py is the
    look on every page), no Plotly logo, ``alt`` as the chart's accessible name (one
    sentence with the numbers it shows). ``selectable``: a click on a point reruns the script
    with the selection (under ``key``).

    The figure's title and its code line are written above the chart, as the pictures'
    are: text in the page wraps on a narrow screen, where SVG text in the figure would run
    past its edge. Under the chart, an expander with the numbers it draws
    (``figures.chart_numbers``), built only while open; an exploration (a figure with its
    own slider) has its page's table of every position instead (``ui.explore``).
    ``numbers_key``: the expander's key (``key`` + "_numbers" by default), fixed, so that an
    open table stays open as the chart changes. ``table``: builds the numbers, where what
    the figure draws is not them (bars drawn at computed positions, an infinite bar drawn
    at the top); called only while the expander is open (a slider's rerun builds nothing).
    """
    title, code = _lift_title(figure)
    if title or code:
        _picture_title(title, code)
    selection = {"on_select": "rerun", "selection_mode": "points"} if selectable else {}
    st.plotly_chart(figure, key=key, alt=alt, theme=None, config=CONFIG, **selection)
    if not isinstance(figure, FramedFigure):
        if not (numbers_key or key):
            raise ValueError("a chart's numbers need a key: pass key or numbers_key")
        _numbers(figure, table, title=title, key=numbers_key or f"{key}_numbers")


def _lift_title(figure: go.Figure) -> tuple[str, str]:
    """The figure's title and code line as plain text, taken out of it with the room they
    took (Plotly's markup dropped: a stale figure's title carries its note in a <span>)."""
    layout = figure.layout
    title, code = _plain(layout.title.text or ""), _plain(layout.title.subtitle.text or "")
    if title or code:
        room = (TITLE_ROOM if title else 0) + (CODE_ROOM if code else 0)
        top = layout.margin.t if layout.margin.t is not None else 100
        lower = max(MODE_BAR_ROOM, top - room)
        layout.title = None
        layout.margin.t = lower
        # the plot keeps its height: what is placed relative to it (a slider, Play) stays put
        layout.height = (layout.height or 450) - (top - lower)
        layout.meta = {"title": title, "code": code}  # what the tests find a chart by
    return title, code


def _plain(text: str) -> str:
    """Plotly's text without its markup: a line break becomes a space, tags go."""
    return re.sub(r"<[^>]*>", "", re.sub(r"<br\s*/?>", " ", text)).strip()


def _numbers(
    figure: go.Figure, table: Callable[[], pd.DataFrame] | None, *, title: str, key: str
) -> None:
    box = st.expander(
        t("a11y.chart_numbers", title=escape_markdown(title)), key=key, on_change="rerun"
    )
    if box.open:
        for numbers in [table()] if table is not None else chart_tables(figure):
            # a table with the rows' numbers as its index shows them; one counted 0, 1, ...
            # has its first column for that
            plain_index = isinstance(numbers.index, pd.RangeIndex)
            box.dataframe(numbers, width="content", hide_index=plain_index)


def _picture_title(title: str, code: str) -> None:
    """A chart's title and its PyTorch expression, above it."""
    parts = [f"**{escape_markdown(title)}**" if title else "", f"`{code}`" if code else ""]
    st.markdown(" — ".join(part for part in parts if part))


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
