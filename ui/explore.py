"""What a page shows beside an exploration that follows the mouse (figures/explore.py)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from i18n import t


def numbers_table(table: pd.DataFrame, *, key: str, decimals: int = 4) -> None:
    """Every position of an exploration, one row each, in an expander that draws its table
    only while open (an open/close reruns the fragment it is in). Plotly's slider needs a
    mouse or a finger; this is where a keyboard or a screen reader reads the same numbers."""
    box = st.expander(t("explore.numbers"), key=key, on_change="rerun")
    if box.open:
        number = st.column_config.NumberColumn(format=f"%.{decimals}f")
        numeric = [c for c in table.columns if pd.api.types.is_float_dtype(table[c])]
        box.dataframe(table, hide_index=True, column_config=dict.fromkeys(numeric, number))
